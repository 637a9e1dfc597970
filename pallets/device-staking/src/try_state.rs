//! Invariants of device staking, checked after every test and by `try-runtime`.
//!
//! They iterate over all ledgers and slashes, which is fine off chain and never done on chain.

use crate::{pallet::*, BalanceOf, OffenceRecord, PendingTotal};
use alloc::collections::btree_map::BTreeMap;
use depin_primitives::{DeviceId, DeviceRegistry};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of device staking.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_ledgers()?;
		Self::validate_holds_and_totals()?;
		Self::validate_pending_slashes()
	}

	/// Each ledger belongs to its device's owner (or, holding no bond, to the owner before a
	/// recovery), holds something and at least its pending slashes, and its chunks are
	/// non-zero, in ascending unlock order, without two for one epoch.
	fn validate_ledgers() -> Result<(), TryRuntimeError> {
		for (device, ledger) in Ledgers::<T>::iter() {
			ensure!(!ledger.is_empty(), "an empty ledger is stored");
			let summary = T::Devices::device(&device).ok_or("a ledger's device does not exist")?;
			ensure!(
				summary.owner == ledger.owner || ledger.bonded.is_zero(),
				"a ledger of another than its device's owner holds a bond"
			);
			let pending = PendingSlashTotals::<T>::get(device).map(|p| p.amount);
			ensure!(
				pending.is_none_or(|pending| pending <= ledger.total()),
				"pending slashes would take more than the ledger holds"
			);
			ensure!(ledger.unbonding.iter().all(|c| !c.value.is_zero()), "a zero unbonding chunk");
			ensure!(
				ledger.unbonding.windows(2).all(|w| w[0].unlock_epoch < w[1].unlock_epoch),
				"unbonding chunks are not in strictly ascending unlock order"
			);
		}
		Ok(())
	}

	/// Funds held for stake equal bonded plus unbonding, account by account, and the totals
	/// equal the sums over all ledgers.
	fn validate_holds_and_totals() -> Result<(), TryRuntimeError> {
		let mut per_owner = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let (mut bonded, mut unbonding) = (BalanceOf::<T>::zero(), BalanceOf::<T>::zero());
		for ledger in Ledgers::<T>::iter_values() {
			let held = per_owner.entry(ledger.owner.clone()).or_insert_with(Zero::zero);
			*held = held.saturating_add(ledger.total());
			bonded = bonded.saturating_add(ledger.bonded);
			unbonding = unbonding.saturating_add(ledger.unbonding_total());
		}
		for (owner, expected) in per_owner {
			let held = T::Currency::balance_on_hold(&HoldReason::DeviceStake.into(), &owner);
			ensure!(held == expected, "held stake differs from bonded plus unbonding");
		}
		ensure!(TotalBonded::<T>::get() == bonded, "TotalBonded is wrong");
		ensure!(TotalUnbonding::<T>::get() == unbonding, "TotalUnbonding is wrong");
		Ok(())
	}

	/// The per-device pending totals match the pending slashes, every pending slash was
	/// recorded as a reported offence, every slash id is below the next one, no offence record
	/// is older than the pruning cursor, and a device's pending slashes never take more than it
	/// holds when they were reported.
	fn validate_pending_slashes() -> Result<(), TryRuntimeError> {
		let mut totals = BTreeMap::<DeviceId, PendingTotal<BalanceOf<T>>>::new();
		let next = NextSlashId::<T>::get();
		for (id, slash) in PendingSlashes::<T>::iter() {
			ensure!(id < next, "a pending slash id is not below NextSlashId");
			ensure!(
				ReportedOffences::<T>::get(slash.offence_epoch, (slash.device, slash.kind))
					== Some(OffenceRecord { slash: Some(id) }),
				"a pending slash has no reported offence"
			);
			let total = totals.entry(slash.device).or_default();
			total.count += 1;
			total.amount = total.amount.saturating_add(slash.amount);
		}
		for (device, total) in PendingSlashTotals::<T>::iter() {
			ensure!(totals.remove(&device) == Some(total), "PendingSlashTotals is wrong");
		}
		ensure!(totals.is_empty(), "a pending slash is not counted");
		let pruned_to = OffencesPrunedTo::<T>::get();
		ensure!(
			ReportedOffences::<T>::iter_keys().all(|(epoch, _)| epoch >= pruned_to),
			"an offence record is older than the pruning cursor"
		);
		Ok(())
	}
}
