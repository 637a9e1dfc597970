//! Equivocation and unresponsiveness.

use crate::{mock::*, Error, Event};
use depin_primitives::{DeviceStatus, SignedPayload, SuspensionReason};
use frame_support::{assert_noop, assert_ok};
use pallet_device_staking::PendingSlashes;
use sp_runtime::Perbill;

fn status(id: depin_primitives::DeviceId) -> DeviceStatus {
	pallet_devices::Devices::<Test>::get(id).unwrap().status
}

/// Two different heartbeats of one device for the current epoch, signed.
fn two_heartbeats(
	key: &Key,
	id: depin_primitives::DeviceId,
) -> (
	(SignedPayload, depin_primitives::DeviceSignature),
	(SignedPayload, depin_primitives::DeviceSignature),
) {
	let first = heartbeat(id);
	let mut second = first.clone();
	second.readings = Default::default();
	(
		(SignedPayload::Heartbeat(first.clone()), sign_heartbeat(key, &first)),
		(SignedPayload::Heartbeat(second.clone()), sign_heartbeat(key, &second)),
	)
}

#[test]
fn two_different_signed_payloads_prove_equivocation_for_each_scheme() {
	test(|| {
		for key in Key::all(1) {
			let id = eligible(ALICE, &key, HOTSPOT);
			let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
			assert_ok!(Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a,
				sa,
				b,
				sb
			));
			System::assert_last_event(
				Event::EquivocationReported { device: id, epoch: 0, reporter: REPORTER }.into(),
			);
			assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Misbehaviour));
			let slash = PendingSlashes::<Test>::iter_values()
				.find(|s| s.device == id)
				.expect("slash pending");
			assert_eq!(slash.amount, MIN_STAKE / 2);
			assert_eq!(slash.reporter, Some(REPORTER));
		}
	});
}

#[test]
fn signing_one_payload_twice_is_no_offence() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), _) = two_heartbeats(&key, id);
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a.clone(), sa, a, sa),
			Error::<Test>::SamePayload
		);
	});
}

#[test]
fn payloads_of_other_epochs_kinds_or_devices_are_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let other = Key::sr(2);
		let other_id = eligible(ALICE, &other, HOTSPOT);
		let ((a, sa), _) = two_heartbeats(&key, id);
		next_epoch();
		let ((later, sl), _) = two_heartbeats(&key, id);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a.clone(),
				sa,
				later,
				sl
			),
			Error::<Test>::NotEquivocation
		);
		let ((theirs, st), _) = two_heartbeats(&other, other_id);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a.clone(),
				sa,
				theirs,
				st
			),
			Error::<Test>::NotEquivocation
		);
		let storage = depin_primitives::StorageProof {
			device: id,
			epoch: 0,
			challenge: sp_core::H256::zero(),
			leaves: Default::default(),
		};
		let ss = sign_storage(&key, &storage);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a,
				sa,
				SignedPayload::Storage(storage),
				ss
			),
			Error::<Test>::NotEquivocation
		);
	});
}

#[test]
fn a_forged_report_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), (b, _)) = two_heartbeats(&key, id);
		let forged = match &b {
			SignedPayload::Heartbeat(h) => sign_heartbeat(&Key::sr(9), h),
			_ => unreachable!(),
		};
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a, sa, b, forged),
			Error::<Test>::InvalidSignature
		);
	});
}

#[test]
fn an_old_equivocation_cannot_be_reported_and_none_is_reported_twice() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
		assert_ok!(Proofs::report_equivocation(
			RuntimeOrigin::signed(REPORTER),
			id,
			a.clone(),
			sa,
			b.clone(),
			sb
		));
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(BOB),
				id,
				a.clone(),
				sa,
				b.clone(),
				sb
			),
			pallet_device_staking::Error::<Test>::DuplicateOffence
		);
		let key2 = Key::sr(2);
		let id2 = eligible(ALICE, &key2, HOTSPOT);
		let ((a2, sa2), (b2, sb2)) = two_heartbeats(&key2, id2);
		run_to_block(10 * EPOCH_LENGTH);
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id2, a2, sa2, b2, sb2),
			Error::<Test>::ReportTooOld
		);
	});
}

#[test]
fn an_unresponsive_device_is_suspended_only_after_the_threshold() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		// Registered in epoch 0; owes from epoch 1. At epoch 3, epochs 1 and 2 were missed.
		run_to_block(3 * EPOCH_LENGTH);
		assert_eq!(Proofs::missed_epochs(&id), Some(2));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
		run_to_block(4 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
		System::assert_last_event(
			Event::DeviceUnresponsive { device: id, missed: MAX_MISSED }.into(),
		);
		assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Unresponsive));
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0, "downtime costs no stake by default");
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::DeviceNotActive
		);
	});
}

#[test]
fn proofs_and_resumption_restart_the_count() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(2 * EPOCH_LENGTH);
		let hb = heartbeat(id);
		assert_ok!(Proofs::submit_heartbeat(authorized(), hb.clone(), sign_heartbeat(&key, &hb)));
		run_to_block(5 * EPOCH_LENGTH);
		assert_eq!(
			Proofs::missed_epochs(&id),
			Some(2),
			"epochs 3 and 4 missed after epoch 2's proof"
		);
		run_to_block(6 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));

		// Governance resumes it: the count starts again from the resumption.
		assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		assert_eq!(Proofs::missed_epochs(&id), Some(0));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
	});
}

#[test]
fn a_configured_downtime_slash_is_reported_too() {
	test(|| {
		UnresponsiveSlash::set(Perbill::from_percent(5));
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(4 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
		let slash = PendingSlashes::<Test>::iter_values().next().expect("slash pending");
		assert_eq!((slash.device, slash.amount), (id, MIN_STAKE / 20));
	});
}

#[test]
fn devices_that_owe_nothing_or_are_unknown_cannot_be_reported() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, IDLE);
		run_to_block(10 * EPOCH_LENGTH);
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NothingOwed
		);
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), sp_core::H256::zero()),
			Error::<Test>::DeviceNotFound
		);
	});
}
