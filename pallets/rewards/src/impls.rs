//! The work behind the calls and hooks: closing epochs, claims, points and authors.

use crate::{
	pallet::*, BalanceOf, EmissionParams, EpochEmission, EpochPool, WeightInfo, LOG_TARGET,
};
use depin_primitives::{DeviceId, DeviceRegistry, EpochIndex, EpochProvider, Points, RewardPoints};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		Get,
	},
};
use sp_runtime::{
	traits::{AccountIdConversion, SaturatedConversion, Saturating, Zero},
	DispatchResult, Perbill,
};

/// Most yearly decay steps one epoch close applies (normally one, at a year boundary).
const MAX_DECAY_STEPS: u32 = 16;

impl<T: Config> Pallet<T> {
	/// The pot account that holds device pools until they are claimed.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The year of `epoch` under `params`.
	pub fn year_of(epoch: EpochIndex, params: &EmissionParams<BalanceOf<T>>) -> u32 {
		epoch / params.epochs_per_year.max(1)
	}

	/// Checks what an emission schedule must satisfy.
	pub fn ensure_valid(params: &EmissionParams<BalanceOf<T>>) -> DispatchResult {
		ensure!(params.epochs_per_year > 0, Error::<T>::ZeroEpochsPerYear);
		ensure!(
			params.device_share.deconstruct().saturating_add(params.validator_share.deconstruct())
				<= Perbill::one().deconstruct(),
			Error::<T>::SharesAboveOne
		);
		Ok(())
	}

	/// One year of decay: `⌊amount × (1 − decay)⌋`.
	pub fn decayed(amount: BalanceOf<T>, decay: Perbill) -> BalanceOf<T> {
		(Perbill::one().saturating_sub(decay)).mul_floor(amount)
	}

	/// Brings the schedule to the year of `epoch` and returns that year's per-epoch emission.
	pub fn scheduled_emission_for(epoch: EpochIndex) -> Option<BalanceOf<T>> {
		let mut params = Emission::<T>::get()?;
		let target = Self::year_of(epoch, &params);
		let mut year = EmissionYear::<T>::get();
		let mut steps = 0;
		while year < target && steps < MAX_DECAY_STEPS {
			params.epoch_emission = Self::decayed(params.epoch_emission, params.yearly_decay);
			year = year.saturating_add(1);
			steps += 1;
		}
		if steps > 0 {
			Emission::<T>::put(params);
			EmissionYear::<T>::put(year);
		}
		Some(params.epoch_emission)
	}

	/// How `emission` splits, given the epoch's points and authored blocks: shares rounded
	/// down; an empty pool and all dust go to the treasury.
	pub fn split(
		emission: BalanceOf<T>,
		params: &EmissionParams<BalanceOf<T>>,
		points: u128,
		blocks: u32,
	) -> EpochEmission<BalanceOf<T>> {
		let devices =
			if points == 0 { Zero::zero() } else { params.device_share.mul_floor(emission) };
		let validators =
			if blocks == 0 { Zero::zero() } else { params.validator_share.mul_floor(emission) };
		let treasury = emission.saturating_sub(devices).saturating_sub(validators);
		EpochEmission { total: emission, devices, validators, treasury }
	}

	/// Mints `amount` into `who`, or into the treasury if `who` cannot receive it (an account
	/// that does not exist and would stay below the existential deposit).
	fn mint_or_treasury(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return Zero::zero();
		}
		match T::Currency::mint_into(who, amount) {
			Ok(minted) => minted,
			Err(_) => T::Currency::mint_into(&T::Treasury::get(), amount).unwrap_or_default(),
		}
	}

	/// Closes `epoch`: mints its emission (cut to the cap), pays validators by blocks
	/// authored, records the device pool, and expires the pool that leaves the claim window.
	/// Bounded by the number of authors, never by devices.
	pub fn close_epoch(epoch: EpochIndex) {
		Self::expire(epoch);
		let points = EpochPoints::<T>::take(epoch);
		let authors = AuthoredBlocks::<T>::take();
		let minted = match (Emission::<T>::get(), Self::scheduled_emission_for(epoch)) {
			(Some(params), Some(scheduled)) => {
				let headroom = params.cap.saturating_sub(T::Currency::total_issuance());
				let emission = scheduled.min(headroom);
				let blocks = authors.iter().fold(0u32, |sum, (_, b)| sum.saturating_add(*b));
				// An epoch closing after a halt longer than the claim window could never be
				// claimed: its device share goes to the treasury, as an epoch without points'.
				let claimable = if epoch >= Self::oldest_claimable() { points } else { 0 };
				let split = Self::split(emission, &params, claimable, blocks);
				Self::pay(epoch, split, points, &authors, blocks)
			},
			_ => Zero::zero(),
		};
		LastClosedEpoch::<T>::put((epoch, points, minted));
		log::debug!(target: LOG_TARGET, "epoch {epoch} closed: {points} points, {minted:?} minted");
		Self::deposit_event(Event::EpochClosed { epoch, points, emission: minted });
	}

	/// Mints an epoch's split; returns what was minted.
	fn pay(
		epoch: EpochIndex,
		split: EpochEmission<BalanceOf<T>>,
		points: u128,
		authors: &[(T::AccountId, u32)],
		blocks: u32,
	) -> BalanceOf<T> {
		let mut to_treasury = split.treasury;
		let mut minted = BalanceOf::<T>::zero();

		let mut paid_validators = BalanceOf::<T>::zero();
		if blocks > 0 {
			for (author, authored) in authors {
				let share =
					Self::pro_rata(split.validators, u128::from(*authored), u128::from(blocks));
				paid_validators = paid_validators.saturating_add(share);
				minted = minted.saturating_add(Self::mint_or_treasury(author, share));
			}
		}
		to_treasury = to_treasury.saturating_add(split.validators.saturating_sub(paid_validators));

		if !split.devices.is_zero() {
			match T::Currency::mint_into(&Self::pot(), split.devices) {
				Ok(pool) => {
					minted = minted.saturating_add(pool);
					EpochPools::<T>::insert(epoch, EpochPool { pool, points, paid: Zero::zero() });
					// `expire` ran first and left at most `ClaimWindow` pools listed.
					OpenPools::<T>::mutate(|open| {
						if open.try_push(epoch).is_err() {
							log::error!(target: LOG_TARGET, "OpenPools is full at {epoch}");
						}
					});
				},
				Err(_) => to_treasury = to_treasury.saturating_add(split.devices),
			}
		}

		minted = minted.saturating_add(Self::mint_or_treasury(&T::Treasury::get(), to_treasury));
		TotalEmitted::<T>::mutate(|total| *total = total.saturating_add(minted));
		minted
	}

	/// Sends what is left of the pools leaving the claim window at the close of `closed` to
	/// the treasury: those of epochs up to `closed − ClaimWindow`. Usually one; after epochs
	/// without blocks, possibly none or several, at most the `ClaimWindow + 1` listed in
	/// [`OpenPools`].
	fn expire(closed: EpochIndex) {
		let Some(last_expired) = closed.checked_sub(T::ClaimWindow::get()) else { return };
		let mut open = OpenPools::<T>::get().into_inner();
		let expiring = open.iter().take_while(|epoch| **epoch <= last_expired).count();
		if expiring == 0 {
			return;
		}
		let expired: alloc::vec::Vec<EpochIndex> = open.drain(..expiring).collect();
		OpenPools::<T>::put(frame_support::BoundedVec::truncate_from(open));
		for epoch in expired {
			let Some(pool) = EpochPools::<T>::take(epoch) else { continue };
			let left = pool.pool.saturating_sub(pool.paid);
			if left.is_zero() {
				continue;
			}
			match T::Currency::transfer(
				&Self::pot(),
				&T::Treasury::get(),
				left,
				Preservation::Expendable,
			) {
				Ok(moved) => {
					TotalExpired::<T>::mutate(|total| *total = total.saturating_add(moved));
					Self::deposit_event(Event::RewardsExpired { epoch, amount: moved });
				},
				// Only a broken invariant (the pot holding less than it owes) gets here: the
				// amount stays in the pot, and the failure is reported, not swallowed.
				Err(error) => {
					log::error!(
						target: LOG_TARGET,
						"expired rewards of epoch {epoch} ({left:?}) not moved to the treasury: {error:?}"
					);
					Self::deposit_event(Event::ExpiryFailed { epoch, amount: left, error });
				},
			}
		}
	}

	/// The slot of `epoch`'s entries in [`DevicePoints`]: `epoch mod (ClaimWindow + 1)`.
	pub fn slot(epoch: EpochIndex) -> u32 {
		epoch % T::ClaimWindow::get().saturating_add(1).max(1)
	}

	/// The points `device` earned in `epoch`, while its entry is kept.
	pub fn points_of(device: &DeviceId, epoch: EpochIndex) -> Option<Points> {
		DevicePoints::<T>::get(device, Self::slot(epoch))
			.filter(|(of, _)| *of == epoch)
			.map(|(_, points)| points)
	}

	/// The oldest epoch whose rewards can still be claimed.
	fn oldest_claimable() -> EpochIndex {
		T::Epochs::current_epoch().saturating_sub(T::ClaimWindow::get())
	}

	/// `amount × part / whole`, rounded down (zero for an empty whole).
	pub fn pro_rata(amount: BalanceOf<T>, part: u128, whole: u128) -> BalanceOf<T> {
		if whole == 0 {
			return Zero::zero();
		}
		sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			amount.saturated_into::<u128>(),
			part,
			whole,
			sp_runtime::Rounding::Down,
		)
		.unwrap_or_default()
		.saturated_into()
	}

	/// `points`' share of an epoch's pool, rounded down.
	fn share_of(pool: &EpochPool<BalanceOf<T>>, points: Points) -> BalanceOf<T> {
		Self::pro_rata(pool.pool, u128::from(points), pool.points)
	}

	/// Pays a device's owner; checks everything but the origin.
	pub fn do_claim(device: DeviceId) -> DispatchResult {
		Self::settle(device, T::MaxClaimEpochs::get())
	}

	/// Pays `device`'s owner for the closed epochs among up to `limit` of its entries, and
	/// drops those entries (expired ones too).
	fn settle(device: DeviceId, limit: u32) -> DispatchResult {
		let owner = T::Devices::device(&device).ok_or(Error::<T>::DeviceNotFound)?.owner;
		let current = T::Epochs::current_epoch();
		let oldest = Self::oldest_claimable();
		let entries: alloc::vec::Vec<(u32, (EpochIndex, Points))> =
			DevicePoints::<T>::iter_prefix(device).take(limit as usize).collect();

		let (mut amount, mut epochs, mut dropped) = (BalanceOf::<T>::zero(), 0u32, 0u32);
		for (slot, (epoch, points)) in entries {
			if epoch >= current {
				continue;
			}
			DevicePoints::<T>::remove(device, slot);
			// An expired entry, or one of an epoch that minted no device pool: nothing to pay,
			// but dropping it is progress (a later claim reaches the payable entries).
			let Some(mut pool) = EpochPools::<T>::get(epoch).filter(|_| epoch >= oldest) else {
				dropped = dropped.saturating_add(1);
				continue;
			};
			let share = Self::share_of(&pool, points);
			pool.paid = pool.paid.saturating_add(share);
			EpochPools::<T>::insert(epoch, pool);
			amount = amount.saturating_add(share);
			epochs = epochs.saturating_add(1);
		}
		ensure!(epochs > 0 || dropped > 0, Error::<T>::NothingToClaim);

		if !amount.is_zero() {
			T::Currency::transfer(&Self::pot(), &owner, amount, Preservation::Expendable)?;
		}
		Self::deposit_event(Event::RewardsClaimed { device, owner, amount, epochs });
		Ok(())
	}

	/// What `device` could claim now, and for how many epochs (all of its claimable entries,
	/// not only the first `MaxClaimEpochs`).
	pub fn pending_rewards(device: &DeviceId) -> (BalanceOf<T>, u32) {
		let current = T::Epochs::current_epoch();
		let oldest = Self::oldest_claimable();
		DevicePoints::<T>::iter_prefix_values(device)
			.filter(|(epoch, _)| *epoch < current && *epoch >= oldest)
			.filter_map(|(epoch, points)| {
				EpochPools::<T>::get(epoch).map(|pool| Self::share_of(&pool, points))
			})
			.fold((Zero::zero(), 0), |(sum, n), share| (sum.saturating_add(share), n + 1))
	}

	/// Counts a block for its author.
	fn note_block_author(author: T::AccountId) {
		AuthoredBlocks::<T>::mutate(|authors| {
			if let Some((_, blocks)) = authors.iter_mut().find(|(a, _)| *a == author) {
				*blocks = blocks.saturating_add(1);
			} else if authors.try_push((author, 1)).is_err() {
				log::warn!(target: LOG_TARGET, "more block authors than MaxAuthors this epoch");
			}
		});
	}
}

impl<T: Config> RewardPoints for Pallet<T> {
	fn note_points(device: &DeviceId, epoch: EpochIndex, points: Points) -> DispatchResult {
		// The slot's entry of another epoch is `ClaimWindow + 1` (or more) epochs old: expired,
		// it can never be paid (what it was owed expires to the treasury with its pool).
		DevicePoints::<T>::mutate(device, Self::slot(epoch), |entry| {
			let earned = entry.filter(|(of, _)| *of == epoch).map_or(0, |(_, p)| p);
			*entry = Some((epoch, earned.saturating_add(points)));
		});
		EpochPoints::<T>::mutate(epoch, |total| *total = total.saturating_add(u128::from(points)));
		Ok(())
	}

	fn on_epoch_closed(epoch: EpochIndex) {
		Self::close_epoch(epoch);
	}

	fn epoch_close_weight() -> Weight {
		T::WeightInfo::close_epoch(T::MaxAuthors::get())
	}
}

impl<T: Config, N> pallet_authorship::EventHandler<T::AccountId, N> for Pallet<T> {
	fn note_author(author: T::AccountId) {
		Self::note_block_author(author);
	}
}

/// A retiring device's owner is paid its unclaimed rewards (as by a claim, with its event),
/// then its reward entries (at most `ClaimWindow + 1`) are dropped.
impl<T: Config> depin_primitives::OnDeviceRetired for Pallet<T> {
	fn on_retired(device: &DeviceId) -> DispatchResult {
		if Self::pending_rewards(device).1 > 0 {
			Self::settle(*device, T::ClaimWindow::get().saturating_add(1))?;
		}
		// What is left: points of the epoch still open, which leave its total too (a retiring
		// device has none in practice: it earns nothing while unbonded, and it must be
		// unbonded to retire), and entries `settle` dropped nothing of.
		let current = T::Epochs::current_epoch();
		for (epoch, points) in DevicePoints::<T>::drain_prefix(device).map(|(_, entry)| entry) {
			if epoch >= current {
				EpochPoints::<T>::mutate(epoch, |total| {
					*total = total.saturating_sub(u128::from(points))
				});
			}
		}
		Ok(())
	}

	fn retire_weight() -> Weight {
		// A claim of every entry (a device holds at most `ClaimWindow + 1`), then the sweep of
		// what is left.
		let entries = T::ClaimWindow::get().saturating_add(1);
		T::WeightInfo::claim_rewards(entries)
			.saturating_add(T::DbWeight::get().reads_writes(u64::from(entries), u64::from(entries)))
	}
}
