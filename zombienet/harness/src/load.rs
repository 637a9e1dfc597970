//! Load generation and measurement, behind the `depin-load` tool: signs transactions in bulk,
//! hands them to a node over JSON-RPC (`author_submitExtrinsic`), and watches the node's blocks
//! to tell how many were included per block, how long inclusion and finality took, how much
//! block weight each used, and why the pool refused any.
//!
//! Two workloads, measured the same way on the same node:
//!
//! - **Heartbeats** of the devices of a benchmark network (`depin-node --chain
//!   bench-<N>[-<E>[-<scheme>]]`), signed with the keys of [`depin_primitives::bench`] in the
//!   network's scheme, one authorized transaction each or batches of `batch` per
//!   `Proofs.submit_heartbeats`; or forged, each signed with a key of the same scheme that is
//!   not the device's, to measure what refusing them costs the node.
//! - **Transfers** (`Balances.transfer_keep_alive` of 1 DPN to Alice) signed by the benchmark
//!   owners, the plain Substrate baseline.
//!
//! A block is *saturated* when some of the accepted load was still waiting after it: what it
//! included is what the chain can take per block, not what was offered.

use crate::{
	owner::{self, DPN},
	Client,
};
use anyhow::{anyhow, bail, Context, Result};
use depin_primitives::{
	bench, device_challenge, keys::Scheme, signing_message, Heartbeat, SigningDomain,
};
use sp_core::H256;
use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	dynamic::{self, Value},
	ext::{
		codec::{Compact, Encode},
		scale_value::At,
	},
	rpcs::{rpc_params, RpcClient},
	PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

/// What to send.
#[derive(Clone, Debug)]
pub enum Workload {
	/// Heartbeats of benchmark devices `first..first + devices`, `batch` per transaction
	/// (1: `Proofs.submit_heartbeat`, more: `Proofs.submit_heartbeats`).
	Heartbeats {
		/// The first device index.
		first: u32,
		/// How many devices.
		devices: u32,
		/// Heartbeats per transaction.
		batch: u32,
		/// Sign each with a key that is not the device's (a flood of invalid proofs, which the
		/// pool must refuse, every one, with `BadProof`).
		forged: bool,
		/// The devices' scheme: the benchmark network's.
		scheme: Scheme,
	},
	/// `transfers` balance transfers, shared among the first `senders` benchmark owners.
	Transfers {
		/// How many transfers.
		transfers: u32,
		/// How many owners send them.
		senders: u32,
	},
}

/// How to send it and how long to wait.
#[derive(Clone, Debug)]
pub struct Options {
	/// RPC requests in flight at once.
	pub concurrency: usize,
	/// For heartbeats, which expire with their epoch: if fewer blocks than this are left in
	/// the epoch in progress, wait for the next one before signing.
	pub min_blocks_left: u64,
	/// Give up waiting for inclusion and finality after this long.
	pub timeout: Duration,
	/// The node's process on this machine, if known: the report gives the CPU time it spent
	/// while the load was submitted.
	pub node_pid: Option<u32>,
}

impl Default for Options {
	fn default() -> Self {
		Self {
			concurrency: 32,
			min_blocks_left: u64::MAX,
			timeout: Duration::from_secs(600),
			node_pid: None,
		}
	}
}

/// Inherent extrinsics in every block of this chain (`Timestamp.set`).
const INHERENTS: u32 = 1;

/// One transaction, ready to submit.
struct Prepared {
	hash: [u8; 32],
	bytes: Vec<u8>,
	/// Load items it carries (heartbeats in a batch; 1 otherwise).
	items: u32,
}

/// One block, as the watcher saw it.
#[derive(Clone, Debug)]
pub struct BlockStat {
	/// Its number.
	pub number: u64,
	/// Our transactions in it.
	pub transactions: u32,
	/// Our load items in it.
	pub items: u32,
	/// All its extrinsics (inherents included).
	pub extrinsics: u32,
	/// Normal-class `ref_time` the block used, in picoseconds (`System.BlockWeight`).
	pub normal_ref_time: u64,
	/// The encoded size of its extrinsics, in bytes.
	pub size: usize,
	/// Whether some of the accepted load was still waiting after it.
	pub saturated: bool,
}

/// What a load run measured.
#[derive(Clone, Debug, Default)]
pub struct Report {
	/// Transactions prepared and submitted.
	pub submitted: u32,
	/// Load items in them.
	pub submitted_items: u32,
	/// Transactions the pool accepted.
	pub accepted: u32,
	/// Refusals, by the node's error message.
	pub refused: BTreeMap<String, u32>,
	/// Time to sign everything.
	pub signing: Duration,
	/// Time to submit everything.
	pub submitting: Duration,
	/// Blocks that included some of ours.
	pub blocks: Vec<BlockStat>,
	/// Load items included.
	pub included_items: u32,
	/// Accepted transactions that expired with their epoch before a block took them.
	pub expired: u32,
	/// Accepted transactions neither included nor expired when the run ended.
	pub not_included: u32,
	/// Submission to inclusion in a best block, per included transaction.
	pub inclusion: Vec<Duration>,
	/// Submission to finality, per included transaction seen finalized.
	pub finality: Vec<Duration>,
	/// The run ended at its timeout, with load still waiting or not finalized.
	pub timed_out: bool,
	/// CPU time (user and system, all threads) the node spent while the load was submitted,
	/// if its process was known.
	pub node_cpu: Option<Duration>,
}

impl Report {
	/// Items per block over the saturated blocks (`None` if no block was saturated).
	pub fn saturated_items_per_block(&self) -> Option<f64> {
		let saturated: Vec<_> = self.blocks.iter().filter(|b| b.saturated).collect();
		(!saturated.is_empty()).then(|| {
			saturated.iter().map(|b| f64::from(b.items)).sum::<f64>() / saturated.len() as f64
		})
	}

	/// The most items one block included.
	pub fn peak_items_per_block(&self) -> u32 {
		self.blocks.iter().map(|b| b.items).max().unwrap_or(0)
	}

	/// Normal-class block weight per included item, in µs of `ref_time`, over the blocks that
	/// held nothing but our load and the timestamp inherent (`None` without such blocks).
	pub fn weight_per_item_us(&self) -> Option<f64> {
		let (weight, items) = self
			.blocks
			.iter()
			.filter(|b| b.items > 0 && b.extrinsics == b.transactions + INHERENTS)
			.fold((0u128, 0u128), |(w, i), b| {
				(w + u128::from(b.normal_ref_time), i + u128::from(b.items))
			});
		(items > 0).then(|| weight as f64 / items as f64 / 1e6)
	}

	/// The report as text: one line per block, then the summary.
	pub fn render(&self) -> String {
		let mut out = String::from(
			"block     txs   items  extrinsics  size(kB)  normal ref_time(ms)  saturated\n",
		);
		for b in &self.blocks {
			out += &format!(
				"{:>5} {:>7} {:>7} {:>11} {:>9.1} {:>20.1}  {}\n",
				b.number,
				b.transactions,
				b.items,
				b.extrinsics,
				b.size as f64 / 1024.0,
				b.normal_ref_time as f64 / 1e9,
				if b.saturated { "yes" } else { "" }
			);
		}
		let rate = |n: u32, d: Duration| f64::from(n) / d.as_secs_f64().max(1e-9);
		out += &format!(
			"signed {} transactions ({} items) in {:.2} s; submitted in {:.2} s ({:.0} tx/s)\n",
			self.submitted,
			self.submitted_items,
			self.signing.as_secs_f64(),
			self.submitting.as_secs_f64(),
			rate(self.submitted, self.submitting)
		);
		if let Some(cpu) = self.node_cpu {
			out += &format!(
				"node CPU while submitting: {:.2} s in {:.2} s ({:.2} cores busy)\n",
				cpu.as_secs_f64(),
				self.submitting.as_secs_f64(),
				cpu.as_secs_f64() / self.submitting.as_secs_f64().max(1e-9)
			);
		}
		out += &format!(
			"pool accepted {}, refused {}\n",
			self.accepted,
			self.refused.values().sum::<u32>()
		);
		for (reason, count) in &self.refused {
			out += &format!("  {count} × {reason}\n");
		}
		out += &format!(
			"included {} items in {} blocks; {} accepted transactions expired with their epoch, \
			 {} still waiting at the end\n",
			self.included_items,
			self.blocks.len(),
			self.expired,
			self.not_included
		);
		out += &format!("peak {} items per block", self.peak_items_per_block());
		match self.saturated_items_per_block() {
			Some(mean) => out += &format!("; {mean:.0} per saturated block\n"),
			None => out += "; no block was saturated (offer more load)\n",
		}
		if let Some(weight) = self.weight_per_item_us() {
			out += &format!("normal block weight per item: {weight:.1} µs of ref_time\n");
		}
		out += &format!("time to inclusion: {}\n", percentiles(&self.inclusion));
		out += &format!("time to finality:  {}\n", percentiles(&self.finality));
		if self.timed_out {
			out += "the run timed out: the last figures are incomplete\n";
		}
		out
	}
}

/// How long the node's proposer took to build each block, from its log lines
/// `Prepared block for proposing at <number> (<ms> ms)`, by block number.
pub fn proposal_times(log: &str) -> BTreeMap<u64, u64> {
	const MARK: &str = "Prepared block for proposing at ";
	log.lines()
		.filter_map(|line| {
			let rest = &line[line.find(MARK)? + MARK.len()..];
			let (number, rest) = rest.split_once(" (")?;
			let (ms, _) = rest.split_once(" ms)")?;
			Some((number.trim().parse().ok()?, ms.trim().parse().ok()?))
		})
		.collect()
}

/// The proposer's build times of `blocks` (those that carried load), as a report line: the
/// wall time that the blocks' declared weight stands for. Without such blocks (a load the
/// pool refused), the times of every block the node authored: that it went on authoring.
pub fn render_proposal_times(log: &str, blocks: &[u64]) -> String {
	let times = proposal_times(log);
	let (which, mut ms): (_, Vec<u64>) = if blocks.is_empty() {
		("all blocks", times.values().copied().collect())
	} else {
		("blocks with load", blocks.iter().filter_map(|b| times.get(b).copied()).collect())
	};
	if ms.is_empty() {
		return "block building: no proposer times in the node's log".into();
	}
	ms.sort_unstable();
	format!(
		"block building (proposer, {which}): p50 {} ms, max {} ms ({} blocks)",
		ms[ms.len() / 2],
		ms[ms.len() - 1],
		ms.len()
	)
}

/// `p50 / p95 / max` of `samples`, in seconds.
fn percentiles(samples: &[Duration]) -> String {
	if samples.is_empty() {
		return "none".into();
	}
	let mut sorted = samples.to_vec();
	sorted.sort();
	let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64();
	format!(
		"p50 {:.2} s, p95 {:.2} s, max {:.2} s ({} samples)",
		at(0.5),
		at(0.95),
		at(1.0),
		sorted.len()
	)
}

/// CPU time (user and system, every thread) of process `pid` so far, from `/proc` (Linux).
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	// After the command name (in parentheses, which may hold spaces): state is field 3, utime
	// and stime fields 14 and 15, in clock ticks of USER_HZ (100 a second on Linux).
	let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
	let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
	let total = ticks(11)?.checked_add(ticks(12)?)?;
	Some(Duration::from_millis(total.saturating_mul(10)))
}

/// The sr25519 account of benchmark owner `index`.
pub fn owner_keypair(index: u32) -> Result<Keypair> {
	Keypair::from_secret_key(bench::owner_seed(index)).map_err(|e| anyhow!("owner key: {e:?}"))
}

/// An authorized (general, unsigned) transaction of one call, as bytes around the call's
/// arguments: every such transaction of the load carries the same extension bytes, so only
/// the arguments change (checked against subxt's own encoding once).
struct AuthorizedTemplate {
	/// Version byte, extension version and extensions, then the pallet and call indices.
	head: Vec<u8>,
}

impl AuthorizedTemplate {
	async fn new(api: &Client, pallet: &str, call: &str, sample_args: &[u8]) -> Result<Self> {
		let payload = owner::call_from_scale(api, pallet, call, sample_args).await?;
		let encoded = owner::authorized_transaction(api, &payload).await?;
		let body = strip_length(&encoded)?;
		let tail = sample_args.len();
		if body.len() < tail + 2 || !body.ends_with(sample_args) {
			bail!("{pallet}.{call}: the transaction does not end with its arguments");
		}
		let template = Self { head: body[..body.len() - tail].to_vec() };
		if template.build(sample_args) != encoded {
			bail!("{pallet}.{call}: the template does not rebuild subxt's transaction");
		}
		Ok(template)
	}

	fn build(&self, args: &[u8]) -> Vec<u8> {
		let length = Compact((self.head.len() + args.len()) as u32).encode();
		[length.as_slice(), &self.head, args].concat()
	}
}

/// The bytes of a SCALE `Vec<u8>` encoding after its compact length.
fn strip_length(encoded: &[u8]) -> Result<&[u8]> {
	use subxt::ext::codec::Decode;
	let mut input = encoded;
	let Compact(length) = Compact::<u32>::decode(&mut input)?;
	if input.len() != length as usize {
		bail!("the transaction's length prefix says {length}, it has {}", input.len());
	}
	Ok(input)
}

/// A transaction's hash, as the node computes it (blake2-256 of its encoding).
pub(crate) fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	<sp_core::Blake2Hasher as sp_core::Hasher>::hash(bytes).0
}

fn prepared(bytes: Vec<u8>, items: u32) -> Prepared {
	Prepared { hash: blake2_256(&bytes), bytes, items }
}

/// The best block's hash and number.
async fn best(rpc: &RpcClient) -> Result<(H256, u64)> {
	let header: serde_json::Value = rpc.request("chain_getHeader", rpc_params![]).await?;
	let number = header_number(&header)?;
	let hash: H256 = rpc.request("chain_getBlockHash", rpc_params![number]).await?;
	Ok((hash, number))
}

fn header_number(header: &serde_json::Value) -> Result<u64> {
	let text = header["number"].as_str().ok_or_else(|| anyhow!("header without number"))?;
	Ok(u64::from_str_radix(text.trim_start_matches("0x"), 16)?)
}

/// The epoch in progress at block `at` (`depin_epoch`): its index, seed, first block and
/// length in slots.
async fn epoch_at(rpc: &RpcClient, at: H256) -> Result<(u32, H256, u64, u64)> {
	let epoch: serde_json::Value = rpc.request("depin_epoch", rpc_params![at]).await?;
	let field = |name: &str| {
		epoch[name].as_u64().ok_or_else(|| anyhow!("depin_epoch without {name}: {epoch}"))
	};
	let seed = epoch["seed"].as_str().ok_or_else(|| anyhow!("depin_epoch without seed"))?;
	let seed = depin_primitives::protocol::from_hex_array::<32>(seed)
		.ok_or_else(|| anyhow!("depin_epoch's seed is no hash: {seed}"))?;
	let index = u32::try_from(field("index")?)?;
	Ok((index, H256(seed), field("startBlock")?, field("length")?))
}

/// The epoch in progress at the best block, with at least `min_blocks_left` blocks of it to
/// go (else the next one, waited for): its index, seed and first block after it.
///
/// Epochs follow the slot clock: an epoch of `length` slots that started at block `start`
/// ends before block `start + length` on a chain that misses no slot (a benchmark node
/// authors every slot), sooner if slots are missed.
async fn epoch_for_load(
	rpc: &RpcClient,
	min_blocks_left: u64,
	timeout: Duration,
) -> Result<(u32, H256, u64)> {
	let deadline = Instant::now() + timeout;
	let (first, ..) = epoch_at(rpc, best(rpc).await?.0).await?;
	loop {
		let (hash, number) = best(rpc).await?;
		let (epoch, seed, start, length) = epoch_at(rpc, hash).await?;
		let end = start.saturating_add(length.max(1));
		let left = end.saturating_sub(number);
		if left >= min_blocks_left.min(length) || epoch > first {
			return Ok((epoch, seed, end));
		}
		if Instant::now() > deadline {
			bail!("no new epoch within {timeout:?}");
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// Signed transactions, how long signing took, and the block from which they are stale.
type PreparedLoad = (Vec<Prepared>, Duration, Option<u64>);

/// Signs the heartbeats of `devices` for an epoch with enough of it left (with a wrong key
/// each if `forged`).
async fn prepare_heartbeats(
	api: &Client,
	rpc: &RpcClient,
	(first, devices, batch, forged, scheme): (u32, u32, u32, bool, Scheme),
	options: &Options,
) -> Result<PreparedLoad> {
	let (epoch, seed, stale_from) =
		epoch_for_load(rpc, options.min_blocks_left, options.timeout).await?;
	let genesis = api.genesis_hash();
	let signed = |index: u32| {
		let pair = bench::device_pair(index, scheme);
		let device = pair.id();
		let heartbeat = Heartbeat {
			device,
			epoch,
			challenge: device_challenge(&seed, &device, epoch),
			readings: Default::default(),
		};
		let message = signing_message(SigningDomain::Heartbeat, genesis.as_ref(), &heartbeat);
		// A forger's key: the seed of a device index no benchmark network registers.
		let signer = if forged { bench::device_pair(u32::MAX - index, scheme) } else { pair };
		(heartbeat, signer.sign(&message))
	};
	let indices: Vec<u32> = (first..first.saturating_add(devices)).collect();
	let (call, sample) = if batch <= 1 {
		("submit_heartbeat", signed(first).encode())
	} else {
		("submit_heartbeats", vec![signed(first)].encode())
	};
	let template = AuthorizedTemplate::new(api, "Proofs", call, &sample).await?;
	let signing = Instant::now();
	let transactions = if batch <= 1 {
		indices.into_iter().map(|i| prepared(template.build(&signed(i).encode()), 1)).collect()
	} else {
		indices
			.chunks(batch as usize)
			.map(|chunk| {
				let items: Vec<_> = chunk.iter().map(|i| signed(*i)).collect();
				prepared(template.build(&items.encode()), chunk.len() as u32)
			})
			.collect()
	};
	Ok((transactions, signing.elapsed(), Some(stale_from)))
}

/// Signs `transfers` transfers of 1 DPN to Alice from the first `senders` benchmark owners.
async fn prepare_transfers(
	api: &Client,
	rpc: &RpcClient,
	transfers: u32,
	senders: u32,
) -> Result<PreparedLoad> {
	if senders == 0 {
		bail!("transfers need at least one sender");
	}
	let alice = subxt_signer::sr25519::dev::alice().public_key().0;
	let at = api.at_current_block().await?;
	let mut keys = Vec::new();
	for index in 0..senders {
		let key = owner_keypair(index)?;
		let account = subxt::utils::AccountId32(key.public_key().0);
		let nonce: u64 =
			rpc.request("system_accountNextIndex", rpc_params![account.to_string()]).await?;
		keys.push((key, nonce));
	}
	let call = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		vec![Value::unnamed_variant("Id", [Value::from_bytes(alice)]), Value::u128(DPN)],
	);
	let signing = Instant::now();
	let mut out = Vec::with_capacity(transfers as usize);
	for n in 0..transfers {
		let (key, nonce) = &mut keys[(n % senders) as usize];
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(*nonce).build();
		let bytes =
			at.transactions().create_signable_offline(&call, params)?.sign(&*key)?.into_encoded();
		*nonce += 1;
		out.push(prepared(bytes, 1));
	}
	// Immortal, and nonces in order: they never go stale.
	Ok((out, signing.elapsed(), None))
}

/// A transaction of the load not yet included.
struct Waiting {
	/// When its submission started.
	submitted: Instant,
	/// When the pool accepted it (`None` while the RPC call is under way).
	accepted: Option<Instant>,
	/// Its load items.
	items: u32,
}

/// What the watchers and the submitters share.
#[derive(Default)]
struct Shared {
	/// Not yet included.
	pending: HashMap<[u8; 32], Waiting>,
	/// Included: block number, submission time, time to inclusion.
	included: HashMap<[u8; 32], (u64, Instant, Duration)>,
	/// The first block in which the load is stale (its epoch ended), if it can be.
	stale_from: Option<u64>,
	/// Accepted, then stale before any block took it.
	expired: u32,
	blocks: Vec<BlockStat>,
	/// When each block number was first announced as the best head.
	announced: HashMap<u64, Instant>,
	/// When each block number was seen finalized (every number up to a finalized head).
	finalized_at: BTreeMap<u64, Instant>,
}

impl Shared {
	/// The highest finalized block number seen (0 before any).
	fn finalized(&self) -> u64 {
		self.finalized_at.last_key_value().map_or(0, |(number, _)| *number)
	}
}

type Heads = subxt::rpcs::client::RpcSubscription<serde_json::Value>;

/// Notes when each best head is announced, and passes its number on to [`watch_best`]: the
/// times do not wait for the (slow) fetching of earlier blocks.
async fn announce_best(
	mut heads: Heads,
	shared: Arc<Mutex<Shared>>,
	numbers: tokio::sync::mpsc::UnboundedSender<u64>,
) -> Result<()> {
	while let Some(header) = heads.next().await {
		let seen = Instant::now();
		let number = header_number(&header?)?;
		shared
			.lock()
			.map_err(|_| anyhow!("watcher state poisoned"))?
			.announced
			.entry(number)
			.or_insert(seen);
		if numbers.send(number).is_err() {
			break;
		}
	}
	bail!("the node ended the new-heads subscription")
}

/// Follows the best chain: for each new block, which of ours it included and what it used.
/// Inclusion is timed at the block's announcement ([`announce_best`]).
async fn watch_best(
	api: Client,
	rpc: RpcClient,
	mut numbers: tokio::sync::mpsc::UnboundedReceiver<u64>,
	shared: Arc<Mutex<Shared>>,
) -> Result<()> {
	let mut last: Option<u64> = None;
	while let Some(head) = numbers.recv().await {
		// One validator authors alone: no reorgs. A head at or below the last is a re-announce.
		let from = last.map_or(head, |l| l + 1);
		for number in from..=head {
			let hash: H256 = rpc.request("chain_getBlockHash", rpc_params![number]).await?;
			let block: serde_json::Value = rpc.request("chain_getBlock", rpc_params![hash]).await?;
			let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
			let weight = api
				.at_block(hash)
				.await?
				.storage()
				.fetch(dynamic::storage::<(), Value>("System", "BlockWeight"), ())
				.await?
				.decode()?;
			let normal_ref_time = weight
				.at("normal")
				.and_then(|w| w.at("ref_time"))
				.and_then(|t| t.as_u128())
				.unwrap_or_default() as u64;
			let mut stat = BlockStat {
				number,
				transactions: 0,
				items: 0,
				extrinsics: extrinsics.len() as u32,
				normal_ref_time,
				size: 0,
				saturated: false,
			};
			let mut shared = shared.lock().map_err(|_| anyhow!("watcher state poisoned"))?;
			// A block announced only as part of a later head: timed at that head.
			let seen = shared.announced.get(&number).or(shared.announced.get(&head)).copied();
			let seen = seen.unwrap_or_else(Instant::now);
			let previous_seen = shared.announced.get(&number.saturating_sub(1)).copied();
			for extrinsic in &extrinsics {
				let text = extrinsic.as_str().unwrap_or_default();
				let bytes = depin_primitives::protocol::from_hex(text).unwrap_or_default();
				stat.size += bytes.len();
				let hash = blake2_256(&bytes);
				if let Some(waiting) = shared.pending.remove(&hash) {
					stat.transactions += 1;
					stat.items += waiting.items;
					let inclusion = seen.saturating_duration_since(waiting.submitted);
					shared.included.insert(hash, (number, waiting.submitted, inclusion));
				}
			}
			// Saturated: something the pool held before the previous block was announced (so
			// when this one was authored) is still waiting, and not stale.
			stat.saturated = stat.items > 0
				&& previous_seen.is_some_and(|previous| {
					shared.pending.values().any(|w| w.accepted.is_some_and(|at| at < previous))
				});
			if shared.stale_from.is_some_and(|stale| number + 1 >= stale) {
				// The next block starts a new epoch: what is left can never be included.
				let stale = shared.pending.values().filter(|w| w.accepted.is_some()).count();
				shared.expired += stale as u32;
				shared.pending.retain(|_, w| w.accepted.is_none());
			}
			if stat.items > 0 {
				shared.blocks.push(stat);
			}
			last = Some(number);
		}
	}
	bail!("the block announcer stopped")
}

/// Follows finality: notes when each block number was seen finalized.
async fn watch_finalized(mut heads: Heads, shared: Arc<Mutex<Shared>>) -> Result<()> {
	while let Some(header) = heads.next().await {
		let now = Instant::now();
		let number = header_number(&header?)?;
		let mut shared = shared.lock().map_err(|_| anyhow!("watcher state poisoned"))?;
		for block in shared.finalized().saturating_add(1)..=number {
			shared.finalized_at.insert(block, now);
		}
	}
	bail!("the node ended the finalized-heads subscription")
}

/// Why the node refused a submission: its JSON-RPC error with the error's data, which is where
/// the transaction pool puts the reason ("Transaction has a bad signature").
fn refusal(error: &subxt::rpcs::Error) -> String {
	match error {
		subxt::rpcs::Error::User(user) => match &user.data {
			Some(data) => {
				let data = serde_json::from_str::<String>(data.get())
					.unwrap_or_else(|_| data.get().to_string());
				format!("{} ({}): {data}", user.message, user.code)
			},
			None => user.to_string(),
		},
		other => other.to_string(),
	}
}

/// The error a finished watcher ended with.
async fn watcher_error(watcher: tokio::task::JoinHandle<Result<()>>) -> anyhow::Error {
	match watcher.await {
		Ok(Err(e)) => e.context("watching blocks"),
		Ok(Ok(())) => anyhow!("a block watcher stopped"),
		Err(e) => anyhow!("a block watcher failed: {e}"),
	}
}

/// Runs `workload` against the node at `url` and measures it.
pub async fn run(url: &str, workload: &Workload, options: &Options) -> Result<Report> {
	let connect = || async {
		RpcClient::from_insecure_url(url).await.with_context(|| format!("connecting to {url}"))
	};
	let rpc = connect().await?;
	let api = Client::from_rpc_client(rpc.clone()).await?;

	let (transactions, signing, stale_from) = match workload {
		Workload::Heartbeats { first, devices, batch, forged, scheme } => {
			let load = (*first, *devices, *batch, *forged, *scheme);
			prepare_heartbeats(&api, &rpc, load, options).await?
		},
		Workload::Transfers { transfers, senders } => {
			prepare_transfers(&api, &rpc, *transfers, *senders).await?
		},
	};
	let mut report = Report {
		signing,
		submitted: transactions.len() as u32,
		submitted_items: transactions.iter().map(|t| t.items).sum(),
		..Default::default()
	};

	// The watchers have their own connection (the submitters' calls do not delay them) and
	// are subscribed before anything is submitted.
	let watch_rpc = connect().await?;
	let best_heads = watch_rpc
		.subscribe("chain_subscribeNewHeads", rpc_params![], "chain_unsubscribeNewHeads")
		.await?;
	let final_heads = watch_rpc
		.subscribe(
			"chain_subscribeFinalizedHeads",
			rpc_params![],
			"chain_unsubscribeFinalizedHeads",
		)
		.await?;
	let shared = Arc::new(Mutex::new(Shared { stale_from, ..Default::default() }));
	let (numbers, numbers_rx) = tokio::sync::mpsc::unbounded_channel();
	let mut announcer = Some(tokio::spawn(announce_best(best_heads, shared.clone(), numbers)));
	let mut best_watcher =
		Some(tokio::spawn(watch_best(api.clone(), watch_rpc, numbers_rx, shared.clone())));
	let mut final_watcher = Some(tokio::spawn(watch_finalized(final_heads, shared.clone())));

	// Submit from `concurrency` tasks, each taking every `concurrency`-th transaction.
	let cpu_before = options.node_pid.and_then(process_cpu_time);
	let submitting = Instant::now();
	let transactions = Arc::new(transactions);
	let lanes = options.concurrency.max(1);
	let mut tasks = tokio::task::JoinSet::new();
	for lane in 0..lanes {
		let (rpc, shared, transactions) = (rpc.clone(), shared.clone(), transactions.clone());
		tasks.spawn(async move {
			let mut refused: BTreeMap<String, u32> = BTreeMap::new();
			for tx in transactions.iter().skip(lane).step_by(lanes) {
				let waiting =
					Waiting { submitted: Instant::now(), accepted: None, items: tx.items };
				// Registered first: the block may arrive before the RPC answer.
				shared.lock().expect("not poisoned").pending.insert(tx.hash, waiting);
				let hex = depin_primitives::protocol::to_hex(&tx.bytes);
				let answer = rpc.request::<H256>("author_submitExtrinsic", rpc_params![hex]).await;
				let mut shared = shared.lock().expect("not poisoned");
				match answer {
					Ok(_) => {
						if let Some(waiting) = shared.pending.get_mut(&tx.hash) {
							waiting.accepted = Some(Instant::now());
						}
					},
					Err(e) => {
						shared.pending.remove(&tx.hash);
						*refused.entry(refusal(&e)).or_default() += 1;
					},
				}
			}
			refused
		});
	}
	while let Some(refused) = tasks.join_next().await {
		for (reason, count) in refused? {
			*report.refused.entry(reason).or_default() += count;
		}
	}
	report.submitting = submitting.elapsed();
	let cpu_after = options.node_pid.and_then(process_cpu_time);
	report.node_cpu = cpu_after.zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
	report.accepted = report.submitted - report.refused.values().sum::<u32>();

	// Wait until everything accepted is included (or stale) and finalized.
	let deadline = Instant::now() + options.timeout;
	loop {
		let (pending, finalized_all) = {
			let shared = shared.lock().map_err(|_| anyhow!("state poisoned"))?;
			let last = shared.included.values().map(|(block, _, _)| *block).max().unwrap_or(0);
			(shared.pending.len(), shared.finalized() >= last)
		};
		if pending == 0 && finalized_all {
			break;
		}
		for watcher in [&mut announcer, &mut best_watcher, &mut final_watcher] {
			if watcher.as_ref().is_some_and(|w| w.is_finished()) {
				if let Some(watcher) = watcher.take() {
					return Err(watcher_error(watcher).await);
				}
			}
		}
		if Instant::now() > deadline {
			break;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	report.timed_out = Instant::now() > deadline;
	for watcher in [announcer, best_watcher, final_watcher].into_iter().flatten() {
		watcher.abort();
	}

	let shared = shared.lock().map_err(|_| anyhow!("state poisoned"))?;
	report.blocks = shared.blocks.clone();
	report.included_items = report.blocks.iter().map(|b| b.items).sum();
	report.expired = shared.expired;
	report.not_included = shared.pending.len() as u32;
	report.inclusion = shared.included.values().map(|(_, _, d)| *d).collect();
	report.finality = shared
		.included
		.values()
		.filter_map(|(block, submitted, _)| {
			shared.finalized_at.get(block).map(|at| at.saturating_duration_since(*submitted))
		})
		.collect();
	Ok(report)
}

/// Node flags of a load run: a pool large enough to hold the whole offered load (the
/// defaults, 8,192 transactions and 20 MiB, would refuse most of it before any block could
/// take it).
pub const POOL_FLAGS: [&str; 4] = ["--pool-limit", "200000", "--pool-kbytes", "1048576"];

/// Spawns a single-validator benchmark node (`--chain bench-<devices>-<epoch_length>-<scheme>`,
/// Alice, forced authoring, [`POOL_FLAGS`]) and waits until it has produced a block.
pub async fn spawn_bench_node(
	devices: u32,
	epoch_length: u32,
	scheme: Scheme,
) -> Result<crate::Node> {
	let mut args = vec!["--alice", "--validator", "--force-authoring"];
	args.extend(POOL_FLAGS);
	let node = crate::Node::spawn(crate::NodeConfig {
		chain: Some(format!("bench-{devices}-{epoch_length}-{scheme}")),
		dev: false,
		extra_args: args.into_iter().map(String::from).collect(),
		name: format!("bench-{devices}"),
		rpc_port: None,
	})?;
	// Building the genesis of 100,000 devices takes a while before RPC answers.
	let rpc = node.rpc(Duration::from_secs(600)).await?;
	let deadline = Instant::now() + Duration::from_secs(120);
	while best(&rpc).await?.1 < 1 {
		if Instant::now() > deadline {
			bail!("{}: no block authored within 2 minutes\n{}", node.name, node.log_tail(40));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	Ok(node)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn proposer_times_are_read_from_the_node_log() {
		let log = "2026-11-29 15:40:01 🎁 Prepared block for proposing at 41 (1873 ms) hash: \
		           0xab…; parent_hash: 0xcd…; end: HitBlockWeightLimit; extrinsics_count: 2510\n\
		           2026-11-29 15:40:02 💤 Idle (0 peers), best: #41\n\
		           2026-11-29 15:40:07 🎁 Prepared block for proposing at 42 (12 ms) hash: 0xef…";
		assert_eq!(proposal_times(log), BTreeMap::from([(41, 1873), (42, 12)]));
		assert_eq!(
			render_proposal_times(log, &[41, 42, 43]),
			"block building (proposer, blocks with load): p50 1873 ms, max 1873 ms (2 blocks)"
		);
		assert_eq!(
			render_proposal_times(log, &[]),
			"block building (proposer, all blocks): p50 1873 ms, max 1873 ms (2 blocks)"
		);
	}
}
