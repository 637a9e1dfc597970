//! Networks of several nodes, spawned by zombienet (the `zombienet-sdk` crate, native
//! provider: every node a local process) from the definitions in `zombienet/*.toml`, and what
//! the multi-node tests ask of them: finalized heads, block hashes, authors, killing a node
//! for real.

use crate::{log_line, node_binary, Client};
use anyhow::{anyhow, bail, Context, Result};
use depin_primitives::protocol::from_hex;
use nix::{sys::signal, unistd::Pid};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use subxt::{
	ext::codec::Decode,
	rpcs::{rpc_params, RpcClient},
	utils::H256,
};
pub use zombienet_sdk::{AddNodeOptions, NetworkConfig, NetworkNode};
use zombienet_sdk::{LocalFileSystem, NetworkConfigExt};

/// A running network.
pub type Network = zombienet_sdk::Network<LocalFileSystem>;

/// The placeholder the definitions use for the directory of the workspace's binaries.
pub const BIN_DIR_PLACEHOLDER: &str = "{{DEPIN_BIN_DIR}}";

/// The directory of the network definitions (`zombienet/`).
pub fn definitions_dir() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The definition `name` (`local`, `depin`) or a path to a `.toml` file.
pub fn definition(name: &str) -> PathBuf {
	if name.ends_with(".toml") {
		PathBuf::from(name)
	} else {
		definitions_dir().join(format!("{name}.toml"))
	}
}

/// The directory of `depin-node` (and `depin-device-sim` beside it).
pub fn bin_dir() -> Result<PathBuf> {
	let node = node_binary()?;
	let dir = node.parent().ok_or_else(|| anyhow!("{} has no directory", node.display()))?;
	Ok(std::path::absolute(dir)?)
}

/// The network definition `name` (see [`definition`]), with [`BIN_DIR_PLACEHOLDER`] filled in.
pub fn config(name: &str) -> Result<NetworkConfig> {
	let path = definition(name);
	let text = std::fs::read_to_string(&path)
		.with_context(|| format!("reading the network definition {}", path.display()))?;
	let bin_dir = bin_dir()?;
	let text = text.replace(BIN_DIR_PLACEHOLDER, &bin_dir.to_string_lossy());
	let base = path.parent().unwrap_or(Path::new("."));
	NetworkConfig::load_from_toml_string_with_base_dir(&text, base)
		.map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Spawns the network `name` with zombienet's native provider. Its processes are killed when
/// the returned network is dropped (or [`Network::destroy`]ed).
pub async fn spawn(name: &str) -> Result<Network> {
	let started = Instant::now();
	let network = config(name)?
		.spawn_native()
		.await
		.map_err(|e| anyhow!("zombienet could not spawn {name}: {e}"))?;
	log_line(&format!(
		"network {name} up in {:.1} s: {}",
		started.elapsed().as_secs_f64(),
		network.node_names().join(", ")
	));
	Ok(network)
}

/// A node's JSON-RPC client, retried until it answers or `timeout` passes.
pub async fn rpc(node: &NetworkNode, timeout: Duration) -> Result<RpcClient> {
	crate::rpc_client(node.ws_uri(), timeout, || Ok(()))
		.await
		.with_context(|| format!("{}: no RPC", node.name()))
}

/// A subxt client of `node`.
pub async fn client(node: &NetworkNode) -> Result<Client> {
	let rpc = rpc(node, Duration::from_secs(120)).await?;
	Client::from_rpc_client(rpc)
		.await
		.with_context(|| format!("{}: subxt could not attach", node.name()))
}

/// The number of a header in JSON (`"0x1a"`).
fn header_number(header: &serde_json::Value) -> Result<u64> {
	let number = header["number"].as_str().ok_or_else(|| anyhow!("header: {header}"))?;
	Ok(u64::from_str_radix(number.trim_start_matches("0x"), 16)?)
}

/// The node's finalized head: number and hash.
pub async fn finalized(rpc: &RpcClient) -> Result<(u64, H256)> {
	let hash: H256 = rpc.request("chain_getFinalizedHead", rpc_params![]).await?;
	let header: serde_json::Value = rpc.request("chain_getHeader", rpc_params![hash]).await?;
	Ok((header_number(&header)?, hash))
}

/// The node's best block number.
pub async fn best(rpc: &RpcClient) -> Result<u64> {
	let header: serde_json::Value = rpc.request("chain_getHeader", rpc_params![]).await?;
	header_number(&header)
}

/// The hash of block `number` in the node's canonical chain, if it has one.
pub async fn block_hash(rpc: &RpcClient, number: u64) -> Result<Option<H256>> {
	Ok(rpc.request("chain_getBlockHash", rpc_params![number]).await?)
}

/// Waits until `node` has finalized block `number`; returns its finalized head then.
pub async fn wait_finalized(
	node: &NetworkNode,
	number: u64,
	timeout: Duration,
) -> Result<(u64, H256)> {
	let deadline = Instant::now() + timeout;
	let rpc = rpc(node, timeout).await?;
	loop {
		let head = finalized(&rpc).await?;
		if head.0 >= number {
			return Ok(head);
		}
		if Instant::now() >= deadline {
			bail!("{}: finalized #{} after {timeout:?}, not #{number}", node.name(), head.0);
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// Checks that every node in `nodes` has the same block at every height from `from` to `to`
/// in its finalized chain (one hash per height: nothing was finalized twice at a height).
pub async fn ensure_same_finalized_chain(nodes: &[&NetworkNode], from: u64, to: u64) -> Result<()> {
	let mut clients = Vec::new();
	for node in nodes {
		let rpc = rpc(node, Duration::from_secs(30)).await?;
		let (head, _) = finalized(&rpc).await?;
		if head < to {
			bail!("{} finalized only #{head}, not #{to}", node.name());
		}
		clients.push((node.name(), rpc));
	}
	for number in from..=to {
		let mut seen: Option<(String, H256)> = None;
		for (name, rpc) in &clients {
			let hash = block_hash(rpc, number)
				.await?
				.ok_or_else(|| anyhow!("{name} has no block #{number}"))?;
			match &seen {
				None => seen = Some((name.to_string(), hash)),
				Some((first, expected)) if *expected != hash => {
					bail!("#{number}: {first} finalized {expected:?}, {name} {hash:?}")
				},
				Some(_) => {},
			}
		}
	}
	Ok(())
}

/// The process ids of `node` (the `depin-node` processes whose arguments name its directory).
fn pids_of(node: &NetworkNode) -> Result<Vec<Pid>> {
	let dir = node.base_dir().to_string_lossy().into_owned();
	let mut pids = Vec::new();
	for entry in std::fs::read_dir("/proc")? {
		let entry = entry?;
		let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
			continue;
		};
		let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
		let mut args = cmdline.split(|b| *b == 0).map(String::from_utf8_lossy);
		let is_node = args.next().is_some_and(|exe| exe.ends_with("depin-node"));
		if is_node && args.any(|arg| arg.starts_with(&dir)) && !is_zombie(pid) {
			pids.push(Pid::from_raw(pid));
		}
	}
	Ok(pids)
}

/// Whether process `pid` has exited and waits to be reaped.
fn is_zombie(pid: i32) -> bool {
	std::fs::read_to_string(format!("/proc/{pid}/stat"))
		.ok()
		.and_then(|stat| stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().starts_with('Z')))
		.unwrap_or(true)
}

/// Kills `node`'s process with SIGKILL, as a crash or power loss would, and waits until it is
/// gone. [`NetworkNode::restart`] starts it again on the same database and ports.
pub async fn kill(node: &NetworkNode) -> Result<()> {
	let pids = pids_of(node)?;
	if pids.is_empty() {
		bail!("{}: no running depin-node process found", node.name());
	}
	for pid in &pids {
		signal::kill(*pid, signal::Signal::SIGKILL)
			.with_context(|| format!("{}: killing {pid}", node.name()))?;
	}
	let deadline = Instant::now() + Duration::from_secs(10);
	while !pids_of(node)?.is_empty() {
		if Instant::now() >= deadline {
			bail!("{}: still running 10 s after SIGKILL", node.name());
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	log_line(&format!("{} killed (pid {pids:?})", node.name()));
	Ok(())
}

/// The BABE key of the author of block `hash`: the authority index of its BABE pre-runtime
/// digest, looked up in `Babe.Authorities` after the block (the authorities of its epoch).
pub async fn babe_author(api: &Client, rpc: &RpcClient, hash: H256) -> Result<[u8; 32]> {
	let header: serde_json::Value = rpc.request("chain_getHeader", rpc_params![hash]).await?;
	let logs = header["digest"]["logs"].as_array().ok_or_else(|| anyhow!("{header}"))?;
	let index = logs
		.iter()
		.filter_map(|log| log.as_str())
		.filter_map(from_hex)
		.find_map(|item| babe_authority_index(&item))
		.ok_or_else(|| anyhow!("block {hash:?} has no BABE pre-digest"))?;
	let address = subxt::dynamic::storage::<(), subxt::dynamic::Value>("Babe", "Authorities");
	let at = api.at_block(hash).await?;
	let raw = at.storage().fetch(address, ()).await?;
	let authorities = Vec::<([u8; 32], u64)>::decode(&mut raw.bytes())?;
	authorities
		.get(index as usize)
		.map(|(key, _)| *key)
		.ok_or_else(|| anyhow!("authority {index} of {} at {hash:?}", authorities.len()))
}

/// The authority index of a SCALE-encoded digest item if it is BABE's pre-runtime digest:
/// `PreRuntime` (6), engine `BABE`, then the `PreDigest` (variant byte, authority index u32).
fn babe_authority_index(item: &[u8]) -> Option<u32> {
	let rest = item.strip_prefix(&[6u8])?.strip_prefix(b"BABE")?;
	let data = Vec::<u8>::decode(&mut &rest[..]).ok()?;
	let index = data.get(1..5)?;
	Some(u32::from_le_bytes(index.try_into().ok()?))
}

/// The values of every `flag value` pair in a node's arguments (`--device-endpoint`, ...).
pub fn flag_values<'a>(args: &[&'a str], flag: &str) -> Vec<&'a str> {
	args.windows(2).filter(|pair| pair[0] == flag).map(|pair| pair[1]).collect()
}

/// `polkadot.js Apps` opened on a node's RPC.
pub fn apps_link(ws_uri: &str) -> String {
	format!("https://polkadot.js.org/apps/?rpc={}#/explorer", ws_uri.replace(':', "%3A"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_babe_pre_digest_names_its_authority() {
		// PreRuntime, "BABE", compact length 5×4 = 20, SecondaryPlain (2), index 3, slot.
		let mut item = vec![6u8];
		item.extend_from_slice(b"BABE");
		item.push(13 << 2);
		item.extend_from_slice(&[2, 3, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
		assert_eq!(babe_authority_index(&item), Some(3));
		// A seal of the same engine is not a pre-digest.
		item[0] = 5;
		assert_eq!(babe_authority_index(&item), None);
	}

	#[test]
	fn the_definitions_parse() {
		for name in ["local", "depin"] {
			let text = std::fs::read_to_string(definition(name)).unwrap();
			let text = text.replace(BIN_DIR_PLACEHOLDER, "/bin");
			let config =
				NetworkConfig::load_from_toml_string_with_base_dir(&text, &definitions_dir())
					.unwrap();
			let nodes = config.relaychain().nodes();
			let validators = nodes.iter().filter(|n| n.is_validator()).count();
			assert_eq!(validators, 4, "{name}");
		}
	}
}
