//! Benchmarks of the rewards pallet. A claim is measured at its bound of epochs, and again with
//! up to 100,000 other devices' points in state, to show its cost does not depend on them; an
//! epoch close with the most block authors and an expiring pool, and again with up to 100,000
//! devices' points in the closing epoch.

use super::*;
use crate::pallet::{AuthoredBlocks, DevicePoints, EpochPoints, EpochPools, Pallet as Rewards};
use alloc::vec::Vec;
use depin_primitives::{EpochProvider, RewardPoints};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	Perbill,
};

/// `n` existential deposits: amounts large enough that every payment creates its account.
fn eds<T: Config>(n: u32) -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(n.into()).max(n.into())
}

/// Sets a schedule that mints in every epoch, large enough that each of the most block authors
/// gets at least an existential deposit (so each payment is a real account write).
fn schedule<T: Config>() {
	Emission::<T>::put(EmissionParams {
		epoch_emission: eds::<T>(1_000_000),
		yearly_decay: Perbill::from_percent(15),
		epochs_per_year: 1_000,
		cap: BalanceOf::<T>::max_value(),
		device_share: Perbill::from_percent(70),
		validator_share: Perbill::from_percent(10),
	});
	let pot = Rewards::<T>::pot();
	let _ = T::Currency::mint_into(&pot, T::Currency::minimum_balance());
	let _ = T::Currency::mint_into(&T::Treasury::get(), T::Currency::minimum_balance());
}

/// A device with points in `epochs` epochs, each then closed. Every closed epoch pool is
/// recorded as the pallet does at close.
fn device_with_closed_epochs<T: Config>(epochs: u32) -> DeviceId {
	let owner: T::AccountId = account("owner", 0, 0);
	let device = T::BenchmarkHelper::device(&owner, 0u32.into());
	T::BenchmarkHelper::set_epoch(epochs.saturating_add(1));
	let current = T::Epochs::current_epoch();
	for epoch in current.saturating_sub(epochs)..current {
		DevicePoints::<T>::insert(device, Rewards::<T>::slot(epoch), (epoch, 10));
		EpochPools::<T>::insert(
			epoch,
			EpochPool { pool: eds::<T>(1_000), points: 100, paid: 0u32.into() },
		);
	}
	let _ = T::Currency::mint_into(
		&Rewards::<T>::pot(),
		eds::<T>(1_000).saturating_mul(epochs.max(1).into()),
	);
	device
}

/// `d` other devices with points in state, spread over the same epochs (one entry each, so
/// that 100,000 devices stay a setup the benchmark can afford).
fn crowd<T: Config>(d: u32, epochs: core::ops::Range<EpochIndex>) {
	let span = epochs.end.saturating_sub(epochs.start).max(1);
	for i in 0..d {
		let other = sp_core::H256(sp_io::hashing::blake2_256(&i.to_le_bytes()));
		let epoch = epochs.start.saturating_add(i % span);
		DevicePoints::<T>::insert(other, Rewards::<T>::slot(epoch), (epoch, 1));
	}
}

/// A pool leaving the claim window when `closing` closes, with something left in it (the
/// worst close); returns its epoch.
fn expiring_pool<T: Config>(closing: EpochIndex) -> EpochIndex {
	let expiring = closing - T::ClaimWindow::get();
	EpochPools::<T>::insert(
		expiring,
		EpochPool { pool: eds::<T>(1_000), points: 1, paid: 0u32.into() },
	);
	let _ = T::Currency::mint_into(&Rewards::<T>::pot(), eds::<T>(1_000));
	// The list of open pools at its longest: every epoch of the window, the expiring first.
	crate::OpenPools::<T>::put(BoundedVec::truncate_from((expiring..closing).collect::<Vec<_>>()));
	expiring
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim_rewards(n: Linear<1, { T::MaxClaimEpochs::get() }>) {
		schedule::<T>();
		let device = device_with_closed_epochs::<T>(n);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), device);

		assert_eq!(DevicePoints::<T>::iter_prefix(device).count(), 0);
	}

	/// The same claim (at its bound of epochs) with `d` other devices' points in state: the
	/// cost must not grow with `d`.
	#[benchmark(extra)]
	fn claim_rewards_among_devices(d: Linear<10, 100_000>) {
		schedule::<T>();
		let n = T::MaxClaimEpochs::get();
		let device = device_with_closed_epochs::<T>(n);
		let current = T::Epochs::current_epoch();
		crowd::<T>(d, current.saturating_sub(n)..current);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		claim_rewards(RawOrigin::Signed(caller), device);

		assert_eq!(DevicePoints::<T>::iter_prefix(device).count(), 0);
	}

	#[benchmark]
	fn set_emission() -> Result<(), BenchmarkError> {
		let origin =
			T::EmissionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		schedule::<T>();
		let params = Emission::<T>::get().ok_or(BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		Ok(())
	}

	#[benchmark]
	fn close_epoch(a: Linear<0, { T::MaxAuthors::get() }>) {
		schedule::<T>();
		let closing = T::ClaimWindow::get().saturating_add(1);
		let expiring = expiring_pool::<T>(closing);
		let authors: Vec<(T::AccountId, u32)> =
			(0..a).map(|i| (account::<T::AccountId>("author", i, 0), 1 + i)).collect();
		AuthoredBlocks::<T>::put(BoundedVec::truncate_from(authors));
		EpochPoints::<T>::insert(closing, 1_000);

		#[block]
		{
			<Rewards<T> as RewardPoints>::on_epoch_closed(closing);
		}

		assert!(EpochPools::<T>::get(closing).is_some());
		if a > 0 {
			let first = account::<T::AccountId>("author", 0, 0);
			assert!(!T::Currency::balance(&first).is_zero(), "authors are paid");
		}
		assert!(EpochPools::<T>::get(expiring).is_none());
	}

	/// The worst epoch close (the most block authors, an expiring pool) with `d` devices'
	/// points in the closing epoch: the cost must not grow with `d`, since closing never looks
	/// at devices.
	#[benchmark(extra)]
	fn close_epoch_among_devices(d: Linear<10, 100_000>) {
		schedule::<T>();
		let closing = T::ClaimWindow::get().saturating_add(1);
		let expiring = expiring_pool::<T>(closing);
		let authors: Vec<(T::AccountId, u32)> = (0..T::MaxAuthors::get())
			.map(|i| (account::<T::AccountId>("author", i, 0), 1 + i))
			.collect();
		AuthoredBlocks::<T>::put(BoundedVec::truncate_from(authors));
		crowd::<T>(d, closing..closing.saturating_add(1));
		EpochPoints::<T>::insert(closing, u128::from(d));

		#[block]
		{
			<Rewards<T> as RewardPoints>::on_epoch_closed(closing);
		}

		assert!(EpochPools::<T>::get(closing).is_some());
		assert!(EpochPools::<T>::get(expiring).is_none());
	}

	impl_benchmark_test_suite!(Rewards, crate::mock::new_test_ext(), crate::mock::Test);
}
