//! Offences, deferred slashes, cancellation, reporter rewards.

use crate::{
	mock::*, Error, Event, Ledgers, OffenceRecord, OffencesPrunedTo, PendingSlashTotals,
	PendingSlashes, PendingTotal, ReportedOffences, TotalBonded, TotalUnbonding,
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
		let slash_id = DeviceStaking::on_offence(offence(id, 20, Some(REPORTER))).unwrap().unwrap();
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
		assert_eq!(
			PendingSlashTotals::<Test>::get(id),
			Some(PendingTotal { count: 1, amount: 200 })
		);

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
		assert_eq!(PendingSlashTotals::<Test>::get(id), None);

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
		let slash_id = DeviceStaking::on_offence(offence(id, 50, None)).unwrap().unwrap();

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
		let slash_id = DeviceStaking::on_offence(offence(id, 10, None)).unwrap().unwrap();
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
		let slash_id = DeviceStaking::on_offence(offence(id, 30, Some(REPORTER))).unwrap().unwrap();
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
		set_epoch(1);
		let mut other_epoch = offence(id, 10, None);
		other_epoch.epoch = 1;
		assert_ok!(DeviceStaking::on_offence(other_epoch));
		// Each takes 10% of what the pending ones leave: 100, 90, 81.
		assert_eq!(
			PendingSlashTotals::<Test>::get(id),
			Some(PendingTotal { count: 3, amount: 271 })
		);
	});
}

#[test]
fn an_offence_with_nothing_to_take_is_recorded_without_a_slash() {
	test(|| {
		let unstaked = device(ALICE, 2);
		assert_eq!(DeviceStaking::on_offence(offence(unstaked, 50, None)), Ok(None));
		System::assert_last_event(
			Event::OffenceRecorded {
				device: unstaked,
				reason: OffenceKind::Equivocation,
				epoch: 0,
			}
			.into(),
		);
		assert_eq!(
			ReportedOffences::<Test>::get(0, (unstaked, OffenceKind::Equivocation)),
			Some(OffenceRecord { slash: None })
		);
		assert!(PendingSlashes::<Test>::iter().next().is_none());
		// Recorded all the same: it cannot be reported twice.
		assert_noop!(
			DeviceStaking::on_offence(offence(unstaked, 50, None)),
			Error::<Test>::DuplicateOffence
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
		assert_eq!(DeviceStaking::on_offence(tiny), Ok(None));
		// Governance gets an error for a slash that takes nothing.
		assert_noop!(
			DeviceStaking::force_slash(
				RuntimeOrigin::root(),
				unstaked,
				Perbill::one(),
				OffenceKind::Governance
			),
			Error::<Test>::NothingToSlash
		);
	});
}

#[test]
fn offences_outside_the_report_window_are_refused() {
	test(|| {
		let id = staked_device();
		let mut future = offence(id, 10, None);
		future.epoch = 1;
		assert_noop!(DeviceStaking::on_offence(future), Error::<Test>::OffenceInFuture);
		set_epoch(OFFENCE_WINDOW + 1);
		assert_noop!(
			DeviceStaking::on_offence(offence(id, 10, None)),
			Error::<Test>::OffenceTooOld
		);
		let mut oldest = offence(id, 10, None);
		oldest.epoch = 1;
		assert_ok!(DeviceStaking::on_offence(oldest));
	});
}

#[test]
fn offence_records_are_pruned_once_they_leave_the_window() {
	// Blocks are committed between pruning steps, as on a chain (a second step in one block
	// would see the first one's deletions only in the overlay).
	let mut ext = new_test_ext();
	let id = ext.execute_with(|| {
		let id = staked_device();
		assert_ok!(DeviceStaking::on_offence(offence(id, 10, None)));
		// Records as the reports of many devices leave them (written directly: an owner has
		// at most eight devices in this mock).
		for n in 0..(crate::PRUNE_BATCH + 5) {
			let other = H256::from_low_u64_be(u64::from(n) + 1);
			ReportedOffences::<Test>::insert(
				0,
				(other, OffenceKind::Equivocation),
				OffenceRecord { slash: None },
			);
		}
		id
	});
	let full = frame_support::weights::Weight::MAX;
	let mut block = |body: &dyn Fn()| {
		ext.commit_all().expect("no open transaction");
		ext.execute_with(body);
	};
	block(&|| {
		// Still reportable: nothing is pruned.
		set_epoch(OFFENCE_WINDOW);
		DeviceStaking::prune_offences(full);
		assert_eq!(ReportedOffences::<Test>::iter_prefix(0).count() as u32, crate::PRUNE_BATCH + 6);
	});
	block(&|| {
		// Out of the window: pruned a batch at a time, the cursor moving once it is empty.
		set_epoch(OFFENCE_WINDOW + 1);
		DeviceStaking::prune_offences(full);
		assert_eq!(ReportedOffences::<Test>::iter_prefix(0).count(), 6);
		assert_eq!(OffencesPrunedTo::<Test>::get(), 0);
	});
	block(&|| {
		DeviceStaking::prune_offences(full);
		assert_eq!(ReportedOffences::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(OffencesPrunedTo::<Test>::get(), 1);
	});
	block(&|| {
		// Without the weight for a step, nothing is done.
		set_epoch(OFFENCE_WINDOW + 3);
		DeviceStaking::prune_offences(frame_support::weights::Weight::zero());
		assert_eq!(OffencesPrunedTo::<Test>::get(), 1);
		// The slash itself stays pending, and applies.
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), 0));
		assert_eq!(DeviceStaking::bonded(&id), 900);
		DeviceStaking::do_try_state().expect("invariants hold");
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
		assert_eq!(PendingSlashTotals::<Test>::get(id), None);
	});
}

#[test]
fn slashes_compose_each_taking_its_fraction_of_what_the_pending_ones_leave() {
	test(|| {
		let id = staked_device();
		set_epoch(1);
		let first = DeviceStaking::on_offence(offence(id, 80, None)).unwrap().unwrap();
		let mut second = offence(id, 80, None);
		second.epoch = 1;
		let second = DeviceStaking::on_offence(second).unwrap().unwrap();
		// 80% of 1 000, then 80% of the 200 the first leaves.
		assert_eq!(PendingSlashes::<Test>::get(second).unwrap().amount, 160);
		set_epoch(1 + DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), first));
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), second));
		System::assert_last_event(
			Event::Slashed { slash_id: second, device: id, amount: 160, reporter_reward: 0 }.into(),
		);
		assert_eq!(staked(ALICE), 40);
	});
}

#[test]
fn a_cancelled_slash_no_longer_counts_against_the_next() {
	test(|| {
		let id = staked_device();
		let first = DeviceStaking::on_offence(offence(id, 50, None)).unwrap().unwrap();
		assert_ok!(DeviceStaking::cancel_slash(RuntimeOrigin::root(), first));
		let mut second = offence(id, 50, None);
		second.kind = OffenceKind::InvalidProof;
		let second = DeviceStaking::on_offence(second).unwrap().unwrap();
		assert_eq!(PendingSlashes::<Test>::get(second).unwrap().amount, 500);
	});
}

/// Bob, the holder of the key of Alice's device (seed 1), takes it back by recovery.
fn recover_to_bob(id: H256) {
	let payload = depin_primitives::RecoveryPayload { device: id, new_owner: BOB, nonce: 0 };
	let message = depin_primitives::signing_message(
		depin_primitives::SigningDomain::Recover,
		GENESIS.as_bytes(),
		&payload,
	);
	let proof = key(1).sign(&message);
	assert_ok!(Devices::request_recovery(RuntimeOrigin::signed(BOB), id, proof));
	System::set_block_number(System::block_number() + RECOVERY_DELAY);
	assert_ok!(Devices::complete_recovery(RuntimeOrigin::signed(BOB), id));
}

#[test]
fn a_recovered_devices_previous_stake_unbonds_stays_slashable_and_is_theirs() {
	test(|| {
		let id = staked_device();
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 300));
		recover_to_bob(id);
		// Alice's bond unbonds as if she had unbonded it: nothing escapes a report.
		let ledger = Ledgers::<Test>::get(id).expect("Alice's stake is still there");
		assert_eq!((ledger.owner, ledger.bonded, ledger.unbonding_total()), (ALICE, 0, 1_000));
		assert_eq!((TotalBonded::<Test>::get(), TotalUnbonding::<Test>::get()), (0, 1_000));
		let slash = DeviceStaking::on_offence(offence(id, 10, None)).unwrap().unwrap();
		assert_eq!(PendingSlashes::<Test>::get(slash).unwrap().amount, 100);
		// Bob bonds once it is gone, and only Alice withdraws it.
		assert_noop!(
			DeviceStaking::bond(RuntimeOrigin::signed(BOB), id, 500),
			Error::<Test>::PreviousOwnerStake
		);
		assert_noop!(
			DeviceStaking::unbond(RuntimeOrigin::signed(BOB), id, 1),
			Error::<Test>::PreviousOwnerStake
		);
		set_epoch(DEFER);
		assert_ok!(DeviceStaking::apply_slash(RuntimeOrigin::signed(BOB), slash));
		set_epoch(UNBONDING);
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
		let free = Balances::free_balance(ALICE);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Balances::free_balance(ALICE) - free, 900);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(BOB), id, 500));
		assert_eq!(Ledgers::<Test>::get(id).map(|l| (l.owner, l.bonded)), Some((BOB, 500)));
	});
}

#[test]
fn the_new_owner_bonding_releases_the_previous_owners_unlocked_stake_to_them() {
	test(|| {
		let id = staked_device();
		recover_to_bob(id);
		set_epoch(UNBONDING);
		let free = Balances::free_balance(ALICE);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(BOB), id, 500));
		assert_eq!(Balances::free_balance(ALICE) - free, 1_000, "Alice's stake went back to her");
		assert_eq!((staked(ALICE), staked(BOB)), (0, 500));
	});
}

#[test]
fn a_reward_the_reporter_cannot_receive_goes_to_the_treasury() {
	test(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 50));
		// 10% of 50 = 5, below the existential deposit of a new account.
		let slash_id =
			DeviceStaking::on_offence(offence(id, 100, Some(NEW_REPORTER))).unwrap().unwrap();
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
		let slash_id = DeviceStaking::on_offence(offence(id, 10, None)).unwrap().unwrap();
		set_epoch(DEFER);
		assert_noop!(
			DeviceStaking::apply_slash(RuntimeOrigin::root(), slash_id),
			DispatchError::BadOrigin
		);
	});
}
