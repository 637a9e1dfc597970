//! Device keys: each simulated device holds its own keypair, derived from a seed phrase, in any
//! scheme the chain accepts, and signs exactly as hardware does (`sp_core`'s `Pair::sign`;
//! P-256 ECDSA over SHA-256, as secure elements do).

use depin_primitives::{DeviceKey, DeviceSignature};
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

impl FromStr for Scheme {
	type Err = anyhow::Error;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Ok(match s {
			"ed25519" => Scheme::Ed25519,
			"sr25519" => Scheme::Sr25519,
			"ecdsa" => Scheme::Ecdsa,
			"p256" => Scheme::P256,
			other => anyhow::bail!("unknown scheme {other:?} (ed25519, sr25519, ecdsa, p256)"),
		})
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
	/// The keypair of `scheme` whose 32-byte secret is `blake2_256(scheme ‖ "/" ‖ seed)`: the
	/// same seed gives the same device every time, and different keys in different schemes.
	pub fn from_seed(scheme: Scheme, seed: &str) -> anyhow::Result<Self> {
		let secret = blake2_256(format!("{}/{seed}", scheme.name()).as_bytes());
		Ok(match scheme {
			Scheme::Ed25519 => DevicePair::Ed25519(ed25519::Pair::from_seed(&secret)),
			Scheme::Sr25519 => DevicePair::Sr25519(sr25519::Pair::from_seed(&secret)),
			Scheme::Ecdsa => DevicePair::Ecdsa(ecdsa::Pair::from_seed(&secret)),
			Scheme::P256 => DevicePair::P256(
				SigningKey::from_slice(&secret)
					.map_err(|e| anyhow::anyhow!("seed {seed:?} is no P-256 scalar: {e}"))?,
			),
		})
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
		for scheme in [Scheme::Ed25519, Scheme::Sr25519, Scheme::Ecdsa, Scheme::P256] {
			let pair = DevicePair::from_seed(scheme, "test").unwrap();
			assert_eq!(pair.scheme(), scheme);
			let signature = pair.sign(b"message");
			assert!(pair.public().verify(b"message", &signature), "{scheme}");
			assert!(!pair.public().verify(b"other", &signature), "{scheme}");
		}
	}

	#[test]
	fn a_seed_gives_the_same_key_every_time_and_different_keys_per_scheme() {
		let a = DevicePair::from_seed(Scheme::Ed25519, "x").unwrap().public();
		assert_eq!(a, DevicePair::from_seed(Scheme::Ed25519, "x").unwrap().public());
		assert_ne!(a, DevicePair::from_seed(Scheme::Sr25519, "x").unwrap().public());
	}
}
