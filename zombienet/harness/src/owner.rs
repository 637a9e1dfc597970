//! What a device owner (or anyone) does with a device and the chain: ask the device over HTTP
//! for its identity and its proof of possession, register and bond it, commit its data set,
//! report it, claim its rewards. Used by the end-to-end tests and by the `depin-owner` tool.

use crate::{
	governance::{referendum, Track},
	log_line, Client,
};
use anyhow::{anyhow, bail, Context, Result};
use depin_primitives::protocol::{
	from_hex, from_hex_array, to_hex, Identity, PossessionRequest, PossessionResponse,
	IDENTITY_PATH, POSSESSION_PATH,
};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Bytes, Method, Request, StatusCode};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use std::time::Duration;
use subxt::utils::H256;
use subxt::PolkadotConfig;
use subxt::{
	dynamic::{self, Value},
	ext::scale_value::{At, ValueDef},
	transactions::{DynamicPayload, Payload},
};
use subxt_signer::sr25519::Keypair;

/// One DPN in planck.
pub const DPN: u128 = 1_000_000_000_000;

/// The longest a device may take to answer the tool.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The most the tool reads of a device's answer.
const MAX_ANSWER: usize = 256 * 1024;

/// How long a transaction may take to be finalized.
const FINALITY_TIMEOUT: Duration = Duration::from_secs(120);

/// Sends a request to a device and returns the body of its `200 OK` answer.
pub async fn http_exchange(method: Method, url: &str, body: Option<Vec<u8>>) -> Result<Vec<u8>> {
	let http = HttpClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let mut request = Request::builder().method(method).uri(url);
	if body.is_some() {
		request = request.header("content-type", "application/json");
	}
	let request = request.body(Full::new(Bytes::from(body.unwrap_or_default())))?;
	let exchange = async {
		let response = http.request(request).await?;
		let status = response.status();
		let body = Limited::new(response.into_body(), MAX_ANSWER)
			.collect()
			.await
			.map_err(|e| anyhow!("reading the answer: {e}"))?
			.to_bytes();
		if status != StatusCode::OK {
			bail!("{status}: {}", String::from_utf8_lossy(&body));
		}
		Ok(body.to_vec())
	};
	let answer = match tokio::time::timeout(HTTP_TIMEOUT, exchange).await {
		Ok(answer) => answer,
		Err(_) => Err(anyhow!("no answer within {HTTP_TIMEOUT:?}")),
	};
	answer.with_context(|| url.to_owned())
}

/// `GET {endpoint}/v1/identity`.
pub async fn identity(endpoint: &str) -> Result<Identity> {
	let answer = http_exchange(Method::GET, &format!("{endpoint}{IDENTITY_PATH}"), None).await?;
	serde_json::from_slice(&answer).with_context(|| format!("the identity of {endpoint}"))
}

/// The device's signature of the registration message for `owner` on the chain `genesis`
/// (`POST {endpoint}/v1/proof-of-possession`).
pub async fn proof_of_possession(
	endpoint: &str,
	genesis: &[u8],
	owner: &[u8; 32],
) -> Result<Vec<u8>> {
	let request = PossessionRequest { genesis_hash: to_hex(genesis), owner: to_hex(owner) };
	let answer = http_exchange(
		Method::POST,
		&format!("{endpoint}{POSSESSION_PATH}"),
		Some(serde_json::to_vec(&request)?),
	)
	.await?;
	let answer: PossessionResponse = serde_json::from_slice(&answer)?;
	from_hex(&answer.signature).ok_or_else(|| anyhow!("{endpoint}: the signature is not hex"))
}

/// The runtime's `DeviceKey` / `DeviceSignature` variant for `scheme` around `bytes`.
pub fn scheme_value(scheme: &str, bytes: &[u8]) -> Result<Value> {
	let variant = match scheme {
		"ed25519" => "Ed25519",
		"sr25519" => "Sr25519",
		"ecdsa" => "Ecdsa",
		"p256" => "P256",
		other => bail!("unknown key scheme {other:?}"),
	};
	Ok(Value::unnamed_variant(variant, [Value::from_bytes(bytes)]))
}

/// An event of a finalized transaction, with its SCALE-encoded fields.
#[derive(Clone, Debug)]
pub struct ChainEvent {
	/// Pallet name.
	pub pallet: String,
	/// Event name.
	pub name: String,
	/// The encoded fields.
	pub fields: Vec<u8>,
}

impl ChainEvent {
	/// Every event `events` yields; fails on the first that does not decode (a test must not
	/// miss an event it looks for because it was skipped).
	pub fn collect<'a, E>(
		events: impl Iterator<Item = std::result::Result<subxt::events::Event<'a, PolkadotConfig>, E>>,
	) -> Result<Vec<ChainEvent>>
	where
		E: std::error::Error + Send + Sync + 'static,
	{
		events
			.map(|event| {
				let event = event?;
				Ok(ChainEvent {
					pallet: event.pallet_name().to_owned(),
					name: event.event_name().to_owned(),
					fields: event.field_bytes().to_vec(),
				})
			})
			.collect()
	}
}

/// The events of block `at`.
pub async fn block_events(api: &Client, at: H256) -> Result<Vec<ChainEvent>> {
	let events = api.at_block(at).await?.events().fetch().await?;
	ChainEvent::collect(events.iter())
}

/// The fields of the first `pallet.name` event in `events`.
pub fn event_fields<'a>(events: &'a [ChainEvent], pallet: &str, name: &str) -> Result<&'a [u8]> {
	events
		.iter()
		.find(|e| e.pallet == pallet && e.name == name)
		.map(|e| e.fields.as_slice())
		.ok_or_else(|| anyhow!("no {pallet}.{name} among {events:?}"))
}

/// `pallet.call(args)` from arguments encoded with the runtime's own types (SCALE), checked
/// against the node's metadata.
pub async fn call_from_scale(
	api: &Client,
	pallet: &str,
	call: &str,
	args: &[u8],
) -> Result<DynamicPayload<subxt::ext::scale_value::Composite<()>>> {
	let at = api.at_current_block().await?;
	let metadata = at.metadata_ref();
	let pallet_meta =
		metadata.pallet_by_name(pallet).ok_or_else(|| anyhow!("no pallet {pallet}"))?;
	let variant =
		pallet_meta.call_variant_by_name(call).ok_or_else(|| anyhow!("no call {pallet}.{call}"))?;
	let mut data = vec![pallet_meta.call_index(), variant.index];
	data.extend_from_slice(args);
	Ok(at.transactions().from_call_data_bytes(&data)?)
}

/// Submits `tx` signed by `signer`, waits until it is finalized and succeeded, and returns its
/// events.
pub async fn submit(api: &Client, signer: &Keypair, tx: &impl Payload) -> Result<Vec<ChainEvent>> {
	Ok(submit_in_block(api, signer, tx).await?.1)
}

/// As [`submit`], with the hash of the block that included `tx`.
pub async fn submit_in_block(
	api: &Client,
	signer: &Keypair,
	tx: &impl Payload,
) -> Result<(H256, Vec<ChainEvent>)> {
	let what = format!("{}.{}", tx.pallet_name(), tx.call_name());
	let (block, events) = tokio::time::timeout(FINALITY_TIMEOUT, async {
		let finalized = api
			.at_current_block()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(tx, signer)
			.await?
			.wait_for_finalized()
			.await?;
		let events = finalized.wait_for_success().await?;
		Ok::<_, anyhow::Error>((finalized.block_hash(), events))
	})
	.await
	.with_context(|| format!("{what} was not finalized within {FINALITY_TIMEOUT:?}"))?
	.with_context(|| what.clone())?;
	log_line(&format!("{what} finalized"));
	Ok((block, ChainEvent::collect(events.iter())?))
}

/// Every transaction of `txs` signed by `signer` with consecutive nonces, submitted at once
/// (so that one block may include them all, in order), each waited for until finalized and
/// successful; the events of each. Fails with the first that failed.
pub async fn submit_in_order<P: Payload>(
	api: &Client,
	signer: &Keypair,
	txs: &[P],
) -> Result<Vec<Vec<ChainEvent>>> {
	use subxt::config::DefaultExtrinsicParamsBuilder;
	let mut transactions = api.at_current_block().await?.transactions();
	let account = subxt::utils::AccountId32(signer.public_key().0);
	let first = transactions.account_nonce(&account).await?;
	let mut watched = Vec::with_capacity(txs.len());
	for (nonce, tx) in (first..).zip(txs) {
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let what = format!("{}.{}", tx.pallet_name(), tx.call_name());
		let signed = transactions.create_signed(tx, signer, params).await?;
		watched.push((what, signed.submit_and_watch().await?));
	}
	let mut all = Vec::with_capacity(watched.len());
	for (what, progress) in watched {
		let events = tokio::time::timeout(FINALITY_TIMEOUT, async {
			Ok::<_, anyhow::Error>(progress.wait_for_finalized().await?.wait_for_success().await?)
		})
		.await
		.with_context(|| format!("{what} was not finalized within {FINALITY_TIMEOUT:?}"))?
		.with_context(|| what.clone())?;
		log_line(&format!("{what} finalized"));
		all.push(ChainEvent::collect(events.iter())?);
	}
	Ok(all)
}

/// `pallet.call(fields)` signed by `signer`, finalized; its events.
pub async fn submit_call(
	api: &Client,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	fields: Vec<Value>,
) -> Result<Vec<ChainEvent>> {
	submit(api, signer, &dynamic::transaction(pallet, call, fields)).await
}

/// `tx` signed by `signer` at the current block (nonce and mortality from the chain), encoded,
/// not submitted.
pub async fn signed_transaction(
	api: &Client,
	signer: &Keypair,
	tx: &impl Payload,
) -> Result<Vec<u8>> {
	let mut transactions = api.at_current_block().await?.transactions();
	Ok(transactions.create_signed(tx, signer, Default::default()).await?.into_encoded())
}

/// Builds `tx` as an authorized (general, unsigned) transaction, as the off-chain worker
/// does: the runtime's transaction extensions carry no signature, so subxt's "account and
/// signature" are not part of the bytes.
pub async fn authorized_transaction(api: &Client, tx: &impl Payload) -> Result<Vec<u8>> {
	let at = api.at_current_block().await?;
	let mut signable = at.transactions().create_v5_signable_offline(tx, Default::default())?;
	let nobody = subxt::utils::AccountId32([0; 32]);
	let no_signature = subxt::utils::MultiSignature::Sr25519([0; 64]);
	Ok(signable.sign_with_account_and_signature(&nobody, &no_signature)?.into_encoded())
}

/// Hands `transaction` (encoded) to the node's pool (`author_submitExtrinsic`); the pool's
/// refusal is the error.
pub async fn submit_raw(api: &Client, transaction: Vec<u8>) -> Result<()> {
	api.at_current_block().await?.transactions().from_bytes(transaction).submit().await?;
	Ok(())
}

/// Free balance of `account` at the latest finalized block.
pub async fn free_balance(api: &Client, account: [u8; 32]) -> Result<u128> {
	let address = dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let info =
		api.at_current_block().await?.storage().fetch(address, (account,)).await?.decode()?;
	info.at("data")
		.and_then(|data| data.at("free"))
		.and_then(|free| free.as_u128())
		.ok_or_else(|| anyhow!("System.Account has no data.free: {info}"))
}

/// A storage value that is a number, at the latest finalized block.
pub async fn number(api: &Client, pallet: &str, item: &str) -> Result<u128> {
	number_at(api, api.at_current_block().await?.block_hash(), pallet, item).await
}

/// A storage value that is a number, at block `at`.
pub async fn number_at(api: &Client, at: H256, pallet: &str, item: &str) -> Result<u128> {
	let value = api
		.at_block(at)
		.await?
		.storage()
		.fetch(dynamic::storage::<(), Value>(pallet, item), ())
		.await?
		.decode()?;
	value.as_u128().ok_or_else(|| anyhow!("{pallet}.{item} is not a number: {value}"))
}

/// The points `device` earned in `epoch`, as `Rewards.DevicePoints` keeps them at block `at`
/// (under the slot `epoch mod (ClaimWindow + 1)`): none if it proved nothing then, was paid
/// for it, or the entry expired.
pub async fn device_points(
	api: &Client,
	at: H256,
	device: [u8; 32],
	epoch: u32,
) -> Result<Option<u128>> {
	let at = api.at_block(at).await?;
	let window: u32 = at.constants().entry(dynamic::constant::<u32>("Rewards", "ClaimWindow"))?;
	let slot = epoch % window.saturating_add(1).max(1);
	let address = dynamic::storage::<([u8; 32], u32), Value>("Rewards", "DevicePoints");
	let Some(entry) = at.storage().try_fetch(address, (device, slot)).await? else {
		return Ok(None);
	};
	let entry = entry.decode()?;
	let field = |index: usize| entry.at(index).and_then(Value::as_u128);
	match (field(0), field(1)) {
		(Some(of), Some(points)) if of == u128::from(epoch) => Ok(Some(points)),
		(Some(_), Some(_)) => Ok(None),
		_ => Err(anyhow!("Rewards.DevicePoints entry is not (epoch, points): {entry}")),
	}
}

/// A device registered and bonded by [`register_device`].
#[derive(Clone, Debug)]
pub struct Registered {
	/// Its id on chain.
	pub device: [u8; 32],
	/// What it said it is.
	pub identity: Identity,
}

/// The certificate chain the device at `endpoint` serves as its maker's attestation (DER,
/// leaf first; `GET {endpoint}/v1/attestation`).
pub async fn attestation(endpoint: &str) -> Result<Vec<Vec<u8>>> {
	let url = format!("{endpoint}{}", depin_primitives::protocol::ATTESTATION_PATH);
	let answer = http_exchange(Method::GET, &url, None).await?;
	let response: depin_primitives::protocol::AttestationResponse = serde_json::from_slice(&answer)
		.with_context(|| format!("the attestation of {endpoint}"))?;
	response
		.chain
		.iter()
		.map(|cert| from_hex(cert).ok_or_else(|| anyhow!("{endpoint}: a certificate is not hex")))
		.collect()
}

/// Registers the device at `endpoint` for `owner` (with the proof of possession the device
/// signs), and bonds `stake` behind it if `stake` is not zero.
pub async fn register_device(
	api: &Client,
	owner: &Keypair,
	endpoint: &str,
	stake: u128,
) -> Result<Registered> {
	register_with(api, owner, endpoint, stake, None).await
}

/// Registers the device at `endpoint` as [`register_device`] does; with `maker`, as attested by
/// that maker (`Devices.register_attested_device` with the chain the device serves).
pub async fn register_with(
	api: &Client,
	owner: &Keypair,
	endpoint: &str,
	stake: u128,
	maker: Option<u32>,
) -> Result<Registered> {
	let identity = identity(endpoint).await?;
	let key = from_hex(&identity.key).ok_or_else(|| anyhow!("{endpoint}: the key is not hex"))?;
	let account = owner.public_key().0;
	let proof = proof_of_possession(endpoint, api.genesis_hash().as_ref(), &account).await?;
	let mut fields = vec![
		scheme_value(&identity.scheme, &key)?,
		Value::u128(identity.class.into()),
		Value::unnamed_variant("None", []),
		Value::from_bytes(Vec::<u8>::new()),
		scheme_value(&identity.scheme, &proof)?,
	];
	let call = match maker {
		Some(maker) => {
			let chain = attestation(endpoint).await?;
			fields.push(Value::named_variant(
				"X509",
				[
					("maker", Value::u128(maker.into())),
					("chain", Value::unnamed_composite(chain.into_iter().map(Value::from_bytes))),
				],
			));
			"register_attested_device"
		},
		None => "register_device",
	};
	let register = dynamic::transaction("Devices", call, fields);
	// The device id is the hash of its key as the runtime encodes it: the call's first
	// argument (the scheme's variant byte, then the key), after the pallet and call indices.
	let call_data = api.at_current_block().await?.transactions().call_data(&register)?;
	let foreseen: [u8; 32] = call_data
		.get(2..3 + key.len())
		.map(crate::load::blake2_256)
		.ok_or_else(|| anyhow!("a short register call"))?;
	// Registration and bond in one block (consecutive nonces).
	let mut steps = vec![register];
	if stake > 0 {
		steps.push(dynamic::transaction(
			"DeviceStaking",
			"bond",
			vec![Value::from_bytes(foreseen), Value::u128(stake)],
		));
	}
	let events = submit_in_order(api, owner, &steps).await?;
	// DeviceRegistered { device: H256, owner, class }
	let fields = event_fields(&events[0], "Devices", "DeviceRegistered")?;
	let device: [u8; 32] =
		fields.get(..32).and_then(|b| b.try_into().ok()).ok_or_else(|| anyhow!("short event"))?;
	if device != foreseen {
		bail!("registered as {}, not the foreseen {}", to_hex(&device), to_hex(&foreseen));
	}
	Ok(Registered { device, identity })
}

/// Commits a storage device to the data set with Merkle `root` over `chunks` chunks.
pub async fn commit_storage(
	api: &Client,
	owner: &Keypair,
	device: [u8; 32],
	root: [u8; 32],
	chunks: u64,
) -> Result<()> {
	submit_call(
		api,
		owner,
		"Proofs",
		"commit_storage",
		vec![Value::from_bytes(device), Value::from_bytes(root), Value::u128(chunks.into())],
	)
	.await
	.map(drop)
}

/// A claim's result: the amount paid to the owner and the epochs it covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claimed {
	/// Planck paid.
	pub amount: u128,
	/// Closed epochs paid.
	pub epochs: u32,
	/// The block that included the claim.
	pub block: H256,
}

/// Claims `device`'s rewards (paid to its owner), signed by `signer`.
pub async fn claim_rewards(api: &Client, signer: &Keypair, device: [u8; 32]) -> Result<Claimed> {
	let tx = dynamic::transaction("Rewards", "claim_rewards", vec![Value::from_bytes(device)]);
	let (block, events) = submit_in_block(api, signer, &tx).await?;
	// RewardsClaimed { device: H256, owner: AccountId32, amount: u128, epochs: u32 }
	let fields = event_fields(&events, "Rewards", "RewardsClaimed")?;
	let amount = fields.get(64..80).and_then(|b| b.try_into().ok()).map(u128::from_le_bytes);
	let epochs = fields.get(80..84).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
	match (amount, epochs) {
		(Some(amount), Some(epochs)) => Ok(Claimed { amount, epochs, block }),
		_ => bail!("Rewards.RewardsClaimed is too short: {fields:?}"),
	}
}

/// A 32-byte hex field of a JSON document.
pub fn json_bytes32(value: &serde_json::Value) -> Result<[u8; 32]> {
	let text = value.as_str().ok_or_else(|| anyhow!("{value} is not a string"))?;
	from_hex_array(text).ok_or_else(|| anyhow!("{text}: not 32 bytes of hex"))
}

/// The items of a sequence value (possibly wrapped in single-field composites, as a
/// `BoundedVec` or an `AccountId32` is).
pub fn sequence(value: &Value) -> Vec<&Value> {
	let ValueDef::Composite(composite) = &value.value else { return Vec::new() };
	let items: Vec<&Value> = composite.values().collect();
	match items[..] {
		[inner] if matches!(inner.value, ValueDef::Composite(_)) => sequence(inner),
		_ => items,
	}
}

/// The bytes of a byte array value.
pub fn value_bytes(value: &Value) -> Option<Vec<u8>> {
	sequence(value).iter().map(|v| v.as_u128().and_then(|n| u8::try_from(n).ok())).collect()
}

/// A validator's session keys (their public halves), as registered on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionKeys {
	/// BABE (block authoring), sr25519.
	pub babe: [u8; 32],
	/// GRANDPA (finality), ed25519.
	pub grandpa: [u8; 32],
}

/// What a validator's operator does before governance admits it: the node behind `node_rpc`
/// generates new session keys in its keystore with the proof that `account` owns them
/// (`author_rotateKeysWithOwner`, an unsafe RPC method: ask the node itself), and `account`
/// registers them with `Session.set_keys` through `api`.
pub async fn set_session_keys(
	api: &Client,
	node_rpc: &subxt::rpcs::RpcClient,
	account: &Keypair,
) -> Result<SessionKeys> {
	use subxt::ext::codec::Encode;
	let owner = account.public_key().0.encode();
	let generated: serde_json::Value = node_rpc
		.request("author_rotateKeysWithOwner", subxt::rpcs::rpc_params![to_hex(&owner)])
		.await
		.context("author_rotateKeysWithOwner")?;
	let field = |name: &str| {
		generated[name]
			.as_str()
			.and_then(from_hex)
			.ok_or_else(|| anyhow!("author_rotateKeysWithOwner: no {name} in {generated}"))
	};
	let (keys, proof) = (field("keys")?, field("proof")?);
	let (Some(babe), Some(grandpa)) = (
		keys.get(..32).and_then(|k| k.try_into().ok()),
		keys.get(32..).and_then(|k| k.try_into().ok()),
	) else {
		bail!("session keys are a BABE and a GRANDPA key (64 bytes), not {} bytes", keys.len());
	};
	// set_keys(keys: SessionKeys, proof: Vec<u8>): the keys as the runtime encodes them.
	let args = [keys, proof.encode()].concat();
	submit(api, account, &call_from_scale(api, "Session", "set_keys", &args).await?).await?;
	Ok(SessionKeys { babe, grandpa })
}

/// Governance admits a maker (`Makers.admit_maker`, a referendum on the device_admin track
/// that `governor` proposes and votes for) paying from `account`, with `roots` (DER) and a
/// quota; returns its id.
pub async fn admit_maker(
	api: &Client,
	governor: &Keypair,
	account: [u8; 32],
	name: &str,
	roots: Vec<Vec<u8>>,
	quota: u32,
) -> Result<u32> {
	let fields = vec![
		Value::unnamed_variant("Id", [Value::from_bytes(account)]),
		Value::from_bytes(name.as_bytes()),
		Value::unnamed_composite(roots.into_iter().map(Value::from_bytes)),
		Value::unnamed_variant("None", []),
		Value::u128(quota.into()),
	];
	let events =
		referendum(api, &[governor], Track::DeviceAdmin, "Makers", "admit_maker", fields).await?;
	// MakerAdmitted { maker: u32, account }
	let fields = event_fields(&events, "Makers", "MakerAdmitted")?;
	let id =
		fields.get(..4).and_then(|b| b.try_into().ok()).ok_or_else(|| anyhow!("short event"))?;
	Ok(u32::from_le_bytes(id))
}

/// Governance revokes a maker (`Makers.revoke_maker`, a device_admin referendum): its devices
/// stop earning from the next epoch. Returns that epoch.
pub async fn revoke_maker(api: &Client, governor: &Keypair, maker: u32) -> Result<u32> {
	let fields = vec![Value::u128(maker.into())];
	let events =
		referendum(api, &[governor], Track::DeviceAdmin, "Makers", "revoke_maker", fields).await?;
	// MakerRevoked { maker: u32, from_epoch: u32 }
	let fields = event_fields(&events, "Makers", "MakerRevoked")?;
	let from = fields.get(4..8).and_then(|b| b.try_into().ok()).ok_or_else(|| anyhow!("short"))?;
	Ok(u32::from_le_bytes(from))
}

/// Governance admits a validator (`Validators.add_validator`, a referendum on the
/// validator_admin track that `governor` proposes and votes for). The validator joins the set
/// from the session after the next.
pub async fn add_validator(api: &Client, governor: &Keypair, validator: [u8; 32]) -> Result<()> {
	let fields = vec![Value::from_bytes(validator)];
	let events =
		referendum(api, &[governor], Track::ValidatorAdmin, "Validators", "add_validator", fields)
			.await?;
	event_fields(&events, "Validators", "ValidatorAdded").map(drop)
}
