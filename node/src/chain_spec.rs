//! Chain specifications of the built-in networks, each from a runtime genesis preset.

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
/// (10,000 devices, 60-block epochs), `bench-<N>`, `bench-<N>-<E>` or a JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	if let Some((devices, epoch_length, scheme)) = bench_params(id) {
		return Ok(Box::new(bench_chain_spec(devices, epoch_length, scheme)?));
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
