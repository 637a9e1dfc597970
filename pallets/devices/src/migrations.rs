//! Storage migrations of this pallet; see [`depin_primitives::migrations`] for how one is
//! written and shipped.

use crate::pallet::Pallet;
use depin_primitives::migrations::InitialLayout;
use frame_support::migrations::VersionedMigration;

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

/// To version 2: the class table's full layout. A class gains every term the chain's
/// features read (data set minimum, declared telemetry and its credit, attestation, paid
/// usage) and the epoch its terms hold from; version-1 classes get the terms that change
/// nothing: a data set of at least one chunk, no declared telemetry, no attestation, no paid
/// service, in force since epoch 0. The class table is governance's, a handful of entries.
pub type MigrateToV2<T> =
	VersionedMigration<1, 2, FullClassTerms<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// The layout of version 1, read by the migration to version 2.
pub mod v1 {
	use crate::OwedProofs;
	use codec::{Decode, Encode};
	use frame_support::{traits::Get, BoundedVec};

	/// A class as version 1 stored it.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct ClassInfo<Balance, MaxName: Get<u32>> {
		/// Its name.
		pub name: BoundedVec<u8, MaxName>,
		/// Its minimum stake.
		pub min_stake: Balance,
		/// Points per proof.
		pub reward_weight: u32,
		/// The proofs owed.
		pub owes: OwedProofs,
		/// Whether it takes devices.
		pub open: bool,
	}
}

/// The translation of [`MigrateToV2`].
pub struct FullClassTerms<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> frame_support::traits::UncheckedOnRuntimeUpgrade for FullClassTerms<T> {
	fn on_runtime_upgrade() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		let mut count = 0u64;
		crate::Classes::<T>::translate::<v1::ClassInfo<crate::BalanceOf<T>, T::MaxClassNameLen>, _>(
			|_, old| {
				count += 1;
				Some(crate::ClassInfo {
					name: old.name,
					min_stake: old.min_stake,
					reward_weight: old.reward_weight,
					owes: old.owes,
					open: old.open,
					min_data_chunks: 1,
					telemetry: Default::default(),
					telemetry_weight: 0,
					attestation: Default::default(),
					usage: None,
					since: 0,
				})
			},
		);
		T::DbWeight::get().reads_writes(count, count)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok((crate::Classes::<T>::iter_keys().count() as u32).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let count = u32::decode(&mut &before[..]).map_err(|_| "bad snapshot")?;
		frame_support::ensure!(
			crate::Classes::<T>::iter_values().count() as u32 == count,
			"a class was lost or does not decode"
		);
		Ok(())
	}
}

/// To version 3: the owner index without a cap. Version 2 kept each owner's devices in one
/// bounded list (`DevicesByOwner`, at most `MaxDevicesPerOwner`, 512 in the runtime), read and
/// rewritten whole on every registration; version 3 keeps one entry per device under its owner
/// ([`crate::OwnedDevices`]) and a count per owner ([`crate::OwnerDeviceCount`]). Every list is
/// moved entry by entry and removed.
///
/// Single-block: its weight grows with the number of devices (one read and one write per
/// owner, two writes per device, about 2 ms per thousand devices here); the networks it runs
/// on hold a few thousand at most. A network with hundreds of thousands would run it as a
/// multi-block migration (`pallet-migrations`).
pub type MigrateToV3<T> = VersionedMigration<
	2,
	3,
	UncappedOwnerIndex<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// The layout of version 2, read by the migration to version 3.
#[allow(missing_docs)] // The storage alias's generated prefix type.
pub mod v2 {
	use depin_primitives::DeviceId;
	use frame_support::{pallet_prelude::ValueQuery, storage_alias, Blake2_128Concat};

	/// Each owner's devices (not retired), as one list.
	#[storage_alias]
	pub type DevicesByOwner<T: crate::Config> = StorageMap<
		crate::Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		alloc::vec::Vec<DeviceId>,
		ValueQuery,
	>;
}

/// The translation of [`MigrateToV3`].
pub struct UncappedOwnerIndex<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> frame_support::traits::UncheckedOnRuntimeUpgrade for UncappedOwnerIndex<T> {
	fn on_runtime_upgrade() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		let (mut owners, mut devices) = (0u64, 0u64);
		for (owner, ids) in v2::DevicesByOwner::<T>::drain() {
			owners += 1;
			for id in &ids {
				crate::Pallet::<T>::index_device(&owner, id);
			}
			devices += ids.len() as u64;
		}
		log::info!(
			target: crate::LOG_TARGET,
			"owner index migrated: {devices} devices of {owners} owners"
		);
		// Per owner: the list read and removed, the count read and written; per device, its
		// entry read and written.
		T::DbWeight::get().reads_writes(2 * owners + devices, 2 * owners + devices)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let mut lists: alloc::vec::Vec<_> = v2::DevicesByOwner::<T>::iter().collect();
		for (_, ids) in lists.iter_mut() {
			ids.sort();
		}
		frame_support::ensure!(
			crate::OwnedDevices::<T>::iter().next().is_none(),
			"the new owner index is not empty before the migration"
		);
		Ok(lists.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use depin_primitives::DeviceId;
		use frame_support::ensure;
		let lists =
			alloc::vec::Vec::<(T::AccountId, alloc::vec::Vec<DeviceId>)>::decode(&mut &before[..])
				.map_err(|_| "bad snapshot")?;
		ensure!(v2::DevicesByOwner::<T>::iter().next().is_none(), "an old list is left");
		let mut total = 0usize;
		for (owner, ids) in lists {
			let mut moved: alloc::vec::Vec<_> =
				crate::OwnedDevices::<T>::iter_key_prefix(&owner).collect();
			moved.sort();
			ensure!(moved == ids, "an owner's devices changed in the migration");
			ensure!(
				crate::OwnerDeviceCount::<T>::get(&owner) as usize == ids.len(),
				"an owner's count is not its number of devices"
			);
			total += ids.len();
		}
		ensure!(crate::OwnedDevices::<T>::iter().count() == total, "the index gained devices");
		Ok(())
	}
}
