//! libFuzzer target: each input is a sequence of actions on the DePIN runtime (see
//! `depin_runtime_fuzz`), with every pallet's `try_state` and the weight check on. A panic is a
//! finding; libFuzzer saves its input under `artifacts/runtime/`.
//!
//! Every ten seconds, and when the run ends, prints what all inputs so far executed.

#![no_main]

use depin_runtime_fuzz::{run, Checks, Stats};
use std::{
	sync::Mutex,
	time::{Duration, Instant},
};

/// Totals since the start: when it started, when they were last printed, inputs run, counters.
static TOTALS: Mutex<Option<(Instant, Instant, u64, Stats)>> = Mutex::new(None);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	let stats = run(data, Checks::fuzzing());
	let mut totals = TOTALS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let now = Instant::now();
	let (started, printed, inputs, total) =
		totals.get_or_insert_with(|| (now, now, 0, Stats::default()));
	*inputs += 1;
	total.add(&stats);
	if now.duration_since(*printed) >= Duration::from_secs(10) {
		*printed = now;
		eprintln!(
			"depin-fuzz: {inputs} inputs, {} blocks, {} extrinsics ({} refused, {} succeeded, \
			 {} failed; {} forged proofs, {} replays and {} framings refused; {} heartbeats, {} storage \
			 proofs, {} claims, {} slashes) in {} s; worst time/weight {:.2} (extrinsics: {}.{}), \
			 {:.2} (blocks)",
			total.blocks,
			total.extrinsics,
			total.invalid,
			total.succeeded,
			total.failed,
			total.forged_refused,
			total.replays_refused,
			total.framings_refused,
			total.heartbeats,
			total.storage_proofs,
			total.claims,
			total.slashes,
			now.duration_since(*started).as_secs(),
			total.worst_extrinsic_ratio,
			total.worst_extrinsic_pallet,
			total.worst_extrinsic,
			total.worst_block_ratio,
		);
	}
});
