//! Device keypairs, for everything that signs as a device off chain: the device simulator
//! (the reference firmware), the runtime fuzzer and every pallet's tests. One implementation
//! of the four schemes, signing exactly as hardware does (`sp_core`'s `Pair::sign`; P-256
//! ECDSA over SHA-256, as secure elements do). Not for the runtime (feature `std`).

use crate::{DeviceId, DeviceKey, DeviceSignature};
use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use sp_core::{ecdsa, ed25519, sr25519, Pair};
use sp_io::hashing::blake2_256;
use std::{fmt, str::FromStr};

/// A signature scheme devices use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
	/// Ed25519.
	Ed25519,
	/// Schnorrkel sr25519.
	Sr25519,
	/// ECDSA over secp256k1 (blake2-256 of the message).
	Ecdsa,
	/// ECDSA over secp256r1 (SHA-256 of the message).
	P256,
}

impl Scheme {
	/// Every scheme.
	pub const ALL: [Scheme; 4] = [Scheme::Ed25519, Scheme::Sr25519, Scheme::Ecdsa, Scheme::P256];

	/// The name the device protocol uses (`GET /v1/identity`'s `scheme`).
	pub fn name(self) -> &'static str {
		match self {
			Scheme::Ed25519 => "ed25519",
			Scheme::Sr25519 => "sr25519",
			Scheme::Ecdsa => "ecdsa",
			Scheme::P256 => "p256",
		}
	}
}

impl fmt::Display for Scheme {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.name())
	}
}

/// A scheme name that is none of the four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownScheme(pub String);

impl fmt::Display for UnknownScheme {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "unknown scheme {:?} (ed25519, sr25519, ecdsa, p256)", self.0)
	}
}

impl std::error::Error for UnknownScheme {}

impl FromStr for Scheme {
	type Err = UnknownScheme;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Scheme::ALL.into_iter().find(|scheme| scheme.name() == s).ok_or(UnknownScheme(s.into()))
	}
}

/// A device's keypair.
#[derive(Clone)]
pub enum DevicePair {
	/// Ed25519.
	Ed25519(ed25519::Pair),
	/// Sr25519.
	Sr25519(sr25519::Pair),
	/// Secp256k1 ECDSA.
	Ecdsa(ecdsa::Pair),
	/// Secp256r1 ECDSA.
	P256(SigningKey),
}

impl DevicePair {
	/// The keypair of `scheme` with the 32-byte `secret` (`None` for the rare secret that is
	/// no P-256 scalar).
	pub fn from_secret(scheme: Scheme, secret: [u8; 32]) -> Option<Self> {
		Some(match scheme {
			Scheme::Ed25519 => DevicePair::Ed25519(ed25519::Pair::from_seed(&secret)),
			Scheme::Sr25519 => DevicePair::Sr25519(sr25519::Pair::from_seed(&secret)),
			Scheme::Ecdsa => DevicePair::Ecdsa(ecdsa::Pair::from_seed(&secret)),
			Scheme::P256 => DevicePair::P256(SigningKey::from_slice(&secret).ok()?),
		})
	}

	/// The keypair of `scheme` whose 32-byte secret is `blake2_256(scheme ‖ "/" ‖ seed)`: the
	/// same seed gives the same device every time, and different keys in different schemes.
	pub fn from_seed(scheme: Scheme, seed: &str) -> Result<Self, String> {
		let secret = blake2_256(format!("{}/{seed}", scheme.name()).as_bytes());
		Self::from_secret(scheme, secret).ok_or_else(|| format!("seed {seed:?} is no {scheme} key"))
	}

	/// One key of each scheme, each with the secret `[byte; 32]` (tests' keys).
	pub fn all(byte: u8) -> [DevicePair; 4] {
		Scheme::ALL.map(|scheme| {
			Self::from_secret(scheme, [byte; 32]).expect("[byte; 32] is a key of every scheme")
		})
	}

	/// The key of `scheme` with the secret `[byte; 32]`.
	pub fn of(scheme: Scheme, byte: u8) -> DevicePair {
		Self::from_secret(scheme, [byte; 32]).expect("[byte; 32] is a key of every scheme")
	}

	/// Its scheme.
	pub fn scheme(&self) -> Scheme {
		match self {
			DevicePair::Ed25519(_) => Scheme::Ed25519,
			DevicePair::Sr25519(_) => Scheme::Sr25519,
			DevicePair::Ecdsa(_) => Scheme::Ecdsa,
			DevicePair::P256(_) => Scheme::P256,
		}
	}

	/// The public key, as the chain registers it.
	pub fn public(&self) -> DeviceKey {
		match self {
			DevicePair::Ed25519(p) => DeviceKey::Ed25519(p.public().0),
			DevicePair::Sr25519(p) => DeviceKey::Sr25519(p.public().0),
			DevicePair::Ecdsa(p) => DeviceKey::Ecdsa(p.public().0),
			DevicePair::P256(k) => {
				let mut key = [0u8; 33];
				key.copy_from_slice(k.verifying_key().to_encoded_point(true).as_bytes());
				DeviceKey::P256(key)
			},
		}
	}

	/// The device id of its public key.
	pub fn id(&self) -> DeviceId {
		self.public().device_id()
	}

	/// Signs `message`.
	pub fn sign(&self, message: &[u8]) -> DeviceSignature {
		match self {
			DevicePair::Ed25519(p) => DeviceSignature::Ed25519(p.sign(message).0),
			DevicePair::Sr25519(p) => DeviceSignature::Sr25519(p.sign(message).0),
			DevicePair::Ecdsa(p) => DeviceSignature::Ecdsa(p.sign(message).0),
			DevicePair::P256(k) => {
				let signature: Signature = k.sign(message);
				let mut bytes = [0u8; 64];
				bytes.copy_from_slice(&signature.to_bytes());
				DeviceSignature::P256(bytes)
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_scheme_signs_what_the_chain_verifies() {
		for scheme in Scheme::ALL {
			let pair = DevicePair::from_seed(scheme, "test").expect("a key");
			assert_eq!(pair.scheme(), scheme);
			assert_eq!(scheme.name().parse::<Scheme>(), Ok(scheme));
			let signature = pair.sign(b"message");
			assert!(pair.public().verify(b"message", &signature), "{scheme}");
			assert!(!pair.public().verify(b"other", &signature), "{scheme}");
		}
		assert!("rsa".parse::<Scheme>().is_err());
	}

	#[test]
	fn a_seed_gives_the_same_key_every_time_and_different_keys_per_scheme() {
		let key = |scheme, seed| DevicePair::from_seed(scheme, seed).expect("a key").public();
		assert_eq!(key(Scheme::Ed25519, "x"), key(Scheme::Ed25519, "x"));
		assert_ne!(key(Scheme::Ed25519, "x"), key(Scheme::Sr25519, "x"));
		let all = DevicePair::all(3);
		assert_eq!(all.clone().map(|k| k.scheme()), Scheme::ALL);
		assert_eq!(all[1].id(), DevicePair::of(Scheme::Sr25519, 3).id());
	}
}
