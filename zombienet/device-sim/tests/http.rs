//! The simulator over real HTTP: what each device serves verifies as the chain verifies it,
//! and each fault mode does what it says.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use codec::Decode;
use depin_device_sim::{server, ChainParams, DeviceSpec, Firmware, SimDevice};
use depin_primitives::{
	challenged_leaves, merkle,
	protocol::{
		device_key, device_signature, from_hex, to_hex, HeartbeatRequest, Identity, SignedResponse,
		StorageProofRequest, HEARTBEAT_PATH, IDENTITY_PATH, STORAGE_PROOF_PATH,
	},
	signing_message, DeviceKey, DeviceSignature, Heartbeat, SigningDomain, StorageProof,
};
use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, Method, Request, StatusCode};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use sp_core::H256;
use std::{
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};

const GENESIS: [u8; 32] = [7; 32];
/// Epochs of a minute, the first starting at 1 000 000 ms.
const GENESIS_TIME: u64 = 1_000_000;
const EPOCH_MS: u64 = 60_000;
/// The epoch the devices' clock starts in.
const NOW_EPOCH: u32 = 9;
/// The owner the devices were provisioned for.
const OWNER: [u8; 32] = [5; 32];

struct Sim {
	base: String,
	devices: Arc<Vec<SimDevice>>,
	/// The devices' clock, in milliseconds.
	clock: Arc<AtomicU64>,
}

impl Sim {
	/// Moves the devices' clock forward by `ms`.
	fn advance(&self, ms: u64) {
		self.clock.fetch_add(ms, Ordering::SeqCst);
	}
}

/// The simulator of `specs`, provisioned for the chain of [`GENESIS`], its clock in the middle
/// of epoch [`NOW_EPOCH`], keeping its state in `state_dir` if given; `fresh`: new devices,
/// whose keys have signed nothing yet.
async fn start_with(specs: &[&str], state_dir: Option<std::path::PathBuf>, fresh: bool) -> Sim {
	let clock = Arc::new(AtomicU64::new(GENESIS_TIME + u64::from(NOW_EPOCH) * EPOCH_MS + 30_000));
	let read = clock.clone();
	let chain = ChainParams {
		genesis_hash: GENESIS,
		genesis_time_ms: GENESIS_TIME,
		epoch_duration_ms: EPOCH_MS,
	};
	let firmware = Firmware::new(
		Some(chain),
		None,
		4,
		Arc::new(move || read.load(Ordering::SeqCst)),
		state_dir,
	);
	let firmware = Arc::new(if fresh { firmware.fresh() } else { firmware });
	let specs = specs.iter().map(|s| s.parse::<DeviceSpec>().unwrap()).collect();
	let (devices, makers) = depin_device_sim::build(specs, firmware).unwrap();
	let devices = Arc::new(devices);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let base = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(server::serve(listener, devices.clone(), Arc::new(makers)));
	Sim { base, devices, clock }
}

async fn start(specs: &[&str]) -> Sim {
	start_with(specs, None, true).await
}

/// One HTTP exchange: the status and body, or `None` if the connection closed unanswered.
async fn call(url: &str, method: Method, body: Option<String>) -> Option<(StatusCode, Vec<u8>)> {
	let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let request = Request::builder()
		.method(method)
		.uri(url)
		.header("content-type", "application/json")
		.body(Full::new(Bytes::from(body.unwrap_or_default())))
		.unwrap();
	let response = client.request(request).await.ok()?;
	let status = response.status();
	Some((status, response.into_body().collect().await.ok()?.to_bytes().to_vec()))
}

fn challenge() -> H256 {
	H256::repeat_byte(3)
}

fn heartbeat_request(epoch: u32) -> String {
	heartbeat_request_for(epoch, challenge(), &GENESIS)
}

fn heartbeat_request_for(epoch: u32, challenge: H256, genesis: &[u8; 32]) -> String {
	serde_json::to_string(&HeartbeatRequest {
		genesis_hash: to_hex(genesis),
		epoch,
		challenge: to_hex(challenge.as_bytes()),
	})
	.unwrap()
}

async fn identity(sim: &Sim, n: usize) -> Identity {
	let (status, body) =
		call(&format!("{}/{n}{IDENTITY_PATH}", sim.base), Method::GET, None).await.unwrap();
	assert_eq!(status, StatusCode::OK);
	serde_json::from_slice(&body).unwrap()
}

async fn signed_heartbeat(sim: &Sim, n: usize, epoch: u32) -> SignedResponse {
	let (status, body) = call(
		&format!("{}/{n}{HEARTBEAT_PATH}", sim.base),
		Method::POST,
		Some(heartbeat_request(epoch)),
	)
	.await
	.unwrap();
	assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
	serde_json::from_slice(&body).unwrap()
}

/// The device key an identity announces.
fn key_of(identity: &Identity) -> DeviceKey {
	device_key(&identity.scheme, &identity.key).unwrap()
}

/// The signature of `signed`, as the key's scheme reads it.
fn signature_of(key: &DeviceKey, signed: &SignedResponse) -> DeviceSignature {
	device_signature(key, &signed.signature).unwrap()
}

/// Decodes a signed heartbeat and checks its signature as the chain does.
fn check_heartbeat(key: &DeviceKey, signed: &SignedResponse) -> (Heartbeat, bool) {
	let heartbeat = Heartbeat::decode(&mut &from_hex(&signed.payload).unwrap()[..]).unwrap();
	let message = signing_message(SigningDomain::Heartbeat, &GENESIS, &heartbeat);
	(heartbeat.clone(), key.verify(&message, &signature_of(key, signed)))
}

#[tokio::test]
async fn every_scheme_serves_heartbeats_the_chain_accepts() {
	let sim = start(&[
		"scheme=sr25519,seed=a,class=1",
		"scheme=ed25519,seed=b,class=1",
		"scheme=ecdsa,seed=c,class=2",
		"scheme=p256,seed=d,class=2",
	])
	.await;
	for n in 0..4 {
		let identity = identity(&sim, n).await;
		let key = key_of(&identity);
		assert_eq!(key.device_id(), sim.devices[n].id());
		let (heartbeat, valid) = check_heartbeat(&key, &signed_heartbeat(&sim, n, NOW_EPOCH).await);
		assert!(valid, "device {n} ({})", identity.scheme);
		assert_eq!(
			(heartbeat.device, heartbeat.epoch, heartbeat.challenge),
			(key.device_id(), NOW_EPOCH, challenge())
		);
		assert_eq!(heartbeat.readings.len(), 2, "uptime and temperature");
	}
}

#[tokio::test]
async fn a_storage_device_proves_the_challenged_chunks_of_its_committed_root() {
	let sim = start(&["scheme=ed25519,seed=box,class=3,storage=40"]).await;
	let data = sim.devices[0].dataset().unwrap();
	let indices = challenged_leaves(&challenge(), data.leaf_count(), 4);
	// Indices in the request are not the protocol's: the device ignores them and derives its
	// own from the challenge.
	let request = serde_json::json!({
		"genesis_hash": to_hex(&GENESIS),
		"epoch": NOW_EPOCH,
		"challenge": to_hex(challenge().as_bytes()),
		"indices": [0, 0, 0, 0],
	});
	// A single device also answers at the root.
	let (status, body) = call(
		&format!("{}{STORAGE_PROOF_PATH}", sim.base),
		Method::POST,
		Some(serde_json::to_string(&request).unwrap()),
	)
	.await
	.unwrap();
	assert_eq!(status, StatusCode::OK);
	let signed: SignedResponse = serde_json::from_slice(&body).unwrap();
	let proof = StorageProof::decode(&mut &from_hex(&signed.payload).unwrap()[..]).unwrap();
	let key = sim.devices[0].pair().public();
	let message = signing_message(SigningDomain::Storage, &GENESIS, &proof);
	assert!(key.verify(&message, &signature_of(&key, &signed)));
	assert_eq!(proof.leaves.iter().map(|l| l.index).collect::<Vec<_>>(), indices);
	for leaf in &proof.leaves {
		let hash = merkle::leaf_hash(&leaf.chunk);
		assert!(merkle::verify(&data.root(), data.leaf_count(), leaf.index, hash, &leaf.path));
	}
}

#[tokio::test]
async fn faulty_devices_misbehave_as_asked() {
	let sim = start(&[
		"scheme=sr25519,seed=off,class=1,fault=offline",
		"scheme=sr25519,seed=junk,class=1,fault=garbage",
		"scheme=sr25519,seed=forger,class=1,fault=bad-signature",
		"scheme=sr25519,seed=twice,class=1,fault=equivocation",
		"scheme=ed25519,seed=liar,class=3,storage=8,fault=wrong-storage-proof",
		"scheme=sr25519,seed=sloth,class=1,fault=slow:2",
	])
	.await;
	// Offline: no answer at all.
	assert!(call(&format!("{}/0{IDENTITY_PATH}", sim.base), Method::GET, None).await.is_none());
	assert!(call(
		&format!("{}/0{HEARTBEAT_PATH}", sim.base),
		Method::POST,
		Some(heartbeat_request(NOW_EPOCH))
	)
	.await
	.is_none());
	// Garbage: an answer that is not the protocol's JSON.
	let (status, body) = call(
		&format!("{}/1{HEARTBEAT_PATH}", sim.base),
		Method::POST,
		Some(heartbeat_request(NOW_EPOCH)),
	)
	.await
	.unwrap();
	assert_eq!(status, StatusCode::OK);
	assert!(serde_json::from_slice::<SignedResponse>(&body).is_err());
	// Bad signature: well-formed, but not signed by the announced key.
	let key = key_of(&identity(&sim, 2).await);
	assert!(!check_heartbeat(&key, &signed_heartbeat(&sim, 2, NOW_EPOCH).await).1);
	// Equivocation: serves one heartbeat, and signed a different one for the same epoch.
	let key = key_of(&identity(&sim, 3).await);
	let served = signed_heartbeat(&sim, 3, NOW_EPOCH).await;
	let (status, body) =
		call(&format!("{}/3/sim/equivocations", sim.base), Method::GET, None).await.unwrap();
	assert_eq!(status, StatusCode::OK);
	let pairs: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
	assert_eq!(pairs.len(), 1);
	let second: SignedResponse = serde_json::from_value(pairs[0]["second"].clone()).unwrap();
	assert_eq!(
		serde_json::from_value::<SignedResponse>(pairs[0]["first"].clone()).unwrap(),
		served
	);
	let (a, a_valid) = check_heartbeat(&key, &served);
	let (b, b_valid) = check_heartbeat(&key, &second);
	assert!(a_valid && b_valid);
	assert_eq!((a.epoch, a.device), (b.epoch, b.device));
	assert_ne!(a, b, "two different payloads for one epoch");
	// Wrong storage proof: correctly signed, but a chunk does not match the root.
	let data_root = sim.devices[4].dataset().unwrap().root();
	let request = StorageProofRequest {
		genesis_hash: to_hex(&GENESIS),
		epoch: NOW_EPOCH,
		challenge: to_hex(challenge().as_bytes()),
	};
	let (_, body) = call(
		&format!("{}/4{STORAGE_PROOF_PATH}", sim.base),
		Method::POST,
		Some(serde_json::to_string(&request).unwrap()),
	)
	.await
	.unwrap();
	let signed: SignedResponse = serde_json::from_slice(&body).unwrap();
	let proof = StorageProof::decode(&mut &from_hex(&signed.payload).unwrap()[..]).unwrap();
	let leaf = &proof.leaves[0];
	assert!(!merkle::verify(&data_root, 8, leaf.index, merkle::leaf_hash(&leaf.chunk), &leaf.path));
	// Slow: answers, but only after its delay.
	let started = std::time::Instant::now();
	signed_heartbeat(&sim, 5, NOW_EPOCH).await;
	assert!(started.elapsed() >= Duration::from_secs(2));
}

#[tokio::test]
async fn malformed_requests_are_refused_with_a_reason() {
	let sim = start(&["scheme=sr25519,seed=a,class=1", "scheme=sr25519,seed=b,class=1"]).await;
	let (status, body) =
		call(&format!("{}/0{HEARTBEAT_PATH}", sim.base), Method::POST, Some("{}".into()))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::BAD_REQUEST);
	assert!(String::from_utf8_lossy(&body).contains("not a heartbeat request"));
	let bad_hex = r#"{"genesis_hash":"0x01","epoch":1,"challenge":"0x02"}"#;
	let (status, _) =
		call(&format!("{}/0{HEARTBEAT_PATH}", sim.base), Method::POST, Some(bad_hex.into()))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::BAD_REQUEST);
	let well_formed = serde_json::to_string(&StorageProofRequest {
		genesis_hash: to_hex(&GENESIS),
		epoch: NOW_EPOCH,
		challenge: to_hex(&[2; 32]),
	})
	.unwrap();
	let (status, body) =
		call(&format!("{}/0{STORAGE_PROOF_PATH}", sim.base), Method::POST, Some(well_formed))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::BAD_REQUEST, "not a storage device");
	assert!(String::from_utf8_lossy(&body).contains("stores no data"));
	let (status, _) =
		call(&format!("{}/9{IDENTITY_PATH}", sim.base), Method::GET, None).await.unwrap();
	assert_eq!(status, StatusCode::NOT_FOUND);
	let (status, _) =
		call(&format!("{}{IDENTITY_PATH}", sim.base), Method::GET, None).await.unwrap();
	assert_eq!(status, StatusCode::NOT_FOUND, "two devices: none at the root");
}

#[tokio::test]
async fn a_device_proves_possession_of_its_key_only_for_its_provisioned_owner() {
	use depin_primitives::protocol::{
		PossessionRequest, PossessionResponse, RecoveryRequest, POSSESSION_PATH, RECOVERY_PATH,
	};
	let owner = format!("owner={}", to_hex(&OWNER));
	let sim = start(&[
		&format!("scheme=p256,seed=new,class=2,{owner}"),
		&format!("scheme=sr25519,seed=f,class=1,fault=bad-signature,{owner}"),
		"scheme=sr25519,seed=nobody,class=1",
	])
	.await;
	let possession = |who: [u8; 32]| {
		serde_json::to_string(&PossessionRequest {
			genesis_hash: to_hex(&GENESIS),
			owner: to_hex(&who),
		})
		.unwrap()
	};
	for n in 0..2 {
		let (status, body) = call(
			&format!("{}/{n}{POSSESSION_PATH}", sim.base),
			Method::POST,
			Some(possession(OWNER)),
		)
		.await
		.unwrap();
		assert_eq!(status, StatusCode::OK);
		let answer: PossessionResponse = serde_json::from_slice(&body).unwrap();
		let key = sim.devices[n].pair().public();
		let message = signing_message(SigningDomain::Register, &GENESIS, &OWNER);
		let signature = device_signature(&key, &answer.signature).unwrap();
		assert!(key.verify(&message, &signature), "device {n} proves possession");
		// Whoever else asks first gets nothing to register it with: no front-running.
		let (status, _) = call(
			&format!("{}/{n}{POSSESSION_PATH}", sim.base),
			Method::POST,
			Some(possession([6; 32])),
		)
		.await
		.unwrap();
		assert_eq!(status, StatusCode::FORBIDDEN);
	}
	// A device provisioned for nobody signs for nobody.
	let (status, _) =
		call(&format!("{}/2{POSSESSION_PATH}", sim.base), Method::POST, Some(possession(OWNER)))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::FORBIDDEN);
	// Recovery: for the provisioned owner, with the chain's nonce, under its own domain.
	let recovery = |who: [u8; 32]| {
		serde_json::to_string(&RecoveryRequest {
			genesis_hash: to_hex(&GENESIS),
			owner: to_hex(&who),
			nonce: 3,
		})
		.unwrap()
	};
	let (status, body) =
		call(&format!("{}/0{RECOVERY_PATH}", sim.base), Method::POST, Some(recovery(OWNER)))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::OK);
	let answer: PossessionResponse = serde_json::from_slice(&body).unwrap();
	let key = sim.devices[0].pair().public();
	let payload =
		depin_primitives::RecoveryPayload { device: key.device_id(), new_owner: OWNER, nonce: 3 };
	let message = signing_message(SigningDomain::Recover, &GENESIS, &payload);
	assert!(key.verify(&message, &device_signature(&key, &answer.signature).unwrap()));
	let (status, _) =
		call(&format!("{}/0{RECOVERY_PATH}", sim.base), Method::POST, Some(recovery([6; 32])))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn two_relays_asking_the_same_get_the_same_payload() {
	let sim =
		start(&["scheme=sr25519,seed=hot,class=1", "scheme=ed25519,seed=box,class=3,storage=16"])
			.await;
	let first = signed_heartbeat(&sim, 0, NOW_EPOCH).await;
	// Later in the epoch the live sensors read differently: the payload stays.
	sim.advance(20_000);
	// (Signatures of some schemes are randomised: what counts is the payload.)
	assert_eq!(signed_heartbeat(&sim, 0, NOW_EPOCH).await.payload, first.payload);
	// A request with another (invented) challenge gets another payload, with the same
	// readings: nothing the chain would count as an equivocation.
	let (_, body) = call(
		&format!("{}/0{HEARTBEAT_PATH}", sim.base),
		Method::POST,
		Some(heartbeat_request_for(NOW_EPOCH, H256::repeat_byte(9), &GENESIS)),
	)
	.await
	.unwrap();
	let invented: SignedResponse = serde_json::from_slice(&body).unwrap();
	let key = sim.devices[0].pair().public();
	let (a, _) = check_heartbeat(&key, &first);
	let (b, _) = check_heartbeat(&key, &invented);
	assert_eq!(a.readings, b.readings);
	assert_ne!(a.challenge, b.challenge);
	// Storage proofs too.
	let request = serde_json::to_string(&StorageProofRequest {
		genesis_hash: to_hex(&GENESIS),
		epoch: NOW_EPOCH,
		challenge: to_hex(challenge().as_bytes()),
	})
	.unwrap();
	let url = format!("{}/1{STORAGE_PROOF_PATH}", sim.base);
	let payload = |(status, body): (StatusCode, Vec<u8>)| {
		assert_eq!(status, StatusCode::OK);
		serde_json::from_slice::<SignedResponse>(&body).unwrap().payload
	};
	let once = payload(call(&url, Method::POST, Some(request.clone())).await.unwrap());
	let twice = payload(call(&url, Method::POST, Some(request)).await.unwrap());
	assert_eq!(once, twice);
}

#[tokio::test]
async fn readings_fixed_for_an_epoch_survive_a_restart() {
	let dir = tempfile::tempdir().unwrap();
	let spec = "scheme=sr25519,seed=hot,class=1";
	let first = {
		let sim = start_with(&[spec], Some(dir.path().to_owned()), true).await;
		signed_heartbeat(&sim, 0, NOW_EPOCH).await
	};
	// The device restarts a few seconds later (its sensors read differently now).
	let sim = start_with(&[spec], Some(dir.path().to_owned()), false).await;
	sim.advance(5_000);
	assert_eq!(signed_heartbeat(&sim, 0, NOW_EPOCH).await.payload, first.payload);
}

#[tokio::test]
async fn a_device_signs_only_for_its_current_epoch_give_or_take_one() {
	let sim = start(&["scheme=sr25519,seed=hot,class=1"]).await;
	let ask = |epoch: u32| {
		call_owned(format!("{}/0{HEARTBEAT_PATH}", sim.base), heartbeat_request(epoch))
	};
	for epoch in [NOW_EPOCH - 1, NOW_EPOCH, NOW_EPOCH + 1] {
		assert_eq!(ask(epoch).await.0, StatusCode::OK, "epoch {epoch}");
	}
	for epoch in [0, NOW_EPOCH - 2, NOW_EPOCH + 2, u32::MAX] {
		let (status, body) = ask(epoch).await;
		assert_eq!(status, StatusCode::BAD_REQUEST, "epoch {epoch}");
		assert!(String::from_utf8_lossy(&body).contains("not current"));
	}
	// The clock moves on: the device keeps the readings of three epochs at most.
	sim.advance(EPOCH_MS);
	assert_eq!(ask(NOW_EPOCH + 2).await.0, StatusCode::OK);
	assert_eq!(ask(NOW_EPOCH - 1).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_device_signs_nothing_for_another_chain_or_before_it_is_provisioned() {
	let sim = start(&["scheme=sr25519,seed=hot,class=1"]).await;
	let (status, body) = call_owned(
		format!("{}/0{HEARTBEAT_PATH}", sim.base),
		heartbeat_request_for(NOW_EPOCH, challenge(), &[8; 32]),
	)
	.await;
	assert_eq!(status, StatusCode::BAD_REQUEST);
	assert!(String::from_utf8_lossy(&body).contains("another chain"));

	let devices =
		Arc::new(vec![SimDevice::new("scheme=sr25519,seed=hot,class=1".parse().unwrap()).unwrap()]);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let base = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(server::serve(listener, devices, Default::default()));
	let (status, _) =
		call_owned(format!("{base}/0{HEARTBEAT_PATH}"), heartbeat_request(NOW_EPOCH)).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

/// A POST of `body` to `url`: the status and body.
async fn call_owned(url: String, body: String) -> (StatusCode, Vec<u8>) {
	call(&url, Method::POST, Some(body)).await.unwrap()
}

#[tokio::test]
async fn a_restart_without_saved_state_signs_only_from_the_next_epoch() {
	// Before the restart the device may have signed this epoch with other readings: it does
	// not sign it again, whoever asks.
	let sim = start_with(&["scheme=sr25519,seed=hot,class=1"], None, false).await;
	let (status, body) =
		call_owned(format!("{}/0{HEARTBEAT_PATH}", sim.base), heartbeat_request(NOW_EPOCH)).await;
	assert_eq!(status, StatusCode::BAD_REQUEST);
	assert!(String::from_utf8_lossy(&body).contains("before what the device may sign for"));
	let next =
		call_owned(format!("{}/0{HEARTBEAT_PATH}", sim.base), heartbeat_request(NOW_EPOCH + 1));
	assert_eq!(next.await.0, StatusCode::OK);
	// Nor, once a later epoch is fixed, an epoch older than the readings it keeps.
	sim.advance(2 * EPOCH_MS);
	let later = heartbeat_request(NOW_EPOCH + 3);
	assert_eq!(
		call_owned(format!("{}/0{HEARTBEAT_PATH}", sim.base), later).await.0,
		StatusCode::OK
	);
	let (status, _) =
		call_owned(format!("{}/0{HEARTBEAT_PATH}", sim.base), heartbeat_request(NOW_EPOCH + 1))
			.await;
	assert_eq!(status, StatusCode::BAD_REQUEST, "NOW + 1 is neither current nor kept");
}

#[tokio::test]
async fn a_stalling_device_sends_headers_and_never_its_whole_body() {
	let sim = start(&["scheme=sr25519,seed=stuck,class=1,fault=stall"]).await;
	let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let request = Request::builder()
		.method(Method::POST)
		.uri(format!("{}{HEARTBEAT_PATH}", sim.base))
		.header("content-type", "application/json")
		.body(Full::new(Bytes::from(heartbeat_request(NOW_EPOCH))))
		.unwrap();
	let response = client.request(request).await.unwrap();
	assert_eq!(response.status(), StatusCode::OK, "the headers come");
	let body = tokio::time::timeout(Duration::from_secs(2), response.into_body().collect()).await;
	assert!(body.is_err(), "the body never ends");
	// Its identity is served whole (the worker must learn its key to ask for proofs).
	assert_eq!(identity(&sim, 0).await.class, 1);
}

/// The attestation chain device `n` serves (DER certificates, leaf first), or the status.
async fn attestation(sim: &Sim, n: usize) -> Result<Vec<Vec<u8>>, StatusCode> {
	let url = format!("{}/{n}{}", sim.base, depin_primitives::protocol::ATTESTATION_PATH);
	let (status, body) = call(&url, Method::GET, None).await.unwrap();
	if status != StatusCode::OK {
		return Err(status);
	}
	let response: depin_primitives::protocol::AttestationResponse =
		serde_json::from_slice(&body).unwrap();
	Ok(response
		.chain
		.iter()
		.map(|hex| depin_primitives::protocol::from_hex(hex).unwrap())
		.collect())
}

#[tokio::test]
async fn a_makers_devices_serve_chains_the_runtime_accepts_and_its_faults_do_not() {
	let sim = start(&[
		"scheme=p256,seed=chip-0,class=4,maker=0",
		"scheme=p256,seed=chip-1,class=4,maker=1",
		"scheme=p256,seed=chip-2,class=4,maker=0,fault=unattested",
		"scheme=p256,seed=chip-3,class=4,maker=0,fault=revoked",
		"scheme=sr25519,seed=plain,class=1",
	])
	.await;
	let (status, body) =
		call(&format!("{}/sim/makers", sim.base), Method::GET, None).await.unwrap();
	assert_eq!(status, StatusCode::OK);
	let makers: Vec<depin_device_sim::maker::MakerListing> = serde_json::from_slice(&body).unwrap();
	assert_eq!(makers.len(), 2);
	let root = |i: usize| depin_primitives::protocol::from_hex(&makers[i].root).unwrap();
	let now = 1_796_083_200; // 2026-12-01
	let verify = |n: usize, chain: &[Vec<u8>], root: &[u8]| {
		let depin_primitives::DeviceKey::P256(key) = sim.devices[n].pair().public() else {
			panic!("a P-256 device")
		};
		let chain: Vec<&[u8]> = chain.iter().map(|c| c.as_slice()).collect();
		pallet_makers::x509::verify_chain(&chain, &[root], now, &key, |_| false)
	};
	// Each maker's device: a chain its maker's root verifies with the runtime's own code, and
	// the other maker's does not.
	let chain = attestation(&sim, 0).await.unwrap();
	let verified = verify(0, &chain, &root(0)).expect("maker 0's root verifies its device");
	assert_eq!(verified.algorithms, vec![pallet_makers::x509::Algorithm::P256]);
	assert!(verify(0, &chain, &root(1)).is_err());
	assert!(verify(1, &attestation(&sim, 1).await.unwrap(), &root(1)).is_ok());
	// Unattested: self-signed, no maker's root.
	let chain = attestation(&sim, 2).await.unwrap();
	assert_eq!(verify(2, &chain, &root(0)), Err(pallet_makers::x509::ChainError::UnknownRoot));
	// Revoked: a valid chain whose serial maker 0 lists as revoked.
	let chain = attestation(&sim, 3).await.unwrap();
	let leaf = verify(3, &chain, &root(0)).expect("valid, if revoked");
	assert_eq!(makers[0].revoked, vec![to_hex(&leaf.serials[0])]);
	// A device no maker made has no attestation.
	assert_eq!(attestation(&sim, 4).await, Err(StatusCode::NOT_FOUND));
	// Nor can a maker make a chip of another scheme.
	assert!("scheme=ed25519,seed=x,class=4,maker=0".parse::<DeviceSpec>().is_err());
}
