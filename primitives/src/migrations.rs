//! What our pallets' storage migrations share.
//!
//! How a layout change ships: bump the pallet's in-code `STORAGE_VERSION`, write the
//! translation as an [`UncheckedOnRuntimeUpgrade`] step, wrap it in
//! [`frame_support::migrations::VersionedMigration`] (it runs only at the expected on-chain
//! version, then records the new one, and costs one read otherwise), and list it in the
//! runtime's `Migrations` for the release that changes the layout. Its `try-runtime` hooks
//! check what it must keep (`pre_upgrade` takes a snapshot, `post_upgrade` compares); the
//! runtime's `try-runtime` upgrade check then runs every pallet's `try_state` invariants.
//!
//! Each pallet's first version is [`InitialLayout`]: the example of the pattern, and the
//! step that records version 1 on a state written before the pallet recorded any.

use codec::Encode;
use core::marker::PhantomData;
use frame_support::{
	traits::{PalletInfoAccess, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// The step to a pallet's first storage version (`VersionedMigration<0, 1, InitialLayout<P>,
/// P, DbWeight>`): version 1 is the layout the pallet was released with, so a state written
/// before it recorded a version needs no translation. `try-runtime` checks that the pallet's
/// storage is unchanged by it, entry for entry.
pub struct InitialLayout<P>(PhantomData<P>);

impl<P: PalletInfoAccess> UncheckedOnRuntimeUpgrade for InitialLayout<P> {
	fn on_runtime_upgrade() -> Weight {
		Weight::zero()
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		Ok(storage_digest::<P>().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = <(u32, [u8; 32]) as codec::Decode>::decode(&mut &before[..])
			.map_err(|_| "the snapshot taken before the upgrade does not decode")?;
		frame_support::ensure!(
			storage_digest::<P>() == before,
			"the migration to the initial layout changed the pallet's storage"
		);
		Ok(())
	}
}

/// How many storage entries pallet `P` holds and a hash over all of them, keys and values,
/// its storage version aside: equal before and after a step that must not change anything.
/// It reads every entry of the pallet, so it is for off-chain checks (`try-runtime`, tests),
/// never for a block.
pub fn storage_digest<P: PalletInfoAccess>() -> (u32, [u8; 32]) {
	let prefix = sp_io::hashing::twox_128(P::name().as_bytes());
	let version = frame_support::traits::StorageVersion::storage_key::<P>();
	let (mut count, mut digest) = (0u32, [0u8; 32]);
	let mut key = prefix.to_vec();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		if next.as_slice() != version.as_slice() {
			let value = sp_io::storage::get(&next).unwrap_or_default();
			digest = sp_io::hashing::blake2_256(&(digest, &next, value.as_ref()).encode());
			count = count.saturating_add(1);
		}
		key = next;
	}
	(count, digest)
}

/// Runs the initial-layout migration `M` of pallet `P` as a runtime upgrade on a state that
/// predates versioning (on-chain version 0) with its `try-runtime` checks, then again on the
/// upgraded state: it must record version 1 and leave every entry as it was, and the second
/// run must change nothing. For the pallets' tests.
#[cfg(feature = "try-runtime")]
pub fn check_initial_migration<P, M>() -> Result<(), sp_runtime::TryRuntimeError>
where
	P: PalletInfoAccess + frame_support::traits::GetStorageVersion,
	M: frame_support::traits::OnRuntimeUpgrade,
{
	use frame_support::traits::StorageVersion;
	StorageVersion::new(0).put::<P>();
	let before = storage_digest::<P>();
	M::try_on_runtime_upgrade(true)?;
	frame_support::ensure!(
		P::on_chain_storage_version() == StorageVersion::new(1),
		"the migration did not record version 1"
	);
	M::try_on_runtime_upgrade(true)?;
	frame_support::ensure!(
		P::on_chain_storage_version() == StorageVersion::new(1) && storage_digest::<P>() == before,
		"a second run changed the pallet's storage"
	);
	Ok(())
}

#[cfg(all(test, feature = "try-runtime"))]
mod tests {
	use super::*;
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	use sp_io::TestExternalities;

	/// A pallet named `Fake`, version 1 in code.
	struct Fake;
	impl PalletInfoAccess for Fake {
		fn index() -> usize {
			0
		}
		fn name() -> &'static str {
			"Fake"
		}
		fn name_hash() -> [u8; 16] {
			sp_io::hashing::twox_128(b"Fake")
		}
		fn module_name() -> &'static str {
			"fake"
		}
		fn crate_version() -> frame_support::traits::CrateVersion {
			frame_support::traits::CrateVersion::new(0, 1, 0)
		}
	}
	impl GetStorageVersion for Fake {
		type InCodeStorageVersion = StorageVersion;
		fn in_code_storage_version() -> StorageVersion {
			StorageVersion::new(1)
		}
		fn on_chain_storage_version() -> StorageVersion {
			StorageVersion::get::<Fake>()
		}
	}

	type MigrateToV1 = frame_support::migrations::VersionedMigration<
		0,
		1,
		InitialLayout<Fake>,
		Fake,
		frame_support::weights::constants::RocksDbWeight,
	>;

	fn key(suffix: &[u8]) -> alloc::vec::Vec<u8> {
		[Fake::name_hash().as_slice(), suffix].concat()
	}

	#[test]
	fn the_digest_covers_the_pallets_entries_and_nothing_else() {
		TestExternalities::default().execute_with(|| {
			sp_io::storage::set(&key(b"a"), b"1");
			sp_io::storage::set(&key(b"b"), b"2");
			let digest = storage_digest::<Fake>();
			assert_eq!(digest.0, 2);
			// Another pallet's entries and the storage version are not the pallet's state.
			sp_io::storage::set(&sp_io::hashing::twox_128(b"Other"), b"3");
			StorageVersion::new(7).put::<Fake>();
			assert_eq!(storage_digest::<Fake>(), digest);
			sp_io::storage::set(&key(b"b"), b"changed");
			assert_ne!(storage_digest::<Fake>(), digest);
		});
	}

	#[test]
	fn the_initial_migration_records_version_1_and_its_check_catches_a_change() {
		TestExternalities::default().execute_with(|| {
			sp_io::storage::set(&key(b"a"), b"1");
			assert_eq!(check_initial_migration::<Fake, MigrateToV1>(), Ok(()));
			assert_eq!(Fake::on_chain_storage_version(), StorageVersion::new(1));

			// A step that claimed to keep the layout but lost an entry fails its check.
			let snapshot = InitialLayout::<Fake>::pre_upgrade().expect("a snapshot");
			sp_io::storage::clear(&key(b"a"));
			assert!(InitialLayout::<Fake>::post_upgrade(snapshot).is_err());
		});
	}
}
