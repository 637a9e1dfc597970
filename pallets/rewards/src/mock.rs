//! Mock runtime for the rewards pallet: System, Balances, Rewards, a registry double and an
//! epoch clock tests move by hand.

use crate as pallet_rewards;
use crate::EmissionParams;
use core::cell::{Cell, RefCell};
use depin_primitives::{
	ClassId, ClassTerms, DeviceId, DeviceKey, DeviceRegistry, DeviceStatus, DeviceSummary,
	EpochIndex, EpochProvider, RewardPoints, SuspensionReason,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, Perbill};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// Owners.
pub const ALICE: u64 = 1;
/// A second owner.
pub const BOB: u64 = 2;
/// Validators.
pub const V1: u64 = 11;
/// A second validator.
pub const V2: u64 = 12;
/// The treasury.
pub const TREASURY: u64 = 99;
/// Epochs a reward can be claimed for.
pub const CLAIM_WINDOW: EpochIndex = 5;
/// Most epochs per claim.
pub const MAX_CLAIM: u32 = 4;
/// Existential deposit.
pub const ED: u64 = 1;

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
	pub type Rewards = pallet_rewards;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<ED>;
}

thread_local! {
	static EPOCH: Cell<EpochIndex> = const { Cell::new(0) };
	static OWNERS: RefCell<BTreeMap<DeviceId, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// The epoch clock of the mock.
pub struct TestEpochs;
impl EpochProvider for TestEpochs {
	fn current_epoch() -> EpochIndex {
		EPOCH.with(Cell::get)
	}
}

/// A registry double: devices and owners tests declare.
pub struct TestRegistry;
impl DeviceRegistry<u64, u64> for TestRegistry {
	fn device(device: &DeviceId) -> Option<DeviceSummary<u64>> {
		OWNERS.with(|o| o.borrow().get(device).copied()).map(|owner| DeviceSummary {
			owner,
			key: DeviceKey::Ed25519([0; 32]),
			class: 1,
			status: DeviceStatus::Active,
			location: None,
			active_since: 0,
		})
	}
	fn class_terms(_: ClassId) -> Option<ClassTerms<u64>> {
		None
	}
	fn suspend(_: &DeviceId, _: SuspensionReason) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}
}

/// Declares device `seed` owned by `owner`; returns its id.
pub fn device(owner: u64, seed: u8) -> DeviceId {
	let id = H256::repeat_byte(seed);
	OWNERS.with(|o| o.borrow_mut().insert(id, owner));
	id
}

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const RewardsPalletId: PalletId = PalletId(*b"dpn/rwds");
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type Devices = TestRegistry;
	type Epochs = TestEpochs;
	type EmissionOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type PalletId = RewardsPalletId;
	type ClaimWindow = ConstU32<CLAIM_WINDOW>;
	type MaxClaimEpochs = ConstU32<MAX_CLAIM>;
	type MaxAuthors = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Benchmark set-up in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, u64> for MockHelper {
	fn device(owner: &u64, _min_stake: u64) -> DeviceId {
		let next = OWNERS.with(|o| o.borrow().len()) as u64;
		let id = H256::from_low_u64_be(next + 1_000);
		OWNERS.with(|o| o.borrow_mut().insert(id, *owner));
		id
	}
	fn set_epoch(epoch: EpochIndex) {
		set_epoch(epoch);
	}
}

/// Per-epoch emission of the mock schedule: 10 000, falling 10% a year of 10 epochs; 70% to
/// devices, 10% to validators.
pub fn params() -> EmissionParams<u64> {
	EmissionParams {
		epoch_emission: 10_000,
		yearly_decay: Perbill::from_percent(10),
		epochs_per_year: 10,
		cap: 10_000_000,
		device_share: Perbill::from_percent(70),
		validator_share: Perbill::from_percent(10),
	}
}

/// Genesis: the treasury and the pot exist, the mock schedule is set, epoch 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	EPOCH.with(|e| e.set(0));
	OWNERS.with(|o| o.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(TREASURY, ED), (Rewards::pot(), ED)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_rewards::GenesisConfig::<Test> { emission: Some(params()) }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and checks the pallet's invariants after it.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		Rewards::do_try_state().expect("rewards invariants hold after every test");
	});
}

/// Closes the current epoch and starts the next, as the proof pallet does.
pub fn close_epoch() {
	let epoch = TestEpochs::current_epoch();
	EPOCH.with(|e| e.set(epoch + 1));
	<Rewards as RewardPoints>::on_epoch_closed(epoch);
}

/// Moves the clock to `epoch` without closing anything (for schedule tests).
pub fn set_epoch(epoch: EpochIndex) {
	EPOCH.with(|e| e.set(epoch));
}

/// Credits points for the current epoch.
pub fn points(device: DeviceId, points: u64) {
	<Rewards as RewardPoints>::note_points(&device, TestEpochs::current_epoch(), points).unwrap();
}

/// Counts a block for `author`.
pub fn authored(author: u64, blocks: u32) {
	for _ in 0..blocks {
		<Rewards as pallet_authorship::EventHandler<u64, u64>>::note_author(author);
	}
}

/// The pot's balance above its existential deposit.
pub fn pot() -> u64 {
	Balances::free_balance(Rewards::pot()) - ED
}
