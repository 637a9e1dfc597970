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

/// To version 2: expiry and reward entries stay bounded when epochs are skipped.
///
/// - [`OpenPools`] lists the epochs that have a pool, so that expiry skips epochs without
///   blocks at no cost; filled from [`EpochPools`] (at most the claim window's pools).
/// - [`DevicePoints`] was keyed by (device, epoch) to the points; it is keyed by (device,
///   slot `epoch mod (ClaimWindow + 1)`) to (epoch, points), so that a device never has more
///   than `ClaimWindow + 1` entries. Expired entries are dropped on the way. This one reads
///   and writes every reward entry of the chain: cheap on the test networks that exist before
///   launch (a network with many devices would run it as a multi-block migration).
pub type MigrateToV2<T> = VersionedMigration<
	1,
	2,
	OpenPoolsAndSlots<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// The layout of version 1, read by the migration to version 2.
#[allow(missing_docs)]
pub mod v1 {
	use super::*;
	use depin_primitives::{DeviceId, EpochIndex, Points};

	/// Points per device and epoch.
	#[frame_support::storage_alias]
	pub type DevicePoints<T: Config> =
		StorageDoubleMap<Pallet<T>, Blake2_128Concat, DeviceId, Twox64Concat, EpochIndex, Points>;
}

/// The translation of [`MigrateToV2`].
pub struct OpenPoolsAndSlots<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for OpenPoolsAndSlots<T> {
	fn on_runtime_upgrade() -> Weight {
		use depin_primitives::EpochProvider;
		let mut epochs: alloc::vec::Vec<_> = EpochPools::<T>::iter_keys().collect();
		epochs.sort_unstable();
		let count = epochs.len() as u64;
		// Keep the newest if there were ever more than the bound.
		let keep = epochs.len().saturating_sub(crate::OpenPoolsLen::<T>::get() as usize);
		OpenPools::<T>::put(BoundedVec::truncate_from(epochs.split_off(keep)));

		let oldest = T::Epochs::current_epoch().saturating_sub(T::ClaimWindow::get());
		let entries: alloc::vec::Vec<_> = v1::DevicePoints::<T>::drain().collect();
		let moved = entries.len() as u64;
		for (device, epoch, points) in entries.into_iter().filter(|(_, epoch, _)| *epoch >= oldest)
		{
			DevicePoints::<T>::insert(device, Pallet::<T>::slot(epoch), (epoch, points));
		}
		T::DbWeight::get().reads_writes(count.saturating_add(moved), moved.saturating_mul(2) + 1)
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
