//! The epoch clock, seeds and challenges.

use crate::{mock::*, CurrentEpoch, EpochSeed, Event, GENESIS_SEED};
use depin_primitives::{device_challenge, EpochProvider};
use sp_core::H256;

#[test]
fn epochs_turn_every_epoch_length_blocks_and_close_the_previous_one() {
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
