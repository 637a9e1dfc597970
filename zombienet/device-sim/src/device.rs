//! A simulated device: its key, class, telemetry, optional data set and fault mode, and what it
//! answers to each request of the device protocol.

use crate::{
	key::{DevicePair, Scheme},
	storage::Dataset,
};
use codec::Encode;
use depin_primitives::{
	protocol::{
		from_hex_array, key_bytes, signature_bytes, to_hex, HeartbeatRequest, Identity,
		PossessionRequest, PossessionResponse, SignedResponse, StorageProofRequest,
	},
	signing_message, DeviceId, EpochIndex, Heartbeat, Reading, SigningDomain, StorageProof,
};
use sp_core::H256;
use sp_io::hashing::blake2_256;
use std::{collections::BTreeMap, str::FromStr, sync::Mutex, time::Duration};

/// How a device misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	/// Never answers: connections are closed without a response.
	Offline,
	/// Answers correctly, but only after the delay (past any sensible deadline).
	Slow(Duration),
	/// Answers proof requests with bytes that are not the protocol's JSON.
	Garbage,
	/// Signs with a key that is not its registered key.
	BadSignature,
	/// Signs two different heartbeats for each epoch; answers with the first and keeps both
	/// for `report_equivocation`.
	Equivocation,
	/// Answers storage challenges with a corrupted chunk (correctly signed).
	WrongStorageProof,
}

impl FromStr for Fault {
	type Err = anyhow::Error;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Ok(match s {
			"offline" => Fault::Offline,
			"slow" => Fault::Slow(Duration::from_secs(30)),
			"garbage" => Fault::Garbage,
			"bad-signature" => Fault::BadSignature,
			"equivocation" => Fault::Equivocation,
			"wrong-storage-proof" => Fault::WrongStorageProof,
			other => match other.strip_prefix("slow:") {
				Some(secs) => Fault::Slow(Duration::from_secs(secs.parse()?)),
				None => anyhow::bail!(
					"unknown fault {other:?} (offline, slow[:SECONDS], garbage, bad-signature, \
					 equivocation, wrong-storage-proof)"
				),
			},
		})
	}
}

/// What a device is: `scheme=sr25519,seed=NAME,class=1[,storage=CHUNKS][,fault=FAULT]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSpec {
	/// Its key scheme.
	pub scheme: Scheme,
	/// Its key seed (and its data set's).
	pub seed: String,
	/// Its device class.
	pub class: u16,
	/// Chunks of data it stores (storage devices).
	pub storage_chunks: Option<u64>,
	/// How it misbehaves, if it does.
	pub fault: Option<Fault>,
}

impl FromStr for DeviceSpec {
	type Err = anyhow::Error;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		let mut spec = DeviceSpec {
			scheme: Scheme::Sr25519,
			seed: String::new(),
			class: 1,
			storage_chunks: None,
			fault: None,
		};
		for field in s.split(',').filter(|f| !f.is_empty()) {
			let (name, value) = field
				.split_once('=')
				.ok_or_else(|| anyhow::anyhow!("{field:?} is not NAME=VALUE"))?;
			match name {
				"scheme" => spec.scheme = value.parse()?,
				"seed" => spec.seed = value.to_owned(),
				"class" => spec.class = value.parse()?,
				"storage" => spec.storage_chunks = Some(value.parse()?),
				"fault" => spec.fault = Some(value.parse()?),
				other => anyhow::bail!("unknown device field {other:?}"),
			}
		}
		anyhow::ensure!(!spec.seed.is_empty(), "a device needs a seed (seed=NAME)");
		Ok(spec)
	}
}

/// A device's answer to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
	/// JSON, status 200.
	Json(String),
	/// Bytes that are not the protocol's JSON, status 200.
	Garbage(Vec<u8>),
	/// A refused request: status 400 and the reason.
	BadRequest(String),
	/// No answer at all: the connection is closed.
	Silence,
}

/// Two different heartbeats one device signed for one epoch.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Equivocation {
	/// The epoch.
	pub epoch: EpochIndex,
	/// The first signed heartbeat (the one the device served).
	pub first: SignedResponse,
	/// The second one.
	pub second: SignedResponse,
}

/// A simulated device.
pub struct SimDevice {
	spec: DeviceSpec,
	pair: DevicePair,
	wrong_pair: DevicePair,
	dataset: Option<Dataset>,
	equivocations: Mutex<BTreeMap<EpochIndex, Equivocation>>,
}

/// Firmware version the simulator reports.
pub const FIRMWARE: &str = concat!("depin-device-sim/", env!("CARGO_PKG_VERSION"));

impl SimDevice {
	/// Builds the device of `spec`: derives its key and generates its data set.
	pub fn new(spec: DeviceSpec) -> anyhow::Result<Self> {
		let pair = DevicePair::from_seed(spec.scheme, &spec.seed)?;
		let wrong_pair = DevicePair::from_seed(spec.scheme, &format!("{}/not-mine", spec.seed))?;
		let dataset = spec.storage_chunks.map(|n| Dataset::generate(&spec.seed, n)).transpose()?;
		Ok(Self { spec, pair, wrong_pair, dataset, equivocations: Default::default() })
	}

	/// What it is.
	pub fn spec(&self) -> &DeviceSpec {
		&self.spec
	}

	/// Its key pair.
	pub fn pair(&self) -> &DevicePair {
		&self.pair
	}

	/// Its id on chain.
	pub fn id(&self) -> DeviceId {
		self.pair.public().device_id()
	}

	/// Its data set, if it stores one.
	pub fn dataset(&self) -> Option<&Dataset> {
		self.dataset.as_ref()
	}

	/// Its fault, if any.
	pub fn fault(&self) -> Option<Fault> {
		self.spec.fault
	}

	/// The equivocations it committed, by epoch.
	pub fn equivocations(&self) -> Vec<Equivocation> {
		self.equivocations.lock().map(|e| e.values().cloned().collect()).unwrap_or_default()
	}

	/// `GET /v1/identity`.
	pub fn identity(&self) -> Answer {
		if self.spec.fault == Some(Fault::Offline) {
			return Answer::Silence;
		}
		json(&Identity {
			key: to_hex(key_bytes(&self.pair.public())),
			scheme: self.spec.scheme.name().into(),
			class: self.spec.class,
			firmware: FIRMWARE.into(),
		})
	}

	/// `POST /v1/proof-of-possession`: signs the registration message for an owner (always with
	/// its own key: even a device whose proofs are forged can be registered).
	pub fn proof_of_possession(&self, body: &[u8]) -> Answer {
		if self.spec.fault == Some(Fault::Offline) {
			return Answer::Silence;
		}
		let (genesis, owner) = match parse::<PossessionRequest>(body, "possession")
			.and_then(|r| two_hashes(&r.genesis_hash, &r.owner, "owner"))
		{
			Ok(pair) => pair,
			Err(refusal) => return refusal,
		};
		let message = signing_message(SigningDomain::Register, &genesis, &owner);
		json(&PossessionResponse { signature: to_hex(signature_bytes(&self.pair.sign(&message))) })
	}

	/// Telemetry for `epoch`: uptime (metric 1, seconds), temperature (metric 2, milli-degrees
	/// Celsius) and, for storage devices, bytes stored (metric 3); varies with the epoch.
	pub fn readings(&self, epoch: EpochIndex, variant: u8) -> Vec<Reading> {
		let noise = blake2_256(&(self.spec.seed.as_bytes(), epoch, variant).encode());
		let temperature = 20_000 + i64::from(u16::from_le_bytes([noise[0], noise[1]]) % 15_000);
		let mut readings = vec![
			Reading { metric: 1, value: i64::from(epoch).saturating_mul(3_600) },
			Reading { metric: 2, value: temperature },
		];
		if let Some(data) = &self.dataset {
			let bytes =
				data.leaf_count().saturating_mul(u64::from(depin_primitives::MAX_CHUNK_LEN));
			readings.push(Reading { metric: 3, value: i64::try_from(bytes).unwrap_or(i64::MAX) });
		}
		readings
	}

	/// `POST /v1/heartbeat`.
	pub fn heartbeat(&self, body: &[u8]) -> Answer {
		let (request, genesis, challenge) =
			match self.challenged::<HeartbeatRequest>(body, "heartbeat") {
				Ok(parsed) => parsed,
				Err(answer) => return answer,
			};
		let signed = |variant: u8| {
			let heartbeat = Heartbeat {
				device: self.id(),
				epoch: request.epoch,
				challenge: H256(challenge),
				readings: self.readings(request.epoch, variant).try_into().unwrap_or_default(),
			};
			self.sign(SigningDomain::Heartbeat, &genesis, &heartbeat)
		};
		let first = signed(0);
		if self.spec.fault == Some(Fault::Equivocation) {
			let second = signed(1);
			if let Ok(mut all) = self.equivocations.lock() {
				all.entry(request.epoch).or_insert(Equivocation {
					epoch: request.epoch,
					first: first.clone(),
					second,
				});
			}
		}
		json(&first)
	}

	/// `POST /v1/storage-proof`.
	pub fn storage_proof(&self, body: &[u8]) -> Answer {
		let (request, genesis, challenge) =
			match self.challenged::<StorageProofRequest>(body, "storage-proof") {
				Ok(parsed) => parsed,
				Err(answer) => return answer,
			};
		let Some(data) = &self.dataset else {
			return Answer::BadRequest("this device stores no data".into());
		};
		let mut leaves = Vec::with_capacity(request.indices.len());
		for index in &request.indices {
			match data.prove(*index) {
				Ok(leaf) => leaves.push(leaf),
				Err(e) => return Answer::BadRequest(e.to_string()),
			}
		}
		if self.spec.fault == Some(Fault::WrongStorageProof) {
			if let Some(byte) = leaves.first_mut().and_then(|leaf| leaf.chunk.get_mut(0)) {
				*byte ^= 0xff;
			}
		}
		let Ok(leaves) = leaves.try_into() else {
			return Answer::BadRequest("too many indices".into());
		};
		let proof = StorageProof {
			device: self.id(),
			epoch: request.epoch,
			challenge: H256(challenge),
			leaves,
		};
		json(&self.sign(SigningDomain::Storage, &genesis, &proof))
	}

	/// A proof request (heartbeat or storage proof) with its genesis hash and challenge
	/// decoded, or what the device answers instead: its fault (offline, garbage) pre-empts
	/// everything, then a malformed request is refused.
	fn challenged<R: ChallengeRequest>(
		&self,
		body: &[u8],
		what: &str,
	) -> Result<(R, [u8; 32], [u8; 32]), Answer> {
		match self.spec.fault {
			Some(Fault::Offline) => return Err(Answer::Silence),
			Some(Fault::Garbage) => return Err(Answer::Garbage(garbage(body))),
			_ => {},
		}
		let request = parse::<R>(body, what)?;
		let (genesis, challenge) = request.hashes();
		let (genesis, challenge) = two_hashes(genesis, challenge, "challenge")?;
		Ok((request, genesis, challenge))
	}

	/// Signs `payload` for `domain` on the chain of `genesis` (with the wrong key if that is
	/// its fault).
	fn sign<P: Encode>(
		&self,
		domain: SigningDomain,
		genesis: &[u8; 32],
		payload: &P,
	) -> SignedResponse {
		let message = signing_message(domain, genesis, payload);
		let pair = if self.spec.fault == Some(Fault::BadSignature) {
			&self.wrong_pair
		} else {
			&self.pair
		};
		SignedResponse {
			payload: to_hex(&payload.encode()),
			signature: to_hex(signature_bytes(&pair.sign(&message))),
		}
	}
}

/// A request that carries a genesis hash and a challenge (hex).
trait ChallengeRequest: serde::de::DeserializeOwned {
	/// The genesis hash and the challenge, as sent.
	fn hashes(&self) -> (&str, &str);
}

impl ChallengeRequest for HeartbeatRequest {
	fn hashes(&self) -> (&str, &str) {
		(&self.genesis_hash, &self.challenge)
	}
}

impl ChallengeRequest for StorageProofRequest {
	fn hashes(&self) -> (&str, &str) {
		(&self.genesis_hash, &self.challenge)
	}
}

/// A request's JSON, or the refusal that names what it should have been.
fn parse<R: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<R, Answer> {
	serde_json::from_slice(body)
		.map_err(|e| Answer::BadRequest(format!("not a {what} request: {e}")))
}

/// The genesis hash and a second 32-byte field (named `other`) of a request.
fn two_hashes(genesis: &str, second: &str, other: &str) -> Result<([u8; 32], [u8; 32]), Answer> {
	match (from_hex_array::<32>(genesis), from_hex_array::<32>(second)) {
		(Some(genesis), Some(second)) => Ok((genesis, second)),
		_ => Err(Answer::BadRequest(format!("genesis_hash and {other} must be 32 bytes of hex"))),
	}
}

fn json<T: serde::Serialize>(value: &T) -> Answer {
	match serde_json::to_string(value) {
		Ok(text) => Answer::Json(text),
		Err(e) => Answer::BadRequest(format!("cannot encode the answer: {e}")),
	}
}

/// Bytes that look like nothing the protocol allows (derived from the request, so that they
/// vary).
fn garbage(request: &[u8]) -> Vec<u8> {
	let mut bytes = b"\x00\xffnot json ".to_vec();
	bytes.extend_from_slice(&blake2_256(request));
	bytes
}
