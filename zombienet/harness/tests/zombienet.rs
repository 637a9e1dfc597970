//! Multi-node networks for real: zombienet (zombienet-sdk, native provider) spawns the
//! networks of `zombienet/local.toml` (four validators) and `zombienet/depin.toml` (four
//! validators, two device nodes, two device simulators) from the workspace's binaries, and
//! each test drives one over JSON-RPC, kills and restarts nodes with SIGKILL, and asserts with
//! timeouts. A network's processes are killed when the test ends, passing or not (zombienet
//! spawns them with kill-on-drop; the tests also destroy the network on success).
//!
//! `make test` runs the smoke test; `make zombienet` runs all of them, one at a time (the
//! DePIN network's simulators listen on fixed ports, and six nodes share two cores).

use anyhow::{anyhow, bail, ensure, Context, Result};
use depin_harness::{
	log_line,
	network::{
		self, babe_author, best, block_hash, client, ensure_same_finalized_chain, finalized, kill,
		rpc, wait_finalized, AddNodeOptions, Network, NetworkNode,
	},
	owner::{self, claim_rewards, register_device, submit_call, ChainEvent, DPN},
	Client,
};
use depin_primitives::protocol::to_hex;
use std::{
	collections::{BTreeMap, BTreeSet},
	time::{Duration, Instant},
};
use subxt::{
	dynamic::Value,
	ext::codec::Decode,
	rpcs::{rpc_params, RpcClient},
	utils::H256,
};
use subxt_signer::sr25519::{dev, Keypair};

/// Proof epochs and sessions of the `local` chain, in blocks.
const EPOCH: u64 = 10;
/// Longest wait for anything that needs a few blocks.
const MINUTES_2: Duration = Duration::from_secs(120);

/// Each of `nodes` has finalized block `number`; returns the lowest finalized head among them.
async fn all_finalize(nodes: &[&NetworkNode], number: u64) -> Result<u64> {
	let mut lowest = u64::MAX;
	for node in nodes {
		let (head, _) = wait_finalized(node, number, Duration::from_secs(240)).await?;
		log_line(&format!("{} finalized #{head}", node.name()));
		lowest = lowest.min(head);
	}
	Ok(lowest)
}

/// The named nodes of `network`.
fn nodes<'a>(network: &'a Network, names: &[&str]) -> Result<Vec<&'a NetworkNode>> {
	names.iter().map(|name| network.get_node(*name).map_err(|e| anyhow!("{e}"))).collect()
}

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// Spawns the network `name` and waits until each of its validators has finalized `number`.
async fn spawn_finalizing(name: &str, number: u64) -> Result<Network> {
	let network = network::spawn(name).await?;
	all_finalize(&nodes(&network, &VALIDATORS)?, number).await?;
	Ok(network)
}

/// Alice's subxt client and raw JSON-RPC client: the validator's RPC the tests read from.
async fn alice_clients(network: &Network) -> Result<(Client, RpcClient)> {
	let alice = network.get_node("alice")?;
	Ok((client(alice).await?, rpc(alice, MINUTES_2).await?))
}

#[tokio::test(flavor = "multi_thread")]
async fn smoke_four_validators_produce_and_finalize_the_same_chain() -> Result<()> {
	let network = network::spawn("local").await?;
	let validators = nodes(&network, &VALIDATORS)?;
	let head = all_finalize(&validators, 3).await?;
	ensure_same_finalized_chain(&validators, 1, head).await?;
	// Each validator is connected to the three others.
	for node in &validators {
		let health: serde_json::Value =
			rpc(node, MINUTES_2).await?.request("system_health", rpc_params![]).await?;
		ensure!(health["peers"].as_u64() >= Some(3), "{}: {health}", node.name());
	}
	network.destroy().await?;
	Ok(())
}

/// Finalized heads of `rpc`, sampled: (number, hash) each time it moved.
#[derive(Default)]
struct FinalityLog(BTreeMap<u64, H256>);

impl FinalityLog {
	/// Records the node's finalized head; fails if a height was finalized with two blocks.
	async fn sample(&mut self, rpc: &RpcClient) -> Result<u64> {
		let (number, hash) = finalized(rpc).await?;
		if let Some(earlier) = self.0.insert(number, hash) {
			ensure!(earlier == hash, "#{number} finalized as {earlier:?} and as {hash:?}");
		}
		Ok(number)
	}

	/// Checks every sampled head against the node's finalized chain now.
	async fn ensure_consistent(&self, rpc: &RpcClient) -> Result<()> {
		for (number, hash) in &self.0 {
			let now = block_hash(rpc, *number).await?;
			ensure!(now == Some(*hash), "#{number} was finalized as {hash:?}, now {now:?}");
		}
		Ok(())
	}
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node fault test: run by `make zombienet`"]
async fn one_validator_killed_finality_goes_on_and_it_catches_up_when_restarted() -> Result<()> {
	let network = spawn_finalizing("local", 2).await?;
	let validators = nodes(&network, &VALIDATORS)?;
	let (alice, dave) = (validators[0], validators[3]);
	let alice_rpc = rpc(alice, MINUTES_2).await?;

	kill(dave).await?;
	let killed_at = finalized(&alice_rpc).await?.0;
	// Three of four voters are more than two thirds: blocks and finality go on.
	let (head, _) = wait_finalized(alice, killed_at + 5, MINUTES_2).await?;
	log_line(&format!("without dave: finalized #{killed_at} → #{head}"));
	// Dave stays down a minute in all, so that he has ten or more blocks to catch up.
	tokio::time::sleep(Duration::from_secs(30)).await;

	dave.restart(None).await?;
	let restarted = Instant::now();
	let (target, _) = finalized(&alice_rpc).await?;
	let (caught_up, _) = wait_finalized(dave, target, MINUTES_2).await?;
	let took = restarted.elapsed();
	log_line(&format!(
		"dave restarted: finalized #{caught_up} (network at #{target} on restart) in {:.1} s",
		took.as_secs_f64()
	));
	// Measured 4.0 s here for nine blocks behind (start-up, peering, sync, GRANDPA
	// justification; docs/operating-a-validator.md); the bound leaves room for a loaded machine.
	ensure!(took <= Duration::from_secs(60), "dave took {took:?} to catch up");
	let head = all_finalize(&validators, target + 2).await?;
	ensure_same_finalized_chain(&validators, 1, head).await?;
	network.destroy().await?;
	Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node fault test: run by `make zombienet`"]
async fn two_validators_killed_finality_stalls_and_resumes_when_one_returns() -> Result<()> {
	let network = spawn_finalizing("local", 2).await?;
	let validators = nodes(&network, &VALIDATORS)?;
	let (alice, charlie, dave) = (validators[0], validators[2], validators[3]);
	let alice_rpc = rpc(alice, MINUTES_2).await?;
	let mut log = FinalityLog::default();
	log.sample(&alice_rpc).await?;

	kill(charlie).await?;
	kill(dave).await?;
	// Votes already cast may still finalize a block or two; then nothing, for 5 slots and
	// more, while Alice and Bob go on authoring: two of four voters are not more than 2/3.
	tokio::time::sleep(Duration::from_secs(12)).await;
	let stalled_at = log.sample(&alice_rpc).await?;
	let best_then = best(&alice_rpc).await?;
	for _ in 0..36 {
		tokio::time::sleep(Duration::from_secs(1)).await;
		let now = log.sample(&alice_rpc).await?;
		ensure!(now == stalled_at, "finalized #{now} with two of four voters down");
	}
	let best_now = best(&alice_rpc).await?;
	log_line(&format!(
		"two down: finality stalled at #{stalled_at} for 36 s; best #{best_then} → #{best_now}"
	));
	ensure!(best_now > best_then, "no block authored while finality stalled");

	// Charlie returns: three voters again, finality resumes past the blocks built meanwhile.
	charlie.restart(None).await?;
	let resumed = Instant::now();
	let deadline = resumed + Duration::from_secs(180);
	while log.sample(&alice_rpc).await? < best_now {
		ensure!(Instant::now() < deadline, "finality did not resume within 180 s");
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	log_line(&format!(
		"charlie back: finalized past #{best_now} in {:.1} s",
		resumed.elapsed().as_secs_f64()
	));
	// No height was finalized with two different blocks, on any running node.
	log.ensure_consistent(&alice_rpc).await?;
	let running = [validators[0], validators[1], charlie];
	let head = all_finalize(&running, best_now).await?;
	ensure_same_finalized_chain(&running, 1, head).await?;
	for node in running {
		log.ensure_consistent(&rpc(node, MINUTES_2).await?).await?;
	}
	network.destroy().await?;
	Ok(())
}

/// The `--device-endpoint` values of a device node.
fn endpoints_of(node: &NetworkNode) -> Vec<String> {
	network::flag_values(&node.args(), "--device-endpoint").into_iter().map(str::to_owned).collect()
}

/// A device of the DePIN network, registered and bonded.
struct Device {
	id: [u8; 32],
	endpoint: String,
	owner: Keypair,
}

/// Registers and bonds (100 DPN) every device attached to `device_nodes`, one owner per
/// device, all at once, through `api`. The owners are the funded stash accounts of the dev
/// keyring: no validator (a validator's balance also moves by its block rewards).
async fn register_all(api: &Client, device_nodes: &[&NetworkNode]) -> Result<Vec<Device>> {
	let endpoints: Vec<String> = device_nodes.iter().flat_map(|n| endpoints_of(n)).collect();
	let owners = ["Alice", "Bob", "Charlie", "Dave"]
		.map(|who| format!("//{who}//stash").parse().map(|uri| Keypair::from_uri(&uri)));
	let owners = owners
		.into_iter()
		.map(|key| key.map_err(|e| anyhow!("{e:?}"))?.map_err(|e| anyhow!("{e:?}")))
		.collect::<Result<Vec<Keypair>>>()?;
	ensure!(endpoints.len() == owners.len(), "endpoints: {endpoints:?}");
	let mut registrations = tokio::task::JoinSet::new();
	for (endpoint, owner) in endpoints.into_iter().zip(owners) {
		let api = api.clone();
		registrations.spawn(async move {
			let registered = register_device(&api, &owner, &endpoint, 100 * DPN).await?;
			log_line(&format!("{endpoint}: device {}", to_hex(&registered.device)));
			Ok::<_, anyhow::Error>(Device { id: registered.device, endpoint, owner })
		});
	}
	let mut devices = registrations.join_all().await.into_iter().collect::<Result<Vec<_>>>()?;
	// In the order of the definition: devices-1's two, then devices-2's.
	devices.sort_by_key(|d| d.endpoint.clone());
	Ok(devices)
}

/// The events of each finalized block `api` sees, handed to `check` until it returns true.
async fn watch(
	api: &Client,
	timeout: Duration,
	what: &str,
	mut check: impl FnMut(u64, &[ChainEvent]) -> Result<bool>,
) -> Result<()> {
	let watch = async {
		let mut blocks = api.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let block = block?;
			let events = owner::block_events(api, block.hash()).await?;
			if check(block.number(), &events)? {
				return Ok(());
			}
		}
		bail!("the finalized block stream ended")
	};
	tokio::time::timeout(timeout, watch)
		.await
		.map_err(|_| anyhow!("{what}: not seen within {timeout:?}"))?
}

/// `(device, epoch)` of a `Proofs.HeartbeatAccepted` event.
fn heartbeat(event: &ChainEvent) -> Option<([u8; 32], u32)> {
	(event.pallet == "Proofs" && event.name == "HeartbeatAccepted")
		.then(|| Decode::decode(&mut &event.fields[..]).ok())
		.flatten()
}

/// The epoch of a `Rewards.EpochClosed` event.
fn epoch_closed(event: &ChainEvent) -> Option<u32> {
	(event.pallet == "Rewards" && event.name == "EpochClosed")
		.then(|| u32::decode(&mut &event.fields[..]).ok())
		.flatten()
}

/// `depin_pendingRewards` of `device` from `rpc`: the amount, in planck.
async fn pending(rpc: &RpcClient, device: [u8; 32]) -> Result<u128> {
	let answer: serde_json::Value =
		rpc.request("depin_pendingRewards", rpc_params![to_hex(&device)]).await?;
	let amount = answer["amount"].as_str().ok_or_else(|| anyhow!("{answer}"))?;
	Ok(amount.parse()?)
}

/// Points `device` holds for `epoch` at block `at` (none if it proved nothing then, or was
/// paid for it).
async fn points(api: &Client, at: H256, device: [u8; 32], epoch: u32) -> Result<Option<u128>> {
	owner::device_points(api, at, device, epoch).await
}

/// The epochs of every heartbeat of `device` accepted in blocks 1 to `to` (as `rpc`'s node
/// has them); fails if one epoch was proven twice.
async fn heartbeats_of(
	api: &Client,
	rpc: &RpcClient,
	device: [u8; 32],
	to: H256,
) -> Result<Vec<u32>> {
	let last = api.at_block(to).await?.block_number();
	let mut epochs = Vec::new();
	for number in 1..=last {
		let hash = block_hash(rpc, number).await?.ok_or_else(|| anyhow!("no #{number}"))?;
		for event in owner::block_events(api, hash).await? {
			match heartbeat(&event) {
				Some((id, epoch)) if id == device => {
					ensure!(
						!epochs.contains(&epoch),
						"epoch {epoch} proven twice, again at #{number}"
					);
					epochs.push(epoch);
				},
				_ => {},
			}
		}
	}
	Ok(epochs)
}

/// Ferdie claims `device`'s rewards (paid to its owner) and the claim is checked against the
/// chain's records: the owner receives exactly the amount; it covers exactly the closed
/// epochs the device proved (each once); no points are left for any closed epoch.
async fn claim_and_check(api: &Client, rpc: &RpcClient, device: &Device) -> Result<owner::Claimed> {
	let owner = device.owner.public_key().0;
	let before = owner::free_balance(api, owner).await?;
	let claimed = claim_rewards(api, &dev::ferdie(), device.id).await?;
	let after = owner::free_balance(api, owner).await?;
	log_line(&format!("{}: {claimed:?}", device.endpoint));
	ensure!(claimed.amount > 0 && after - before == claimed.amount, "paid {}", after - before);
	let current = owner::number_at(api, claimed.block, "Proofs", "CurrentEpoch").await?;
	let proven = heartbeats_of(api, rpc, device.id, claimed.block).await?;
	let closed = proven.iter().filter(|e| u128::from(**e) < current).count();
	ensure!(claimed.epochs as usize == closed, "{claimed:?}, proven {proven:?}, now {current}");
	for epoch in proven.into_iter().filter(|e| u128::from(*e) < current) {
		let left = points(api, claimed.block, device.id, epoch).await?;
		ensure!(left.is_none(), "points left for epoch {epoch} after the claim");
	}
	Ok(claimed)
}

/// Waits until every device in `devices` had a heartbeat accepted in one epoch and that
/// epoch closed; returns the epoch.
async fn proven_and_closed(api: &Client, devices: &[&Device]) -> Result<u32> {
	let mut proven: BTreeMap<[u8; 32], u32> = BTreeMap::new();
	let mut closed = None;
	watch(api, Duration::from_secs(240), "every device's heartbeat, then the epoch's close", {
		let wanted: BTreeSet<[u8; 32]> = devices.iter().map(|d| d.id).collect();
		let proven = &mut proven;
		let closed = &mut closed;
		move |number, events| {
			for event in events {
				if let Some((device, epoch)) = heartbeat(event) {
					if wanted.contains(&device) {
						log_line(&format!("#{number}: {} proved epoch {epoch}", to_hex(&device)));
						proven.insert(device, epoch);
					}
				}
				if let Some(epoch) = epoch_closed(event) {
					let all = proven.len() == wanted.len();
					if all && proven.values().all(|e| *e == epoch) {
						log_line(&format!("#{number}: epoch {epoch} closed"));
						*closed = Some(epoch);
						return Ok(true);
					}
				}
			}
			Ok(false)
		}
	})
	.await?;
	closed.ok_or_else(|| anyhow!("no epoch closed"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node test of the DePIN network: run by `make zombienet`"]
async fn devices_on_device_nodes_are_paid_and_seen_from_a_validator() -> Result<()> {
	let network = spawn_finalizing("depin", 1).await?;
	let device_nodes = nodes(&network, &["devices-1", "devices-2"])?;
	let (api, alice_rpc) = alice_clients(&network).await?;

	let devices = register_all(&api, &device_nodes).await?;
	let all: Vec<&Device> = devices.iter().collect();
	let epoch = proven_and_closed(&api, &all).await?;

	// Seen from a validator's RPC: each device earned points for the epoch and has rewards
	// pending; the claim pays what was pending (and the epoch closed since, if one did).
	let at = api.at_current_block().await?.block_hash();
	for device in &devices {
		ensure!(points(&api, at, device.id, epoch).await?.is_some(), "no points in {epoch}");
		let owed = pending(&alice_rpc, device.id).await?;
		let claimed = claim_and_check(&api, &alice_rpc, device).await?;
		ensure!(owed > 0 && claimed.amount >= owed, "pending {owed}, {claimed:?}");
	}
	network.destroy().await?;
	Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node fault test of the DePIN network: run by `make zombienet`"]
async fn a_killed_device_node_costs_its_devices_the_epochs_it_misses_and_nothing_more() -> Result<()>
{
	let network = spawn_finalizing("depin", 1).await?;
	let device_nodes = nodes(&network, &["devices-1", "devices-2"])?;
	let (api, alice_rpc) = alice_clients(&network).await?;
	let devices = register_all(&api, &device_nodes).await?;
	// devices[0..2] hang off devices-1 (it stays up), devices[2..4] off devices-2.
	let (steady, orphaned) = (&devices[0], [&devices[2], &devices[3]]);
	let all: Vec<&Device> = devices.iter().collect();
	let proven = proven_and_closed(&api, &all).await?;

	// Mid-epoch `proven + 1` (its heartbeats are in: the worker submits at the epoch's start),
	// devices-2 is killed. Its devices miss the next epochs.
	watch(&api, MINUTES_2, "the orphaned devices' next heartbeats", {
		let mut left: BTreeSet<[u8; 32]> = orphaned.iter().map(|d| d.id).collect();
		move |_, events| {
			for (device, epoch) in events.iter().filter_map(heartbeat) {
				if epoch == proven + 1 {
					left.remove(&device);
				}
			}
			Ok(left.is_empty())
		}
	})
	.await?;
	kill(device_nodes[1]).await?;
	let report = |device: [u8; 32]| {
		let api = api.clone();
		async move {
			let call = vec![Value::from_bytes(device)];
			submit_call(&api, &dev::ferdie(), "Proofs", "report_unresponsive", call).await
		}
	};
	let reported = orphaned[0];

	// One epoch closes without devices-2: too soon to report (`MaxMissedEpochs` is 3).
	let missed: Vec<u32> = (proven + 2..=proven + 4).collect();
	let closes = |epoch: u32| {
		move |_: u64, events: &[ChainEvent]| {
			Ok(events.iter().any(|e| epoch_closed(e) == Some(epoch)))
		}
	};
	watch(
		&api,
		Duration::from_secs(3 * 6 * EPOCH),
		"the first missed epoch's close",
		closes(missed[0]),
	)
	.await?;
	let early = report(reported.id).await.err().map(|e| format!("{e:#}")).unwrap_or_default();
	ensure!(early.contains("NotUnresponsive"), "report after one missed epoch: {early}");

	// Three missed: the report is accepted (the device is suspended), and not twice.
	watch(
		&api,
		Duration::from_secs(3 * 6 * EPOCH),
		"the third missed epoch's close",
		closes(missed[2]),
	)
	.await?;
	let at = api.at_current_block().await?.block_hash();
	for epoch in &missed {
		for device in orphaned {
			ensure!(points(&api, at, device.id, *epoch).await?.is_none(), "points in {epoch}");
		}
		ensure!(points(&api, at, steady.id, *epoch).await?.is_some(), "steady missed {epoch}");
	}
	let events = report(reported.id).await?;
	owner::event_fields(&events, "Proofs", "DeviceUnresponsive")?;
	log_line(&format!("{} reported unresponsive by Ferdie", reported.endpoint));
	let again = report(reported.id).await.err().map(|e| format!("{e:#}")).unwrap_or_default();
	ensure!(again.contains("DeviceNotActive"), "second report: {again}");

	// devices-2 returns on the same database and off-chain storage: the device still active
	// proves again; its claim pays the epochs it proved, each once, and none it missed.
	let returned = orphaned[1];
	device_nodes[1].restart(None).await?;
	let mut back = None;
	watch(
		&api,
		Duration::from_secs(3 * 6 * EPOCH),
		"a heartbeat after the return",
		|number, events| {
			for (device, epoch) in events.iter().filter_map(heartbeat) {
				if device == returned.id {
					log_line(&format!("#{number}: back, proved epoch {epoch}"));
					back = Some(epoch);
				}
			}
			Ok(back.is_some())
		},
	)
	.await?;
	let back = back.context("the returned device's epoch")?;
	ensure!(back > proven + 4, "proved epoch {back} after missing up to {}", proven + 4);
	watch(&api, Duration::from_secs(2 * 6 * EPOCH), "the return epoch's close", closes(back))
		.await?;
	let claimed = claim_and_check(&api, &alice_rpc, returned).await?;
	let proven_epochs = heartbeats_of(&api, &alice_rpc, returned.id, claimed.block).await?;
	ensure!(
		missed.iter().all(|e| !proven_epochs.contains(e)),
		"a missed epoch was proven: {proven_epochs:?}"
	);
	network.destroy().await?;
	Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node test: run by `make zombienet`"]
async fn a_validator_added_through_governance_authors_after_the_session_change() -> Result<()> {
	let mut network = spawn_finalizing("local", 1).await?;
	network
		.add_node("eve", AddNodeOptions { is_validator: true, ..Default::default() })
		.await
		.map_err(|e| anyhow!("adding eve: {e}"))?;
	let eve_node = network.get_node("eve")?;
	let (api, alice_rpc) = alice_clients(&network).await?;
	wait_finalized(eve_node, 1, MINUTES_2).await?;

	// Eve's operator generates session keys in her node's keystore, with the proof that her
	// account owns them, and registers them; then governance (sudo) adds her.
	let eve = dev::eve();
	let eve_rpc = rpc(eve_node, MINUTES_2).await?;
	let keys = owner::set_session_keys(&api, &eve_rpc, &eve).await?;
	let babe = keys.babe;
	owner::add_validator(&api, &dev::alice(), eve.public_key().0).await?;
	let added_in = owner::number(&api, "Session", "CurrentIndex").await?;
	log_line(&format!("eve added during session {added_in}; babe key {}", to_hex(&babe)));

	// Eve's key joins BABE's authorities at the session after the next, and she authors
	// blocks from then on; never before.
	let mut first = None;
	let deadline = Instant::now() + Duration::from_secs(60 * EPOCH);
	let mut number = finalized(&alice_rpc).await?.0;
	while first.is_none() {
		ensure!(Instant::now() < deadline, "eve authored nothing by #{number}");
		let (head, _) = finalized(&alice_rpc).await?;
		while number < head {
			number += 1;
			let hash = block_hash(&alice_rpc, number).await?.context("finalized block")?;
			if babe_author(&api, &alice_rpc, hash).await? == babe {
				let session = owner::number_at(&api, hash, "Session", "CurrentIndex").await?;
				log_line(&format!("#{number}: authored by eve, session {session}"));
				ensure!(session >= added_in + 2, "eve authored in session {session}");
				first = Some(number);
				break;
			}
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	// And her block is final on every node, hers included.
	let all = nodes(&network, &["alice", "bob", "charlie", "dave", "eve"])?;
	let first = first.context("eve's block")?;
	let head = all_finalize(&all, first).await?;
	ensure_same_finalized_chain(&all, 1, head).await?;
	network.destroy().await?;
	Ok(())
}

/// The previous release's runtime (`spec_version` 100, built from commit 7479cf5), compressed
/// as the chain stores code: its owner index is one capped list per owner.
const PREVIOUS_RUNTIME: &str = "runtimes/depin_runtime-100.compressed.wasm";

/// The runtime's `spec_version` at the node's finalized head.
async fn spec_version(rpc: &RpcClient) -> Result<u64> {
	let (_, head) = finalized(rpc).await?;
	let version: serde_json::Value =
		rpc.request("state_getRuntimeVersion", rpc_params![head]).await?;
	version["specVersion"].as_u64().ok_or_else(|| anyhow!("no specVersion in {version}"))
}

/// `owner` registers a sensor whose key is derived from `seed`, with the device's proof of
/// possession signed here; returns its id.
async fn register_sensor(api: &Client, owner: &Keypair, seed: &str) -> Result<[u8; 32]> {
	use depin_primitives::{
		keys::{DevicePair, Scheme},
		signing_message, SigningDomain,
	};
	use subxt::ext::codec::Encode;
	let pair = DevicePair::from_seed(Scheme::Sr25519, seed).map_err(|e| anyhow!(e))?;
	let key = pair.public();
	let account = owner.public_key().0;
	let proof =
		pair.sign(&signing_message(SigningDomain::Register, api.genesis_hash().as_ref(), &account));
	// register_device(key, class, location: None, metadata: empty, proof)
	let args = (key, 2u16, None::<u64>, Vec::<u8>::new(), proof).encode();
	let call = owner::call_from_scale(api, "Devices", "register_device", &args).await?;
	owner::submit(api, owner, &call).await?;
	Ok(key.device_id().0)
}

/// A runtime upgrade by referendum on a running network, with a storage migration of real
/// data: the network starts on the previous release's runtime (one capped owner list per
/// owner), owners register devices, a root referendum authorizes the new runtime's code
/// (`System.authorize_upgrade`), anyone applies it (`System.apply_authorized_upgrade`), and the
/// first block of the new runtime moves every owner's list into the uncapped index
/// (`pallet_devices::migrations::MigrateToV3`); finality goes on throughout. Before the
/// referendum, `tools/try-upgrade` runs the migrations and their try-runtime checks on the
/// network's live state.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "multi-node upgrade test: run by `make zombienet`"]
async fn a_runtime_upgrade_by_referendum_migrates_the_owner_index_while_blocks_finalize(
) -> Result<()> {
	use depin_harness::governance::{referendum, Track};

	// The `local` chain's genesis, built by the previous runtime: its code in the plain spec,
	// then the raw spec the network starts from.
	let dir = tempfile::tempdir()?;
	let previous = std::fs::read(network::definitions_dir().join(PREVIOUS_RUNTIME))?;
	let plain = depin_harness::build_spec(&["--chain", "local", "--disable-default-bootnode"])?;
	let mut spec: serde_json::Value = serde_json::from_str(&plain)?;
	let code = spec
		.pointer_mut("/genesis/runtimeGenesis/code")
		.ok_or_else(|| anyhow!("no runtimeGenesis.code in the local spec"))?;
	*code = serde_json::Value::String(to_hex(&previous));
	let plain_path = dir.path().join("local-previous.json");
	std::fs::write(&plain_path, serde_json::to_string(&spec)?)?;
	let raw = depin_harness::build_spec(&[
		"--chain",
		plain_path.to_str().context("a UTF-8 path")?,
		"--raw",
		"--disable-default-bootnode",
	])?;
	let raw_path = dir.path().join("local-previous-raw.json");
	std::fs::write(&raw_path, raw)?;
	let definition = std::fs::read_to_string(network::definition("local"))?.replace(
		"chain_spec_command = \"{{DEPIN_BIN_DIR}}/depin-node build-spec --chain local --raw --disable-default-bootnode\"\nchain_spec_command_is_local = true",
		&format!("chain_spec_path = \"{}\"", raw_path.display()),
	);
	ensure!(definition.contains("chain_spec_path"), "local.toml changed: {definition}");
	let toml = dir.path().join("upgrade.toml");
	std::fs::write(&toml, definition)?;
	let network = spawn_finalizing(toml.to_str().context("a UTF-8 path")?, 2).await?;
	let validators = nodes(&network, &VALIDATORS)?;
	let (api, alice_rpc) = alice_clients(&network).await?;
	ensure!(spec_version(&alice_rpc).await? == 100, "the network starts on runtime 100");

	// Owners register devices under the previous layout: one list per owner.
	let (bob, charlie) = (dev::bob(), dev::charlie());
	let mut bobs = Vec::new();
	for i in 0..3 {
		bobs.push(register_sensor(&api, &bob, &format!("//upgrade-bob-{i}")).await?);
	}
	let charlies_device = register_sensor(&api, &charlie, "//upgrade-charlie-0").await?;
	let at = api.at_current_block().await?;
	let old_list = subxt::dynamic::storage::<([u8; 32],), Value>("Devices", "DevicesByOwner");
	let old_key = at.storage().entry(old_list.clone())?.fetch_key((bob.public_key().0,))?;
	let listed = at.storage().fetch(old_list, (bob.public_key().0,)).await?.decode()?;
	ensure!(owner::sequence(&listed).len() == 3, "Bob's list before: {listed}");
	log_line("four devices registered under runtime 100");

	// Before anyone proposes it: the new runtime's migrations and their try-runtime checks,
	// run on the live state (`tools/try-upgrade`, built by `make zombienet`).
	let tool = network::bin_dir()?.join("depin-try-upgrade");
	let output = std::process::Command::new(&tool)
		.arg(network.get_node("alice")?.ws_uri())
		.output()
		.with_context(|| format!("running {} (make zombienet builds it)", tool.display()))?;
	let printed = String::from_utf8_lossy(&output.stdout);
	ensure!(
		output.status.success(),
		"try-upgrade failed: {printed}{}",
		String::from_utf8_lossy(&output.stderr)
	);
	ensure!(printed.contains("Devices: storage version 2 -> 3"), "try-upgrade: {printed}");
	log_line(&format!("try-upgrade on the live state: {}", printed.trim().replace('\n', "; ")));

	// The new runtime's code, compressed as the chain stores it, authorized by a root
	// referendum that the dev accounts carry.
	let wasm = network::bin_dir()?.join("wbuild/depin-runtime/depin_runtime.wasm");
	let code = std::fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
	let code = sp_maybe_compressed_blob::compress_strongly(
		&code,
		sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT,
	)
	.ok_or_else(|| anyhow!("the runtime does not compress under the bomb limit"))?;
	let hash = <sp_core::Blake2Hasher as sp_core::Hasher>::hash(&code);
	let voters = [dev::alice(), dev::bob(), dev::charlie(), dev::dave(), dev::eve(), dev::ferdie()];
	let voters: Vec<&Keypair> = voters.iter().collect();
	let started = Instant::now();
	let events = referendum(
		&api,
		&voters,
		Track::Root,
		"System",
		"authorize_upgrade",
		vec![Value::from_bytes(hash.0)],
	)
	.await?;
	owner::event_fields(&events, "System", "UpgradeAuthorized")?;
	log_line(&format!(
		"upgrade authorized by referendum in {:.0} s",
		started.elapsed().as_secs_f64()
	));

	// Anyone applies it: a bare transaction whose code the authorization vouches for.
	let head_before = finalized(&alice_rpc).await?.0;
	let apply = subxt::dynamic::transaction(
		"System",
		"apply_authorized_upgrade",
		vec![Value::from_bytes(&code)],
	);
	let tx = api.at_current_block().await?.transactions().create_unsigned(&apply)?;
	let events =
		tx.submit_and_watch().await?.wait_for_finalized().await?.wait_for_success().await?;
	let events = ChainEvent::collect(events.iter())?;
	owner::event_fields(&events, "System", "CodeUpdated")?;
	log_line("the new code is applied");

	// The next block runs the new runtime and its migration; once it is final, so is the
	// migrated state.
	// (The block that stores the code already reports version 101; the block after it is the
	// first the new runtime executes.)
	let deadline = Instant::now() + MINUTES_2;
	loop {
		let (_, head) = finalized(&alice_rpc).await?;
		let raw: Option<String> =
			alice_rpc.request("state_getStorage", rpc_params![to_hex(&old_key), head]).await?;
		if raw.is_none() && spec_version(&alice_rpc).await? == 101 {
			break;
		}
		ensure!(Instant::now() < deadline, "Bob's old list is still stored: {raw:?}");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	let count = |who: [u8; 32]| {
		let api = &api;
		async move {
			let address =
				subxt::dynamic::storage::<([u8; 32],), Value>("Devices", "OwnerDeviceCount");
			let value =
				api.at_current_block().await?.storage().fetch(address, (who,)).await?.decode()?;
			value.as_u128().ok_or_else(|| anyhow!("a count is a number: {value}"))
		}
	};
	let counts = (count(bob.public_key().0).await?, count(charlie.public_key().0).await?);
	ensure!(counts == (3, 1), "Bob's and Charlie's device counts: {counts:?}");
	// The node's RPC pages the new index (runtime API version 3).
	let bob_ss58 = subxt::utils::AccountId32(bob.public_key().0).to_string();
	let page: Vec<String> = alice_rpc
		.request("depin_devicesByOwner", rpc_params![&bob_ss58, None::<String>, 2])
		.await?;
	ensure!(page.len() == 2, "a page of two: {page:?}");
	let rest: Vec<String> =
		alice_rpc.request("depin_devicesByOwner", rpc_params![&bob_ss58, page.last(), 2]).await?;
	let all: BTreeSet<String> = page.into_iter().chain(rest).collect();
	let expected: BTreeSet<String> = bobs.iter().map(|id| to_hex(id)).collect();
	ensure!(all == expected, "Bob's devices after the migration: {all:?}");
	let charlie_ss58 = subxt::utils::AccountId32(charlie.public_key().0).to_string();
	let charlies: Vec<String> =
		alice_rpc.request("depin_devicesByOwner", rpc_params![&charlie_ss58]).await?;
	ensure!(charlies == [to_hex(&charlies_device)], "Charlie's devices: {charlies:?}");
	log_line("runtime 101 migrated the owner index");

	// Finality went on through the upgrade, on every validator.
	let head = all_finalize(&validators, head_before + 5).await?;
	ensure_same_finalized_chain(&validators, 1, head).await?;
	network.destroy().await?;
	Ok(())
}
