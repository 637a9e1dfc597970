//! Configuration of the DePIN pallets: the device registry and device staking, and the epoch
//! clock they count in.

use super::TreasuryAccount;
use crate::{
	AccountId, Balance, Balances, BlockNumber, DeviceStaking, Devices, Runtime, RuntimeHoldReason,
	MILLI_DPN,
};
use depin_primitives::{EpochIndex, EpochProvider};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

/// Reward epochs until the proof pallet owns the epoch clock: `block / session length`.
///
/// Dev and local chains rotate sessions every 10 blocks and production every 600, which are
/// exactly the epoch lengths the specification asks for, so one genesis setting serves both.
pub struct SessionLengthEpochs;

impl EpochProvider for SessionLengthEpochs {
	fn current_epoch() -> EpochIndex {
		let length = pallet_validators::SessionLength::<Runtime>::get().max(1);
		let block: BlockNumber = frame_system::Pallet::<Runtime>::block_number();
		(u64::from(block) / length).try_into().unwrap_or(EpochIndex::MAX)
	}
}

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
}

/// Devices: root (sudo, later governance) manages classes and suspensions.
impl pallet_devices::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = EnsureRoot<AccountId>;
	type SuspendOrigin = EnsureRoot<AccountId>;
	type StakeInfo = DeviceStaking;
	type DeviceDeposit = DeviceDeposit;
	type DepositPerByte = DepositPerByte;
	type MaxMetadataLen = ConstU32<256>;
	type MaxDevicesPerOwner = ConstU32<512>;
	type MaxClassNameLen = ConstU32<32>;
	type WeightInfo = pallet_devices::weights::SubstrateWeight<Runtime>;
}

/// Device staking: slashes go to the treasury, less the reporter's share.
impl pallet_device_staking::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Devices = Devices;
	type Epochs = SessionLengthEpochs;
	type SlashOrigin = EnsureRoot<AccountId>;
	type Treasury = TreasuryAccount;
	type UnbondingEpochs = UnbondingEpochs;
	type SlashDeferEpochs = SlashDeferEpochs;
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
		let length = pallet_validators::SessionLength::<Runtime>::get().max(1);
		let blocks = u64::from(epochs).saturating_mul(length);
		let now = u64::from(frame_system::Pallet::<Runtime>::block_number());
		let target = now.saturating_add(blocks).try_into().unwrap_or(BlockNumber::MAX);
		frame_system::Pallet::<Runtime>::set_block_number(target);
	}
}
