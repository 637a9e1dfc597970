//! Invariants of the device registry, checked after every test and by `try-runtime`.
//!
//! They iterate over all devices, which is fine off chain and never done on chain.

use crate::{pallet::*, BalanceOf, StatusCounts};
use alloc::collections::btree_map::BTreeMap;
use depin_primitives::{ClassId, DeviceStatus};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the registry.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_owner_index()?;
		Self::validate_counts()?;
		Self::validate_deposits()?;
		Self::validate_classes()
	}

	/// The owner index lists exactly the devices that are not retired, each under its owner,
	/// and each owner's count is the number of its entries.
	fn validate_owner_index() -> Result<(), TryRuntimeError> {
		let mut indexed = 0usize;
		let mut per_owner = BTreeMap::<T::AccountId, u32>::new();
		for (owner, id, ()) in OwnedDevices::<T>::iter() {
			let device = Devices::<T>::get(id).ok_or("owner index lists an unknown device")?;
			ensure!(device.owner == owner, "owner index lists a device under another owner");
			ensure!(device.status != DeviceStatus::Retired, "owner index lists a retired device");
			*per_owner.entry(owner).or_default() += 1;
			indexed += 1;
		}
		for (owner, count) in OwnerDeviceCount::<T>::iter() {
			ensure!(
				per_owner.remove(&owner) == Some(count),
				"an owner's device count is not its number of devices"
			);
		}
		ensure!(per_owner.is_empty(), "an owner with devices has no count");
		let registered =
			Devices::<T>::iter_values().filter(|d| d.status != DeviceStatus::Retired).count();
		ensure!(indexed == registered, "a registered device is missing from the owner index");
		Ok(())
	}

	/// The status counters match the devices, network-wide and per class.
	fn validate_counts() -> Result<(), TryRuntimeError> {
		let mut total = StatusCounts::default();
		let mut per_class = BTreeMap::<ClassId, StatusCounts>::new();
		for device in Devices::<T>::iter_values() {
			total.add(&device.status);
			per_class.entry(device.class).or_default().add(&device.status);
		}
		ensure!(DeviceCounts::<T>::get() == total, "network device counters are wrong");
		for (class, counts) in ClassCounts::<T>::iter() {
			let expected = per_class.remove(&class).unwrap_or_default();
			ensure!(counts == expected, "class device counters are wrong");
		}
		ensure!(
			per_class.values().all(|c| *c == StatusCounts::default()),
			"a class with devices has no counters"
		);
		Ok(())
	}

	/// Funds held for deposits equal the deposits recorded (devices' and pending recoveries'),
	/// account by account; retired devices hold none.
	fn validate_deposits() -> Result<(), TryRuntimeError> {
		let mut expected = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for device in Devices::<T>::iter_values() {
			if device.status == DeviceStatus::Retired {
				ensure!(device.deposit.is_zero(), "a retired device still has a deposit");
			}
			let sum = expected.entry(device.depositor).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(device.deposit);
		}
		for (device, recovery) in PendingRecoveries::<T>::iter() {
			ensure!(Devices::<T>::contains_key(device), "a recovery of an unknown device");
			let sum = expected.entry(recovery.new_owner).or_insert_with(Zero::zero);
			*sum = sum.saturating_add(recovery.deposit);
		}
		for (depositor, deposit) in expected {
			let held = T::Currency::balance_on_hold(&HoldReason::DeviceDeposit.into(), &depositor);
			ensure!(held == deposit, "held deposit differs from the devices' deposits");
		}
		Ok(())
	}

	/// Every device's class exists; a suspension time is kept for suspended devices only.
	fn validate_classes() -> Result<(), TryRuntimeError> {
		for device in SuspendedAt::<T>::iter_keys() {
			let status = Devices::<T>::get(device).map(|d| d.status);
			ensure!(
				matches!(status, Some(DeviceStatus::Suspended(_))),
				"a suspension time of a device that is not suspended"
			);
		}
		for device in Devices::<T>::iter_values() {
			ensure!(Classes::<T>::contains_key(device.class), "a device's class does not exist");
		}
		Ok(())
	}
}
