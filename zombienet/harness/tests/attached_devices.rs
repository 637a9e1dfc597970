//! Hardware attached to a node, end to end, with real binaries: `depin-device-sim` serves
//! devices over HTTP, `depin-node --dev --device-endpoint …` polls them with its off-chain
//! worker, and the tests drive the chain over JSON-RPC with subxt.
//!
//! - Healthy devices: Bob registers a hotspot and a storage box (with their proofs of
//!   possession), bonds and commits the box's data set; both devices' proofs are accepted, the
//!   epoch closes, and Charlie's claim pays Bob exactly what the chain says it owed.
//! - Faulty devices, on a dev chain with 3-block epochs (so that the 7-epoch slash deferral
//!   passes in about two minutes): offline and garbage devices earn nothing while blocks go on;
//!   the bad-signature device's forged heartbeat is refused by the pool; the equivocating
//!   device is reported with the two heartbeats it signed, and slashed once the deferral has
//!   passed.
//!
//! - The `depin_*` JSON-RPC methods: the healthy test reads the owner's journey through them
//!   (device, devices of the owner, challenge, pending rewards before and after the claim,
//!   statistics, at a given block); a third test asks every method on an empty dev chain,
//!   with malformed ids, accounts and block hashes, and checks the metadata documents every
//!   call, event and error of our pallets and lists `DepinApi`.
//!
//! - polkadot.js: `zombienet/ts-client/journey.ts` (TypeScript, `@polkadot/api` from the npm
//!   registry, installed here with `npm ci` if missing) walks the owner's journey: register
//!   with the device's proof of possession, bond, `depin_device`, the relayed heartbeat,
//!   `depin_pendingRewards` and the `DepinApi` runtime API, claim, balance change.
//!
//! - Attested devices (`attested/`): the simulator as two makers, attested registration,
//!   earning, and a maker's revocation.
//!
//! The four tests, the three of `dev_chain/` and the one of `attested/` run four at a time (one
//! test binary), each with its own node.

/// Attested devices: makers, attestation at registration, revocation.
mod attested;
/// The dev-node tests, in this binary so that they run beside the tests above: cargo runs test
/// binaries one after another, and a node test mostly waits for blocks.
mod dev_chain;
/// Governance on real nodes: a referendum changing a class, a production network.
mod governance;

use anyhow::{anyhow, bail, Context, Result};
use depin_harness::{
	dev_spec_with, free_port, log_line,
	owner::{
		self, authorized_transaction, call_from_scale, claim_rewards, event_fields, free_balance,
		register_device, submit, submit_call, submit_raw, ChainEvent, DPN,
	},
	owner_binary, rpc_refusal,
	simulator::{owned_by, SimDevice, Simulator},
	Client, Node, NodeConfig,
};
use depin_primitives::{
	device_challenge,
	protocol::{device_key, device_signature, from_hex, to_hex, HeartbeatRequest, SignedResponse},
	DeviceId, Heartbeat, SignedPayload,
};
use hyper::Method;
use serde_json::json;
use sp_core::H256;
use std::{
	collections::BTreeSet,
	time::{Duration, Instant},
};
use subxt::{
	dynamic::{self, Value},
	ext::{
		codec::{Decode, Encode},
		scale_value::{At, ValueDef},
	},
};
use subxt::{
	rpcs::{client::RpcParams, rpc_params, RpcClient},
	utils::AccountId32,
};
use subxt_signer::sr25519::dev;

/// What `device` can claim now, from the chain's records: Σ over closed epochs of
/// `⌊pool × device points / epoch points⌋`.
async fn owed(api: &Client, at: subxt::utils::H256, device: [u8; 32]) -> Result<u128> {
	let at = api.at_block(at).await?;
	let current = at
		.storage()
		.fetch(dynamic::storage::<(), Value>("Proofs", "CurrentEpoch"), ())
		.await?
		.decode()?
		.as_u128()
		.ok_or_else(|| anyhow!("CurrentEpoch is not a number"))?;
	let mut owed = 0;
	for epoch in 0..u32::try_from(current)? {
		let points = owner::device_points(api, at.block_hash(), device, epoch).await?;
		let pool = at
			.storage()
			.try_fetch(dynamic::storage::<(u32,), Value>("Rewards", "EpochPools"), (epoch,))
			.await?;
		let (Some(points), Some(pool)) = (points, pool) else { continue };
		let pool = pool.decode()?;
		let number =
			|v: Option<&Value>| v.and_then(|v| v.as_u128()).ok_or_else(|| anyhow!("{pool}"));
		let share = number(pool.at("pool"))? * points / number(pool.at("points"))?;
		log_line(&format!(
			"epoch {epoch}: {points} of {} points: {share}",
			number(pool.at("points"))?
		));
		owed += share;
	}
	Ok(owed)
}

/// Runs `depin-owner --url URL ARGS…`; what it printed (standard output first), or its error.
fn depin_owner(url: &str, args: &[&str]) -> Result<String> {
	let output = run(std::process::Command::new(owner_binary()?).args(["--url", url]).args(args))?;
	log_line(&format!("depin-owner {}: {}", args.join(" "), output.trim()));
	Ok(output)
}

/// `method(params)` over JSON-RPC; its result.
async fn depin(rpc: &RpcClient, method: &str, params: RpcParams) -> Result<serde_json::Value> {
	let result: serde_json::Value =
		rpc.request(method, params).await.with_context(|| method.to_owned())?;
	log_line(&format!("{method}: {result}"));
	Ok(result)
}

/// `method(params)` must fail with a JSON-RPC error: its code and message.
async fn depin_error(rpc: &RpcClient, method: &str, params: RpcParams) -> Result<(i32, String)> {
	let refusal = rpc_refusal(rpc, method, params).await?;
	Ok((refusal.code, refusal.message))
}

/// A dev node with `devices` attached through `--device-endpoint`.
fn node_with(config: NodeConfig, devices: &[SimDevice]) -> Result<Node> {
	let endpoints =
		devices.iter().flat_map(|d| ["--device-endpoint".to_owned(), d.endpoint.clone()]);
	Node::spawn(config.with_args(endpoints))
}

#[tokio::test(flavor = "multi_thread")]
async fn attached_devices_prove_work_and_their_owner_claims_the_rewards() -> Result<()> {
	// Bob's devices, provisioned for him, learn their chain from the node they are attached to.
	let rpc_port = free_port()?;
	let for_bob = owned_by(&dev::bob().public_key().0);
	let sim = Simulator::spawn(
		rpc_port,
		&[
			&format!("scheme=sr25519,seed=e2e-hotspot,class=1,{for_bob}"),
			&format!("scheme=ed25519,seed=e2e-box,class=3,storage=32,{for_bob}"),
			// Beside them, a device that sends its answers' headers and never their bodies.
			"scheme=sr25519,seed=e2e-stalled,class=1,fault=stall",
		],
	)?;
	let (hotspot, storage_box, stalled) = (&sim.devices[0], &sim.devices[1], &sim.devices[2]);
	let node = node_with(NodeConfig::dev().with_rpc_port(rpc_port), &sim.devices)?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;

	// Bob registers and bonds both devices, and commits the box's data set, with the
	// `depin-owner` tool as `docs/running-a-device.md` shows.
	let (bob, charlie) = (dev::bob(), dev::charlie());
	let owner: [u8; 32] = bob.public_key().0;
	let (root, chunks) = storage_box.storage.ok_or_else(|| anyhow!("the box stores nothing"))?;
	let url = node.ws_url();
	let hotspot_args = ["--endpoint", &hotspot.endpoint, "--bond", "100"];
	let (root, chunks) = (to_hex(&root), chunks.to_string());
	let box_args = ["--endpoint", &storage_box.endpoint, "--bond", "500"];
	let box_args = [&box_args[..], &["--storage-root", &root, "--chunks", &chunks]].concat();
	for (device, args) in [(hotspot, &hotspot_args[..]), (storage_box, &box_args[..])] {
		let output = depin_owner(&url, &[&["register", "--owner", "//Bob"], args].concat())?;
		let expected = format!("registered device {}", to_hex(&device.id));
		assert!(output.contains(&expected), "the chain's id is the device's: {output}");
	}
	let attached = depin_owner(&url, &["endpoints"])?;
	assert!(attached.starts_with("3 device endpoint(s) attached"), "{attached}");
	assert!(attached.contains(&hotspot.endpoint) && attached.contains(&storage_box.endpoint));

	// The worker polls each device once per epoch (10 blocks on dev) and submits its proofs:
	// wait for all three, then for the close of the epoch they were in.
	let mut wanted: BTreeSet<(String, [u8; 32])> = [
		("HeartbeatAccepted".to_owned(), hotspot.id),
		("HeartbeatAccepted".to_owned(), storage_box.id),
		("StorageProofAccepted".to_owned(), storage_box.id),
	]
	.into();
	let mut proven_epoch = None;
	let watch = async {
		let mut blocks = api.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let block = block?;
			let events = block.at().await?.events().fetch().await?;
			for event in events.iter().filter_map(Result::ok) {
				let fields = event.field_bytes();
				match (event.pallet_name(), event.event_name()) {
					("Proofs", name @ ("HeartbeatAccepted" | "StorageProofAccepted")) => {
						let (device, epoch) = <([u8; 32], u32)>::decode(&mut &fields[..])?;
						if wanted.remove(&(name.to_owned(), device)) {
							log_line(&format!("#{}: {name} in epoch {epoch}", block.number()));
							proven_epoch = Some(proven_epoch.unwrap_or(epoch).max(epoch));
						}
					},
					("Rewards", "EpochClosed") => {
						let epoch = u32::decode(&mut &fields[..])?;
						if wanted.is_empty() && proven_epoch.is_some_and(|e| epoch >= e) {
							log_line(&format!("#{}: epoch {epoch} closed", block.number()));
							return Ok::<(), anyhow::Error>(());
						}
					},
					_ => {},
				}
			}
		}
		bail!("the finalized block stream ended")
	};
	tokio::time::timeout(Duration::from_secs(300), watch).await.map_err(|_| {
		anyhow!("proofs still missing after 300 s: {wanted:?}\n{}", node.log_tail(60))
	})??;

	// What the chain owes the hotspot: for each closed epoch, the device pool × its points /
	// all points (it may have proven an epoch before the box was bonded, and been alone then).
	let at = api.at_current_block().await?.block_hash();
	let expected = owed(&api, at, hotspot.id).await?;
	log_line(&format!("the hotspot is owed {expected} planck"));

	// The stalled device cost the others nothing: in the epoch the hotspot's heartbeat was
	// relayed, the same worker run gave up on the stalled one at its deadline.
	let log = node.log();
	let relayed = format!("at {}: epoch", hotspot.endpoint);
	let relayed_epoch = log
		.lines()
		.find(|l| l.contains(&relayed) && l.contains("1 proof(s) submitted"))
		.and_then(|l| l.split(": epoch ").nth(1)?.split(':').next()?.trim().parse::<u32>().ok())
		.ok_or_else(|| anyhow!("no relay of the hotspot logged\n{}", node.log_tail(40)))?;
	let stalled_line =
		format!("device at {}: epoch {relayed_epoch}: nothing relayed: Timeout", stalled.endpoint);
	assert!(log.contains(&stalled_line), "{stalled_line:?} not logged\n{}", node.log_tail(40));
	log_line(&format!("epoch {relayed_epoch}: relayed beside a stalled device"));

	// A gateway relays the hotspot too: no slash, no suspension (checked below).
	a_gateway_relaying_the_same_device_cannot_frame_it(&node, &api, hotspot, &charlie).await?;

	// The dApp's view over depin_* at the same block agrees.
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let pending = depin(&rpc, "depin_pendingRewards", rpc_params![to_hex(&hotspot.id), at]).await?;
	assert_eq!(pending["amount"], expected.to_string(), "{pending}");
	let device = depin(&rpc, "depin_device", rpc_params![to_hex(&hotspot.id), at]).await?;
	let bob_ss58 = AccountId32(owner).to_string();
	assert_eq!((&device["owner"], &device["class"]), (&json!(bob_ss58), &json!(1)), "{device}");
	assert_eq!(
		(&device["status"], &device["bonded"]),
		(&json!("active"), &json!("100000000000000"))
	);
	assert!(device["lastHeartbeat"].as_u64().is_some(), "{device}");
	let owned = depin(&rpc, "depin_devicesByOwner", rpc_params![&bob_ss58]).await?;
	let owned: BTreeSet<String> = serde_json::from_value(owned)?;
	assert_eq!(owned, [to_hex(&hotspot.id), to_hex(&storage_box.id)].into());
	let challenge = depin(&rpc, "depin_challenge", rpc_params![to_hex(&storage_box.id)]).await?;
	let indices = challenge["storageIndices"].as_array().map(Vec::len);
	assert_eq!(indices, Some(4), "four chunks challenged per epoch: {challenge}");
	// The runtime API itself, called by subxt from the metadata, says the same.
	let call = dynamic::runtime_api_call::<_, Value>("DepinApi", "pending_rewards", (hotspot.id,));
	let via_api = api.at_block(at).await?.runtime_apis().call(call).await?;
	let amount = match &via_api.value {
		ValueDef::Variant(some) if some.name == "Some" => some.values.values().next(),
		_ => None,
	};
	let amount = amount.and_then(|pending| pending.at("amount")).and_then(Value::as_u128);
	assert_eq!(amount, Some(expected), "DepinApi_pending_rewards: {via_api}");
	let stats = depin(&rpc, "depin_networkStats", rpc_params![at]).await?;
	assert_eq!(stats["devices"]["active"], 2, "{stats}");
	assert_eq!(stats["totalBonded"], (600 * DPN).to_string(), "{stats}");

	// Charlie claims for Bob's hotspot: Bob is paid exactly the claimed amount.
	let before = free_balance(&api, owner).await?;
	let claimed = claim_rewards(&api, &charlie, hotspot.id).await?;
	log_line(&format!("the claim covered {} epoch(s)", claimed.epochs));
	assert_eq!(claimed.amount, expected, "Σ pool × the hotspot's points / the epoch's points");
	assert_eq!(free_balance(&api, owner).await? - before, claimed.amount);
	log_line(&format!("Bob was paid {} planck", claimed.amount));
	let at = api.at_current_block().await?.block_hash();
	let pending = depin(&rpc, "depin_pendingRewards", rpc_params![to_hex(&hotspot.id), at]).await?;
	assert_eq!(pending["amount"], "0", "nothing left to claim: {pending}");
	for line in node.log().lines().filter(|l| l.contains("device at")) {
		log_line(line);
	}

	node.shutdown()?;
	Ok(())
}

/// Blocks per epoch of the faulty-devices chain.
const SHORT_EPOCH: u64 = 3;

/// The current epoch and `device`'s challenge in it, at the node's best block (what the pool
/// checks against).
async fn best_challenge(node: &Node, api: &Client, device: [u8; 32]) -> Result<(u32, H256)> {
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let best: subxt::utils::H256 =
		rpc.request("chain_getBlockHash", subxt::rpcs::rpc_params![]).await?;
	let at = api.at_block(best).await?;
	let raw = |item: &'static str| {
		let at = &at;
		async move {
			let value =
				at.storage().fetch(dynamic::storage::<(), Value>("Proofs", item), ()).await?;
			Ok::<Vec<u8>, anyhow::Error>(value.bytes().to_vec())
		}
	};
	let epoch = u32::decode(&mut &raw("CurrentEpoch").await?[..])?;
	let seed = H256::decode(&mut &raw("EpochSeed").await?[..])?;
	Ok((epoch, device_challenge(&seed, &DeviceId::from(device), epoch)))
}

/// Asks `device` over HTTP for its signed heartbeat of `epoch`.
async fn fetch_heartbeat(
	device: &SimDevice,
	genesis: &[u8],
	epoch: u32,
	challenge: H256,
) -> Result<SignedResponse> {
	let request = HeartbeatRequest {
		genesis_hash: to_hex(genesis),
		epoch,
		challenge: to_hex(challenge.as_bytes()),
	};
	let url = format!("{}{}", device.endpoint, depin_primitives::protocol::HEARTBEAT_PATH);
	let answer =
		owner::http_exchange(Method::POST, &url, Some(serde_json::to_vec(&request)?)).await?;
	Ok(serde_json::from_slice(&answer)?)
}

/// A heartbeat the device signed, decoded with the runtime's types.
fn decode_signed(device: &SimDevice, signed: &SignedResponse) -> Result<(Heartbeat, Vec<u8>)> {
	let payload = from_hex(&signed.payload).ok_or_else(|| anyhow!("payload is not hex"))?;
	let heartbeat = Heartbeat::decode(&mut &payload[..])?;
	let key = device_key(&device.scheme, &to_hex(&device.key))
		.ok_or_else(|| anyhow!("bad {} key", device.scheme))?;
	let signature = device_signature(&key, &signed.signature)
		.ok_or_else(|| anyhow!("bad signature for {}", device.scheme))?;
	Ok((heartbeat, signature.encode()))
}

/// The forger's heartbeat for the current epoch, submitted to the pool as an authorized
/// transaction, must be refused as a bad proof (retried if an epoch boundary falls between
/// reading the challenge and submitting, which the pool refuses as stale instead).
async fn forged_heartbeat_is_refused(node: &Node, api: &Client, forger: &SimDevice) -> Result<()> {
	let genesis = api.genesis_hash();
	for _ in 0..3 {
		let (epoch, challenge) = best_challenge(node, api, forger.id).await?;
		let signed = fetch_heartbeat(forger, genesis.as_ref(), epoch, challenge).await?;
		let (heartbeat, signature) = decode_signed(forger, &signed)?;
		let mut args = heartbeat.encode();
		args.extend_from_slice(&signature);
		let call = call_from_scale(api, "Proofs", "submit_heartbeat", &args).await?;
		let transaction = authorized_transaction(api, &call).await?;
		match submit_raw(api, transaction).await {
			Ok(()) => bail!("the pool took the forged heartbeat of epoch {epoch}"),
			Err(refusal) => {
				let refusal = format!("{refusal:#}");
				log_line(&format!("forged heartbeat of epoch {epoch}: {refusal}"));
				if refusal.contains("bad signature") {
					return Ok(());
				}
				if !refusal.contains("outdated") && !refusal.contains("future") {
					bail!("the forged heartbeat was refused for another reason: {refusal}");
				}
			},
		}
	}
	bail!("no epoch stayed current long enough to submit the forged heartbeat")
}

/// Reports the equivocator with the first pair of heartbeats it signed; returns the pending
/// slash's id and the epoch it is due in.
async fn report_equivocation(
	api: &Client,
	reporter: &subxt_signer::sr25519::Keypair,
	equivocator: &SimDevice,
) -> Result<(u32, u32)> {
	let url = format!("{}/sim/equivocations", equivocator.endpoint);
	let listing = owner::http_exchange(Method::GET, &url, None).await?;
	let pairs: Vec<serde_json::Value> = serde_json::from_slice(&listing)?;
	let pair = pairs.first().ok_or_else(|| anyhow!("the device has not equivocated yet"))?;
	let signed = |which: &str| -> Result<(Heartbeat, Vec<u8>)> {
		let response: SignedResponse = serde_json::from_value(pair[which].clone())?;
		decode_signed(equivocator, &response)
	};
	let (first, second) = (signed("first")?, signed("second")?);
	assert_ne!(first.0, second.0, "the device signed two different heartbeats for one epoch");
	let events = report_pair(api, reporter, equivocator, first, second).await?;
	event_fields(&events, "Proofs", "EquivocationReported")?;
	// SlashReported { slash_id: u32, device: H256, amount: u128, reason: OffenceKind (u8),
	// apply_at: u32 }
	let fields = event_fields(&events, "DeviceStaking", "SlashReported")?;
	let (slash_id, device, amount, reason, apply_at) =
		<(u32, [u8; 32], u128, u8, u32)>::decode(&mut &fields[..])?;
	assert_eq!(device, equivocator.id);
	assert_eq!(reason, 0, "OffenceKind::Equivocation");
	log_line(&format!("slash {slash_id} of {amount} planck due in epoch {apply_at}"));
	Ok((slash_id, apply_at))
}

/// `Proofs.report_equivocation` of two heartbeats `device` signed, by `reporter`: its events,
/// or the dispatch error.
async fn report_pair(
	api: &Client,
	reporter: &subxt_signer::sr25519::Keypair,
	device: &SimDevice,
	(first, first_signature): (Heartbeat, Vec<u8>),
	(second, second_signature): (Heartbeat, Vec<u8>),
) -> Result<Vec<ChainEvent>> {
	let mut args = DeviceId::from(device.id).encode();
	args.extend(SignedPayload::Heartbeat(first).encode());
	args.extend(first_signature);
	args.extend(SignedPayload::Heartbeat(second).encode());
	args.extend(second_signature);
	let call = call_from_scale(api, "Proofs", "report_equivocation", &args).await?;
	submit(api, reporter, &call).await
}

/// A gateway (an ordinary client, not the node's worker) relays `device` in the epoch the
/// worker relayed it in, and tries everything it can get the device to sign against it:
/// asked again for the epoch's real challenge, the device signs the very same payload (so
/// nothing to report); asked for an invented challenge it signs another, which the chain
/// refuses as proof of anything; asked for a future epoch it signs nothing.
async fn a_gateway_relaying_the_same_device_cannot_frame_it(
	node: &Node,
	api: &Client,
	device: &SimDevice,
	reporter: &subxt_signer::sr25519::Keypair,
) -> Result<()> {
	let genesis = api.genesis_hash();
	let (epoch, challenge) = best_challenge(node, api, device.id).await?;
	let relayed = fetch_heartbeat(device, genesis.as_ref(), epoch, challenge).await?;
	let again = fetch_heartbeat(device, genesis.as_ref(), epoch, challenge).await?;
	assert_eq!(relayed.payload, again.payload, "two relays asking the same get the same payload");
	// The gateway submits its copy: the pool takes it, or refuses it as delivered already.
	let (heartbeat, signature) = decode_signed(device, &relayed)?;
	let mut args = heartbeat.encode();
	args.extend_from_slice(&signature);
	let call = call_from_scale(api, "Proofs", "submit_heartbeat", &args).await?;
	let submitted = submit_raw(api, authorized_transaction(api, &call).await?).await;
	log_line(&format!("the gateway's copy of epoch {epoch}: {submitted:?}"));

	let invented = fetch_heartbeat(device, genesis.as_ref(), epoch, H256::repeat_byte(7)).await?;
	assert_ne!(invented.payload, relayed.payload);
	let refusal = report_pair(
		api,
		reporter,
		device,
		decode_signed(device, &relayed)?,
		decode_signed(device, &invented)?,
	)
	.await
	.err()
	.ok_or_else(|| anyhow!("a report with an invented challenge was accepted"))?;
	assert!(format!("{refusal:#}").contains("InventedChallenge"), "{refusal:#}");
	let same = report_pair(
		api,
		reporter,
		device,
		decode_signed(device, &relayed)?,
		decode_signed(device, &again)?,
	)
	.await
	.err()
	.ok_or_else(|| anyhow!("a report of one payload twice was accepted"))?;
	assert!(format!("{same:#}").contains("SamePayload"), "{same:#}");
	let future = fetch_heartbeat(device, genesis.as_ref(), epoch + 5, challenge).await;
	let future = future.err().ok_or_else(|| anyhow!("the device signed for a future epoch"))?;
	assert!(format!("{future:#}").contains("400"), "{future:#}");
	log_line(&format!("epoch {epoch}: the gateway's relay framed nothing"));
	Ok(())
}

/// `DeviceStaking.apply_slash(slash_id)` by `signer`: its events, or the dispatch error.
async fn apply_slash(
	api: &Client,
	signer: &subxt_signer::sr25519::Keypair,
	slash_id: u32,
) -> Result<Vec<ChainEvent>> {
	submit_call(api, signer, "DeviceStaking", "apply_slash", vec![Value::u128(slash_id.into())])
		.await
}

#[tokio::test(flavor = "multi_thread")]
async fn faulty_devices_earn_nothing_and_an_equivocating_one_is_slashed() -> Result<()> {
	let spec =
		dev_spec_with(&[("\"epochLength\": 10", &format!("\"epochLength\": {SHORT_EPOCH}"))])?;
	let rpc_port = free_port()?;
	let (for_bob, for_dave, for_eve) = (
		owned_by(&dev::bob().public_key().0),
		owned_by(&dev::dave().public_key().0),
		owned_by(&dev::eve().public_key().0),
	);
	let sim = Simulator::spawn(
		rpc_port,
		&[
			&format!("scheme=sr25519,seed=faulty-offline,class=1,fault=offline,{for_bob}"),
			&format!("scheme=ed25519,seed=faulty-garbage,class=1,fault=garbage,{for_bob}"),
			&format!("scheme=sr25519,seed=faulty-forger,class=2,fault=bad-signature,{for_dave}"),
			// The old firmware: two different heartbeats for one epoch.
			&format!("scheme=ecdsa,seed=faulty-equivocator,class=1,fault=equivocation,{for_eve}"),
			// Answers after 5 s: past the worker's 3-second HTTP deadline.
			&format!("scheme=ed25519,seed=faulty-slow,class=1,fault=slow:5,{for_bob}"),
		],
	)?;
	let [offline, garbage, forger, equivocator, slow] = &sim.devices[..] else {
		bail!("the simulator serves {} devices", sim.devices.len())
	};
	let config = NodeConfig {
		chain: Some(spec.path().to_string_lossy().into_owned()),
		name: "faulty".into(),
		rpc_port: Some(rpc_port),
		..NodeConfig::dev()
	};
	let node = node_with(config, &sim.devices)?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;

	// The offline device was registered while it still answered: the same key (seed) served
	// healthy by a simulator that stops right after; the slow one likewise by a prompt one.
	let (bob, dave, eve) = (dev::bob(), dev::dave(), dev::eve());
	let (charlie, ferdie) = (dev::charlie(), dev::ferdie());
	let register_offline = async {
		let online = Simulator::spawn(
			rpc_port,
			&[&format!("scheme=sr25519,seed=faulty-offline,class=1,{for_bob}")],
		)?;
		let registered =
			register_device(&api, &bob, &online.devices[0].endpoint, 100 * DPN).await?;
		online.stop();
		assert_eq!(registered.device, offline.id);
		let prompt = Simulator::spawn(
			rpc_port,
			&[&format!("scheme=ed25519,seed=faulty-slow,class=1,{for_bob}")],
		)?;
		let registered =
			register_device(&api, &bob, &prompt.devices[0].endpoint, 100 * DPN).await?;
		prompt.stop();
		assert_eq!(registered.device, slow.id);
		register_device(&api, &bob, &garbage.endpoint, 100 * DPN).await
	};
	// Three owners register at once (one account's transactions would wait for each other).
	let (_, forged, equivocating) = tokio::try_join!(
		register_offline,
		register_device(&api, &dave, &forger.endpoint, 10 * DPN),
		register_device(&api, &eve, &equivocator.endpoint, 100 * DPN),
	)?;
	assert_eq!((forged.device, equivocating.device), (forger.id, equivocator.id));
	let registered_at = owner::number(&api, "Proofs", "CurrentEpoch").await?;
	log_line(&format!("all five devices registered and bonded by epoch {registered_at}"));

	// Watch finalized blocks: only the equivocator's heartbeats are accepted. Once one is,
	// it has signed a second one for that epoch: Charlie reports it.
	let faulty: BTreeSet<[u8; 32]> = [offline.id, garbage.id, forger.id, slow.id].into();
	let mut pending_slash = None;
	let (mut first_block, mut last_block) = (None, 0);
	let watching = Instant::now();
	let watch = async {
		let mut blocks = api.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let block = block?;
			first_block.get_or_insert(block.number());
			last_block = block.number();
			let events = block.at().await?.events().fetch().await?;
			for event in events.iter().filter_map(Result::ok) {
				if (event.pallet_name(), event.event_name()) != ("Proofs", "HeartbeatAccepted") {
					continue;
				}
				let (device, epoch) = <([u8; 32], u32)>::decode(&mut event.field_bytes())?;
				if faulty.contains(&device) {
					bail!("#{}: a faulty device's heartbeat was accepted", block.number());
				}
				if device == equivocator.id && pending_slash.is_none() {
					log_line(&format!("#{}: the equivocator proved epoch {epoch}", block.number()));
					pending_slash = Some(report_equivocation(&api, &charlie, equivocator).await?);
				}
			}
			// Enough epochs for every device to have been polled at least twice.
			let epoch = owner::number(&api, "Proofs", "CurrentEpoch").await?;
			if pending_slash.is_some() && epoch >= registered_at + 3 {
				return Ok::<(), anyhow::Error>(());
			}
		}
		bail!("the finalized block stream ended")
	};
	tokio::time::timeout(Duration::from_secs(240), watch)
		.await
		.map_err(|_| anyhow!("timed out at #{last_block}\n{}", node.log_tail(60)))??;
	let (slash_id, apply_at) = pending_slash.ok_or_else(|| anyhow!("nothing reported"))?;

	// The forged heartbeat never reached the pool from the worker; submitted directly, the
	// pool refuses it.
	forged_heartbeat_is_refused(&node, &api, forger).await?;

	// What the operator sees: each failing device logged with its reason, and counted.
	let log = node.log();
	for (device, reason) in [
		(offline, "NoAnswer"),
		(garbage, "Garbage"),
		(forger, "Refused(BadSignature)"),
		(slow, "Timeout"),
	] {
		let line = format!("device at {}: epoch", device.endpoint);
		let logged = log.lines().find(|l| l.contains(&line) && l.contains(reason));
		log_line(logged.ok_or_else(|| anyhow!("no {reason:?} logged for {}", device.endpoint))?);
	}
	let metrics = node.metrics().await?;
	for device in [offline, garbage, forger, slow] {
		// substrate_depin_device_failed{chain="dev",endpoint="http://…"} 3
		let label = format!("endpoint=\"{}\"", device.endpoint);
		let line = metrics
			.lines()
			.find(|l| l.contains("depin_device_failed{") && l.contains(&label))
			.ok_or_else(|| anyhow!("no depin_device_failed for {label} in\n{metrics}"))?;
		log_line(line);
		assert!(!line.ends_with(" 0"), "{line}");
	}
	// Blocks went on all along: one per 6-second slot (a finality lag of two blocks allowed).
	let finalized = last_block - first_block.unwrap_or(last_block);
	let slots = watching.elapsed().as_secs() / 6;
	log_line(&format!("{finalized} blocks finalized in {slots} slots, four devices failing"));
	assert!(finalized + 3 >= slots, "{finalized} blocks finalized in {slots} slots");

	// The slash waits for its deferral: too early, it is refused; then Ferdie applies it and
	// Charlie, the reporter, gets his share.
	let too_early = apply_slash(&api, &ferdie, slash_id).await;
	let refusal = format!("{:#}", too_early.err().ok_or_else(|| anyhow!("applied too early"))?);
	assert!(refusal.contains("SlashNotDue"), "{refusal}");
	let due = async {
		while owner::number(&api, "Proofs", "CurrentEpoch").await? < u128::from(apply_at) {
			tokio::time::sleep(Duration::from_secs(3)).await;
		}
		Ok::<(), anyhow::Error>(())
	};
	tokio::time::timeout(Duration::from_secs(200), due)
		.await
		.map_err(|_| anyhow!("epoch {apply_at} not reached\n{}", node.log_tail(30)))??;
	let before = free_balance(&api, charlie.public_key().0).await?;
	let events = apply_slash(&api, &ferdie, slash_id).await?;
	// Slashed { slash_id: u32, device: H256, amount: u128, reporter_reward: u128 }
	let (slashed_id, device, amount, reporter_reward) = <(u32, [u8; 32], u128, u128)>::decode(
		&mut event_fields(&events, "DeviceStaking", "Slashed")?,
	)?;
	assert_eq!((slashed_id, device), (slash_id, equivocator.id));
	assert!(amount > 0 && reporter_reward > 0 && reporter_reward < amount);
	assert_eq!(free_balance(&api, charlie.public_key().0).await? - before, reporter_reward);
	log_line(&format!("slashed {amount} planck, {reporter_reward} to the reporter"));

	node.shutdown()?;
	Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn depin_rpc_answers_every_method_and_refuses_bad_input_clearly() -> Result<()> {
	let node = Node::spawn(NodeConfig { name: "rpc".into(), ..NodeConfig::dev() })?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;
	let rpc = node.rpc(Duration::from_secs(10)).await?;

	// Every method is served.
	let methods = depin(&rpc, "rpc_methods", rpc_params![]).await?;
	for method in [
		"depin_device",
		"depin_devicesByOwner",
		"depin_pendingRewards",
		"depin_epoch",
		"depin_challenge",
		"depin_networkStats",
		"depin_classes",
	] {
		assert!(methods["methods"].as_array().is_some_and(|m| m.contains(&json!(method))));
	}

	// Well-formed questions about nothing: null or empty.
	let unknown = to_hex(&[0xab; 32]);
	for method in ["depin_device", "depin_pendingRewards", "depin_challenge"] {
		assert_eq!(depin(&rpc, method, rpc_params![&unknown]).await?, serde_json::Value::Null);
	}
	let alice = AccountId32(dev::alice().public_key().0).to_string();
	assert_eq!(depin(&rpc, "depin_devicesByOwner", rpc_params![&alice]).await?, json!([]));
	let alice_hex = to_hex(&dev::alice().public_key().0);
	assert_eq!(depin(&rpc, "depin_devicesByOwner", rpc_params![&alice_hex]).await?, json!([]));

	// The epoch, at the best block and at genesis.
	let epoch = depin(&rpc, "depin_epoch", rpc_params![]).await?;
	assert_eq!((&epoch["length"], &epoch["duration"]), (&json!(10), &json!(60_000)), "{epoch}");
	// Epoch e starts at genesisTime + e × duration: what a device's clock computes.
	let (genesis_time, start) = (epoch["genesisTime"].as_u64(), epoch["startTime"].as_u64());
	let index = epoch["index"].as_u64().ok_or_else(|| anyhow!("no index: {epoch}"))?;
	assert!(genesis_time.is_some_and(|t| t > 0), "{epoch}");
	assert_eq!(start, genesis_time.map(|t| t + index * 60_000), "{epoch}");
	let genesis = api.genesis_hash();
	let first = depin(&rpc, "depin_epoch", rpc_params![genesis]).await?;
	assert_eq!((&first["index"], &first["startBlock"]), (&json!(0), &json!(0)), "{first}");
	assert_eq!(first["genesisTime"], serde_json::Value::Null, "no time before block 1: {first}");

	// The class table and the statistics of an empty network, against the chain's storage.
	let classes = depin(&rpc, "depin_classes", rpc_params![]).await?;
	let names: Vec<&str> =
		classes.as_array().into_iter().flatten().filter_map(|c| c["name"].as_str()).collect();
	assert_eq!(names, ["hotspot", "sensor", "storage", "secure-sensor"]);
	assert_eq!(classes[3]["attestationRequired"], json!(true));
	assert_eq!(classes[0]["telemetry"][0]["max"], json!(i64::MAX.to_string()), "i64 as a string");
	assert_eq!(classes[2]["minStake"], (500 * DPN).to_string());
	assert_eq!(
		(&classes[2]["owesStorage"], &classes[0]["owesStorage"]),
		(&json!(true), &json!(false))
	);
	let at = api.at_current_block().await?;
	let issuance = at
		.storage()
		.fetch(dynamic::storage::<(), Value>("Balances", "TotalIssuance"), ())
		.await?
		.decode()?
		.as_u128()
		.ok_or_else(|| anyhow!("TotalIssuance is not a number"))?;
	let stats = depin(&rpc, "depin_networkStats", rpc_params![at.block_hash()]).await?;
	assert_eq!(stats["totalIssuance"], issuance.to_string(), "{stats}");
	assert_eq!((&stats["devices"]["total"], &stats["totalBonded"]), (&json!(0), &json!("0")));

	// Malformed input: invalid params (-32602) naming what was expected.
	for (method, bad) in [
		("depin_device", "0x1234"),
		("depin_pendingRewards", "not hex"),
		("depin_challenge", "abababababababababababababababababababababababababababababababab"),
	] {
		let (code, message) = depin_error(&rpc, method, rpc_params![bad]).await?;
		assert_eq!(code, -32602, "{method}({bad})");
		assert!(message.contains("0x followed by 64 hex digits"), "{message}");
	}
	let (code, message) = depin_error(&rpc, "depin_devicesByOwner", rpc_params!["alice"]).await?;
	assert!(code == -32602 && message.contains("SS58"), "{code} {message}");
	let (code, _) = depin_error(&rpc, "depin_epoch", rpc_params!["0x12"]).await?;
	assert_eq!(code, -32602, "a malformed block hash");
	let (code, _) = depin_error(&rpc, "depin_device", rpc_params![]).await?;
	assert_eq!(code, -32602, "a missing device id");
	// An unknown block: its own code and message.
	let nowhere = to_hex(&[0x01; 32]);
	let (code, message) = depin_error(&rpc, "depin_epoch", rpc_params![&nowhere]).await?;
	assert!(code == depin_rpc::UNKNOWN_BLOCK && message.contains("unknown block"), "{message}");

	// Metadata v15+ lists the runtime API, and documents every call, event and error of our
	// pallets (wallets show the docs).
	let at = api.at_current_block().await?;
	let metadata = at.metadata_ref();
	let runtime_api = metadata
		.runtime_api_trait_by_name("DepinApi")
		.ok_or_else(|| anyhow!("DepinApi is not in the metadata"))?;
	let methods: BTreeSet<&str> = runtime_api.methods().map(|m| m.name()).collect();
	assert_eq!(methods.len(), 8, "{methods:?}");
	assert!(methods.contains("epoch_clock"), "version 2 of the API: {methods:?}");
	for pallet in ["Validators", "Devices", "DeviceStaking", "Proofs", "Rewards"] {
		let pallet = metadata.pallet_by_name(pallet).ok_or_else(|| anyhow!("no {pallet}"))?;
		let variants = [pallet.call_variants(), pallet.event_variants(), pallet.error_variants()];
		for variant in variants.into_iter().flatten().flatten() {
			assert!(!variant.docs.is_empty(), "{}::{} has no docs", pallet.name(), variant.name);
		}
	}

	node.shutdown()?;
	Ok(())
}

/// The TypeScript client directory (`zombienet/ts-client`).
fn ts_client_dir() -> std::path::PathBuf {
	std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ts-client")
}

/// Runs `command`; what it printed (standard output, then standard error), or an error with
/// it if the command fails.
fn run(command: &mut std::process::Command) -> Result<String> {
	let output = command.output().with_context(|| format!("{command:?}"))?;
	let text = format!(
		"{}{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	if !output.status.success() {
		bail!("{command:?} failed ({}):\n{text}", output.status);
	}
	Ok(text)
}

#[tokio::test(flavor = "multi_thread")]
async fn polkadot_js_walks_the_device_owners_journey() -> Result<()> {
	// The client library comes from the npm registry, at the versions package-lock.json pins.
	let dir = ts_client_dir();
	if !dir.join("node_modules/.package-lock.json").exists() {
		run(std::process::Command::new("npm")
			.args(["ci", "--no-audit", "--no-fund"])
			.current_dir(&dir))?;
		log_line("npm ci: @polkadot/api installed");
	}
	let rpc_port = free_port()?;
	let for_dave = owned_by(&dev::dave().public_key().0);
	let sim = Simulator::spawn(
		rpc_port,
		&[&format!("scheme=sr25519,seed=ts-sensor,class=2,{for_dave}")],
	)?;
	let config =
		NodeConfig { name: "polkadot-js".into(), rpc_port: Some(rpc_port), ..NodeConfig::dev() };
	let node = node_with(config, &sim.devices)?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;

	// Killed if the timeout drops it, so a stuck journey leaves no client behind.
	let journey = tokio::process::Command::new("npx")
		.args(["tsx", "journey.ts"])
		.env("DEPIN_WS", node.ws_url())
		.env("DEPIN_DEVICE", &sim.devices[0].endpoint)
		.current_dir(&dir)
		.kill_on_drop(true)
		.output();
	let result = tokio::time::timeout(Duration::from_secs(420), journey)
		.await
		.map_err(|_| anyhow!("the journey took more than 420 s\n{}", node.log_tail(40)))??;
	let output = format!(
		"{}{}",
		String::from_utf8_lossy(&result.stdout),
		String::from_utf8_lossy(&result.stderr)
	);
	if !result.status.success() {
		bail!("journey.ts failed ({}):\n{output}", result.status);
	}
	for line in output.lines().filter(|l| l.starts_with("[ts-client]")) {
		log_line(line);
	}
	assert!(output.contains("[ts-client] journey complete"), "{output}");
	node.shutdown()?;
	Ok(())
}
