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

#[test]
fn the_migration_to_version_2_keeps_the_current_epoch_and_its_seed() {
	use crate::{migrations::MigrateToV2, CurrentEpoch, EpochSeed, RecentEpochs};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		next_epoch();
		next_epoch();
		let (epoch, seed) = (CurrentEpoch::<Test>::get(), EpochSeed::<Test>::get());
		// The state as version 1 left it: no recent epochs; and slots were missed in the past,
		// so counting slots since genesis would say a later epoch.
		RecentEpochs::<Test>::kill();
		StorageVersion::new(1).put::<Proofs>();
		skip_slots(5 * EPOCH_LENGTH);

		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(Proofs::on_chain_storage_version(), StorageVersion::new(2));
		let recent = RecentEpochs::<Test>::get();
		assert_eq!(recent.len(), 1);
		assert_eq!((recent[0].index, recent[0].seed), (epoch, seed));
		assert_eq!(recent[0].start_block, u64::from(epoch) * EPOCH_LENGTH);
		// Epochs go on from there: the index does not jump.
		run_to_block(System::block_number() + 1);
		assert_eq!(CurrentEpoch::<Test>::get(), epoch);
		next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), epoch + 1);
		assert_eq!(RecentEpochs::<Test>::get().len(), 2);
	});
}
