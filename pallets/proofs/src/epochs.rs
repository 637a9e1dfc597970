//! The epoch clock, as other pallets see it.

use crate::pallet::*;
use depin_primitives::{EpochIndex, EpochProvider};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> EpochProvider for Pallet<T> {
	fn current_epoch() -> EpochIndex {
		CurrentEpoch::<T>::get()
	}
}

impl<T: Config> Pallet<T> {
	/// The epoch in progress.
	pub fn current_epoch_index() -> EpochIndex {
		CurrentEpoch::<T>::get()
	}

	/// The first block of the epoch in progress.
	pub fn current_epoch_start() -> BlockNumberFor<T> {
		RecentEpochs::<T>::get().last().map(|record| record.start_block).unwrap_or_else(Zero::zero)
	}
}

/// A retired device's proof record, storage commitments and flagged telemetry are dropped.
impl<T: Config> depin_primitives::OnDeviceRetired for Pallet<T> {
	fn on_retired(device: &depin_primitives::DeviceId) -> sp_runtime::DispatchResult {
		Records::<T>::remove(device);
		Commitments::<T>::remove(device);
		CommitmentHistory::<T>::remove(device);
		FlaggedTelemetry::<T>::remove(device);
		Ok(())
	}

	fn retire_weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		T::DbWeight::get().writes(4)
	}
}
