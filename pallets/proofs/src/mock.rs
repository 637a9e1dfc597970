//! Mock runtime for the proofs pallet: the real registry and staking pallets, a points recorder
//! in place of the reward pallet, and randomness tests control.

use crate as pallet_proofs;
use core::cell::RefCell;
use depin_primitives::{
	merkle, signing_message, ClassId, DeviceId, DeviceSignature, EpochIndex, Heartbeat, LeafProof,
	Points, Reading, RewardPoints, SigningDomain, StorageProof,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks, Randomness},
};
use frame_system::{pallet_prelude::BlockNumberFor, EnsureRoot};
use pallet_devices::OwedProofs;
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchResult, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Blocks between a recovery request and its completion.
pub const RECOVERY_DELAY: u64 = 5;
/// Blocks before an owner may resume a device suspended as unresponsive.
pub const RESUME_COOLDOWN: u64 = 20;
/// The mock chain's genesis hash.
pub const GENESIS: H256 = H256::repeat_byte(0x42);
/// Blocks per epoch.
pub const EPOCH_LENGTH: u64 = 10;
/// Device owners.
pub const ALICE: u64 = 1;
/// A second owner.
pub const BOB: u64 = 2;
/// A reporter.
pub const REPORTER: u64 = 3;
/// The treasury.
pub const TREASURY: u64 = 99;
/// Starting funds.
pub const FUNDS: u64 = 1_000_000;
/// Minimum stake of every class.
pub const MIN_STAKE: u64 = 1_000;
/// Heartbeat-only class (weight 10).
pub const HOTSPOT: ClassId = 1;
/// Heartbeat and storage class (weight 30).
pub const STORAGE: ClassId = 2;
/// Class that owes nothing.
pub const IDLE: ClassId = 3;
/// Missed epochs before a device is unresponsive.
pub const MAX_MISSED: EpochIndex = 3;
/// Epochs after a class change in which misses do not count.
pub const CLASS_CHANGE_GRACE: EpochIndex = 2;
/// Chunks per storage challenge.
pub const LEAVES_PER_CHALLENGE: u32 = 4;

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
	#[runtime::pallet_index(4)]
	pub type Proofs = pallet_proofs;
}

parameter_types! {
	/// The most a block may weigh (tests lower it).
	pub static MaxBlockWeight: frame_support::weights::Weight =
		frame_support::weights::Weight::from_parts(u64::MAX / 2, u64::MAX / 2);
	/// Block weights from [`MaxBlockWeight`].
	pub MockBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::simple_max(MaxBlockWeight::get());
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	type BlockWeights = MockBlockWeights;
}

/// The mock's extrinsic: unsigned and general transactions without extensions.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = ();

	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() {}
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ConstU64<1>;
}

impl pallet_devices::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = EnsureRoot<u64>;
	type SuspendOrigin = EnsureRoot<u64>;
	type StakeInfo = DeviceStaking;
	type DeviceDeposit = ConstU64<100>;
	type DepositPerByte = ConstU64<1>;
	type MaxMetadataLen = ConstU32<32>;
	type RecoveryDelay = ConstU64<RECOVERY_DELAY>;
	type Attestation = ();
	type Epochs = Proofs;
	type ResumeCooldown = ConstU64<RESUME_COOLDOWN>;
	type OnRetire = Proofs;
	type MaxClassNameLen = ConstU32<16>;
	type WeightInfo = ();
}

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const ReporterShare: Perbill = Perbill::from_percent(10);
	pub static EquivocationSlash: Perbill = Perbill::from_percent(50);
	pub static UnresponsiveSlash: Perbill = Perbill::zero();
}

impl pallet_device_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Devices = Devices;
	type Epochs = Proofs;
	type SlashOrigin = EnsureRoot<u64>;
	type CancelSlashOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type UnbondingEpochs = ConstU32<28>;
	type SlashDeferEpochs = ConstU32<2>;
	type OffenceWindow = ConstU32<8>;
	type ReporterShare = ReporterShare;
	type MaxUnbondingChunks = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StakingHelper;
}

thread_local! {
	static POINTS: RefCell<Vec<(DeviceId, EpochIndex, Points)>> = const { RefCell::new(Vec::new()) };
	static CLOSED: RefCell<Vec<EpochIndex>> = const { RefCell::new(Vec::new()) };
	static EPOCH_RANDOM: RefCell<H256> = const { RefCell::new(H256::repeat_byte(1)) };
	static BLOCK_RANDOM: RefCell<Option<H256>> = const { RefCell::new(Some(H256::repeat_byte(2))) };
	static SKIPPED_SLOTS: RefCell<i64> = const { RefCell::new(0) };
	static ATTESTATIONS: RefCell<std::collections::BTreeMap<DeviceId, depin_primitives::attestation::AttestationState>> =
		const { RefCell::new(std::collections::BTreeMap::new()) };
}

/// A makers' registry double: tests set each device's attestation state.
pub struct MockAttestation;

impl MockAttestation {
	/// Sets `device`'s attestation state.
	pub fn set(device: DeviceId, state: depin_primitives::attestation::AttestationState) {
		ATTESTATIONS.with(|a| a.borrow_mut().insert(device, state));
	}
}

impl depin_primitives::DeviceAttestation for MockAttestation {
	fn attest(
		_: &DeviceId,
		_: &depin_primitives::DeviceKey,
		_: depin_primitives::ClassId,
		_: &depin_primitives::attestation::AttestationEvidence,
	) -> Result<frame_support::weights::Weight, sp_runtime::DispatchError> {
		Err(sp_runtime::DispatchError::Other("not in this mock"))
	}
	fn attest_weight(
		_: &depin_primitives::attestation::AttestationEvidence,
	) -> frame_support::weights::Weight {
		Default::default()
	}
	fn state(device: &DeviceId) -> depin_primitives::attestation::AttestationState {
		ATTESTATIONS.with(|a| {
			a.borrow()
				.get(device)
				.copied()
				.unwrap_or(depin_primitives::attestation::AttestationState::None)
		})
	}
	fn state_weight() -> frame_support::weights::Weight {
		Default::default()
	}
}

/// The mock's slot clock: block `n` is built in slot `n` plus the slots skipped so far (the
/// chain's first slot is 0), as BABE would give them.
pub struct TestClock;
impl crate::SlotClock for TestClock {
	fn current_slot() -> u64 {
		System::block_number().saturating_add_signed(SKIPPED_SLOTS.with(|s| *s.borrow()))
	}
	fn genesis_slot() -> u64 {
		0
	}
}

/// Slots go by without a block (an author missed them, or the chain halted).
pub fn skip_slots(slots: u64) {
	SKIPPED_SLOTS.with(|s| *s.borrow_mut() += slots as i64);
}

/// The current block is built in `slot`.
#[cfg(feature = "runtime-benchmarks")]
pub fn set_slot(slot: u64) {
	SKIPPED_SLOTS.with(|s| *s.borrow_mut() = slot as i64 - System::block_number() as i64);
}

/// Records the points and epoch closes the reward pallet would receive.
pub struct PointsRecorder;

impl RewardPoints for PointsRecorder {
	fn note_points(device: &DeviceId, epoch: EpochIndex, points: Points) -> DispatchResult {
		POINTS.with(|p| p.borrow_mut().push((*device, epoch, points)));
		Ok(())
	}
	fn on_epoch_closed(epoch: EpochIndex) {
		CLOSED.with(|c| c.borrow_mut().push(epoch));
	}
}

/// Points recorded so far.
pub fn points() -> Vec<(DeviceId, EpochIndex, Points)> {
	POINTS.with(|p| p.borrow().clone())
}

/// Epochs closed so far.
pub fn closed_epochs() -> Vec<EpochIndex> {
	CLOSED.with(|c| c.borrow().clone())
}

/// BABE's epoch randomness, as tests set it.
pub struct TestEpochRandomness;
impl Randomness<H256, BlockNumberFor<Test>> for TestEpochRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let random = EPOCH_RANDOM.with(|r| *r.borrow());
		(H256(sp_io::hashing::blake2_256(&[subject, random.as_bytes()].concat())), 0)
	}
}

/// BABE's parent-block VRF randomness, as tests set it.
pub struct TestBlockRandomness;
impl Randomness<Option<H256>, BlockNumberFor<Test>> for TestBlockRandomness {
	fn random(subject: &[u8]) -> (Option<H256>, u64) {
		let random = BLOCK_RANDOM.with(|r| *r.borrow());
		(random.map(|r| H256(sp_io::hashing::blake2_256(&[subject, r.as_bytes()].concat()))), 0)
	}
}

/// Sets the randomness BABE would provide.
pub fn set_randomness(epoch: H256, block: Option<H256>) {
	EPOCH_RANDOM.with(|r| *r.borrow_mut() = epoch);
	BLOCK_RANDOM.with(|r| *r.borrow_mut() = block);
}

impl pallet_proofs::Config for Test {
	type Balance = u64;
	type Devices = Devices;
	type Attestation = MockAttestation;
	type Stake = DeviceStaking;
	type Offences = DeviceStaking;
	type Rewards = PointsRecorder;
	type EpochRandomness = TestEpochRandomness;
	type BlockRandomness = TestBlockRandomness;
	type Clock = TestClock;
	type LeavesPerChallenge = ConstU32<LEAVES_PER_CHALLENGE>;
	type MaxMissedEpochs = ConstU32<MAX_MISSED>;
	type ClassChangeGrace = ConstU32<CLASS_CHANGE_GRACE>;
	type ReportWindow = ConstU32<8>;
	type EquivocationSlash = EquivocationSlash;
	type UnresponsiveSlash = UnresponsiveSlash;
	type MaxBatchSize = ConstU32<16>;
	type ProofPriority = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ProofsHelper;
}

/// Benchmark set-up of staking in this mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct StakingHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_device_staking::BenchmarkHelper<u64, u64> for StakingHelper {
	fn device(owner: &u64, min_stake: u64) -> DeviceId {
		Devices::benchmark_device(owner, min_stake)
	}
	fn advance_epochs(epochs: EpochIndex) {
		run_to_block(System::block_number() + u64::from(epochs) * EPOCH_LENGTH);
	}
}

/// Benchmark set-up of the proofs pallet in this mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct ProofsHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for ProofsHelper {
	fn eligible_device(
		owner: &u64,
		key: depin_primitives::DeviceKey,
		proof: DeviceSignature,
	) -> DeviceId {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(owner, FUNDS);
		pallet_devices::Pallet::<Test>::do_register(
			*owner,
			key,
			STORAGE,
			None,
			Default::default(),
			proof,
			None,
		)
		.expect("benchmark registration succeeds");
		pallet_device_staking::Pallet::<Test>::do_bond(*owner, key.device_id(), MIN_STAKE)
			.expect("benchmark bond succeeds");
		key.device_id()
	}

	fn set_slot(slot: u64) {
		set_slot(slot);
	}
}

/// Genesis: funded accounts, three classes, block 0's hash, epoch length 10.
pub fn new_test_ext() -> sp_io::TestExternalities {
	POINTS.with(|p| p.borrow_mut().clear());
	CLOSED.with(|c| c.borrow_mut().clear());
	set_randomness(H256::repeat_byte(1), Some(H256::repeat_byte(2)));
	SKIPPED_SLOTS.with(|s| *s.borrow_mut() = 0);
	ATTESTATIONS.with(|a| a.borrow_mut().clear());
	MaxBlockWeight::set(frame_support::weights::Weight::from_parts(u64::MAX / 2, u64::MAX / 2));
	EquivocationSlash::set(Perbill::from_percent(50));
	UnresponsiveSlash::set(Perbill::zero());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, FUNDS), (BOB, FUNDS), (REPORTER, FUNDS), (TREASURY, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let heartbeat = OwedProofs { heartbeat: true, storage: false };
	pallet_devices::GenesisConfig::<Test> {
		classes: vec![
			pallet_devices::GenesisClass::new(HOTSPOT, b"hotspot", MIN_STAKE, 10, heartbeat, true),
			pallet_devices::GenesisClass::new(
				STORAGE,
				b"storage",
				MIN_STAKE,
				30,
				OwedProofs { heartbeat: true, storage: true },
				true,
			),
			pallet_devices::GenesisClass::new(
				IDLE,
				b"idle",
				MIN_STAKE,
				1,
				OwedProofs::default(),
				true,
			),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_proofs::GenesisConfig::<Test> {
		epoch_length: EPOCH_LENGTH as u32,
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
	});
	ext
}

/// Runs a test and checks every pallet's invariants after it.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		Proofs::do_try_state().expect("proofs invariants hold after every test");
		DeviceStaking::do_try_state().expect("staking invariants hold after every test");
		Devices::do_try_state().expect("registry invariants hold after every test");
	});
}

/// Advances to block `n`, running the proofs pallet's hook as a chain would.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Proofs::on_initialize(next);
	}
}

/// Advances to the first block of the next epoch (by slots: with skipped slots, fewer
/// blocks).
pub fn next_epoch() {
	let slot = <TestClock as crate::SlotClock>::current_slot();
	let next_start = Proofs::epoch_start_slot(Proofs::current_epoch_index() + 1);
	run_to_block(System::block_number() + next_start.saturating_sub(slot).max(1));
}

/// A device keypair: the one implementation every crate's tests share.
pub type Key = depin_primitives::keys::DevicePair;

/// What this pallet's tests ask of a device key.
pub trait KeyExt {
	/// An Sr25519 key with the secret `[seed; 32]`.
	fn sr(seed: u8) -> Self;
}

impl KeyExt for Key {
	fn sr(seed: u8) -> Self {
		Key::of(depin_primitives::keys::Scheme::Sr25519, seed)
	}
}

/// Registers `key` for `owner` in `class` and bonds the class minimum behind it.
pub fn eligible(owner: u64, key: &Key, class: ClassId) -> DeviceId {
	let proof = key.sign(&signing_message(SigningDomain::Register, GENESIS.as_bytes(), &owner));
	pallet_devices::Pallet::<Test>::register_device(
		RuntimeOrigin::signed(owner),
		key.public(),
		class,
		None,
		Default::default(),
		proof,
	)
	.expect("registration succeeds");
	pallet_device_staking::Pallet::<Test>::bond(RuntimeOrigin::signed(owner), key.id(), MIN_STAKE)
		.expect("bond succeeds");
	key.id()
}

/// A heartbeat of `device` for the current epoch with its right challenge.
pub fn heartbeat(device: DeviceId) -> Heartbeat {
	Heartbeat {
		device,
		epoch: Proofs::current_epoch_index(),
		challenge: Proofs::current_challenge(&device),
		readings: vec![Reading { metric: 1, value: 3_600 }, Reading { metric: 2, value: -5 }]
			.try_into()
			.expect("two readings"),
	}
}

/// `key`'s signature of `heartbeat` on the mock chain.
pub fn sign_heartbeat(key: &Key, heartbeat: &Heartbeat) -> DeviceSignature {
	key.sign(&signing_message(SigningDomain::Heartbeat, GENESIS.as_bytes(), heartbeat))
}

/// `key`'s signature of `proof` on the mock chain.
pub fn sign_storage(key: &Key, proof: &StorageProof) -> DeviceSignature {
	key.sign(&signing_message(SigningDomain::Storage, GENESIS.as_bytes(), proof))
}

/// A device's data set of `count` chunks.
pub fn data_set(count: usize) -> Vec<Vec<u8>> {
	(0..count).map(|i| format!("chunk-{i}").into_bytes()).collect()
}

/// The Merkle root of a data set.
pub fn data_root(chunks: &[Vec<u8>]) -> H256 {
	let leaves: Vec<H256> = chunks.iter().map(|c| merkle::leaf_hash(c)).collect();
	merkle::root(&leaves).expect("non-empty")
}

/// The honest storage proof of `device` over `chunks` for the current epoch.
pub fn storage_proof(device: DeviceId, chunks: &[Vec<u8>]) -> StorageProof {
	let leaves: Vec<H256> = chunks.iter().map(|c| merkle::leaf_hash(c)).collect();
	let indices = Proofs::current_storage_challenge(&device).expect("committed");
	StorageProof {
		device,
		epoch: Proofs::current_epoch_index(),
		challenge: Proofs::current_challenge(&device),
		leaves: indices
			.into_iter()
			.map(|index| LeafProof {
				index,
				chunk: chunks[index as usize].clone().try_into().expect("small chunk"),
				path: merkle::proof(&leaves, index).expect("in range").try_into().expect("shallow"),
			})
			.collect::<Vec<_>>()
			.try_into()
			.expect("LeavesPerChallenge leaves"),
	}
}

/// Authorized origin, as the authorize check grants it (dispatching with it directly skips
/// that check, as only Root could on a real chain).
pub fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

/// Applies `call` as a block applies a general transaction: the `AuthorizeCall` extension
/// runs the call's authorize check (`TransactionSource::InBlock`), and only if it passes is
/// the call dispatched, with the `Authorized` origin the check grants.
pub fn apply(
	call: crate::Call<Test>,
) -> Result<
	sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo>,
	sp_runtime::transaction_validity::TransactionValidityError,
> {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::DispatchTransaction;
	let call = RuntimeCall::Proofs(call);
	let info = call.get_dispatch_info();
	frame_system::AuthorizeCall::<Test>::new().dispatch_transaction(
		RuntimeOrigin::none(),
		call,
		&info,
		0,
		0,
	)
}
