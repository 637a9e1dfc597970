//! What the reference firmware is provisioned with and keeps: its chain (genesis hash and
//! epoch clock), its clock, how many chunks a storage challenge selects, and the readings it
//! fixed for the epochs around the current one, persisted across restarts.
//!
//! The chain is provisioning data, never taken from a request: given on the command line
//! (`--genesis-hash`, `--genesis-time`, `--epoch-duration`), or fetched once from the node the
//! operator configured (`--chain-rpc`, the installer's step: `chain_getBlockHash(0)` and
//! `depin_epoch`'s `genesisTime` and `duration`) as soon as the chain has its first block.

use crate::device::Fixed;
use anyhow::{anyhow, Context};
use depin_primitives::{EpochIndex, Reading};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::{
	collections::BTreeMap,
	path::PathBuf,
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The chain a device was provisioned for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainParams {
	/// Its genesis hash: the device signs for no other chain.
	pub genesis_hash: [u8; 32],
	/// When its epoch 0 began (its first slot), in milliseconds since the Unix epoch.
	pub genesis_time_ms: u64,
	/// How long an epoch lasts, in milliseconds.
	pub epoch_duration_ms: u64,
}

impl ChainParams {
	/// The epoch at `now_ms`, as the device's clock tells it.
	pub fn epoch_at(&self, now_ms: u64) -> EpochIndex {
		let epoch = now_ms.saturating_sub(self.genesis_time_ms) / self.epoch_duration_ms.max(1);
		EpochIndex::try_from(epoch).unwrap_or(EpochIndex::MAX)
	}
}

/// A clock in milliseconds since the Unix epoch.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
	Arc::new(|| {
		SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
	})
}

/// The firmware state one simulator's devices share.
pub struct Firmware {
	chain: Mutex<Option<ChainParams>>,
	chain_rpc: Option<String>,
	last_attempt: Mutex<Option<u64>>,
	/// Chunks a storage challenge selects (the chain's `LeavesPerChallenge`).
	pub leaves_per_challenge: u32,
	clock: Clock,
	state_dir: Option<PathBuf>,
	fresh: bool,
	/// When the firmware started, by its clock.
	pub started_ms: u64,
}

impl Default for Firmware {
	fn default() -> Self {
		Self::new(None, None, 4, system_clock(), None)
	}
}

impl Firmware {
	/// Firmware provisioned with `chain`, or to fetch it from `chain_rpc`.
	pub fn new(
		chain: Option<ChainParams>,
		chain_rpc: Option<String>,
		leaves_per_challenge: u32,
		clock: Clock,
		state_dir: Option<PathBuf>,
	) -> Self {
		let started_ms = clock();
		Self {
			chain: Mutex::new(chain),
			chain_rpc,
			last_attempt: Mutex::new(None),
			leaves_per_challenge,
			clock,
			state_dir,
			fresh: false,
			started_ms,
		}
	}

	/// Declares the devices new (provisioning): their keys have never signed a proof, so
	/// without saved state they may sign from the epoch they start in, not only the next.
	pub fn fresh(mut self) -> Self {
		self.fresh = true;
		self
	}

	/// Now, by the device's clock.
	pub fn now_ms(&self) -> u64 {
		(self.clock)()
	}

	/// The chain, once provisioned.
	pub fn chain(&self) -> Option<ChainParams> {
		self.chain.lock().ok().and_then(|chain| *chain)
	}

	/// Fetches the chain from the configured node if it is not known yet (at most once a
	/// second): the node has no first block yet, or does not answer, until it does.
	pub async fn provision(&self) {
		let Some(url) = &self.chain_rpc else { return };
		if self.chain().is_some() {
			return;
		}
		let now = self.now_ms();
		{
			let Ok(mut last) = self.last_attempt.lock() else { return };
			if last.is_some_and(|at| now.saturating_sub(at) < 1_000) {
				return;
			}
			*last = Some(now);
		}
		match fetch_chain(url).await {
			Ok(Some(chain)) => {
				if let Ok(mut known) = self.chain.lock() {
					*known = Some(chain);
				}
				eprintln!("provisioned from {url}: {chain:?}");
			},
			Ok(None) => {},
			Err(e) => eprintln!("cannot provision from {url} yet: {e:#}"),
		}
	}

	fn state_file(&self, device: &sp_core::H256) -> Option<PathBuf> {
		let dir = self.state_dir.as_ref()?;
		Some(dir.join(format!("{}.json", hex::encode(device.as_bytes()))))
	}

	/// What `device` kept of what it signed before a restart; without a state directory, or
	/// without a saved state, nothing (so it signs from the epoch after its first request,
	/// unless the firmware was declared [`Firmware::fresh`]).
	pub fn load_state(&self, device: &sp_core::H256) -> anyhow::Result<Fixed> {
		let nothing = || Fixed { floor: self.fresh.then_some(0), ..Default::default() };
		let Some(path) = self.state_file(device) else { return Ok(nothing()) };
		let text = match std::fs::read_to_string(&path) {
			Ok(text) => text,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(nothing()),
			Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
		};
		let stored: StoredState = serde_json::from_str(&text)
			.with_context(|| format!("{} is not a device state file", path.display()))?;
		Ok(Fixed {
			floor: stored.floor,
			high: stored.high,
			readings: stored
				.readings
				.into_iter()
				.map(|(epoch, readings)| {
					let readings =
						readings.into_iter().map(|(metric, value)| Reading { metric, value });
					(epoch, readings.collect())
				})
				.collect(),
		})
	}

	/// Persists what `device` keeps (written to a new file, then renamed over the old one, so
	/// that a crash leaves one or the other).
	pub fn save_state(&self, device: &sp_core::H256, fixed: &Fixed) -> anyhow::Result<()> {
		let Some(path) = self.state_file(device) else { return Ok(()) };
		let stored = StoredState {
			floor: fixed.floor,
			high: fixed.high,
			readings: fixed
				.readings
				.iter()
				.map(|(epoch, readings)| {
					(*epoch, readings.iter().map(|r| (r.metric, r.value)).collect())
				})
				.collect(),
		};
		let temporary = path.with_extension("json.new");
		std::fs::write(&temporary, serde_json::to_vec(&stored)?)
			.with_context(|| format!("writing {}", temporary.display()))?;
		std::fs::rename(&temporary, &path)
			.with_context(|| format!("renaming to {}", path.display()))
	}
}

/// A device's state file: JSON.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredState {
	floor: Option<EpochIndex>,
	high: Option<EpochIndex>,
	readings: BTreeMap<EpochIndex, Vec<(u16, i64)>>,
}

/// The chain as the node at `url` (HTTP JSON-RPC) tells it, once it has a first block.
async fn fetch_chain(url: &str) -> anyhow::Result<Option<ChainParams>> {
	let genesis = rpc(url, "chain_getBlockHash", serde_json::json!([0])).await?;
	let genesis_hash = genesis
		.as_str()
		.and_then(depin_primitives::protocol::from_hex_array::<32>)
		.ok_or_else(|| anyhow!("chain_getBlockHash: {genesis}"))?;
	let epoch = rpc(url, "depin_epoch", serde_json::json!([])).await?;
	let (Some(genesis_time_ms), Some(epoch_duration_ms)) =
		(epoch["genesisTime"].as_u64(), epoch["duration"].as_u64())
	else {
		return Err(anyhow!("depin_epoch has no epoch clock: {epoch}"));
	};
	// Until the first block, the chain has no first slot.
	if genesis_time_ms == 0 || epoch_duration_ms == 0 {
		return Ok(None);
	}
	Ok(Some(ChainParams { genesis_hash, genesis_time_ms, epoch_duration_ms }))
}

/// One JSON-RPC call over HTTP, with a deadline: its result.
async fn rpc(
	url: &str,
	method: &str,
	params: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
	use hyper_util::{client::legacy::Client, rt::TokioExecutor};
	let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
	let request = hyper::Request::post(url)
		.header(hyper::header::CONTENT_TYPE, "application/json")
		.body(Full::new(Bytes::from(serde_json::to_vec(&body)?)))?;
	let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let response = tokio::time::timeout(Duration::from_secs(3), client.request(request))
		.await
		.map_err(|_| anyhow!("{method}: no answer in 3 s"))??;
	let bytes = tokio::time::timeout(Duration::from_secs(3), response.into_body().collect())
		.await
		.map_err(|_| anyhow!("{method}: body not read in 3 s"))??
		.to_bytes();
	let answer: serde_json::Value = serde_json::from_slice(&bytes)?;
	answer.get("result").cloned().ok_or_else(|| anyhow!("{method}: {answer}"))
}
