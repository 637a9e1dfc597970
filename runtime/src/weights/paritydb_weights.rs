//! Measured on the reference machine by `scripts/base-weights.sh` (`make weights`) on the
//! genesis state of a 100,000-device benchmark chain (`--chain bench-100000-60`); ParityDB
//! writes in batches of 5,000 keys and both database weights are 95th percentiles, the
//! execution overheads are averages. Regenerate, do not edit.

//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-01 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//!
//! DATABASE: `ParityDb`, RUNTIME: `DePIN Bench (100000 ed25519 devices, 60-block epochs)`
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

/// Storage DB weights for the `DePIN Bench (100000 ed25519 devices, 60-block epochs)` runtime and `ParityDb`.
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
			///   Min, Max: 1_873, 1_830_108
			///   Average:  10_139
			///   Median:   8_884
			///   Std-Dev:  25226.03
			///
			/// Percentiles nanoseconds:
			///   99th: 15_633
			///   95th: 12_028
			///   75th: 9_914
			read: 12_028 * constants::WEIGHT_REF_TIME_PER_NANOS,

			/// Time to write one storage item.
			/// Calculated by multiplying the *P95Percentile* of all values with `1.0` and adding `0`.
			///
			/// Stats nanoseconds:
			///   Min, Max: 17_173, 53_114
			///   Average:  23_785
			///   Median:   22_524
			///   Std-Dev:  6861.54
			///
			/// Percentiles nanoseconds:
			///   99th: 53_114
			///   95th: 40_524
			///   75th: 24_197
			write: 40_524 * constants::WEIGHT_REF_TIME_PER_NANOS,
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
