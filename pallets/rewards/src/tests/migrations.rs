//! The storage-migration skeleton: the step to version 1 on this pallet's state (feature
//! `try-runtime`).

use crate::mock::*;

#[test]
fn the_migration_to_version_1_records_it_and_keeps_every_entry() {
	test(|| {
		assert_eq!(
			depin_primitives::migrations::check_initial_migration::<
				Rewards,
				crate::migrations::MigrateToV1<Test>,
			>(),
			Ok(())
		);
	});
}

#[test]
fn the_migration_to_version_2_lists_the_open_pools() {
	use crate::{migrations::MigrateToV2, EpochPool, EpochPools, OpenPools};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		for epoch in [7, 3, 5] {
			EpochPools::<Test>::insert(epoch, EpochPool { pool: 0, points: 1, paid: 0 });
		}
		StorageVersion::new(1).put::<Rewards>();
		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(Rewards::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(OpenPools::<Test>::get().into_inner(), vec![3, 5, 7]);
		// The state was not one the pallet leaves (pools without their epochs closing): clean.
		for epoch in [3, 5, 7] {
			EpochPools::<Test>::remove(epoch);
		}
		OpenPools::<Test>::kill();
	});
}

#[test]
fn the_migration_to_version_2_moves_reward_entries_to_their_slots() {
	use crate::migrations::{v1, MigrateToV2};
	use frame_support::traits::{OnRuntimeUpgrade, StorageVersion};
	test(|| {
		let d = sp_core::H256::repeat_byte(1);
		set_epoch(CLAIM_WINDOW + 3);
		// Version 1's entries: one expired (epoch 1), two claimable.
		for (epoch, points) in [(1, 5), (CLAIM_WINDOW + 1, 6), (CLAIM_WINDOW + 2, 7)] {
			v1::DevicePoints::<Test>::insert(d, epoch, points);
		}
		StorageVersion::new(1).put::<Rewards>();
		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(Rewards::points_of(&d, CLAIM_WINDOW + 1), Some(6));
		assert_eq!(Rewards::points_of(&d, CLAIM_WINDOW + 2), Some(7));
		assert_eq!(Rewards::points_of(&d, 1), None, "expired, dropped");
		assert_eq!(crate::DevicePoints::<Test>::iter_prefix(d).count(), 2);
		// Not paid by any pool in this mock: remove them for the invariants.
		let _ = crate::DevicePoints::<Test>::clear_prefix(d, u32::MAX, None);
	});
}
