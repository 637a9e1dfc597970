//! Types stored by the device registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use depin_primitives::{
	AttestationPolicy, ClassId, DeviceKey, DeviceStatus, EpochIndex, H3Cell, MetricRange,
	Telemetry, UsageTerms,
};
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

/// A device class: what its devices must stake and prove, and what they earn. The layout
/// holds every term the chain's features read (telemetry ranges, data set sizes, attestation,
/// paid usage), so that a feature is a field read here, not a new layout; `since` is set by
/// the chain when governance sets the class.
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
	/// Fewest chunks a storage device's data set may have (points do not grow with size).
	pub min_data_chunks: u64,
	/// The metrics its heartbeats report, each with its valid range.
	pub telemetry: Telemetry,
	/// Points a heartbeat earns on top of `reward_weight` when it reports every declared
	/// metric within range.
	pub telemetry_weight: u32,
	/// Whether a device must be attested by an admitted maker to register.
	pub attestation: AttestationPolicy,
	/// The paid service its devices sell, if any.
	pub usage: Option<UsageTerms>,
	/// The epoch from which these terms hold (set by the chain when governance sets them).
	pub since: EpochIndex,
}

impl<Balance: Clone + PartialEq + Eq + core::fmt::Debug, MaxName: Get<u32>>
	ClassInfo<Balance, MaxName>
{
	/// A class with its core terms and none of the others: no declared telemetry, a data set
	/// of at least one chunk, no attestation, no paid service, in force since epoch 0.
	pub fn new(
		name: BoundedVec<u8, MaxName>,
		min_stake: Balance,
		reward_weight: u32,
		owes: OwedProofs,
		open: bool,
	) -> Self {
		Self {
			name,
			min_stake,
			reward_weight,
			owes,
			open,
			min_data_chunks: 1,
			telemetry: Default::default(),
			telemetry_weight: 0,
			attestation: Default::default(),
			usage: None,
			since: 0,
		}
	}

	/// The terms other pallets read.
	pub fn terms(&self) -> depin_primitives::ClassTerms<Balance> {
		depin_primitives::ClassTerms {
			min_stake: self.min_stake.clone(),
			reward_weight: self.reward_weight,
			owes_heartbeat: self.owes.heartbeat,
			owes_storage: self.owes.storage,
			min_data_chunks: self.min_data_chunks,
			telemetry: self.telemetry.clone(),
			telemetry_weight: self.telemetry_weight,
			attestation: self.attestation,
			usage: self.usage,
			since: self.since,
		}
	}
}

/// A class of the genesis configuration (as a chain spec writes it; the terms added after the
/// first ones default to none).
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenesisClass<Balance> {
	/// Its id.
	pub id: ClassId,
	/// Its name (UTF-8).
	pub name: alloc::vec::Vec<u8>,
	/// Its minimum stake.
	pub min_stake: Balance,
	/// Points per proof owed.
	pub reward_weight: u32,
	/// The proofs owed per epoch.
	pub owes: OwedProofs,
	/// Whether devices may register.
	pub open: bool,
	/// Fewest chunks of a data set.
	#[serde(default = "one")]
	pub min_data_chunks: u64,
	/// Declared telemetry and ranges.
	#[serde(default)]
	pub telemetry: alloc::vec::Vec<MetricRange>,
	/// Telemetry credit.
	#[serde(default)]
	pub telemetry_weight: u32,
	/// Attestation.
	#[serde(default)]
	pub attestation: AttestationPolicy,
	/// Paid usage.
	#[serde(default)]
	pub usage: Option<UsageTerms>,
}

fn one() -> u64 {
	1
}

impl<Balance> GenesisClass<Balance> {
	/// A class with its core terms, and none of the others (no declared telemetry, a data
	/// set of at least one chunk, no attestation, no paid service).
	pub fn new(
		id: ClassId,
		name: &[u8],
		min_stake: Balance,
		reward_weight: u32,
		owes: OwedProofs,
		open: bool,
	) -> Self {
		Self {
			id,
			name: name.to_vec(),
			min_stake,
			reward_weight,
			owes,
			open,
			min_data_chunks: 1,
			telemetry: Default::default(),
			telemetry_weight: 0,
			attestation: Default::default(),
			usage: None,
		}
	}
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
