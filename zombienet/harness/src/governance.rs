//! Governance as a client does it on a chain without a sudo key: a referendum on the track of
//! the privilege (`docs/governance.md`). The proposer notes the call's preimage, submits the
//! referendum, places the decision deposit, and the voters vote aye with conviction; then the
//! helper follows finalized blocks until the scheduler enacts the call. On dev and test
//! networks the tracks' periods are divided by the runtime's `DEV_PERIOD_DIVISOR` (a day
//! becomes a block), so this takes a few blocks; on a production network, days.

use crate::{
	log_line,
	owner::{
		block_events, event_fields, free_balance, number, submit, submit_in_order, ChainEvent,
	},
	Client,
};
use anyhow::{anyhow, bail, Context, Result};
use std::time::Duration;
use subxt::{
	dynamic::{self, Value},
	ext::codec::Encode,
};
use subxt_signer::sr25519::Keypair;

/// How long a dev network's referendum may take from submission to enactment.
pub const REFERENDUM_TIMEOUT: Duration = Duration::from_secs(300);

/// The track a referendum is decided on, named by the origin it dispatches with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Track {
	/// Root: runtime upgrades, anything.
	Root,
	/// Calls the technical committee whitelisted.
	WhitelistedCaller,
	/// Device classes and makers.
	DeviceAdmin,
	/// Slashes and suspensions.
	SlashAdmin,
	/// Validator admission.
	ValidatorAdmin,
	/// The emission schedule.
	EmissionAdmin,
	/// Treasury spends.
	Treasurer,
	/// Cancelling referenda.
	ReferendumCanceller,
}

impl Track {
	/// The origin a referendum on this track dispatches with (the runtime's `OriginCaller`).
	pub fn origin(self) -> Value {
		let custom =
			|name: &str| Value::unnamed_variant("Origins", [Value::unnamed_variant(name, [])]);
		match self {
			Track::Root => Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])]),
			Track::WhitelistedCaller => custom("WhitelistedCaller"),
			Track::DeviceAdmin => custom("DeviceAdmin"),
			Track::SlashAdmin => custom("SlashAdmin"),
			Track::ValidatorAdmin => custom("ValidatorAdmin"),
			Track::EmissionAdmin => custom("EmissionAdmin"),
			Track::Treasurer => custom("Treasurer"),
			Track::ReferendumCanceller => custom("ReferendumCanceller"),
		}
	}
}

/// Held while a referendum is proposed (see [`referendum`]).
static PROPOSING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Aye with 1x conviction (the vote's byte: aye is the high bit, the conviction the low ones).
const AYE_LOCKED_1X: u128 = 0x80 | 1;

/// The name the referenda pallet gives the enactment of referendum `index` in the scheduler
/// (`(b"assembly", "enactment", index)` hashed), which its `Dispatched` event carries.
pub fn enactment_task(index: u32) -> [u8; 32] {
	crate::load::blake2_256(&(*b"assembly", "enactment", index).encode())
}

/// A referendum to dispatch `pallet.call(fields)` on `track`: `voters[0]` notes the preimage,
/// submits, places the decision deposit and votes, in one block; then the other voters vote.
/// Every voter votes aye with 1x conviction and half its free balance. Returns the events of the block that enacted the call, after
/// checking the call succeeded; fails if the referendum is rejected, times out, is cancelled
/// or killed, or is not enacted within [`REFERENDUM_TIMEOUT`].
pub async fn referendum(
	api: &Client,
	voters: &[&Keypair],
	track: Track,
	pallet: &str,
	call: &str,
	fields: Vec<Value>,
) -> Result<Vec<ChainEvent>> {
	let proposer = voters.first().ok_or_else(|| anyhow!("a referendum needs a proposer"))?;
	let what = format!("{pallet}.{call} on the {track:?} track");
	let payload = dynamic::transaction(pallet, call, fields);
	let encoded = api.at_current_block().await?.transactions().call_data(&payload)?;
	let hash = crate::load::blake2_256(&encoded);
	let proposal = Value::named_variant(
		"Lookup",
		[("hash", Value::from_bytes(hash)), ("len", Value::u128(encoded.len() as u128))],
	);
	// The proposer's steps in one go (consecutive nonces, one block), the referendum's index
	// foreseen from the count and checked against the `Submitted` event; then the votes.
	// One proposal at a time from this process, so that concurrent referenda foresee their own
	// indices.
	let proposing = PROPOSING.lock().await;
	let index = u32::try_from(number(api, "Referenda", "ReferendumCount").await?)?;
	let vote = |balance: u128| {
		let vote = Value::named_variant(
			"Standard",
			[
				("vote", Value::unnamed_composite([Value::u128(AYE_LOCKED_1X)])),
				("balance", Value::u128(balance)),
			],
		);
		dynamic::transaction("ConvictionVoting", "vote", vec![Value::u128(index.into()), vote])
	};
	// Half the free balance: the rest pays the deposits and fees (a vote locks, it spends
	// nothing).
	let stake = |free: u128| free / 2;
	let proposer_free = free_balance(api, proposer.public_key().0).await?;
	let steps = [
		dynamic::transaction("Preimage", "note_preimage", vec![Value::from_bytes(&encoded)]),
		dynamic::transaction(
			"Referenda",
			"submit",
			vec![track.origin(), proposal, Value::unnamed_variant("After", [Value::u128(0)])],
		),
		dynamic::transaction(
			"Referenda",
			"place_decision_deposit",
			vec![Value::u128(index.into())],
		),
		vote(stake(proposer_free)),
	];
	let events = submit_in_order(api, proposer, &steps)
		.await
		.with_context(|| format!("proposing {what}"))?;
	// Submitted { index: u32, track: u16, proposal }
	let submitted = event_fields(&events[1], "Referenda", "Submitted")?
		.get(..4)
		.and_then(|b| b.try_into().ok())
		.map(u32::from_le_bytes);
	if submitted != Some(index) {
		bail!("{what} became referendum {submitted:?}, not {index}: another was submitted at once");
	}
	drop(proposing);
	log_line(&format!("referendum {index}: {what}"));
	// The other voters at once: one vote may already pass a dev network's referendum, after
	// which a later vote would find it closed.
	let votes = voters[1..].iter().map(|voter| async move {
		let free = free_balance(api, voter.public_key().0).await?;
		submit(api, voter, &vote(stake(free)))
			.await
			.with_context(|| format!("voting on referendum {index}"))
	});
	subxt::ext::futures::future::try_join_all(votes).await?;
	wait_for_enactment(api, index).await.with_context(|| format!("referendum {index} ({what})"))
}

/// Follows finalized blocks until referendum `index` is enacted; the events of that block.
async fn wait_for_enactment(api: &Client, index: u32) -> Result<Vec<ChainEvent>> {
	let task = enactment_task(index);
	let watch = async {
		let mut blocks = api.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let events = block_events(api, block?.hash()).await?;
			for event in &events {
				match (event.pallet.as_str(), event.name.as_str()) {
					("Referenda", "Rejected" | "TimedOut" | "Cancelled" | "Killed")
						if event.fields.get(..4) == Some(&index.to_le_bytes()[..]) =>
					{
						bail!("{}", event.name)
					},
					// Dispatched { task: (u32, u32), id: Option<[u8; 32]>, result }
					("Scheduler", "Dispatched")
						if event.fields.get(8) == Some(&1)
							&& event.fields.get(9..41) == Some(&task[..]) =>
					{
						return match event.fields.get(41) {
							Some(0) => {
								log_line(&format!("referendum {index} enacted"));
								Ok(events)
							},
							_ => bail!("enacted, and the call failed: {:?}", event.fields),
						};
					},
					_ => {},
				}
			}
		}
		bail!("the finalized block stream ended")
	};
	tokio::time::timeout(REFERENDUM_TIMEOUT, watch)
		.await
		.map_err(|_| anyhow!("not enacted within {REFERENDUM_TIMEOUT:?}"))?
}
