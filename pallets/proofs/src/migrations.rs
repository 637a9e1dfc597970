//! Storage migrations of this pallet; see [`depin_primitives::migrations`] for how one is
//! written and shipped.

use crate::{pallet::*, EpochRecord};
use depin_primitives::migrations::InitialLayout;
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{Get, UncheckedOnRuntimeUpgrade},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{SaturatedConversion, Saturating};

/// To version 1, the layout the pallet was released with: records the version on a state
/// written before the pallet recorded one, and changes nothing else (checked by
/// `try-runtime`).
pub type MigrateToV1<T> = VersionedMigration<
	0,
	1,
	InitialLayout<Pallet<T>>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// To version 2: epochs follow the slot clock, and reports are checked against the real
/// challenges of their epoch.
///
/// - [`RecentEpochs`] starts with the current epoch, its seed and its first block (epoch `e`
///   began at block `e × EpochLength` under version 1). Older epochs' seeds were not kept by
///   version 1, so equivocations of epochs before the upgrade can no longer be reported (they
///   could not be checked against their real challenge).
/// - [`EpochLength`] keeps its value and encoding, now counted in slots, and [`EpochOrigin`]
///   is the slot of the block before the upgrade with the current epoch: the epoch index goes
///   on from where it was (counting slots since genesis instead would jump it forward by every
///   slot ever missed, making deferred slashes due and unbonding unlock early), and the epoch
///   in progress lasts `EpochLength` slots from the upgrade.
/// - [`Commitments`]' `since` meant "made in" and now means "in force from": a version-1
///   commitment was in force from the epoch it was made in, so it reads the same.
pub type MigrateToV2<T> =
	VersionedMigration<1, 2, KeepRecentEpochs<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// The translation of [`MigrateToV2`].
pub struct KeepRecentEpochs<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for KeepRecentEpochs<T> {
	fn on_runtime_upgrade() -> Weight {
		let index = CurrentEpoch::<T>::get();
		// Runs before the upgrade block's hooks: the clock still reads its parent's slot.
		EpochOrigin::<T>::put((<T::Clock as crate::SlotClock>::current_slot(), index));
		let length: BlockNumberFor<T> = EpochLength::<T>::get().into();
		let start_block = length.saturating_mul(index.saturated_into());
		let record = EpochRecord { index, seed: EpochSeed::<T>::get(), start_block };
		RecentEpochs::<T>::put(BoundedVec::truncate_from(alloc::vec![record]));
		T::DbWeight::get().reads_writes(4, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok((CurrentEpoch::<T>::get(), EpochSeed::<T>::get()).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let (epoch, seed) =
			<(depin_primitives::EpochIndex, sp_core::H256)>::decode(&mut &before[..])
				.map_err(|_| "the snapshot taken before the upgrade does not decode")?;
		let recent = RecentEpochs::<T>::get();
		ensure!(recent.len() == 1, "RecentEpochs must hold the current epoch only");
		ensure!(
			recent[0].index == epoch && recent[0].seed == seed,
			"RecentEpochs does not hold the current epoch and its seed"
		);
		ensure!(
			Pallet::<T>::epoch_of_slot(<T::Clock as crate::SlotClock>::current_slot()) == epoch,
			"the epoch clock does not go on from the current epoch"
		);
		Ok(())
	}
}
