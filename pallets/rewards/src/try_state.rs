//! Invariants of the rewards pallet, checked after every test and by `try-runtime`.

use crate::{pallet::*, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use depin_primitives::{EpochIndex, EpochProvider};
use frame_support::{
	ensure,
	traits::{fungible::Inspect, Get},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the rewards pallet.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let current = T::Epochs::current_epoch();
		let oldest = current.saturating_sub(T::ClaimWindow::get());

		// Nothing owed exceeds what was recorded, and the pot holds everything owed.
		let mut owed = BalanceOf::<T>::zero();
		for (epoch, pool) in EpochPools::<T>::iter() {
			ensure!(pool.paid <= pool.pool, "an epoch pool paid out more than it held");
			ensure!(epoch < current && epoch >= oldest, "an epoch pool outside the claim window");
			owed = owed.saturating_add(pool.pool.saturating_sub(pool.paid));
		}
		ensure!(T::Currency::balance(&Self::pot()) >= owed, "the pot holds less than is owed");
		let open = OpenPools::<T>::get();
		ensure!(open.windows(2).all(|w| w[0] < w[1]), "OpenPools is not in ascending order");
		ensure!(
			open.len() == EpochPools::<T>::iter_keys().count()
				&& open.iter().all(EpochPools::<T>::contains_key),
			"OpenPools does not list exactly the epochs with a pool"
		);

		// Points of open epochs add up.
		let mut sums = BTreeMap::<EpochIndex, u128>::new();
		for (_, slot, (epoch, points)) in DevicePoints::<T>::iter() {
			ensure!(
				Self::slot(epoch) == slot,
				"a device's points are not under their epoch's slot"
			);
			if epoch >= current {
				*sums.entry(epoch).or_default() += u128::from(points);
			}
		}
		for (epoch, total) in EpochPoints::<T>::iter() {
			ensure!(epoch >= current, "points of a closed epoch were not taken at its close");
			ensure!(sums.remove(&epoch).unwrap_or_default() == total, "EpochPoints is wrong");
		}
		ensure!(sums.values().all(|s| *s == 0), "points of an open epoch are not counted");

		// What expired is part of what was minted.
		ensure!(TotalExpired::<T>::get() <= TotalEmitted::<T>::get(), "more expired than minted");
		ensure!(
			TotalEmitted::<T>::get() <= T::Currency::total_issuance(),
			"more minted than exists"
		);
		Ok(())
	}
}
