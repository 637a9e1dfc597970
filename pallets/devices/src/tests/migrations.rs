//! The storage-migration skeleton: the step to version 1 on this pallet's state (feature
//! `try-runtime`).

use crate::mock::*;

#[test]
fn the_migration_to_version_1_records_it_and_keeps_every_entry() {
	test(|| {
		assert_eq!(
			depin_primitives::migrations::check_initial_migration::<
				Devices,
				crate::migrations::MigrateToV1<Test>,
			>(),
			Ok(())
		);
	});
}

#[test]
fn the_migration_to_version_2_gives_every_class_the_terms_that_change_nothing() {
	use crate::{
		migrations::{v1, MigrateToV2},
		Classes,
	};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		// The class table as version 1 wrote it.
		let old = v1::ClassInfo::<u64, frame_support::traits::ConstU32<16>> {
			name: b"meter".to_vec().try_into().unwrap(),
			min_stake: 5,
			reward_weight: 7,
			owes: crate::OwedProofs { heartbeat: true, storage: false },
			open: true,
		};
		frame_support::storage::unhashed::put_raw(
			&Classes::<Test>::hashed_key_for(9),
			&old.encode(),
		);
		StorageVersion::new(1).put::<Devices>();
		// Every other class is rewritten as version 1 would hold it too.
		for (id, class) in Classes::<Test>::iter().filter(|(id, _)| *id != 9).collect::<Vec<_>>() {
			let old = v1::ClassInfo::<u64, frame_support::traits::ConstU32<16>> {
				name: class.name,
				min_stake: class.min_stake,
				reward_weight: class.reward_weight,
				owes: class.owes,
				open: class.open,
			};
			frame_support::storage::unhashed::put_raw(
				&Classes::<Test>::hashed_key_for(id),
				&old.encode(),
			);
		}

		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(Devices::on_chain_storage_version(), StorageVersion::new(2));
		let class = Classes::<Test>::get(9).expect("migrated");
		assert_eq!((class.min_stake, class.reward_weight, class.open), (5, 7, true));
		assert_eq!((class.min_data_chunks, class.telemetry.len(), class.since), (1, 0, 0));
		assert!(class.usage.is_none());
		// The classes the mock's genesis wrote (and its tests use) are whole again.
		assert!(Classes::<Test>::get(HOTSPOT).is_some());
		// Nobody would register in class 9 in this mock: remove it for the invariants.
		Classes::<Test>::remove(9);
	});
}

#[test]
fn the_migration_to_version_3_moves_every_owners_list_into_the_uncapped_index() {
	use crate::{
		migrations::{v2, MigrateToV3},
		OwnedDevices, OwnerDeviceCount,
	};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		// Devices registered, then the owner index rewritten as version 2 kept it: one list
		// per owner.
		let alice: Vec<_> = (1..=5u8).map(|seed| register(ALICE, &TestDevice::ed(seed))).collect();
		let bob = register(BOB, &TestDevice::ed(9));
		for (owner, ids) in [(ALICE, alice.clone()), (BOB, vec![bob])] {
			for id in &ids {
				OwnedDevices::<Test>::remove(owner, id);
			}
			OwnerDeviceCount::<Test>::remove(owner);
			v2::DevicesByOwner::<Test>::insert(owner, ids);
		}
		StorageVersion::new(2).put::<Devices>();
		assert!(Devices::do_try_state().is_err(), "the new index is empty before");

		// The migration with its pre- and post-upgrade checks.
		MigrateToV3::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(Devices::on_chain_storage_version(), StorageVersion::new(3));
		assert!(v2::DevicesByOwner::<Test>::iter().next().is_none(), "the old lists are gone");
		assert_eq!(OwnerDeviceCount::<Test>::get(ALICE), 5);
		let mut moved = Devices::devices_of(&ALICE, None, 100);
		moved.sort();
		let mut expected = alice;
		expected.sort();
		assert_eq!(moved, expected);
		assert_eq!(Devices::devices_of(&BOB, None, 100), vec![bob]);

		// Once at version 3, it does nothing.
		MigrateToV3::<Test>::on_runtime_upgrade();
		assert_eq!(OwnerDeviceCount::<Test>::get(ALICE), 5);
	});
}
