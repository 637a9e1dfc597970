//! Benchmarks of the makers pallet. Verification is measured per signature algorithm and chain
//! depth, with the fixture chains of `scripts/attestation-fixtures.sh` (every signature of one
//! algorithm; RSA keys of 4,096 bits, the largest accepted): `attest_x509_<algorithm>(d)` for a
//! chain of `d` certificates below the maker's root.

use super::*;
use crate::pallet::{MakerRevocations, Makers as MakerStore, NextMakerId, RevokedCertificates};
use alloc::{vec, vec::Vec};
use depin_primitives::{
	attestation::{compact_message, AttestationEvidence, CertChain, CompactCertificate},
	DeviceSignature,
};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin,
};
use p256::ecdsa::{signature::Signer, SigningKey};
use sp_runtime::{traits::StaticLookup, Saturating};

/// A fixture chain of one algorithm, leaf first, then three intermediates, then the root.
struct Fixture {
	certs: [&'static [u8]; 5],
	leaf_key: &'static [u8; 33],
}

macro_rules! fixture {
	($alg:literal) => {
		Fixture {
			certs: [
				include_bytes!(concat!("../fixtures/bench-", $alg, "-leaf.der")),
				include_bytes!(concat!("../fixtures/bench-", $alg, "-3.der")),
				include_bytes!(concat!("../fixtures/bench-", $alg, "-2.der")),
				include_bytes!(concat!("../fixtures/bench-", $alg, "-1.der")),
				include_bytes!(concat!("../fixtures/bench-", $alg, "-root.der")),
			],
			leaf_key: include_bytes!(concat!("../fixtures/bench-", $alg, "-leaf.pub")),
		}
	};
}

/// The chain's time in the benchmarks: 2026-12-01, inside every fixture's validity.
const NOW: u64 = 1_796_083_200;

fn cert(der: &[u8]) -> CertDer {
	CertDer::try_from(der.to_vec()).expect("fixtures fit the bound; qed")
}

/// A funded maker account.
fn funded<T: Config>() -> T::AccountId {
	let account: T::AccountId = account("maker", 0, 0);
	let funds = T::OnboardingDeposit::get()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&account, funds);
	account
}

/// Admits a maker with `roots` and `compact_key`; returns its id.
fn maker<T: Config>(roots: Vec<CertDer>, compact_key: Option<DeviceKey>) -> MakerId {
	let id = NextMakerId::<T>::get();
	NextMakerId::<T>::put(id + 1);
	MakerStore::<T>::insert(
		id,
		MakerInfo {
			account: funded::<T>(),
			name: BoundedVec::truncate_from(b"bench".to_vec()),
			roots: BoundedVec::truncate_from(roots),
			compact_key,
			quota: u32::MAX,
			onboarded: 0,
		},
	);
	id
}

/// RSA-4096 CA certificates of distinct names (the costliest roots to check at admission).
const RSA_ROOTS: [&[u8]; 4] = [
	include_bytes!("../fixtures/bench-rsa-root.der"),
	include_bytes!("../fixtures/bench-rsa-1.der"),
	include_bytes!("../fixtures/bench-rsa-2.der"),
	include_bytes!("../fixtures/bench-rsa-3.der"),
];

/// Roots of other names, each parsed before a chain's own root is found (the worst case).
const DECOYS: [&[u8]; 3] = [
	include_bytes!("../fixtures/p256-root.der"),
	include_bytes!("../fixtures/rsa-root.der"),
	include_bytes!("../fixtures/other-root.der"),
];

/// The leaf of `fixture` (id and key) and its evidence: its first `d` certificates, under a
/// maker whose root is the next one, listed after `MaxRoots - 1` roots of other names.
fn chain_of<T: Config>(fixture: Fixture, d: u32) -> (DeviceId, DeviceKey, AttestationEvidence) {
	T::BenchmarkHelper::set_time(NOW);
	let d = d as usize;
	let decoys = T::MaxRoots::get().saturating_sub(1) as usize;
	let mut roots: Vec<CertDer> = DECOYS.iter().take(decoys).map(|der| cert(der)).collect();
	roots.push(cert(fixture.certs[d]));
	let maker = maker::<T>(roots, None);
	let chain: Vec<CertDer> = fixture.certs[..d].iter().map(|der| cert(der)).collect();
	let evidence = AttestationEvidence::X509 {
		maker,
		chain: CertChain::try_from(chain).expect("at most four; qed"),
	};
	let key = DeviceKey::P256(*fixture.leaf_key);
	(key.device_id(), key, evidence)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn admit_maker(r: Linear<1, { T::MaxRoots::get() }>) -> Result<(), BenchmarkError> {
		let roots: Vec<CertDer> = RSA_ROOTS.iter().take(r as usize).map(|der| cert(der)).collect();
		let roots = BoundedVec::try_from(roots).map_err(|_| BenchmarkError::Weightless)?;
		let name = BoundedVec::truncate_from(vec![b'm'; T::MaxNameLen::get() as usize]);
		let account = funded::<T>();
		let origin =
			T::MakerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(account);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup, name, roots, None, 100);

		assert!(MakerStore::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn update_maker(r: Linear<1, { T::MaxRoots::get() }>) -> Result<(), BenchmarkError> {
		let id = maker::<T>(vec![cert(RSA_ROOTS[0])], None);
		let roots: Vec<CertDer> = RSA_ROOTS.iter().take(r as usize).map(|der| cert(der)).collect();
		let roots = BoundedVec::try_from(roots).map_err(|_| BenchmarkError::Weightless)?;
		let origin =
			T::MakerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, roots, None);

		Ok(())
	}

	#[benchmark]
	fn set_quota() -> Result<(), BenchmarkError> {
		let id = maker::<T>(vec![cert(include_bytes!("../fixtures/bench-p256-root.der"))], None);
		let origin =
			T::MakerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, 7);

		assert_eq!(MakerStore::<T>::get(id).map(|m| m.quota), Some(7));
		Ok(())
	}

	#[benchmark]
	fn revoke_maker() -> Result<(), BenchmarkError> {
		let id = maker::<T>(vec![cert(include_bytes!("../fixtures/bench-p256-root.der"))], None);
		let origin =
			T::MakerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(MakerRevocations::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn revoke_certificate() -> Result<(), BenchmarkError> {
		let id = maker::<T>(vec![cert(include_bytes!("../fixtures/bench-p256-root.der"))], None);
		let serial = Serial::truncate_from(vec![0xff; 20]);
		let origin =
			T::MakerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, serial.clone());

		assert!(RevokedCertificates::<T>::contains_key(id, serial));
		Ok(())
	}

	#[benchmark]
	fn attest_x509_p256(d: Linear<1, { MAX_CHAIN_LEN }>) {
		let (device, key, evidence) = chain_of::<T>(fixture!("p256"), d);

		#[block]
		{
			Pallet::<T>::do_attest(&device, &key, 1, &evidence).expect("the fixture attests");
		}

		assert!(Attestations::<T>::contains_key(device));
	}

	#[benchmark]
	fn attest_x509_p384(d: Linear<1, { MAX_CHAIN_LEN }>) {
		let (device, key, evidence) = chain_of::<T>(fixture!("p384"), d);

		#[block]
		{
			Pallet::<T>::do_attest(&device, &key, 1, &evidence).expect("the fixture attests");
		}

		assert!(Attestations::<T>::contains_key(device));
	}

	#[benchmark]
	fn attest_x509_rsa(d: Linear<1, { MAX_CHAIN_LEN }>) {
		let (device, key, evidence) = chain_of::<T>(fixture!("rsa"), d);

		#[block]
		{
			Pallet::<T>::do_attest(&device, &key, 1, &evidence).expect("the fixture attests");
		}

		assert!(Attestations::<T>::contains_key(device));
	}

	#[benchmark]
	fn attest_compact() {
		// A P-256 maker key: the costliest scheme to verify.
		let maker_key = SigningKey::from_slice(&[7; 32]).expect("a P-256 scalar; qed");
		let mut compact = [0u8; 33];
		compact.copy_from_slice(maker_key.verifying_key().to_encoded_point(true).as_bytes());
		let id = maker::<T>(vec![], Some(DeviceKey::P256(compact)));
		let device = SigningKey::from_slice(&[8; 32]).expect("a P-256 scalar; qed");
		let mut key = [0u8; 33];
		key.copy_from_slice(device.verifying_key().to_encoded_point(true).as_bytes());
		let key = DeviceKey::P256(key);
		let serial = Serial::truncate_from(vec![0xee; 20]);
		let cert = CompactCertificate { key, class: 1, serial: serial.clone() };
		let signature: p256::ecdsa::Signature = maker_key.sign(&compact_message(&cert));
		let mut bytes = [0u8; 64];
		bytes.copy_from_slice(&signature.to_bytes());
		let evidence = AttestationEvidence::Compact {
			maker: id,
			serial,
			signature: DeviceSignature::P256(bytes),
		};
		let device_id = key.device_id();

		#[block]
		{
			Pallet::<T>::do_attest(&device_id, &key, 1, &evidence).expect("attests");
		}

		assert!(Attestations::<T>::contains_key(device_id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
