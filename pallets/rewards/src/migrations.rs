//! Storage migrations of this pallet; see [`depin_primitives::migrations`] for how one is
//! written and shipped.

use crate::pallet::*;
use depin_primitives::migrations::InitialLayout;
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{Get, UncheckedOnRuntimeUpgrade},
};

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

/// To version 2: [`OpenPools`] lists the epochs that have a pool, so that expiry skips epochs
/// without blocks at no cost. Filled from [`EpochPools`], which holds at most the claim
/// window's pools (`ClaimWindow + 1` entries): a bounded migration.
pub type MigrateToV2<T> =
	VersionedMigration<1, 2, ListOpenPools<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// The translation of [`MigrateToV2`].
pub struct ListOpenPools<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for ListOpenPools<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut epochs: alloc::vec::Vec<_> = EpochPools::<T>::iter_keys().collect();
		epochs.sort_unstable();
		let count = epochs.len() as u64;
		// Keep the newest if there were ever more than the bound.
		let keep = epochs.len().saturating_sub(crate::OpenPoolsLen::<T>::get() as usize);
		OpenPools::<T>::put(BoundedVec::truncate_from(epochs.split_off(keep)));
		T::DbWeight::get().reads_writes(count, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let open = OpenPools::<T>::get();
		ensure!(
			open.len() == EpochPools::<T>::iter_keys().count(),
			"OpenPools does not list every pool"
		);
		ensure!(open.windows(2).all(|w| w[0] < w[1]), "OpenPools is not sorted");
		Ok(())
	}
}
