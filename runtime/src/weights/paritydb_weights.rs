//! Measured on the reference machine by `scripts/base-weights.sh` (`make weights`) on the
//! genesis state of a 100,000-device benchmark chain (`--chain bench-100000-60`); ParityDB
//! writes in batches of 5,000 keys and both database weights are 95th percentiles, the
//! execution overheads are averages. Regenerate, do not edit.

//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-11-29 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//!
//! DATABASE: `ParityDb`, RUNTIME: `DePIN Bench (100000 devices, 60-block epochs)`
//! BLOCK-NUM: `Number(0)`
//! SKIP-WRITE: `false`, SKIP-READ: `false`, WARMUPS: `1`
//! STATE-VERSION: `V1`, STATE-CACHE-SIZE: ``
//! WEIGHT-PATH: `runtime/src/weights/paritydb_weights.rs`
//! METRIC: `P95Percentile`, WEIGHT-MUL: `1.0`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/depin-target/release/depin-node
//   benchmark
//   storage
//   --chain
//   bench-100000-60
//   --base-path
//   /root/.cache/depin-target/bench/storage-db
//   --database
//   paritydb
//   --state-version
//   1
//   --warmups
//   1
//   --batch-size
//   5000
//   --metric
//   p95
//   --header
//   scripts/base-weights-header.txt
//   --weight-path
//   runtime/src/weights/paritydb_weights.rs

/// Storage DB weights for the `DePIN Bench (100000 devices, 60-block epochs)` runtime and `ParityDb`.
pub mod constants {
	use frame_support::weights::constants;
	use sp_core::parameter_types;
	use sp_weights::RuntimeDbWeight;

	parameter_types! {
		/// `ParityDB` can be enabled with a feature flag, but is still experimental. These weights
		/// are available for brave runtime engineers who may want to try this out as default.
		pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
			/// Time to read one storage item.
			/// Calculated by multiplying the *P95Percentile* of all values with `1.0` and adding `0`.
			///
			/// Stats nanoseconds:
			///   Min, Max: 2_253, 2_256_936
			///   Average:  9_100
			///   Median:   7_862
			///   Std-Dev:  22350.19
			///
			/// Percentiles nanoseconds:
			///   99th: 15_493
			///   95th: 11_748
			///   75th: 9_354
			read: 11_748 * constants::WEIGHT_REF_TIME_PER_NANOS,

			/// Time to write one storage item.
			/// Calculated by multiplying the *P95Percentile* of all values with `1.0` and adding `0`.
			///
			/// Stats nanoseconds:
			///   Min, Max: 13_640, 56_553
			///   Average:  24_207
			///   Median:   22_242
			///   Std-Dev:  6812.22
			///
			/// Percentiles nanoseconds:
			///   99th: 56_553
			///   95th: 30_702
			///   75th: 26_291
			write: 30_702 * constants::WEIGHT_REF_TIME_PER_NANOS,
		};
	}

	#[cfg(test)]
	mod test_db_weights {
		use super::constants::ParityDbWeight as W;
		use sp_weights::constants;

		/// Checks that all weights exist and have sane values.
		// NOTE: If this test fails but you are sure that the generated values are fine,
		// you can delete it.
		#[test]
		fn bound() {
			// At least 1 µs.
			assert!(
				W::get().reads(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Read weight should be at least 1 µs."
			);
			assert!(
				W::get().writes(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Write weight should be at least 1 µs."
			);
			// At most 1 ms.
			assert!(
				W::get().reads(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Read weight should be at most 1 ms."
			);
			assert!(
				W::get().writes(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Write weight should be at most 1 ms."
			);
		}
	}
}
