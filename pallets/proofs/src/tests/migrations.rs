//! The storage-migration skeleton: the step to version 1 on this pallet's state (feature
//! `try-runtime`).

use crate::mock::*;

#[test]
fn the_migration_to_version_1_records_it_and_keeps_every_entry() {
	test(|| {
		assert_eq!(
			depin_primitives::migrations::check_initial_migration::<
				Proofs,
				crate::migrations::MigrateToV1<Test>,
			>(),
			Ok(())
		);
	});
}
