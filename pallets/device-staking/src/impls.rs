//! The work behind the calls, and stake and offences as other pallets see them.

use crate::{
	pallet::*, BalanceOf, LedgerOf, OffenceRecord, PendingSlash, PendingTotal, StakeLedger,
	UnbondingChunk, WeightInfo, LOG_TARGET, PRUNE_BATCH,
};
use depin_primitives::{
	DeviceId, DeviceRegistry, DeviceStatus, EpochIndex, EpochProvider, Offence, OnOffence, SlashId,
	StakeInfo,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, BalancedHold, Credit, MutateHold},
		tokens::Precision,
		Imbalance,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// Checks that `who` owns `device`; returns the device's status.
	fn ensure_owner(who: &T::AccountId, device: &DeviceId) -> Result<DeviceStatus, Error<T>> {
		let summary = T::Devices::device(device).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(&summary.owner == who, Error::<T>::NotOwner);
		Ok(summary.status)
	}

	/// The ledger of `device`, which `who` must own, as must their funds in it.
	fn owned_ledger(who: &T::AccountId, device: &DeviceId) -> Result<LedgerOf<T>, Error<T>> {
		Self::ensure_owner(who, device)?;
		let ledger = Ledgers::<T>::get(device).ok_or(Error::<T>::InsufficientBond)?;
		ensure!(&ledger.owner == who, Error::<T>::PreviousOwnerStake);
		Ok(ledger)
	}

	/// The ledger `who` bonds into: theirs, a new one, or a new one once the previous owner's
	/// (after a recovery) has fully unlocked, which is then released to them.
	fn ledger_to_bond(who: &T::AccountId, device: &DeviceId) -> Result<LedgerOf<T>, DispatchError> {
		let Some(ledger) = Ledgers::<T>::get(device) else {
			return Ok(StakeLedger::new(who.clone()));
		};
		if &ledger.owner == who {
			return Ok(ledger);
		}
		let now = T::Epochs::current_epoch();
		ensure!(
			ledger.bonded.is_zero()
				&& ledger.unbonding.iter().all(|chunk| chunk.unlock_epoch <= now)
				&& !PendingSlashTotals::<T>::contains_key(device),
			Error::<T>::PreviousOwnerStake
		);
		let amount = ledger.unbonding_total();
		T::Currency::release(
			&HoldReason::DeviceStake.into(),
			&ledger.owner,
			amount,
			Precision::Exact,
		)?;
		TotalUnbonding::<T>::mutate(|total| *total = total.saturating_sub(amount));
		Self::deposit_event(Event::Withdrawn { device: *device, owner: ledger.owner, amount });
		Ok(StakeLedger::new(who.clone()))
	}

	/// Stores `ledger`, or removes it once it holds nothing.
	fn store(device: &DeviceId, ledger: LedgerOf<T>) {
		if ledger.is_empty() {
			Ledgers::<T>::remove(device);
		} else {
			Ledgers::<T>::insert(device, ledger);
		}
	}

	/// Bonds funds; checks everything but the origin.
	pub fn do_bond(who: T::AccountId, device: DeviceId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let status = Self::ensure_owner(&who, &device)?;
		ensure!(status != DeviceStatus::Retired, Error::<T>::DeviceRetired);
		let mut ledger = Self::ledger_to_bond(&who, &device)?;

		T::Currency::hold(&HoldReason::DeviceStake.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		ledger.bonded = ledger.bonded.saturating_add(amount);
		Ledgers::<T>::insert(device, ledger);
		TotalBonded::<T>::mutate(|total| *total = total.saturating_add(amount));

		Self::deposit_event(Event::Bonded { device, owner: who, amount });
		Ok(())
	}

	/// Starts unbonding; checks everything but the origin.
	pub fn do_unbond(who: T::AccountId, device: DeviceId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut ledger = Self::owned_ledger(&who, &device)?;
		ensure!(ledger.bonded >= amount, Error::<T>::InsufficientBond);

		let unlock_epoch = T::Epochs::current_epoch().saturating_add(T::UnbondingEpochs::get());
		match ledger.unbonding.last_mut() {
			Some(last) if last.unlock_epoch == unlock_epoch => {
				last.value = last.value.saturating_add(amount)
			},
			_ => ledger
				.unbonding
				.try_push(UnbondingChunk { value: amount, unlock_epoch })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
		}
		ledger.bonded = ledger.bonded.saturating_sub(amount);
		Ledgers::<T>::insert(device, ledger);
		TotalBonded::<T>::mutate(|total| *total = total.saturating_sub(amount));
		TotalUnbonding::<T>::mutate(|total| *total = total.saturating_add(amount));

		Self::deposit_event(Event::Unbonded { device, amount, unlock_epoch });
		Ok(())
	}

	/// Releases unlocked chunks to whoever they belong to: the device's owner, or its previous
	/// owner after a recovery; checks everything but the origin.
	pub fn do_withdraw(who: T::AccountId, device: DeviceId) -> DispatchResult {
		ensure!(T::Devices::device(&device).is_some(), Error::<T>::DeviceNotFound);
		let mut ledger = Ledgers::<T>::get(device).ok_or(Error::<T>::NothingToWithdraw)?;
		ensure!(ledger.owner == who, Error::<T>::NotOwner);
		ensure!(!PendingSlashTotals::<T>::contains_key(device), Error::<T>::SlashPending);

		let now = T::Epochs::current_epoch();
		let mut amount = BalanceOf::<T>::zero();
		ledger.unbonding.retain(|chunk| {
			let unlocked = chunk.unlock_epoch <= now;
			if unlocked {
				amount = amount.saturating_add(chunk.value);
			}
			!unlocked
		});
		ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);

		T::Currency::release(
			&HoldReason::DeviceStake.into(),
			&ledger.owner,
			amount,
			Precision::Exact,
		)?;
		Self::store(&device, ledger);
		TotalUnbonding::<T>::mutate(|total| *total = total.saturating_sub(amount));

		Self::deposit_event(Event::Withdrawn { device, owner: who, amount });
		Ok(())
	}

	/// Records an offence, and the pending slash it earns: `fraction` of what the device has
	/// left after the slashes already pending against it (slashes compose). Returns the
	/// slash's id, or `None` if there is nothing left to slash (the offence is recorded all
	/// the same, so that it is never reported twice).
	pub fn do_report_offence(
		offence: Offence<T::AccountId>,
	) -> Result<Option<SlashId>, DispatchError> {
		let Offence { device, kind, fraction, reporter, epoch } = offence;
		ensure!(!fraction.is_zero(), Error::<T>::ZeroFraction);
		ensure!(T::Devices::device(&device).is_some(), Error::<T>::DeviceNotFound);
		let current = T::Epochs::current_epoch();
		ensure!(epoch <= current, Error::<T>::OffenceInFuture);
		ensure!(
			epoch.saturating_add(T::OffenceWindow::get()) >= current,
			Error::<T>::OffenceTooOld
		);
		ensure!(
			!ReportedOffences::<T>::contains_key(epoch, (device, kind)),
			Error::<T>::DuplicateOffence
		);
		let stake = Ledgers::<T>::get(device).map(|l| l.total()).unwrap_or_default();
		let mut pending = PendingSlashTotals::<T>::get(device).unwrap_or_default();
		let amount = fraction * stake.saturating_sub(pending.amount);
		if amount.is_zero() {
			ReportedOffences::<T>::insert(epoch, (device, kind), OffenceRecord { slash: None });
			Self::deposit_event(Event::OffenceRecorded { device, reason: kind, epoch });
			return Ok(None);
		}

		let slash_id = NextSlashId::<T>::get();
		NextSlashId::<T>::put(slash_id.checked_add(1).ok_or(Error::<T>::SlashIdOverflow)?);
		let apply_at = current.saturating_add(T::SlashDeferEpochs::get());
		PendingSlashes::<T>::insert(
			slash_id,
			PendingSlash { device, amount, kind, reporter, offence_epoch: epoch, apply_at },
		);
		pending.count = pending.count.saturating_add(1);
		pending.amount = pending.amount.saturating_add(amount);
		PendingSlashTotals::<T>::insert(device, pending);
		ReportedOffences::<T>::insert(
			epoch,
			(device, kind),
			OffenceRecord { slash: Some(slash_id) },
		);

		log::info!(target: LOG_TARGET, "slash {slash_id} of {amount:?} reported against {device:?}: {kind:?}");
		Self::deposit_event(Event::SlashReported {
			slash_id,
			device,
			amount,
			reason: kind,
			apply_at,
		});
		Ok(Some(slash_id))
	}

	fn take_pending(slash_id: SlashId) -> Result<crate::PendingSlashOf<T>, Error<T>> {
		let slash = PendingSlashes::<T>::take(slash_id).ok_or(Error::<T>::SlashNotFound)?;
		PendingSlashTotals::<T>::mutate_exists(slash.device, |total| {
			*total = total
				.map(|t| PendingTotal {
					count: t.count.saturating_sub(1),
					amount: t.amount.saturating_sub(slash.amount),
				})
				.filter(|t| t.count > 0);
		});
		Ok(slash)
	}

	/// The first epoch whose offences are still reportable.
	fn oldest_reportable() -> EpochIndex {
		T::Epochs::current_epoch().saturating_sub(T::OffenceWindow::get())
	}

	/// Removes the records of offences whose epoch left the report window, within `remaining`
	/// weight: at most [`PRUNE_BATCH`] entries per call, one epoch at a time, resuming where
	/// the last call stopped. Returns the weight used.
	pub fn prune_offences(remaining: Weight) -> Weight {
		let step = T::WeightInfo::prune_offences(PRUNE_BATCH);
		let mut used = T::DbWeight::get().reads(1);
		let oldest = Self::oldest_reportable();
		let mut epoch = OffencesPrunedTo::<T>::get();
		let start = epoch;
		while epoch < oldest && used.saturating_add(step).all_lte(remaining) {
			used = used.saturating_add(step);
			let result = ReportedOffences::<T>::clear_prefix(epoch, PRUNE_BATCH, None);
			if result.maybe_cursor.is_some() {
				break;
			}
			epoch = epoch.saturating_add(1);
		}
		if epoch != start {
			OffencesPrunedTo::<T>::put(epoch);
			used = used.saturating_add(T::DbWeight::get().writes(1));
		}
		used
	}

	/// Starts unbonding everything bonded behind `device` for its ledger's owner (recovery: the
	/// device changes hands), as if they had unbonded it: it stays slashable until it unlocks,
	/// and is theirs to withdraw then. Returns what started unbonding.
	pub fn do_unbond_for_recovery(device: &DeviceId) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut ledger) = Ledgers::<T>::get(device) else { return Ok(Zero::zero()) };
		let amount = ledger.bonded;
		if amount.is_zero() {
			return Ok(amount);
		}
		let unlock_epoch = T::Epochs::current_epoch().saturating_add(T::UnbondingEpochs::get());
		match ledger.unbonding.last_mut() {
			Some(last) if last.unlock_epoch == unlock_epoch => {
				last.value = last.value.saturating_add(amount)
			},
			_ => ledger
				.unbonding
				.try_push(UnbondingChunk { value: amount, unlock_epoch })
				.map_err(|_| Error::<T>::TooManyUnbondingChunks)?,
		}
		ledger.bonded = Zero::zero();
		let owner = ledger.owner.clone();
		Ledgers::<T>::insert(device, ledger);
		TotalBonded::<T>::mutate(|total| *total = total.saturating_sub(amount));
		TotalUnbonding::<T>::mutate(|total| *total = total.saturating_add(amount));
		Self::deposit_event(Event::Unbonded { device: *device, amount, unlock_epoch });
		log::info!(target: LOG_TARGET, "{device:?} recovered: {owner:?}'s bond of {amount:?} unbonds");
		Ok(amount)
	}

	/// Cancels a pending slash; checks everything but the origin.
	pub fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		Self::take_pending(slash_id)?;
		Self::deposit_event(Event::SlashCancelled { slash_id });
		Ok(())
	}

	/// Applies a due slash: takes the stake, pays the reporter and the treasury.
	pub fn do_apply_slash(slash_id: SlashId) -> DispatchResult {
		let slash = PendingSlashes::<T>::get(slash_id).ok_or(Error::<T>::SlashNotFound)?;
		ensure!(T::Epochs::current_epoch() >= slash.apply_at, Error::<T>::SlashNotDue);
		let slash = Self::take_pending(slash_id)?;
		let device = slash.device;

		// The stake may have shrunk since the report (an earlier slash): take what is left.
		let (taken, reporter_reward) = match Ledgers::<T>::get(device) {
			Some(mut ledger) => {
				let (from_bond, from_unbonding) = ledger.take(slash.amount);
				let taken = from_bond.saturating_add(from_unbonding);
				let (credit, _not_slashed) =
					T::Currency::slash(&HoldReason::DeviceStake.into(), &ledger.owner, taken);
				TotalBonded::<T>::mutate(|total| *total = total.saturating_sub(from_bond));
				TotalUnbonding::<T>::mutate(|total| *total = total.saturating_sub(from_unbonding));
				Self::store(&device, ledger);
				let reward = Self::pay_out(credit, slash.reporter.as_ref());
				(taken, reward)
			},
			None => (Zero::zero(), Zero::zero()),
		};

		log::info!(target: LOG_TARGET, "slash {slash_id} applied to {device:?}: {taken:?}");
		Self::deposit_event(Event::Slashed { slash_id, device, amount: taken, reporter_reward });
		Ok(())
	}

	/// Pays [`Config::ReporterShare`] of `credit` to `reporter` and the rest to the treasury;
	/// what neither can receive (an account below the existential deposit) is burned. Returns
	/// what the reporter received.
	fn pay_out(
		credit: Credit<T::AccountId, T::Currency>,
		reporter: Option<&T::AccountId>,
	) -> BalanceOf<T> {
		let mut reward = Zero::zero();
		let mut rest = credit;
		if let Some(reporter) = reporter {
			let share = T::ReporterShare::get() * rest.peek();
			let (to_reporter, remainder) = rest.split(share);
			rest = remainder;
			match T::Currency::resolve(reporter, to_reporter) {
				Ok(()) => reward = share,
				Err(unpaid) => rest = rest.merge(unpaid),
			}
		}
		// Dropping a credit the treasury cannot take burns it.
		let _ = T::Currency::resolve(&T::Treasury::get(), rest);
		reward
	}
}

impl<T: Config> StakeInfo<BalanceOf<T>> for Pallet<T> {
	fn bonded(device: &DeviceId) -> BalanceOf<T> {
		Ledgers::<T>::get(device).map(|l| l.bonded).unwrap_or_default()
	}

	fn unbonding(device: &DeviceId) -> BalanceOf<T> {
		Ledgers::<T>::get(device).map(|l| l.unbonding_total()).unwrap_or_default()
	}

	fn is_eligible(device: &DeviceId) -> bool {
		let Some(summary) = T::Devices::device(device) else { return false };
		let Some(terms) = T::Devices::class_terms(summary.class) else { return false };
		summary.status.is_active() && Self::bonded(device) >= terms.min_stake
	}

	fn unbond_for_recovery(device: &DeviceId) -> Result<BalanceOf<T>, DispatchError> {
		Self::do_unbond_for_recovery(device)
	}

	fn unbond_for_recovery_weight() -> Weight {
		T::WeightInfo::unbond_for_recovery()
	}
}

impl<T: Config> OnOffence<T::AccountId> for Pallet<T> {
	fn on_offence(offence: Offence<T::AccountId>) -> Result<Option<SlashId>, DispatchError> {
		Self::do_report_offence(offence)
	}
}
