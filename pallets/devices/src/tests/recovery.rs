//! Recovery: the holder of a device's key takes the device back from whoever registered it.
//! Each test is named after the attack or failure it shuts out.

use crate::{mock::*, Error, Event, PendingRecoveries, RecoveryNonces};
use depin_primitives::{DeviceStatus, StakeInfo};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError;

/// Funds of `who` held as device deposits.
fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::DeviceDeposit.into(), &who)
}

/// Bob (the front-runner) registers the device before its true holder Alice can: he got a
/// proof of possession for himself, as a device that signed one for anyone who asked would
/// give it.
fn front_run(device: &TestDevice) -> depin_primitives::DeviceId {
	let id = register(BOB, device);
	assert_noop!(
		register_hotspot(ALICE, device.key(), device.pop(ALICE)),
		Error::<Test>::DeviceAlreadyRegistered
	);
	id
}

#[test]
fn registration_front_run_is_recovered_by_the_key_holder_after_the_delay() {
	test(|| {
		for device in TestDevice::all(1) {
			let id = front_run(&device);
			MockStake::set(id, 300, 50);
			assert_ok!(Devices::request_recovery(
				RuntimeOrigin::signed(ALICE),
				id,
				device.recovery(ALICE, 0)
			));
			let due = System::block_number() + RECOVERY_DELAY;
			System::assert_last_event(
				Event::RecoveryRequested { device: id, new_owner: ALICE, due }.into(),
			);
			assert_eq!(RecoveryNonces::<Test>::get(id), 1);

			// Not before the delay, whoever asks; the current owner cannot stop it.
			assert_noop!(
				Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::RecoveryNotDue
			);
			assert_noop!(
				Devices::cancel_recovery(RuntimeOrigin::signed(BOB), id),
				DispatchError::BadOrigin
			);
			run_to_block(due);
			let bob_held = held(BOB);
			assert_ok!(Devices::complete_recovery(RuntimeOrigin::signed(BOB), id));
			System::assert_last_event(
				Event::DeviceRecovered { device: id, from: BOB, to: ALICE }.into(),
			);
			let info = crate::Devices::<Test>::get(id).expect("still registered");
			assert_eq!((info.owner, info.depositor, info.deposit), (ALICE, ALICE, DEVICE_DEPOSIT));
			assert!(owned(ALICE).contains(&id));
			assert!(!owned(BOB).contains(&id));
			// Bob got his deposit back; the bond he held behind it unbonds (the double moved it).
			assert_eq!(bob_held - held(BOB), DEVICE_DEPOSIT);
			assert_eq!((MockStake::bonded(&id), MockStake::unbonding(&id)), (0, 350));
			assert!(PendingRecoveries::<Test>::get(id).is_none());
		}
	});
}

#[test]
fn replayed_registration_proof_used_as_recovery_is_refused() {
	test(|| {
		// Alice registered the device, then sold it to Bob: her registration proof is in the
		// chain's history for anyone to read.
		let device = TestDevice::ed(1);
		let id = register(ALICE, &device);
		assert_ok!(Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB));
		assert_noop!(
			Devices::request_recovery(RuntimeOrigin::signed(ALICE), id, device.pop(ALICE)),
			Error::<Test>::InvalidRecoveryProof
		);
	});
}

#[test]
fn replayed_recovery_proof_cannot_take_a_device_back() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = front_run(&device);
		let proof = device.recovery(ALICE, 0);
		assert_ok!(Devices::request_recovery(RuntimeOrigin::signed(ALICE), id, proof));
		run_to_block(System::block_number() + RECOVERY_DELAY);
		assert_ok!(Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id));
		// Alice sells the device to Bob; her used recovery proof is public.
		assert_ok!(Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB));
		assert_noop!(
			Devices::request_recovery(RuntimeOrigin::signed(ALICE), id, proof),
			Error::<Test>::InvalidRecoveryProof
		);
		// A proof for someone else, or forged by another key, is refused too.
		assert_noop!(
			Devices::request_recovery(RuntimeOrigin::signed(POOR), id, device.recovery(ALICE, 1)),
			Error::<Test>::InvalidRecoveryProof
		);
		assert_noop!(
			Devices::request_recovery(
				RuntimeOrigin::signed(ALICE),
				id,
				TestDevice::ed(2).recovery(ALICE, 1)
			),
			Error::<Test>::InvalidRecoveryProof
		);
	});
}

#[test]
fn a_retired_device_is_recovered_active_and_a_key_holder_may_retarget_a_pending_recovery() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = front_run(&device);
		assert_ok!(Devices::request_recovery(
			RuntimeOrigin::signed(ALICE),
			id,
			device.recovery(ALICE, 0)
		));
		// The squatter retires the device to keep it from Alice: it comes back all the same.
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(BOB), id));
		// The key's holder redirects the recovery; the first requester's deposit is released.
		let alice_held = held(ALICE);
		assert_ok!(Devices::request_recovery(
			RuntimeOrigin::signed(BOB),
			id,
			device.recovery(BOB, 1)
		));
		assert_eq!(alice_held - held(ALICE), DEVICE_DEPOSIT);
		run_to_block(System::block_number() + RECOVERY_DELAY);
		assert_ok!(Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id));
		let info = crate::Devices::<Test>::get(id).expect("registered");
		assert_eq!((info.owner, info.status), (BOB, DeviceStatus::Active));
		assert_eq!(crate::DeviceCounts::<Test>::get().active, 1);
	});
}

#[test]
fn a_recovery_the_stake_cannot_follow_fails_whole_and_governance_may_cancel_it() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = front_run(&device);
		assert_noop!(
			Devices::request_recovery(RuntimeOrigin::signed(BOB), id, device.recovery(BOB, 0)),
			Error::<Test>::AlreadyOwner
		);
		assert_noop!(
			Devices::request_recovery(RuntimeOrigin::signed(POOR), id, device.recovery(POOR, 0)),
			Error::<Test>::CannotHoldDeposit
		);
		assert_ok!(Devices::request_recovery(
			RuntimeOrigin::signed(ALICE),
			id,
			device.recovery(ALICE, 0)
		));
		run_to_block(System::block_number() + RECOVERY_DELAY);
		// The double refuses to unbond (as staking does with no unbonding chunk left).
		MockStake::set(id, u64::MAX, 0);
		assert_noop!(
			Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id),
			DispatchError::Other("cannot unbond")
		);
		MockStake::set(id, 0, 0);
		let alice_held = held(ALICE);
		assert_ok!(Devices::cancel_recovery(RuntimeOrigin::root(), id));
		System::assert_last_event(Event::RecoveryCancelled { device: id }.into());
		assert_eq!(alice_held - held(ALICE), DEVICE_DEPOSIT);
		assert_noop!(
			Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NoRecoveryPending
		);
		assert_noop!(
			Devices::cancel_recovery(RuntimeOrigin::root(), id),
			Error::<Test>::NoRecoveryPending
		);
	});
}

#[test]
fn a_recovered_device_owes_proofs_from_now_and_a_retired_one_needs_an_open_class() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = front_run(&device);
		run_to_block(50);
		assert_ok!(Devices::request_recovery(
			RuntimeOrigin::signed(ALICE),
			id,
			device.recovery(ALICE, 0)
		));
		run_to_block(50 + RECOVERY_DELAY);
		assert_ok!(Devices::complete_recovery(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(
			crate::Devices::<Test>::get(id).map(|d| d.active_since),
			Some(50 + RECOVERY_DELAY)
		);

		// A retired device of a class closed meanwhile stays retired.
		let other = TestDevice::ed(2);
		let other_id = front_run(&other);
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(BOB), other_id));
		let mut hotspot = crate::Classes::<Test>::get(HOTSPOT).expect("a class");
		hotspot.open = false;
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), HOTSPOT, hotspot));
		assert_ok!(Devices::request_recovery(
			RuntimeOrigin::signed(ALICE),
			other_id,
			other.recovery(ALICE, 0)
		));
		run_to_block(System::block_number() + RECOVERY_DELAY);
		assert_noop!(
			Devices::complete_recovery(RuntimeOrigin::signed(ALICE), other_id),
			Error::<Test>::ClassClosed
		);
		assert_ok!(Devices::cancel_recovery(RuntimeOrigin::root(), other_id));
	});
}
