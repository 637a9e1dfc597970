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
