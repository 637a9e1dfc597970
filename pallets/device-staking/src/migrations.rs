//! Storage migrations of this pallet; see [`depin_primitives::migrations`] for how one is
//! written and shipped.

use crate::{pallet::*, OffenceRecord, PendingTotal};
use alloc::vec::Vec;
use depin_primitives::{migrations::InitialLayout, DeviceId, EpochIndex, OffenceKind, SlashId};
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{Get, UncheckedOnRuntimeUpgrade},
};
use sp_runtime::Saturating;

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

/// To version 2: slashes compose and offence records are pruned.
///
/// - `PendingSlashCount` (a count per device) becomes [`PendingSlashTotals`] (the count and
///   the amount the pending slashes will take), computed from [`PendingSlashes`].
/// - [`ReportedOffences`] was keyed by device, then (epoch, kind), to a slash id; it is keyed
///   by epoch, then (device, kind), to an [`OffenceRecord`], so that whole epochs can be
///   pruned.
///
/// Both maps hold only what is pending or recent (slashes wait [`Config::SlashDeferEpochs`]
/// epochs; offences are reportable for [`Config::OffenceWindow`] epochs), so the migration's
/// cost is bounded by the report traffic of a few days, not by the number of devices.
pub type MigrateToV2<T> = VersionedMigration<
	1,
	2,
	ComposeSlashesAndKeyOffencesByEpoch<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// The layout of version 1, read by the migration to version 2.
#[allow(missing_docs)]
pub mod v1 {
	use super::*;

	/// Number of pending slashes of each device.
	#[frame_support::storage_alias]
	pub type PendingSlashCount<T: Config> =
		StorageMap<Pallet<T>, Blake2_128Concat, DeviceId, u32, ValueQuery>;

	/// Offences already reported, by device, epoch and kind.
	#[frame_support::storage_alias]
	pub type ReportedOffences<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		DeviceId,
		Twox64Concat,
		(EpochIndex, OffenceKind),
		SlashId,
	>;
}

/// The translation of [`MigrateToV2`].
pub struct ComposeSlashesAndKeyOffencesByEpoch<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for ComposeSlashesAndKeyOffencesByEpoch<T> {
	fn on_runtime_upgrade() -> Weight {
		let counts = v1::PendingSlashCount::<T>::drain().count() as u64;
		let mut totals = alloc::collections::btree_map::BTreeMap::<
			DeviceId,
			PendingTotal<crate::BalanceOf<T>>,
		>::new();
		let mut slashes = 0u64;
		for slash in PendingSlashes::<T>::iter_values() {
			let total = totals.entry(slash.device).or_default();
			total.count = total.count.saturating_add(1);
			total.amount = total.amount.saturating_add(slash.amount);
			slashes += 1;
		}
		let written = totals.len() as u64;
		for (device, total) in totals {
			PendingSlashTotals::<T>::insert(device, total);
		}
		let offences: Vec<_> = v1::ReportedOffences::<T>::drain().collect();
		for (device, (epoch, kind), slash) in &offences {
			ReportedOffences::<T>::insert(
				epoch,
				(device, kind),
				OffenceRecord { slash: Some(*slash) },
			);
		}
		let moved = offences.len() as u64;
		T::DbWeight::get().reads_writes(counts + slashes + moved, counts + written + 2 * moved)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let offences: Vec<(DeviceId, (EpochIndex, OffenceKind), SlashId)> =
			v1::ReportedOffences::<T>::iter().collect();
		let pending = PendingSlashes::<T>::iter().count() as u32;
		Ok((offences, pending).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		type Snapshot = (Vec<(DeviceId, (EpochIndex, OffenceKind), SlashId)>, u32);
		let (offences, pending) = Snapshot::decode(&mut &before[..])
			.map_err(|_| "the snapshot taken before the upgrade does not decode")?;
		ensure!(v1::PendingSlashCount::<T>::iter().next().is_none(), "PendingSlashCount is left");
		ensure!(
			ReportedOffences::<T>::iter().count() == offences.len(),
			"an offence record was lost or added"
		);
		for (device, (epoch, kind), slash) in offences {
			ensure!(
				ReportedOffences::<T>::get(epoch, (device, kind))
					== Some(OffenceRecord { slash: Some(slash) }),
				"an offence record was not moved"
			);
		}
		let counted: u32 = PendingSlashTotals::<T>::iter_values().map(|t| t.count).sum();
		ensure!(counted == pending, "PendingSlashTotals does not count every pending slash");
		Pallet::<T>::do_try_state()
	}
}
