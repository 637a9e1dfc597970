//! Devices at genesis: benchmark and test networks start with registered devices.

use crate::{mock::*, ClassCounts, DeviceCounts, Devices as DeviceMap, StatusCounts};
use depin_primitives::{ClassId, DeviceKey, DeviceStatus};
use frame_support::traits::fungible::InspectHold;

/// The mock's genesis with `devices` registered in it.
fn genesis_with(devices: Vec<(u64, DeviceKey, ClassId)>) -> sp_io::TestExternalities {
	genesis_storage(devices).into()
}

#[test]
fn genesis_devices_are_active_with_their_deposits_held() {
	let [a, b, c] = [1, 2, 3].map(|seed| TestDevice::ed(seed).key());
	genesis_with(vec![(ALICE, a, HOTSPOT), (ALICE, b, STORAGE), (BOB, c, HOTSPOT)]).execute_with(
		|| {
			let info = DeviceMap::<Test>::get(a.device_id()).expect("registered at genesis");
			assert_eq!((info.owner, info.key, info.class), (ALICE, a, HOTSPOT));
			assert_eq!(info.status, DeviceStatus::Active);
			assert_eq!((info.registered_at, info.active_since), (0, 0));
			assert_eq!(info.deposit, DEVICE_DEPOSIT);
			let mut alices = vec![a.device_id(), b.device_id()];
			alices.sort();
			assert_eq!(owned(ALICE), alices);
			assert_eq!(owned(BOB), vec![c.device_id()]);
			let held =
				|who| Balances::balance_on_hold(&crate::HoldReason::DeviceDeposit.into(), &who);
			assert_eq!((held(ALICE), held(BOB)), (2 * DEVICE_DEPOSIT, DEVICE_DEPOSIT));
			assert_eq!(
				DeviceCounts::<Test>::get(),
				StatusCounts { active: 3, ..Default::default() }
			);
			assert_eq!(ClassCounts::<Test>::get(HOTSPOT).active, 2);
			Devices::do_try_state().expect("genesis devices keep the invariants");
		},
	);
}

#[test]
#[should_panic(expected = "genesis device of unknown class")]
fn a_genesis_device_of_an_unknown_class_is_refused() {
	genesis_with(vec![(ALICE, TestDevice::ed(1).key(), 99)]);
}

#[test]
#[should_panic(expected = "genesis device refused: DeviceAlreadyRegistered")]
fn a_genesis_device_listed_twice_is_refused() {
	let key = TestDevice::ed(1).key();
	genesis_with(vec![(ALICE, key, HOTSPOT), (BOB, key, HOTSPOT)]);
}

#[test]
#[should_panic(expected = "genesis device owner cannot pay the deposit")]
fn a_genesis_device_owner_must_afford_the_deposit() {
	genesis_with(vec![(POOR, TestDevice::ed(1).key(), HOTSPOT)]);
}
