//! Mock runtime for the makers pallet: System, Balances, Makers, a device registry double, and a
//! clock and an epoch counter tests set by hand.

use crate as pallet_makers;
use core::{cell::RefCell, time::Duration};
use depin_primitives::{
	attestation::{AttestationEvidence, CertChain, CertDer, MakerId, Serial},
	keys::{DevicePair, Scheme},
	ClassId, ClassTerms, DeviceId, DeviceKey, DeviceRegistry, DeviceStatus, DeviceSummary,
	EpochIndex, EpochProvider, SuspensionReason,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, UnixTime},
};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// The maker's account: funded for a few onboarding deposits.
pub const MAKER: u64 = 1;
/// A device owner.
pub const ALICE: u64 = 2;
/// Another account.
pub const BOB: u64 = 3;
/// A maker account that cannot pay a deposit.
pub const POOR: u64 = 4;
/// The maker's funds.
pub const FUNDS: u64 = 10_000;
/// The onboarding deposit.
pub const DEPOSIT: u64 = 100;
/// The class the tests' devices are of.
pub const CLASS: ClassId = 7;
/// The chain's time in the tests: 2026-12-01T00:00:00Z.
pub const NOW: u64 = 1_796_083_200;

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
	pub type Makers = pallet_makers;
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
}

thread_local! {
	static DEVICES: RefCell<BTreeMap<DeviceId, DeviceSummary<u64>>> =
		const { RefCell::new(BTreeMap::new()) };
	static CLOCK: RefCell<u64> = const { RefCell::new(NOW) };
	static EPOCH: RefCell<EpochIndex> = const { RefCell::new(0) };
}

/// A device registry double: tests register devices with [`MockDevices::add`].
pub struct MockDevices;

impl MockDevices {
	/// Registers `key`'s device for `owner` in [`CLASS`]; returns its id.
	pub fn add(owner: u64, key: DeviceKey) -> DeviceId {
		let id = key.device_id();
		let summary = DeviceSummary {
			owner,
			key,
			class: CLASS,
			status: DeviceStatus::Active,
			location: None,
			active_since: 0,
		};
		DEVICES.with(|d| d.borrow_mut().insert(id, summary));
		id
	}
}

impl DeviceRegistry<u64, u64> for MockDevices {
	fn device(device: &DeviceId) -> Option<DeviceSummary<u64>> {
		DEVICES.with(|d| d.borrow().get(device).cloned())
	}
	fn class_terms(_: ClassId) -> Option<ClassTerms<u64>> {
		None
	}
	fn suspend(_: &DeviceId, _: SuspensionReason) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}
}

/// The chain's clock, set by tests.
pub struct TestTime;

impl TestTime {
	/// Sets the time (seconds since the Unix epoch).
	pub fn set(seconds: u64) {
		CLOCK.with(|c| *c.borrow_mut() = seconds);
	}
}

impl UnixTime for TestTime {
	fn now() -> Duration {
		Duration::from_secs(CLOCK.with(|c| *c.borrow()))
	}
}

/// The epoch counter, set by tests.
pub struct TestEpochs;

impl TestEpochs {
	/// Makes `epoch` the current epoch.
	pub fn set(epoch: EpochIndex) {
		EPOCH.with(|e| *e.borrow_mut() = epoch);
	}
}

impl EpochProvider for TestEpochs {
	fn current_epoch() -> EpochIndex {
		EPOCH.with(|e| *e.borrow())
	}
}

parameter_types! {
	pub const OnboardingDeposit: u64 = DEPOSIT;
}

impl pallet_makers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MakerOrigin = EnsureRoot<u64>;
	type Devices = MockDevices;
	type Epochs = TestEpochs;
	type Time = TestTime;
	type OnboardingDeposit = OnboardingDeposit;
	type MaxRoots = ConstU32<4>;
	type MaxNameLen = ConstU32<32>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestTime;
}

/// Genesis: the maker funded, Alice funded, Poor with next to nothing; time [`NOW`], epoch 0.
pub fn new_test_ext() -> sp_io::TestExternalities {
	DEVICES.with(|d| d.borrow_mut().clear());
	TestTime::set(NOW);
	TestEpochs::set(0);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(MAKER, FUNDS), (ALICE, FUNDS), (POOR, 10)],
		..Default::default()
	}
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
		Makers::do_try_state().expect("makers invariants hold after every test");
	});
}

/// A fixture of `pallets/makers/fixtures/` (made by `scripts/attestation-fixtures.sh`).
pub fn fixture(name: &str) -> Vec<u8> {
	let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
	std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture certificate, bounded.
pub fn cert(name: &str) -> CertDer {
	CertDer::try_from(fixture(&format!("{name}.der"))).expect("a fixture fits the bound")
}

/// The keypair of a fixture leaf (its raw P-256 scalar).
pub fn leaf_pair(name: &str) -> DevicePair {
	let secret: [u8; 32] = fixture(&format!("{name}.key")).try_into().expect("32 bytes");
	DevicePair::from_secret(Scheme::P256, secret).expect("a P-256 scalar")
}

/// Attests the device of fixture `leaf` with `evidence`, as its owner (Alice).
pub fn attest(
	leaf: &str,
	evidence: AttestationEvidence,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let (device, _) = device_of(leaf);
	Makers::attest_device(RuntimeOrigin::signed(ALICE), device, evidence)
}

/// X.509 evidence for `maker` of the fixture certificates `names`, leaf first.
pub fn chain(maker: MakerId, names: &[&str]) -> AttestationEvidence {
	let chain: Vec<CertDer> = names.iter().map(|name| cert(name)).collect();
	AttestationEvidence::X509 { maker, chain: CertChain::try_from(chain).expect("short enough") }
}

/// Admits a maker with the fixture roots `roots` (and no compact key), quota `quota`.
pub fn admit(roots: &[&str], quota: u32) -> MakerId {
	admit_with(MAKER, roots, None, quota)
}

/// Admits a maker paying from `account`, with roots and compact key.
pub fn admit_with(
	account: u64,
	roots: &[&str],
	compact_key: Option<DeviceKey>,
	quota: u32,
) -> MakerId {
	let id = crate::NextMakerId::<Test>::get();
	let roots: Vec<CertDer> = roots.iter().map(|name| cert(name)).collect();
	Makers::admit_maker(
		RuntimeOrigin::root(),
		account,
		b"maker".to_vec().try_into().expect("short"),
		roots.try_into().expect("few"),
		compact_key,
		quota,
	)
	.expect("admitted");
	id
}

/// The device of a fixture leaf, registered for Alice.
pub fn device_of(leaf: &str) -> (DeviceId, DeviceKey) {
	let key = leaf_pair(leaf).public();
	(MockDevices::add(ALICE, key), key)
}

/// A serial number.
pub fn serial(bytes: &[u8]) -> Serial {
	Serial::try_from(bytes.to_vec()).expect("short")
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for TestTime {
	fn set_time(unix_seconds: u64) {
		TestTime::set(unix_seconds);
	}
}
