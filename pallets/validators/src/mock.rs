//! Mock runtime for the validators pallet: System, Balances (session key deposits), Session
//! rotating every [`SESSION_LENGTH`] blocks with this pallet as its `SessionManager`.

use crate as pallet_validators;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use sp_runtime::{impl_opaque_keys, testing::UintAuthorityId, traits::ConvertInto, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

/// Blocks per session in the mock.
pub const SESSION_LENGTH: u64 = 5;
/// Validators at genesis (with session keys).
pub const GENESIS_VALIDATORS: [u64; 3] = [1, 2, 3];
/// An account with session keys that is not a validator at genesis.
pub const CANDIDATE: u64 = 4;
/// An account without session keys.
pub const KEYLESS: u64 = 5;

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

impl From<u64> for MockSessionKeys {
	fn from(id: u64) -> Self {
		MockSessionKeys { dummy: UintAuthorityId(id) }
	}
}

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
	pub type Validators = pallet_validators;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	pub const Period: u64 = SESSION_LENGTH;
	pub const Offset: u64 = 0;
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = u64;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = Validators;
	type SessionHandler = pallet_session::TestSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<0>;
}

impl pallet_validators::Config for Test {
	type AddRemoveOrigin = EnsureRoot<u64>;
	type ValidatorRegistration = Session;
	type MinValidators = ConstU32<2>;
	type MaxValidators = ConstU32<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysHelper;
}

/// Registers session keys for benchmark candidates by writing them as the session pallet does.
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for SessionKeysHelper {
	fn register_candidate(who: &u64) {
		pallet_session::NextKeys::<Test>::insert(who, MockSessionKeys::from(*who));
	}
}

/// Genesis with [`GENESIS_VALIDATORS`] validating and [`CANDIDATE`] holding session keys.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let accounts = GENESIS_VALIDATORS.iter().chain([CANDIDATE, KEYLESS].iter());
	pallet_balances::GenesisConfig::<Test> {
		balances: accounts.map(|a| (*a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validators::GenesisConfig::<Test> {
		initial_validators: GENESIS_VALIDATORS.to_vec(),
		session_length: SESSION_LENGTH,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: GENESIS_VALIDATORS.iter().map(|v| (*v, *v, MockSessionKeys::from(*v))).collect(),
		non_authority_keys: vec![(CANDIDATE, CANDIDATE, MockSessionKeys::from(CANDIDATE))],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test in the mock and checks the pallet's invariants after it.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		Validators::do_try_state().expect("invariants hold after every test; qed");
	});
}

/// Advances to block `n`, running the session pallet's hook as a real chain would.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}

/// Advances to the first block of the next session.
pub fn next_session() {
	let now = System::block_number();
	run_to_block((now / SESSION_LENGTH + 1) * SESSION_LENGTH);
}
