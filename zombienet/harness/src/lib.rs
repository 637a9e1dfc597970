//! # depin-harness
//!
//! The test harness of the DePIN chain: it spawns the real `depin-node` binary on free ports,
//! in its own temporary base path, and drives it over JSON-RPC with real client libraries
//! (`subxt` for typed chain access, its `RpcClient` for raw methods).
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let node = depin_harness::Node::spawn(depin_harness::NodeConfig::dev())?;
//! let api = node.client().await?;
//! node.wait_for_finalized(&api, 2, std::time::Duration::from_secs(60)).await?;
//! node.shutdown()?;
//! # Ok(()) }
//! ```

pub mod governance;
pub mod load;
pub mod network;
pub mod owner;
pub mod simulator;

use anyhow::{anyhow, bail, Context, Result};
use nix::{sys::signal, unistd::Pid};
use std::{
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	sync::Mutex,
	time::{Duration, Instant},
};
use subxt::{
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};

/// The chain client the tests use: the node's runtime is Polkadot-like (sr25519 accounts,
/// `MultiAddress`, `u32` block numbers), so subxt's `PolkadotConfig` fits it.
pub type Client = OnlineClient<PolkadotConfig>;

/// The `depin-node` binary the tests spawn.
///
/// `DEPIN_NODE_BIN` names it explicitly; otherwise it is the binary of the same cargo profile
/// as the running test (`target/<profile>/depin-node`), which `make test` builds first.
pub fn node_binary() -> Result<PathBuf> {
	binary("depin-node", "DEPIN_NODE_BIN")
}

/// The `depin-device-sim` binary (`DEPIN_DEVICE_SIM_BIN`, or the one beside the test's
/// profile, as for [`node_binary`]).
pub fn device_sim_binary() -> Result<PathBuf> {
	binary("depin-device-sim", "DEPIN_DEVICE_SIM_BIN")
}

/// The `depin-owner` tool (`DEPIN_OWNER_BIN`, or the one beside the test's profile).
pub fn owner_binary() -> Result<PathBuf> {
	binary("depin-owner", "DEPIN_OWNER_BIN")
}

/// A workspace binary: `$env` if set, else `target/<profile>/<name>` of the running test.
fn binary(name: &str, env: &str) -> Result<PathBuf> {
	if let Ok(path) = std::env::var(env) {
		return Ok(PathBuf::from(path));
	}
	// A test runs as target/<profile>/deps/<test>-<hash>, a tool as target/<profile>/<tool>.
	let exe = std::env::current_exe().context("locating the running binary")?;
	let profile_dir = exe
		.parent()
		.and_then(|dir| if dir.ends_with("deps") { dir.parent() } else { Some(dir) })
		.ok_or_else(|| anyhow!("unexpected binary location {}", exe.display()))?;
	let path = profile_dir.join(name);
	if !path.exists() {
		bail!(
			"{} does not exist: build it first (`cargo build --workspace --bins`, which \
			 `make test` does) or set {env}",
			path.display()
		);
	}
	Ok(path)
}

/// A TCP port that was free a moment ago (the OS picked it).
pub fn free_port() -> Result<u16> {
	let listener = TcpListener::bind("127.0.0.1:0").context("binding an ephemeral port")?;
	Ok(listener.local_addr()?.port())
}

/// How to start one node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// `--chain` value (`dev`, `local` or a path); `None` with `dev` set.
	pub chain: Option<String>,
	/// Whether to pass `--dev` (Alice alone, instant setup).
	pub dev: bool,
	/// Extra flags (`--alice`, `--validator`, `--bootnodes ...`).
	pub extra_args: Vec<String>,
	/// Name used in logs and for the log file.
	pub name: String,
	/// The RPC port, when it must be known before the node starts (a device simulator
	/// provisioned from it); a free one otherwise.
	pub rpc_port: Option<u16>,
}

impl NodeConfig {
	/// `depin-node --dev`.
	pub fn dev() -> Self {
		Self { chain: None, dev: true, extra_args: Vec::new(), name: "dev".into(), rpc_port: None }
	}

	/// The node listens for RPC on `port`.
	pub fn with_rpc_port(mut self, port: u16) -> Self {
		self.rpc_port = Some(port);
		self
	}

	/// Adds flags.
	pub fn with_args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
		self.extra_args.extend(args.into_iter().map(Into::into));
		self
	}
}

/// Writes a chain spec: the `dev` chain's (`build-spec --chain dev`), with each `(from, to)`
/// of `edits` applied to its JSON text, for example `("\"epochLength\": 10", "\"epochLength\": 3")`
/// for short epochs. Each `from` must occur exactly once. (Text, not a parsed document: the
/// genesis holds u128 numbers that `serde_json` would round to floats.) Pass the file's path
/// as [`NodeConfig::chain`].
pub fn dev_spec_with(edits: &[(&str, &str)]) -> Result<tempfile::NamedTempFile> {
	let mut spec = build_spec(&["--chain", "dev"])?;
	for (from, to) in edits {
		let found = spec.matches(from).count();
		if found != 1 {
			bail!("{from:?} occurs {found} times in the dev chain spec, not once");
		}
		spec = spec.replace(from, to);
	}
	let file = tempfile::Builder::new().prefix("depin-spec-").suffix(".json").tempfile()?;
	std::fs::write(file.path(), spec)?;
	Ok(file)
}

/// `depin-node build-spec <args>`: the chain spec (JSON text) it prints.
pub fn build_spec(args: &[&str]) -> Result<String> {
	let output = Command::new(node_binary()?)
		.arg("build-spec")
		.args(args)
		.stderr(Stdio::piped())
		.output()
		.context("running depin-node build-spec")?;
	if !output.status.success() {
		bail!("depin-node build-spec {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
	}
	Ok(String::from_utf8(output.stdout)?)
}

/// A fresh libp2p node key (hex), so that a validator of a non-dev chain can start without a
/// key file; test keys need no cryptographic quality.
fn random_node_key() -> String {
	use std::hash::{BuildHasher, RandomState};
	(0..4).map(|i| format!("{:016x}", RandomState::new().hash_one(i))).collect()
}

/// A running `depin-node` process with its own ports and base path; killed when dropped.
pub struct Node {
	child: Mutex<Option<Child>>,
	/// The node's name (log file name).
	pub name: String,
	/// JSON-RPC (HTTP and WebSocket) port.
	pub rpc_port: u16,
	/// libp2p port.
	pub p2p_port: u16,
	/// Prometheus port.
	pub prometheus_port: u16,
	base_path: tempfile::TempDir,
	log_path: PathBuf,
}

impl Node {
	/// Spawns a node; returns once the process runs (not yet once RPC answers).
	pub fn spawn(config: NodeConfig) -> Result<Node> {
		let binary = node_binary()?;
		let base_path = tempfile::Builder::new()
			.prefix(&format!("depin-{}-", config.name))
			.tempdir()
			.context("creating the node's base path")?;
		let rpc_port = match config.rpc_port {
			Some(port) => port,
			None => free_port()?,
		};
		let (p2p_port, prometheus_port) = (free_port()?, free_port()?);
		let log_path = base_path.path().join("node.log");
		let log = File::create(&log_path).context("creating the node log")?;

		let mut command = Command::new(&binary);
		if config.dev {
			command.arg("--dev");
		}
		if let Some(chain) = &config.chain {
			command.args(["--chain", chain]);
		}
		command
			.arg("--base-path")
			.arg(base_path.path())
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--port", &p2p_port.to_string()])
			.args(["--prometheus-port", &prometheus_port.to_string()])
			.args(["--no-telemetry", "--no-mdns", "--rpc-cors", "all"])
			.args(["--name", &config.name])
			.args(&config.extra_args)
			.stdin(Stdio::null())
			.stdout(log.try_clone()?)
			.stderr(log);
		if !config.extra_args.iter().any(|a| a == "--node-key") {
			command.args(["--node-key", &random_node_key()]);
		}
		let child = command.spawn().with_context(|| format!("spawning {}", binary.display()))?;

		Ok(Node {
			child: Mutex::new(Some(child)),
			name: config.name,
			rpc_port,
			p2p_port,
			prometheus_port,
			base_path,
			log_path,
		})
	}

	/// `ws://127.0.0.1:<rpc port>`.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The node's base path (database, keystore).
	pub fn base_path(&self) -> &Path {
		self.base_path.path()
	}

	/// Everything the node logged so far.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// The last `lines` lines of the log, to explain a failure.
	pub fn log_tail(&self, lines: usize) -> String {
		let log = self.log();
		let all: Vec<&str> = log.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// A raw JSON-RPC client, retried until the node answers or `timeout` passes.
	pub async fn rpc(&self, timeout: Duration) -> Result<RpcClient> {
		rpc_client(&self.ws_url(), timeout, || self.ensure_running())
			.await
			.with_context(|| format!("{}\n{}", self.name, self.log_tail(40)))
	}

	/// A subxt client connected to the node, once its RPC answers (waits up to 2 minutes).
	pub async fn client(&self) -> Result<Client> {
		let rpc = self.rpc(Duration::from_secs(120)).await?;
		Client::from_rpc_client(rpc).await.context("subxt could not attach to the node")
	}

	/// Waits until the node's finalized head reaches `number`; returns the head it saw.
	pub async fn wait_for_finalized(
		&self,
		api: &Client,
		number: u64,
		timeout: Duration,
	) -> Result<u64> {
		let wait = async {
			let mut blocks = api.stream_blocks().await?;
			while let Some(block) = blocks.next().await {
				let block = block?;
				if block.number() >= number {
					return Ok::<u64, anyhow::Error>(block.number());
				}
			}
			bail!("the finalized block stream ended")
		};
		match tokio::time::timeout(timeout, wait).await {
			Ok(result) => result,
			Err(_) => bail!(
				"{}: block #{number} not finalized within {timeout:?}\n{}",
				self.name,
				self.log_tail(40)
			),
		}
	}

	/// What the node's Prometheus endpoint exports now (text format).
	pub async fn metrics(&self) -> Result<String> {
		let url = format!("http://127.0.0.1:{}/metrics", self.prometheus_port);
		let body = owner::http_exchange(hyper::Method::GET, &url, None).await?;
		Ok(String::from_utf8_lossy(&body).into_owned())
	}

	/// The node's libp2p peer id (`system_localPeerId`).
	pub async fn peer_id(&self) -> Result<String> {
		let rpc = self.rpc(Duration::from_secs(120)).await?;
		Ok(rpc.request("system_localPeerId", rpc_params![]).await?)
	}

	/// The multiaddress other nodes use to reach this one.
	pub async fn multiaddr(&self) -> Result<String> {
		Ok(format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, self.peer_id().await?))
	}

	/// The node's process id, while it runs.
	pub fn pid(&self) -> Option<u32> {
		self.child.lock().ok()?.as_ref().map(Child::id)
	}

	fn ensure_running(&self) -> Result<()> {
		let mut child = self.child.lock().map_err(|_| anyhow!("node handle poisoned"))?;
		let exited = match child.as_mut() {
			Some(child) => child.try_wait()?,
			None => bail!("{}: the node was stopped", self.name),
		};
		if let Some(status) = exited {
			bail!("{}: the node process exited ({status})\n{}", self.name, self.log_tail(40));
		}
		Ok(())
	}

	/// Freezes the node process (SIGSTOP): it authors, imports and answers nothing until
	/// [`Node::resume`], so the slots meanwhile go by without its blocks.
	pub fn pause(&self) -> Result<()> {
		self.signal(signal::Signal::SIGSTOP)
	}

	/// Lets a paused node go on (SIGCONT).
	pub fn resume(&self) -> Result<()> {
		self.signal(signal::Signal::SIGCONT)
	}

	fn signal(&self, which: signal::Signal) -> Result<()> {
		let child = self.child.lock().map_err(|_| anyhow!("node handle poisoned"))?;
		let child = child.as_ref().ok_or_else(|| anyhow!("{}: the node was stopped", self.name))?;
		let pid = Pid::from_raw(i32::try_from(child.id()).context("pid out of range")?);
		signal::kill(pid, which).with_context(|| format!("sending {which}"))
	}

	/// Stops the node as an operator does (SIGINT) and waits up to 60 s for it to exit.
	/// Fails if it does not exit, or exits with an error.
	pub fn shutdown(self) -> Result<ExitStatus> {
		let mut child = self
			.child
			.lock()
			.map_err(|_| anyhow!("node handle poisoned"))?
			.take()
			.ok_or_else(|| anyhow!("node already stopped"))?;
		let pid = Pid::from_raw(i32::try_from(child.id()).context("pid out of range")?);
		signal::kill(pid, signal::Signal::SIGINT).context("sending SIGINT")?;
		let deadline = Instant::now() + Duration::from_secs(60);
		loop {
			if let Some(status) = child.try_wait()? {
				if !status.success() {
					bail!("{}: exited with {status}\n{}", self.name, self.log_tail(40));
				}
				return Ok(status);
			}
			if Instant::now() > deadline {
				let _ = child.kill();
				bail!("{}: did not exit within 60 s of SIGINT\n{}", self.name, self.log_tail(40));
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let child = self.child.get_mut().map(Option::take).unwrap_or_default();
		if let Some(mut child) = child {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

/// A JSON-RPC client of `url`, retried every half second until it connects or `timeout`
/// passes; `alive` is asked before each attempt and ends the wait with its error.
pub async fn rpc_client(
	url: &str,
	timeout: Duration,
	alive: impl Fn() -> Result<()>,
) -> Result<RpcClient> {
	let deadline = Instant::now() + timeout;
	let mut attempt = 0u32;
	loop {
		alive()?;
		attempt = attempt.wrapping_add(1);
		match RpcClient::from_insecure_url(url).await {
			Ok(client) => return Ok(client),
			Err(e) if Instant::now() < deadline => {
				if attempt % 20 == 1 {
					log_line(&format!("{url}: RPC not ready yet ({e})"));
				}
				tokio::time::sleep(Duration::from_millis(500)).await;
			},
			Err(e) => bail!("{url}: RPC did not come up in {timeout:?}: {e}"),
		}
	}
}

/// A JSON-RPC refusal: its code, message and data (the pool's reason, for transactions).
#[derive(Debug)]
pub struct Refusal {
	/// The error code.
	pub code: i32,
	/// The message.
	pub message: String,
	/// The data, as JSON text, if any.
	pub data: Option<String>,
}

/// `method(params)` must fail with a JSON-RPC error: the refusal.
pub async fn rpc_refusal(
	rpc: &RpcClient,
	method: &str,
	params: subxt::rpcs::client::RpcParams,
) -> Result<Refusal> {
	match rpc.request::<serde_json::Value>(method, params).await {
		Ok(result) => bail!("{method} answered {result}"),
		Err(subxt::rpcs::Error::User(error)) => {
			let data = error.data.map(|data| data.get().to_owned());
			log_line(&format!("{method}: error {}: {} {data:?}", error.code, error.message));
			Ok(Refusal { code: error.code, message: error.message, data })
		},
		Err(other) => bail!("{method}: not a JSON-RPC error: {other}"),
	}
}

/// Progress lines for long tests (shown with `--nocapture`).
pub fn log_line(line: &str) {
	static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
	let elapsed = START.get_or_init(std::time::Instant::now).elapsed().as_secs_f32();
	eprintln!("[harness {elapsed:7.1}s] {line}");
}
