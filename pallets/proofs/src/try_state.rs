//! Invariants of the proofs pallet, checked after every test and by `try-runtime`.

use crate::{pallet::*, CommitmentHistoryLen, EpochHistoryLen, SlotClock};
use depin_primitives::{DeviceRegistry, MAX_MERKLE_DEPTH};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the proofs pallet.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(EpochLength::<T>::get() > 0, "EpochLength is zero");
		let current = CurrentEpoch::<T>::get();
		ensure!(
			current == Self::epoch_of_slot(T::Clock::current_slot()),
			"CurrentEpoch is not the epoch of the current slot"
		);
		Self::validate_recent_epochs(current)?;
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
			ensure!(
				commitment.since <= current.saturating_add(1),
				"a commitment is in force only after the next epoch"
			);
		}
		for (device, history) in CommitmentHistory::<T>::iter() {
			let latest = Commitments::<T>::get(device).ok_or("a history without a commitment")?;
			ensure!(history.len() as u32 <= CommitmentHistoryLen::<T>::get(), "history too long");
			ensure!(
				history
					.iter()
					.chain(core::iter::once(&latest))
					.collect::<alloc::vec::Vec<_>>()
					.windows(2)
					.all(|w| w[0].since < w[1].since),
				"a commitment history is not in strictly ascending order"
			);
		}
		Ok(())
	}

	/// The recent epochs are ascending, bounded, and end with the current epoch and its seed.
	fn validate_recent_epochs(
		current: depin_primitives::EpochIndex,
	) -> Result<(), TryRuntimeError> {
		let recent = RecentEpochs::<T>::get();
		ensure!(recent.len() as u32 <= EpochHistoryLen::<T>::get(), "too many recent epochs");
		ensure!(
			recent
				.windows(2)
				.all(|w| w[0].index < w[1].index && w[0].start_block < w[1].start_block),
			"recent epochs are not in strictly ascending order"
		);
		let last = recent.last().ok_or("no recent epoch")?;
		ensure!(last.index == current, "the last recent epoch is not the current one");
		ensure!(last.seed == EpochSeed::<T>::get(), "the current epoch's seed differs");
		Ok(())
	}
}
