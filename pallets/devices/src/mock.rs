//! Mock runtime for the devices pallet: System, Balances, Devices, and a stake double that tests
//! set by hand.

use crate as pallet_devices;
use crate::{ClassInfo, OwedProofs};
use core::cell::RefCell;
use depin_primitives::{
	signing_message, ClassId, DeviceId, DeviceKey, DeviceSignature, SigningDomain, StakeInfo,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

/// Blocks between a recovery request and its completion.
pub const RECOVERY_DELAY: u64 = 5;
/// Blocks before an owner may resume a device suspended as unresponsive.
pub const RESUME_COOLDOWN: u64 = 20;
/// The mock chain's genesis hash, which device signatures are bound to.
pub const GENESIS: H256 = H256::repeat_byte(0x42);
/// Base deposit per device.
pub const DEVICE_DEPOSIT: u64 = 100;
/// Deposit per metadata byte.
pub const PER_BYTE: u64 = 2;
/// Longest metadata.
pub const MAX_METADATA: u32 = 64;

/// Accounts: Alice and Bob are funded, Poor can pay fees but not a deposit.
pub const ALICE: u64 = 1;
/// A second funded account.
pub const BOB: u64 = 2;
/// An account that cannot pay a deposit.
pub const POOR: u64 = 3;
/// Starting balance of Alice and Bob.
pub const FUNDS: u64 = 10_000;

/// An open hotspot class (heartbeats).
pub const HOTSPOT: ClassId = 1;
/// An open storage class (heartbeats and storage proofs).
pub const STORAGE: ClassId = 2;
/// A closed class.
pub const CLOSED: ClassId = 3;
/// An open class that requires attestation.
pub const ATTESTED: ClassId = 4;

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
	static STAKE: RefCell<BTreeMap<DeviceId, (u64, u64)>> = const { RefCell::new(BTreeMap::new()) };
}

/// Stake double: bonded and unbonding amounts tests set with [`MockStake::set`].
pub struct MockStake;

impl MockStake {
	/// Sets `device`'s bonded and unbonding stake.
	pub fn set(device: DeviceId, bonded: u64, unbonding: u64) {
		STAKE.with(|s| s.borrow_mut().insert(device, (bonded, unbonding)));
	}
}

impl StakeInfo<u64> for MockStake {
	fn bonded(device: &DeviceId) -> u64 {
		STAKE.with(|s| s.borrow().get(device).map(|s| s.0).unwrap_or_default())
	}
	fn unbonding(device: &DeviceId) -> u64 {
		STAKE.with(|s| s.borrow().get(device).map(|s| s.1).unwrap_or_default())
	}
	fn is_eligible(_: &DeviceId) -> bool {
		false
	}
	/// Moves the device's bond to unbonding, unless a test made it fail (bonded set to
	/// `u64::MAX`).
	fn unbond_for_recovery(device: &DeviceId) -> Result<u64, sp_runtime::DispatchError> {
		STAKE.with(|s| {
			let mut stake = s.borrow_mut();
			let (bonded, unbonding) = stake.get(device).copied().unwrap_or_default();
			if bonded == u64::MAX {
				return Err(sp_runtime::DispatchError::Other("cannot unbond"));
			}
			stake.insert(*device, (0, unbonding + bonded));
			Ok(bonded)
		})
	}
}

thread_local! {
	static ATTESTED_DEVICES: RefCell<BTreeMap<DeviceId, ClassId>> = const { RefCell::new(BTreeMap::new()) };
}

/// A makers' registry double: compact evidence of maker 0 with the serial `good` attests, any
/// other evidence is refused.
pub struct MockAttestation;

impl MockAttestation {
	/// The class `device` was attested for, if it was.
	pub fn attested(device: &DeviceId) -> Option<ClassId> {
		ATTESTED_DEVICES.with(|a| a.borrow().get(device).copied())
	}

	/// Evidence the double accepts (`good`) or refuses (anything else).
	pub fn evidence(serial: &[u8]) -> depin_primitives::attestation::AttestationEvidence {
		depin_primitives::attestation::AttestationEvidence::Compact {
			maker: 0,
			serial: serial.to_vec().try_into().expect("short"),
			signature: DeviceSignature::Ed25519([0; 64]),
		}
	}
}

impl depin_primitives::DeviceAttestation for MockAttestation {
	fn attest(
		device: &DeviceId,
		_: &DeviceKey,
		class: ClassId,
		evidence: &depin_primitives::attestation::AttestationEvidence,
	) -> Result<sp_runtime::Weight, sp_runtime::DispatchError> {
		match evidence {
			depin_primitives::attestation::AttestationEvidence::Compact { serial, .. }
				if serial.as_slice() == b"good" =>
			{
				ATTESTED_DEVICES.with(|a| a.borrow_mut().insert(*device, class));
				Ok(sp_runtime::Weight::from_parts(1_000, 0))
			},
			_ => Err(sp_runtime::DispatchError::Other("the maker refused")),
		}
	}
	fn attest_weight(_: &depin_primitives::attestation::AttestationEvidence) -> sp_runtime::Weight {
		sp_runtime::Weight::from_parts(5_000, 0)
	}
	fn state(device: &DeviceId) -> depin_primitives::attestation::AttestationState {
		match Self::attested(device) {
			Some(_) => depin_primitives::attestation::AttestationState::Valid,
			None => depin_primitives::attestation::AttestationState::None,
		}
	}
	fn state_weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

parameter_types! {
	pub const DeviceDeposit: u64 = DEVICE_DEPOSIT;
}

impl pallet_devices::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ClassOrigin = EnsureRoot<u64>;
	type SuspendOrigin = EnsureRoot<u64>;
	type StakeInfo = MockStake;
	type DeviceDeposit = DeviceDeposit;
	type DepositPerByte = ConstU64<PER_BYTE>;
	type MaxMetadataLen = ConstU32<MAX_METADATA>;
	type RecoveryDelay = ConstU64<RECOVERY_DELAY>;
	type Attestation = MockAttestation;
	type Epochs = ();
	type ResumeCooldown = ConstU64<RESUME_COOLDOWN>;
	type OnRetire = ();
	type MaxClassNameLen = ConstU32<16>;
	type WeightInfo = ();
}

/// The class table of the mock genesis.
pub fn genesis_classes() -> Vec<crate::GenesisClass<u64>> {
	vec![
		crate::GenesisClass::new(
			HOTSPOT,
			b"hotspot",
			500,
			10,
			OwedProofs { heartbeat: true, storage: false },
			true,
		),
		crate::GenesisClass::new(
			STORAGE,
			b"storage",
			1_000,
			30,
			OwedProofs { heartbeat: true, storage: true },
			true,
		),
		crate::GenesisClass::new(
			CLOSED,
			b"retired-model",
			500,
			10,
			OwedProofs { heartbeat: true, storage: false },
			false,
		),
		crate::GenesisClass {
			attestation: depin_primitives::AttestationPolicy::Required,
			..crate::GenesisClass::new(
				ATTESTED,
				b"secure-sensor",
				500,
				10,
				OwedProofs { heartbeat: true, storage: false },
				true,
			)
		},
	]
}

/// The genesis state: funded Alice and Bob, a barely funded Poor, the class table, and
/// `devices` (owner, key, class) registered at genesis.
pub fn genesis_storage(
	devices: Vec<(u64, depin_primitives::DeviceKey, ClassId)>,
) -> sp_runtime::Storage {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, FUNDS), (BOB, FUNDS), (POOR, 10)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_devices::GenesisConfig::<Test> { classes: genesis_classes(), devices }
		.assimilate_storage(&mut storage)
		.unwrap();
	storage
}

/// Genesis (without devices), block 0's hash, block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	STAKE.with(|s| s.borrow_mut().clear());
	ATTESTED_DEVICES.with(|a| a.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(genesis_storage(Vec::new()));
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
	});
	ext
}

/// Runs a test in the mock and checks the pallet's invariants after it.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		Devices::do_try_state().expect("invariants hold after every test");
	});
}

/// A device keypair: the one implementation every crate's tests share.
pub type TestDevice = depin_primitives::keys::DevicePair;

/// What this pallet's tests ask of a device key.
pub trait TestDeviceExt {
	/// An Ed25519 device with the secret `[seed; 32]`.
	fn ed(seed: u8) -> Self;
	/// The device's public key.
	fn key(&self) -> DeviceKey;
	/// A proof of possession for `owner` on the mock chain.
	fn pop(&self, owner: u64) -> DeviceSignature;
	/// A recovery proof handing the device to `new_owner`, with recovery nonce `nonce`.
	fn recovery(&self, new_owner: u64, nonce: u32) -> DeviceSignature;
}

impl TestDeviceExt for TestDevice {
	fn ed(seed: u8) -> Self {
		TestDevice::of(depin_primitives::keys::Scheme::Ed25519, seed)
	}

	fn key(&self) -> DeviceKey {
		self.public()
	}

	fn pop(&self, owner: u64) -> DeviceSignature {
		self.sign(&signing_message(SigningDomain::Register, GENESIS.as_bytes(), &owner))
	}

	fn recovery(&self, new_owner: u64, nonce: u32) -> DeviceSignature {
		let payload = depin_primitives::RecoveryPayload { device: self.id(), new_owner, nonce };
		self.sign(&signing_message(SigningDomain::Recover, GENESIS.as_bytes(), &payload))
	}
}

/// Advances to block `n`.
pub fn run_to_block(n: u64) {
	System::set_block_number(n);
}

/// Metadata of `len` bytes.
pub fn metadata(len: usize) -> crate::MetadataOf<Test> {
	vec![7u8; len].try_into().expect("within MaxMetadataLen")
}

/// An H3 cell in San Francisco (resolution 9).
pub const SF_CELL: u64 = 0x0892_8308_280f_ffff;

/// Registers `device` for `owner` in the hotspot class with no location or metadata.
pub fn register(owner: u64, device: &TestDevice) -> DeviceId {
	register_hotspot(owner, device.key(), device.pop(owner)).expect("registration succeeds");
	device.id()
}

/// `owner`'s devices in the owner index, sorted.
pub fn owned(owner: u64) -> Vec<DeviceId> {
	let mut devices = Devices::devices_of(&owner, None, u32::MAX);
	devices.sort();
	devices
}

/// `owner` registers `key` as a hotspot without location or metadata, with `proof`.
pub fn register_hotspot(
	owner: u64,
	key: DeviceKey,
	proof: DeviceSignature,
) -> sp_runtime::DispatchResult {
	Devices::register_device(RuntimeOrigin::signed(owner), key, HOTSPOT, None, metadata(0), proof)
}

/// A valid class with the given name.
pub fn class_named(name: &[u8]) -> ClassInfo<u64, ConstU32<16>> {
	ClassInfo::new(
		name.to_vec().try_into().expect("short name"),
		700,
		5,
		OwedProofs { heartbeat: true, storage: false },
		true,
	)
}
