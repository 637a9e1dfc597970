//! What devices prove each epoch, and how their challenges are derived.
//!
//! Both proofs are signed by the device key over `DOMAIN ‖ genesis_hash ‖ SCALE(payload)` with
//! the domains `depin/v1/heartbeat` and `depin/v1/storage` (see [`crate::signing_message`]).

use crate::{DeviceId, EpochIndex};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_io::hashing::blake2_256;
use sp_runtime::BoundedVec;

/// Most telemetry readings in one heartbeat.
pub const MAX_READINGS: u32 = 16;
/// Most leaves a storage challenge can select.
pub const MAX_CHALLENGED_LEAVES: u32 = 8;
/// Largest data chunk (Merkle leaf), in bytes.
pub const MAX_CHUNK_LEN: u32 = 1024;
/// Deepest Merkle path (trees of up to 2^40 chunks).
pub const MAX_MERKLE_DEPTH: u32 = 40;

/// One telemetry reading: a metric id (meaning defined per class, for example 1 = uptime
/// seconds, 2 = temperature in milli-degrees) and its value.
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
pub struct Reading {
	/// What is measured.
	pub metric: u16,
	/// The measurement.
	pub value: i64,
}

/// A device's heartbeat for one epoch: it was up, answered this epoch's challenge, and reports
/// telemetry.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Heartbeat {
	/// The device.
	pub device: DeviceId,
	/// The epoch it is for.
	pub epoch: EpochIndex,
	/// The device's challenge for that epoch (see [`device_challenge`]).
	pub challenge: H256,
	/// Telemetry readings.
	pub readings: Readings,
}

/// The telemetry a heartbeat carries: at most [`MAX_READINGS`] readings.
pub type Readings = BoundedVec<Reading, ConstU32<MAX_READINGS>>;

/// One challenged chunk and its Merkle path.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct LeafProof {
	/// The chunk's index in the committed data set.
	pub index: u64,
	/// The chunk itself.
	pub chunk: BoundedVec<u8, ConstU32<MAX_CHUNK_LEN>>,
	/// Its Merkle path (see [`crate::merkle`]).
	pub path: BoundedVec<H256, ConstU32<MAX_MERKLE_DEPTH>>,
}

/// A device's answer to its storage challenge for one epoch.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct StorageProof {
	/// The device.
	pub device: DeviceId,
	/// The epoch it is for.
	pub epoch: EpochIndex,
	/// The device's challenge for that epoch.
	pub challenge: H256,
	/// The challenged chunks, in the order [`challenged_leaves`] gives them.
	pub leaves: BoundedVec<LeafProof, ConstU32<MAX_CHALLENGED_LEAVES>>,
}

/// The kinds of proof a device owes.
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
pub enum ProofKind {
	/// A heartbeat.
	Heartbeat,
	/// A storage proof.
	Storage,
}

/// Either proof, as signed: what an equivocation report carries.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum SignedPayload {
	/// A heartbeat.
	Heartbeat(Heartbeat),
	/// A storage proof.
	Storage(StorageProof),
}

impl SignedPayload {
	/// The device that signed it.
	pub fn device(&self) -> DeviceId {
		match self {
			SignedPayload::Heartbeat(h) => h.device,
			SignedPayload::Storage(s) => s.device,
		}
	}

	/// The epoch it is for.
	pub fn epoch(&self) -> EpochIndex {
		match self {
			SignedPayload::Heartbeat(h) => h.epoch,
			SignedPayload::Storage(s) => s.epoch,
		}
	}

	/// The challenge it answers.
	pub fn challenge(&self) -> H256 {
		match self {
			SignedPayload::Heartbeat(h) => h.challenge,
			SignedPayload::Storage(s) => s.challenge,
		}
	}

	/// Its kind.
	pub fn kind(&self) -> ProofKind {
		match self {
			SignedPayload::Heartbeat(_) => ProofKind::Heartbeat,
			SignedPayload::Storage(_) => ProofKind::Storage,
		}
	}

	/// The exact bytes the device signed for it on the chain of `genesis_hash`.
	pub fn signing_message(&self, genesis_hash: &[u8]) -> Vec<u8> {
		match self {
			SignedPayload::Heartbeat(h) => {
				crate::signing_message(crate::SigningDomain::Heartbeat, genesis_hash, h)
			},
			SignedPayload::Storage(s) => {
				crate::signing_message(crate::SigningDomain::Storage, genesis_hash, s)
			},
		}
	}
}

/// The challenge of `device` in `epoch`, under the epoch's `seed`:
/// `blake2_256("depin/v1/challenge" ‖ seed ‖ device ‖ SCALE(epoch))`.
pub fn device_challenge(seed: &H256, device: &DeviceId, epoch: EpochIndex) -> H256 {
	let mut input = Vec::with_capacity(18 + 32 + 32 + 4);
	input.extend_from_slice(b"depin/v1/challenge");
	input.extend_from_slice(seed.as_bytes());
	input.extend_from_slice(device.as_bytes());
	epoch.encode_to(&mut input);
	H256(blake2_256(&input))
}

/// The `count` leaf indices a storage challenge selects among `leaf_count` chunks: index `i`
/// is the first 8 bytes (little-endian) of `blake2_256("depin/v1/leaf" ‖ challenge ‖
/// SCALE(i as u32))` modulo `leaf_count`. Indices may repeat; none for an empty data set.
pub fn challenged_leaves(challenge: &H256, leaf_count: u64, count: u32) -> Vec<u64> {
	if leaf_count == 0 {
		return Vec::new();
	}
	(0..count)
		.map(|i| {
			let mut input = Vec::with_capacity(13 + 32 + 4);
			input.extend_from_slice(b"depin/v1/leaf");
			input.extend_from_slice(challenge.as_bytes());
			i.encode_to(&mut input);
			let hash = blake2_256(&input);
			let mut first = [0u8; 8];
			first.copy_from_slice(&hash[..8]);
			u64::from_le_bytes(first) % leaf_count
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn challenges_depend_on_seed_device_and_epoch() {
		let (seed, device) = (H256::repeat_byte(1), H256::repeat_byte(2));
		let base = device_challenge(&seed, &device, 5);
		assert_eq!(base, device_challenge(&seed, &device, 5));
		assert_ne!(base, device_challenge(&H256::repeat_byte(9), &device, 5));
		assert_ne!(base, device_challenge(&seed, &H256::repeat_byte(9), 5));
		assert_ne!(base, device_challenge(&seed, &device, 6));
	}

	#[test]
	fn challenged_leaves_are_in_range_and_spread() {
		let challenge = H256::repeat_byte(3);
		let leaves = challenged_leaves(&challenge, 1_000, 8);
		assert_eq!(leaves.len(), 8);
		assert!(leaves.iter().all(|i| *i < 1_000));
		assert!(leaves.windows(2).any(|w| w[0] != w[1]));
		assert_eq!(challenged_leaves(&challenge, 1, 4), vec![0; 4]);
		assert!(challenged_leaves(&challenge, 0, 4).is_empty());
	}
}
