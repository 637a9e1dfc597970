//! The `local` chain for real: four validators (Alice, Bob, Charlie, Dave) on four processes,
//! peered through Alice, produce blocks and reach GRANDPA finality, and agree on the finalized
//! chain.

use anyhow::{ensure, Result};
use depin_harness::{log_line, Node, NodeConfig};
use std::time::Duration;
use subxt::rpcs::rpc_params;

#[tokio::test(flavor = "multi_thread")]
async fn four_local_validators_reach_finality_and_agree() -> Result<()> {
	let alice = Node::spawn(NodeConfig::local_validator("alice"))?;
	let bootnode = alice.multiaddr().await?;
	log_line(&format!("alice is {bootnode}"));

	let mut nodes = vec![alice];
	for who in ["bob", "charlie", "dave"] {
		let config = NodeConfig::local_validator(who).with_args(["--bootnodes", &bootnode]);
		nodes.push(Node::spawn(config)?);
	}

	// GRANDPA finalizes with more than two thirds of the voters: three of the four at least.
	let target = 3;
	for node in &nodes {
		let api = node.client().await?;
		let head = node.wait_for_finalized(&api, target, Duration::from_secs(240)).await?;
		log_line(&format!("{} finalized #{head}", node.name));
	}

	// Every node has the same block at the target height in its finalized chain.
	let mut hashes = Vec::new();
	for node in &nodes {
		let rpc = node.rpc(Duration::from_secs(10)).await?;
		let hash: String = rpc.request("chain_getBlockHash", rpc_params![target]).await?;
		hashes.push(hash);
	}
	ensure!(hashes.windows(2).all(|w| w[0] == w[1]), "nodes disagree on #{target}: {hashes:?}");

	// Alice, the bootnode, is connected to the three others.
	let peers: u32 = {
		let rpc = nodes[0].rpc(Duration::from_secs(10)).await?;
		let health: serde_json::Value = rpc.request("system_health", rpc_params![]).await?;
		health["peers"].as_u64().unwrap_or_default() as u32
	};
	ensure!(peers >= 3, "alice sees {peers} peers, expected the other three");

	for node in nodes {
		node.shutdown()?;
	}
	Ok(())
}
