//! `depin-device-sim`: serves simulated devices over the device HTTP protocol.
//!
//! ```text
//! depin-device-sim serve --listen 127.0.0.1:8700 --chain-rpc http://127.0.0.1:9944 \
//!     --device scheme=sr25519,seed=hotspot-1,class=1,owner=0x8eaf…a48 \
//!     --device scheme=ed25519,seed=box-1,class=3,storage=64
//! depin-device-sim info --device scheme=p256,seed=meter-1,class=2
//! ```
//!
//! Both print one JSON line per device (endpoint, id, key, class, storage root and chunk
//! count) for registration scripts; `serve` then serves until killed.

use clap::{Parser, Subcommand};
use depin_device_sim::{
	build, firmware, server, ChainParams, DeviceInfo, DeviceSpec, Firmware, SimDevice,
};
use std::{net::SocketAddr, sync::Arc};

#[derive(Parser)]
#[command(name = "depin-device-sim", version, about = "Simulated DePIN devices over HTTP")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Serves the devices until killed.
	Serve {
		/// Address to listen on (port 0 picks a free one; the line printed says which).
		#[arg(long, default_value = "127.0.0.1:8700")]
		listen: SocketAddr,
		/// A device: `scheme=sr25519|ed25519|ecdsa|p256,seed=NAME,class=N[,storage=CHUNKS]
		/// [,fault=offline|slow[:SECONDS]|garbage|bad-signature|equivocation|wrong-storage-proof]
		/// [,owner=0xACCOUNT]` (the owner it signs a registration or recovery for).
		#[arg(long = "device", required = true)]
		devices: Vec<DeviceSpec>,
		#[command(flatten)]
		provisioning: Provisioning,
	},
	/// Prints the devices' ids, keys and storage roots without serving.
	Info {
		/// A device, as for `serve`.
		#[arg(long = "device", required = true)]
		devices: Vec<DeviceSpec>,
		/// The base URL their endpoints would have.
		#[arg(long, default_value = "http://127.0.0.1:8700")]
		base: String,
	},
}

/// What the devices are provisioned with: their chain, given or fetched once from a node.
#[derive(clap::Args)]
struct Provisioning {
	/// The node to fetch the chain from (HTTP JSON-RPC, for example http://127.0.0.1:9944),
	/// once it has its first block: the genesis hash and epoch clock (`depin_epoch`).
	#[arg(long, conflicts_with_all = ["genesis_hash", "genesis_time", "epoch_duration"])]
	chain_rpc: Option<String>,
	/// The chain's genesis hash (0x and 64 hex digits).
	#[arg(long, requires_all = ["genesis_time", "epoch_duration"])]
	genesis_hash: Option<String>,
	/// When the chain's epoch 0 began, in milliseconds since the Unix epoch
	/// (`depin_epoch`'s `genesisTime`).
	#[arg(long, requires = "genesis_hash")]
	genesis_time: Option<u64>,
	/// How long an epoch lasts, in milliseconds (`depin_epoch`'s `duration`).
	#[arg(long, requires = "genesis_hash")]
	epoch_duration: Option<u64>,
	/// Chunks a storage challenge selects (the chain's `LeavesPerChallenge`).
	#[arg(long, default_value_t = 4)]
	leaves_per_challenge: u32,
	/// Where the devices keep what they signed for (readings fixed per epoch), across
	/// restarts. Without it, or without a saved state, a device signs only from the epoch after
	/// its first request (it may have signed the current one before a restart), unless
	/// `--fresh`.
	#[arg(long)]
	state_dir: Option<std::path::PathBuf>,
	/// The devices are new: their keys have never signed a proof, so they may sign from the
	/// epoch they start in (what an installer declares for a device out of the box).
	#[arg(long)]
	fresh: bool,
}

impl Provisioning {
	fn firmware(self) -> anyhow::Result<Firmware> {
		let chain = match (self.genesis_hash, self.genesis_time, self.epoch_duration) {
			(Some(hash), Some(genesis_time_ms), Some(epoch_duration_ms)) => Some(ChainParams {
				genesis_hash: depin_primitives::protocol::from_hex_array(&hash)
					.ok_or_else(|| anyhow::anyhow!("--genesis-hash {hash:?} is not 32 bytes"))?,
				genesis_time_ms,
				epoch_duration_ms,
			}),
			_ => None,
		};
		if let Some(dir) = &self.state_dir {
			std::fs::create_dir_all(dir)?;
		}
		let firmware = Firmware::new(
			chain,
			self.chain_rpc,
			self.leaves_per_challenge,
			firmware::system_clock(),
			self.state_dir,
		);
		Ok(if self.fresh { firmware.fresh() } else { firmware })
	}
}

fn print(devices: &[SimDevice], base: &str) -> anyhow::Result<()> {
	for (index, device) in devices.iter().enumerate() {
		println!("{}", serde_json::to_string(&DeviceInfo::of(index, device, base))?);
	}
	Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	match Cli::parse().command {
		Command::Info { devices, base } => {
			print(&build(devices, Arc::new(Firmware::default()))?.0, &base)
		},
		Command::Serve { listen, devices, provisioning } => {
			let (devices, makers) = build(devices, Arc::new(provisioning.firmware()?))?;
			let listener = tokio::net::TcpListener::bind(listen).await?;
			let base = format!("http://{}", listener.local_addr()?);
			print(&devices, &base)?;
			server::serve(listener, Arc::new(devices), Arc::new(makers)).await?;
			Ok(())
		},
	}
}
