//! The chain every fuzz input starts from, and the keys the fuzzer signs with.
//!
//! A small network whose every key the fuzzer holds: two validators (Alice and Bob), the dev
//! accounts funded (Alice with most of the stake, so that her vote passes referenda), the dev
//! networks' short referendum tracks, ten-slot sessions and four-block proof epochs (so that one
//! input crosses many sessions, epochs and claim windows), and six devices registered and
//! bonded at genesis, one of each signature scheme and of every class.

use depin_primitives::{
	dataset::Dataset,
	keys::{DevicePair, Scheme},
};
use depin_primitives::{AccountId, Balance, DeviceId, DeviceKey};
use depin_runtime::genesis_config_presets::{
	default_classes, genesis, storage_from_patch, test_emission, GenesisDevice, GenesisParams,
	GenesisValidator, CLASS_HOTSPOT, CLASS_SENSOR, CLASS_STORAGE, DEV_ENDOWMENT,
	DEV_PERIOD_DIVISOR,
};
use sp_keyring::Sr25519Keyring;
use std::sync::OnceLock;

/// The accounts that sign: the six funded dev accounts and one without funds (`One`).
pub const ACCOUNTS: [Sr25519Keyring; 7] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
	Sr25519Keyring::One,
];

/// Device keys the fuzzer holds: the first [`GENESIS_DEVICES`] are registered at genesis, the
/// others can be registered by the fuzzed calls.
pub const DEVICE_KEYS: usize = 12;

/// What Alice holds at genesis: more than the other eleven dev accounts together, so that her
/// vote alone gives a referendum the support every track asks for from its start (50%).
pub const ALICE_ENDOWMENT: Balance = 20 * DEV_ENDOWMENT;

/// What Alice votes with on every referendum the fuzzer submits (locked, not spent).
pub const ALICE_VOTE: Balance = 15 * DEV_ENDOWMENT;

/// Devices registered at genesis.
pub const GENESIS_DEVICES: usize = 6;

/// Chunks in each storage device's data set.
pub const DATASET_CHUNKS: u64 = 16;

/// Session (BABE epoch) length in slots.
pub const SESSION_LENGTH: u64 = 10;

/// Proof epoch length in slots.
pub const EPOCH_LENGTH: u32 = 4;

/// The genesis devices of the storage class.
pub const STORAGE_DEVICES: [usize; 2] = [2, 5];

/// The devices the fuzzer runs as the reference firmware does (one hotspot, one sensor, one
/// storage box): they sign one payload per epoch and kind for a given challenge, with
/// readings fixed per epoch, and never a storage answer that is not their data's; but they
/// sign whatever epoch and challenge anyone asks (more than real firmware, which signs only
/// around its current epoch). No report may ever succeed against them.
pub const HONEST_DEVICES: [usize; 3] = [0, 1, 2];

/// Whether device `index` runs honestly.
pub fn is_honest(index: usize) -> bool {
	HONEST_DEVICES.contains(&index)
}

/// The readings honest device `index` fixes for `epoch`.
pub fn honest_readings(index: usize, epoch: u32) -> Vec<depin_primitives::Reading> {
	let noise =
		sp_io::hashing::blake2_256(&[&index.to_le_bytes()[..], &epoch.to_le_bytes()].concat());
	vec![
		depin_primitives::Reading { metric: 1, value: i64::from(epoch) * 3_600 },
		depin_primitives::Reading { metric: 2, value: i64::from(noise[0]) * 100 },
	]
}

/// The class of genesis device `index`: every class, with two storage boxes.
const GENESIS_CLASSES: [u16; GENESIS_DEVICES] =
	[CLASS_HOTSPOT, CLASS_SENSOR, CLASS_STORAGE, CLASS_SENSOR, CLASS_HOTSPOT, CLASS_STORAGE];

/// A device key the fuzzer holds, with its data set (what a storage box proves).
pub struct Device {
	/// Its key pair (the one implementation every crate's device keys share).
	pub pair: DevicePair,
	/// Its public key.
	pub key: DeviceKey,
	/// Its id on chain.
	pub id: DeviceId,
	/// Its data set.
	pub dataset: Dataset,
}

/// What every input shares: the keys and the genesis state, built once per process.
pub struct Fixture {
	/// The device keys.
	pub devices: Vec<Device>,
	/// The genesis storage.
	pub storage: sp_runtime::Storage,
}

/// The fixture, built on first use.
pub fn fixture() -> &'static Fixture {
	static FIXTURE: OnceLock<Fixture> = OnceLock::new();
	FIXTURE.get_or_init(build)
}

/// The account of [`ACCOUNTS`]`[index]`.
pub fn account(index: usize) -> AccountId {
	ACCOUNTS[index % ACCOUNTS.len()].to_account_id()
}

fn build() -> Fixture {
	let schemes = Scheme::ALL;
	let devices: Vec<Device> = (0..DEVICE_KEYS)
		.map(|index| {
			let seed = format!("fuzz-{index}");
			let pair = DevicePair::from_seed(schemes[index % schemes.len()], &seed)
				.expect("the fuzz seeds are valid keys of every scheme");
			let key = pair.public();
			let dataset =
				Dataset::generate(&seed, DATASET_CHUNKS).expect("a data set of 16 chunks");
			Device { id: key.device_id(), key, pair, dataset }
		})
		.collect();

	let classes = default_classes();
	let min_stake = |class: u16| {
		classes.iter().find(|c| c.id == class).map(|c| c.min_stake).unwrap_or_default()
	};
	let genesis_devices = devices
		.iter()
		.take(GENESIS_DEVICES)
		.zip(GENESIS_CLASSES)
		.enumerate()
		.map(|(index, (device, class))| GenesisDevice {
			owner: account(index % 3),
			key: device.key,
			class,
			// The last genesis device starts unbonded.
			bond: if index + 1 == GENESIS_DEVICES { 0 } else { min_stake(class) },
		})
		.collect();
	let endowed: Vec<(AccountId, Balance)> = Sr25519Keyring::well_known()
		.map(|k| {
			let endowment =
				if k == Sr25519Keyring::Alice { ALICE_ENDOWMENT } else { DEV_ENDOWMENT };
			(k.to_account_id(), endowment)
		})
		.collect();
	let patch = genesis(GenesisParams {
		validators: vec![
			GenesisValidator::dev(Sr25519Keyring::Alice),
			GenesisValidator::dev(Sr25519Keyring::Bob),
		],
		endowed,
		dev_period_divisor: Some(DEV_PERIOD_DIVISOR),
		technical_committee: vec![Sr25519Keyring::Alice.to_account_id()],
		session_length: SESSION_LENGTH,
		classes: default_classes(),
		epoch_length: EPOCH_LENGTH,
		emission: test_emission(),
		devices: genesis_devices,
	});

	let storage =
		storage_from_patch(patch).unwrap_or_else(|e| panic!("the fuzz genesis builds: {e}"));
	Fixture { devices, storage }
}
