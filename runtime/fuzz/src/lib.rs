//! Fuzzing the DePIN runtime.
//!
//! One fuzz input is a sequence of actions (see [`actions`]) run on a small chain whose every
//! key the fuzzer holds ([`genesis`]): random calls from random origins, our pallets' calls
//! built near-valid (real device signatures over the challenges the chain asks for) and
//! sometimes spoilt, governance, replays of included extrinsics, and any call decoded from raw
//! bytes. Blocks are built through the real `Executive` as a node builds them ([`chain`]).
//!
//! Checked on the way, each a panic (a finding) if it fails:
//! - nothing panics in the runtime;
//! - a forged proof (spoilt after signing, signed by another key, for another chain, epoch or
//!   kind) and a replayed extrinsic are refused before inclusion;
//! - a failed call changes none of our pallets' storage and names its error;
//! - no equivocation report convicts a device the fuzzer runs honestly, whatever it was asked
//!   to sign (invented challenges, future epochs), and no report slashes one;
//! - every block built imports: `Executive::execute_block` on the state before it gives the
//!   same storage root, as on another validator;
//! - after every block: every pallet's `try_state` (our six without the `try-runtime`
//!   feature), and total issuance equals genesis + emitted − burned, the emission being the
//!   only thing that mints, and the accounts hold exactly the total issuance;
//! - with [`Checks::fuzzing`], every extrinsic and every block took no longer than their
//!   charged weight times a slack (timed natively: only meaningful in optimised
//!   builds, which `make fuzz` uses).
//!
//! `make fuzz` runs it under libFuzzer (`fuzz/`); `tests/seeded.rs` runs seeded inputs in
//! `make test` and holds the regression inputs of what fuzzing found.

pub mod actions;
pub mod chain;
pub mod genesis;
pub mod invariants;

use depin_runtime::RuntimeEvent;
use std::time::Duration;

/// What was timed: an extrinsic, or a whole block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timed {
	/// An extrinsic, against the weight it was charged (after refunds).
	Extrinsic,
	/// A block, from `initialize_block` to `finalize_block` with its extrinsics, against its
	/// whole weight (base block weight, hooks, extrinsics).
	Block,
}

/// What to check beyond what always is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Checks {
	/// Fail when an extrinsic takes longer than this many times its weight; `None` only
	/// records the worst ratio.
	pub extrinsic_slack: Option<f64>,
	/// The same for a whole block.
	pub block_slack: Option<f64>,
}

impl Checks {
	/// The checks of an optimised fuzzing build: an extrinsic and a block take at most twice
	/// their weight. Weights are benchmarks of the compiled runtime on this machine with a real
	/// database, while the fuzzer runs natively on memory, but instrumented for coverage.
	pub fn fuzzing() -> Self {
		Checks { extrinsic_slack: Some(2.0), block_slack: Some(2.0) }
	}

	/// The slack for `what`.
	pub fn slack(&self, what: Timed) -> Option<f64> {
		match what {
			Timed::Extrinsic => self.extrinsic_slack,
			Timed::Block => self.block_slack,
		}
	}

	/// Whether `elapsed` exceeds `weight` (picoseconds) times the slack for `what`.
	pub fn too_slow(&self, what: Timed, elapsed: Duration, weight: u64) -> bool {
		match self.slack(what) {
			Some(slack) => elapsed.as_nanos() as f64 * 1_000.0 > weight as f64 * slack,
			None => false,
		}
	}
}

/// Counters of one or many inputs.
#[derive(Clone, Debug, Default)]
pub struct Stats {
	/// Blocks built.
	pub blocks: u64,
	/// Extrinsics submitted (inherents aside).
	pub extrinsics: u64,
	/// Refused by the pool or before dispatch.
	pub invalid: u64,
	/// Included, the call succeeded.
	pub succeeded: u64,
	/// Included, the call failed.
	pub failed: u64,
	/// Forged proofs refused.
	pub forged_refused: u64,
	/// Replayed extrinsics refused.
	pub replays_refused: u64,
	/// Equivocation reports against honest devices, all refused.
	pub framings_refused: u64,
	/// Devices registered.
	pub registered: u64,
	/// Heartbeats accepted.
	pub heartbeats: u64,
	/// Storage proofs accepted.
	pub storage_proofs: u64,
	/// Epochs closed (emission minted).
	pub epochs_closed: u64,
	/// Reward claims paid.
	pub claims: u64,
	/// Offences reported (slashes pending).
	pub offences: u64,
	/// Slashes applied.
	pub slashes: u64,
	/// Sessions started.
	pub sessions: u64,
	/// Referenda approved (confirmed).
	pub referenda_approved: u64,
	/// Referenda whose call was enacted and succeeded.
	pub referenda_enacted: u64,
	/// The largest ratio of time taken to weight charged seen for an extrinsic.
	pub worst_extrinsic_ratio: f64,
	/// The pallet of that extrinsic's call.
	pub worst_extrinsic_pallet: &'static str,
	/// The call.
	pub worst_extrinsic: &'static str,
	/// The same for a whole block.
	pub worst_block_ratio: f64,
}

impl Stats {
	/// Counts what a block's `events` show.
	pub fn count(&mut self, events: &[RuntimeEvent]) {
		for event in events {
			let counter = match event {
				RuntimeEvent::Devices(pallet_devices::Event::DeviceRegistered { .. }) => {
					&mut self.registered
				},
				RuntimeEvent::Proofs(pallet_proofs::Event::HeartbeatAccepted { .. }) => {
					&mut self.heartbeats
				},
				RuntimeEvent::Proofs(pallet_proofs::Event::StorageProofAccepted { .. }) => {
					&mut self.storage_proofs
				},
				RuntimeEvent::Rewards(pallet_rewards::Event::EpochClosed { .. }) => {
					&mut self.epochs_closed
				},
				RuntimeEvent::Rewards(pallet_rewards::Event::RewardsClaimed { .. }) => {
					&mut self.claims
				},
				RuntimeEvent::DeviceStaking(pallet_device_staking::Event::SlashReported {
					..
				}) => &mut self.offences,
				RuntimeEvent::DeviceStaking(pallet_device_staking::Event::Slashed { .. }) => {
					&mut self.slashes
				},
				RuntimeEvent::Session(pallet_session::Event::NewSession { .. }) => {
					&mut self.sessions
				},
				RuntimeEvent::Referenda(pallet_referenda::Event::Confirmed { .. }) => {
					&mut self.referenda_approved
				},
				// Enactments are named tasks; the referenda's own alarms are not.
				RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
					id: Some(_),
					result: Ok(()),
					..
				}) => &mut self.referenda_enacted,
				_ => continue,
			};
			*counter += 1;
		}
	}

	/// Adds `other`'s counters to these.
	pub fn add(&mut self, other: &Stats) {
		self.blocks += other.blocks;
		self.extrinsics += other.extrinsics;
		self.invalid += other.invalid;
		self.succeeded += other.succeeded;
		self.failed += other.failed;
		self.forged_refused += other.forged_refused;
		self.replays_refused += other.replays_refused;
		self.framings_refused += other.framings_refused;
		self.registered += other.registered;
		self.heartbeats += other.heartbeats;
		self.storage_proofs += other.storage_proofs;
		self.epochs_closed += other.epochs_closed;
		self.claims += other.claims;
		self.offences += other.offences;
		self.slashes += other.slashes;
		self.sessions += other.sessions;
		self.referenda_approved += other.referenda_approved;
		self.referenda_enacted += other.referenda_enacted;
		if other.worst_extrinsic_ratio > self.worst_extrinsic_ratio {
			self.worst_extrinsic_ratio = other.worst_extrinsic_ratio;
			self.worst_extrinsic_pallet = other.worst_extrinsic_pallet;
			self.worst_extrinsic = other.worst_extrinsic;
		}
		self.worst_block_ratio = self.worst_block_ratio.max(other.worst_block_ratio);
	}
}

/// Runs one fuzz input on a fresh genesis state; panics on a finding. Returns its counters.
pub fn run(data: &[u8], checks: Checks) -> Stats {
	let fixture = genesis::fixture();
	let mut ext = sp_io::TestExternalities::new(fixture.storage.clone());
	let mut u = arbitrary::Unstructured::new(data);
	let author = u.arbitrary().unwrap_or_default();
	let genesis = ext.as_backend();
	let chain = ext.execute_with(|| chain::Chain::start(checks, author));
	actions::Fuzzer::new(chain, genesis, fixture).run(&mut ext, &mut u)
}
