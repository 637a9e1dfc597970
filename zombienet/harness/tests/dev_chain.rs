//! A dev node, for real: spawn `depin-node --dev`, see blocks finalized over JSON-RPC, send a
//! balance transfer with subxt and see it included and applied, then stop the node cleanly.

use anyhow::{anyhow, Context, Result};
use depin_harness::{log_line, Client, Node, NodeConfig};
use std::time::Duration;
use subxt::{
	dynamic::{self, Value},
	ext::scale_value::At,
};
use subxt_signer::sr25519::dev;

/// Free balance of `account` at the latest finalized block.
async fn free_balance(api: &Client, account: [u8; 32]) -> Result<u128> {
	let address = dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let at = api.at_current_block().await?;
	let info = at.storage().fetch(address, (account,)).await?.decode()?;
	info.at("data")
		.and_then(|data| data.at("free"))
		.and_then(|free| free.as_u128())
		.ok_or_else(|| anyhow!("System.Account has no data.free: {info}"))
}

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
	let events = tokio::time::timeout(Duration::from_secs(120), async {
		api.at_current_block()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(&transfer, &alice)
			.await?
			.wait_for_finalized_success()
			.await
			.map_err(anyhow::Error::from)
	})
	.await
	.context("the transfer was not finalized within 120 s")??;

	let transferred = events
		.iter()
		.filter_map(Result::ok)
		.any(|event| event.pallet_name() == "Balances" && event.event_name() == "Transfer");
	assert!(transferred, "the transfer's events have no Balances.Transfer");

	let after = free_balance(&api, ferdie_id).await?;
	assert_eq!(after - before, amount, "Ferdie received exactly the amount sent");

	let status = node.shutdown()?;
	assert!(status.success());
	Ok(())
}
