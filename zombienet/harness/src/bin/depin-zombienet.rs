//! `depin-zombienet`: spawns one of the network definitions of `zombienet/` by hand (with
//! zombienet's native provider, from this workspace's binaries) and keeps it up until Ctrl-C.
//!
//! ```text
//! depin-zombienet spawn local          # zombienet/local.toml: four validators
//! depin-zombienet spawn depin          # zombienet/depin.toml: + two device nodes, simulators
//! depin-zombienet spawn path/to/net.toml
//! ```
//!
//! It prints each node's role, RPC endpoint, Prometheus endpoint, log file and a polkadot.js
//! Apps link, then waits; Ctrl-C kills every process of the network.

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use depin_harness::network;

#[derive(Parser)]
#[command(name = "depin-zombienet", about = "Spawns a DePIN network of local processes")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Spawns a network and keeps it up until Ctrl-C.
	Spawn {
		/// `local`, `depin` (the definitions in zombienet/) or a path to a `.toml` file.
		network: String,
	},
}

#[tokio::main]
async fn main() -> Result<()> {
	let Command::Spawn { network: name } = Cli::parse().command;
	let network = network::spawn(&name).await?;
	println!("network {name} is up (base directory {})", network.base_dir().unwrap_or("?"));
	for node in network.nodes() {
		let args = node.args();
		let role = if args.contains(&"--validator") { "validator" } else { "full node" };
		let endpoints = network::flag_values(&args, "--device-endpoint");
		println!("\n{} ({role})", node.name());
		println!("  rpc:        {}", node.ws_uri());
		if let Some(port) = network::flag_values(&args, "--prometheus-port").first() {
			println!("  prometheus: http://127.0.0.1:{port}/metrics");
		}
		println!("  log:        {}", node.core().inner().log_path().display());
		println!("  apps:       {}", network::apps_link(node.ws_uri()));
		for endpoint in endpoints {
			println!("  device:     {endpoint}");
		}
	}
	for process in network.custom_processes() {
		println!("\n{} (custom process)", process.name());
	}
	println!("\nCtrl-C stops the network.");
	tokio::signal::ctrl_c().await?;
	network.destroy().await.map_err(|e| anyhow!("tearing the network down: {e}"))?;
	Ok(())
}
