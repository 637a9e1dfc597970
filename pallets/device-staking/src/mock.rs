//! Mock runtime for device staking: System, Balances, the real Devices registry, DeviceStaking,
//! and an epoch clock tests move by hand.

use crate as pallet_device_staking;
use core::cell::Cell;
use depin_primitives::{
	keys::{DevicePair, Scheme},
	signing_message, ClassId, DeviceId, EpochIndex, EpochProvider, SigningDomain,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use pallet_devices::OwedProofs;
use sp_core::H256;
use sp_runtime::{BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Blocks between a recovery request and its completion.
pub const RECOVERY_DELAY: u64 = 5;
/// Blocks before an owner may resume a device suspended as unresponsive.
pub const RESUME_COOLDOWN: u64 = 20;
/// The mock chain's genesis hash.
pub const GENESIS: H256 = H256::repeat_byte(0x42);
/// Device owners with funds.
pub const ALICE: u64 = 1;
/// A second owner.
pub const BOB: u64 = 2;
/// A reporter of offences (funded, so it can receive any reward).
pub const REPORTER: u64 = 3;
/// A reporter without an account (below the existential deposit for small rewards).
pub const NEW_REPORTER: u64 = 4;
/// The treasury account.
pub const TREASURY: u64 = 99;
/// Starting balance of Alice, Bob and the reporter.
pub const FUNDS: u64 = 100_000;
/// Device deposit in the registry.
pub const DEVICE_DEPOSIT: u64 = 100;
/// Existential deposit.
pub const ED: u64 = 10;

/// A class with minimum stake 1 000.
pub const CLASS: ClassId = 1;
/// Its minimum stake.
pub const MIN_STAKE: u64 = 1_000;
/// Unbonding period in epochs.
pub const UNBONDING: EpochIndex = 3;
/// Slash deferral in epochs.
pub const DEFER: EpochIndex = 2;
/// Epochs in which an offence can be reported.
pub const OFFENCE_WINDOW: EpochIndex = 2;
/// Most unbonding chunks.
pub const MAX_CHUNKS: u32 = 4;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Devices = pallet_devices;
	#[runtime::pallet_index(3)]
	pub type DeviceStaking = pallet_device_staking;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ConstU64<ED>;
}

impl pallet_devices::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = EnsureRoot<u64>;
	type SuspendOrigin = EnsureRoot<u64>;
	type StakeInfo = DeviceStaking;
	type DeviceDeposit = ConstU64<DEVICE_DEPOSIT>;
	type DepositPerByte = ConstU64<1>;
	type MaxMetadataLen = ConstU32<32>;
	type RecoveryDelay = ConstU64<RECOVERY_DELAY>;
	type Attestation = ();
	type Epochs = TestEpochs;
	type ResumeCooldown = ConstU64<RESUME_COOLDOWN>;
	type OnRetire = ();
	type MaxClassNameLen = ConstU32<16>;
	type WeightInfo = ();
}

thread_local! {
	static EPOCH: Cell<EpochIndex> = const { Cell::new(0) };
}

/// The epoch clock of the mock; tests move it with [`set_epoch`].
pub struct TestEpochs;

impl EpochProvider for TestEpochs {
	fn current_epoch() -> EpochIndex {
		EPOCH.with(Cell::get)
	}
}

/// Sets the current epoch.
pub fn set_epoch(epoch: EpochIndex) {
	EPOCH.with(|e| e.set(epoch));
}

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const ReporterShare: Perbill = Perbill::from_percent(10);
	pub const UnbondingEpochs: EpochIndex = UNBONDING;
	pub const SlashDeferEpochs: EpochIndex = DEFER;
}

impl pallet_device_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Devices = Devices;
	type Epochs = TestEpochs;
	type SlashOrigin = EnsureRoot<u64>;
	type CancelSlashOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type UnbondingEpochs = UnbondingEpochs;
	type SlashDeferEpochs = SlashDeferEpochs;
	type OffenceWindow = ConstU32<OFFENCE_WINDOW>;
	type ReporterShare = ReporterShare;
	type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Benchmark set-up in the mock: real registrations, and the test epoch clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, u64> for MockBenchmarkHelper {
	fn device(owner: &u64, min_stake: u64) -> DeviceId {
		Devices::benchmark_device(owner, min_stake)
	}
	fn advance_epochs(epochs: EpochIndex) {
		set_epoch(TestEpochs::current_epoch() + epochs);
	}
}

/// The genesis state: funded accounts and treasury, one class, Alice's devices of `keys`
/// registered and `bonds` (device, amount) bonded at genesis.
pub fn genesis_storage(
	keys: Vec<depin_primitives::DeviceKey>,
	bonds: Vec<(DeviceId, u64)>,
) -> sp_runtime::Storage {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, FUNDS), (BOB, FUNDS), (REPORTER, FUNDS), (TREASURY, ED)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_devices::GenesisConfig::<Test> {
		classes: vec![pallet_devices::GenesisClass::new(
			CLASS,
			b"hotspot",
			MIN_STAKE,
			10,
			OwedProofs { heartbeat: true, storage: false },
			true,
		)],
		devices: keys.into_iter().map(|key| (ALICE, key, CLASS)).collect(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	crate::GenesisConfig::<Test> { bonds }.assimilate_storage(&mut storage).unwrap();
	storage
}

/// Genesis (without devices), block 0's hash, block 1, epoch 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_epoch(0);
	let mut ext = sp_io::TestExternalities::new(genesis_storage(Vec::new(), Vec::new()));
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
	});
	ext
}

/// Runs a test and checks both pallets' invariants after it.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		DeviceStaking::do_try_state().expect("staking invariants hold after every test");
		Devices::do_try_state().expect("registry invariants hold after every test");
	});
}

/// The Ed25519 keypair of test device `seed`.
pub fn key(seed: u8) -> DevicePair {
	DevicePair::of(Scheme::Ed25519, seed)
}

/// Registers an Ed25519 device of seed `seed` for `owner`; returns its id.
pub fn device(owner: u64, seed: u8) -> DeviceId {
	let pair = key(seed);
	let key = pair.public();
	let proof = pair.sign(&signing_message(SigningDomain::Register, GENESIS.as_bytes(), &owner));
	pallet_devices::Pallet::<Test>::register_device(
		RuntimeOrigin::signed(owner),
		key,
		CLASS,
		None,
		Default::default(),
		proof,
	)
	.expect("registration succeeds");
	key.device_id()
}

/// Funds held as stake on `who`.
pub fn staked(who: u64) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::DeviceStake.into(), &who)
}
