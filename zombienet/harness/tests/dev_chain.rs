//! A dev node, for real: spawn `depin-node --dev`, see blocks finalized over JSON-RPC, send a
//! balance transfer with subxt and see it included and applied, then stop the node cleanly.

use anyhow::Result;
use depin_harness::{
	log_line,
	owner::{event_fields, free_balance, submit},
	Node, NodeConfig,
};
use std::time::Duration;
use subxt::dynamic;
use subxt_signer::sr25519::dev;

#[tokio::test(flavor = "multi_thread")]
async fn dev_node_finalizes_blocks_and_includes_a_transfer() -> Result<()> {
	let node = Node::spawn(NodeConfig::dev())?;
	let api = node.client().await?;

	let finalized = node.wait_for_finalized(&api, 2, Duration::from_secs(120)).await?;
	log_line(&format!("finalized #{finalized}"));

	let (alice, ferdie) = (dev::alice(), dev::ferdie());
	let ferdie_id: [u8; 32] = ferdie.public_key().0;
	let before = free_balance(&api, ferdie_id).await?;

	let amount: u128 = 1_234_000_000_000; // 1.234 DPN
	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(ferdie.public_key().to_address::<()>(), amount),
	);
	let events = submit(&api, &alice, &transfer).await?;

	event_fields(&events, "Balances", "Transfer")?;

	let after = free_balance(&api, ferdie_id).await?;
	assert_eq!(after - before, amount, "Ferdie received exactly the amount sent");

	let status = node.shutdown()?;
	assert!(status.success());
	Ok(())
}
