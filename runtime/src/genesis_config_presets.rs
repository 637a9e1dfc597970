//! Genesis presets: the initial state of each kind of network.
//!
//! | preset id (alias) | validators | session (BABE epoch) | proof epoch | for |
//! |---|---|---|---|---|
//! | `development` (`dev`) | Alice | 10 blocks (1 min) | 10 blocks | `depin-node --dev`, tests |
//! | `local_testnet` (`local`) | Alice, Bob, Charlie, Dave | 10 blocks | 10 blocks | multi-node tests |
//! | production ([`production_genesis`]) | from the operator's file | 600 blocks (1 h) | 600 blocks | a real network |
//!
//! No network has a sudo key: every privilege is governance's (OpenGov, `docs/governance.md`).
//! Dev and test networks divide the referendum tracks' periods by [`DEV_PERIOD_DIVISOR`] (a day
//! becomes a block), so that a referendum passes in a few blocks; production keeps them.
//!
//! The production genesis is not served as a preset: it has no validators until an operator
//! names them; the node's `--chain production[:<file>]` builds it from the operator's file.
//!
//! Benchmark networks with N devices at genesis are built natively by [`bench_genesis`] (the
//! node's `--chain bench-<N>`), not served as presets: their keys are derived on the host.
//!
//! The canonical ids are polkadot-sdk's standard preset names, which chain-spec tooling and
//! zombienet look for; the short aliases match the node's `--chain dev|local`.
//!
//! Every preset is built by [`genesis`] from a [`GenesisParams`] (validators, funded accounts,
//! technical committee, session length, track periods, device classes, devices at genesis), so
//! each network states only what
//! differs.

use crate::{
	accounts, configs::BABE_GENESIS_EPOCH_CONFIG, AccountId, BabeConfig, Balance, BalancesConfig,
	BlockNumber, DeviceStakingConfig, DevicesConfig, OriginsConfig, ProofsConfig, RewardsConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, TechnicalCommitteeConfig, ValidatorsConfig,
	DAYS, DPN, HOURS, MINUTES,
};
use alloc::{vec, vec::Vec};
use depin_primitives::{ClassId, DeviceKey, MetricRange};
use frame_support::build_struct_json_patch;
use pallet_devices::OwedProofs;
use pallet_rewards::EmissionParams;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::Perbill;

/// Alias of [`DEV_RUNTIME_PRESET`].
pub const DEV_ALIAS: &str = "dev";
/// Alias of [`LOCAL_TESTNET_RUNTIME_PRESET`].
pub const LOCAL_ALIAS: &str = "local";

/// Session (BABE epoch) length of dev and test networks: one minute, so that validator-set
/// changes are seen within minutes.
pub const TEST_SESSION_LENGTH: u64 = MINUTES as u64;

/// Proof epoch length of dev and test networks: 10 blocks (one minute).
pub const TEST_EPOCH_LENGTH: BlockNumber = MINUTES;

/// Dev and test networks divide every period of every referendum track by this (a day becomes
/// one block, every period at least a block), so a referendum passes in a few blocks.
pub const DEV_PERIOD_DIVISOR: u32 = DAYS;

/// Session (BABE epoch) and proof epoch length of production networks: one hour.
pub const PRODUCTION_EPOCH_LENGTH: BlockNumber = HOURS;

/// What each funded development account holds at genesis.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * DPN;

/// A validator at genesis: its account and its session keys.
#[derive(Clone)]
pub struct GenesisValidator {
	/// The validator's account (its id in the session pallet).
	pub account: AccountId,
	/// Its BABE (block authoring) key.
	pub babe: BabeId,
	/// Its GRANDPA (finality) key.
	pub grandpa: GrandpaId,
}

impl GenesisValidator {
	/// The well-known development validator of a keyring name (Alice, Bob, ...).
	pub fn dev(who: Sr25519Keyring) -> Self {
		let name: &'static str = who.into();
		let grandpa = <Ed25519Keyring as core::str::FromStr>::from_str(name)
			.expect("the sr25519 and ed25519 keyrings have the same names; qed");
		Self {
			account: who.to_account_id(),
			babe: who.public().into(),
			grandpa: grandpa.public().into(),
		}
	}
}

/// Everything that differs between networks at genesis.
pub struct GenesisParams {
	/// Validators of the first sessions.
	pub validators: Vec<GenesisValidator>,
	/// Accounts funded at genesis.
	pub endowed: Vec<(AccountId, Balance)>,
	/// The divisor of the referendum tracks' periods: `Some(DEV_PERIOD_DIVISOR)` on dev and
	/// test networks, `None` on production ones.
	pub dev_period_divisor: Option<u32>,
	/// The technical committee's first members (then changed by root referendum).
	pub technical_committee: Vec<AccountId>,
	/// Session (BABE epoch) length in slots.
	pub session_length: u64,
	/// The device class table.
	pub classes: Vec<GenesisClass>,
	/// Blocks per proof epoch.
	pub epoch_length: BlockNumber,
	/// The emission schedule.
	pub emission: EmissionParams<Balance>,
	/// Devices registered (and bonded) at genesis: none on the built-in networks, many on
	/// the node's benchmark networks (`--chain bench-<N>`).
	pub devices: Vec<GenesisDevice>,
}

/// A device registered at genesis, active, with stake bonded behind it by its owner.
#[derive(Clone)]
pub struct GenesisDevice {
	/// Its owner, who pays its deposit and bond (and must be endowed for them).
	pub owner: AccountId,
	/// Its key.
	pub key: DeviceKey,
	/// Its class.
	pub class: ClassId,
	/// Stake bonded behind it (none if zero).
	pub bond: Balance,
}

/// Hard cap on total issuance: one billion DPN.
pub const SUPPLY_CAP: Balance = 1_000_000_000 * DPN;

/// The production schedule (one-hour epochs): 100 million DPN in year 0, 15% less each year,
/// 70% to devices, 10% to validators, 20% to the treasury. `docs/economics.md` plots it.
pub fn production_emission() -> EmissionParams<Balance> {
	EmissionParams {
		epoch_emission: 11_407_710_000_000_000,
		yearly_decay: Perbill::from_percent(15),
		epochs_per_year: 8_766,
		cap: SUPPLY_CAP,
		device_share: Perbill::from_percent(70),
		validator_share: Perbill::from_percent(10),
	}
}

/// The same yearly schedule for 10-block epochs (60 times as many, each a 60th).
pub fn test_emission() -> EmissionParams<Balance> {
	let production = production_emission();
	EmissionParams {
		epoch_emission: production.epoch_emission / 60,
		epochs_per_year: production.epochs_per_year * 60,
		..production
	}
}

/// A device class at genesis (the registry's own genesis type).
pub type GenesisClass = pallet_devices::GenesisClass<Balance>;

/// Class id of wireless hotspots.
pub const CLASS_HOTSPOT: ClassId = 1;
/// Class id of sensors.
pub const CLASS_SENSOR: ClassId = 2;
/// Class id of storage boxes.
pub const CLASS_STORAGE: ClassId = 3;
/// Class id of secure sensors: sensors whose key an admitted maker's chip generated.
pub const CLASS_SECURE_SENSOR: ClassId = 4;

/// The classes every built-in network starts with, open for registration: hotspots and sensors
/// owe a heartbeat per epoch, storage boxes a heartbeat and a storage proof; secure sensors are
/// sensors that register only with their maker's attestation. Governance changes
/// them and adds others (compute, energy meters) with `Devices::set_class`.
pub fn default_classes() -> Vec<GenesisClass> {
	let heartbeat = OwedProofs { heartbeat: true, storage: false };
	// What every class's heartbeats report: uptime in seconds, and the device's temperature
	// in milli-degrees Celsius (-40 °C to 85 °C, the industrial range); storage devices also
	// report the bytes they store.
	let uptime = MetricRange { metric: 1, min: 0, max: i64::MAX };
	let temperature = MetricRange { metric: 2, min: -40_000, max: 85_000 };
	let stored = MetricRange { metric: 3, min: 0, max: i64::MAX };
	let with = |class: GenesisClass, telemetry: Vec<MetricRange>, credit: u32| GenesisClass {
		telemetry,
		telemetry_weight: credit,
		..class
	};
	vec![
		with(
			GenesisClass::new(CLASS_HOTSPOT, b"hotspot", 100 * DPN, 10, heartbeat, true),
			vec![uptime, temperature],
			2,
		),
		with(
			GenesisClass::new(CLASS_SENSOR, b"sensor", 10 * DPN, 2, heartbeat, true),
			vec![uptime, temperature],
			1,
		),
		GenesisClass {
			// A data set of at least 16 chunks (16 KiB): points do not grow with size.
			min_data_chunks: 16,
			..with(
				GenesisClass::new(
					CLASS_STORAGE,
					b"storage",
					500 * DPN,
					30,
					OwedProofs { heartbeat: true, storage: true },
					true,
				),
				vec![uptime, temperature, stored],
				5,
			)
		},
		GenesisClass {
			// Registration needs the maker's attestation (pallet-makers): a key in a real
			// chip, so twice a plain sensor's weight for the same stake.
			attestation: depin_primitives::AttestationPolicy::Required,
			..with(
				GenesisClass::new(
					CLASS_SECURE_SENSOR,
					b"secure-sensor",
					10 * DPN,
					4,
					heartbeat,
					true,
				),
				vec![uptime, temperature],
				1,
			)
		},
	]
}

/// The genesis state (as a JSON patch over the defaults) for `params`.
pub fn genesis(params: GenesisParams) -> Value {
	let GenesisParams {
		validators,
		mut endowed,
		dev_period_divisor,
		technical_committee,
		session_length,
		classes,
		epoch_length,
		emission,
		devices,
	} = params;
	// The treasury and the rewards pot exist from genesis, so that nothing sent to them is
	// ever burned for being below the existential deposit.
	endowed.push((accounts::treasury(), crate::configs::EXISTENTIAL_DEPOSIT));
	endowed.push((accounts::rewards_pot(), crate::configs::EXISTENTIAL_DEPOSIT));

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances: endowed },
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		validators: ValidatorsConfig {
			initial_validators: validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>(),
			session_length,
		},
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|v| {
					let keys = SessionKeys { babe: v.babe.clone(), grandpa: v.grandpa.clone() };
					(v.account.clone(), v.account.clone(), keys)
				})
				.collect::<Vec<_>>(),
		},
		origins: OriginsConfig { dev_period_divisor },
		technical_committee: TechnicalCommitteeConfig { members: technical_committee },
		devices: DevicesConfig {
			classes,
			devices: devices.iter().map(|d| (d.owner.clone(), d.key, d.class)).collect::<Vec<_>>(),
		},
		device_staking: DeviceStakingConfig {
			bonds: devices
				.iter()
				.filter(|d| d.bond > 0)
				.map(|d| (d.key.device_id(), d.bond))
				.collect::<Vec<_>>(),
		},
		proofs: ProofsConfig { epoch_length, ..Default::default() },
		rewards: RewardsConfig { emission: Some(emission) },
	})
}

/// The dev networks' technical committee: Alice, Bob and Charlie.
fn dev_committee() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The well-known development accounts (Alice to Ferdie and their stashes), each funded.
fn dev_endowment() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::well_known().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// `development`: Alice validates alone, the dev accounts are funded, referenda pass in blocks.
pub fn development_genesis() -> Value {
	genesis(GenesisParams {
		validators: vec![GenesisValidator::dev(Sr25519Keyring::Alice)],
		endowed: dev_endowment(),
		dev_period_divisor: Some(DEV_PERIOD_DIVISOR),
		technical_committee: dev_committee(),
		session_length: TEST_SESSION_LENGTH,
		classes: default_classes(),
		epoch_length: TEST_EPOCH_LENGTH,
		emission: test_emission(),
		devices: Vec::new(),
	})
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate; the dev accounts are funded.
pub fn local_testnet_genesis() -> Value {
	genesis(GenesisParams {
		validators: [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.into_iter()
		.map(GenesisValidator::dev)
		.collect(),
		endowed: dev_endowment(),
		dev_period_divisor: Some(DEV_PERIOD_DIVISOR),
		technical_committee: dev_committee(),
		session_length: TEST_SESSION_LENGTH,
		classes: default_classes(),
		epoch_length: TEST_EPOCH_LENGTH,
		emission: test_emission(),
		devices: Vec::new(),
	})
}

/// What the operator of a new production network decides (`docs/operating-a-validator.md`):
/// who validates first, who holds DPN, who sits on the technical committee.
pub struct ProductionAccounts {
	/// The first validators and their session keys.
	pub validators: Vec<GenesisValidator>,
	/// The accounts funded at genesis, and how much each holds.
	pub endowed: Vec<(AccountId, Balance)>,
	/// The technical committee's first members.
	pub technical_committee: Vec<AccountId>,
}

/// The production genesis of `accounts`: one-hour sessions and proof epochs, the production
/// emission schedule, the default device classes, governance with the tracks' real periods,
/// no sudo key and no development account. The node's `--chain production[:<file>]` fills
/// `accounts` from the operator's file.
pub fn production_genesis(accounts: ProductionAccounts) -> Value {
	let ProductionAccounts { validators, endowed, technical_committee } = accounts;
	genesis(GenesisParams {
		validators,
		endowed,
		dev_period_divisor: None,
		technical_committee,
		session_length: PRODUCTION_EPOCH_LENGTH.into(),
		classes: default_classes(),
		epoch_length: PRODUCTION_EPOCH_LENGTH,
		emission: production_emission(),
		devices: Vec::new(),
	})
}

/// Session (BABE epoch) length of benchmark networks: one hour. `pallet_session` reports the
/// whole block's weight as used in the block that rotates the session (it does not benchmark
/// the rotation), so that block carries no transactions; with one-minute sessions every tenth
/// block would, and the load figures would measure sessions rather than proofs.
pub const BENCH_SESSION_LENGTH: u64 = crate::HOURS as u64;

/// What each benchmark owner holds at genesis: its devices' deposits and bonds (about 5,050
/// DPN for 500 sensors) and plenty for fees and the transfer load of `depin-load`.
pub const BENCH_OWNER_ENDOWMENT: Balance = 100_000 * DPN;

/// A benchmark network of `devices` sensors and proof epochs of `epoch_length` blocks (the
/// node's `--chain bench-<N>[-<E>[-<scheme>]]`): Alice validates alone as on `development`,
/// and device `i` is registered from genesis with the `scheme` key
/// [`depin_primitives::bench::device_pair`]`(i, scheme)`, bonded at the sensor minimum by its
/// owner (Sr25519 key of [`depin_primitives::bench::owner_seed`], 500 devices each).
///
/// The keys are public: these networks are for measuring (`docs/performance.md`), never for
/// value. Built natively (deriving keys needs the host's crypto), so not a runtime preset.
#[cfg(feature = "std")]
pub fn bench_genesis(
	devices: u32,
	epoch_length: BlockNumber,
	scheme: depin_primitives::keys::Scheme,
) -> Value {
	use depin_primitives::bench;
	use sp_core::{sr25519, Pair};

	let classes = default_classes();
	let sensor = classes
		.iter()
		.find(|class| class.id == CLASS_SENSOR)
		.expect("the default classes include sensors; qed")
		.min_stake;
	let owners: Vec<AccountId> = (0..bench::owners_for(devices))
		.map(|owner| sr25519::Pair::from_seed(&bench::owner_seed(owner)).public().into())
		.collect();
	let mut endowed = dev_endowment();
	endowed.extend(owners.iter().map(|owner| (owner.clone(), BENCH_OWNER_ENDOWMENT)));
	let devices = (0..devices)
		.map(|index| GenesisDevice {
			owner: owners[bench::owner_of(index) as usize].clone(),
			key: bench::device_pair(index, scheme).public(),
			class: CLASS_SENSOR,
			bond: sensor,
		})
		.collect();
	genesis(GenesisParams {
		validators: vec![GenesisValidator::dev(Sr25519Keyring::Alice)],
		endowed,
		dev_period_divisor: Some(DEV_PERIOD_DIVISOR),
		technical_committee: dev_committee(),
		session_length: BENCH_SESSION_LENGTH,
		classes,
		epoch_length,
		emission: test_emission(),
		devices,
	})
}

/// The genesis storage of `patch` (a preset's JSON, or any patch of the same shape) over the
/// default genesis config, merged as chain-spec tooling merges it: for tests and tools that
/// run the runtime natively from a genesis without a chain spec.
#[cfg(feature = "std")]
pub fn storage_from_patch(patch: Value) -> Result<sp_runtime::Storage, String> {
	use sp_runtime::BuildStorage;

	/// Merges `patch` into `base`, object by object.
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			},
			(base, patch) => *base = patch,
		}
	}

	let mut config =
		serde_json::to_value(crate::RuntimeGenesisConfig::default()).map_err(|e| e.to_string())?;
	merge(&mut config, patch);
	let config: crate::RuntimeGenesisConfig =
		serde_json::from_value(config).map_err(|e| e.to_string())?;
	config.build_storage()
}

/// The preset `id`, serialized, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET | DEV_ALIAS => development_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET | LOCAL_ALIAS => local_testnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work; qed")
			.into_bytes(),
	)
}

/// The canonical preset ids.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
