//! Benchmarks of the devices pallet. Worst cases: the longest metadata, an owner index one short
//! of full (its encoding grows with it), and a real signature check per key scheme. Device keys
//! are generated and signed through the keystore host functions, as in the runtime.

use super::*;
use crate::pallet::{Classes, Devices, DevicesByOwner, Pallet as DevicesPallet};
use alloc::vec;
use depin_primitives::{DeviceStatus, SuspensionReason};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::{crypto::KeyTypeId, H256};
use sp_runtime::traits::{Bounded, StaticLookup};

/// Key type the benchmark device keys live under in the keystore.
const BENCH_KEY: KeyTypeId = KeyTypeId(*b"dpnb");
/// The class benchmarks register in.
const CLASS: ClassId = 1;

/// Which signature scheme a benchmark uses.
#[derive(Clone, Copy)]
enum Scheme {
	Ed25519,
	Sr25519,
	Ecdsa,
	P256,
}

/// A fresh device key of `scheme` and its proof of possession for `owner`.
fn device_for<T: Config>(scheme: Scheme, owner: &T::AccountId) -> (DeviceKey, DeviceSignature) {
	let message = DevicesPallet::<T>::registration_message(owner);
	match scheme {
		Scheme::Ed25519 => {
			let public = sp_io::crypto::ed25519_generate(BENCH_KEY, None);
			let signature = sp_io::crypto::ed25519_sign(BENCH_KEY, &public, &message)
				.expect("key generated above; qed");
			(DeviceKey::Ed25519(public.0), DeviceSignature::Ed25519(signature.0))
		},
		Scheme::Sr25519 => {
			let public = sp_io::crypto::sr25519_generate(BENCH_KEY, None);
			let signature = sp_io::crypto::sr25519_sign(BENCH_KEY, &public, &message)
				.expect("key generated above; qed");
			(DeviceKey::Sr25519(public.0), DeviceSignature::Sr25519(signature.0))
		},
		Scheme::Ecdsa => {
			let public = sp_io::crypto::ecdsa_generate(BENCH_KEY, None);
			let signature = sp_io::crypto::ecdsa_sign(BENCH_KEY, &public, &message)
				.expect("key generated above; qed");
			(DeviceKey::Ecdsa(public.0), DeviceSignature::Ecdsa(signature.0))
		},
		// No host function signs with P-256: the benchmark signs in the runtime.
		Scheme::P256 => {
			use p256::ecdsa::{signature::Signer, Signature, SigningKey};
			let secret = SigningKey::from_slice(&sp_io::hashing::blake2_256(b"benchmark p256"))
				.expect("a blake2 output is a valid scalar but with negligible odds; qed");
			let point = secret.verifying_key().to_encoded_point(true);
			let mut key = [0u8; 33];
			key.copy_from_slice(point.as_bytes());
			let signature: Signature = secret.sign(&message);
			let mut bytes = [0u8; 64];
			bytes.copy_from_slice(&signature.to_bytes());
			(DeviceKey::P256(key), DeviceSignature::P256(bytes))
		},
	}
}

/// An open class for the benchmarks.
fn setup_class<T: Config>() {
	let name: BoundedVec<u8, T::MaxClassNameLen> =
		vec![b'c'; T::MaxClassNameLen::get() as usize].try_into().expect("exact bound; qed");
	Classes::<T>::insert(
		CLASS,
		ClassInfo {
			name,
			min_stake: 0u32.into(),
			reward_weight: 1,
			owes: OwedProofs { heartbeat: true, storage: true },
			open: true,
		},
	);
}

/// A funded account whose owner index holds `MaxDevicesPerOwner - 1` (placeholder) devices.
fn funded_owner<T: Config>(name: &'static str) -> T::AccountId {
	let owner: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&owner, BalanceOf::<T>::max_value() / 4u32.into());
	let filler: alloc::vec::Vec<DeviceId> = (0..T::MaxDevicesPerOwner::get().saturating_sub(1))
		.map(|i| H256(sp_io::hashing::blake2_256(&i.to_le_bytes())))
		.collect();
	DevicesByOwner::<T>::insert(&owner, BoundedVec::truncate_from(filler));
	owner
}

fn full_metadata<T: Config>(m: u32) -> MetadataOf<T> {
	vec![0xab; m as usize].try_into().expect("m is at most MaxMetadataLen; qed")
}

/// Registers an Sr25519 device for `owner` with `m` bytes of metadata.
fn registered<T: Config>(owner: &T::AccountId, m: u32) -> DeviceId {
	setup_class::<T>();
	let (key, proof) = device_for::<T>(Scheme::Sr25519, owner);
	DevicesPallet::<T>::do_register(
		owner.clone(),
		key,
		CLASS,
		Some(H3_CELL),
		full_metadata::<T>(m),
		proof,
	)
	.expect("benchmark registration succeeds; qed");
	key.device_id()
}

/// A valid H3 cell (San Francisco, resolution 9).
const H3_CELL: u64 = 0x0892_8308_280f_ffff;

/// A funded owner with a nearly full index, and a device key of `scheme` with its proof.
fn register_with<T: Config>(scheme: Scheme) -> (T::AccountId, DeviceKey, DeviceSignature) {
	setup_class::<T>();
	let owner = funded_owner::<T>("owner");
	let (key, proof) = device_for::<T>(scheme, &owner);
	(owner, key, proof)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_device_ed25519(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let (owner, key, proof) = register_with::<T>(Scheme::Ed25519);
		#[extrinsic_call]
		register_device(
			RawOrigin::Signed(owner),
			key,
			CLASS,
			Some(H3_CELL),
			full_metadata::<T>(m),
			proof,
		);
		assert!(Devices::<T>::contains_key(key.device_id()));
	}

	#[benchmark]
	fn register_device_sr25519(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let (owner, key, proof) = register_with::<T>(Scheme::Sr25519);
		#[extrinsic_call]
		register_device(
			RawOrigin::Signed(owner),
			key,
			CLASS,
			Some(H3_CELL),
			full_metadata::<T>(m),
			proof,
		);
		assert!(Devices::<T>::contains_key(key.device_id()));
	}

	#[benchmark]
	fn register_device_ecdsa(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let (owner, key, proof) = register_with::<T>(Scheme::Ecdsa);
		#[extrinsic_call]
		register_device(
			RawOrigin::Signed(owner),
			key,
			CLASS,
			Some(H3_CELL),
			full_metadata::<T>(m),
			proof,
		);
		assert!(Devices::<T>::contains_key(key.device_id()));
	}

	#[benchmark]
	fn register_device_p256(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let (owner, key, proof) = register_with::<T>(Scheme::P256);
		#[extrinsic_call]
		register_device(
			RawOrigin::Signed(owner),
			key,
			CLASS,
			Some(H3_CELL),
			full_metadata::<T>(m),
			proof,
		);
		assert!(Devices::<T>::contains_key(key.device_id()));
	}

	#[benchmark]
	fn update_device(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let owner = funded_owner::<T>("owner");
		// The worst case: the old deposit was paid by another account.
		let id = registered::<T>(&owner, 0);
		let new_owner = funded_owner::<T>("new-owner");
		DevicesByOwner::<T>::remove(&new_owner);
		DevicesPallet::<T>::do_transfer(owner, id, new_owner.clone()).expect("transfer works; qed");

		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner.clone()), id, Some(H3_CELL), full_metadata::<T>(m));

		assert_eq!(Devices::<T>::get(id).map(|d| d.depositor), Some(new_owner));
	}

	#[benchmark]
	fn transfer_device() {
		let owner = funded_owner::<T>("owner");
		let id = registered::<T>(&owner, 0);
		let new_owner = funded_owner::<T>("new-owner");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, T::Lookup::unlookup(new_owner.clone()));

		assert_eq!(Devices::<T>::get(id).map(|d| d.owner), Some(new_owner));
	}

	#[benchmark]
	fn deregister_device() {
		let owner = funded_owner::<T>("owner");
		let id = registered::<T>(&owner, T::MaxMetadataLen::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert_eq!(Devices::<T>::get(id).map(|d| d.status), Some(DeviceStatus::Retired));
	}

	#[benchmark]
	fn set_class() -> Result<(), BenchmarkError> {
		let origin =
			T::ClassOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		setup_class::<T>();
		let params = Classes::<T>::get(CLASS).ok_or(BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, CLASS, params);

		Ok(())
	}

	#[benchmark]
	fn suspend_device() -> Result<(), BenchmarkError> {
		let origin =
			T::SuspendOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner = funded_owner::<T>("owner");
		let id = registered::<T>(&owner, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, SuspensionReason::Governance);

		assert_eq!(
			Devices::<T>::get(id).map(|d| d.status),
			Some(DeviceStatus::Suspended(SuspensionReason::Governance))
		);
		Ok(())
	}

	#[benchmark]
	fn resume_device() -> Result<(), BenchmarkError> {
		let origin =
			T::SuspendOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner = funded_owner::<T>("owner");
		let id = registered::<T>(&owner, 0);
		DevicesPallet::<T>::do_suspend(id, SuspensionReason::Governance)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Devices::<T>::get(id).map(|d| d.status), Some(DeviceStatus::Active));
		Ok(())
	}

	impl_benchmark_test_suite!(DevicesPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
