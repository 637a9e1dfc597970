//! Hardware attached to a node, end to end, with real binaries: `depin-device-sim` serves a
//! hotspot and a storage box over HTTP, `depin-node --dev --device-endpoint …` polls them with
//! its off-chain worker. Bob registers (with the devices' proofs of possession), bonds and
//! commits the box's data set over JSON-RPC with subxt; the test then sees both devices'
//! proofs accepted on chain, the epoch close, and Charlie's claim paying Bob exactly what the
//! chain says it paid.

use anyhow::{anyhow, bail, Context, Result};
use depin_harness::{device_sim_binary, log_line, Client, Node, NodeConfig};
use depin_primitives::protocol::{to_hex, PossessionRequest, PossessionResponse, POSSESSION_PATH};
use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, Request};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use std::{
	collections::BTreeSet,
	io::{BufRead, BufReader},
	process::{Child, Command, Stdio},
	time::Duration,
};
use subxt::{
	dynamic::{self, Value},
	ext::scale_value::At,
};
use subxt_signer::sr25519::{dev, Keypair};

/// One DPN.
const DPN: u128 = 1_000_000_000_000;

/// What the simulator printed about one device.
struct SimDevice {
	endpoint: String,
	id: [u8; 32],
	key: Vec<u8>,
	scheme: String,
	class: u16,
	storage: Option<([u8; 32], u64)>,
}

/// The simulator process; killed when dropped.
struct Simulator {
	child: Child,
	devices: Vec<SimDevice>,
}

impl Drop for Simulator {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn bytes32(value: &serde_json::Value) -> Result<[u8; 32]> {
	let text = value.as_str().ok_or_else(|| anyhow!("{value} is not a string"))?;
	depin_primitives::protocol::from_hex_array(text).ok_or_else(|| anyhow!("{text}: not 32 bytes"))
}

/// Starts the simulator on a free port and reads the line it prints per device.
fn simulator(devices: &[&str]) -> Result<Simulator> {
	let mut command = Command::new(device_sim_binary()?);
	command.args(["serve", "--listen", "127.0.0.1:0"]);
	for device in devices {
		command.args(["--device", device]);
	}
	let mut child = command.stdout(Stdio::piped()).spawn().context("starting the simulator")?;
	let stdout = child.stdout.take().ok_or_else(|| anyhow!("no simulator stdout"))?;
	let mut lines = BufReader::new(stdout).lines();
	let mut parsed = Vec::new();
	for _ in devices {
		let line = lines.next().ok_or_else(|| anyhow!("the simulator printed too little"))??;
		let info: serde_json::Value = serde_json::from_str(&line)?;
		let storage = match (info["storage_root"].as_str(), info["leaf_count"].as_u64()) {
			(Some(_), Some(count)) => Some((bytes32(&info["storage_root"])?, count)),
			_ => None,
		};
		parsed.push(SimDevice {
			endpoint: info["endpoint"].as_str().unwrap_or_default().to_owned(),
			id: bytes32(&info["id"])?,
			key: depin_primitives::protocol::from_hex(info["key"].as_str().unwrap_or_default())
				.ok_or_else(|| anyhow!("bad key in {line}"))?,
			scheme: info["scheme"].as_str().unwrap_or_default().to_owned(),
			class: u16::try_from(info["class"].as_u64().unwrap_or_default())?,
			storage,
		});
	}
	Ok(Simulator { child, devices: parsed })
}

/// The device's proof of possession of its key, for `owner`, over real HTTP.
async fn proof_of_possession(
	device: &SimDevice,
	genesis: &[u8],
	owner: &[u8; 32],
) -> Result<Vec<u8>> {
	let request = PossessionRequest { genesis_hash: to_hex(genesis), owner: to_hex(owner) };
	let http = HttpClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let response = http
		.request(
			Request::post(format!("{}{POSSESSION_PATH}", device.endpoint))
				.header("content-type", "application/json")
				.body(Full::new(Bytes::from(serde_json::to_vec(&request)?)))?,
		)
		.await?;
	let body = response.into_body().collect().await?.to_bytes();
	let answer: PossessionResponse = serde_json::from_slice(&body)?;
	depin_primitives::protocol::from_hex(&answer.signature)
		.ok_or_else(|| anyhow!("bad signature hex"))
}

/// An enum value of the runtime's `DeviceKey` / `DeviceSignature` for `scheme`.
fn scheme_variant(scheme: &str, bytes: &[u8]) -> Result<Value> {
	let variant = match scheme {
		"ed25519" => "Ed25519",
		"sr25519" => "Sr25519",
		"ecdsa" => "Ecdsa",
		"p256" => "P256",
		other => bail!("unknown scheme {other}"),
	};
	Ok(Value::unnamed_variant(variant, [Value::from_bytes(bytes)]))
}

/// Submits `call` signed by `signer` and waits until it is finalized and succeeded; its events.
async fn submit(
	api: &Client,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	fields: Vec<Value>,
) -> Result<Vec<(String, String, Vec<u8>)>> {
	let tx = dynamic::transaction(pallet, call, fields);
	let events = tokio::time::timeout(Duration::from_secs(120), async {
		api.at_current_block()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(&tx, signer)
			.await?
			.wait_for_finalized_success()
			.await
			.map_err(anyhow::Error::from)
	})
	.await
	.with_context(|| format!("{pallet}.{call} was not finalized within 120 s"))??;
	log_line(&format!("{pallet}.{call} finalized"));
	Ok(events
		.iter()
		.filter_map(Result::ok)
		.map(|e| (e.pallet_name().to_owned(), e.event_name().to_owned(), e.field_bytes().to_vec()))
		.collect())
}

/// Free balance of `account` at the latest finalized block.
async fn free_balance(api: &Client, account: [u8; 32]) -> Result<u128> {
	let address = dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let info =
		api.at_current_block().await?.storage().fetch(address, (account,)).await?.decode()?;
	info.at("data")
		.and_then(|data| data.at("free"))
		.and_then(|free| free.as_u128())
		.ok_or_else(|| anyhow!("System.Account has no data.free: {info}"))
}

/// What `device` can claim now, from the chain's records: Σ over closed epochs of
/// `⌊pool × device points / epoch points⌋`.
async fn owed(api: &Client, device: [u8; 32]) -> Result<u128> {
	let at = api.at_current_block().await?;
	let current = at
		.storage()
		.fetch(dynamic::storage::<(), Value>("Proofs", "CurrentEpoch"), ())
		.await?
		.decode()?
		.as_u128()
		.ok_or_else(|| anyhow!("CurrentEpoch is not a number"))?;
	let mut owed = 0;
	for epoch in 0..u32::try_from(current)? {
		let points = at
			.storage()
			.try_fetch(
				dynamic::storage::<([u8; 32], u32), Value>("Rewards", "DevicePoints"),
				(device, epoch),
			)
			.await?;
		let pool = at
			.storage()
			.try_fetch(dynamic::storage::<(u32,), Value>("Rewards", "EpochPools"), (epoch,))
			.await?;
		let (Some(points), Some(pool)) = (points, pool) else { continue };
		let (points, pool) = (points.decode()?, pool.decode()?);
		let number =
			|v: Option<&Value>| v.and_then(|v| v.as_u128()).ok_or_else(|| anyhow!("{pool}"));
		let share = number(pool.at("pool"))? * number(Some(&points))? / number(pool.at("points"))?;
		log_line(&format!(
			"epoch {epoch}: {points} of {} points: {share}",
			number(pool.at("points"))?
		));
		owed += share;
	}
	Ok(owed)
}

#[tokio::test(flavor = "multi_thread")]
async fn attached_devices_prove_work_and_their_owner_claims_the_rewards() -> Result<()> {
	let sim = simulator(&[
		"scheme=sr25519,seed=e2e-hotspot,class=1",
		"scheme=ed25519,seed=e2e-box,class=3,storage=32",
	])?;
	let (hotspot, storage_box) = (&sim.devices[0], &sim.devices[1]);
	let node = Node::spawn(NodeConfig::dev().with_args([
		"--device-endpoint",
		hotspot.endpoint.as_str(),
		"--device-endpoint",
		storage_box.endpoint.as_str(),
	]))?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;
	let genesis = api.genesis_hash();

	// Bob registers and bonds both devices, and commits the box's data set.
	let (bob, charlie) = (dev::bob(), dev::charlie());
	let owner: [u8; 32] = bob.public_key().0;
	for (device, stake) in [(hotspot, 100 * DPN), (storage_box, 500 * DPN)] {
		let proof = proof_of_possession(device, genesis.as_ref(), &owner).await?;
		submit(
			&api,
			&bob,
			"Devices",
			"register_device",
			vec![
				scheme_variant(&device.scheme, &device.key)?,
				Value::u128(device.class.into()),
				Value::unnamed_variant("None", []),
				Value::from_bytes(Vec::<u8>::new()),
				scheme_variant(&device.scheme, &proof)?,
			],
		)
		.await?;
		submit(
			&api,
			&bob,
			"DeviceStaking",
			"bond",
			vec![Value::from_bytes(device.id), Value::u128(stake)],
		)
		.await?;
	}
	let (root, chunks) = storage_box.storage.ok_or_else(|| anyhow!("the box stores nothing"))?;
	submit(
		&api,
		&bob,
		"Proofs",
		"commit_storage",
		vec![
			Value::from_bytes(storage_box.id),
			Value::from_bytes(root),
			Value::u128(chunks.into()),
		],
	)
	.await?;

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
						let device: [u8; 32] = fields[..32].try_into()?;
						let epoch = u32::from_le_bytes(fields[32..36].try_into()?);
						if wanted.remove(&(name.to_owned(), device)) {
							log_line(&format!("#{}: {name} in epoch {epoch}", block.number()));
							proven_epoch = Some(proven_epoch.unwrap_or(epoch).max(epoch));
						}
					},
					("Rewards", "EpochClosed") => {
						let epoch = u32::from_le_bytes(fields[..4].try_into()?);
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
	let expected = owed(&api, hotspot.id).await?;
	log_line(&format!("the hotspot is owed {expected} planck"));

	// Charlie claims for Bob's hotspot: Bob is paid exactly the claimed amount.
	let before = free_balance(&api, owner).await?;
	let events =
		submit(&api, &charlie, "Rewards", "claim_rewards", vec![Value::from_bytes(hotspot.id)])
			.await?;
	let claimed = events
		.iter()
		.find(|(pallet, name, _)| pallet == "Rewards" && name == "RewardsClaimed")
		.map(|(_, _, fields)| {
			// RewardsClaimed { device: H256, owner: AccountId32, amount: u128, epochs: u32 }
			let epochs =
				fields.get(80..84).map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()));
			log_line(&format!("the claim covered {epochs:?} epoch(s)"));
			u128::from_le_bytes(fields[64..80].try_into().unwrap_or_default())
		})
		.ok_or_else(|| anyhow!("no Rewards.RewardsClaimed in {events:?}"))?;
	assert_eq!(claimed, expected, "Σ pool × the hotspot's points / the epoch's points");
	assert_eq!(free_balance(&api, owner).await? - before, claimed);
	log_line(&format!("Bob was paid {claimed} planck"));
	for line in node.log().lines().filter(|l| l.contains("device at")) {
		log_line(line);
	}

	node.shutdown()?;
	Ok(())
}
