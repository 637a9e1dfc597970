//! The storage-migration skeleton: the step to version 1 on this pallet's state (feature
//! `try-runtime`).

use crate::mock::*;

#[test]
fn the_migration_to_version_1_records_it_and_keeps_every_entry() {
	test(|| {
		assert_eq!(
			depin_primitives::migrations::check_initial_migration::<
				DeviceStaking,
				crate::migrations::MigrateToV1<Test>,
			>(),
			Ok(())
		);
	});
}

#[test]
fn the_migration_to_version_2_totals_pending_slashes_and_keys_offences_by_epoch() {
	use crate::{
		migrations::{v1, MigrateToV2},
		OffenceRecord, PendingSlashTotals, PendingTotal, ReportedOffences,
	};
	use depin_primitives::{Offence, OffenceKind, OnOffence};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use sp_runtime::Perbill;

	test(|| {
		let id = device(ALICE, 1);
		frame_support::assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 1_000));
		let report = |kind| Offence {
			device: id,
			kind,
			fraction: Perbill::from_percent(10),
			reporter: None,
			epoch: 0,
		};
		let first = DeviceStaking::on_offence(report(OffenceKind::Equivocation)).unwrap().unwrap();
		let second = DeviceStaking::on_offence(report(OffenceKind::InvalidProof)).unwrap().unwrap();
		// The same state as version 1 wrote it.
		PendingSlashTotals::<Test>::remove(id);
		v1::PendingSlashCount::<Test>::insert(id, 2);
		let _ = ReportedOffences::<Test>::clear(u32::MAX, None);
		v1::ReportedOffences::<Test>::insert(id, (0, OffenceKind::Equivocation), first);
		v1::ReportedOffences::<Test>::insert(id, (0, OffenceKind::InvalidProof), second);
		StorageVersion::new(1).put::<DeviceStaking>();

		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("the migration and its checks");
		assert_eq!(DeviceStaking::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(
			PendingSlashTotals::<Test>::get(id),
			Some(PendingTotal { count: 2, amount: 100 + 90 })
		);
		assert_eq!(
			ReportedOffences::<Test>::get(0, (id, OffenceKind::InvalidProof)),
			Some(OffenceRecord { slash: Some(second) })
		);
		// A second run does nothing.
		MigrateToV2::<Test>::try_on_runtime_upgrade(true).expect("a no-op");
	});
}
