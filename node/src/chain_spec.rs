//! Chain specifications of the built-in networks, each from a runtime genesis preset, and of
//! a production network from its operator's file (`docs/operating-a-validator.md`).

use depin_primitives::keys::Scheme;
use depin_runtime::{TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::ChainType;

/// A chain specification of the DePIN chain (no client extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token and address properties wallets read from the chain spec.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime Wasm blob was not built (SKIP_WASM_BUILD?)".into())
}

/// `--dev`: Alice validates alone; state is thrown away on exit unless `--base-path` is given.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("DePIN Development")
		.with_id("depin_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("DePIN Local Testnet")
		.with_id("depin_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The operator's file `--chain production` reads when no path is given.
pub const PRODUCTION_FILE: &str = "production-genesis.json";

/// What the operator of a new production network writes (`docs/production-genesis.example.json`):
/// the network's name and id, its bootnodes, its first validators with their session keys,
/// who holds DPN at genesis (whole DPN), and the technical committee. Accounts and keys are
/// SS58 addresses.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ProductionFile {
	name: String,
	id: String,
	#[serde(default)]
	protocol_id: Option<String>,
	#[serde(default)]
	boot_nodes: Vec<String>,
	validators: Vec<FileValidator>,
	balances: Vec<FileBalance>,
	technical_committee: Vec<String>,
}

/// A first validator: its account (stash) and session keys.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileValidator {
	account: String,
	babe: String,
	grandpa: String,
}

/// An account funded at genesis, in whole DPN.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBalance {
	account: String,
	dpn: u64,
}

/// The public key of SS58 address `text` (a field of the operator's file named `what`),
/// refusing the well-known development keys: a production network must not start with keys
/// whose secrets everyone knows.
fn public_key(what: &str, text: &str) -> Result<[u8; 32], String> {
	use sp_core::crypto::{AccountId32, Ss58Codec};
	let key: [u8; 32] = AccountId32::from_ss58check(text)
		.map_err(|e| format!("{what}: {text:?} is not an SS58 address ({e:?})"))?
		.into();
	let development = sp_keyring::Sr25519Keyring::iter()
		.map(|k| k.public().0)
		.chain(sp_keyring::Ed25519Keyring::iter().map(|k| k.public().0));
	for dev in development {
		if dev == key {
			return Err(format!("{what}: {text} is a well-known development key"));
		}
	}
	Ok(key)
}

/// The genesis accounts of an operator's file, checked: at least one validator, no
/// development key, no account funded twice, a technical committee, and a supply under the
/// cap.
fn production_accounts(
	file: &ProductionFile,
) -> Result<depin_runtime::genesis_config_presets::ProductionAccounts, String> {
	use depin_runtime::{
		genesis_config_presets::{GenesisValidator, ProductionAccounts, SUPPLY_CAP},
		AccountId, DPN,
	};
	use sp_core::{ed25519, sr25519};
	if file.validators.is_empty() {
		return Err("a production network needs at least one validator".into());
	}
	if file.technical_committee.is_empty() {
		return Err("a production network needs a technical committee".into());
	}
	let validators = file
		.validators
		.iter()
		.enumerate()
		.map(|(i, v)| {
			Ok(GenesisValidator {
				account: AccountId::from(public_key(
					&format!("validators[{i}].account"),
					&v.account,
				)?),
				babe: sr25519::Public::from_raw(public_key(
					&format!("validators[{i}].babe"),
					&v.babe,
				)?)
				.into(),
				grandpa: ed25519::Public::from_raw(public_key(
					&format!("validators[{i}].grandpa"),
					&v.grandpa,
				)?)
				.into(),
			})
		})
		.collect::<Result<Vec<_>, String>>()?;
	let mut endowed: Vec<(AccountId, u128)> = Vec::new();
	let mut supply: u128 = 0;
	for (i, balance) in file.balances.iter().enumerate() {
		let account =
			AccountId::from(public_key(&format!("balances[{i}].account"), &balance.account)?);
		if endowed.iter().any(|(a, _)| *a == account) {
			return Err(format!("balances[{i}]: {} is funded twice", balance.account));
		}
		let amount = u128::from(balance.dpn)
			.checked_mul(DPN)
			.filter(|a| *a > 0)
			.ok_or_else(|| format!("balances[{i}]: {} DPN is not a balance", balance.dpn))?;
		supply = supply.saturating_add(amount);
		endowed.push((account, amount));
	}
	if supply > SUPPLY_CAP {
		return Err(format!("the genesis supply exceeds the cap of {} DPN", SUPPLY_CAP / DPN));
	}
	let technical_committee = file
		.technical_committee
		.iter()
		.enumerate()
		.map(|(i, m)| Ok(AccountId::from(public_key(&format!("technicalCommittee[{i}]"), m)?)))
		.collect::<Result<Vec<_>, String>>()?;
	Ok(ProductionAccounts { validators, endowed, technical_committee })
}

/// `--chain production[:<file>]`: a production network from the operator's file (JSON, see
/// [`ProductionFile`]; [`PRODUCTION_FILE`] in the working directory if no path is given),
/// with the runtime's production genesis (one-hour epochs and sessions, the production
/// emission schedule, governance with the tracks' real periods, no sudo key).
pub fn production_chain_spec(path: &str) -> Result<ChainSpec, String> {
	let text = std::fs::read_to_string(path).map_err(|e| {
		format!(
			"{path}: {e} (copy docs/production-genesis.example.json, edit it, and pass \
			 --chain production:<file>)"
		)
	})?;
	let file: ProductionFile = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
	let genesis = depin_runtime::genesis_config_presets::production_genesis(
		production_accounts(&file).map_err(|e| format!("{path}: {e}"))?,
	);
	let boot_nodes = file
		.boot_nodes
		.iter()
		.map(|node| node.parse().map_err(|e| format!("{path}: bootnode {node:?}: {e}")))
		.collect::<Result<Vec<sc_network::config::MultiaddrWithPeerId>, String>>()?;
	let mut builder = ChainSpec::builder(wasm()?, None)
		.with_name(&file.name)
		.with_id(&file.id)
		.with_chain_type(ChainType::Live)
		.with_boot_nodes(boot_nodes)
		.with_genesis_config_patch(genesis)
		.with_properties(properties());
	if let Some(protocol) = &file.protocol_id {
		builder = builder.with_protocol_id(protocol);
	}
	Ok(builder.build())
}

/// Devices of `--chain bench` without a count.
pub const BENCH_DEFAULT_DEVICES: u32 = 10_000;

/// Blocks per proof epoch of a benchmark network without one: 60 (six minutes), so that a
/// load of 100,000 heartbeats has time to be included before its epoch ends.
pub const BENCH_DEFAULT_EPOCH_LENGTH: u32 = 60;

/// Most devices of a benchmark network: its genesis travels to the runtime as one JSON
/// document (about 230 bytes a device), which must stay well under the runtime's 32 MiB
/// largest allocation.
pub const BENCH_MAX_DEVICES: u32 = 100_000;

/// `--chain bench-<N>-<E>[-<scheme>]`: a development chain (Alice validates alone) with
/// `devices` sensors registered and bonded at genesis, keys of `scheme` derived from public
/// seeds (see `depin_primitives::bench`), and proof epochs of `epoch_length` blocks; for
/// `depin-load` and `docs/performance.md`.
pub fn bench_chain_spec(
	devices: u32,
	epoch_length: u32,
	scheme: Scheme,
) -> Result<ChainSpec, String> {
	if devices > BENCH_MAX_DEVICES {
		return Err(format!("a benchmark network has at most {BENCH_MAX_DEVICES} devices"));
	}
	if epoch_length == 0 {
		return Err("a proof epoch has at least one block".into());
	}
	let genesis =
		depin_runtime::genesis_config_presets::bench_genesis(devices, epoch_length, scheme);
	// The Ed25519 networks keep the id they always had.
	let id = match scheme {
		Scheme::Ed25519 => format!("depin_bench_{devices}_{epoch_length}"),
		other => format!("depin_bench_{devices}_{epoch_length}_{other}"),
	};
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(&format!(
			"DePIN Bench ({devices} {scheme} devices, {epoch_length}-block epochs)"
		))
		.with_id(&id)
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(genesis)
		.with_properties(properties())
		.build())
}

/// The device count, epoch length and device scheme of a `bench`, `bench-<N>`,
/// `bench-<N>-<E>` or `bench-<N>-<E>-<scheme>` chain id (decimal numbers, a scheme of
/// `depin_primitives::keys::Scheme`, Ed25519 if none), if it is one; other ids (a file
/// `bench-net.json`) are not.
fn bench_params(id: &str) -> Option<(u32, u32, Scheme)> {
	let rest = id.strip_prefix("bench")?;
	if rest.is_empty() {
		return Some((BENCH_DEFAULT_DEVICES, BENCH_DEFAULT_EPOCH_LENGTH, Scheme::Ed25519));
	}
	let number = |text: &str| -> Option<u32> {
		(!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
	};
	let mut parts = rest.strip_prefix('-')?.split('-');
	let devices = number(parts.next()?)?;
	let epoch_length = match parts.next() {
		Some(text) => number(text)?,
		None => BENCH_DEFAULT_EPOCH_LENGTH,
	};
	let scheme = match parts.next() {
		Some(name) => name.parse().ok()?,
		None => Scheme::Ed25519,
	};
	parts.next().is_none().then_some((devices, epoch_length, scheme))
}

/// The chain spec for `--chain <id>`: `dev`, `local` (also the default), `bench`
/// (10,000 devices, 60-block epochs), `bench-<N>`, `bench-<N>-<E>`, `production` (from
/// [`PRODUCTION_FILE`]), `production:<file>`, or a chain spec (JSON file).
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	if let Some((devices, epoch_length, scheme)) = bench_params(id) {
		return Ok(Box::new(bench_chain_spec(devices, epoch_length, scheme)?));
	}
	if id == "production" {
		return Ok(Box::new(production_chain_spec(PRODUCTION_FILE)?));
	}
	if let Some(path) = id.strip_prefix("production:") {
		return Ok(Box::new(production_chain_spec(path)?));
	}
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	/// An operator's file with one validator whose keys are `validator`'s, `funded` holding
	/// 1,000 DPN and sitting on the committee.
	fn operator_file(validator: &str, funded: &str) -> String {
		format!(
			r#"{{"name": "DePIN Test", "id": "depin_test", "bootNodes": [],
			"validators": [{{"account": "{validator}", "babe": "{validator}", "grandpa": "{validator}"}}],
			"balances": [{{"account": "{funded}", "dpn": 1000}}],
			"technicalCommittee": ["{funded}"]}}"#
		)
	}

	#[test]
	fn the_operators_file_is_checked_and_development_keys_are_refused() {
		use sp_core::{crypto::Ss58Codec, sr25519, Pair};
		let key = |seed: &str| {
			sr25519::Pair::from_string(&format!("//{seed}-not-a-dev-key"), None)
				.expect("a derivation")
				.public()
				.to_ss58check()
		};
		let (validator, holder) = (key("validator"), key("holder"));
		let parse = |text: String| -> Result<_, String> {
			let file: ProductionFile = serde_json::from_str(&text).map_err(|e| e.to_string())?;
			production_accounts(&file)
		};
		let accounts = parse(operator_file(&validator, &holder)).expect("a good file");
		assert_eq!(accounts.validators.len(), 1);
		assert_eq!(accounts.endowed[0].1, 1_000 * depin_runtime::DPN);

		let alice = sp_keyring::Sr25519Keyring::Alice.public().to_ss58check();
		let error = parse(operator_file(&alice, &holder)).err().expect("Alice refused");
		assert!(error.contains("development key"), "{error}");
		let error = parse(operator_file(&validator, &alice)).err().expect("Alice refused");
		assert!(error.contains("development key"), "{error}");
		let error = parse(operator_file("5NotAnAddress", &holder)).err().expect("bad SS58");
		assert!(error.contains("not an SS58 address"), "{error}");
		let no_validators = operator_file(&validator, &holder).replace(
			&format!(
				r#"{{"account": "{validator}", "babe": "{validator}", "grandpa": "{validator}"}}"#
			),
			"",
		);
		assert!(parse(no_validators).err().expect("refused").contains("at least one validator"));
		let unknown = operator_file(&validator, &holder).replace("\"bootNodes\"", "\"sudo\"");
		assert!(parse(unknown).is_err(), "unknown fields are refused");

		// The example file has placeholders an operator must replace.
		let example = include_str!("../../docs/production-genesis.example.json");
		let error = parse(example.into()).err().expect("placeholders are refused");
		assert!(error.contains("not an SS58 address"), "{error}");
	}

	#[test]
	fn bench_ids_name_their_device_count_epoch_length_and_scheme() {
		let ed = Scheme::Ed25519;
		let default = (BENCH_DEFAULT_DEVICES, BENCH_DEFAULT_EPOCH_LENGTH, ed);
		assert_eq!(bench_params("bench"), Some(default));
		assert_eq!(bench_params("bench-250"), Some((250, BENCH_DEFAULT_EPOCH_LENGTH, ed)));
		assert_eq!(bench_params("bench-250-10"), Some((250, 10, ed)));
		assert_eq!(bench_params("bench-250-10-p256"), Some((250, 10, Scheme::P256)));
		for other in [
			"bench-many",
			"bench-net.json",
			"bench-1-2-3",
			"bench-1-2-rsa",
			"bench-1-2-p256-4",
			"bench-",
			"benchmark",
			"local",
		] {
			assert_eq!(bench_params(other), None, "{other} is not a bench id");
		}
		assert!(load(&format!("bench-{}", BENCH_MAX_DEVICES + 1)).is_err());
		assert!(load("bench-10-0").is_err());
	}
}
