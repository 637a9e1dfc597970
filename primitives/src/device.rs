//! Device identity: keys, signatures, ids and the domain-separated messages devices sign.
//!
//! A device holds its own keypair; everything it claims is signed with it over
//! `DOMAIN ‖ genesis_hash ‖ SCALE(payload)` (see [`signing_message`]), so a signature is never
//! valid on another chain or for another purpose.

use crate::DeviceId;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519, H256};
use sp_runtime::traits::Verify;

/// Public key of a device, tagged with its signature scheme.
///
/// The variant indices are part of the public contract (they are hashed into the
/// [`DeviceId`]); new schemes are appended with new indices.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DeviceKey {
	/// An Ed25519 public key.
	#[codec(index = 0)]
	#[cfg_attr(feature = "serde", serde(with = "hex_array"))]
	Ed25519([u8; 32]),
	/// An Sr25519 (Schnorr over Ristretto25519) public key.
	#[codec(index = 1)]
	#[cfg_attr(feature = "serde", serde(with = "hex_array"))]
	Sr25519([u8; 32]),
	/// A compressed secp256k1 public key; signatures are over the blake2-256 of the message.
	#[codec(index = 2)]
	#[cfg_attr(feature = "serde", serde(with = "hex_array"))]
	Ecdsa([u8; 33]),
	/// A compressed secp256r1 (NIST P-256) public key, the curve of secure elements, TPMs and
	/// phone keystores; signatures are ECDSA over the SHA-256 of the message.
	#[codec(index = 3)]
	#[cfg_attr(feature = "serde", serde(with = "hex_array"))]
	P256([u8; 33]),
}

/// Fixed-size byte arrays as `0x`-prefixed hex strings in JSON (genesis configs): a key reads
/// `{"Ed25519": "0x…"}`, as in the chain spec of a network with devices at genesis.
#[cfg(feature = "serde")]
mod hex_array {
	use sp_core::bytes::{deserialize_check_len, serialize as serialize_bytes, ExpectedLen};

	pub fn serialize<S: serde::Serializer, const N: usize>(
		bytes: &[u8; N],
		serializer: S,
	) -> Result<S::Ok, S::Error> {
		serialize_bytes(bytes, serializer)
	}

	pub fn deserialize<'de, D: serde::Deserializer<'de>, const N: usize>(
		deserializer: D,
	) -> Result<[u8; N], D::Error> {
		let mut bytes = [0u8; N];
		deserialize_check_len(deserializer, ExpectedLen::Exact(&mut bytes))?;
		Ok(bytes)
	}
}

/// A signature by a device key; its variant must match the key's.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum DeviceSignature {
	/// An Ed25519 signature.
	#[codec(index = 0)]
	Ed25519([u8; 64]),
	/// An Sr25519 signature.
	#[codec(index = 1)]
	Sr25519([u8; 64]),
	/// A recoverable secp256k1 signature (r, s, v) over the blake2-256 of the message.
	#[codec(index = 2)]
	Ecdsa([u8; 65]),
	/// A P-256 ECDSA signature (r, s, 32 bytes each, big-endian) over the SHA-256 of the
	/// message, as secure elements produce it.
	#[codec(index = 3)]
	P256([u8; 64]),
}

impl DeviceKey {
	/// The device id of this key: `blake2_256(SCALE(key))`.
	pub fn device_id(&self) -> DeviceId {
		H256(sp_io::hashing::blake2_256(&self.encode()))
	}

	/// Whether `signature` is this key's signature of `message`.
	///
	/// A signature of another scheme than the key's is simply invalid.
	pub fn verify(&self, message: &[u8], signature: &DeviceSignature) -> bool {
		match (self, signature) {
			(DeviceKey::Ed25519(key), DeviceSignature::Ed25519(sig)) => {
				ed25519::Signature::from_raw(*sig).verify(message, &ed25519::Public::from_raw(*key))
			},
			(DeviceKey::Sr25519(key), DeviceSignature::Sr25519(sig)) => {
				sr25519::Signature::from_raw(*sig).verify(message, &sr25519::Public::from_raw(*key))
			},
			(DeviceKey::Ecdsa(key), DeviceSignature::Ecdsa(sig)) => {
				ecdsa::Signature::from_raw(*sig).verify(message, &ecdsa::Public::from_raw(*key))
			},
			(DeviceKey::P256(key), DeviceSignature::P256(sig)) => verify_p256(key, message, sig),
			_ => false,
		}
	}
}

/// Verifies a P-256 ECDSA signature over the SHA-256 of `message`, in the runtime itself (no
/// host function exists for P-256): a malformed key or signature is simply invalid. Both the
/// low-S and high-S forms of a signature verify, as secure elements produce either; nothing on
/// chain relies on a signature being unique (proofs are identified by their payload).
fn verify_p256(key: &[u8; 33], message: &[u8], signature: &[u8; 64]) -> bool {
	use p256::ecdsa::{signature::Verifier, Signature, VerifyingKey};
	let Ok(key) = VerifyingKey::from_sec1_bytes(key) else { return false };
	let Ok(signature) = Signature::from_slice(signature) else { return false };
	key.verify(message, &signature).is_ok()
}

/// The purposes a device signs for; each has its own fixed domain tag.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SigningDomain {
	/// Proof of possession at registration; the payload is the owner's account id.
	Register,
	/// A heartbeat with telemetry for one epoch.
	Heartbeat,
	/// An answer to a storage challenge for one epoch.
	Storage,
	/// A recovery: the key's holder takes the device back from whoever registered it; the
	/// payload is [`RecoveryPayload`].
	Recover,
}

/// What a device signs to hand itself to `new_owner` by recovery (domain
/// `depin/v1/recover`). The nonce is the device's recovery nonce on chain, which every
/// recovery request increments, so that no recovery proof counts twice; and the domain differs
/// from registration's, so that a registration proof (public in the chain's history) is never
/// a recovery proof.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, Debug)]
pub struct RecoveryPayload<AccountId> {
	/// The device.
	pub device: DeviceId,
	/// The account that is to own it.
	pub new_owner: AccountId,
	/// The device's recovery nonce on chain.
	pub nonce: u32,
}

impl SigningDomain {
	/// The raw ASCII tag that starts every message of this kind.
	pub const fn tag(self) -> &'static [u8] {
		match self {
			SigningDomain::Register => b"depin/v1/register",
			SigningDomain::Heartbeat => b"depin/v1/heartbeat",
			SigningDomain::Storage => b"depin/v1/storage",
			SigningDomain::Recover => b"depin/v1/recover",
		}
	}
}

/// The exact bytes a device signs: `tag ‖ genesis_hash ‖ SCALE(payload)`, where `genesis_hash`
/// is the 32 bytes of the chain's genesis block hash.
pub fn signing_message<P: Encode>(
	domain: SigningDomain,
	genesis_hash: &[u8],
	payload: &P,
) -> Vec<u8> {
	let tag = domain.tag();
	let mut message = Vec::with_capacity(tag.len() + genesis_hash.len() + payload.size_hint());
	message.extend_from_slice(tag);
	message.extend_from_slice(genesis_hash);
	payload.encode_to(&mut message);
	message
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair;

	fn genesis() -> H256 {
		H256::repeat_byte(7)
	}

	#[test]
	fn message_layout_is_tag_genesis_payload() {
		let owner = [1u8; 32];
		let message = signing_message(SigningDomain::Register, genesis().as_bytes(), &owner);
		assert_eq!(&message[..17], b"depin/v1/register");
		assert_eq!(&message[17..49], genesis().as_bytes());
		assert_eq!(&message[49..], &owner);
	}

	#[test]
	fn device_id_is_blake2_of_scale_key() {
		let key = DeviceKey::Ed25519([9u8; 32]);
		let mut encoded = vec![0u8];
		encoded.extend_from_slice(&[9u8; 32]);
		assert_eq!(key.device_id(), H256(sp_io::hashing::blake2_256(&encoded)));
		assert_ne!(key.device_id(), DeviceKey::Sr25519([9u8; 32]).device_id());
	}

	#[test]
	fn p256_verifies_secure_element_signatures_only_over_sha256() {
		use p256::ecdsa::{signature::Signer, Signature, SigningKey};
		let secret = SigningKey::from_slice(&[7u8; 32]).expect("7…7 is a valid P-256 scalar; qed");
		let key = DeviceKey::P256(
			secret
				.verifying_key()
				.to_encoded_point(true)
				.as_bytes()
				.try_into()
				.expect("a compressed P-256 point is 33 bytes; qed"),
		);
		let message = signing_message(SigningDomain::Heartbeat, genesis().as_bytes(), &42u32);
		let signature: Signature = secret.sign(&message);
		let signature = DeviceSignature::P256(signature.to_bytes().into());
		assert!(key.verify(&message, &signature));
		assert!(!key.verify(b"another message", &signature));
		// Garbage keys and signatures are invalid, not errors.
		assert!(!DeviceKey::P256([0u8; 33]).verify(&message, &signature));
		assert!(!key.verify(&message, &DeviceSignature::P256([0u8; 64])));
		assert!(!key.verify(&message, &DeviceSignature::P256([0xffu8; 64])));
	}

	#[test]
	fn each_scheme_verifies_its_own_signatures_only() {
		let message = signing_message(SigningDomain::Heartbeat, genesis().as_bytes(), &42u32);
		let other = signing_message(SigningDomain::Storage, genesis().as_bytes(), &42u32);

		let ed = ed25519::Pair::from_seed(&[1u8; 32]);
		let sr = sr25519::Pair::from_seed(&[2u8; 32]);
		let ec = ecdsa::Pair::from_seed(&[3u8; 32]);
		let cases = [
			(DeviceKey::Ed25519(ed.public().0), DeviceSignature::Ed25519(ed.sign(&message).0)),
			(DeviceKey::Sr25519(sr.public().0), DeviceSignature::Sr25519(sr.sign(&message).0)),
			(DeviceKey::Ecdsa(ec.public().0), DeviceSignature::Ecdsa(ec.sign(&message).0)),
		];
		for (key, signature) in cases {
			assert!(key.verify(&message, &signature), "{key:?} must verify its signature");
			assert!(!key.verify(&other, &signature), "{key:?} must refuse another message");
		}
		// A signature of another scheme never verifies.
		assert!(!cases[0].0.verify(&message, &cases[1].1));
	}

	#[test]
	fn keys_read_as_scheme_and_hex_in_json() {
		let key = DeviceKey::Ecdsa([3u8; 33]);
		let json = serde_json::to_string(&key).expect("a key serializes");
		assert_eq!(json, format!("{{\"Ecdsa\":\"0x{}\"}}", "03".repeat(33)));
		assert_eq!(serde_json::from_str::<DeviceKey>(&json).expect("and reads back"), key);
		let ed = DeviceKey::Ed25519([9u8; 32]);
		assert_eq!(
			serde_json::from_value::<DeviceKey>(serde_json::to_value(ed).expect("serializes"))
				.expect("reads back"),
			ed
		);
		// The wrong length for the scheme is refused.
		assert!(serde_json::from_str::<DeviceKey>("{\"Ed25519\":\"0x0102\"}").is_err());
	}
}
