//! The off-chain worker against a device speaking the protocol: polled once per epoch, checked,
//! submitted; every failure logged in its stats and retried next epoch.

use crate::{mock::*, Call};
use codec::{Decode, Encode};
use depin_primitives::{
	protocol::{
		key_bytes, scheme_name, signature_bytes, stats_key, to_hex, HeartbeatRequest, Identity,
		RelayStats, SignedResponse, StorageProofRequest, ENDPOINTS_KEY,
	},
	DeviceSignature, Heartbeat,
};
use frame_support::traits::OffchainWorker;
use sp_core::offchain::{
	testing::{OffchainState, PendingRequest, PoolState, TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_runtime::offchain::storage::StorageValueRef;
use std::sync::Arc;

type Shared<T> = Arc<parking_lot::RwLock<T>>;

const ENDPOINT: &str = "http://device.local:8700/0";

/// Runs `body` with off-chain and transaction-pool externalities and `ENDPOINT` attached.
fn with_worker(body: impl FnOnce(&Shared<OffchainState>, &Shared<PoolState>)) {
	let mut ext = new_test_ext();
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		StorageValueRef::persistent(ENDPOINTS_KEY).set(&vec![ENDPOINT.as_bytes().to_vec()]);
		body(&state, &pool_state);
		Proofs::do_try_state().expect("proofs invariants hold");
	});
}

fn run_worker() {
	<Proofs as OffchainWorker<u64>>::offchain_worker(System::block_number());
}

fn expect_identity(state: &Shared<OffchainState>, key: &Key, class: u16) {
	let identity = Identity {
		key: to_hex(key_bytes(&key.public())),
		scheme: scheme_name(&key.public()).into(),
		class,
		firmware: "test".into(),
	};
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: format!("{ENDPOINT}/v1/identity"),
		response: Some(serde_json::to_vec(&identity).unwrap()),
		sent: true,
		..Default::default()
	});
}

fn signed(payload: &impl Encode, signature: &DeviceSignature) -> Vec<u8> {
	serde_json::to_vec(&SignedResponse {
		payload: to_hex(&payload.encode()),
		signature: to_hex(signature_bytes(signature)),
	})
	.unwrap()
}

fn expect_post(state: &Shared<OffchainState>, path: &str, request: Vec<u8>, response: Vec<u8>) {
	state.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: format!("{ENDPOINT}{path}"),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body: request,
		response: Some(response),
		sent: true,
		..Default::default()
	});
}

fn heartbeat_request(heartbeat: &Heartbeat) -> Vec<u8> {
	serde_json::to_vec(&HeartbeatRequest {
		genesis_hash: to_hex(GENESIS.as_bytes()),
		epoch: heartbeat.epoch,
		challenge: to_hex(heartbeat.challenge.as_bytes()),
	})
	.unwrap()
}

/// The calls in the pool.
fn submitted(pool: &Shared<PoolState>) -> Vec<RuntimeCall> {
	pool.read()
		.transactions
		.iter()
		.map(|tx| Extrinsic::decode(&mut &tx[..]).expect("our extrinsic").function)
		.collect()
}

fn stats() -> RelayStats {
	StorageValueRef::persistent(&stats_key(ENDPOINT.as_bytes()))
		.get::<RelayStats>()
		.unwrap()
		.unwrap_or_default()
}

#[test]
fn an_attached_device_is_polled_once_per_epoch_and_its_heartbeat_submitted() {
	with_worker(|state, pool| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let signature = sign_heartbeat(&key, &hb);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &signature));
		run_worker();
		assert_eq!(
			submitted(pool),
			vec![RuntimeCall::Proofs(Call::submit_heartbeat { heartbeat: hb, signature })]
		);
		// A second run in the same epoch (the next block, a re-org) polls nothing.
		run_to_block(System::block_number() + 1);
		run_worker();
		assert_eq!(submitted(pool).len(), 1);
		assert_eq!(stats().polled, 1);
		assert_eq!(stats().submitted, 1);

		// The next epoch: the identity is cached, only the heartbeat is asked for.
		next_epoch();
		let hb = heartbeat(id);
		let signature = sign_heartbeat(&key, &hb);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &signature));
		run_worker();
		assert_eq!(submitted(pool).len(), 2);
		assert_eq!((stats().polled, stats().submitted, stats().failed), (2, 2, 0));
	});
}

/// A storage device polled by the worker: what it submits, when a gateway did or did not
/// deliver the device's heartbeat before.
fn relay_storage_device(heartbeat_delivered_before: bool) -> (Vec<RuntimeCall>, RelayStats) {
	let mut outcome = (Vec::new(), RelayStats::default());
	with_worker(|state, pool| {
		let key = Key::all(2)[3].clone();
		let id = eligible(ALICE, &key, STORAGE);
		let chunks = data_set(16);
		frame_support::assert_ok!(Proofs::commit_storage(
			RuntimeOrigin::signed(ALICE),
			id,
			data_root(&chunks),
			16
		));
		// The commitment is in force from the next epoch.
		next_epoch();
		let hb = heartbeat(id);
		let hb_signature = sign_heartbeat(&key, &hb);
		let proof = storage_proof(id, &chunks);
		let proof_signature = sign_storage(&key, &proof);
		expect_identity(state, &key, STORAGE);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &hb_signature));
		let request = StorageProofRequest {
			genesis_hash: to_hex(GENESIS.as_bytes()),
			epoch: proof.epoch,
			challenge: to_hex(proof.challenge.as_bytes()),
		};
		expect_post(
			state,
			"/v1/storage-proof",
			serde_json::to_vec(&request).unwrap(),
			signed(&proof, &proof_signature),
		);
		if heartbeat_delivered_before {
			frame_support::assert_ok!(Proofs::submit_heartbeat(
				crate::mock::authorized(),
				hb.clone(),
				hb_signature
			));
		}
		run_worker();
		let mut expected = vec![RuntimeCall::Proofs(Call::submit_storage_proof {
			proof,
			signature: proof_signature,
		})];
		if !heartbeat_delivered_before {
			let heartbeat = Call::submit_heartbeat { heartbeat: hb, signature: hb_signature };
			expected.insert(0, RuntimeCall::Proofs(heartbeat));
		}
		assert_eq!(submitted(pool), expected);
		outcome = (submitted(pool), stats());
	});
	outcome
}

#[test]
fn a_storage_device_also_answers_its_storage_challenge() {
	let (calls, stats) = relay_storage_device(false);
	assert_eq!((calls.len(), stats.submitted, stats.failed), (2, 2, 0));
}

#[test]
fn a_storage_proof_is_relayed_even_when_a_gateway_delivered_the_heartbeat() {
	let (calls, stats) = relay_storage_device(true);
	assert_eq!((calls.len(), stats.submitted, stats.failed), (1, 1, 0));
}

#[test]
fn garbage_and_forged_answers_submit_nothing_and_are_retried_next_epoch() {
	with_worker(|state, pool| {
		let key = Key::sr(3);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), b"\x00not json".to_vec());
		run_worker();
		assert!(submitted(pool).is_empty());
		assert_eq!((stats().polled, stats().failed), (1, 1));
		assert_eq!(stats().last_error, b"Garbage".to_vec());

		// Next epoch: asked again (identity too, as the answer was garbage); a heartbeat
		// signed by another key is refused locally, before the pool.
		next_epoch();
		let hb = heartbeat(id);
		let forged = sign_heartbeat(&Key::sr(4), &hb);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &forged));
		run_worker();
		assert!(submitted(pool).is_empty());
		assert_eq!(stats().last_error, b"Refused(BadSignature)".to_vec());
	});
}

#[test]
fn an_answer_larger_than_64_kib_is_refused_as_too_large() {
	with_worker(|state, pool| {
		let key = Key::sr(3);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		expect_identity(state, &key, HOTSPOT);
		// A valid signed answer, padded with whitespace past the bound: valid JSON, too long.
		let mut answer = signed(&hb, &sign_heartbeat(&key, &hb));
		answer.resize(crate::offchain::MAX_RESPONSE + 1, b' ');
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), answer);
		run_worker();
		assert!(submitted(pool).is_empty());
		assert_eq!((stats().polled, stats().failed), (1, 1));
		assert_eq!(stats().last_error, b"TooLarge".to_vec());
	});
}

#[test]
fn a_payload_for_another_device_or_epoch_is_not_relayed() {
	with_worker(|state, pool| {
		let key = Key::sr(5);
		let id = eligible(ALICE, &key, HOTSPOT);
		let other = eligible(ALICE, &Key::sr(6), HOTSPOT);
		let hb = heartbeat(id);
		let mut wrong = heartbeat(other);
		wrong.device = other;
		expect_identity(state, &key, HOTSPOT);
		expect_post(
			state,
			"/v1/heartbeat",
			heartbeat_request(&hb),
			signed(&wrong, &sign_heartbeat(&key, &wrong)),
		);
		run_worker();
		assert!(submitted(pool).is_empty());
		assert_eq!(stats().last_error, b"WrongPayload".to_vec());
	});
}

#[test]
fn an_unregistered_device_is_refused_locally() {
	with_worker(|state, pool| {
		let key = Key::sr(7);
		let hb = heartbeat(key.id());
		expect_identity(state, &key, HOTSPOT);
		expect_post(
			state,
			"/v1/heartbeat",
			heartbeat_request(&hb),
			signed(&hb, &sign_heartbeat(&key, &hb)),
		);
		run_worker();
		assert!(submitted(pool).is_empty());
		assert_eq!(stats().last_error, b"Refused(UnknownDevice)".to_vec());
	});
}

#[test]
fn a_device_that_failed_is_retried_within_the_epoch() {
	with_worker(|state, pool| {
		let key = Key::sr(8);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), b"not yet".to_vec());
		run_worker();
		assert!(submitted(pool).is_empty());
		// Not at once (the next block), but RETRY_BLOCKS later, in the same epoch.
		run_to_block(System::block_number() + 1);
		run_worker();
		assert_eq!(stats().polled, 1);
		run_to_block(System::block_number() + 1);
		let signature = sign_heartbeat(&key, &hb);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &signature));
		run_worker();
		assert_eq!(Proofs::current_epoch_index(), 0, "still the same epoch");
		assert_eq!(
			submitted(pool),
			vec![RuntimeCall::Proofs(Call::submit_heartbeat { heartbeat: hb, signature })]
		);
		assert_eq!((stats().polled, stats().submitted, stats().failed), (2, 1, 1));
	});
}

#[test]
fn a_proof_the_chain_did_not_record_is_submitted_again_and_one_it_holds_is_left_alone() {
	with_worker(|state, pool| {
		let key = Key::sr(9);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let signature = sign_heartbeat(&key, &hb);
		expect_identity(state, &key, HOTSPOT);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &signature));
		run_worker();
		// The transaction never made it into a block (a pool dropped it): asked again.
		run_to_block(System::block_number() + crate::offchain::RETRY_BLOCKS);
		expect_post(state, "/v1/heartbeat", heartbeat_request(&hb), signed(&hb, &signature));
		run_worker();
		assert_eq!(submitted(pool).len(), 2);
		// Once the chain holds it, the device is left alone for the rest of the epoch: no
		// request is expected, and the test's HTTP double would fail on an unexpected one.
		frame_support::assert_ok!(Proofs::submit_heartbeat(
			crate::mock::authorized(),
			hb,
			signature
		));
		for _ in 0..3 {
			run_to_block(System::block_number() + crate::offchain::RETRY_BLOCKS);
			run_worker();
		}
		assert_eq!(submitted(pool).len(), 2);
		assert_eq!(stats().submitted, 2);
	});
}
