//! `depin-load`: measures how much of a workload a node includes per block, how fast, at
//! what block weight, against the chain's own plain transfers.
//!
//! ```text
//! depin-load --spawn-bench 100000 heartbeats --devices 100000            # one each
//! depin-load --spawn-bench 100000 heartbeats --devices 100000 --batch 500 # gateways
//! depin-load --spawn-bench 100000 transfers --transfers 60000 --senders 200
//! depin-load --url ws://127.0.0.1:9944 heartbeats --devices 5000         # a running node
//! depin-load --spawn-bench 10000 --scheme p256 heartbeats --devices 5000 --forged
//! ```
//!
//! `--spawn-bench N` starts `depin-node --chain bench-N-60-<scheme>` (N devices of `--scheme`,
//! Ed25519 by default, 60-block epochs, Alice alone, a pool large enough for the load) in a
//! temporary directory, reports the CPU time it spent while the load was submitted, and stops
//! it afterwards; with `--url` the node must run a benchmark chain (`--chain
//! bench-N[-E[-scheme]]`, the same `--scheme`) with the pool flags of
//! `depin_harness::load::POOL_FLAGS`.
//! Heartbeats are signed with the benchmark device keys for a fresh epoch; transfers of 1 DPN
//! to Alice by the benchmark owners. The report lists every block that included some of the
//! load, then the totals: pool refusals by reason, items per block (peak, and the mean over
//! saturated blocks, where load was left waiting), block weight per item, and the time to
//! inclusion and to finality. `docs/performance.md` has the figures of this machine.

use anyhow::Result;
use clap::{Parser, Subcommand};
use depin_harness::load::{self, Options, Workload};
use depin_primitives::keys::Scheme;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "depin-load", about = "Submits signed load to a node and measures it")]
struct Cli {
	/// The node's JSON-RPC WebSocket URL (ignored with `--spawn-bench`).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Spawn a benchmark node with this many devices for the run.
	#[arg(long)]
	spawn_bench: Option<u32>,
	/// Blocks per proof epoch of the spawned benchmark chain.
	#[arg(long, default_value_t = 60)]
	epoch_length: u32,
	/// The scheme of the benchmark network's device keys (ed25519, sr25519, ecdsa, p256).
	#[arg(long, default_value = "ed25519")]
	scheme: Scheme,
	/// RPC submissions in flight at once.
	#[arg(long, default_value_t = 32)]
	concurrency: usize,
	/// Give up waiting for inclusion and finality after this many seconds.
	#[arg(long, default_value_t = 600)]
	timeout: u64,
	#[command(subcommand)]
	workload: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Device heartbeats, alone or in gateway batches.
	Heartbeats {
		/// How many devices send one (at most the network's).
		#[arg(long)]
		devices: u32,
		/// The first device index.
		#[arg(long, default_value_t = 0)]
		first: u32,
		/// Heartbeats per transaction (1: `submit_heartbeat`; more: `submit_heartbeats`).
		#[arg(long, default_value_t = 1)]
		batch: u32,
		/// Sign for the epoch in progress if at least this many of its blocks are left;
		/// otherwise (and by default) wait for the next epoch, so that the whole epoch is left
		/// to include the heartbeats (they expire with it).
		#[arg(long)]
		min_blocks_left: Option<u64>,
		/// Sign with wrong keys: a flood of invalid proofs, all refused by the pool (the report
		/// gives how many it refused per second).
		#[arg(long)]
		forged: bool,
	},
	/// Plain balance transfers, the baseline.
	Transfers {
		/// How many transfers.
		#[arg(long)]
		transfers: u32,
		/// How many benchmark owners send them.
		#[arg(long, default_value_t = 100)]
		senders: u32,
	},
}

#[tokio::main]
async fn main() -> Result<()> {
	let cli = Cli::parse();
	let mut options = Options {
		concurrency: cli.concurrency,
		timeout: Duration::from_secs(cli.timeout),
		..Default::default()
	};
	let workload = match cli.workload {
		Command::Heartbeats { devices, first, batch, min_blocks_left, forged } => {
			options.min_blocks_left = min_blocks_left.unwrap_or(u64::MAX);
			Workload::Heartbeats { first, devices, batch, forged, scheme: cli.scheme }
		},
		Command::Transfers { transfers, senders } => Workload::Transfers { transfers, senders },
	};
	let node = match cli.spawn_bench {
		Some(devices) => {
			let (epoch_length, scheme) = (cli.epoch_length, cli.scheme);
			eprintln!("starting depin-node --chain bench-{devices}-{epoch_length}-{scheme} …");
			Some(load::spawn_bench_node(devices, epoch_length, scheme).await?)
		},
		None => None,
	};
	let url = node.as_ref().map_or(cli.url.clone(), |node| node.ws_url());
	options.node_pid = node.as_ref().and_then(|node| node.pid());
	eprintln!("running {workload:?} against {url}");
	let report = load::run(&url, &workload, &options).await?;
	print!("{}", report.render());
	if let Some(node) = node {
		let blocks: Vec<u64> = report.blocks.iter().map(|b| b.number).collect();
		println!("{}", load::render_proposal_times(&node.log(), &blocks));
		node.shutdown()?;
	}
	Ok(())
}
