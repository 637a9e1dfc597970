//! The pallets whose benchmarks the runtime exposes to `depin-node benchmark pallet`.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_validators, Validators]
	[pallet_devices, Devices]
	[pallet_device_staking, DeviceStaking]
	[pallet_proofs, Proofs]
	[pallet_rewards, Rewards]
	[pallet_makers, Makers]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_treasury, Treasury]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_referenda, Referenda]
	[pallet_whitelist, Whitelist]
	[pallet_collective, TechnicalCommittee]
);

pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};

pub use super::{
	Balances, ConvictionVoting, DeviceStaking, Devices, Makers, Preimage, Proofs, Referenda,
	Rewards, Runtime, Scheduler, TechnicalCommittee, Timestamp, TransactionPayment, Treasury,
	Validators, Whitelist,
};
