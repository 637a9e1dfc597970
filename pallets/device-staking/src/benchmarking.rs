//! Benchmarks of device staking. Worst cases: ledgers with the most unbonding chunks, slashes
//! that go through every chunk and pay a reporter.

use super::*;
use crate::pallet::{
	Ledgers, OffencesPrunedTo, Pallet as Staking, PendingSlashes, ReportedOffences,
};
use depin_primitives::EpochProvider;
use depin_primitives::{Offence, OffenceKind};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	weights::Weight,
};
use frame_system::RawOrigin;
use sp_runtime::{traits::Bounded, Perbill};

/// A funded owner of a registered device with `bond` bonded.
fn staked_device<T: Config>(bond: u32) -> (T::AccountId, DeviceId) {
	let owner: T::AccountId = account("owner", 0, 0);
	T::Currency::set_balance(&owner, BalanceOf::<T>::max_value() / 4u32.into());
	let device = T::BenchmarkHelper::device(&owner, 1u32.into());
	if bond > 0 {
		Staking::<T>::do_bond(owner.clone(), device, bond.into()).expect("funded; qed");
	}
	(owner, device)
}

/// Unbonds `chunks` chunks of one unit each, one per epoch.
fn unbond_chunks<T: Config>(owner: &T::AccountId, device: DeviceId, chunks: u32) {
	for _ in 0..chunks {
		Staking::<T>::do_unbond(owner.clone(), device, 1u32.into()).expect("bonded enough; qed");
		T::BenchmarkHelper::advance_epochs(1);
	}
}

/// Reports an equivocation with a reporter; returns the slash id.
fn report<T: Config>(device: DeviceId) -> SlashId {
	let reporter: T::AccountId = account("reporter", 0, 0);
	T::Currency::set_balance(&reporter, BalanceOf::<T>::max_value() / 4u32.into());
	Staking::<T>::do_report_offence(Offence {
		device,
		kind: OffenceKind::Equivocation,
		fraction: Perbill::from_percent(100),
		reporter: Some(reporter),
		epoch: T::Epochs::current_epoch(),
	})
	.expect("staked device; qed")
	.expect("a staked device has something to slash; qed")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn bond() {
		let (owner, device) = staked_device::<T>(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), device, 1_000u32.into());

		assert_eq!(Ledgers::<T>::get(device).map(|l| l.bonded), Some(2_000u32.into()));
	}

	#[benchmark]
	fn unbond() {
		let (owner, device) = staked_device::<T>(1_000);
		unbond_chunks::<T>(&owner, device, T::MaxUnbondingChunks::get() - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), device, 1u32.into());

		assert_eq!(
			Ledgers::<T>::get(device).map(|l| l.unbonding.len() as u32),
			Some(T::MaxUnbondingChunks::get())
		);
	}

	#[benchmark]
	fn withdraw_unbonded(c: Linear<1, { T::MaxUnbondingChunks::get() }>) {
		// One unit stays bonded, so the ledger is written back rather than removed.
		let (owner, device) = staked_device::<T>(c + 1);
		unbond_chunks::<T>(&owner, device, c);
		T::BenchmarkHelper::advance_epochs(T::UnbondingEpochs::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), device);

		assert_eq!(Ledgers::<T>::get(device).map(|l| l.unbonding.len()), Some(0));
	}

	#[benchmark]
	fn force_slash() -> Result<(), BenchmarkError> {
		let origin =
			T::SlashOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (_, device) = staked_device::<T>(1_000);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, device, Perbill::from_percent(50), OffenceKind::Governance);

		assert!(PendingSlashes::<T>::get(0).is_some());
		Ok(())
	}

	#[benchmark]
	fn cancel_slash() -> Result<(), BenchmarkError> {
		let origin = T::CancelSlashOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let (_, device) = staked_device::<T>(1_000);
		let slash_id = report::<T>(device);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, slash_id);

		assert!(PendingSlashes::<T>::get(slash_id).is_none());
		Ok(())
	}

	#[benchmark]
	fn apply_slash(c: Linear<1, { T::MaxUnbondingChunks::get() }>) {
		let (owner, device) = staked_device::<T>(c + 1_000);
		unbond_chunks::<T>(&owner, device, c);
		let slash_id = report::<T>(device);
		T::BenchmarkHelper::advance_epochs(T::SlashDeferEpochs::get());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), slash_id);

		assert!(Ledgers::<T>::get(device).is_none(), "a 100% slash takes everything");
	}

	/// Unbonding the previous owner's bond of a device that changes hands by recovery, its
	/// ledger one chunk short of the most.
	#[benchmark]
	fn unbond_for_recovery() {
		let chunks = T::MaxUnbondingChunks::get() - 1;
		let (owner, device) = staked_device::<T>(chunks + 1_000);
		unbond_chunks::<T>(&owner, device, chunks);

		#[block]
		{
			Staking::<T>::do_unbond_for_recovery(&device).expect("a chunk is free; qed");
		}

		assert_eq!(Ledgers::<T>::get(device).map(|l| l.bonded), Some(0u32.into()));
	}

	/// One pruning step: `n` offence records of an epoch that left the window removed.
	#[benchmark]
	fn prune_offences(n: Linear<1, { crate::PRUNE_BATCH }>) {
		for i in 0..n {
			// (`from_low_u64_be` needs `std`: this runs in the Wasm runtime too.)
			let mut id = [0u8; 32];
			id[28..].copy_from_slice(&i.to_be_bytes());
			let device = DeviceId::from(id);
			ReportedOffences::<T>::insert(
				0,
				(device, OffenceKind::Equivocation),
				crate::OffenceRecord { slash: None },
			);
		}
		T::BenchmarkHelper::advance_epochs(T::OffenceWindow::get() + 1);

		#[block]
		{
			Staking::<T>::prune_offences(Weight::MAX);
		}

		assert_eq!(
			OffencesPrunedTo::<T>::get(),
			T::Epochs::current_epoch() - T::OffenceWindow::get()
		);
		assert!(ReportedOffences::<T>::iter_prefix(0).next().is_none());
	}

	impl_benchmark_test_suite!(Staking, crate::mock::new_test_ext(), crate::mock::Test);
}
