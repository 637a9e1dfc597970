//! Offences, deferred slashes, cancellation, reporter rewards.

use crate::{
	mock::*, Error, Event, Ledgers, PendingSlashCount, PendingSlashes, TotalBonded, TotalUnbonding,
};
use depin_primitives::{Offence, OffenceKind, OnOffence, StakeInfo};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};

fn offence(device: H256, percent: u32, reporter: Option<u64>) -> Offence<u64> {
	Offence {
		device,
		kind: OffenceKind::Equivocation,
		fraction: Perbill::from_percent(percent),
		reporter,
		epoch: 0,
	}
}

/// A device of Alice's with 1 000 bonded.
fn staked_device() -> H256 {
	let id = device(ALICE, 1);
	assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 1_000));
	id
}

#[test]
fn an_offence_becomes_a_deferred_slash_that_anyone_applies_when_due() {
	test(|| {
		let id = staked_device();
		let slash_id = DeviceStaking::on_offence(offence(id, 20, Some(REPORTER))).unwrap();
		System::assert_last_event(
			Event::SlashReported {
				slash_id,
				device: id,
				amount: 200,
				reason: OffenceKind::Equivocation,
				apply_at: DEFER,
			}
			.into(),
		);
		assert_eq!(PendingSlashCount::<Test>::get(id), 1);

		set_epoch(DEFER - 1);
		assert_noop!(
			DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id),
			Error::<Test>::SlashNotDue
		);

		set_epoch(DEFER);
		let (reporter_before, treasury_before) =
			(Balances::free_balance(REPORTER), Balances::free_balance(TREASURY));
		let issuance = Balances::total_issuance();
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id));
		System::assert_last_event(
			Event::Slashed { slash_id, device: id, amount: 200, reporter_reward: 20 }.into(),
		);
		assert_eq!(DeviceStaking::bonded(&id), 800);
		assert_eq!(staked(ALICE), 800);
		assert_eq!(Balances::free_balance(REPORTER) - reporter_before, 20);
		assert_eq!(Balances::free_balance(TREASURY) - treasury_before, 180);
		assert_eq!(Balances::total_issuance(), issuance, "a slash moves funds, it burns none");
		assert!(PendingSlashes::<Test>::get(slash_id).is_none());
		assert_eq!(PendingSlashCount::<Test>::get(id), 0);

		assert_noop!(
			DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id),
			Error::<Test>::SlashNotFound
		);
	});
}

#[test]
fn a_slash_reaches_unbonding_funds() {
	test(|| {
		let id = staked_device();
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 900));
		let slash_id = DeviceStaking::on_offence(offence(id, 50, None)).unwrap();

		// The owner cannot escape with the unbonding funds while the slash is pending.
		set_epoch(UNBONDING + DEFER);
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::SlashPending
		);

		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id));
		// 500 taken: the 100 bonded first, then 400 of the 900 unbonding.
		assert_eq!((DeviceStaking::bonded(&id), DeviceStaking::unbonding(&id)), (0, 500));
		assert_eq!((TotalBonded::<Test>::get(), TotalUnbonding::<Test>::get()), (0, 500));
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		assert!(Ledgers::<Test>::get(id).is_none());
		assert_eq!(staked(ALICE), 0);
	});
}

#[test]
fn a_device_slashed_below_its_minimum_stops_earning_until_topped_up() {
	test(|| {
		let id = staked_device();
		assert!(DeviceStaking::is_eligible(&id));
		let slash_id = DeviceStaking::on_offence(offence(id, 10, None)).unwrap();
		set_epoch(DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id));
		assert!(!DeviceStaking::is_eligible(&id));
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 100));
		assert!(DeviceStaking::is_eligible(&id));
	});
}

#[test]
fn governance_cancels_a_pending_slash() {
	test(|| {
		let id = staked_device();
		let slash_id = DeviceStaking::on_offence(offence(id, 30, Some(REPORTER))).unwrap();
		assert_noop!(
			DeviceStaking::cancel_slash(RuntimeOrigin::signed(BOB), slash_id),
			DispatchError::BadOrigin
		);
		assert_ok!(DeviceStaking::cancel_slash(RuntimeOrigin::root(), slash_id));
		System::assert_last_event(Event::SlashCancelled { slash_id }.into());
		assert_noop!(
			DeviceStaking::cancel_slash(RuntimeOrigin::root(), slash_id),
			Error::<Test>::SlashNotFound
		);

		set_epoch(DEFER);
		assert_noop!(
			DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id),
			Error::<Test>::SlashNotFound
		);
		assert_eq!(DeviceStaking::bonded(&id), 1_000);
		// The cancelled offence cannot be reported again either.
		assert_noop!(
			DeviceStaking::on_offence(offence(id, 30, None)),
			Error::<Test>::DuplicateOffence
		);
	});
}

#[test]
fn governance_slashes_by_decision_and_the_treasury_takes_all() {
	test(|| {
		let id = staked_device();
		assert_noop!(
			DeviceStaking::force_slash(
				RuntimeOrigin::signed(BOB),
				id,
				Perbill::one(),
				OffenceKind::Governance
			),
			DispatchError::BadOrigin
		);
		assert_ok!(DeviceStaking::force_slash(
			RuntimeOrigin::root(),
			id,
			Perbill::one(),
			OffenceKind::Governance
		));
		let treasury_before = Balances::free_balance(TREASURY);
		set_epoch(DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(Balances::free_balance(TREASURY) - treasury_before, 1_000);
		assert!(Ledgers::<Test>::get(id).is_none(), "a 100% slash empties the ledger");
	});
}

#[test]
fn an_offence_is_slashed_once() {
	test(|| {
		let id = staked_device();
		assert_ok!(DeviceStaking::on_offence(offence(id, 10, None)));
		assert_noop!(
			DeviceStaking::on_offence(offence(id, 10, None)),
			Error::<Test>::DuplicateOffence
		);
		// Another kind, or another epoch, is another offence.
		let mut other_kind = offence(id, 10, None);
		other_kind.kind = OffenceKind::InvalidProof;
		assert_ok!(DeviceStaking::on_offence(other_kind));
		let mut other_epoch = offence(id, 10, None);
		other_epoch.epoch = 1;
		assert_ok!(DeviceStaking::on_offence(other_epoch));
		assert_eq!(PendingSlashCount::<Test>::get(id), 3);
	});
}

#[test]
fn offences_with_nothing_to_take_are_refused() {
	test(|| {
		let unstaked = device(ALICE, 2);
		assert_noop!(
			DeviceStaking::on_offence(offence(unstaked, 50, None)),
			Error::<Test>::NothingToSlash
		);
		assert_noop!(
			DeviceStaking::on_offence(offence(H256::zero(), 50, None)),
			Error::<Test>::DeviceNotFound
		);
		let id = staked_device();
		assert_noop!(DeviceStaking::on_offence(offence(id, 0, None)), Error::<Test>::ZeroFraction);
		// One part per billion of 1 000 rounds to zero.
		let mut tiny = offence(id, 0, None);
		tiny.fraction = Perbill::from_parts(1);
		assert_noop!(DeviceStaking::on_offence(tiny), Error::<Test>::NothingToSlash);
	});
}

#[test]
fn slash_ids_never_wrap_around() {
	test(|| {
		let id = staked_device();
		// Four billion slashes later, the next id would wrap to one already used: refused.
		crate::NextSlashId::<Test>::put(u32::MAX);
		assert_noop!(
			DeviceStaking::on_offence(offence(id, 50, None)),
			Error::<Test>::SlashIdOverflow
		);
		assert_eq!(PendingSlashCount::<Test>::get(id), 0);
	});
}

#[test]
fn two_slashes_never_take_more_than_the_stake() {
	test(|| {
		let id = staked_device();
		let first = DeviceStaking::on_offence(offence(id, 80, None)).unwrap();
		let mut second = offence(id, 80, None);
		second.epoch = 1;
		let second = DeviceStaking::on_offence(second).unwrap();
		set_epoch(DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), first));
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), second));
		System::assert_last_event(
			Event::Slashed { slash_id: second, device: id, amount: 200, reporter_reward: 0 }.into(),
		);
		assert_eq!(staked(ALICE), 0);
	});
}

#[test]
fn a_reward_the_reporter_cannot_receive_goes_to_the_treasury() {
	test(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 50));
		// 10% of 50 = 5, below the existential deposit of a new account.
		let slash_id = DeviceStaking::on_offence(offence(id, 100, Some(NEW_REPORTER))).unwrap();
		let treasury_before = Balances::free_balance(TREASURY);
		set_epoch(DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash_id));
		System::assert_last_event(
			Event::Slashed { slash_id, device: id, amount: 50, reporter_reward: 0 }.into(),
		);
		assert_eq!(Balances::free_balance(NEW_REPORTER), 0);
		assert_eq!(Balances::free_balance(TREASURY) - treasury_before, 50);
	});
}

#[test]
fn apply_needs_a_signed_origin() {
	test(|| {
		let id = staked_device();
		let slash_id = DeviceStaking::on_offence(offence(id, 10, None)).unwrap();
		set_epoch(DEFER);
		assert_noop!(
			DeviceStaking::apply_slash(RuntimeOrigin::root(), slash_id),
			DispatchError::BadOrigin
		);
	});
}
