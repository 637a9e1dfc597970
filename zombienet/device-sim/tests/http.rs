//! The simulator over real HTTP: what each device serves verifies as the chain verifies it,
//! and each fault mode does what it says.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use codec::Decode;
use depin_device_sim::{server, DeviceSpec, SimDevice};
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
use std::{sync::Arc, time::Duration};

const GENESIS: [u8; 32] = [7; 32];

struct Sim {
	base: String,
	devices: Arc<Vec<SimDevice>>,
}

async fn start(specs: &[&str]) -> Sim {
	let devices: Vec<SimDevice> =
		specs.iter().map(|s| SimDevice::new(s.parse::<DeviceSpec>().unwrap()).unwrap()).collect();
	let devices = Arc::new(devices);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let base = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(server::serve(listener, devices.clone()));
	Sim { base, devices }
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
	serde_json::to_string(&HeartbeatRequest {
		genesis_hash: to_hex(&GENESIS),
		epoch,
		challenge: to_hex(challenge().as_bytes()),
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
		let (heartbeat, valid) = check_heartbeat(&key, &signed_heartbeat(&sim, n, 9).await);
		assert!(valid, "device {n} ({})", identity.scheme);
		assert_eq!(
			(heartbeat.device, heartbeat.epoch, heartbeat.challenge),
			(key.device_id(), 9, challenge())
		);
		assert_eq!(heartbeat.readings[0].value, 9 * 3_600, "uptime");
	}
}

#[tokio::test]
async fn a_storage_device_proves_the_challenged_chunks_of_its_committed_root() {
	let sim = start(&["scheme=ed25519,seed=box,class=3,storage=40"]).await;
	let data = sim.devices[0].dataset().unwrap();
	let indices = challenged_leaves(&challenge(), data.leaf_count(), 4);
	let request = StorageProofRequest {
		genesis_hash: to_hex(&GENESIS),
		epoch: 5,
		challenge: to_hex(challenge().as_bytes()),
		indices: indices.clone(),
	};
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
		Some(heartbeat_request(1))
	)
	.await
	.is_none());
	// Garbage: an answer that is not the protocol's JSON.
	let (status, body) =
		call(&format!("{}/1{HEARTBEAT_PATH}", sim.base), Method::POST, Some(heartbeat_request(1)))
			.await
			.unwrap();
	assert_eq!(status, StatusCode::OK);
	assert!(serde_json::from_slice::<SignedResponse>(&body).is_err());
	// Bad signature: well-formed, but not signed by the announced key.
	let key = key_of(&identity(&sim, 2).await);
	assert!(!check_heartbeat(&key, &signed_heartbeat(&sim, 2, 1).await).1);
	// Equivocation: serves one heartbeat, and signed a different one for the same epoch.
	let key = key_of(&identity(&sim, 3).await);
	let served = signed_heartbeat(&sim, 3, 4).await;
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
		epoch: 1,
		challenge: to_hex(challenge().as_bytes()),
		indices: vec![2, 5],
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
	signed_heartbeat(&sim, 5, 1).await;
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
		genesis_hash: to_hex(&[1; 32]),
		epoch: 1,
		challenge: to_hex(&[2; 32]),
		indices: vec![0],
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
async fn a_device_proves_possession_of_its_key_for_an_owner() {
	use depin_primitives::protocol::{PossessionRequest, PossessionResponse, POSSESSION_PATH};
	let sim = start(&[
		"scheme=p256,seed=new,class=2",
		"scheme=sr25519,seed=f,class=1,fault=bad-signature",
	])
	.await;
	let owner = [5u8; 32];
	for n in 0..2 {
		let request = PossessionRequest { genesis_hash: to_hex(&GENESIS), owner: to_hex(&owner) };
		let (status, body) = call(
			&format!("{}/{n}{POSSESSION_PATH}", sim.base),
			Method::POST,
			Some(serde_json::to_string(&request).unwrap()),
		)
		.await
		.unwrap();
		assert_eq!(status, StatusCode::OK);
		let answer: PossessionResponse = serde_json::from_slice(&body).unwrap();
		let key = sim.devices[n].pair().public();
		let message = signing_message(SigningDomain::Register, &GENESIS, &owner);
		let signature = device_signature(&key, &answer.signature).unwrap();
		assert!(key.verify(&message, &signature), "device {n} proves possession");
	}
}
