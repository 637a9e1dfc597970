//! Chain specifications of the built-in networks, each from a runtime genesis preset.

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

/// Devices of `--chain bench` without a count.
pub const BENCH_DEFAULT_DEVICES: u32 = 10_000;

/// Most devices of a benchmark network: its genesis travels to the runtime as one JSON
/// document (about 230 bytes a device), which must stay well under the runtime's 32 MiB
/// largest allocation.
pub const BENCH_MAX_DEVICES: u32 = 100_000;

/// `--chain bench-<N>`: a development chain (Alice validates alone) with `devices` sensors
/// registered and bonded at genesis, keys derived from public seeds (see
/// `depin_primitives::bench`), for `depin-load` and `docs/performance.md`.
pub fn bench_chain_spec(devices: u32) -> Result<ChainSpec, String> {
	if devices > BENCH_MAX_DEVICES {
		return Err(format!("a benchmark network has at most {BENCH_MAX_DEVICES} devices"));
	}
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(&format!("DePIN Bench ({devices} devices)"))
		.with_id(&format!("depin_bench_{devices}"))
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(depin_runtime::genesis_config_presets::bench_genesis(devices))
		.with_properties(properties())
		.build())
}

/// The number of devices of a `bench` or `bench-<N>` chain id, if it is one.
fn bench_devices(id: &str) -> Option<Result<u32, String>> {
	let count = id.strip_prefix("bench")?;
	if count.is_empty() {
		return Some(Ok(BENCH_DEFAULT_DEVICES));
	}
	let count = count.strip_prefix('-')?;
	Some(count.parse().map_err(|_| format!("`{id}`: the device count must be a number")))
}

/// The chain spec for `--chain <id>`: `dev`, `local` (also the default), `bench`
/// (10,000 devices), `bench-<N>` or a JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	if let Some(devices) = bench_devices(id) {
		return Ok(Box::new(bench_chain_spec(devices?)?));
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

	#[test]
	fn bench_ids_name_their_device_count() {
		assert_eq!(bench_devices("bench"), Some(Ok(BENCH_DEFAULT_DEVICES)));
		assert_eq!(bench_devices("bench-250"), Some(Ok(250)));
		assert!(matches!(bench_devices("bench-many"), Some(Err(_))));
		assert_eq!(bench_devices("benchmark.json"), None);
		assert_eq!(bench_devices("local"), None);
		assert!(load(&format!("bench-{}", BENCH_MAX_DEVICES + 1)).is_err());
	}
}
