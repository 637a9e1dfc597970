//! Benchmarks of the devices pallet. Worst cases: the longest metadata, an owner index one short
//! of full (its encoding grows with it), and a real signature check per key scheme. Device keys
//! are generated and signed through the keystore host functions, as in the runtime.

use super::*;
use crate::pallet::{Classes, Devices, Pallet as DevicesPallet, PendingRecoveries};
use alloc::vec;
use depin_primitives::{DeviceStatus, SuspensionReason};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::crypto::KeyTypeId;
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

/// The fixed secret of the benchmarks' P-256 device (no host function signs with P-256: the
/// benchmark signs in the runtime).
fn p256_secret() -> p256::ecdsa::SigningKey {
	p256::ecdsa::SigningKey::from_slice(&sp_io::hashing::blake2_256(b"benchmark p256"))
		.expect("a blake2 output is a valid scalar but with negligible odds; qed")
}

/// A fresh device key of `scheme` (in the keystore, or the fixed P-256 one).
fn new_key(scheme: Scheme) -> DeviceKey {
	match scheme {
		Scheme::Ed25519 => DeviceKey::Ed25519(sp_io::crypto::ed25519_generate(BENCH_KEY, None).0),
		Scheme::Sr25519 => DeviceKey::Sr25519(sp_io::crypto::sr25519_generate(BENCH_KEY, None).0),
		Scheme::Ecdsa => DeviceKey::Ecdsa(sp_io::crypto::ecdsa_generate(BENCH_KEY, None).0),
		Scheme::P256 => {
			let point = p256_secret().verifying_key().to_encoded_point(true);
			let mut key = [0u8; 33];
			key.copy_from_slice(point.as_bytes());
			DeviceKey::P256(key)
		},
	}
}

/// `key`'s signature of `message` (a key [`new_key`] made).
fn sign(key: &DeviceKey, message: &[u8]) -> DeviceSignature {
	const PROOF: &str = "key generated in the keystore by new_key; qed";
	match key {
		DeviceKey::Ed25519(k) => DeviceSignature::Ed25519(
			sp_io::crypto::ed25519_sign(
				BENCH_KEY,
				&sp_core::ed25519::Public::from_raw(*k),
				message,
			)
			.expect(PROOF)
			.0,
		),
		DeviceKey::Sr25519(k) => DeviceSignature::Sr25519(
			sp_io::crypto::sr25519_sign(
				BENCH_KEY,
				&sp_core::sr25519::Public::from_raw(*k),
				message,
			)
			.expect(PROOF)
			.0,
		),
		DeviceKey::Ecdsa(k) => DeviceSignature::Ecdsa(
			sp_io::crypto::ecdsa_sign(BENCH_KEY, &sp_core::ecdsa::Public::from_raw(*k), message)
				.expect(PROOF)
				.0,
		),
		DeviceKey::P256(_) => {
			use p256::ecdsa::{signature::Signer, Signature};
			let signature: Signature = p256_secret().sign(message);
			let mut bytes = [0u8; 64];
			bytes.copy_from_slice(&signature.to_bytes());
			DeviceSignature::P256(bytes)
		},
	}
}

/// A fresh device key of `scheme` and its proof of possession for `owner`.
fn device_for<T: Config>(scheme: Scheme, owner: &T::AccountId) -> (DeviceKey, DeviceSignature) {
	let key = new_key(scheme);
	let proof = sign(&key, &DevicesPallet::<T>::registration_message(owner));
	(key, proof)
}

/// An open class for the benchmarks.
fn setup_class<T: Config>() {
	let name: BoundedVec<u8, T::MaxClassNameLen> =
		vec![b'c'; T::MaxClassNameLen::get() as usize].try_into().expect("exact bound; qed");
	Classes::<T>::insert(
		CLASS,
		ClassInfo::new(name, 0u32.into(), 1, OwedProofs { heartbeat: true, storage: true }, true),
	);
}

/// A funded account. (The owner index costs the same whatever the fleet's size: one entry
/// per device, and a count.)
fn funded_owner<T: Config>(name: &'static str) -> T::AccountId {
	let owner: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&owner, BalanceOf::<T>::max_value() / 4u32.into());
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
		None,
	)
	.expect("benchmark registration succeeds; qed");
	key.device_id()
}

/// A device of `scheme` registered by a squatter (the longest metadata, a nearly full index),
/// a recovery already pending for someone else (so a request replaces it), and the key
/// holder's account (funded, a nearly full index) with the recovery proof for it.
fn squatted<T: Config>(scheme: Scheme) -> (T::AccountId, DeviceId, DeviceSignature) {
	setup_class::<T>();
	let squatter = funded_owner::<T>("squatter");
	let key = new_key(scheme);
	let id = key.device_id();
	let registration = sign(&key, &DevicesPallet::<T>::registration_message(&squatter));
	DevicesPallet::<T>::do_register(
		squatter,
		key,
		CLASS,
		Some(H3_CELL),
		full_metadata::<T>(T::MaxMetadataLen::get()),
		registration,
		None,
	)
	.expect("benchmark registration succeeds; qed");
	let other = funded_owner::<T>("other");
	let proof = sign(&key, &DevicesPallet::<T>::recovery_message(&id, &other));
	DevicesPallet::<T>::do_request_recovery(other, id, proof)
		.expect("the proof is the device's; qed");
	let holder = funded_owner::<T>("holder");
	let proof = sign(&key, &DevicesPallet::<T>::recovery_message(&id, &holder));
	(holder, id, proof)
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

	#[benchmark]
	fn request_recovery_ed25519() {
		let (holder, id, proof) = squatted::<T>(Scheme::Ed25519);
		#[extrinsic_call]
		request_recovery(RawOrigin::Signed(holder.clone()), id, proof);
		assert_eq!(PendingRecoveries::<T>::get(id).map(|r| r.new_owner), Some(holder));
	}

	#[benchmark]
	fn request_recovery_sr25519() {
		let (holder, id, proof) = squatted::<T>(Scheme::Sr25519);
		#[extrinsic_call]
		request_recovery(RawOrigin::Signed(holder.clone()), id, proof);
		assert_eq!(PendingRecoveries::<T>::get(id).map(|r| r.new_owner), Some(holder));
	}

	#[benchmark]
	fn request_recovery_ecdsa() {
		let (holder, id, proof) = squatted::<T>(Scheme::Ecdsa);
		#[extrinsic_call]
		request_recovery(RawOrigin::Signed(holder.clone()), id, proof);
		assert_eq!(PendingRecoveries::<T>::get(id).map(|r| r.new_owner), Some(holder));
	}

	#[benchmark]
	fn request_recovery_p256() {
		let (holder, id, proof) = squatted::<T>(Scheme::P256);
		#[extrinsic_call]
		request_recovery(RawOrigin::Signed(holder.clone()), id, proof);
		assert_eq!(PendingRecoveries::<T>::get(id).map(|r| r.new_owner), Some(holder));
	}

	/// The worst completion: the squatter's full metadata deposit released, the device out of
	/// their nearly full index and into the holder's nearly full one. (What staking releases is
	/// its own benchmark, added by the runtime: `StakeInfo::unbond_for_recovery_weight`.)
	#[benchmark]
	fn complete_recovery() {
		let (holder, id, proof) = squatted::<T>(Scheme::Sr25519);
		DevicesPallet::<T>::do_request_recovery(holder.clone(), id, proof)
			.expect("the proof is the device's; qed");
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + T::RecoveryDelay::get(),
		);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert_eq!(Devices::<T>::get(id).map(|d| d.owner), Some(holder));
	}

	#[benchmark]
	fn cancel_recovery() -> Result<(), BenchmarkError> {
		let origin =
			T::SuspendOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (holder, id, proof) = squatted::<T>(Scheme::Sr25519);
		DevicesPallet::<T>::do_request_recovery(holder, id, proof)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(PendingRecoveries::<T>::get(id).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(DevicesPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
