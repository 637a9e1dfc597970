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
