//! The invariant checks catch corrupted state.

use crate::{mock::*, DeviceCounts, Devices as DeviceMap, OwnedDevices, OwnerDeviceCount};
use sp_core::H256;

#[test]
fn a_device_missing_from_the_owner_index_is_caught() {
	new_test_ext().execute_with(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		OwnedDevices::<Test>::remove(ALICE, id);
		assert!(Devices::do_try_state().is_err());
	});
}

#[test]
fn an_unknown_device_in_the_owner_index_is_caught() {
	new_test_ext().execute_with(|| {
		OwnedDevices::<Test>::insert(ALICE, H256::zero(), ());
		OwnerDeviceCount::<Test>::insert(ALICE, 1);
		assert!(Devices::do_try_state().is_err());
	});
}

#[test]
fn a_wrong_owner_count_is_caught() {
	new_test_ext().execute_with(|| {
		register(ALICE, &TestDevice::ed(1));
		OwnerDeviceCount::<Test>::insert(ALICE, 2);
		assert!(Devices::do_try_state().is_err());
		OwnerDeviceCount::<Test>::remove(ALICE);
		assert!(Devices::do_try_state().is_err());
	});
}

#[test]
fn wrong_counters_are_caught() {
	new_test_ext().execute_with(|| {
		register(ALICE, &TestDevice::ed(1));
		DeviceCounts::<Test>::mutate(|c| c.active += 1);
		assert!(Devices::do_try_state().is_err());
	});
}

#[test]
fn a_deposit_that_is_not_held_is_caught() {
	new_test_ext().execute_with(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		DeviceMap::<Test>::mutate(id, |d| d.as_mut().unwrap().deposit += 1);
		assert!(Devices::do_try_state().is_err());
	});
}
