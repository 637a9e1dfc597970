//! A dev node, for real: spawn `depin-node --dev`, see blocks finalized over JSON-RPC, send a
//! balance transfer with subxt and see it included and applied, then stop the node cleanly;
//! and send it malformed and oversized transactions, which it refuses with clear errors.

use anyhow::{anyhow, ensure, Result};
use depin_harness::{
	dev_spec_with, log_line,
	owner::{
		block_events, event_fields, free_balance, number_at, signed_transaction, submit, submit_raw,
	},
	rpc_refusal, Node, NodeConfig,
};
use depin_primitives::protocol::to_hex;
use std::time::Duration;
use subxt::{dynamic, ext::codec::Decode, rpcs::rpc_params};
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

/// What a client can send a node as a transaction, malformed or oversized, is refused with a
/// code and a reason (never a crash or a silent drop), and the node goes on finalizing.
#[tokio::test(flavor = "multi_thread")]
async fn a_dev_node_refuses_malformed_and_oversized_extrinsics_clearly() -> Result<()> {
	let node = Node::spawn(NodeConfig { name: "bad-extrinsics".into(), ..NodeConfig::dev() })?;
	let api = node.client().await?;
	let finalized = node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let submit = |bytes: &[u8]| rpc_params![to_hex(bytes)];

	// A well-formed transfer, to spoil.
	let (alice, ferdie) = (dev::alice(), dev::ferdie());
	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(ferdie.public_key().to_address::<()>(), 1_000_000_000_000u128),
	);
	let signed = signed_transaction(&api, &alice, &transfer).await?;

	// Bytes that are no extrinsic at all: the node cannot even frame them (1040).
	for (what, bytes) in [
		("nothing", &[][..]),
		("a truncated transfer", &signed[..signed.len() / 2]),
		("random bytes", &[0x42; 64][..]),
	] {
		let refusal = rpc_refusal(&rpc, "author_submitExtrinsic", submit(bytes)).await?;
		assert_eq!(refusal.code, 1040, "{what}: {refusal:?}");
		assert!(refusal.message.contains("Could not decode"), "{what}: {refusal:?}");
	}
	// A well-framed unsigned extrinsic (length 3, version 4) calling pallet 255, which does not
	// exist: the runtime cannot decode it, and polkadot-sdk's generated entry point of the
	// validation API stops there with a panic ("Bad input data provided to …"), which the node
	// catches and reports as a failed verification (1002); nothing else happens.
	let unknown_pallet = [0x0c, 0x04, 0xff, 0x00];
	let refusal = rpc_refusal(&rpc, "author_submitExtrinsic", submit(&unknown_pallet)).await?;
	assert_eq!(refusal.code, 1002, "{refusal:?}");
	assert!(refusal.message.contains("TaggedTransactionQueue_validate_transaction"), "{refusal:?}");

	// A transfer whose signature no longer matches: "bad signature".
	let mut forged = signed.clone();
	let last = forged.len() - 1;
	forged[last] ^= 1;
	let refusal = rpc_refusal(&rpc, "author_submitExtrinsic", submit(&forged)).await?;
	assert_eq!(refusal.code, 1010, "{refusal:?}");
	assert!(refusal.data.as_deref().is_some_and(|d| d.contains("bad signature")), "{refusal:?}");

	// A remark larger than a block may carry: refused as exhausting the block, not included.
	let remark = dynamic::transaction(
		"System",
		"remark",
		(subxt::dynamic::Value::from_bytes(vec![0u8; 4 * 1024 * 1024]),),
	);
	let oversized = signed_transaction(&api, &alice, &remark).await?;
	let refusal = rpc_refusal(&rpc, "author_submitExtrinsic", submit(&oversized)).await?;
	assert_eq!(refusal.code, 1010, "{refusal:?}");
	assert!(
		refusal.data.as_deref().is_some_and(|d| d.contains("exhaust the block limits")),
		"{refusal:?}"
	);

	// Not hex at all: the parameter is refused before anything decodes it.
	let refusal = rpc_refusal(&rpc, "author_submitExtrinsic", rpc_params!["0xnot-hex"]).await?;
	assert_eq!(refusal.code, -32602, "{refusal:?}");

	// The node is unharmed: it finalizes on, and takes the untouched transfer.
	submit_raw(&api, signed).await?;
	let later = node.wait_for_finalized(&api, finalized + 3, Duration::from_secs(120)).await?;
	log_line(&format!("finalized #{later} after the refusals"));
	node.shutdown()?;
	Ok(())
}

/// Epochs follow wall time, not a count of blocks: the dev chain's only validator is paused
/// (its slots go by without blocks) across more than a whole epoch; when it resumes, its
/// first block is in the epoch the clock says, the epochs without any block are skipped (no
/// emission, an `EpochsSkipped` event), and the epoch's start time is what a device's clock
/// computes from the genesis time.
#[tokio::test(flavor = "multi_thread")]
async fn epochs_keep_wall_time_when_a_validators_slots_are_skipped() -> Result<()> {
	// Epochs of 3 slots (18 s).
	let spec = dev_spec_with(&[("\"epochLength\": 10", "\"epochLength\": 3")])?;
	let node = Node::spawn(NodeConfig {
		chain: Some(spec.path().to_string_lossy().into_owned()),
		name: "skipped-slots".into(),
		..NodeConfig::dev()
	})?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 2, Duration::from_secs(120)).await?;
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let before: serde_json::Value = rpc.request("depin_epoch", rpc_params![]).await?;
	let (genesis_time, duration) = (
		before["genesisTime"].as_u64().ok_or_else(|| anyhow!("no genesisTime: {before}"))?,
		before["duration"].as_u64().ok_or_else(|| anyhow!("no duration: {before}"))?,
	);
	assert_eq!(duration, 18_000, "{before}");
	let paused_at = api.at_current_block().await?.block_number();
	log_line(&format!("epoch {} at #{paused_at}: pausing the validator", before["index"]));

	// 45 s: two and a half epochs of slots without a block.
	node.pause()?;
	tokio::time::sleep(Duration::from_secs(45)).await;
	node.resume()?;

	// Its next blocks: the first is in the epoch of its slot, with the skipped ones announced.
	let api = node.client().await?;
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let deadline = std::time::Instant::now() + Duration::from_secs(60);
	let (mut skipped, mut resumed) = (None, None);
	while skipped.is_none() && std::time::Instant::now() < deadline {
		let best = api.at_current_block().await?;
		for number in paused_at + 1..=best.block_number() {
			let hash: subxt::utils::H256 =
				rpc.request("chain_getBlockHash", rpc_params![number]).await?;
			for event in block_events(&api, hash).await? {
				if (event.pallet.as_str(), event.name.as_str()) == ("Proofs", "EpochsSkipped") {
					let (first, last) = <(u32, u32)>::decode(&mut &event.fields[..])?;
					skipped = Some((first, last));
					resumed = Some(hash);
				}
			}
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	let (first, last) =
		skipped.ok_or_else(|| anyhow!("no EpochsSkipped\n{}", node.log_tail(40)))?;
	let resumed = resumed.ok_or_else(|| anyhow!("no resumed block"))?;
	log_line(&format!("epochs {first}..={last} had no block"));
	ensure!(last >= first, "at least one whole epoch was skipped");

	// The resumed block's epoch is the one its timestamp falls in, by the genesis time and
	// the epoch duration alone: what a provisioned device's clock says.
	let epoch = number_at(&api, resumed, "Proofs", "CurrentEpoch").await? as u64;
	let now = number_at(&api, resumed, "Timestamp", "Now").await? as u64;
	assert_eq!(epoch, (now - genesis_time) / duration, "epoch {epoch} at {now} ms");
	assert_eq!(epoch, u64::from(last) + 1);
	let after: serde_json::Value = rpc.request("depin_epoch", rpc_params![resumed]).await?;
	assert_eq!(after["startTime"].as_u64(), Some(genesis_time + epoch * duration), "{after}");

	// No epoch without a block emitted anything.
	let closed: Vec<u32> = block_events(&api, resumed)
		.await?
		.iter()
		.filter(|e| (e.pallet.as_str(), e.name.as_str()) == ("Rewards", "EpochClosed"))
		.map(|e| u32::decode(&mut &e.fields[..]))
		.collect::<Result<_, _>>()?;
	assert_eq!(closed, vec![first - 1], "only the last epoch with blocks closed");
	node.wait_for_finalized(&api, paused_at + 3, Duration::from_secs(90)).await?;
	node.shutdown()?;
	Ok(())
}
