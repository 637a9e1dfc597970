//! Cross-pallet traits. A pallet that needs another pallet's data names one of these in its
//! `Config`; the runtime wires the real pallet in, a mock runtime wires `()` or a test double.

use crate::{ClassId, DeviceId, DeviceKey, EpochIndex, H3Cell};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_runtime::{BoundedVec, DispatchError, DispatchResult, Perbill};

/// Reward points a device earns in one epoch.
pub type Points = u64;

/// Identifier of a pending slash.
pub type SlashId = u32;

/// Source of the current reward epoch.
pub trait EpochProvider {
	/// The index of the epoch in progress.
	fn current_epoch() -> EpochIndex;
}

/// Without an epoch source every block is in epoch 0.
impl EpochProvider for () {
	fn current_epoch() -> EpochIndex {
		0
	}
}

/// Lifecycle status of a registered device.
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
pub enum DeviceStatus {
	/// Registered and allowed to submit proofs.
	Active,
	/// Suspended (by governance, or for missed proofs); earns nothing until resumed.
	Suspended(SuspensionReason),
	/// Deregistered by its owner. The record stays so that its key can never be registered
	/// again and its history (rewards, offences) still resolves to its owner.
	Retired,
}

impl DeviceStatus {
	/// Whether the device may submit proofs and earn.
	pub fn is_active(&self) -> bool {
		matches!(self, DeviceStatus::Active)
	}
}

/// What other pallets may know of a device.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct DeviceSummary<AccountId> {
	/// The account that owns the device and receives its rewards.
	pub owner: AccountId,
	/// The device's public key.
	pub key: DeviceKey,
	/// The device's class.
	pub class: ClassId,
	/// The device's status.
	pub status: DeviceStatus,
	/// The device's H3 cell, if it declared one.
	pub location: Option<H3Cell>,
	/// The block from which the device has been active without interruption (its
	/// registration, or its last resumption); it owes proofs from the next epoch on.
	pub active_since: u64,
}

/// What a device class requires of, and pays to, its devices: the terms other pallets read.
/// Every term a later feature needs is a field here (and in the registry's class table), set
/// by governance with the class; see `docs/devices.md` for the layout and why it is one.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ClassTerms<Balance> {
	/// Bond below which a device of the class earns nothing.
	pub min_stake: Balance,
	/// Points each proof the class owes earns (its weight in the reward pool).
	pub reward_weight: u32,
	/// Whether the class owes a heartbeat each epoch.
	pub owes_heartbeat: bool,
	/// Whether the class owes a storage proof each epoch.
	pub owes_storage: bool,
	/// Fewest chunks a storage device's data set may have. Points do not grow with size:
	/// without sealed replicas, size cannot be proven (`docs/proofs.md`).
	pub min_data_chunks: u64,
	/// The metrics the class's heartbeats report, each with its valid range.
	pub telemetry: Telemetry,
	/// Points a heartbeat earns on top of `reward_weight` when it reports every declared
	/// metric within its range (telemetry credit).
	pub telemetry_weight: u32,
	/// Whether a device must be attested by an admitted maker to register.
	pub attestation: AttestationPolicy,
	/// The paid service the class's devices sell, if any.
	pub usage: Option<UsageTerms>,
	/// The epoch from which these terms hold (governance's last change).
	pub since: EpochIndex,
}

/// The declared telemetry of a class: at most [`crate::MAX_READINGS`] metrics.
pub type Telemetry = BoundedVec<MetricRange, ConstU32<{ crate::MAX_READINGS }>>;

/// A metric a class's heartbeats report, and the range its readings must fall in.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MetricRange {
	/// The metric id (its meaning is the class's: 1 = uptime seconds, 2 = milli-degrees, ...).
	pub metric: u16,
	/// The lowest valid reading.
	pub min: i64,
	/// The highest valid reading.
	pub max: i64,
}

/// Whether a class's devices must prove their key lives in a maker's chip.
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
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AttestationPolicy {
	/// Any key may register (with its proof of possession).
	#[default]
	Open,
	/// Registration needs evidence that an admitted maker's chip generated the key.
	Required,
}

/// What a class's paid service sells (`GET /v1/data`).
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UsageUnit {
	/// One reading of the device's telemetry.
	Reading,
	/// One chunk of a storage device's data set.
	Chunk,
}

/// The price of a class's paid service.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UsageTerms {
	/// What a unit of service is.
	pub unit: UsageUnit,
	/// What a unit costs, in data credits.
	pub credits_per_unit: u64,
}

impl<Balance> ClassTerms<Balance> {
	/// The declared metrics that `readings` do not report within their range (missing, or out
	/// of range): none, and the heartbeat earns its telemetry credit.
	pub fn flagged_metrics(&self, readings: &[crate::Reading]) -> alloc::vec::Vec<u16> {
		self.telemetry
			.iter()
			.filter(|range| {
				!readings
					.iter()
					.any(|r| r.metric == range.metric && (range.min..=range.max).contains(&r.value))
			})
			.map(|range| range.metric)
			.collect()
	}
}

/// Why a device is suspended.
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
pub enum SuspensionReason {
	/// Governance decided, for a reason given off chain.
	Governance,
	/// The device missed too many epochs of proofs in a row.
	Unresponsive,
	/// The device was caught misbehaving (for example signing two proofs for one epoch).
	Misbehaviour,
}

/// The device registry, as other pallets see it.
pub trait DeviceRegistry<AccountId, Balance> {
	/// The device, if registered.
	fn device(device: &DeviceId) -> Option<DeviceSummary<AccountId>>;
	/// The terms of a class, if it exists.
	fn class_terms(class: ClassId) -> Option<ClassTerms<Balance>>;
	/// Suspends an active device, or re-suspends for misbehaviour a device suspended for another
	/// reason; fails if it is unknown or otherwise not active.
	fn suspend(device: &DeviceId, reason: SuspensionReason) -> DispatchResult;
}

/// No registry: no device exists.
impl<AccountId, Balance> DeviceRegistry<AccountId, Balance> for () {
	fn device(_: &DeviceId) -> Option<DeviceSummary<AccountId>> {
		None
	}
	fn class_terms(_: ClassId) -> Option<ClassTerms<Balance>> {
		None
	}
	fn suspend(_: &DeviceId, _: SuspensionReason) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}
}

/// The makers' registry, as the device registry (registration) and the proofs pallet
/// (earning) see it.
pub trait DeviceAttestation {
	/// Checks `evidence` that `key`, the key of device `device`, was generated inside a chip of
	/// an admitted maker, for a device of `class`; then onboards the device: a unit of the
	/// maker's quota used, the maker's onboarding deposit held, the attestation recorded.
	/// Returns the weight it used (at most [`Self::attest_weight`]); every refusal is a named
	/// error and changes nothing.
	fn attest(
		device: &DeviceId,
		key: &DeviceKey,
		class: ClassId,
		evidence: &crate::attestation::AttestationEvidence,
	) -> Result<sp_runtime::Weight, DispatchError>;
	/// The most [`Self::attest`] can weigh for `evidence`.
	fn attest_weight(evidence: &crate::attestation::AttestationEvidence) -> sp_runtime::Weight;
	/// `device`'s attestation state.
	fn state(device: &DeviceId) -> crate::attestation::AttestationState;
	/// The weight of [`Self::state`].
	fn state_weight() -> sp_runtime::Weight;
}

/// No makers' registry: no device is attested, and none can be.
impl DeviceAttestation for () {
	fn attest(
		_: &DeviceId,
		_: &DeviceKey,
		_: ClassId,
		_: &crate::attestation::AttestationEvidence,
	) -> Result<sp_runtime::Weight, DispatchError> {
		Err(DispatchError::Other("no makers' registry in this runtime"))
	}
	fn attest_weight(_: &crate::attestation::AttestationEvidence) -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
	fn state(_: &DeviceId) -> crate::attestation::AttestationState {
		crate::attestation::AttestationState::None
	}
	fn state_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Stake behind devices, as other pallets see it.
pub trait StakeInfo<Balance> {
	/// Funds bonded behind the device and not unbonding.
	fn bonded(device: &DeviceId) -> Balance;
	/// Funds of the device that are unbonding (still slashable).
	fn unbonding(device: &DeviceId) -> Balance;
	/// Whether the device's bond meets its class minimum, so that it may earn.
	fn is_eligible(device: &DeviceId) -> bool;
	/// The device changes hands by recovery (its key's holder took it back from whoever
	/// registered it): everything the previous owner has bonded behind it starts unbonding, as
	/// if they had unbonded it themselves. It stays slashable for the device's offences until it
	/// unlocks, and is theirs to withdraw then; the new owner bonds once it is gone. Returns
	/// what started unbonding.
	fn unbond_for_recovery(device: &DeviceId) -> Result<Balance, DispatchError>;
	/// The most [`Self::unbond_for_recovery`] can weigh.
	fn unbond_for_recovery_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// No staking: nothing is bonded and no device is eligible.
impl<Balance: Default> StakeInfo<Balance> for () {
	fn bonded(_: &DeviceId) -> Balance {
		Balance::default()
	}
	fn unbonding(_: &DeviceId) -> Balance {
		Balance::default()
	}
	fn is_eligible(_: &DeviceId) -> bool {
		false
	}
	fn unbond_for_recovery(_: &DeviceId) -> Result<Balance, DispatchError> {
		Ok(Balance::default())
	}
}

/// Kinds of offence a device can commit.
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
pub enum OffenceKind {
	/// Two different payloads signed for one epoch and kind.
	Equivocation,
	/// A proof that fails verification where only the device could have produced it.
	InvalidProof,
	/// Missed proofs, where governance configured a slash for downtime.
	Unresponsive,
	/// Slashed by governance.
	Governance,
}

/// An offence by a device, to be slashed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Offence<AccountId> {
	/// The offending device.
	pub device: DeviceId,
	/// What it did.
	pub kind: OffenceKind,
	/// The fraction of its bonded and unbonding stake to slash.
	pub fraction: Perbill,
	/// Who reported it, to be paid the reporter share.
	pub reporter: Option<AccountId>,
	/// The epoch in which the offence happened.
	pub epoch: EpochIndex,
}

/// Receives offences and turns them into (deferred) slashes.
pub trait OnOffence<AccountId> {
	/// Records the offence (so that it cannot be reported twice) and the slash it earns: the
	/// id of the pending slash, or `None` when the device has nothing left to slash (the
	/// offence still stands, and the reporter may still suspend the device).
	fn on_offence(offence: Offence<AccountId>) -> Result<Option<SlashId>, DispatchError>;
}

/// No slashing: every offence is refused.
impl<AccountId> OnOffence<AccountId> for () {
	fn on_offence(_: Offence<AccountId>) -> Result<Option<SlashId>, DispatchError> {
		Err(DispatchError::Unavailable)
	}
}

/// Receives the reward points devices earn and the close of each epoch.
pub trait RewardPoints {
	/// Credits `points` to `device` in `epoch`.
	fn note_points(device: &DeviceId, epoch: EpochIndex, points: Points) -> DispatchResult;
	/// Called once when `epoch` closes: no more points arrive for it.
	fn on_epoch_closed(epoch: EpochIndex);
	/// The most [`Self::on_epoch_closed`] can weigh.
	fn epoch_close_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// No rewards: points are dropped.
impl RewardPoints for () {
	fn note_points(_: &DeviceId, _: EpochIndex, _: Points) -> DispatchResult {
		Ok(())
	}
	fn on_epoch_closed(_: EpochIndex) {}
}

/// What other pallets do when a device retires (is deregistered): each drops what it keeps of
/// the device, so that storage does not grow with every device that ever existed; and may
/// hold the retirement back first (rewards not yet claimed, for example).
pub trait OnDeviceRetired {
	/// Whether `device` may retire now; the reason if not.
	fn can_retire(_device: &DeviceId) -> DispatchResult {
		Ok(())
	}
	/// `device` is retiring (its record still holds its owner): settle and drop what is
	/// kept of it. An error undoes the whole retirement.
	fn on_retired(device: &DeviceId) -> DispatchResult;
	/// The most [`Self::can_retire`] and [`Self::on_retired`] together weigh.
	fn retire_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Nothing to drop.
impl OnDeviceRetired for () {
	fn on_retired(_: &DeviceId) -> DispatchResult {
		Ok(())
	}
}

impl<A: OnDeviceRetired, B: OnDeviceRetired> OnDeviceRetired for (A, B) {
	fn can_retire(device: &DeviceId) -> DispatchResult {
		A::can_retire(device)?;
		B::can_retire(device)
	}
	fn on_retired(device: &DeviceId) -> DispatchResult {
		A::on_retired(device)?;
		B::on_retired(device)
	}
	fn retire_weight() -> sp_runtime::Weight {
		A::retire_weight().saturating_add(B::retire_weight())
	}
}
