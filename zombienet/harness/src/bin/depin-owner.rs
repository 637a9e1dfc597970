//! `depin-owner`: what a device owner does with a running chain, from the command line.
//!
//! ```text
//! depin-owner register --owner //Bob --endpoint http://127.0.0.1:8700/0 --bond 100
//! depin-owner register --owner //Bob --endpoint http://127.0.0.1:8700/1 --bond 500 \
//!     --storage-root 0x… --chunks 64
//! depin-owner status --device 0x…
//! depin-owner claim --signer //Bob --device 0x…
//! depin-owner endpoints                    # what the node's off-chain worker polls
//! depin-owner endpoints --set http://127.0.0.1:8700/0 --set http://127.0.0.1:8700/1
//! depin-owner --url ws://VALIDATOR session-keys --account //Eve   # a validator's operator
//! depin-owner add-validator --governor //Alice --validator 5HGjWAeF…   # a referendum
//! ```
//!
//! `register` asks the device (over the device HTTP protocol) for its identity and for its
//! proof of possession of its key for the owner, registers it, bonds the stake behind it and,
//! for a storage device, commits its data set. Every transaction waits for finality.
//!
//! `endpoints` reads or replaces the list of device endpoints a running node polls (the
//! `--device-endpoint` flags it started with), through the node's unsafe
//! `offchain_localStorage{Get,Set}` RPC methods: run it against the node itself (on the same
//! machine, or with `--rpc-methods unsafe`).
//!
//! `session-keys` is the validator operator's step: the node at `--url` (the validator's own,
//! for the same unsafe-RPC reason) generates session keys in its keystore with the proof that
//! the account owns them, and the account registers them (`Session.set_keys`). `add-validator`
//! is governance: a referendum on the validator_admin track that the governor proposes and
//! votes for, followed until it is enacted (blocks on dev and test networks, whose tracks are
//! short; days on a production network, where it needs many more votes than one account's).

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use depin_harness::{
	owner::{self, DPN},
	Client,
};
use depin_primitives::protocol::{from_hex, from_hex_array, to_hex, ENDPOINTS_KEY};
use std::str::FromStr;
use subxt::{
	dynamic::{self, Value},
	ext::{
		codec::{Decode, Encode},
		scale_value::{At, ValueDef},
	},
	rpcs::{rpc_params, RpcClient},
	utils::AccountId32,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Registers, inspects and claims for DePIN devices on a running chain.
#[derive(Parser)]
#[command(version)]
struct Cli {
	/// The node's JSON-RPC WebSocket URL.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Registers the device at an endpoint (with its proof of possession) and bonds its stake.
	Register {
		/// The owner's secret URI (`//Bob`, a mnemonic, `0x` seed), sr25519.
		#[arg(long)]
		owner: String,
		/// The device's HTTP endpoint (as given to `--device-endpoint`).
		#[arg(long)]
		endpoint: String,
		/// Stake to bond, in DPN (at least the class minimum for the device to earn).
		#[arg(long, default_value_t = 0)]
		bond: u128,
		/// For storage devices: the Merkle root of the data set (`depin-device-sim` prints it).
		#[arg(long, requires = "chunks")]
		storage_root: Option<String>,
		/// For storage devices: the number of chunks of the data set.
		#[arg(long, requires = "storage_root")]
		chunks: Option<u64>,
		/// For a class that requires attestation: the id of the device's maker on chain; the
		/// device's certificate chain (`GET /v1/attestation`) goes with the registration.
		#[arg(long)]
		maker: Option<u32>,
	},
	/// Shows a device's record, stake, proof record and points of the last epochs.
	Status {
		/// The device id (`0x` + 64 hex digits).
		#[arg(long)]
		device: String,
	},
	/// Claims a device's rewards (paid to its owner, whoever signs).
	Claim {
		/// The signer's secret URI.
		#[arg(long)]
		signer: String,
		/// The device id.
		#[arg(long)]
		device: String,
	},
	/// Generates session keys in the node's keystore (the validator's node) and registers them
	/// for the account, with the proof that it owns them.
	SessionKeys {
		/// The validator account's secret URI (it signs `Session.set_keys`).
		#[arg(long)]
		account: String,
	},
	/// Adds a validator by referendum (`Validators.add_validator` on the validator_admin track).
	AddValidator {
		/// The secret URI of the account that proposes, pays the deposits and votes.
		#[arg(long)]
		governor: String,
		/// The validator's account (SS58), which has registered its session keys.
		#[arg(long)]
		validator: String,
	},
	/// Lists, or with `--set`/`--clear` replaces, the device endpoints the node polls.
	Endpoints {
		/// The new list, in order (repeat the flag).
		#[arg(long = "set", conflicts_with = "clear")]
		set: Vec<String>,
		/// Detach every device.
		#[arg(long)]
		clear: bool,
	},
}

fn keypair(uri: &str) -> Result<Keypair> {
	let uri = SecretUri::from_str(uri).map_err(|e| anyhow!("secret URI {uri:?}: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("key from secret URI: {e:?}"))
}

/// A device id or Merkle root given as `0x` + 64 hex digits.
fn hash32(text: &str, flag: &str) -> Result<[u8; 32]> {
	from_hex_array(text).ok_or_else(|| anyhow!("{flag} {text:?}: expected 0x + 64 hex digits"))
}

/// DPN with 12 decimals, for people.
fn dpn(planck: u128) -> String {
	format!("{}.{:012} DPN", planck / DPN, planck % DPN)
}

#[tokio::main]
async fn main() -> Result<()> {
	let cli = Cli::parse();
	let rpc = RpcClient::from_insecure_url(&cli.url)
		.await
		.with_context(|| format!("connecting to {}", cli.url))?;
	// The endpoint list is the node's, not the chain's: no need for the chain's metadata.
	let chain = || async {
		Client::from_rpc_client(rpc.clone()).await.context("reading the chain's metadata")
	};
	match cli.command {
		Command::Endpoints { set, clear } => {
			endpoints(&rpc, (!set.is_empty() || clear).then_some(&set)).await?
		},
		Command::Register { owner, endpoint, bond, storage_root, chunks, maker } => {
			let api = chain().await?;
			let owner = keypair(&owner)?;
			let stake = bond.checked_mul(DPN).ok_or_else(|| anyhow!("--bond {bond}: too large"))?;
			let registered = owner::register_with(&api, &owner, &endpoint, stake, maker).await?;
			let id = registered.device;
			println!(
				"registered device {} ({} key, class {})",
				to_hex(&id),
				registered.identity.scheme,
				registered.identity.class
			);
			if let Some(maker) = maker {
				println!("attested by maker {maker}");
			}
			if stake > 0 {
				println!("bonded {}", dpn(stake));
			}
			if let (Some(root), Some(chunks)) = (storage_root, chunks) {
				let root = hash32(&root, "--storage-root")?;
				owner::commit_storage(&api, &owner, id, root, chunks).await?;
				println!("committed {chunks} chunks with Merkle root {}", to_hex(&root));
			}
		},
		Command::SessionKeys { account } => {
			let account = keypair(&account)?;
			let keys = owner::set_session_keys(&chain().await?, &rpc, &account).await?;
			println!("session keys registered for {}", AccountId32(account.public_key().0));
			println!("babe:    {}", to_hex(&keys.babe));
			println!("grandpa: {}", to_hex(&keys.grandpa));
		},
		Command::AddValidator { governor, validator } => {
			let account = AccountId32::from_str(&validator)
				.map_err(|e| anyhow!("--validator {validator:?}: not an SS58 account: {e}"))?;
			owner::add_validator(&chain().await?, &keypair(&governor)?, account.0).await?;
			let session = owner::number(&chain().await?, "Session", "CurrentIndex").await?;
			println!(
				"{account} added during session {session}: it validates from session {}",
				session + 2
			);
		},
		Command::Status { device } => status(&chain().await?, hash32(&device, "--device")?).await?,
		Command::Claim { signer, device } => {
			let (signer, device) = (keypair(&signer)?, hash32(&device, "--device")?);
			let claimed = owner::claim_rewards(&chain().await?, &signer, device).await?;
			println!("claimed {} for {} epoch(s)", dpn(claimed.amount), claimed.epochs);
		},
	}
	Ok(())
}

/// Prints what the chain holds about `device` at the latest finalized block.
async fn status(api: &Client, device: [u8; 32]) -> Result<()> {
	let at = api.at_current_block().await?;
	let fetch = |pallet: &'static str, item: &'static str| {
		let at = &at;
		async move {
			let address = dynamic::storage::<([u8; 32],), Value>(pallet, item);
			let value = at.storage().try_fetch(address, (device,)).await?;
			value.map(|v| v.decode()).transpose().map_err(anyhow::Error::from)
		}
	};
	let epoch = owner::number(api, "Proofs", "CurrentEpoch").await?;
	println!("device {} at finalized block #{}, epoch {epoch}", to_hex(&device), at.block_number());
	let Some(info) = fetch("Devices", "Devices").await? else {
		println!("not registered");
		return Ok(());
	};
	let owner =
		info.at("owner").and_then(owner::value_bytes).and_then(|b| <[u8; 32]>::try_from(b).ok());
	println!(
		"owner {}, class {}, status {}, registered in block {}",
		owner.map(|o| AccountId32(o).to_string()).unwrap_or_else(|| "?".into()),
		number_at(&info, "class"),
		info.at("status").map(variant_name).unwrap_or_default(),
		number_at(&info, "registered_at"),
	);
	match fetch("DeviceStaking", "Ledgers").await? {
		Some(ledger) => println!(
			"bonded {}, {} unbonding chunk(s)",
			dpn(ledger.at("bonded").and_then(Value::as_u128).unwrap_or_default()),
			ledger.at("unbonding").map(|u| owner::sequence(u).len()).unwrap_or_default(),
		),
		None => println!("nothing bonded"),
	}
	if let Some(record) = fetch("Proofs", "Records").await? {
		println!(
			"last heartbeat in epoch {}, last storage proof in epoch {}",
			record.at("last_heartbeat").map(option_text).unwrap_or_default(),
			record.at("last_storage").map(option_text).unwrap_or_default(),
		);
	}
	if let Some(commitment) = fetch("Proofs", "Commitments").await? {
		println!(
			"data set of {} chunks committed in epoch {}",
			number_at(&commitment, "leaf_count"),
			number_at(&commitment, "since"),
		);
	}
	let epoch = u32::try_from(epoch)?;
	let hash = at.block_hash();
	for epoch in epoch.saturating_sub(3)..=epoch {
		if let Some(points) = depin_harness::owner::device_points(api, hash, device, epoch).await? {
			println!("epoch {epoch}: {points} points (unclaimed)");
		}
	}
	Ok(())
}

/// A numeric field, as text (`?` if absent).
fn number_at(value: &Value, field: &str) -> String {
	value.at(field).and_then(Value::as_u128).map_or_else(|| "?".into(), |n| n.to_string())
}

/// The name of an enum value's variant.
fn variant_name(value: &Value) -> String {
	match &value.value {
		ValueDef::Variant(variant) => variant.name.clone(),
		other => format!("{other:?}"),
	}
}

/// `Some(n)` as `n`, `None` as `none`.
fn option_text(value: &Value) -> String {
	match &value.value {
		ValueDef::Variant(variant) if variant.name == "Some" => variant
			.values
			.values()
			.next()
			.and_then(Value::as_u128)
			.map_or("?".into(), |n| n.to_string()),
		_ => "none".into(),
	}
}

/// Prints the endpoints the node's off-chain worker polls, after replacing them with `new`.
/// The list lives in the node's persistent off-chain storage under
/// [`ENDPOINTS_KEY`], SCALE-encoded as `Vec<Vec<u8>>` (UTF-8 URLs); the worker reads it on
/// every run.
async fn endpoints(rpc: &RpcClient, new: Option<&Vec<String>>) -> Result<()> {
	let key = to_hex(ENDPOINTS_KEY);
	if let Some(urls) = new {
		for url in urls {
			if !(url.starts_with("http://") || url.starts_with("https://")) {
				bail!("{url:?}: expected an http:// or https:// URL");
			}
		}
		let value: Vec<Vec<u8>> = urls.iter().map(|url| url.as_bytes().to_vec()).collect();
		let () = rpc
			.request(
				"offchain_localStorageSet",
				rpc_params!["PERSISTENT", &key, to_hex(&value.encode())],
			)
			.await
			.context("offchain_localStorageSet (an unsafe RPC method)")?;
	}
	let stored: Option<String> = rpc
		.request("offchain_localStorageGet", rpc_params!["PERSISTENT", &key])
		.await
		.context("offchain_localStorageGet (an unsafe RPC method)")?;
	let urls = match stored.as_deref().map(from_hex) {
		None => Vec::new(),
		Some(Some(bytes)) => Vec::<Vec<u8>>::decode(&mut &bytes[..])
			.context("the stored endpoint list is not SCALE Vec<Vec<u8>>")?,
		Some(None) => bail!("the node answered {stored:?}, not hex"),
	};
	println!("{} device endpoint(s) attached", urls.len());
	for url in urls {
		println!("{}", String::from_utf8_lossy(&url));
	}
	Ok(())
}
