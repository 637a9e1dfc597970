//! Keys of benchmark networks (`depin-node --chain bench-<N>`): every device and owner key is
//! derived from a public seed, so that a load tool can sign for any of them.
//!
//! These keys are public knowledge: a network with them at genesis is for measuring, never for
//! value. Device `i` has the key of secret [`device_seed`]`(i)` in the network's scheme
//! (Ed25519 unless the chain id names another, [`device_pair`]); it belongs to owner
//! `i / DEVICES_PER_OWNER`, whose Sr25519 account is of seed [`owner_seed`].

use codec::Encode;
use sp_io::hashing::blake2_256;

/// Devices each benchmark owner holds (under the runtime's `MaxDevicesPerOwner`).
pub const DEVICES_PER_OWNER: u32 = 500;

/// The Ed25519 secret seed of benchmark device `index`: `blake2_256(SCALE(("depin/bench/device",
/// index)))`.
pub fn device_seed(index: u32) -> [u8; 32] {
	blake2_256(&(b"depin/bench/device".as_slice(), index).encode())
}

/// The Sr25519 mini secret key of benchmark owner `index`: `blake2_256(SCALE(("depin/bench/owner",
/// index)))`.
pub fn owner_seed(index: u32) -> [u8; 32] {
	blake2_256(&(b"depin/bench/owner".as_slice(), index).encode())
}

/// The keypair of benchmark device `index` in `scheme`: the secret [`device_seed`]`(index)`,
/// hashed again with blake2-256 in the (about 2^-32) case it is no P-256 scalar.
#[cfg(feature = "std")]
pub fn device_pair(index: u32, scheme: crate::keys::Scheme) -> crate::keys::DevicePair {
	let mut secret = device_seed(index);
	loop {
		if let Some(pair) = crate::keys::DevicePair::from_secret(scheme, secret) {
			return pair;
		}
		secret = blake2_256(&secret);
	}
}

/// The owner of benchmark device `device`.
pub const fn owner_of(device: u32) -> u32 {
	device / DEVICES_PER_OWNER
}

/// How many owners `devices` benchmark devices have.
pub const fn owners_for(devices: u32) -> u32 {
	devices.div_ceil(DEVICES_PER_OWNER)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seeds_differ_per_index_and_role() {
		assert_ne!(device_seed(0), device_seed(1));
		assert_ne!(device_seed(7), owner_seed(7));
		assert_eq!(device_seed(42), device_seed(42));
	}

	#[test]
	fn a_device_has_one_key_per_scheme_from_its_seed() {
		use crate::keys::Scheme;
		for scheme in Scheme::ALL {
			assert_eq!(device_pair(3, scheme).scheme(), scheme);
			assert_eq!(device_pair(3, scheme).public(), device_pair(3, scheme).public());
			assert_ne!(device_pair(3, scheme).id(), device_pair(4, scheme).id());
		}
	}

	#[test]
	fn devices_are_shared_among_owners_in_blocks() {
		assert_eq!(owner_of(0), 0);
		assert_eq!(owner_of(DEVICES_PER_OWNER - 1), 0);
		assert_eq!(owner_of(DEVICES_PER_OWNER), 1);
		assert_eq!(owners_for(0), 0);
		assert_eq!(owners_for(1), 1);
		assert_eq!(owners_for(DEVICES_PER_OWNER), 1);
		assert_eq!(owners_for(DEVICES_PER_OWNER + 1), 2);
	}
}
