//! A simulated device: its key, class, telemetry, optional data set and fault mode, and what it
//! answers to each request of the device protocol.

use crate::{
	firmware::Firmware,
	key::{DevicePair, Scheme},
	storage::Dataset,
};
use codec::Encode;
use depin_primitives::{
	challenged_leaves,
	protocol::{
		from_hex_array, key_bytes, signature_bytes, to_hex, HeartbeatRequest, Identity,
		PossessionRequest, PossessionResponse, RecoveryRequest, SignedResponse,
		StorageProofRequest,
	},
	signing_message, DeviceId, EpochIndex, Heartbeat, Reading, RecoveryPayload, SigningDomain,
	StorageProof,
};
use sp_core::H256;
use sp_io::hashing::blake2_256;
use std::{
	collections::BTreeMap,
	str::FromStr,
	sync::{Arc, Mutex},
	time::Duration,
};

/// How a device misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	/// Never answers: connections are closed without a response.
	Offline,
	/// Answers correctly, but only after the delay (past any sensible deadline).
	Slow(Duration),
	/// Sends the headers of a proof's answer and the first bytes of its body, then nothing
	/// more, never closing the connection (a device that trickles its body).
	Stall,
	/// Answers proof requests with bytes that are not the protocol's JSON.
	Garbage,
	/// Signs with a key that is not its registered key.
	BadSignature,
	/// The old firmware: signs two different heartbeats for each epoch; answers with the
	/// first and keeps both for `report_equivocation` (an honest device signs one).
	Equivocation,
	/// Answers storage challenges with a corrupted chunk (correctly signed).
	WrongStorageProof,
	/// Serves a self-signed certificate as its attestation: no maker's root issued it.
	Unattested,
	/// Its maker lists its certificate as revoked (`GET /sim/makers`).
	Revoked,
}

impl FromStr for Fault {
	type Err = anyhow::Error;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Ok(match s {
			"offline" => Fault::Offline,
			"slow" => Fault::Slow(Duration::from_secs(30)),
			"garbage" => Fault::Garbage,
			"stall" => Fault::Stall,
			"bad-signature" => Fault::BadSignature,
			"equivocation" => Fault::Equivocation,
			"wrong-storage-proof" => Fault::WrongStorageProof,
			"unattested" => Fault::Unattested,
			"revoked" => Fault::Revoked,
			other => match other.strip_prefix("slow:") {
				Some(secs) => Fault::Slow(Duration::from_secs(secs.parse()?)),
				None => anyhow::bail!(
					"unknown fault {other:?} (offline, slow[:SECONDS], stall, garbage, \
					 bad-signature, equivocation, wrong-storage-proof, unattested, revoked)"
				),
			},
		})
	}
}

/// What a device is:
/// `scheme=sr25519,seed=NAME,class=1[,storage=CHUNKS][,fault=FAULT][,owner=0xACCOUNT][,maker=N]`.
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
	/// The account it was provisioned for: the only owner it signs a registration or a
	/// recovery for.
	pub owner: Option<[u8; 32]>,
	/// The simulated maker that made it (a P-256 device): it serves the certificate chain that
	/// maker issued for its key at `GET /v1/attestation`.
	pub maker: Option<u32>,
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
			owner: None,
			maker: None,
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
				"maker" => spec.maker = Some(value.parse()?),
				"owner" => {
					spec.owner = Some(from_hex_array(value).ok_or_else(|| {
						anyhow::anyhow!("owner {value:?} is not 0x and 32 bytes of hex")
					})?)
				},
				other => anyhow::bail!("unknown device field {other:?}"),
			}
		}
		anyhow::ensure!(!spec.seed.is_empty(), "a device needs a seed (seed=NAME)");
		anyhow::ensure!(
			spec.maker.is_none() || spec.scheme == Scheme::P256,
			"a maker's chip holds a P-256 key (scheme=p256 with maker=N)"
		);
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
	/// A request the device will not sign for (another owner): status 403 and the reason.
	Forbidden(String),
	/// Nothing there (a device without an attestation): status 404 and the reason.
	NotFound(String),
	/// The device is not provisioned yet (it does not know its chain): status 503.
	Unavailable(String),
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
	firmware: Arc<Firmware>,
	/// What the device signed for: the readings it fixed for its latest epochs, and below
	/// which epoch it signs nothing (kept across restarts in the state directory).
	fixed: Mutex<Fixed>,
	equivocations: Mutex<BTreeMap<EpochIndex, Equivocation>>,
	/// The certificate chain its maker issued (DER, leaf first), if a maker made it.
	attestation: Option<Vec<Vec<u8>>>,
}

/// Firmware version the simulator reports.
pub const FIRMWARE: &str = concat!("depin-device-sim/", env!("CARGO_PKG_VERSION"));

impl SimDevice {
	/// Builds the device of `spec` with unprovisioned firmware (it signs no proof until it
	/// knows its chain): derives its key and generates its data set.
	pub fn new(spec: DeviceSpec) -> anyhow::Result<Self> {
		Self::with_firmware(spec, Arc::new(Firmware::default()))
	}

	/// Builds the device of `spec` running `firmware` (its chain, clock and state), and
	/// loads the readings it fixed before a restart.
	pub fn with_firmware(spec: DeviceSpec, firmware: Arc<Firmware>) -> anyhow::Result<Self> {
		let pair = DevicePair::from_seed(spec.scheme, &spec.seed).map_err(anyhow::Error::msg)?;
		let wrong_pair = DevicePair::from_seed(spec.scheme, &format!("{}/not-mine", spec.seed))
			.map_err(anyhow::Error::msg)?;
		let dataset = spec
			.storage_chunks
			.map(|n| Dataset::generate(&spec.seed, n))
			.transpose()
			.map_err(anyhow::Error::msg)?;
		let fixed = firmware.load_state(&pair.public().device_id())?;
		Ok(Self {
			spec,
			pair,
			wrong_pair,
			dataset,
			firmware,
			fixed: Mutex::new(fixed),
			equivocations: Default::default(),
			attestation: None,
		})
	}

	/// Has its maker (one of `makers`, as its spec says) issue its certificate, as device
	/// `number` of the simulator; with the `unattested` fault it certifies itself instead.
	pub fn attest(&mut self, makers: &[crate::maker::Maker], number: u64) -> anyhow::Result<()> {
		let Some(index) = self.spec.maker else { return Ok(()) };
		let DevicePair::P256(key) = &self.pair else {
			anyhow::bail!("only a P-256 device is attested by a maker");
		};
		let cert = match self.spec.fault {
			Some(Fault::Unattested) => crate::maker::self_signed(key, number)?,
			fault => makers
				.iter()
				.find(|maker| maker.index == index)
				.ok_or_else(|| anyhow::anyhow!("no maker {index}"))?
				.issue(key.verifying_key(), number, fault == Some(Fault::Revoked))?,
		};
		self.attestation = Some(vec![cert]);
		Ok(())
	}

	/// `GET /v1/attestation`.
	pub fn attestation(&self) -> Answer {
		match &self.attestation {
			Some(chain) => json(&depin_primitives::protocol::AttestationResponse {
				chain: chain.iter().map(|cert| to_hex(cert)).collect(),
			}),
			None => Answer::NotFound("this device has no maker's attestation".into()),
		}
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

	/// Its firmware.
	pub fn firmware(&self) -> &Arc<Firmware> {
		&self.firmware
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

	/// The owner a signature of registration or recovery is asked for, if it is the one the
	/// device was provisioned for on this chain; else what the device answers instead.
	fn provisioned_owner(
		&self,
		genesis: &str,
		owner: &str,
	) -> Result<([u8; 32], [u8; 32]), Answer> {
		let (genesis, owner) = two_hashes(genesis, owner, "owner")?;
		let chain = self.firmware.chain().ok_or_else(not_provisioned)?;
		if genesis != chain.genesis_hash {
			return Err(Answer::BadRequest("another chain than the device's".into()));
		}
		match self.spec.owner {
			Some(provisioned) if provisioned == owner => Ok((genesis, owner)),
			Some(_) => Err(Answer::Forbidden(
				"the device signs only for the owner it was provisioned for".into(),
			)),
			None => Err(Answer::Forbidden("the device was provisioned for no owner".into())),
		}
	}

	/// `POST /v1/proof-of-possession`: signs the registration message, only for the owner the
	/// device was provisioned for (always with its own key: even a device whose proofs are
	/// forged can be registered).
	pub fn proof_of_possession(&self, body: &[u8]) -> Answer {
		if self.spec.fault == Some(Fault::Offline) {
			return Answer::Silence;
		}
		let request = match parse::<PossessionRequest>(body, "possession") {
			Ok(request) => request,
			Err(refusal) => return refusal,
		};
		let (genesis, owner) = match self.provisioned_owner(&request.genesis_hash, &request.owner) {
			Ok(pair) => pair,
			Err(refusal) => return refusal,
		};
		let message = signing_message(SigningDomain::Register, &genesis, &owner);
		json(&PossessionResponse { signature: to_hex(signature_bytes(&self.pair.sign(&message))) })
	}

	/// `POST /v1/recovery`: signs the recovery of the device to the owner it was provisioned
	/// for, with the nonce the chain expects (asking for other nonces gets signatures that
	/// are useless: each counts once, for that owner only).
	pub fn recovery(&self, body: &[u8]) -> Answer {
		if self.spec.fault == Some(Fault::Offline) {
			return Answer::Silence;
		}
		let request = match parse::<RecoveryRequest>(body, "recovery") {
			Ok(request) => request,
			Err(refusal) => return refusal,
		};
		let (genesis, owner) = match self.provisioned_owner(&request.genesis_hash, &request.owner) {
			Ok(pair) => pair,
			Err(refusal) => return refusal,
		};
		let payload = RecoveryPayload { device: self.id(), new_owner: owner, nonce: request.nonce };
		let message = signing_message(SigningDomain::Recover, &genesis, &payload);
		json(&PossessionResponse { signature: to_hex(signature_bytes(&self.pair.sign(&message))) })
	}

	/// The telemetry the device reads now: uptime (metric 1, seconds since the firmware
	/// started), temperature (metric 2, milli-degrees Celsius, varying second by second, as a
	/// live sensor does) and, for storage devices, bytes stored (metric 3).
	fn read_sensors(&self, now_ms: u64, variant: u8) -> Vec<Reading> {
		let noise = blake2_256(&(self.spec.seed.as_bytes(), now_ms / 1_000, variant).encode());
		let temperature = 20_000 + i64::from(u16::from_le_bytes([noise[0], noise[1]]) % 15_000);
		let uptime = now_ms.saturating_sub(self.firmware.started_ms) / 1_000;
		let mut readings = vec![
			Reading { metric: 1, value: i64::try_from(uptime).unwrap_or(i64::MAX) },
			Reading { metric: 2, value: temperature },
		];
		if let Some(data) = &self.dataset {
			let bytes =
				data.leaf_count().saturating_mul(u64::from(depin_primitives::MAX_CHUNK_LEN));
			readings.push(Reading { metric: 3, value: i64::try_from(bytes).unwrap_or(i64::MAX) });
		}
		readings
	}

	/// The readings of `epoch`, which [`Self::signable`] allowed: fixed (and persisted, before
	/// they are used) the first time the epoch is asked for, and kept while the epoch is at
	/// least the highest one fixed minus one, so that whoever asks, and however often, gets the
	/// same payload.
	fn readings_of(&self, epoch: EpochIndex) -> anyhow::Result<Vec<Reading>> {
		let mut fixed = self.fixed.lock().map_err(|_| anyhow::anyhow!("state poisoned"))?;
		if let Some(readings) = fixed.readings.get(&epoch) {
			return Ok(readings.clone());
		}
		let readings = self.read_sensors(self.firmware.now_ms(), 0);
		let mut next = fixed.clone();
		next.readings.insert(epoch, readings.clone());
		next.high = Some(next.high.map_or(epoch, |high| high.max(epoch)));
		if let Some(high) = next.high {
			next.readings.retain(|kept, _| kept.saturating_add(1) >= high);
		}
		self.firmware.save_state(&self.id(), &next)?;
		*fixed = next;
		Ok(readings)
	}

	/// Whether the device may sign for `epoch` now: its own clock says the epoch is current,
	/// give or take one; it is not below the first epoch this firmware may sign for (after a
	/// start without saved state, the one after the start: it may have signed the current one
	/// before); and not below the highest epoch fixed minus one (whose readings are kept: an
	/// older epoch may have been signed with readings since dropped).
	fn signable(&self, epoch: EpochIndex) -> Result<(), Answer> {
		let chain = self.firmware.chain().ok_or_else(not_provisioned)?;
		let current = chain.epoch_at(self.firmware.now_ms());
		if epoch.abs_diff(current) > 1 {
			return Err(Answer::BadRequest(format!(
				"epoch {epoch} is not current: the device's clock says {current}"
			)));
		}
		let mut fixed = self
			.fixed
			.lock()
			.map_err(|_| Answer::Unavailable("the device's state is poisoned".into()))?;
		let floor = match fixed.floor {
			Some(floor) => floor,
			None => {
				let mut next = fixed.clone();
				next.floor = Some(current.saturating_add(1));
				self.firmware.save_state(&self.id(), &next).map_err(|e| {
					Answer::Unavailable(format!("cannot keep the device's state: {e}"))
				})?;
				*fixed = next;
				current.saturating_add(1)
			},
		};
		let kept_from = fixed.high.map_or(0, |high| high.saturating_sub(1));
		if epoch < floor.max(kept_from) {
			return Err(Answer::BadRequest(format!(
				"epoch {epoch} is before what the device may sign for ({})",
				floor.max(kept_from)
			)));
		}
		Ok(())
	}

	/// `POST /v1/heartbeat`: the heartbeat of the epoch, a deterministic function of (epoch,
	/// challenge) and of the readings fixed for the epoch.
	pub fn heartbeat(&self, body: &[u8]) -> Answer {
		let (request, genesis, challenge) =
			match self.challenged::<HeartbeatRequest>(body, "heartbeat") {
				Ok(parsed) => parsed,
				Err(answer) => return answer,
			};
		if let Err(answer) = self.signable(request.epoch) {
			return answer;
		}
		let readings = match self.readings_of(request.epoch) {
			Ok(readings) => readings,
			Err(e) => return Answer::Unavailable(format!("cannot keep the epoch's readings: {e}")),
		};
		let signed = |readings: Vec<Reading>| {
			let heartbeat = Heartbeat {
				device: self.id(),
				epoch: request.epoch,
				challenge: H256(challenge),
				readings: readings.try_into().unwrap_or_default(),
			};
			self.sign(SigningDomain::Heartbeat, &genesis, &heartbeat)
		};
		let first = signed(readings);
		if self.spec.fault == Some(Fault::Equivocation) {
			// The old firmware: a second, different heartbeat for the same epoch.
			let second = signed(self.read_sensors(self.firmware.now_ms(), 1));
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

	/// `POST /v1/storage-proof`: the chunks the challenge selects among the device's own
	/// chunks (never indices from the request), with their Merkle paths.
	pub fn storage_proof(&self, body: &[u8]) -> Answer {
		let (request, genesis, challenge) =
			match self.challenged::<StorageProofRequest>(body, "storage-proof") {
				Ok(parsed) => parsed,
				Err(answer) => return answer,
			};
		if let Err(answer) = self.signable(request.epoch) {
			return answer;
		}
		let Some(data) = &self.dataset else {
			return Answer::BadRequest("this device stores no data".into());
		};
		let indices = challenged_leaves(
			&H256(challenge),
			data.leaf_count(),
			self.firmware.leaves_per_challenge,
		);
		let mut leaves = Vec::with_capacity(indices.len());
		for index in indices {
			match data.prove(index) {
				Ok(leaf) => leaves.push(leaf),
				Err(e) => return Answer::BadRequest(e),
			}
		}
		if self.spec.fault == Some(Fault::WrongStorageProof) {
			if let Some(byte) = leaves.first_mut().and_then(|leaf| leaf.chunk.get_mut(0)) {
				*byte ^= 0xff;
			}
		} else if let Some(bad) = leaves.iter().find(|leaf| !data.holds(leaf)) {
			// Honest firmware never signs an answer its own data does not prove (a read error
			// would otherwise be a second answer to one challenge).
			return Answer::Unavailable(format!("chunk {} does not match the data set", bad.index));
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
	/// everything, then a malformed request, or one for another chain, is refused.
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
		let chain = self.firmware.chain().ok_or_else(not_provisioned)?;
		if genesis != chain.genesis_hash {
			return Err(Answer::BadRequest("another chain than the device's".into()));
		}
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

/// What a device keeps of what it signed, across restarts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixed {
	/// The first epoch it may sign for; `None` until first needed (then the epoch after the
	/// current one, since a device without saved state may have signed the current one).
	pub floor: Option<EpochIndex>,
	/// The highest epoch it fixed readings for.
	pub high: Option<EpochIndex>,
	/// The readings it fixed, for the epochs from `high − 1` on.
	pub readings: BTreeMap<EpochIndex, Vec<Reading>>,
}

fn not_provisioned() -> Answer {
	Answer::Unavailable("the device is not provisioned: it does not know its chain yet".into())
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
