//! The off-chain worker: relays what hardware attached to this node signed.
//!
//! `depin-node --device-endpoint URL` writes the endpoints into the node's persistent off-chain
//! storage under [`ENDPOINTS_KEY`](depin_primitives::protocol::ENDPOINTS_KEY) (SCALE `Vec<Vec<u8>>`), where an operator can also change them
//! on a running node (`offchain_localStorageSet`, see `docs/running-a-device.md`). After each
//! block it imports, the worker takes every endpoint it has not served yet in the current epoch
//! and, for it:
//!
//! 1. fetches the device's identity (`GET /v1/identity`, cached in local storage);
//! 2. asks for the heartbeat of the epoch and challenge (`POST /v1/heartbeat`) and, for a device
//!    with a storage commitment, the proof of the challenged chunks (`POST /v1/storage-proof`);
//! 3. checks each answer as the chain will (payload for this device, epoch and challenge,
//!    signature by the device's key, [`Pallet::check_heartbeat`] /
//!    [`Pallet::check_storage_proof`]);
//! 4. submits what passed as feeless authorized transactions.
//!
//! Every HTTP exchange has a deadline ([`HTTP_DEADLINE`]). An endpoint is claimed for an epoch
//! in local storage with compare-and-set *before* it is polled, so a second run (the next block,
//! a re-org, a restart) never polls or submits twice in one epoch; a device that fails is logged
//! with the reason and tried again in the next epoch. The worker runs beside block import and
//! authoring, never inside them: hardware cannot stall the chain.
//!
//! Per device the worker keeps [`RelayStats`] (polled, submitted, failed, the last error) under
//! [`stats_key`], for operators and the node's Prometheus metrics.

use crate::{pallet::*, Call, ProofError, LOG_TARGET};
use alloc::{string::String, vec, vec::Vec};
use codec::Decode;
use depin_primitives::{
	protocol::{
		device_key, device_signature, from_hex, stats_key, to_hex, HeartbeatRequest, Identity,
		RelayStats, SignedResponse, StorageProofRequest, ENDPOINTS_KEY, HEARTBEAT_PATH,
		IDENTITY_PATH, STORAGE_PROOF_PATH,
	},
	DeviceId, DeviceKey, DeviceSignature, EpochIndex, Heartbeat, StorageProof,
};
use frame_system::offchain::SubmitTransaction;
use sp_io::hashing::blake2_256;
use sp_runtime::offchain::{
	http,
	storage::{StorageRetrievalError, StorageValueRef},
	Duration,
};

/// Most endpoints one node polls; more are ignored, with a warning.
pub const MAX_ENDPOINTS: usize = 256;
/// How long one HTTP exchange with a device may take.
pub const HTTP_DEADLINE: Duration = Duration::from_millis(3_000);
/// Largest answer accepted from a device.
pub const MAX_RESPONSE: usize = 64 * 1024;

/// Why relaying a device's proofs failed this epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayError {
	/// The request could not be sent (bad URL, no HTTP in this node).
	Unreachable,
	/// No answer before the deadline.
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

/// Local-storage key of the epoch up to which `endpoint` was served.
pub fn claim_key(endpoint: &[u8]) -> Vec<u8> {
	[b"depin/ocw/claim/".as_slice(), &blake2_256(endpoint)].concat()
}

/// Local-storage key of the cached identity of `endpoint`.
fn identity_key(endpoint: &[u8]) -> Vec<u8> {
	[b"depin/ocw/identity/".as_slice(), &blake2_256(endpoint)].concat()
}

impl<T: Config> Pallet<T> {
	/// Serves every attached endpoint not yet served this epoch.
	pub fn relay_attached_devices() {
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
		for endpoint in endpoints.iter().take(MAX_ENDPOINTS) {
			if !Self::claim(endpoint, epoch) {
				continue;
			}
			let url = String::from_utf8_lossy(endpoint);
			let result = Self::relay(&url, epoch);
			Self::record(endpoint, epoch, &result);
			match result {
				Ok((device, submitted)) => log::info!(
					target: LOG_TARGET,
					"device {device:?} at {url}: epoch {epoch}: {submitted} proof(s) submitted"
				),
				Err(error) => {
					// A different device may answer there next time: forget its identity.
					StorageValueRef::persistent(&identity_key(endpoint)).clear();
					log::warn!(
						target: LOG_TARGET,
						"device at {url}: epoch {epoch}: nothing relayed: {error:?}"
					)
				},
			}
		}
	}

	/// Claims `endpoint` for `epoch`: false if it was served in this epoch already (or another
	/// run is serving it).
	fn claim(endpoint: &[u8], epoch: EpochIndex) -> bool {
		StorageValueRef::persistent(&claim_key(endpoint))
			.mutate(|last: Result<Option<EpochIndex>, StorageRetrievalError>| match last {
				Ok(Some(served)) if served >= epoch => Err(()),
				_ => Ok(epoch),
			})
			.is_ok()
	}

	fn record(endpoint: &[u8], epoch: EpochIndex, result: &Result<(DeviceId, u32), RelayError>) {
		let key = stats_key(endpoint);
		let stats = StorageValueRef::persistent(&key);
		let mut value = stats.get::<RelayStats>().ok().flatten().unwrap_or_default();
		value.polled = value.polled.saturating_add(1);
		value.last_epoch = epoch;
		match result {
			Ok((_, submitted)) => value.submitted = value.submitted.saturating_add(*submitted),
			Err(error) => {
				value.failed = value.failed.saturating_add(1);
				value.last_error = error.reason().into_bytes();
			},
		}
		stats.set(&value);
	}

	/// Polls the device at `url` for `epoch` and submits what it signed: the device and the
	/// number of proofs submitted.
	fn relay(url: &str, epoch: EpochIndex) -> Result<(DeviceId, u32), RelayError> {
		let key = Self::identity(url)?;
		let device = key.device_id();
		let genesis = Self::genesis_hash();
		let challenge = Self::current_challenge(&device);

		let request = HeartbeatRequest {
			genesis_hash: to_hex(genesis.as_ref()),
			epoch,
			challenge: to_hex(challenge.as_bytes()),
		};
		let (heartbeat, signature) =
			Self::signed::<Heartbeat>(&join(url, HEARTBEAT_PATH), &request, &key)?;
		if heartbeat.device != device
			|| heartbeat.epoch != epoch
			|| heartbeat.challenge != challenge
		{
			return Err(RelayError::WrongPayload);
		}
		let mut submitted = 0;
		match Self::check_heartbeat(&heartbeat, &signature) {
			Ok(_) => {
				Self::submit(Call::submit_heartbeat { heartbeat, signature })?;
				submitted += 1;
			},
			// Its class owes no heartbeat, or a gateway delivered it already: the storage
			// proof may still be owed.
			Err(ProofError::NotOwed | ProofError::AlreadySubmitted) => {},
			Err(refused) => return Err(RelayError::Refused(refused)),
		}

		if Self::current_storage_challenge(&device).is_some() {
			let request = StorageProofRequest {
				genesis_hash: to_hex(genesis.as_ref()),
				epoch,
				challenge: to_hex(challenge.as_bytes()),
			};
			let (proof, signature) =
				Self::signed::<StorageProof>(&join(url, STORAGE_PROOF_PATH), &request, &key)?;
			if proof.device != device || proof.epoch != epoch || proof.challenge != challenge {
				return Err(RelayError::WrongPayload);
			}
			Self::check_storage_proof(&proof, &signature).map_err(RelayError::Refused)?;
			Self::submit(Call::submit_storage_proof { proof, signature })?;
			submitted += 1;
		}
		Ok((device, submitted))
	}

	/// The device key at `url`: cached, or fetched from its identity.
	fn identity(url: &str) -> Result<DeviceKey, RelayError> {
		let cache_key = identity_key(url.as_bytes());
		let cache = StorageValueRef::persistent(&cache_key);
		if let Ok(Some(key)) = cache.get::<DeviceKey>() {
			return Ok(key);
		}
		let answer = http_exchange(&join(url, IDENTITY_PATH), None)?;
		let identity: Identity =
			serde_json::from_slice(&answer).map_err(|_| RelayError::Garbage)?;
		let key = device_key(&identity.scheme, &identity.key).ok_or(RelayError::BadKey)?;
		cache.set(&key);
		Ok(key)
	}

	/// Posts `request` to `url` and decodes the signed payload of the answer.
	fn signed<P: Decode>(
		url: &str,
		request: &impl serde::Serialize,
		key: &DeviceKey,
	) -> Result<(P, DeviceSignature), RelayError> {
		let body = serde_json::to_vec(request).map_err(|_| RelayError::Unreachable)?;
		let answer = http_exchange(url, Some(body))?;
		let signed: SignedResponse =
			serde_json::from_slice(&answer).map_err(|_| RelayError::Garbage)?;
		let payload = from_hex(&signed.payload).ok_or(RelayError::Garbage)?;
		let payload = P::decode(&mut &payload[..]).map_err(|_| RelayError::WrongPayload)?;
		let signature = device_signature(key, &signed.signature).ok_or(RelayError::Garbage)?;
		Ok((payload, signature))
	}

	fn submit(call: Call<T>) -> Result<(), RelayError> {
		let transaction = T::create_authorized_transaction(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(transaction)
			.map_err(|()| RelayError::Submit)
	}
}

/// `base` followed by `path`, without a doubled slash.
fn join(base: &str, path: &str) -> String {
	let mut url = String::from(base.trim_end_matches('/'));
	url.push_str(path);
	url
}

/// One HTTP exchange (GET without a body, POST of JSON with one) within [`HTTP_DEADLINE`]: the
/// body of a 200 answer.
fn http_exchange(url: &str, body: Option<Vec<u8>>) -> Result<Vec<u8>, RelayError> {
	let deadline = sp_io::offchain::timestamp().add(HTTP_DEADLINE);
	let pending = match body {
		Some(body) => http::Request::post(url, vec![body])
			.add_header("Content-Type", "application/json")
			.deadline(deadline)
			.send(),
		None => http::Request::get(url).deadline(deadline).send(),
	}
	.map_err(|_| RelayError::Unreachable)?;
	let response = pending.try_wait(deadline).map_err(|_| RelayError::Timeout)?.map_err(
		|error| match error {
			http::Error::DeadlineReached => RelayError::Timeout,
			_ => RelayError::NoAnswer,
		},
	)?;
	if response.code != 200 {
		return Err(RelayError::Status(response.code));
	}
	let body: Vec<u8> = response.body().take(MAX_RESPONSE.saturating_add(1)).collect();
	if body.len() > MAX_RESPONSE {
		return Err(RelayError::TooLarge);
	}
	Ok(body)
}
