//! What owners do with registered devices: update, transfer, deregister.

use crate::{mock::*, DeviceCounts, Devices as DeviceMap, Error, Event};
use depin_primitives::{DeviceStatus, H3Cell};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::DeviceDeposit.into(), &who)
}

#[test]
fn update_replaces_location_and_metadata_and_recomputes_the_deposit() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_eq!(held(ALICE), DEVICE_DEPOSIT);

		assert_ok!(Devices::update_device(
			RuntimeOrigin::signed(ALICE),
			id,
			Some(SF_CELL),
			metadata(20)
		));
		System::assert_last_event(Event::DeviceUpdated { device: id }.into());
		let device = DeviceMap::<Test>::get(id).unwrap();
		assert_eq!(device.location, H3Cell::new(SF_CELL));
		assert_eq!(device.metadata.len(), 20);
		assert_eq!(held(ALICE), DEVICE_DEPOSIT + 20 * PER_BYTE);

		// Shrinking the metadata releases the difference.
		assert_ok!(Devices::update_device(RuntimeOrigin::signed(ALICE), id, None, metadata(0)));
		assert_eq!(held(ALICE), DEVICE_DEPOSIT);
		assert_eq!(DeviceMap::<Test>::get(id).unwrap().location, None);
	});
}

#[test]
fn update_refuses_strangers_retired_devices_bad_locations_and_unaffordable_deposits() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_noop!(
			Devices::update_device(RuntimeOrigin::signed(BOB), id, None, metadata(0)),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Devices::update_device(RuntimeOrigin::signed(ALICE), H256::zero(), None, metadata(0)),
			Error::<Test>::DeviceNotFound
		);
		assert_noop!(
			Devices::update_device(RuntimeOrigin::signed(ALICE), id, Some(1), metadata(0)),
			Error::<Test>::InvalidLocation
		);

		// Alice gives the device to Poor, who cannot pay a deposit for more metadata.
		assert_ok!(Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, POOR));
		assert_noop!(
			Devices::update_device(RuntimeOrigin::signed(POOR), id, None, metadata(10)),
			Error::<Test>::CannotHoldDeposit
		);

		let retired = register(BOB, &TestDevice::ed(2));
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(BOB), retired));
		assert_noop!(
			Devices::update_device(RuntimeOrigin::signed(BOB), retired, None, metadata(0)),
			Error::<Test>::DeviceRetired
		);
	});
}

#[test]
fn transfer_moves_the_device_and_leaves_the_deposit_with_its_payer() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_ok!(Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB));
		System::assert_last_event(
			Event::DeviceTransferred { device: id, from: ALICE, to: BOB }.into(),
		);
		assert_eq!(DeviceMap::<Test>::get(id).unwrap().owner, BOB);
		assert!(owned(ALICE).is_empty());
		assert_eq!(owned(BOB), vec![id]);
		assert_eq!((held(ALICE), held(BOB)), (DEVICE_DEPOSIT, 0));

		// Bob's first update makes him the payer: Alice's deposit comes back.
		assert_ok!(Devices::update_device(RuntimeOrigin::signed(BOB), id, None, metadata(0)));
		assert_eq!((held(ALICE), held(BOB)), (0, DEVICE_DEPOSIT));

		// And deregistering releases it to Bob.
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(BOB), id));
		assert_eq!((held(ALICE), held(BOB)), (0, 0));
	});
}

#[test]
fn transfer_refuses_strangers_self_staked_devices_and_full_recipients() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_noop!(
			Devices::transfer_device(RuntimeOrigin::signed(BOB), id, BOB),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, ALICE),
			Error::<Test>::TransferToSelf
		);

		MockStake::set(id, 0, 1);
		assert_noop!(
			Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB),
			Error::<Test>::DeviceHasStake
		);
		MockStake::set(id, 0, 0);
	});
}

#[test]
fn deregister_retires_the_device_and_releases_its_deposit() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_ok!(Devices::update_device(
			RuntimeOrigin::signed(ALICE),
			id,
			Some(SF_CELL),
			metadata(5)
		));
		let free_before = Balances::free_balance(ALICE);

		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::DeviceDeregistered { device: id, owner: ALICE }.into());
		let device = DeviceMap::<Test>::get(id).expect("the record stays");
		assert_eq!(device.status, DeviceStatus::Retired);
		assert_eq!((device.deposit, device.location, device.metadata.len()), (0, None, 0));
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), free_before + DEVICE_DEPOSIT + 5 * PER_BYTE);
		assert!(owned(ALICE).is_empty());
		assert_eq!(DeviceCounts::<Test>::get().retired, 1);
		assert_eq!(DeviceCounts::<Test>::get().active, 0);

		assert_noop!(
			Devices::deregister_device(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::DeviceRetired
		);
	});
}

#[test]
fn deregister_refuses_while_stake_is_bonded_or_unbonding() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		for (bonded, unbonding) in [(1, 0), (0, 1), (u64::MAX, u64::MAX)] {
			MockStake::set(id, bonded, unbonding);
			assert_noop!(
				Devices::deregister_device(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::DeviceHasStake
			);
		}
		assert_noop!(
			Devices::deregister_device(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
	});
}

#[test]
fn a_retired_device_cannot_be_transferred() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			Devices::transfer_device(RuntimeOrigin::signed(ALICE), id, BOB),
			Error::<Test>::DeviceRetired
		);
	});
}
