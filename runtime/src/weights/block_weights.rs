//! Measured on the reference machine by `scripts/base-weights.sh` (`make weights`) on the
//! genesis state of a 100,000-device benchmark chain (`--chain bench-100000-60`); ParityDB
//! writes in batches of 5,000 keys and both database weights are 95th percentiles, the
//! execution overheads are averages. Regenerate, do not edit.

//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-01 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//!
//! SHORT-NAME: `block`, LONG-NAME: `BlockExecution`, RUNTIME: `DePIN Bench (100000 ed25519 devices, 60-block epochs)`
//! WARMUPS: `3`, REPEAT: `20`
//! WEIGHT-PATH: `runtime/src/weights/`
//! WEIGHT-METRIC: `Average`, WEIGHT-MUL: `1.0`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/depin-target/release/depin-node
//   benchmark
//   overhead
//   --chain
//   bench-100000-60
//   --warmup
//   3
//   --repeat
//   20
//   --header
//   scripts/base-weights-header.txt
//   --weight-path
//   runtime/src/weights/

use sp_core::parameter_types;
use sp_weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};

parameter_types! {
	/// Weight of executing an empty block.
	/// Calculated by multiplying the *Average* with `1.0` and adding `0`.
	///
	/// Stats nanoseconds:
	///   Min, Max: 296_793, 466_395
	///   Average:  419_035
	///   Median:   437_452
	///   Std-Dev:  43565.24
	///
	/// Percentiles nanoseconds:
	///   99th: 466_395
	///   95th: 458_954
	///   75th: 448_369
	pub const BlockExecutionWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(419_035), 0);
}

#[cfg(test)]
mod test_weights {
	use sp_weights::constants;

	/// Checks that the weight exists and is sane.
	// NOTE: If this test fails but you are sure that the generated values are fine,
	// you can delete it.
	#[test]
	fn sane() {
		let w = super::BlockExecutionWeight::get();

		// At least 100 µs.
		assert!(
			w.ref_time() >= 100u64 * constants::WEIGHT_REF_TIME_PER_MICROS,
			"Weight should be at least 100 µs."
		);
		// At most 50 ms.
		assert!(
			w.ref_time() <= 50u64 * constants::WEIGHT_REF_TIME_PER_MILLIS,
			"Weight should be at most 50 ms."
		);
	}
}
