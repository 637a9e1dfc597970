//! `depin-device-sim`: serves simulated devices over the device HTTP protocol.
//!
//! ```text
//! depin-device-sim serve --listen 127.0.0.1:8700 \
//!     --device scheme=sr25519,seed=hotspot-1,class=1 \
//!     --device scheme=ed25519,seed=box-1,class=3,storage=64
//! depin-device-sim info --device scheme=p256,seed=meter-1,class=2
//! ```
//!
//! Both print one JSON line per device (endpoint, id, key, class, storage root and chunk
//! count) for registration scripts; `serve` then serves until killed.

use clap::{Parser, Subcommand};
use depin_device_sim::{server, DeviceInfo, DeviceSpec, SimDevice};
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
		/// [,fault=offline|slow[:SECONDS]|garbage|bad-signature|equivocation|wrong-storage-proof]`.
		#[arg(long = "device", required = true)]
		devices: Vec<DeviceSpec>,
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

fn build(specs: Vec<DeviceSpec>) -> anyhow::Result<Vec<SimDevice>> {
	specs.into_iter().map(SimDevice::new).collect()
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
		Command::Info { devices, base } => print(&build(devices)?, &base),
		Command::Serve { listen, devices } => {
			let devices = build(devices)?;
			let listener = tokio::net::TcpListener::bind(listen).await?;
			let base = format!("http://{}", listener.local_addr()?);
			print(&devices, &base)?;
			server::serve(listener, Arc::new(devices)).await?;
			Ok(())
		},
	}
}
