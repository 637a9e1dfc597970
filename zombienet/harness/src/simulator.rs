//! A running `depin-device-sim`, and what it printed about each of its devices.

use crate::{device_sim_binary, owner::json_bytes32};
use anyhow::{anyhow, Context, Result};
use depin_primitives::protocol::from_hex;
use std::{
	io::{BufRead, BufReader},
	process::{Child, Command, Stdio},
};

/// What the simulator printed about one device.
#[derive(Clone, Debug)]
pub struct SimDevice {
	/// Its HTTP endpoint (what `--device-endpoint` takes).
	pub endpoint: String,
	/// Its device id.
	pub id: [u8; 32],
	/// Its public key.
	pub key: Vec<u8>,
	/// Its key scheme.
	pub scheme: String,
	/// Its class.
	pub class: u16,
	/// The Merkle root and chunk count of its data set, for storage devices.
	pub storage: Option<([u8; 32], u64)>,
}

/// The simulator process; killed when dropped.
pub struct Simulator {
	child: Child,
	/// Its devices, in the order given.
	pub devices: Vec<SimDevice>,
}

/// `owner=0x…`: the field that provisions a simulated device for `owner`'s account (the only
/// one it signs a registration or a recovery for).
pub fn owned_by(owner: &[u8; 32]) -> String {
	format!("owner={}", depin_primitives::protocol::to_hex(owner))
}

/// A maker the simulator acts as.
#[derive(Clone, Debug)]
pub struct SimMaker {
	/// Its index in the simulator (a device's `maker=N`).
	pub index: u32,
	/// Its root certificate (DER).
	pub root: Vec<u8>,
	/// The serial numbers it revoked.
	pub revoked: Vec<Vec<u8>>,
}

impl Simulator {
	/// Starts `depin-device-sim serve` on a free port with one `--device` per entry of
	/// `devices` (`scheme=..,seed=..,class=..[,storage=..][,fault=..][,owner=..]`), provisioned
	/// from the node whose RPC listens on `rpc_port` (`--chain-rpc`: it learns the chain once
	/// the node has its first block, so the node may start after it), and reads the line it
	/// prints per device.
	pub fn spawn(rpc_port: u16, devices: &[&str]) -> Result<Self> {
		let mut command = Command::new(device_sim_binary()?);
		command.args(["serve", "--listen", "127.0.0.1:0"]);
		command.args(["--chain-rpc", &format!("http://127.0.0.1:{rpc_port}"), "--fresh"]);
		for device in devices {
			command.args(["--device", device]);
		}
		let mut child = command.stdout(Stdio::piped()).spawn().context("starting the simulator")?;
		let stdout = child.stdout.take().ok_or_else(|| anyhow!("no simulator stdout"))?;
		// Owned by `Simulator` from here on, so that it is killed on every error path.
		let mut simulator = Simulator { child, devices: Vec::new() };
		let mut lines = BufReader::new(stdout).lines();
		for _ in devices {
			let line =
				lines.next().ok_or_else(|| anyhow!("the simulator printed too little"))??;
			simulator.devices.push(parse_device(&line)?);
		}
		Ok(simulator)
	}

	/// The simulator's base URL (device `n` answers under `{base}/{n}`).
	pub fn base(&self) -> Result<String> {
		let first = self.devices.first().ok_or_else(|| anyhow!("a simulator without devices"))?;
		first
			.endpoint
			.rsplit_once('/')
			.map(|(base, _)| base.to_owned())
			.ok_or_else(|| anyhow!("endpoint {} has no device index", first.endpoint))
	}

	/// The simulated makers (`GET /sim/makers`): each one's index, root certificate (DER)
	/// and revoked serial numbers.
	pub async fn makers(&self) -> Result<Vec<SimMaker>> {
		let url = format!("{}/sim/makers", self.base()?);
		let answer = crate::owner::http_exchange(hyper::Method::GET, &url, None).await?;
		let listing: Vec<serde_json::Value> = serde_json::from_slice(&answer)?;
		let hex = |value: &serde_json::Value| {
			value.as_str().and_then(from_hex).ok_or_else(|| anyhow!("not hex in {url}: {value}"))
		};
		listing
			.iter()
			.map(|maker| {
				Ok(SimMaker {
					index: maker["index"].as_u64().ok_or_else(|| anyhow!("no index"))? as u32,
					root: hex(&maker["root"])?,
					revoked: maker["revoked"]
						.as_array()
						.into_iter()
						.flatten()
						.map(hex)
						.collect::<Result<_>>()?,
				})
			})
			.collect()
	}

	/// Stops the simulator: its devices go offline (connections are refused).
	pub fn stop(self) {
		drop(self);
	}
}

impl Drop for Simulator {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// One JSON line of `depin-device-sim serve` or `info`.
fn parse_device(line: &str) -> Result<SimDevice> {
	let info: serde_json::Value =
		serde_json::from_str(line).with_context(|| format!("simulator line {line:?}"))?;
	let storage = match (info["storage_root"].as_str(), info["leaf_count"].as_u64()) {
		(Some(_), Some(count)) => Some((json_bytes32(&info["storage_root"])?, count)),
		_ => None,
	};
	Ok(SimDevice {
		endpoint: info["endpoint"].as_str().unwrap_or_default().to_owned(),
		id: json_bytes32(&info["id"])?,
		key: from_hex(info["key"].as_str().unwrap_or_default())
			.ok_or_else(|| anyhow!("bad key in {line}"))?,
		scheme: info["scheme"].as_str().unwrap_or_default().to_owned(),
		class: u16::try_from(info["class"].as_u64().unwrap_or_default())?,
		storage,
	})
}
