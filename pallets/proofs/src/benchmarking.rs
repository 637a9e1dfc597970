//! Benchmarks of the proofs pallet. The checks (`authorize`, in the pool and again in the block)
//! per signature scheme; dispatch, which only records, once. Worst cases: heartbeats with the
//! most readings; storage proofs with the most chunks, each of the largest size, by Merkle
//! depth up to 40 (a data set of 2^40 chunks); equivocation reports of two storage proofs at
//! depth 40; proofs recorded in an epoch late enough that the rewards pallet also drops the
//! device's entry that left the claim window.
//!
//! Ed25519, Sr25519 and ECDSA keys are generated and used through the keystore host functions,
//! P-256 keys in the runtime with a fixed secret per device, as no host function exists for
//! P-256 (which is exactly why its verification is benchmarked).

use super::*;
use crate::pallet::{CurrentEpoch, Pallet as Proofs};
use alloc::{vec, vec::Vec};
use depin_primitives::{
	merkle, signing_message, DeviceKey, LeafProof, Reading, SigningDomain, MAX_CHUNK_LEN,
	MAX_MERKLE_DEPTH, MAX_READINGS,
};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::{Authorize, TransactionSource},
	traits::{Get, Hooks},
};
use frame_system::RawOrigin;
use sp_core::{crypto::KeyTypeId, H256};

const BENCH_KEY: KeyTypeId = KeyTypeId(*b"dpnp");

/// A device key the benchmark can sign with.
#[derive(Clone, Copy)]
enum Scheme {
	Ed25519,
	Sr25519,
	Ecdsa,
	P256,
}

enum BenchKey {
	Ed25519(sp_core::ed25519::Public),
	Sr25519(sp_core::sr25519::Public),
	Ecdsa(sp_core::ecdsa::Public),
	P256(p256::ecdsa::SigningKey),
}

impl BenchKey {
	fn new(scheme: Scheme, index: u32) -> Self {
		match scheme {
			Scheme::Ed25519 => BenchKey::Ed25519(sp_io::crypto::ed25519_generate(BENCH_KEY, None)),
			Scheme::Sr25519 => BenchKey::Sr25519(sp_io::crypto::sr25519_generate(BENCH_KEY, None)),
			Scheme::Ecdsa => BenchKey::Ecdsa(sp_io::crypto::ecdsa_generate(BENCH_KEY, None)),
			Scheme::P256 => {
				let secret = sp_io::hashing::blake2_256(&index.to_le_bytes());
				BenchKey::P256(p256::ecdsa::SigningKey::from_slice(&secret).expect(
					"a blake2 output is a valid P-256 scalar but with negligible odds; qed",
				))
			},
		}
	}

	fn public(&self) -> DeviceKey {
		match self {
			BenchKey::Ed25519(p) => DeviceKey::Ed25519(p.0),
			BenchKey::Sr25519(p) => DeviceKey::Sr25519(p.0),
			BenchKey::Ecdsa(p) => DeviceKey::Ecdsa(p.0),
			BenchKey::P256(k) => {
				let point = k.verifying_key().to_encoded_point(true);
				let mut key = [0u8; 33];
				key.copy_from_slice(point.as_bytes());
				DeviceKey::P256(key)
			},
		}
	}

	fn sign(&self, message: &[u8]) -> DeviceSignature {
		const PROOF: &str = "the key was generated in the keystore above; qed";
		match self {
			BenchKey::Ed25519(p) => DeviceSignature::Ed25519(
				sp_io::crypto::ed25519_sign(BENCH_KEY, p, message).expect(PROOF).0,
			),
			BenchKey::Sr25519(p) => DeviceSignature::Sr25519(
				sp_io::crypto::sr25519_sign(BENCH_KEY, p, message).expect(PROOF).0,
			),
			BenchKey::Ecdsa(p) => DeviceSignature::Ecdsa(
				sp_io::crypto::ecdsa_sign(BENCH_KEY, p, message).expect(PROOF).0,
			),
			BenchKey::P256(k) => {
				use p256::ecdsa::{signature::Signer, Signature};
				let signature: Signature = k.sign(message);
				let mut bytes = [0u8; 64];
				bytes.copy_from_slice(&signature.to_bytes());
				DeviceSignature::P256(bytes)
			},
		}
	}
}

fn genesis<T: Config>() -> T::Hash {
	Proofs::<T>::genesis_hash()
}

/// An eligible device of `scheme`, registered and bonded through the helper.
fn device<T: Config>(scheme: Scheme, index: u32) -> (BenchKey, DeviceId) {
	let owner: T::AccountId = account("owner", index, 0);
	let key = BenchKey::new(scheme, index);
	let pop = key.sign(&signing_message(SigningDomain::Register, genesis::<T>().as_ref(), &owner));
	let id = T::BenchmarkHelper::eligible_device(&owner, key.public(), pop);
	(key, id)
}

/// The epoch proofs are benchmarked in: beyond any claim window, so that recording points
/// also drops the entry of the epoch that left it (the worst case of `note_points`).
const LATE_EPOCH: EpochIndex = 10_000;

/// Moves the clock to [`LATE_EPOCH`] (the epoch and the slot only: proofs are checked against
/// the current epoch and seed).
fn late_epoch<T: Config>() {
	T::BenchmarkHelper::set_slot(Proofs::<T>::epoch_start_slot(LATE_EPOCH));
	CurrentEpoch::<T>::put(LATE_EPOCH);
}

/// Runs the epoch boundaries up to `epoch`, each in a new block at the epoch's first slot,
/// as a chain would.
fn advance_to_epoch<T: Config>(epoch: EpochIndex) {
	for next in CurrentEpoch::<T>::get().saturating_add(1)..=epoch {
		let block = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::set_block_number(block);
		T::BenchmarkHelper::set_slot(Proofs::<T>::epoch_start_slot(next));
		Proofs::<T>::on_initialize(block);
	}
}

/// A signed heartbeat of a fresh device with the most readings.
fn signed_heartbeat<T: Config>(scheme: Scheme, index: u32) -> (Heartbeat, DeviceSignature) {
	let (key, id) = device::<T>(scheme, index);
	let readings: Vec<Reading> = (0..MAX_READINGS)
		.map(|i| Reading { metric: i as u16, value: i64::MAX - i64::from(i) })
		.collect();
	let heartbeat = Heartbeat {
		device: id,
		epoch: CurrentEpoch::<T>::get(),
		challenge: Proofs::<T>::current_challenge(&id),
		readings: readings.try_into().expect("MAX_READINGS readings; qed"),
	};
	let signature =
		key.sign(&signing_message(SigningDomain::Heartbeat, genesis::<T>().as_ref(), &heartbeat));
	(heartbeat, signature)
}

/// A storage proof of the most chunks for a device committed to 2^`depth` identical chunks of
/// the largest size: every subtree of one height then has the same hash, so the paths of
/// `depth` levels are real without building the tree.
fn storage_proof<T: Config>(id: DeviceId, depth: u32) -> StorageProof {
	let chunk = vec![0xa5u8; MAX_CHUNK_LEN as usize];
	let mut level = merkle::leaf_hash(&chunk);
	let mut path = Vec::with_capacity(depth as usize);
	for _ in 0..depth {
		path.push(level);
		level = merkle::node_hash(&level, &level);
	}
	let leaf_count = 1u64 << depth;
	crate::pallet::Commitments::<T>::insert(
		id,
		crate::Commitment { root: level, leaf_count, since: CurrentEpoch::<T>::get() },
	);
	let challenge = Proofs::<T>::current_challenge(&id);
	let leaves: Vec<LeafProof> = Proofs::<T>::current_storage_challenge(&id)
		.expect("committed above; qed")
		.into_iter()
		.map(|index| LeafProof {
			index,
			chunk: chunk.clone().try_into().expect("MAX_CHUNK_LEN bytes; qed"),
			path: path.clone().try_into().expect("MAX_MERKLE_DEPTH nodes; qed"),
		})
		.collect();
	StorageProof {
		device: id,
		epoch: CurrentEpoch::<T>::get(),
		challenge,
		leaves: leaves.try_into().expect("LeavesPerChallenge is at most the bound; qed"),
	}
}

fn signed_storage_proof<T: Config>(scheme: Scheme, depth: u32) -> (StorageProof, DeviceSignature) {
	let (key, id) = device::<T>(scheme, 0);
	let proof = storage_proof::<T>(id, depth);
	let signature =
		key.sign(&signing_message(SigningDomain::Storage, genesis::<T>().as_ref(), &proof));
	(proof, signature)
}

fn batch<T: Config>(scheme: Scheme, n: u32) -> HeartbeatBatch<T> {
	let items: Vec<_> = (0..n).map(|i| signed_heartbeat::<T>(scheme, i)).collect();
	items.try_into().expect("n is at most MaxBatchSize; qed")
}

/// Two different, validly signed payloads of one device for the current epoch and its real
/// challenge: storage proofs of the largest size (every chunk of the largest size, paths of
/// the greatest depth) if `storage`, else heartbeats with the most readings.
fn equivocation<T: Config>(
	scheme: Scheme,
	storage: bool,
) -> (DeviceId, SignedPayload, DeviceSignature, SignedPayload, DeviceSignature) {
	let (key, id) = device::<T>(scheme, 0);
	let genesis = genesis::<T>();
	if storage {
		let first = storage_proof::<T>(id, MAX_MERKLE_DEPTH);
		let mut second = first.clone();
		second.leaves[0].chunk[0] ^= 1;
		let sign = |proof: &StorageProof| {
			key.sign(&signing_message(SigningDomain::Storage, genesis.as_ref(), proof))
		};
		let (first_signature, second_signature) = (sign(&first), sign(&second));
		return (
			id,
			SignedPayload::Storage(first),
			first_signature,
			SignedPayload::Storage(second),
			second_signature,
		);
	}
	let readings = |offset: i64| -> Vec<Reading> {
		(0..MAX_READINGS)
			.map(|i| Reading { metric: i as u16, value: i64::MAX - offset - i64::from(i) })
			.collect()
	};
	let heartbeat = |offset: i64| Heartbeat {
		device: id,
		epoch: CurrentEpoch::<T>::get(),
		challenge: Proofs::<T>::current_challenge(&id),
		readings: readings(offset).try_into().expect("MAX_READINGS readings; qed"),
	};
	let (first, second) = (heartbeat(0), heartbeat(1_000));
	let sign = |heartbeat: &Heartbeat| {
		key.sign(&signing_message(SigningDomain::Heartbeat, genesis.as_ref(), heartbeat))
	};
	let (first_signature, second_signature) = (sign(&first), sign(&second));
	(
		id,
		SignedPayload::Heartbeat(first),
		first_signature,
		SignedPayload::Heartbeat(second),
		second_signature,
	)
}

fn authorize(call: Call<impl Config>) {
	call.authorize(TransactionSource::External)
		.expect("the call has an authorize function; qed")
		.expect("the benchmark proof is valid; qed");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn check_heartbeat_ed25519() {
		let (heartbeat, signature) = signed_heartbeat::<T>(Scheme::Ed25519, 0);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeat { heartbeat, signature });
		}
	}

	#[benchmark]
	fn check_heartbeat_sr25519() {
		let (heartbeat, signature) = signed_heartbeat::<T>(Scheme::Sr25519, 0);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeat { heartbeat, signature });
		}
	}

	#[benchmark]
	fn check_heartbeat_ecdsa() {
		let (heartbeat, signature) = signed_heartbeat::<T>(Scheme::Ecdsa, 0);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeat { heartbeat, signature });
		}
	}

	#[benchmark]
	fn check_heartbeat_p256() {
		let (heartbeat, signature) = signed_heartbeat::<T>(Scheme::P256, 0);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeat { heartbeat, signature });
		}
	}

	#[benchmark]
	fn check_heartbeats_ed25519(n: Linear<1, { T::MaxBatchSize::get() }>) {
		let batch = batch::<T>(Scheme::Ed25519, n);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeats { batch });
		}
	}

	#[benchmark]
	fn check_heartbeats_sr25519(n: Linear<1, { T::MaxBatchSize::get() }>) {
		let batch = batch::<T>(Scheme::Sr25519, n);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeats { batch });
		}
	}

	#[benchmark]
	fn check_heartbeats_ecdsa(n: Linear<1, { T::MaxBatchSize::get() }>) {
		let batch = batch::<T>(Scheme::Ecdsa, n);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeats { batch });
		}
	}

	#[benchmark]
	// Up to 250 items (or the batch bound if lower, as in the mock): a batch of P-256 items
	// heavier than a block is refused before any signature is checked (`ExhaustsResources`),
	// and the check's cost is linear in `n`.
	fn check_heartbeats_p256(n: Linear<1, { T::MaxBatchSize::get().min(250) }>) {
		let batch = batch::<T>(Scheme::P256, n);
		#[block]
		{
			authorize(Call::<T>::submit_heartbeats { batch });
		}
	}

	#[benchmark]
	fn submit_heartbeat() {
		late_epoch::<T>();
		let (heartbeat, signature) = signed_heartbeat::<T>(Scheme::Ed25519, 0);
		#[extrinsic_call]
		_(RawOrigin::Authorized, heartbeat, signature);
	}

	#[benchmark]
	fn submit_heartbeats(n: Linear<1, { T::MaxBatchSize::get() }>) {
		late_epoch::<T>();
		let batch = batch::<T>(Scheme::Ed25519, n);
		#[extrinsic_call]
		_(RawOrigin::Authorized, batch);
	}

	#[benchmark]
	fn check_storage_proof_ed25519(d: Linear<0, { MAX_MERKLE_DEPTH }>) {
		let (proof, signature) = signed_storage_proof::<T>(Scheme::Ed25519, d);
		#[block]
		{
			authorize(Call::<T>::submit_storage_proof { proof, signature });
		}
	}

	#[benchmark]
	fn check_storage_proof_sr25519(d: Linear<0, { MAX_MERKLE_DEPTH }>) {
		let (proof, signature) = signed_storage_proof::<T>(Scheme::Sr25519, d);
		#[block]
		{
			authorize(Call::<T>::submit_storage_proof { proof, signature });
		}
	}

	#[benchmark]
	fn check_storage_proof_ecdsa(d: Linear<0, { MAX_MERKLE_DEPTH }>) {
		let (proof, signature) = signed_storage_proof::<T>(Scheme::Ecdsa, d);
		#[block]
		{
			authorize(Call::<T>::submit_storage_proof { proof, signature });
		}
	}

	#[benchmark]
	fn check_storage_proof_p256(d: Linear<0, { MAX_MERKLE_DEPTH }>) {
		let (proof, signature) = signed_storage_proof::<T>(Scheme::P256, d);
		#[block]
		{
			authorize(Call::<T>::submit_storage_proof { proof, signature });
		}
	}

	#[benchmark]
	fn submit_storage_proof() {
		late_epoch::<T>();
		let (proof, signature) = signed_storage_proof::<T>(Scheme::Ed25519, MAX_MERKLE_DEPTH);
		#[extrinsic_call]
		_(RawOrigin::Authorized, proof, signature);
	}

	#[benchmark]
	fn report_equivocation_ed25519(s: Linear<0, 1>) {
		let (id, a, sa, b, sb) = equivocation::<T>(Scheme::Ed25519, s == 1);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), id, a, sa, b, sb);
	}

	#[benchmark]
	fn report_equivocation_sr25519(s: Linear<0, 1>) {
		let (id, a, sa, b, sb) = equivocation::<T>(Scheme::Sr25519, s == 1);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), id, a, sa, b, sb);
	}

	#[benchmark]
	fn report_equivocation_ecdsa(s: Linear<0, 1>) {
		let (id, a, sa, b, sb) = equivocation::<T>(Scheme::Ecdsa, s == 1);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), id, a, sa, b, sb);
	}

	#[benchmark]
	fn report_equivocation_p256(s: Linear<0, 1>) {
		let (id, a, sa, b, sb) = equivocation::<T>(Scheme::P256, s == 1);
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		report_equivocation(RawOrigin::Signed(reporter), id, a, sa, b, sb);
	}

	#[benchmark]
	fn commit_storage() {
		let owner: T::AccountId = account("owner", 0, 0);
		let (_, id) = device::<T>(Scheme::Sr25519, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, H256::repeat_byte(1), 1u64 << MAX_MERKLE_DEPTH);
	}

	#[benchmark]
	fn report_unresponsive() {
		let (_, id) = device::<T>(Scheme::Sr25519, 0);
		// Run the clock far enough that the device missed the threshold.
		advance_to_epoch::<T>(T::MaxMissedEpochs::get().saturating_add(2));
		let reporter: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), id);
	}

	/// The worst boundary: the history of recent epochs is full (the oldest is dropped), and
	/// epochs were skipped (one more event).
	#[benchmark]
	fn on_initialize_epoch_boundary() {
		let full = crate::EpochHistoryLen::<T>::get();
		advance_to_epoch::<T>(full);
		let target = full + 3;
		let block = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::set_block_number(block);
		T::BenchmarkHelper::set_slot(Proofs::<T>::epoch_start_slot(target));
		#[block]
		{
			Proofs::<T>::on_initialize(block);
		}
		assert_eq!(CurrentEpoch::<T>::get(), target);
	}

	#[benchmark]
	fn on_initialize_within_epoch() {
		let block = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::set_block_number(block);
		T::BenchmarkHelper::set_slot(Proofs::<T>::epoch_start_slot(0) + 1);
		#[block]
		{
			Proofs::<T>::on_initialize(block);
		}
		assert_eq!(CurrentEpoch::<T>::get(), 0);
	}

	impl_benchmark_test_suite!(Proofs, crate::mock::new_test_ext(), crate::mock::Test);
}
