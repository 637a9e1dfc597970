//! # depin-runtime-api
//!
//! `DepinApi`, the runtime API through which dApps, wallets and the node's `depin_*` JSON-RPC
//! methods read the DePIN chain: a device with its stake and proof record, an owner's devices,
//! pending rewards, the epoch, a device's challenge, network statistics and the class table.
//!
//! Any client that reads metadata (v15 or newer lists runtime APIs) calls it with
//! `state_call("DepinApi_<method>", SCALE(arguments))`; `docs/rpc.md` shows how from
//! polkadot-api, polkadot.js and subxt. Every method is O(1) in the number of devices, except
//! the class table and the per-class counts, which grow with the number of classes (set by
//! governance).
//!
//! Versions: 2 (the epoch clock, full class terms), 3 (an owner's devices paged: an owner may
//! hold any number).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use depin_primitives::{
	AttestationPolicy, ClassId, DeviceId, DeviceKey, DeviceStatus, EpochIndex, H3Cell, MetricRange,
	UsageTerms,
};
use scale_info::TypeInfo;

/// The most devices one page of [`DepinApi::devices_by_owner`] returns.
pub const MAX_OWNER_PAGE: u32 = 1_000;

/// A device as dApps see it: its registry record, stake and proof record.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DeviceView<AccountId, Balance, BlockNumber> {
	/// The account that owns it and is paid its rewards.
	pub owner: AccountId,
	/// Its public key.
	pub key: DeviceKey,
	/// Its class.
	pub class: ClassId,
	/// Active, suspended (with the reason) or retired.
	pub status: DeviceStatus,
	/// Its H3 cell, if it gave one.
	pub location: Option<H3Cell>,
	/// Its free-form metadata.
	pub metadata: Vec<u8>,
	/// The block it registered in.
	pub registered_at: BlockNumber,
	/// Stake bonded behind it.
	pub bonded: Balance,
	/// Stake unbonding: each amount with the first epoch it can be withdrawn in.
	pub unbonding: Vec<(Balance, EpochIndex)>,
	/// The last epoch it delivered a heartbeat for.
	pub last_heartbeat: Option<EpochIndex>,
	/// The last epoch it delivered a storage proof for.
	pub last_storage_proof: Option<EpochIndex>,
	/// Its last heartbeat with declared metrics missing or out of range (no telemetry
	/// credit): the epoch and the metrics.
	pub flagged_telemetry: Option<(EpochIndex, Vec<u16>)>,
	/// Its maker's attestation, if it has one.
	pub attestation: Option<AttestationView>,
}

/// A device's attestation by its maker.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AttestationView {
	/// The maker.
	pub maker: depin_primitives::attestation::MakerId,
	/// The serial number of its certificate (the leaf's, or the compact certificate's).
	pub serial: Vec<u8>,
	/// Valid, or revoked from an epoch on.
	pub state: depin_primitives::attestation::AttestationState,
	/// The epoch it was attested in.
	pub since: EpochIndex,
}

/// What a device can claim now.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PendingRewards<Balance> {
	/// The amount.
	pub amount: Balance,
	/// The closed, unexpired epochs it covers (a claim pays at most 64 of them at once).
	pub epochs: u32,
}

/// The current proof epoch.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EpochInfo<BlockNumber, Hash> {
	/// Its index.
	pub index: EpochIndex,
	/// Its first block.
	pub start_block: BlockNumber,
	/// Blocks per epoch.
	pub length: BlockNumber,
	/// Its seed, from which every device's challenge derives.
	pub seed: Hash,
}

/// The epoch clock: what a device is provisioned with to tell, from its own clock, which
/// epoch is current. Epoch `e` starts at Unix time `(genesis_slot + e × epoch_length) ×
/// slot_duration_ms` milliseconds.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EpochClock {
	/// The slot epoch 0 starts in: the chain's first BABE slot (0 until the first block).
	pub genesis_slot: u64,
	/// Milliseconds per slot.
	pub slot_duration_ms: u64,
	/// Slots per epoch.
	pub epoch_length: u32,
}

impl EpochClock {
	/// When epoch `epoch` starts, in milliseconds since the Unix epoch.
	pub fn start_ms(&self, epoch: EpochIndex) -> u64 {
		self.genesis_slot
			.saturating_add(u64::from(self.epoch_length).saturating_mul(u64::from(epoch)))
			.saturating_mul(self.slot_duration_ms)
	}

	/// How long an epoch lasts, in milliseconds.
	pub fn duration_ms(&self) -> u64 {
		u64::from(self.epoch_length).saturating_mul(self.slot_duration_ms)
	}

	/// The epoch at `now_ms` (milliseconds since the Unix epoch), as a device's clock tells it.
	pub fn epoch_at(&self, now_ms: u64) -> EpochIndex {
		let genesis = self.start_ms(0);
		let epoch = now_ms.saturating_sub(genesis) / self.duration_ms().max(1);
		EpochIndex::try_from(epoch).unwrap_or(EpochIndex::MAX)
	}
}

/// What a device must answer this epoch.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ChallengeInfo<Hash> {
	/// The current epoch.
	pub epoch: EpochIndex,
	/// The device's challenge in it (what its heartbeat must carry).
	pub challenge: Hash,
	/// The chunk indices its storage proof must answer, if it committed to a data set.
	pub storage_indices: Option<Vec<u64>>,
}

/// Devices per status.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, TypeInfo, Debug)]
pub struct DeviceCounts {
	/// Active devices.
	pub active: u32,
	/// Suspended devices.
	pub suspended: u32,
	/// Retired (deregistered) devices.
	pub retired: u32,
}

/// Network-wide statistics, from counters kept in O(1).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NetworkStats<Balance> {
	/// Devices per status, network-wide.
	pub devices: DeviceCounts,
	/// Devices per status, per class.
	pub by_class: Vec<(ClassId, DeviceCounts)>,
	/// Stake bonded behind all devices (not counting what is unbonding).
	pub total_bonded: Balance,
	/// Stake unbonding.
	pub total_unbonding: Balance,
	/// The last closed epoch: its index, all points earned in it, and what it minted.
	pub last_closed_epoch: Option<(EpochIndex, u128, Balance)>,
	/// Everything the reward pallet has minted since genesis.
	pub total_emitted: Balance,
	/// The token's total issuance.
	pub total_issuance: Balance,
}

/// A device class.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ClassView<Balance> {
	/// Its id.
	pub id: ClassId,
	/// Its name (UTF-8).
	pub name: Vec<u8>,
	/// Stake a device needs to earn.
	pub min_stake: Balance,
	/// Points per proof delivered.
	pub reward_weight: u32,
	/// Whether its devices owe a heartbeat every epoch.
	pub owes_heartbeat: bool,
	/// Whether its devices owe a storage proof every epoch.
	pub owes_storage: bool,
	/// Whether new devices may register in it.
	pub open: bool,
	/// Fewest chunks of a storage device's data set.
	pub min_data_chunks: u64,
	/// The metrics its heartbeats report, with their valid ranges.
	pub telemetry: Vec<MetricRange>,
	/// Points a heartbeat earns on top of the reward weight with every declared metric in
	/// range.
	pub telemetry_weight: u32,
	/// Whether its devices must be attested by an admitted maker.
	pub attestation: AttestationPolicy,
	/// Its paid service, if any.
	pub usage: Option<UsageTerms>,
	/// The epoch its terms hold from.
	pub since: EpochIndex,
}

sp_api::decl_runtime_apis! {
	/// What dApps read about devices, rewards, epochs and the network.
	///
	/// Version 2 adds [`DepinApi::epoch_clock`] (epochs follow the slot clock), a device's
	/// flagged telemetry and a class's full terms (no runtime of version 1 was released: the
	/// node reads version 2's types). Version 3 pages an owner's devices
	/// ([`DepinApi::devices_by_owner`] with a cursor and a limit): an owner may hold any number.
	#[api_version(3)]
	pub trait DepinApi<AccountId, Balance, BlockNumber, Hash>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Hash: Codec,
	{
		/// The device `device`, or `None` if no such device was ever registered.
		fn device(device: DeviceId) -> Option<DeviceView<AccountId, Balance, BlockNumber>>;
		/// The devices `owner` owns (before version 3: all of them, at most 512).
		#[changed_in(3)]
		fn devices_by_owner(owner: AccountId) -> Vec<DeviceId>;
		/// At most `limit` of the devices `owner` owns (not retired), after the device
		/// `start_after` in the owner index's order (the order of the devices' hashed ids), from
		/// the first if `None`. Pass a page's last id as the next page's `start_after`; a page
		/// shorter than `limit` is the last. `limit` is capped at [`MAX_OWNER_PAGE`].
		fn devices_by_owner(
			owner: AccountId,
			start_after: Option<DeviceId>,
			limit: u32,
		) -> Vec<DeviceId>;
		/// What `device` can claim now, or `None` if there is no such device.
		fn pending_rewards(device: DeviceId) -> Option<PendingRewards<Balance>>;
		/// The current epoch.
		fn epoch() -> EpochInfo<BlockNumber, Hash>;
		/// `device`'s challenge in the current epoch, or `None` if there is no such device.
		fn challenge(device: DeviceId) -> Option<ChallengeInfo<Hash>>;
		/// Network-wide statistics.
		fn network_stats() -> NetworkStats<Balance>;
		/// The class table.
		fn classes() -> Vec<ClassView<Balance>>;
		/// The epoch clock (since version 2: a client asks for it only of a runtime whose
		/// `DepinApi` version is 2 or more).
		fn epoch_clock() -> EpochClock;
	}
}
