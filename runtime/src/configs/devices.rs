//! Configuration of the DePIN pallets: the device registry, device staking, proofs, rewards.

use super::TreasuryAccount;
use crate::governance::{CancelSlashOrigin, DeviceAdmin, EmissionAdmin, RootOr, SlashAdmin};
#[cfg(feature = "runtime-benchmarks")]
use crate::AccountId;
use crate::{
	Balance, Balances, BlockNumber, DeviceStaking, Devices, Makers, Proofs, Rewards, Runtime,
	RuntimeHoldReason, Timestamp, DAYS, DPN, HOURS, MILLI_DPN,
};
use depin_primitives::EpochIndex;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::Perbill;

parameter_types! {
	/// Held for each registered device: 0.1 DPN.
	pub const DeviceDeposit: Balance = 100 * MILLI_DPN;
	/// Held for each byte of device metadata: 0.001 DPN.
	pub const DepositPerByte: Balance = MILLI_DPN;
	/// Epochs before unbonded stake can be withdrawn: 28 (28 hours in production). Longer than
	/// the window in which offences can be reported, so stake cannot escape a report.
	pub const UnbondingEpochs: EpochIndex = 28;
	/// Epochs a slash waits for governance to cancel it: 7.
	pub const SlashDeferEpochs: EpochIndex = 7;
	/// Paid to whoever reported an offence: 10% of the slash.
	pub const ReporterShare: Perbill = Perbill::from_percent(10);
	/// Slashed for signing two different proofs for one epoch: 20% of the stake.
	pub const EquivocationSlash: Perbill = Perbill::from_percent(20);
	/// Slashed for downtime: nothing (downtime costs rewards and suspension, not stake).
	pub const UnresponsiveSlash: Perbill = Perbill::zero();
	/// Epochs in which an equivocation can be reported: 24 (a day in production). Within the
	/// 28 unbonding epochs, so that a reported device still has its stake.
	pub const ReportWindow: EpochIndex = 24;
	/// Blocks between a device recovery request and its completion: a day.
	pub const RecoveryDelay: BlockNumber = DAYS;
	/// Blocks before an owner may resume their device suspended as unresponsive: an hour.
	pub const ResumeCooldown: BlockNumber = HOURS;
	/// Epochs after a change of a class's terms in which its devices' misses do not count:
	/// 24 (a day in production), time for owners to adapt (bond up to a new minimum).
	pub const ClassChangeGrace: EpochIndex = 24;
}

/// Epochs follow BABE's slots: wall time from the chain's first block.
pub struct BabeSlotClock;

impl pallet_proofs::SlotClock for BabeSlotClock {
	fn current_slot() -> u64 {
		*pallet_babe::CurrentSlot::<Runtime>::get()
	}

	fn genesis_slot() -> u64 {
		*pallet_babe::GenesisSlot::<Runtime>::get()
	}
}

/// Proofs: challenges seeded by BABE; equivocation slashes 20%; three missed epochs suspend.
impl pallet_proofs::Config for Runtime {
	type Balance = Balance;
	type Devices = Devices;
	type Attestation = Makers;
	type Stake = DeviceStaking;
	type Offences = DeviceStaking;
	type Rewards = Rewards;
	type EpochRandomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	type BlockRandomness = pallet_babe::ParentBlockRandomness<Runtime>;
	type Clock = BabeSlotClock;
	type LeavesPerChallenge = ConstU32<4>;
	type MaxMissedEpochs = ConstU32<3>;
	type ClassChangeGrace = ClassChangeGrace;
	type ReportWindow = ReportWindow;
	type EquivocationSlash = EquivocationSlash;
	type UnresponsiveSlash = UnresponsiveSlash;
	type MaxBatchSize = ConstU32<1_000>;
	/// Above ordinary transactions' priority, which is fee-based and starts at zero.
	type ProofPriority = ConstU64<{ u64::MAX / 4 }>;
	type WeightInfo = pallet_proofs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ProofsBenchmarkHelper;
}

/// Devices: classes by the device_admin track, suspensions by the slash_admin track (and Root).
impl pallet_devices::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Classes and their terms: the device_admin track.
	type ClassOrigin = RootOr<DeviceAdmin>;
	// Suspending and resuming devices, a punishment: the slash_admin track.
	type SuspendOrigin = RootOr<SlashAdmin>;
	type StakeInfo = DeviceStaking;
	type DeviceDeposit = DeviceDeposit;
	type DepositPerByte = DepositPerByte;
	type MaxMetadataLen = ConstU32<256>;
	type MaxClassNameLen = ConstU32<32>;
	type RecoveryDelay = RecoveryDelay;
	type Epochs = Proofs;
	type ResumeCooldown = ResumeCooldown;
	/// A retired device's proofs and reward entries are dropped (its unclaimed rewards paid),
	/// and its maker's onboarding deposit released.
	type OnRetire = (Proofs, (Rewards, Makers));
	type Attestation = Makers;
	type WeightInfo = pallet_devices::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held from a maker's account for each device it onboards: 1 DPN.
	pub const OnboardingDeposit: Balance = DPN;
}

/// Makers: admitted, updated and revoked by the device_admin track (and Root).
impl pallet_makers::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Admitting, updating and revoking makers: the device_admin track.
	type MakerOrigin = RootOr<DeviceAdmin>;
	type Devices = Devices;
	type Epochs = Proofs;
	type Time = Timestamp;
	type OnboardingDeposit = OnboardingDeposit;
	type MaxRoots = ConstU32<4>;
	type MaxNameLen = ConstU32<32>;
	type WeightInfo = pallet_makers::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MakersBenchmarkHelper;
}

/// Sets the chain's time for the makers pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MakersBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_makers::BenchmarkHelper for MakersBenchmarkHelper {
	fn set_time(unix_seconds: u64) {
		pallet_timestamp::Now::<Runtime>::put(unix_seconds.saturating_mul(1_000));
	}
}

/// Device staking: slashes go to the treasury, less the reporter's share.
impl pallet_device_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Devices = Devices;
	type Epochs = Proofs;
	// Slashes by decision: the slash_admin track; cancelling one also the technical committee.
	type SlashOrigin = RootOr<SlashAdmin>;
	type CancelSlashOrigin = CancelSlashOrigin;
	type Treasury = TreasuryAccount;
	type UnbondingEpochs = UnbondingEpochs;
	type SlashDeferEpochs = SlashDeferEpochs;
	type OffenceWindow = ReportWindow;
	type ReporterShare = ReporterShare;
	type MaxUnbondingChunks = ConstU32<16>;
	type WeightInfo = pallet_device_staking::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StakingBenchmarkHelper;
}

/// Benchmark set-up for device staking: a real registration, and time moved by blocks.
#[cfg(feature = "runtime-benchmarks")]
pub struct StakingBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_device_staking::BenchmarkHelper<AccountId, Balance> for StakingBenchmarkHelper {
	fn device(owner: &AccountId, min_stake: Balance) -> depin_primitives::DeviceId {
		Devices::benchmark_device(owner, min_stake)
	}

	fn advance_epochs(epochs: EpochIndex) {
		advance_epochs(epochs);
	}
}

/// Moves time forward by `epochs` epochs for benchmarks: each epoch's first slot, in a new
/// block, runs the proofs pallet's hook as a block would.
#[cfg(feature = "runtime-benchmarks")]
pub fn advance_epochs(epochs: EpochIndex) {
	use frame_support::traits::Hooks;
	let first = Proofs::current_epoch_index().saturating_add(1);
	for epoch in first..first.saturating_add(epochs) {
		let block = frame_system::Pallet::<Runtime>::block_number().saturating_add(1);
		frame_system::Pallet::<Runtime>::set_block_number(block);
		pallet_babe::CurrentSlot::<Runtime>::put(sp_consensus_babe::Slot::from(
			Proofs::epoch_start_slot(epoch),
		));
		Proofs::on_initialize(block);
	}
}

/// Benchmark set-up for proofs: a real registration in the storage class and a real bond.
#[cfg(feature = "runtime-benchmarks")]
pub struct ProofsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_proofs::BenchmarkHelper<AccountId> for ProofsBenchmarkHelper {
	fn eligible_device(
		owner: &AccountId,
		key: depin_primitives::DeviceKey,
		proof_of_possession: depin_primitives::DeviceSignature,
	) -> depin_primitives::DeviceId {
		use frame_support::traits::fungible::Mutate;
		let class = crate::genesis_config_presets::CLASS_STORAGE;
		// The most declared metrics, so that checking telemetry costs its most.
		pallet_devices::Classes::<Runtime>::mutate(class, |info| {
			if let Some(info) = info {
				info.telemetry = frame_support::BoundedVec::truncate_from(
					(0..depin_primitives::MAX_READINGS as u16)
						.map(|metric| depin_primitives::MetricRange { metric, min: 0, max: 1 })
						.collect::<alloc::vec::Vec<_>>(),
				);
				info.telemetry_weight = 1;
				// The benchmarks' data sets have as few chunks as their Merkle depth allows:
				// the minimum only refuses, it costs nothing to check.
				info.min_data_chunks = 1;
			}
		});
		let min_stake = pallet_devices::Classes::<Runtime>::get(class)
			.map(|c| c.min_stake)
			.unwrap_or(crate::DPN);
		let _ = Balances::mint_into(owner, min_stake.saturating_mul(2).saturating_add(crate::DPN));
		Devices::do_register(
			owner.clone(),
			key,
			class,
			None,
			Default::default(),
			proof_of_possession,
			None,
		)
		.expect("benchmark registration succeeds; qed");
		let id = key.device_id();
		DeviceStaking::do_bond(owner.clone(), id, min_stake).expect("funded above; qed");
		id
	}

	fn set_slot(slot: u64) {
		pallet_babe::CurrentSlot::<Runtime>::put(sp_consensus_babe::Slot::from(slot));
	}
}

parameter_types! {
	/// The rewards pot's id.
	pub const RewardsPalletId: frame_support::PalletId = crate::accounts::REWARDS_PALLET_ID;
}

/// Rewards: claimable for 720 epochs (30 days in production); 64 epochs per claim.
impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	type Devices = Devices;
	type Epochs = Proofs;
	// The emission schedule: the emission_admin track.
	type EmissionOrigin = RootOr<EmissionAdmin>;
	type Treasury = TreasuryAccount;
	type PalletId = RewardsPalletId;
	type ClaimWindow = ConstU32<720>;
	type MaxClaimEpochs = ConstU32<64>;
	type MaxAuthors = ConstU32<{ super::MAX_AUTHORITIES }>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RewardsBenchmarkHelper;
}

/// Benchmark set-up for rewards: real registrations, and the proofs pallet's epoch clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct RewardsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_rewards::BenchmarkHelper<AccountId, Balance> for RewardsBenchmarkHelper {
	fn device(owner: &AccountId, min_stake: Balance) -> depin_primitives::DeviceId {
		Devices::benchmark_device(owner, min_stake)
	}

	fn set_epoch(epoch: EpochIndex) {
		// The clock and the epoch only: the reward benchmarks close epochs themselves.
		pallet_babe::CurrentSlot::<Runtime>::put(sp_consensus_babe::Slot::from(
			Proofs::epoch_start_slot(epoch),
		));
		pallet_proofs::CurrentEpoch::<Runtime>::put(epoch);
	}
}
