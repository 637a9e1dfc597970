//! The fuzz harness on seeded pseudo-random inputs, as `make test` runs it: every invariant of
//! the harness holds on them (a violation panics), and the inputs reach the deep states a
//! fuzzer must reach to be worth running (proofs accepted, epochs closed, rewards claimed,
//! devices slashed). Inputs that fuzzing found a finding with are kept below as regressions.

use depin_runtime_fuzz::{run, Checks, Stats};

/// Inputs per run: about 15 s in a debug build.
const INPUTS: u64 = 16;

/// Bytes of one input: enough for a few hundred actions.
const INPUT_LEN: usize = 3_000;

/// `len` bytes from a xorshift generator seeded with `seed`: the same inputs every run.
fn input(seed: u64, len: usize) -> Vec<u8> {
	let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
	(0..len)
		.map(|_| {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			(state >> 24) as u8
		})
		.collect()
}

#[test]
fn seeded_inputs_keep_every_invariant_and_reach_deep_states() {
	let mut total = Stats::default();
	for seed in 0..INPUTS {
		total.add(&run(&input(seed, INPUT_LEN), Checks::default()));
	}
	println!("{total:#?}");
	assert!(total.blocks > INPUTS * 10, "inputs build many blocks: {total:?}");
	assert!(total.succeeded > 0 && total.failed > 0 && total.invalid > 0, "{total:?}");
	for (what, count) in [
		("devices registered", total.registered),
		("heartbeats accepted", total.heartbeats),
		("storage proofs accepted", total.storage_proofs),
		("epochs closed", total.epochs_closed),
		("rewards claimed", total.claims),
		("offences reported", total.offences),
		("slashes applied", total.slashes),
		("sessions started", total.sessions),
		("referenda approved", total.referenda_approved),
		("referenda enacted", total.referenda_enacted),
		("forged proofs refused", total.forged_refused),
		("replays refused", total.replays_refused),
		("framings of honest devices refused", total.framings_refused),
	] {
		assert!(count > 0, "no {what} in {INPUTS} seeded inputs: {total:?}");
	}
}

#[test]
fn an_empty_input_builds_one_block() {
	let stats = run(&[], Checks::default());
	assert_eq!(stats.blocks, 1);
	assert_eq!(stats.extrinsics, 0, "the timestamp inherent is not submitted");
}

/// The inputs with which fuzzing found something (`fuzz/regressions/runtime/`, named after
/// what it found; `docs/security.md` says what each was) keep every invariant. Their timing,
/// what they failed on, is checked where it means something: `make fuzz` runs them first,
/// from the same folder, in its optimised build.
#[test]
fn inputs_that_fuzzing_found_something_with_keep_every_invariant() {
	let folder =
		std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/runtime");
	let mut inputs = 0;
	for entry in std::fs::read_dir(&folder).expect("the regressions folder exists") {
		let path = entry.expect("a readable folder").path();
		let data = std::fs::read(&path).expect("a readable input");
		let stats = run(&data, Checks::default());
		println!("{}: {} blocks, {} extrinsics", path.display(), stats.blocks, stats.extrinsics);
		inputs += 1;
	}
	assert!(inputs >= 2, "the regression inputs are in {}", folder.display());
}
