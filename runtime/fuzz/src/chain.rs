//! Blocks built as a node builds them: `Executive::initialize_block` with a BABE pre-digest,
//! the timestamp inherent, extrinsics applied one by one (an invalid one rolled back, as the
//! block builder drops it), `Executive::finalize_block`; and the invariants checked after
//! every extrinsic and every block.

use crate::{invariants::Ledger, Checks, Stats, Timed};
use codec::Encode;
use depin_primitives::migrations::storage_digest;
use depin_runtime::{
	Babe, Block, DeviceStaking, Devices, Executive, Header, Makers, Proofs, Rewards, RuntimeCall,
	RuntimeEvent, System, UncheckedExtrinsic, Validators, SLOT_DURATION,
};
use frame_support::traits::GetCallMetadata;
use sp_consensus_babe::{
	digests::{PreDigest, SecondaryPlainPreDigest},
	BABE_ENGINE_ID,
};
use sp_runtime::{
	traits::{Block as _, Header as _, Zero},
	transaction_validity::TransactionSource,
	Digest, DigestItem, DispatchError,
};
use std::time::{Duration, Instant};

/// The slot of the fuzzed chain's first block.
const GENESIS_SLOT: u64 = 1_000_000;

/// How often an extrinsic or block that looks slower than its weight is timed again before it
/// counts as a finding (the machine may have been busy with something else).
const TIMING_ATTEMPTS: u32 = 3;

/// What happened to an applied extrinsic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Refused by the transaction pool, or before dispatch (the block builder drops it):
	/// nothing changed.
	Invalid,
	/// Included, and its call succeeded.
	Succeeded,
	/// Included, and its call failed.
	Failed,
}

/// A chain being fuzzed: the state of the block under construction.
pub struct Chain {
	/// Number of the block being built.
	number: u32,
	/// Its slot.
	slot: u64,
	/// Hash of its parent.
	parent_hash: sp_core::H256,
	/// Time spent building this block so far: `initialize_block` and the extrinsics applied
	/// (the fastest of the runs each was timed with).
	block_time: Duration,
	/// The extrinsics included in this block so far, inherent first.
	included: Vec<UncheckedExtrinsic>,
	/// Issuance accounting.
	ledger: Ledger,
	/// What to check.
	checks: Checks,
	/// Counters.
	pub stats: Stats,
}

impl Chain {
	/// A chain at genesis; call inside the genesis externalities. Starts block 1.
	pub fn start(checks: Checks, author: u32) -> Self {
		let mut chain = Chain {
			number: 0,
			slot: GENESIS_SLOT - 1,
			parent_hash: System::block_hash(0),
			block_time: Duration::ZERO,
			included: Vec::new(),
			ledger: Ledger::at_genesis(),
			checks,
			stats: Stats::default(),
		};
		chain.begin_block(1, author);
		chain
	}

	/// The number of the block being built.
	pub fn number(&self) -> u32 {
		self.number
	}

	/// Starts the next block, `lapse` slots after the last (at least one), authored by
	/// validator `author` (modulo the authority set). Call [`Self::end_block`] first.
	pub fn begin_block(&mut self, lapse: u64, author: u32) {
		self.number += 1;
		self.slot = self.slot.saturating_add(lapse.max(1));
		let number = self.number;
		let authorities = Babe::authorities().len().max(1) as u32;
		let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
			authority_index: author % authorities,
			slot: self.slot.into(),
		});
		let digest =
			Digest { logs: vec![DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())] };
		let header =
			Header::new(number, Default::default(), Default::default(), self.parent_hash, digest);
		let checks = self.checks;
		let (_, init_time) = timed(
			|| Executive::initialize_block(&header),
			|elapsed, _| {
				checks.too_slow(Timed::Block, elapsed, System::block_weight().total().ref_time())
			},
		);
		sp_io::storage::commit_transaction();
		self.block_time = init_time;
		self.included.clear();

		let now = self.slot * SLOT_DURATION;
		let inherent =
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
				now,
			}));
		let outcome = self.apply(inherent);
		assert_eq!(outcome, Outcome::Succeeded, "the timestamp inherent applies");
	}

	/// Finalizes the block being built and checks the invariants of the state it leaves;
	/// returns the block, as the node would seal and announce it.
	pub fn end_block(&mut self) -> Block {
		// The whole block against its whole weight: finalizing computes the storage root over
		// everything the block wrote, which the extrinsics' write weights pay for.
		let (checks, before) = (self.checks, self.block_time);
		let weight = || System::block_weight().total().ref_time();
		let (header, finalize_time) = timed(Executive::finalize_block, |elapsed, _| {
			checks.too_slow(Timed::Block, before + elapsed, weight())
		});
		sp_io::storage::commit_transaction();
		self.parent_hash = header.hash();
		self.stats.blocks += 1;
		self.check_time(Timed::Block, before + finalize_time, weight());

		let events: Vec<RuntimeEvent> =
			System::read_events_no_consensus().map(|record| record.event).collect();
		self.stats.count(&events);
		// What referenda enacted failed with a named error, as an extrinsic's call must.
		for event in &events {
			if let RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
				result: Err(error),
				..
			}) = event
			{
				named(error);
			}
		}
		self.ledger.after_block(&events);
		crate::invariants::honest_devices_unharmed(&events);
		crate::invariants::check_state(self.number);
		Block::new(header, core::mem::take(&mut self.included))
	}

	/// Submits `extrinsic` as a client does: the transaction pool validates it, then the block
	/// builder applies it. Checks what it may change and its time against its weight.
	pub fn submit(&mut self, extrinsic: UncheckedExtrinsic) -> Outcome {
		self.stats.extrinsics += 1;
		// The pool's validation changes nothing (the node discards its state).
		sp_io::storage::start_transaction();
		let valid = Executive::validate_transaction(
			TransactionSource::External,
			extrinsic.clone(),
			self.parent_hash,
		);
		sp_io::storage::rollback_transaction();
		let outcome = match valid {
			Err(_) => Outcome::Invalid,
			Ok(_) => self.apply(extrinsic),
		};
		match outcome {
			Outcome::Invalid => self.stats.invalid += 1,
			Outcome::Succeeded => self.stats.succeeded += 1,
			Outcome::Failed => self.stats.failed += 1,
		}
		outcome
	}

	/// Applies `extrinsic` as the block builder does (inherents, and what the pool let in),
	/// checks what it may change and how long it took against the weight it was charged.
	fn apply(&mut self, extrinsic: UncheckedExtrinsic) -> Outcome {
		let before = our_storage();
		let weight_before = System::block_weight().total().ref_time();

		let (result, elapsed) = timed(
			|| Executive::apply_extrinsic(extrinsic.clone()),
			|elapsed, result| {
				let charged =
					System::block_weight().total().ref_time().saturating_sub(weight_before);
				result.is_ok() && self.checks.too_slow(Timed::Extrinsic, elapsed, charged)
			},
		);
		let outcome = match result {
			Err(_) => {
				// The block builder drops an invalid extrinsic with whatever it wrote.
				sp_io::storage::rollback_transaction();
				return Outcome::Invalid;
			},
			Ok(dispatched) => {
				sp_io::storage::commit_transaction();
				self.included.push(extrinsic.clone());
				Self::outcome(dispatched)
			},
		};
		let charged = System::block_weight().total().ref_time().saturating_sub(weight_before);
		self.block_time += elapsed;
		let ratio_before = self.stats.worst_extrinsic_ratio;
		self.check_time(Timed::Extrinsic, elapsed, charged);
		if self.stats.worst_extrinsic_ratio > ratio_before {
			let call = extrinsic.function.get_call_metadata();
			self.stats.worst_extrinsic = call.function_name;
			self.stats.worst_extrinsic_pallet = call.pallet_name;
		}

		if outcome == Outcome::Failed {
			assert_eq!(
				our_storage(),
				before,
				"a failed call changed our pallets' storage: {extrinsic:?}"
			);
		}
		outcome
	}

	/// Whether an included extrinsic's call succeeded, checking that a failure of one of our
	/// pallets' calls carries a named error.
	fn outcome(dispatched: Result<(), DispatchError>) -> Outcome {
		match dispatched {
			Err(error) => {
				named(&error);
				Outcome::Failed
			},
			Ok(()) => Outcome::Succeeded,
		}
	}

	/// Checks that `elapsed` is covered by `weight` (picoseconds of reference time) within the
	/// slack of [`Checks`] for `what`; records the worst ratio seen.
	fn check_time(&mut self, what: Timed, elapsed: Duration, weight: u64) {
		if weight.is_zero() {
			return;
		}
		let ratio = elapsed.as_nanos() as f64 * 1_000.0 / weight as f64;
		let worst = match what {
			Timed::Extrinsic => &mut self.stats.worst_extrinsic_ratio,
			Timed::Block => &mut self.stats.worst_block_ratio,
		};
		*worst = worst.max(ratio);
		assert!(
			!self.checks.too_slow(what, elapsed, weight),
			"{what:?} took {elapsed:?}, more than {} times its weight of {} µs (block {})",
			self.checks.slack(what).unwrap_or_default(),
			weight / 1_000_000,
			self.number,
		);
	}
}

/// Runs `work` in a new storage transaction, timed, and leaves the transaction open for the
/// caller to commit or roll back. While `too_slow(fastest time, result)`, at most
/// [`TIMING_ATTEMPTS`] times, undoes the work and runs it again on the same state: one slow run
/// may be the machine's doing, every run of the same work being the same work.
fn timed<R>(mut work: impl FnMut() -> R, too_slow: impl Fn(Duration, &R) -> bool) -> (R, Duration) {
	let mut fastest = Duration::MAX;
	let mut attempt = 0;
	loop {
		attempt += 1;
		sp_io::storage::start_transaction();
		let started = Instant::now();
		let result = work();
		fastest = fastest.min(started.elapsed());
		if attempt == TIMING_ATTEMPTS || !too_slow(fastest, &result) {
			return (result, fastest);
		}
		sp_io::storage::rollback_transaction();
	}
}

/// A failed call must say why with an error the caller can look up: never `Other`,
/// `Corruption` or `Unavailable`, which name nothing.
fn named(error: &DispatchError) {
	assert!(
		!matches!(
			error,
			DispatchError::Other(_) | DispatchError::Corruption | DispatchError::Unavailable
		),
		"a call failed without a named error: {error:?}"
	);
}

/// A digest of every storage entry of our pallets.
fn our_storage() -> [(u32, [u8; 32]); 6] {
	[
		storage_digest::<Devices>(),
		storage_digest::<Makers>(),
		storage_digest::<DeviceStaking>(),
		storage_digest::<Proofs>(),
		storage_digest::<Rewards>(),
		storage_digest::<Validators>(),
	]
}
