//! # DePIN primitives
//!
//! Types and cross-pallet traits shared by the runtime, the pallets and the node of the DePIN
//! chain. Nothing in here touches storage: pallets talk to each other only through the traits
//! below (see `docs/architecture.md`), so each pallet can be tested against a mock of the others.
//!
//! - Chain-wide types: [`AccountId`], [`Balance`], [`BlockNumber`], [`Nonce`], [`Hash`],
//!   [`Signature`].
//! - Device identity: [`DeviceKey`], [`DeviceSignature`], [`DeviceId`], [`ClassId`],
//!   [`EpochIndex`], [`SigningDomain`]; locations as validated H3 cells ([`H3Cell`]).
//! - What devices prove: [`Heartbeat`], [`StorageProof`], challenge derivation
//!   ([`device_challenge`], [`challenged_leaves`]) and the storage Merkle tree ([`merkle`]).
//! - Keys of benchmark networks, derived from public seeds ([`bench`]); device keypairs for
//!   everything that signs as a device off chain ([`keys`], feature `std`).
//! - The device HTTP protocol's messages ([`protocol`], with the `serde` feature).
//! - Attestation of device keys by their makers ([`attestation`]).
//! - Cross-pallet traits: [`EpochProvider`], [`DeviceRegistry`], [`StakeInfo`], [`OnOffence`],
//!   [`RewardPoints`], [`DeviceAttestation`]. Each has a `()` implementation that does nothing (or refuses), so a
//!   pallet's mock runtime needs nothing else.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod attestation;
pub mod bench;
#[cfg(feature = "std")]
pub mod dataset;
pub mod device;
#[cfg(feature = "std")]
pub mod keys;
pub mod location;
pub mod merkle;
#[cfg(feature = "frame")]
pub mod migrations;
pub mod proofs;
#[cfg(feature = "serde")]
pub mod protocol;
pub mod traits;

pub use device::*;
pub use location::H3Cell;
pub use proofs::*;
pub use traits::*;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// Balance of an account, in planck (10^-12 DPN).
pub type Balance = u128;

/// Block number: `u32` lasts 800 years at 6-second blocks.
pub type BlockNumber = u32;

/// Transaction index of an account.
pub type Nonce = u32;

/// Hash of a block, a transaction or a storage root (blake2-256).
pub type Hash = sp_core::H256;

/// Signature of an account-signed extrinsic (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;

/// An account on the chain: the 32-byte public key (or its hash, for ecdsa) of a signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Index of a reward epoch (`EpochLength` blocks each).
pub type EpochIndex = u32;

/// Identifier of a device class in the governance-managed class table.
pub type ClassId = u16;

/// Identifier of a device: `blake2_256(SCALE(DeviceKey))`.
pub type DeviceId = sp_core::H256;

/// The token: symbol, decimals and the units derived from them.
pub mod currency {
	use super::Balance;

	/// Token symbol.
	pub const TOKEN_SYMBOL: &str = "DPN";
	/// Number of decimals of one token.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// One DPN in planck.
	pub const DPN: Balance = 1_000_000_000_000;
	/// One thousandth of a DPN.
	pub const MILLI_DPN: Balance = DPN / 1_000;
	/// One millionth of a DPN.
	pub const MICRO_DPN: Balance = MILLI_DPN / 1_000;
}

/// Block time and the durations derived from it.
pub mod time {
	use super::BlockNumber;

	/// Target block time in milliseconds (one BABE slot).
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	/// Slot duration of BABE, equal to the block time.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
	/// Blocks in one minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks in one hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks in one day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn units_are_consistent() {
		assert_eq!(currency::DPN, 10u128.pow(u32::from(currency::TOKEN_DECIMALS)));
		assert_eq!(currency::MILLI_DPN * 1_000, currency::DPN);
		assert_eq!(time::MINUTES, 10);
		assert_eq!(time::DAYS, 14_400);
	}
}
