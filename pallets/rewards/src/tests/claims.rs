//! Claims: pro rata, over many epochs, once, within the window, bounded per call.

use crate::{mock::*, DevicePoints, EpochPools, Error, Event, TotalExpired};
use depin_primitives::RewardPoints;
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;

#[test]
fn one_device_gets_the_whole_pool() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 10);
		close_epoch();
		assert_eq!(Rewards::pending_rewards(&d), (7_000, 1));
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(BOB), d));
		System::assert_last_event(
			Event::RewardsClaimed { device: d, owner: ALICE, amount: 7_000, epochs: 1 }.into(),
		);
		assert_eq!(Balances::free_balance(ALICE), 7_000, "the owner is paid, whoever calls");
		assert_eq!(pot(), 0);
	});
}

#[test]
fn two_devices_share_by_points() {
	test(|| {
		let (a, b) = (device(ALICE, 1), device(BOB, 2));
		points(a, 30);
		points(b, 10);
		close_epoch();
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), a));
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), b));
		assert_eq!((Balances::free_balance(ALICE), Balances::free_balance(BOB)), (5_250, 1_750));
	});
}

#[test]
fn many_devices_never_get_more_than_the_pool_and_the_dust_expires_to_the_treasury() {
	test(|| {
		let devices: Vec<_> = (1..=7).map(|i| device(100 + u64::from(i), i)).collect();
		for (i, d) in devices.iter().enumerate() {
			points(*d, 1 + 2 * i as u64);
		}
		close_epoch();
		let mut paid = 0;
		for d in &devices {
			assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), *d));
		}
		for i in 1..=7u8 {
			paid += Balances::free_balance(100 + u64::from(i));
		}
		assert!(paid <= 7_000, "shares round down");
		assert!(7_000 - paid < 7, "at most one planck of dust per device");
		let pool = EpochPools::<Test>::get(0).unwrap();
		assert_eq!(pool.paid, paid);

		// When epoch 0 leaves the claim window, the dust goes to the treasury.
		let treasury = Balances::free_balance(TREASURY);
		for _ in 0..CLAIM_WINDOW {
			close_epoch();
		}
		assert!(EpochPools::<Test>::get(0).is_none());
		assert!(Balances::free_balance(TREASURY) - treasury >= 7_000 - paid);
		assert!(TotalExpired::<Test>::get() >= 7_000 - paid);
	});
}

#[test]
fn a_claim_pays_many_epochs_but_at_most_max_per_call_and_nothing_twice() {
	test(|| {
		let d = device(ALICE, 1);
		for _ in 0..MAX_CLAIM + 1 {
			points(d, 1);
			close_epoch();
		}
		assert_eq!(Rewards::pending_rewards(&d), (7_000 * 5, 5));
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d));
		System::assert_last_event(
			Event::RewardsClaimed { device: d, owner: ALICE, amount: 7_000 * 4, epochs: 4 }.into(),
		);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d));
		assert_eq!(Balances::free_balance(ALICE), 7_000 * 5);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn the_open_epoch_is_not_claimable() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		assert_eq!(Rewards::pending_rewards(&d), (0, 0));
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d),
			Error::<Test>::NothingToClaim
		);
		assert_eq!(Rewards::points_of(&d, 0), Some(1), "kept for after the close");
	});
}

#[test]
fn rewards_expire_after_the_claim_window() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		close_epoch();
		for _ in 0..CLAIM_WINDOW {
			close_epoch();
		}
		assert_eq!(Rewards::pending_rewards(&d), (0, 0));
		System::assert_has_event(Event::RewardsExpired { epoch: 0, amount: 7_000 }.into());
		// A claim drops the expired entry and pays nothing; then there is nothing to claim.
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d));
		System::assert_last_event(
			Event::RewardsClaimed { device: d, owner: ALICE, amount: 0, epochs: 0 }.into(),
		);
		assert_eq!(Balances::free_balance(ALICE), 0);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d),
			Error::<Test>::NothingToClaim
		);
		assert_eq!(TotalExpired::<Test>::get(), 7_000);
	});
}

#[test]
fn an_expiry_the_pot_cannot_pay_is_reported_not_swallowed() {
	use frame_support::traits::fungible::Mutate;
	// The pot is made to hold less than it owes, an invariant broken on purpose: no
	// `try_state` after this test.
	new_test_ext().execute_with(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		close_epoch();
		Balances::set_balance(&Rewards::pot(), ED + 1);
		for _ in 0..CLAIM_WINDOW {
			close_epoch();
		}
		System::assert_has_event(
			Event::ExpiryFailed {
				epoch: 0,
				amount: 7_000,
				error: sp_runtime::TokenError::FundsUnavailable.into(),
			}
			.into(),
		);
		assert_eq!(TotalExpired::<Test>::get(), 0, "nothing counted as moved");
		assert_eq!(pot(), 1, "what the pot held stays there");
	});
}

#[test]
fn an_active_device_keeps_a_bounded_number_of_entries() {
	test(|| {
		let d = device(ALICE, 1);
		for _ in 0..3 * CLAIM_WINDOW {
			points(d, 1);
			close_epoch();
		}
		assert!(DevicePoints::<Test>::iter_prefix(d).count() as u32 <= CLAIM_WINDOW + 1);
	});
}

#[test]
fn a_device_earning_every_other_epoch_keeps_a_bounded_number_of_entries_unclaimed() {
	test(|| {
		// Entries used to be dropped only at exactly ClaimWindow + 1 epochs after the next
		// proof: a device earning every other epoch, never claimed, kept them all.
		let d = device(ALICE, 1);
		for epoch in 0..10 * CLAIM_WINDOW {
			if epoch % 2 == 0 {
				points(d, 1);
			}
			close_epoch();
		}
		assert!(DevicePoints::<Test>::iter_prefix(d).count() as u32 <= CLAIM_WINDOW + 1);
		// What the window still holds is claimable, the rest expired with its pools.
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), d));
	});
}

#[test]
fn unknown_devices_cannot_claim() {
	test(|| {
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(ALICE), H256::repeat_byte(9)),
			Error::<Test>::DeviceNotFound
		);
	});
}

#[test]
fn a_device_idle_longer_than_the_window_is_not_stuck_behind_expired_entries() {
	test(|| {
		let d = device(ALICE, 1);
		// MAX_CLAIM + 2 epochs of points, all of which then expire.
		for _ in 0..MAX_CLAIM + 2 {
			points(d, 1);
			close_epoch();
		}
		for _ in 0..2 * CLAIM_WINDOW {
			close_epoch();
		}
		// Back at work for one epoch, in year 1 of the mock schedule: 70% of 9 000.
		points(d, 1);
		close_epoch();
		assert_eq!(Rewards::pending_rewards(&d), (6_300, 1));

		// Claims drop the expired entries (at most MAX_CLAIM per call) and pay the new one.
		let mut calls = 0;
		while Rewards::claim_rewards(RuntimeOrigin::signed(BOB), d).is_ok() {
			calls += 1;
		}
		assert_eq!(Balances::free_balance(ALICE), 6_300);
		assert_eq!(DevicePoints::<Test>::iter_prefix(d).count(), 0);
		assert!(calls >= 2, "{calls} claims for {} entries", MAX_CLAIM + 3);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(BOB), d),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn pools_expire_even_across_epochs_without_blocks() {
	test(|| {
		let d = device(ALICE, 1);
		// Epochs 0 and 1 have pools; the chain halts in epoch 2 for a few epochs: the next
		// close (of epoch 2) sees epochs 3 to 5 never happened.
		points(d, 1);
		close_epoch();
		points(d, 1);
		close_epoch();
		points(d, 1);
		set_epoch(6);
		<Rewards as RewardPoints>::on_epoch_closed(2);
		assert_eq!(crate::OpenPools::<Test>::get().into_inner(), vec![0, 1, 2]);
		// The window passes over epochs 0 and 1 at the next close: both expire, none skipped.
		set_epoch(CLAIM_WINDOW + 2);
		<Rewards as RewardPoints>::on_epoch_closed(CLAIM_WINDOW + 1);
		System::assert_has_event(Event::RewardsExpired { epoch: 0, amount: 7_000 }.into());
		System::assert_has_event(Event::RewardsExpired { epoch: 1, amount: 7_000 }.into());
		assert_eq!(crate::OpenPools::<Test>::get().into_inner(), vec![2]);
	});
}

#[test]
fn an_epoch_closing_after_a_halt_longer_than_the_window_pays_the_treasury() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		let treasury = Balances::free_balance(TREASURY);
		// Epoch 0 closes when the chain resumes, long past its claim window.
		set_epoch(CLAIM_WINDOW + 10);
		<Rewards as RewardPoints>::on_epoch_closed(0);
		assert!(EpochPools::<Test>::get(0).is_none(), "nobody could claim it");
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 10_000, "the whole emission");
	});
}

#[test]
fn a_retiring_device_is_paid_its_unclaimed_rewards_and_leaves_no_entries() {
	use depin_primitives::OnDeviceRetired;
	test(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		close_epoch();
		let owed = Rewards::pending_rewards(&d).0;
		assert!(owed > 0);
		let before = Balances::free_balance(ALICE);
		// Points of an epoch that did not close yet are no claimable reward (a device cannot
		// earn while unbonded, which retiring needs): they go with it.
		points(d, 1);
		assert_ok!(Rewards::on_retired(&d));
		assert_eq!(Balances::free_balance(ALICE) - before, owed, "paid what it was owed");
		System::assert_has_event(
			Event::RewardsClaimed { device: d, owner: ALICE, amount: owed, epochs: 1 }.into(),
		);
		assert_eq!(DevicePoints::<Test>::iter_prefix(d).count(), 0);
		// The epoch's total no longer counts them either.
		let current = <TestEpochs as depin_primitives::EpochProvider>::current_epoch();
		assert_eq!(crate::EpochPoints::<Test>::get(current), 0);
	});
}
