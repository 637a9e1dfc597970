//! Invariants of the proofs pallet, checked after every test and by `try-runtime`.

use crate::pallet::*;
use depin_primitives::{DeviceRegistry, MAX_MERKLE_DEPTH};
use frame_support::ensure;
use sp_runtime::{
	traits::{SaturatedConversion, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the proofs pallet.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let length = EpochLength::<T>::get();
		ensure!(!length.is_zero(), "EpochLength is zero");
		let now: u64 = frame_system::Pallet::<T>::block_number().saturated_into();
		let expected = now / length.saturated_into::<u64>();
		ensure!(
			u64::from(CurrentEpoch::<T>::get()) == expected,
			"CurrentEpoch is not block number / EpochLength"
		);
		let current = CurrentEpoch::<T>::get();
		for (device, record) in Records::<T>::iter() {
			ensure!(T::Devices::device(&device).is_some(), "a record names an unknown device");
			ensure!(
				record.last_proof_epoch().is_none_or(|epoch| epoch <= current),
				"a record is for a future epoch"
			);
		}
		for (device, commitment) in Commitments::<T>::iter() {
			ensure!(T::Devices::device(&device).is_some(), "a commitment names an unknown device");
			ensure!(
				(1..=1u64 << MAX_MERKLE_DEPTH).contains(&commitment.leaf_count),
				"a commitment has an invalid leaf count"
			);
			ensure!(commitment.since <= current, "a commitment is from a future epoch");
		}
		Ok(())
	}
}
