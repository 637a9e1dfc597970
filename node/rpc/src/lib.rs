//! # depin-rpc
//!
//! The `depin_*` JSON-RPC methods (`SPEC.md` §7), answered from the `DepinApi` runtime API at
//! the best block or at the block hash given as the last parameter.
//!
//! JSON conventions: balances are decimal strings (they exceed what JavaScript numbers hold
//! exactly); device ids, keys, hashes and bytes are `0x`-prefixed hex; accounts are SS58
//! (generic prefix 42) and are accepted as SS58 or as `0x` + 64 hex digits; H3 cells are the
//! usual 15-digit lowercase hex index. An unknown device gives `null`.
//!
//! Errors: a malformed parameter is `-32602` (invalid params) with a message naming it; an
//! unknown block is [`UNKNOWN_BLOCK`]; a failing runtime call is [`RUNTIME_ERROR`].
//! `docs/rpc.md` has an example of every method.

use depin_primitives::{
	protocol::{key_bytes, scheme_name, to_hex},
	AccountId, AttestationPolicy, Balance, BlockNumber, DeviceId, DeviceStatus, Hash,
	SuspensionReason, UsageUnit,
};
use depin_runtime_api::{DepinApi as DepinRuntimeApi, DeviceCounts, MAX_OWNER_PAGE};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned},
};
use serde::{Deserialize, Serialize};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;
use std::{fmt::Display, marker::PhantomData, sync::Arc};

/// Error code: the block hash given is not a block this node knows.
pub const UNKNOWN_BLOCK: i32 = 4001;
/// Error code: the runtime call failed (for example, the runtime at that block has no
/// `DepinApi`).
pub const RUNTIME_ERROR: i32 = 4002;

/// A device's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyJson {
	/// `ed25519`, `sr25519`, `ecdsa` or `p256`.
	pub scheme: String,
	/// The public key.
	pub public: String,
}

/// Stake on its way out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnbondingJson {
	/// The amount (planck, decimal).
	pub amount: String,
	/// The first epoch it can be withdrawn in.
	pub unlock_epoch: u32,
}

/// `depin_device`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceJson {
	/// The device id.
	pub id: String,
	/// The owner (SS58).
	pub owner: String,
	/// Its key.
	pub key: KeyJson,
	/// Its class id.
	pub class: u16,
	/// `active`, `suspended` or `retired`.
	pub status: String,
	/// Why it is suspended (`governance`, `unresponsive`, `misbehaviour`), if it is.
	pub suspension: Option<String>,
	/// Its H3 cell, if it gave one.
	pub location: Option<String>,
	/// Its metadata (hex).
	pub metadata: String,
	/// The block it registered in.
	pub registered_at: BlockNumber,
	/// Stake bonded (planck, decimal).
	pub bonded: String,
	/// Stake unbonding.
	pub unbonding: Vec<UnbondingJson>,
	/// The last epoch it delivered a heartbeat for.
	pub last_heartbeat: Option<u32>,
	/// The last epoch it delivered a storage proof for.
	pub last_storage_proof: Option<u32>,
	/// The later of the two.
	pub last_proof_epoch: Option<u32>,
	/// Its last heartbeat whose declared metrics were missing or out of range (it counted for
	/// liveness without telemetry credit), if any: compare `epoch` with `lastHeartbeat`.
	pub flagged_telemetry: Option<FlaggedJson>,
	/// Its maker's attestation, if it has one.
	pub attestation: Option<AttestationJson>,
}

/// A device's attestation by its maker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationJson {
	/// The maker's id.
	pub maker: u32,
	/// The serial number of its certificate (hex).
	pub serial: String,
	/// `valid` or `revoked`.
	pub state: String,
	/// For a revoked attestation, the first epoch it no longer earns in.
	pub revoked_from: Option<u32>,
	/// The epoch it was attested in.
	pub since: u32,
}

/// A heartbeat's flagged telemetry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlaggedJson {
	/// The heartbeat's epoch.
	pub epoch: u32,
	/// The declared metrics missing or out of range.
	pub metrics: Vec<u16>,
}

/// A declared metric and its valid range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricJson {
	/// The metric id.
	pub metric: u16,
	/// The lowest valid reading (decimal string: JavaScript numbers cannot hold every i64).
	pub min: String,
	/// The highest valid reading (decimal string).
	pub max: String,
}

/// A class's paid service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageJson {
	/// `reading` or `chunk`.
	pub unit: String,
	/// Data credits per unit.
	pub credits_per_unit: u64,
}

/// `depin_pendingRewards`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRewardsJson {
	/// Claimable now (planck, decimal).
	pub amount: String,
	/// Closed, unexpired epochs it covers.
	pub epochs: u32,
}

/// `depin_epoch`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochJson {
	/// The current epoch.
	pub index: u32,
	/// Its first block.
	pub start_block: BlockNumber,
	/// Slots per epoch (blocks, when no slot is missed).
	pub length: BlockNumber,
	/// Its seed.
	pub seed: String,
	/// When it started (its first slot, not its first block): milliseconds since the Unix
	/// epoch. Absent before the chain's first block, and from runtimes before `DepinApi`
	/// version 2.
	pub start_time: Option<u64>,
	/// How long an epoch lasts, in milliseconds.
	pub duration: Option<u64>,
	/// When epoch 0 started (the chain's first slot), in milliseconds since the Unix epoch:
	/// with `duration`, what a device is provisioned with to tell the current epoch from its
	/// own clock.
	pub genesis_time: Option<u64>,
}

/// `depin_challenge`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeJson {
	/// The current epoch.
	pub epoch: u32,
	/// The device's challenge in it.
	pub challenge: String,
	/// The chunk indices its storage proof must answer, if it committed to a data set.
	pub storage_indices: Option<Vec<u64>>,
}

/// Devices per status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsJson {
	/// Registered and not retired: active + suspended.
	pub total: u32,
	/// Active.
	pub active: u32,
	/// Suspended.
	pub suspended: u32,
	/// Retired (deregistered).
	pub retired: u32,
}

impl From<DeviceCounts> for CountsJson {
	fn from(c: DeviceCounts) -> Self {
		Self {
			total: c.active.saturating_add(c.suspended),
			active: c.active,
			suspended: c.suspended,
			retired: c.retired,
		}
	}
}

/// One class's device counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCountsJson {
	/// The class id.
	pub class: u16,
	/// Its devices.
	#[serde(flatten)]
	pub counts: CountsJson,
}

/// The last closed epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedEpochJson {
	/// Its index.
	pub index: u32,
	/// All points earned in it (decimal).
	pub points: String,
	/// What it minted (planck, decimal).
	pub emission: String,
}

/// `depin_networkStats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkStatsJson {
	/// Devices network-wide.
	pub devices: CountsJson,
	/// Devices per class.
	pub by_class: Vec<ClassCountsJson>,
	/// Stake bonded (planck, decimal).
	pub total_bonded: String,
	/// Stake unbonding (planck, decimal).
	pub total_unbonding: String,
	/// The last closed epoch, once one has closed.
	pub last_closed_epoch: Option<ClosedEpochJson>,
	/// Everything minted as rewards since genesis (planck, decimal).
	pub total_emitted: String,
	/// Total issuance (planck, decimal).
	pub total_issuance: String,
}

/// One entry of `depin_classes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassJson {
	/// Its id.
	pub id: u16,
	/// Its name.
	pub name: String,
	/// Stake a device needs to earn (planck, decimal).
	pub min_stake: String,
	/// Points per proof.
	pub reward_weight: u32,
	/// Whether its devices owe a heartbeat every epoch.
	pub owes_heartbeat: bool,
	/// Whether its devices owe a storage proof every epoch.
	pub owes_storage: bool,
	/// Whether new devices may register.
	pub open: bool,
	/// Fewest chunks of a storage device's data set.
	pub min_data_chunks: u64,
	/// The metrics its heartbeats report, with their valid ranges.
	pub telemetry: Vec<MetricJson>,
	/// Points a heartbeat earns on top of the reward weight with every declared metric in
	/// range.
	pub telemetry_weight: u32,
	/// Whether its devices must be attested by an admitted maker.
	pub attestation_required: bool,
	/// Its paid service, if any.
	pub usage: Option<UsageJson>,
	/// The epoch its terms hold from.
	pub since: u32,
}

/// The `depin_*` methods.
#[rpc(server, namespace = "depin")]
pub trait DepinRpc<BlockHash> {
	/// A device with its stake and proof record, or `null`.
	#[method(name = "device")]
	fn device(&self, device: String, at: Option<BlockHash>) -> RpcResult<Option<DeviceJson>>;

	/// The ids of the devices an account owns, a page at a time: at most `limit` (default and
	/// most [`MAX_OWNER_PAGE`]) after the device `cursor` (the last id of the page before; from
	/// the first if absent). A page shorter than `limit` is the last.
	#[method(name = "devicesByOwner")]
	fn devices_by_owner(
		&self,
		owner: String,
		cursor: Option<String>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<String>>;

	/// What a device can claim now, or `null` for an unknown device.
	#[method(name = "pendingRewards")]
	fn pending_rewards(
		&self,
		device: String,
		at: Option<BlockHash>,
	) -> RpcResult<Option<PendingRewardsJson>>;

	/// The current epoch.
	#[method(name = "epoch")]
	fn epoch(&self, at: Option<BlockHash>) -> RpcResult<EpochJson>;

	/// A device's challenge in the current epoch, or `null` for an unknown device.
	#[method(name = "challenge")]
	fn challenge(&self, device: String, at: Option<BlockHash>) -> RpcResult<Option<ChallengeJson>>;

	/// Network-wide statistics.
	#[method(name = "networkStats")]
	fn network_stats(&self, at: Option<BlockHash>) -> RpcResult<NetworkStatsJson>;

	/// The class table.
	#[method(name = "classes")]
	fn classes(&self, at: Option<BlockHash>) -> RpcResult<Vec<ClassJson>>;
}

/// The `depin_*` RPC handler.
pub struct Depin<C, Block> {
	client: Arc<C>,
	_block: PhantomData<Block>,
}

impl<C, Block> Depin<C, Block> {
	/// A handler reading through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

fn invalid_params(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(INVALID_PARAMS_CODE, message, None::<()>)
}

fn runtime_error(error: impl Display) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, format!("runtime error: {error}"), None::<()>)
}

/// A device id parameter: `0x` + 64 hex digits.
pub fn parse_device_id(text: &str) -> Result<DeviceId, ErrorObjectOwned> {
	let hex = text.starts_with("0x").then_some(text);
	hex.and_then(depin_primitives::protocol::from_hex_array::<32>).map(DeviceId::from).ok_or_else(
		|| invalid_params(format!("device id {text:?}: expected 0x followed by 64 hex digits")),
	)
}

/// An account parameter: SS58 (any registered network prefix) or `0x` + 64 hex digits.
pub fn parse_account(text: &str) -> Result<AccountId, ErrorObjectOwned> {
	if text.starts_with("0x") {
		if let Some(bytes) = depin_primitives::protocol::from_hex_array::<32>(text) {
			return Ok(AccountId::from(bytes));
		}
	} else if let Ok(account) = AccountId::from_ss58check(text) {
		return Ok(account);
	}
	Err(invalid_params(format!(
		"account {text:?}: expected an SS58 address or 0x followed by 64 hex digits"
	)))
}

fn suspension(reason: &SuspensionReason) -> &'static str {
	match reason {
		SuspensionReason::Governance => "governance",
		SuspensionReason::Unresponsive => "unresponsive",
		SuspensionReason::Misbehaviour => "misbehaviour",
	}
}

impl<C, Block> Depin<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DepinRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
{
	/// The block to read at: `at`, if the node knows it, or the best block.
	fn block(&self, at: Option<Hash>) -> Result<Hash, ErrorObjectOwned> {
		let Some(hash) = at else { return Ok(self.client.info().best_hash) };
		match self.client.header(hash) {
			Ok(Some(_)) => Ok(hash),
			Ok(None) => Err(ErrorObject::owned(
				UNKNOWN_BLOCK,
				format!("unknown block {hash:?}"),
				None::<()>,
			)),
			Err(e) => Err(runtime_error(e)),
		}
	}
}

impl<C, Block> DepinRpcServer<Hash> for Depin<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DepinRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>,
{
	fn device(&self, device: String, at: Option<Hash>) -> RpcResult<Option<DeviceJson>> {
		let id = parse_device_id(&device)?;
		let at = self.block(at)?;
		let Some(view) = self.client.runtime_api().device(at, id).map_err(runtime_error)? else {
			return Ok(None);
		};
		let (status, reason) = match &view.status {
			DeviceStatus::Active => ("active", None),
			DeviceStatus::Suspended(reason) => ("suspended", Some(suspension(reason).to_owned())),
			DeviceStatus::Retired => ("retired", None),
		};
		Ok(Some(DeviceJson {
			id: to_hex(id.as_bytes()),
			owner: view.owner.to_ss58check(),
			key: KeyJson {
				scheme: scheme_name(&view.key).to_owned(),
				public: to_hex(key_bytes(&view.key)),
			},
			class: view.class,
			status: status.to_owned(),
			suspension: reason,
			location: view.location.map(|cell| format!("{:x}", cell.index())),
			metadata: to_hex(&view.metadata),
			registered_at: view.registered_at,
			bonded: view.bonded.to_string(),
			unbonding: view
				.unbonding
				.iter()
				.map(|(amount, epoch)| UnbondingJson {
					amount: amount.to_string(),
					unlock_epoch: *epoch,
				})
				.collect(),
			last_heartbeat: view.last_heartbeat,
			last_storage_proof: view.last_storage_proof,
			last_proof_epoch: view.last_heartbeat.max(view.last_storage_proof),
			flagged_telemetry: view
				.flagged_telemetry
				.map(|(epoch, metrics)| FlaggedJson { epoch, metrics }),
			attestation: view.attestation.map(|attestation| {
				use depin_primitives::attestation::AttestationState;
				let (state, revoked_from) = match attestation.state {
					AttestationState::Revoked { from } => ("revoked", Some(from)),
					_ => ("valid", None),
				};
				AttestationJson {
					maker: attestation.maker,
					serial: to_hex(&attestation.serial),
					state: state.to_owned(),
					revoked_from,
					since: attestation.since,
				}
			}),
		}))
	}

	fn devices_by_owner(
		&self,
		owner: String,
		cursor: Option<String>,
		limit: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<Vec<String>> {
		let owner = parse_account(&owner)?;
		let cursor = cursor.as_deref().map(parse_device_id).transpose()?;
		let limit = limit.unwrap_or(MAX_OWNER_PAGE).min(MAX_OWNER_PAGE);
		let at = self.block(at)?;
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn DepinRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>>(at)
			.map_err(runtime_error)?
			.unwrap_or_default();
		let ids = if version >= 3 {
			api.devices_by_owner(at, owner, cursor, limit).map_err(runtime_error)?
		} else {
			// A runtime before version 3 returns the whole (capped) list: page it here.
			#[allow(deprecated)]
			let all = api.devices_by_owner_before_version_3(at, owner).map_err(runtime_error)?;
			let from = match cursor {
				Some(cursor) => {
					all.iter().position(|id| *id == cursor).map_or(all.len(), |i| i + 1)
				},
				None => 0,
			};
			all.into_iter().skip(from).take(limit as usize).collect()
		};
		Ok(ids.iter().map(|id| to_hex(id.as_bytes())).collect())
	}

	fn pending_rewards(
		&self,
		device: String,
		at: Option<Hash>,
	) -> RpcResult<Option<PendingRewardsJson>> {
		let id = parse_device_id(&device)?;
		let at = self.block(at)?;
		let pending = self.client.runtime_api().pending_rewards(at, id).map_err(runtime_error)?;
		Ok(pending.map(|p| PendingRewardsJson { amount: p.amount.to_string(), epochs: p.epochs }))
	}

	fn epoch(&self, at: Option<Hash>) -> RpcResult<EpochJson> {
		let at = self.block(at)?;
		let api = self.client.runtime_api();
		let epoch = api.epoch(at).map_err(runtime_error)?;
		let version = api
			.api_version::<dyn DepinRuntimeApi<Block, AccountId, Balance, BlockNumber, Hash>>(at)
			.map_err(runtime_error)?;
		let clock = match version {
			Some(version) if version >= 2 => Some(api.epoch_clock(at).map_err(runtime_error)?),
			_ => None,
		};
		// Before the first block the chain has no first slot, so no time.
		let started = clock.filter(|c| c.genesis_slot > 0);
		Ok(EpochJson {
			index: epoch.index,
			start_block: epoch.start_block,
			length: epoch.length,
			seed: to_hex(epoch.seed.as_bytes()),
			start_time: started.map(|c| c.start_ms(epoch.index)),
			duration: clock.map(|c| c.duration_ms()),
			genesis_time: started.map(|c| c.start_ms(0)),
		})
	}

	fn challenge(&self, device: String, at: Option<Hash>) -> RpcResult<Option<ChallengeJson>> {
		let id = parse_device_id(&device)?;
		let at = self.block(at)?;
		let challenge = self.client.runtime_api().challenge(at, id).map_err(runtime_error)?;
		Ok(challenge.map(|c| ChallengeJson {
			epoch: c.epoch,
			challenge: to_hex(c.challenge.as_bytes()),
			storage_indices: c.storage_indices,
		}))
	}

	fn network_stats(&self, at: Option<Hash>) -> RpcResult<NetworkStatsJson> {
		let at = self.block(at)?;
		let stats = self.client.runtime_api().network_stats(at).map_err(runtime_error)?;
		Ok(NetworkStatsJson {
			devices: stats.devices.into(),
			by_class: stats
				.by_class
				.into_iter()
				.map(|(class, counts)| ClassCountsJson { class, counts: counts.into() })
				.collect(),
			total_bonded: stats.total_bonded.to_string(),
			total_unbonding: stats.total_unbonding.to_string(),
			last_closed_epoch: stats.last_closed_epoch.map(|(index, points, emission)| {
				ClosedEpochJson {
					index,
					points: points.to_string(),
					emission: emission.to_string(),
				}
			}),
			total_emitted: stats.total_emitted.to_string(),
			total_issuance: stats.total_issuance.to_string(),
		})
	}

	fn classes(&self, at: Option<Hash>) -> RpcResult<Vec<ClassJson>> {
		let at = self.block(at)?;
		let classes = self.client.runtime_api().classes(at).map_err(runtime_error)?;
		Ok(classes
			.into_iter()
			.map(|c| ClassJson {
				id: c.id,
				name: String::from_utf8_lossy(&c.name).into_owned(),
				min_stake: c.min_stake.to_string(),
				reward_weight: c.reward_weight,
				owes_heartbeat: c.owes_heartbeat,
				owes_storage: c.owes_storage,
				open: c.open,
				min_data_chunks: c.min_data_chunks,
				telemetry: c
					.telemetry
					.iter()
					.map(|r| MetricJson {
						metric: r.metric,
						min: r.min.to_string(),
						max: r.max.to_string(),
					})
					.collect(),
				telemetry_weight: c.telemetry_weight,
				attestation_required: c.attestation == AttestationPolicy::Required,
				usage: c.usage.map(|u| UsageJson {
					unit: match u.unit {
						UsageUnit::Reading => "reading",
						UsageUnit::Chunk => "chunk",
					}
					.to_owned(),
					credits_per_unit: u.credits_per_unit,
				}),
				since: c.since,
			})
			.collect())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn device_ids_must_be_32_bytes_of_hex() {
		let id = format!("0x{}", "ab".repeat(32));
		assert_eq!(parse_device_id(&id).ok(), Some(DeviceId::repeat_byte(0xab)));
		for bad in ["", "0x", "ab".repeat(32).as_str(), "0x1234", &format!("0x{}", "zz".repeat(32))]
		{
			let error = parse_device_id(bad).err().map(|e| (e.code(), e.message().to_owned()));
			assert!(
				matches!(&error, Some((INVALID_PARAMS_CODE, m)) if m.contains("64 hex digits")),
				"{bad:?}: {error:?}"
			);
		}
	}

	#[test]
	fn accounts_are_ss58_or_hex() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let parsed = parse_account(alice).ok();
		assert_eq!(parsed.as_ref().map(|a| a.to_ss58check()), Some(alice.to_owned()));
		let hex = format!("0x{}", "d4".repeat(32));
		assert_eq!(parse_account(&hex).ok(), Some(AccountId::from([0xd4; 32])));
		for bad in
			["", "0x12", "not an address", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"]
		{
			let error = parse_account(bad).err().map(|e| e.code());
			assert_eq!(error, Some(INVALID_PARAMS_CODE), "{bad:?}");
		}
	}

	#[test]
	fn balances_are_decimal_strings_in_json() {
		let pending = PendingRewardsJson { amount: u128::MAX.to_string(), epochs: 3 };
		let json = serde_json::to_string(&pending).ok();
		assert_eq!(
			json.as_deref(),
			Some(r#"{"amount":"340282366920938463463374607431768211455","epochs":3}"#)
		);
	}
}
