//! The off-chain worker: relays what hardware attached to this node signed.
//!
//! `depin-node --device-endpoint URL` writes the endpoints into the node's persistent off-chain
//! storage under [`ENDPOINTS_KEY`](depin_primitives::protocol::ENDPOINTS_KEY) (SCALE
//! `Vec<Vec<u8>>`), where an operator can also change them on a running node
//! (`offchain_localStorageSet`, see `docs/running-a-device.md`). After each block it imports,
//! the worker serves every endpoint that is due (see [`RelayState`]):
//!
//! 1. it learns the device's key (`GET /v1/identity`, cached in local storage);
//! 2. it asks every due device at once for the heartbeat of the epoch and challenge
//!    (`POST /v1/heartbeat`), then every storage device with a commitment in force for the
//!    proof of its challenged chunks (`POST /v1/storage-proof`);
//! 3. it checks each answer as the chain will (payload for this device, epoch and challenge,
//!    signature by the device's key, [`Pallet::check_heartbeat`] /
//!    [`Pallet::check_storage_proof`]);
//! 4. it submits what passed as feeless authorized transactions.
//!
//! **Deadlines.** All the exchanges of one step share one deadline ([`HTTP_DEADLINE`]), which
//! covers the headers *and* the body: bodies are read a slice at a time, in turns, so a device
//! that sends its headers and then trickles (or never finishes) its body costs the others at
//! most one slice ([`BODY_SLICE`]) per turn, and is cut off at the deadline.
//!
//! **Retries.** A device whose relay failed is tried again [`RETRY_BLOCKS`] blocks later,
//! and one whose proofs were submitted is looked at again as long as the chain has not
//! recorded them, until they are or the epoch ends. Only one worker run serves devices at a
//! time (a lock in local storage): runs overlap when devices are slow, and a skipped or
//! repeated run is harmless.
//!
//! Per device the worker keeps [`RelayStats`] (polled, submitted, failed, the last error) under
//! [`stats_key`], for operators and the node's Prometheus metrics.

use crate::{pallet::*, Call, ProofError, LOG_TARGET};
use alloc::{string::String, vec, vec::Vec};
use codec::{Decode, Encode};
use depin_primitives::{
	protocol::{
		device_key, device_signature, from_hex, stats_key, to_hex, HeartbeatRequest, Identity,
		RelayStats, SignedResponse, StorageProofRequest, ENDPOINTS_KEY, HEARTBEAT_PATH,
		IDENTITY_PATH, STORAGE_PROOF_PATH,
	},
	DeviceId, DeviceKey, DeviceSignature, EpochIndex, Heartbeat, ProofKind, StorageProof,
};
use frame_system::offchain::SubmitTransaction;
use sp_core::offchain::HttpError;
use sp_io::hashing::blake2_256;
use sp_runtime::{
	offchain::{
		http,
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
		Duration, Timestamp,
	},
	traits::SaturatedConversion,
};

/// Most endpoints one node polls; more are ignored, with a warning.
pub const MAX_ENDPOINTS: usize = 256;
/// How long one step's exchanges (every device's, at once) may take, headers and body.
pub const HTTP_DEADLINE: Duration = Duration::from_millis(3_000);
/// How long one turn of reading a body may wait for data before the next device's turn.
pub const BODY_SLICE: Duration = Duration::from_millis(50);
/// Largest answer accepted from a device.
pub const MAX_RESPONSE: usize = 64 * 1024;
/// Blocks after which a device that failed, or whose proofs the chain has not recorded yet,
/// is served again within the epoch.
pub const RETRY_BLOCKS: u64 = 2;
/// Local-storage key of the lock that keeps worker runs from serving devices at once.
const LOCK_KEY: &[u8] = b"depin/ocw/lock";
/// How long a run may hold the lock: every step's deadline and some slack.
const LOCK_EXPIRY: Duration = Duration::from_millis(20_000);

/// Why relaying a device's proofs failed this time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayError {
	/// The request could not be sent (bad URL, no HTTP in this node).
	Unreachable,
	/// No whole answer (headers and body) before the deadline.
	Timeout,
	/// The connection failed or closed without an answer.
	NoAnswer,
	/// An HTTP status other than 200.
	Status(u16),
	/// The answer is not the protocol's JSON.
	Garbage,
	/// The answer is longer than [`MAX_RESPONSE`] bytes; no more of it is read.
	TooLarge,
	/// The identity announces a key the chain does not know how to read.
	BadKey,
	/// The payload is not for this device, epoch or challenge, or does not decode.
	WrongPayload,
	/// The chain would refuse the proof, and why.
	Refused(ProofError),
	/// The transaction pool did not take the transaction.
	Submit,
}

impl RelayError {
	/// A short reason, for logs and `RelayStats::last_error`.
	pub fn reason(&self) -> String {
		alloc::format!("{self:?}")
	}
}

/// Where one endpoint stands in an epoch (SCALE, under [`claim_key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RelayState {
	/// The epoch.
	pub epoch: EpochIndex,
	/// Whether the chain has recorded everything the device owes this epoch: nothing more
	/// to do until the next.
	pub done: bool,
	/// The first block at which the endpoint may be served again (after a failure, or after
	/// a submission the chain may not have recorded yet).
	pub next_attempt: u64,
}

/// Local-storage key of the [`RelayState`] of `endpoint`.
pub fn claim_key(endpoint: &[u8]) -> Vec<u8> {
	[b"depin/ocw/claim/".as_slice(), &blake2_256(endpoint)].concat()
}

/// Local-storage key of the cached identity of `endpoint`.
fn identity_key(endpoint: &[u8]) -> Vec<u8> {
	[b"depin/ocw/identity/".as_slice(), &blake2_256(endpoint)].concat()
}

/// One due device being served.
struct Relay {
	endpoint: Vec<u8>,
	url: String,
	key: Option<DeviceKey>,
	submitted: u32,
	result: Result<(), RelayError>,
}

impl Relay {
	fn device(&self) -> Option<DeviceId> {
		self.key.map(|key| key.device_id())
	}

	fn fail(&mut self, error: RelayError) {
		if self.result.is_ok() {
			self.result = Err(error);
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Serves every attached endpoint that is due.
	pub fn relay_attached_devices() {
		let mut lock = StorageLock::<Time>::with_deadline(LOCK_KEY, LOCK_EXPIRY);
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "another worker run is serving the devices");
			return;
		};
		let endpoints = StorageValueRef::persistent(ENDPOINTS_KEY)
			.get::<Vec<Vec<u8>>>()
			.ok()
			.flatten()
			.unwrap_or_default();
		if endpoints.len() > MAX_ENDPOINTS {
			log::warn!(
				target: LOG_TARGET,
				"{} device endpoints attached; polling the first {MAX_ENDPOINTS}",
				endpoints.len()
			);
		}
		let epoch = CurrentEpoch::<T>::get();
		let now: u64 = frame_system::Pallet::<T>::block_number().saturated_into();
		let mut relays: Vec<Relay> = endpoints
			.into_iter()
			.take(MAX_ENDPOINTS)
			.filter(|endpoint| Self::due(endpoint, epoch, now))
			.map(|endpoint| Relay {
				url: String::from_utf8_lossy(&endpoint).into_owned(),
				endpoint,
				key: None,
				submitted: 0,
				result: Ok(()),
			})
			.collect();
		if relays.is_empty() {
			return;
		}
		Self::identities(&mut relays);
		let genesis = Self::genesis_hash();
		// Devices whose proofs the chain already holds need no exchange at all.
		let mut pending = Vec::new();
		for relay in relays.iter_mut() {
			match relay.device() {
				Some(device) if Self::delivered(&device, epoch) => {},
				Some(_) => pending.push(relay),
				None => {},
			}
		}
		Self::heartbeats(&mut pending, epoch, genesis.as_ref());
		Self::storage_proofs(&mut pending, epoch, genesis.as_ref());
		for relay in &relays {
			Self::finish(relay, epoch, now);
		}
	}

	/// Whether `endpoint` is to be served at block `now` of `epoch`.
	fn due(endpoint: &[u8], epoch: EpochIndex, now: u64) -> bool {
		match StorageValueRef::persistent(&claim_key(endpoint)).get::<RelayState>() {
			Ok(Some(state)) if state.epoch == epoch => !state.done && now >= state.next_attempt,
			Ok(Some(state)) => state.epoch < epoch,
			_ => true,
		}
	}

	/// Whether the chain holds every proof `device`'s class owes for `epoch`.
	fn delivered(device: &DeviceId, epoch: EpochIndex) -> bool {
		use depin_primitives::DeviceRegistry;
		let Some(summary) = T::Devices::device(device) else { return false };
		let Some(terms) = T::Devices::class_terms(summary.class) else { return false };
		let record = Records::<T>::get(device).unwrap_or_default();
		let has = |kind: ProofKind, owed: bool| !owed || record.last(kind) == Some(epoch);
		(terms.owes_heartbeat || terms.owes_storage)
			&& has(ProofKind::Heartbeat, terms.owes_heartbeat)
			&& has(
				ProofKind::Storage,
				terms.owes_storage && Self::current_storage_challenge(device).is_some(),
			)
	}

	/// Records what happened to `relay` at block `now` of `epoch`: its state, its stats, a
	/// log line.
	fn finish(relay: &Relay, epoch: EpochIndex, now: u64) {
		let done = relay.device().is_some_and(|device| Self::delivered(&device, epoch));
		let state = RelayState { epoch, done, next_attempt: now.saturating_add(RETRY_BLOCKS) };
		StorageValueRef::persistent(&claim_key(&relay.endpoint)).set(&state);

		let key = stats_key(&relay.endpoint);
		let stats = StorageValueRef::persistent(&key);
		let mut value = stats.get::<RelayStats>().ok().flatten().unwrap_or_default();
		value.polled = value.polled.saturating_add(1);
		value.last_epoch = epoch;
		value.submitted = value.submitted.saturating_add(relay.submitted);
		let url = &relay.url;
		match (&relay.result, relay.device()) {
			(Ok(()), Some(device)) => log::info!(
				target: LOG_TARGET,
				"device {device:?} at {url}: epoch {epoch}: {} proof(s) submitted",
				relay.submitted
			),
			(Ok(()), None) => {},
			(Err(error), _) => {
				value.failed = value.failed.saturating_add(1);
				value.last_error = error.reason().into_bytes();
				// A different device may answer there next time: forget its identity.
				StorageValueRef::persistent(&identity_key(&relay.endpoint)).clear();
				log::warn!(
					target: LOG_TARGET,
					"device at {url}: epoch {epoch}: nothing relayed: {error:?}"
				)
			},
		}
		stats.set(&value);
	}

	/// Learns the key of every relay: cached, or from the devices' identities, asked all at
	/// once.
	fn identities(relays: &mut [Relay]) {
		let mut asked = Vec::new();
		for (index, relay) in relays.iter_mut().enumerate() {
			let cache_key = identity_key(&relay.endpoint);
			match StorageValueRef::persistent(&cache_key).get::<DeviceKey>() {
				Ok(Some(key)) => relay.key = Some(key),
				_ => asked.push((index, join(&relay.url, IDENTITY_PATH), None)),
			}
		}
		for (index, answer) in exchanges(asked) {
			let relay = &mut relays[index];
			let key = answer.and_then(|body| {
				let identity: Identity =
					serde_json::from_slice(&body).map_err(|_| RelayError::Garbage)?;
				device_key(&identity.scheme, &identity.key).ok_or(RelayError::BadKey)
			});
			match key {
				Ok(key) => {
					StorageValueRef::persistent(&identity_key(&relay.endpoint)).set(&key);
					relay.key = Some(key);
				},
				Err(error) => relay.fail(error),
			}
		}
	}

	/// Asks every relay's device for its heartbeat of `epoch` at once, checks each answer as
	/// the chain will and submits what passes.
	fn heartbeats(relays: &mut [&mut Relay], epoch: EpochIndex, genesis: &[u8]) {
		let mut asked = Vec::new();
		for (index, relay) in relays.iter().enumerate() {
			let Some(device) = relay.device() else { continue };
			let request = HeartbeatRequest {
				genesis_hash: to_hex(genesis),
				epoch,
				challenge: to_hex(Self::current_challenge(&device).as_bytes()),
			};
			if let Ok(body) = serde_json::to_vec(&request) {
				asked.push((index, join(&relay.url, HEARTBEAT_PATH), Some(body)));
			}
		}
		for (index, answer) in exchanges(asked) {
			let relay = &mut *relays[index];
			match answer.and_then(|body| Self::relay_heartbeat(relay, &body, epoch)) {
				Ok(submitted) => relay.submitted = relay.submitted.saturating_add(submitted),
				Err(error) => relay.fail(error),
			}
		}
	}

	/// Checks and submits one device's heartbeat answer: how many proofs were submitted (none
	/// when its class owes no heartbeat or it was delivered already; the storage proof may
	/// still be owed).
	fn relay_heartbeat(relay: &Relay, body: &[u8], epoch: EpochIndex) -> Result<u32, RelayError> {
		let key = relay.key.ok_or(RelayError::BadKey)?;
		let device = key.device_id();
		let (heartbeat, signature) = signed::<Heartbeat>(body, &key)?;
		if heartbeat.device != device
			|| heartbeat.epoch != epoch
			|| heartbeat.challenge != Self::current_challenge(&device)
		{
			return Err(RelayError::WrongPayload);
		}
		match Self::check_heartbeat(&heartbeat, &signature) {
			Ok(_) => {
				submit::<T>(Call::submit_heartbeat { heartbeat, signature })?;
				Ok(1)
			},
			Err(ProofError::NotOwed | ProofError::AlreadySubmitted) => Ok(0),
			Err(refused) => Err(RelayError::Refused(refused)),
		}
	}

	/// Asks every relay's storage device that owes a storage proof (a commitment in force, not
	/// yet delivered) for it, all at once; checks and submits what passes.
	fn storage_proofs(relays: &mut [&mut Relay], epoch: EpochIndex, genesis: &[u8]) {
		let mut asked = Vec::new();
		for (index, relay) in relays.iter().enumerate() {
			let Some(device) = relay.device() else { continue };
			if relay.result.is_err()
				|| Self::current_storage_challenge(&device).is_none()
				|| Records::<T>::get(device).is_some_and(|r| r.last_storage == Some(epoch))
			{
				continue;
			}
			let request = StorageProofRequest {
				genesis_hash: to_hex(genesis),
				epoch,
				challenge: to_hex(Self::current_challenge(&device).as_bytes()),
			};
			if let Ok(body) = serde_json::to_vec(&request) {
				asked.push((index, join(&relay.url, STORAGE_PROOF_PATH), Some(body)));
			}
		}
		for (index, answer) in exchanges(asked) {
			let relay = &mut *relays[index];
			let submitted = answer.and_then(|body| {
				let key = relay.key.ok_or(RelayError::BadKey)?;
				let device = key.device_id();
				let (proof, signature) = signed::<StorageProof>(&body, &key)?;
				if proof.device != device
					|| proof.epoch != epoch
					|| proof.challenge != Self::current_challenge(&device)
				{
					return Err(RelayError::WrongPayload);
				}
				Self::check_storage_proof(&proof, &signature).map_err(RelayError::Refused)?;
				submit::<T>(Call::submit_storage_proof { proof, signature })
			});
			match submitted {
				Ok(()) => relay.submitted = relay.submitted.saturating_add(1),
				Err(error) => relay.fail(error),
			}
		}
	}
}

fn submit<T: Config>(call: Call<T>) -> Result<(), RelayError> {
	let transaction = T::create_authorized_transaction(call.into());
	SubmitTransaction::<T, Call<T>>::submit_transaction(transaction)
		.map_err(|()| RelayError::Submit)
}

/// The signed payload of a device's answer.
fn signed<P: Decode>(body: &[u8], key: &DeviceKey) -> Result<(P, DeviceSignature), RelayError> {
	let signed: SignedResponse = serde_json::from_slice(body).map_err(|_| RelayError::Garbage)?;
	let payload = from_hex(&signed.payload).ok_or(RelayError::Garbage)?;
	let payload = P::decode(&mut &payload[..]).map_err(|_| RelayError::WrongPayload)?;
	let signature = device_signature(key, &signed.signature).ok_or(RelayError::Garbage)?;
	Ok((payload, signature))
}

/// `base` followed by `path`, without a doubled slash.
fn join(base: &str, path: &str) -> String {
	let mut url = String::from(base.trim_end_matches('/'));
	url.push_str(path);
	url
}

/// Runs HTTP exchanges at once (GET without a body, POST of JSON with one), all within one
/// [`HTTP_DEADLINE`] for headers and body: the body of each 200 answer, by the caller's index.
/// Bodies are read in turns of at most [`BODY_SLICE`] each, so that one that trickles does
/// not hold up the others.
fn exchanges(
	requests: Vec<(usize, String, Option<Vec<u8>>)>,
) -> Vec<(usize, Result<Vec<u8>, RelayError>)> {
	if requests.is_empty() {
		return Vec::new();
	}
	let deadline = sp_io::offchain::timestamp().add(HTTP_DEADLINE);
	let mut results = Vec::with_capacity(requests.len());
	let mut sent = Vec::new();
	for (index, url, body) in requests {
		let request = match body {
			Some(body) => http::Request::post(&url, vec![body])
				.add_header("Content-Type", "application/json")
				.deadline(deadline)
				.send(),
			None => http::Request::get(&url).deadline(deadline).send(),
		};
		match request {
			Ok(pending) => sent.push((index, pending)),
			Err(_) => results.push((index, Err(RelayError::Unreachable))),
		}
	}
	let (indices, pending): (Vec<usize>, Vec<http::PendingRequest>) = sent.into_iter().unzip();
	let mut reading = Vec::new();
	for (index, answer) in
		indices.into_iter().zip(http::PendingRequest::try_wait_all(pending, deadline))
	{
		match answer {
			Err(_) => results.push((index, Err(RelayError::Timeout))),
			Ok(Err(http::Error::DeadlineReached)) => {
				results.push((index, Err(RelayError::Timeout)))
			},
			Ok(Err(_)) => results.push((index, Err(RelayError::NoAnswer))),
			Ok(Ok(response)) if response.code != 200 => {
				results.push((index, Err(RelayError::Status(response.code))))
			},
			Ok(Ok(response)) => reading.push((index, response.body(), Vec::new())),
		}
	}
	read_bodies(reading, deadline, &mut results);
	results
}

/// Reads every body in turns until each is whole, too large, failed, or the deadline passes.
fn read_bodies(
	mut reading: Vec<(usize, http::ResponseBody, Vec<u8>)>,
	deadline: Timestamp,
	results: &mut Vec<(usize, Result<Vec<u8>, RelayError>)>,
) {
	while !reading.is_empty() {
		let now = sp_io::offchain::timestamp();
		let past = now >= deadline;
		let slice = now.add(BODY_SLICE);
		let turn = if slice < deadline { slice } else { deadline };
		let mut unfinished = Vec::with_capacity(reading.len());
		for (index, mut body, mut bytes) in reading {
			body.deadline(turn);
			bytes.extend(body.by_ref().take(MAX_RESPONSE.saturating_add(1) - bytes.len()));
			let outcome = if bytes.len() > MAX_RESPONSE {
				Some(Err(RelayError::TooLarge))
			} else {
				match body.error() {
					None => Some(Ok(core::mem::take(&mut bytes))),
					Some(HttpError::DeadlineReached) if past => Some(Err(RelayError::Timeout)),
					Some(HttpError::DeadlineReached) => None,
					Some(_) => Some(Err(RelayError::NoAnswer)),
				}
			};
			match outcome {
				Some(result) => results.push((index, result)),
				None => unfinished.push((index, body, bytes)),
			}
		}
		reading = unfinished;
	}
}
