//! The device HTTP protocol (SPEC §9): the JSON that attached hardware (or a gateway in front of
//! it) serves, and the off-chain worker and the device simulator speak.
//!
//! - `GET /v1/identity` → [`Identity`]
//! - `POST /v1/heartbeat` with [`HeartbeatRequest`] → [`SignedResponse`] of a [`Heartbeat`]
//! - `POST /v1/storage-proof` with [`StorageProofRequest`] → [`SignedResponse`] of a
//!   [`StorageProof`]
//!
//! - `POST /v1/proof-of-possession` with [`PossessionRequest`] → [`PossessionResponse`]: for
//!   the owner's `register_device`; a device signs the registration message only for the
//!   account it was provisioned for.
//! - `POST /v1/recovery` with [`RecoveryRequest`] → [`PossessionResponse`]: for
//!   `devices.request_recovery`, only for that account too.
//!
//! Byte strings travel as `0x`-prefixed lower-case hex. A payload is the SCALE encoding of the
//! proof; the signature is the raw signature bytes of the device's scheme, over
//! [`crate::signing_message`] of the payload.
//!
//! [`Heartbeat`]: crate::Heartbeat
//! [`StorageProof`]: crate::StorageProof

use crate::{DeviceKey, DeviceSignature, EpochIndex};
use alloc::{string::String, vec::Vec};
use codec::{Decode, Encode};
use serde::{Deserialize, Serialize};

/// Path of the identity endpoint.
pub const IDENTITY_PATH: &str = "/v1/identity";
/// Path of the heartbeat endpoint.
pub const HEARTBEAT_PATH: &str = "/v1/heartbeat";
/// Path of the storage-proof endpoint.
pub const STORAGE_PROOF_PATH: &str = "/v1/storage-proof";
/// Path of the proof-of-possession endpoint.
pub const POSSESSION_PATH: &str = "/v1/proof-of-possession";
/// Path of the recovery endpoint.
pub const RECOVERY_PATH: &str = "/v1/recovery";
/// Path of the attestation endpoint: the device's certificate chain from its maker.
pub const ATTESTATION_PATH: &str = "/v1/attestation";

/// Key, in the node's persistent off-chain storage, of the endpoints of the hardware attached to
/// the node: SCALE `Vec<Vec<u8>>` of URLs (`depin-node --device-endpoint`).
pub const ENDPOINTS_KEY: &[u8] = b"depin/ocw/endpoints";

/// Key, in persistent off-chain storage, of the [`RelayStats`] of the device at `endpoint`.
pub fn stats_key(endpoint: &[u8]) -> Vec<u8> {
	[b"depin/ocw/stats/".as_slice(), &sp_io::hashing::blake2_256(endpoint)].concat()
}

/// What the off-chain worker did for one attached device (SCALE, under [`stats_key`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct RelayStats {
	/// Epochs in which the device was polled.
	pub polled: u32,
	/// Proofs submitted.
	pub submitted: u32,
	/// Epochs in which relaying failed.
	pub failed: u32,
	/// The last epoch polled.
	pub last_epoch: EpochIndex,
	/// Why the last failure happened (empty if none yet).
	pub last_error: Vec<u8>,
}

/// What a device says it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
	/// Its public key, hex.
	pub key: String,
	/// `sr25519`, `ed25519`, `ecdsa` or `p256`.
	pub scheme: String,
	/// Its device class.
	pub class: u16,
	/// Its firmware version, free text.
	pub firmware: String,
}

/// A device's attestation (`GET /v1/attestation`): the X.509 chain its maker issued for its
/// key, leaf first, below the maker's root (`docs/devices.md`). A device without one answers
/// 404.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationResponse {
	/// DER certificates, hex, leaf first.
	pub chain: Vec<String>,
}

/// Asks a device to sign its heartbeat for an epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatRequest {
	/// The chain's genesis hash, hex.
	pub genesis_hash: String,
	/// The epoch.
	pub epoch: u32,
	/// The device's challenge for the epoch, hex.
	pub challenge: String,
}

/// Asks a storage device to prove it holds the chunks its challenge selects. The device
/// derives the indices from the challenge itself ([`crate::challenged_leaves`] over its own
/// data set's chunk count), never from the request: a request cannot make it answer other
/// indices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageProofRequest {
	/// The chain's genesis hash, hex.
	pub genesis_hash: String,
	/// The epoch.
	pub epoch: u32,
	/// The device's challenge for the epoch, hex (the proof carries it).
	pub challenge: String,
}

/// Asks a device to prove possession of its key to the chain, for an owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossessionRequest {
	/// The chain's genesis hash, hex.
	pub genesis_hash: String,
	/// The 32-byte account id of the owner, hex.
	pub owner: String,
}

/// Asks a device to sign its recovery to an owner (`devices.request_recovery`): signed only
/// for the owner it was provisioned for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryRequest {
	/// The chain's genesis hash, hex.
	pub genesis_hash: String,
	/// The 32-byte account id of the owner, hex.
	pub owner: String,
	/// The device's recovery nonce on chain (`Devices.RecoveryNonces`).
	pub nonce: u32,
}

/// The device's signature of the registration message for the owner (or of the recovery).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PossessionResponse {
	/// The raw signature, hex.
	pub signature: String,
}

/// A signed proof, as a device returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedResponse {
	/// The SCALE-encoded proof, hex.
	pub payload: String,
	/// The raw signature, hex.
	pub signature: String,
}

/// The protocol's name of a key's scheme.
pub fn scheme_name(key: &DeviceKey) -> &'static str {
	match key {
		DeviceKey::Ed25519(_) => "ed25519",
		DeviceKey::Sr25519(_) => "sr25519",
		DeviceKey::Ecdsa(_) => "ecdsa",
		DeviceKey::P256(_) => "p256",
	}
}

/// The raw bytes of a public key.
pub fn key_bytes(key: &DeviceKey) -> &[u8] {
	match key {
		DeviceKey::Ed25519(k) | DeviceKey::Sr25519(k) => k,
		DeviceKey::Ecdsa(k) | DeviceKey::P256(k) => k,
	}
}

/// The raw bytes of a signature.
pub fn signature_bytes(signature: &DeviceSignature) -> &[u8] {
	match signature {
		DeviceSignature::Ed25519(s) | DeviceSignature::Sr25519(s) | DeviceSignature::P256(s) => s,
		DeviceSignature::Ecdsa(s) => s,
	}
}

/// The key an identity announces: its scheme name and hex key; `None` for an unknown scheme or
/// a key of the wrong length.
pub fn device_key(scheme: &str, key: &str) -> Option<DeviceKey> {
	Some(match scheme {
		"ed25519" => DeviceKey::Ed25519(from_hex_array(key)?),
		"sr25519" => DeviceKey::Sr25519(from_hex_array(key)?),
		"ecdsa" => DeviceKey::Ecdsa(from_hex_array(key)?),
		"p256" => DeviceKey::P256(from_hex_array(key)?),
		_ => return None,
	})
}

/// A hex signature read in the scheme of `key`; `None` if it is not hex of the right length.
pub fn device_signature(key: &DeviceKey, signature: &str) -> Option<DeviceSignature> {
	Some(match key {
		DeviceKey::Ed25519(_) => DeviceSignature::Ed25519(from_hex_array(signature)?),
		DeviceKey::Sr25519(_) => DeviceSignature::Sr25519(from_hex_array(signature)?),
		DeviceKey::Ecdsa(_) => DeviceSignature::Ecdsa(from_hex_array(signature)?),
		DeviceKey::P256(_) => DeviceSignature::P256(from_hex_array(signature)?),
	})
}

/// `0x`-prefixed lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::with_capacity(2 + 2 * bytes.len());
	out.push_str("0x");
	for byte in bytes {
		out.push(char::from(DIGITS[usize::from(byte >> 4)]));
		out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
	}
	out
}

/// The bytes of `0x`-prefixed (or bare) hex; `None` if it is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
	let digits = text.strip_prefix("0x").unwrap_or(text).as_bytes();
	if !digits.len().is_multiple_of(2) {
		return None;
	}
	let nibble = |c: u8| match c {
		b'0'..=b'9' => Some(c - b'0'),
		b'a'..=b'f' => Some(c - b'a' + 10),
		b'A'..=b'F' => Some(c - b'A' + 10),
		_ => None,
	};
	digits.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

/// Exactly `N` bytes of hex; `None` if it is not hex or not `N` bytes long.
pub fn from_hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
	from_hex(text)?.try_into().ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_round_trips_and_refuses_what_is_not_hex() {
		let bytes = [0x00, 0x01, 0xab, 0xff];
		assert_eq!(to_hex(&bytes), "0x0001abff");
		assert_eq!(from_hex("0x0001abff"), Some(bytes.to_vec()));
		assert_eq!(from_hex("0001ABFF"), Some(bytes.to_vec()));
		assert_eq!(from_hex("0x"), Some(vec![]));
		assert_eq!(from_hex("0x0"), None);
		assert_eq!(from_hex("0xzz"), None);
		assert_eq!(from_hex_array::<2>("0x0102"), Some([1, 2]));
		assert_eq!(from_hex_array::<3>("0x0102"), None);
	}

	#[test]
	fn keys_and_signatures_round_trip_through_their_scheme_and_hex() {
		let keys = [
			DeviceKey::Ed25519([1; 32]),
			DeviceKey::Sr25519([2; 32]),
			DeviceKey::Ecdsa([3; 33]),
			DeviceKey::P256([4; 33]),
		];
		for key in keys {
			let read = device_key(scheme_name(&key), &to_hex(key_bytes(&key)));
			assert_eq!(read, Some(key));
		}
		assert_eq!(device_key("rsa", "0x01"), None);
		assert_eq!(device_key("ed25519", &to_hex(&[1; 33])), None, "wrong length");
		let signature = device_signature(&keys[2], &to_hex(&[9; 65]));
		assert_eq!(signature, Some(DeviceSignature::Ecdsa([9; 65])));
		let signature = DeviceSignature::Ecdsa([9; 65]);
		assert_eq!(signature_bytes(&signature), &[9; 65][..]);
		assert_eq!(device_signature(&keys[0], &to_hex(&[9; 65])), None);
	}

	#[test]
	fn messages_have_the_documented_json_shape() {
		let request = HeartbeatRequest {
			genesis_hash: to_hex(&[1; 32]),
			epoch: 7,
			challenge: to_hex(&[2; 32]),
		};
		let json =
			serde_json::to_value(&request).expect("plain strings and numbers serialize; qed");
		assert_eq!(json["epoch"], 7);
		assert!(json["genesis_hash"].as_str().is_some_and(|h| h.starts_with("0x0101")));
	}
}
