//! The epoch clock, seeds and challenges.

use crate::{mock::*, CurrentEpoch, EpochSeed, Error, Event, RecentEpochs, GENESIS_SEED};
use depin_primitives::{device_challenge, EpochProvider};
use frame_support::{assert_noop, assert_ok, traits::Get};
use sp_core::H256;

#[test]
fn epochs_turn_every_epoch_length_slots_and_close_the_previous_one() {
	test(|| {
		assert_eq!(CurrentEpoch::<Test>::get(), 0);
		assert_eq!(EpochSeed::<Test>::get(), GENESIS_SEED);
		run_to_block(EPOCH_LENGTH - 1);
		assert_eq!(Proofs::current_epoch(), 0);
		run_to_block(EPOCH_LENGTH);
		assert_eq!(Proofs::current_epoch(), 1);
		assert_eq!(closed_epochs(), vec![0]);
		let seed = EpochSeed::<Test>::get();
		System::assert_last_event(Event::EpochStarted { epoch: 1, seed }.into());
		run_to_block(3 * EPOCH_LENGTH + 5);
		assert_eq!(Proofs::current_epoch(), 3);
		assert_eq!(closed_epochs(), vec![0, 1, 2]);
		assert_eq!(Proofs::current_epoch_start(), 3 * EPOCH_LENGTH);
	});
}

#[test]
fn the_seed_mixes_epoch_and_block_randomness() {
	let seed_with = |epoch_random: H256, block_random: Option<H256>| {
		let mut seed = H256::zero();
		new_test_ext().execute_with(|| {
			set_randomness(epoch_random, block_random);
			next_epoch();
			seed = EpochSeed::<Test>::get();
		});
		seed
	};
	let base = seed_with(H256::repeat_byte(1), Some(H256::repeat_byte(2)));
	assert_eq!(base, seed_with(H256::repeat_byte(1), Some(H256::repeat_byte(2))));
	assert_ne!(base, seed_with(H256::repeat_byte(9), Some(H256::repeat_byte(2))));
	assert_ne!(base, seed_with(H256::repeat_byte(1), Some(H256::repeat_byte(9))));
	assert_ne!(base, seed_with(H256::repeat_byte(1), None));
}

#[test]
fn each_device_has_its_own_challenge_each_epoch() {
	test(|| {
		let (a, b) = (H256::repeat_byte(0xa), H256::repeat_byte(0xb));
		let first = Proofs::current_challenge(&a);
		assert_eq!(first, device_challenge(&GENESIS_SEED, &a, 0));
		assert_ne!(first, Proofs::current_challenge(&b));
		next_epoch();
		assert_ne!(first, Proofs::current_challenge(&a));
	});
}

#[test]
fn skipped_slots_do_not_stretch_an_epoch() {
	test(|| {
		// Four slots of epoch 0 go by without a block: block 6 is built in slot 10, the first
		// slot of epoch 1, and starts it; the device's clock and the chain agree.
		run_to_block(5);
		skip_slots(4);
		run_to_block(6);
		assert_eq!(Proofs::current_epoch(), 1);
		assert_eq!(Proofs::current_epoch_start(), 6);
		assert_eq!(Proofs::epoch_start_slot(1), EPOCH_LENGTH);
		assert_eq!(closed_epochs(), vec![0]);
		// Epoch 1 ends at slot 20 (block 16), not ten blocks after it started.
		run_to_block(15);
		assert_eq!(Proofs::current_epoch(), 1);
		run_to_block(16);
		assert_eq!(Proofs::current_epoch(), 2);
	});
}

#[test]
fn a_whole_skipped_epoch_emits_nothing_and_counts_as_missed_for_no_device() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		next_epoch();
		let hb = heartbeat(id);
		assert_ok!(Proofs::submit_heartbeat(authorized(), hb.clone(), sign_heartbeat(&key, &hb)));
		// The chain halts from the middle of epoch 1 to the middle of epoch 5.
		run_to_block(System::block_number() + 4);
		skip_slots(4 * EPOCH_LENGTH);
		run_to_block(System::block_number() + 1);
		assert_eq!(Proofs::current_epoch(), 5);
		// The boundary work was done once: epoch 1 closed, 2 to 4 never existed.
		assert_eq!(closed_epochs(), vec![0, 1]);
		System::assert_has_event(Event::EpochsSkipped { first: 2, last: 4 }.into());
		let seed = EpochSeed::<Test>::get();
		System::assert_last_event(Event::EpochStarted { epoch: 5, seed }.into());
		// Nobody's downtime: the device delivered in the last epoch that had blocks.
		assert_eq!(Proofs::missed_epochs(&id), Some(0));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
		// Epochs 5, 6 and 7 then pass with blocks and without its proofs: those count.
		next_epoch();
		next_epoch();
		next_epoch();
		assert_eq!(Proofs::missed_epochs(&id), Some(MAX_MISSED));
	});
}

#[test]
fn recent_epochs_keep_the_seeds_the_report_window_needs_and_no_more() {
	test(|| {
		for _ in 0..20 {
			next_epoch();
		}
		let recent = RecentEpochs::<Test>::get();
		let window: u32 = <Test as crate::Config>::ReportWindow::get();
		assert_eq!(recent.len() as u32, window + 1);
		assert_eq!(recent.last().map(|r| (r.index, r.seed)), Some((20, EpochSeed::<Test>::get())));
		assert_eq!(recent.first().map(|r| r.index), Some(20 - window));
	});
}
