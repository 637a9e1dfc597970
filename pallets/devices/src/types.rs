//! Types stored by the device registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use depin_primitives::{ClassId, DeviceKey, DeviceStatus, H3Cell};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_runtime::traits::Get;

/// The proofs a class owes each epoch.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct OwedProofs {
	/// A signed heartbeat with telemetry.
	pub heartbeat: bool,
	/// An answer to the epoch's storage challenge.
	pub storage: bool,
}

/// A device class: what its devices must stake and prove, and what they earn.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxName))]
#[codec(mel_bound(Balance: MaxEncodedLen))]
// The no-bound derives need the bounds on the parameters as well as on the fields.
#[allow(clippy::multiple_bound_locations)]
pub struct ClassInfo<Balance: Clone + PartialEq + Eq + core::fmt::Debug, MaxName: Get<u32>> {
	/// Human-readable name (UTF-8), for wallets and explorers.
	pub name: BoundedVec<u8, MaxName>,
	/// Bond below which a device of the class earns nothing.
	pub min_stake: Balance,
	/// Weight of the class's devices in the reward pool (points per proof delivered).
	pub reward_weight: u32,
	/// The proofs each device of the class owes per epoch.
	pub owes: OwedProofs,
	/// Whether new devices of the class may register.
	pub open: bool,
}

/// A registered device.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxMetadata))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
// The no-bound derives need the bounds on the parameters as well as on the fields.
#[allow(clippy::multiple_bound_locations)]
pub struct DeviceInfo<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxMetadata: Get<u32>,
> {
	/// The account that owns the device and is paid its rewards.
	pub owner: AccountId,
	/// The device's public key (its id is the hash of it).
	pub key: DeviceKey,
	/// The device's class.
	pub class: ClassId,
	/// Active, suspended (with the reason) or retired.
	pub status: DeviceStatus,
	/// Where the device is, as an H3 cell, if it says.
	pub location: Option<H3Cell>,
	/// Free-form metadata (model, firmware, operator notes), bounded.
	pub metadata: BoundedVec<u8, MaxMetadata>,
	/// The account whose funds are held as the storage deposit.
	pub depositor: AccountId,
	/// The storage deposit held from the depositor (zero once retired).
	pub deposit: Balance,
	/// The block the device registered in.
	pub registered_at: BlockNumber,
	/// The block from which it has been active without interruption (registration or last
	/// resumption).
	pub active_since: BlockNumber,
}

/// How many devices are in each status (network-wide or for one class), kept in O(1).
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct StatusCounts {
	/// Active devices.
	pub active: u32,
	/// Suspended devices.
	pub suspended: u32,
	/// Retired (deregistered) devices.
	pub retired: u32,
}

impl StatusCounts {
	/// The counter of `status`.
	fn counter(&mut self, status: &DeviceStatus) -> &mut u32 {
		match status {
			DeviceStatus::Active => &mut self.active,
			DeviceStatus::Suspended(_) => &mut self.suspended,
			DeviceStatus::Retired => &mut self.retired,
		}
	}

	/// Counts one more device in `status`.
	pub fn add(&mut self, status: &DeviceStatus) {
		let counter = self.counter(status);
		*counter = counter.saturating_add(1);
	}

	/// Counts one device less in `status`.
	pub fn remove(&mut self, status: &DeviceStatus) {
		let counter = self.counter(status);
		*counter = counter.saturating_sub(1);
	}

	/// Devices that are registered and not retired.
	pub fn registered(&self) -> u32 {
		self.active.saturating_add(self.suspended)
	}
}

/// A recovery requested by the holder of a device's key.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingRecovery<AccountId, Balance, BlockNumber> {
	/// Who is to own the device.
	pub new_owner: AccountId,
	/// The deposit held from them (the device's deposit once recovered).
	pub deposit: Balance,
	/// The block from which the recovery can be completed.
	pub due: BlockNumber,
}
