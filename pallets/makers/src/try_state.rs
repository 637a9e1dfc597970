//! Invariants of the makers' registry, checked after every test and by `try-runtime`.
//!
//! They iterate over all makers and attestations, which is fine off chain and never done on
//! chain.

use crate::{pallet::*, BalanceOf, HoldReason};
use alloc::collections::btree_map::BTreeMap;
use depin_primitives::attestation::MakerId;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the makers' registry.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextMakerId::<T>::get();
		for (id, maker) in Makers::<T>::iter() {
			ensure!(id < next, "a maker's id is not below NextMakerId");
			ensure!(
				!maker.roots.is_empty() || maker.compact_key.is_some(),
				"a maker has no attestation key"
			);
			ensure!(
				maker
					.compact_key
					.is_none_or(|key| KeyOwners::<T>::get(key.device_id().0) == Some(id)),
				"a maker's compact key is not indexed as its own"
			);
		}
		let mut records = BTreeMap::<MakerId, u32>::new();
		let mut deposits = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for record in Attestations::<T>::iter_values() {
			ensure!(!record.serials.is_empty(), "an attestation records no serial number");
			*records.entry(record.maker).or_default() += 1;
			let held = deposits.entry(record.depositor).or_default();
			*held = held.saturating_add(record.deposit);
		}
		for (id, maker) in Makers::<T>::iter() {
			let count = records.remove(&id).unwrap_or_default();
			ensure!(count == maker.onboarded, "a maker's count differs from its attested devices");
		}
		ensure!(records.is_empty(), "an attestation names an unknown maker");
		for (_, maker) in KeyOwners::<T>::iter() {
			ensure!(Makers::<T>::contains_key(maker), "a key of an unknown maker");
		}
		for (maker, _) in MakerRevocations::<T>::iter() {
			ensure!(Makers::<T>::contains_key(maker), "a revocation of an unknown maker");
		}
		for (account, expected) in deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::Onboarding.into(), &account);
			ensure!(held == expected, "onboarding deposits held differ from the records'");
		}
		for (maker, _, _) in RevokedCertificates::<T>::iter() {
			ensure!(Makers::<T>::contains_key(maker), "a revoked certificate of an unknown maker");
		}
		Ok(())
	}
}
