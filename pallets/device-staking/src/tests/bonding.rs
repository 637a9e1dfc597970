//! Bonding, unbonding, withdrawing, and eligibility.

use crate::{mock::*, Error, Event, Ledgers, TotalBonded, TotalUnbonding, UnbondingChunk};
use depin_primitives::{StakeInfo, SuspensionReason};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;

#[test]
fn bond_holds_funds_behind_a_device() {
	test(|| {
		let id = device(ALICE, 1);
		let free = Balances::free_balance(ALICE);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 600));
		System::assert_last_event(Event::Bonded { device: id, owner: ALICE, amount: 600 }.into());
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 400));
		assert_eq!(DeviceStaking::bonded(&id), 1_000);
		assert_eq!(staked(ALICE), 1_000);
		assert_eq!(Balances::free_balance(ALICE), free - 1_000);
		assert_eq!(TotalBonded::<Test>::get(), 1_000);
	});
}

#[test]
fn bond_refuses_strangers_unknown_and_retired_devices_zero_and_unaffordable_amounts() {
	test(|| {
		let id = device(ALICE, 1);
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(BOB), id, 10),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(ALICE), H256::zero(), 10),
			Error::<Test>::DeviceNotFound
		);
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, FUNDS),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, u64::MAX),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 10),
			Error::<Test>::DeviceRetired
		);
	});
}

#[test]
fn a_device_earns_only_while_active_and_bonded_at_its_class_minimum() {
	test(|| {
		let id = device(ALICE, 1);
		assert!(!DeviceStaking::is_eligible(&id), "nothing bonded");
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, MIN_STAKE - 1));
		assert!(!DeviceStaking::is_eligible(&id), "one planck short");
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 1));
		assert!(DeviceStaking::is_eligible(&id));

		assert_ok!(Devices::suspend_device(
			RuntimeOrigin::root(),
			id,
			SuspensionReason::Governance
		));
		assert!(!DeviceStaking::is_eligible(&id), "suspended");
		assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		assert!(DeviceStaking::is_eligible(&id));

		// Unbonding funds do not count.
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 1));
		assert!(!DeviceStaking::is_eligible(&id));
		assert!(!DeviceStaking::is_eligible(&H256::zero()), "unknown device");
	});
}

#[test]
fn unbond_moves_funds_into_a_chunk_that_unlocks_later() {
	test(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 1_000));
		set_epoch(5);
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 300));
		System::assert_last_event(
			Event::Unbonded { device: id, amount: 300, unlock_epoch: 5 + UNBONDING }.into(),
		);
		// A second unbond in the same epoch merges into the same chunk.
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 200));
		let ledger = Ledgers::<Test>::get(id).unwrap();
		assert_eq!(ledger.bonded, 500);
		assert_eq!(
			ledger.unbonding.into_inner(),
			vec![UnbondingChunk { value: 500, unlock_epoch: 8 }]
		);
		assert_eq!(DeviceStaking::unbonding(&id), 500);
		assert_eq!((TotalBonded::<Test>::get(), TotalUnbonding::<Test>::get()), (500, 500));
		assert_eq!(staked(ALICE), 1_000, "unbonding funds stay held");
	});
}

#[test]
fn unbond_refuses_zero_more_than_bonded_strangers_and_too_many_chunks() {
	test(|| {
		let id = device(ALICE, 1);
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::InsufficientBond
		);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 100));
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 101),
			Error::<Test>::InsufficientBond
		);
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(BOB), id, 1),
			Error::<Test>::NotOwner
		);
		for epoch in 0..MAX_CHUNKS {
			set_epoch(epoch);
			assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 1));
		}
		set_epoch(MAX_CHUNKS);
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::TooManyUnbondingChunks
		);
	});
}

#[test]
fn withdraw_releases_exactly_the_chunks_that_unlocked() {
	test(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 1_000));
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 100)); // unlocks at 3
		set_epoch(1);
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 200)); // unlocks at 4

		set_epoch(UNBONDING - 1);
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NothingToWithdraw
		);

		set_epoch(UNBONDING);
		let free = Balances::free_balance(ALICE);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(
			Event::Withdrawn { device: id, owner: ALICE, amount: 100 }.into(),
		);
		assert_eq!(Balances::free_balance(ALICE), free + 100);
		assert_eq!(DeviceStaking::unbonding(&id), 200);

		set_epoch(UNBONDING + 10);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(DeviceStaking::unbonding(&id), 0);
		assert_eq!(staked(ALICE), 700);
	});
}

#[test]
fn a_fully_withdrawn_device_has_no_ledger_and_can_be_deregistered() {
	test(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 500));
		assert_noop!(
			Devices::deregister_device(RuntimeOrigin::signed(ALICE), id),
			pallet_devices::Error::<Test>::DeviceHasStake
		);
		assert_noop!(
			Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB),
			pallet_devices::Error::<Test>::DeviceHasStake
		);
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 500));
		assert_noop!(
			Devices::deregister_device(RuntimeOrigin::signed(ALICE), id),
			pallet_devices::Error::<Test>::DeviceHasStake
		);
		set_epoch(UNBONDING);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		assert!(Ledgers::<Test>::get(id).is_none());
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn withdraw_refuses_strangers_and_devices_without_stake() {
	test(|| {
		let id = device(ALICE, 1);
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NothingToWithdraw
		);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 5));
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
	});
}
