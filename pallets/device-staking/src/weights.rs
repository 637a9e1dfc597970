//! Weights for `pallet_device_staking`.
//!
//! PLACEHOLDER: hand-estimated until `make weights` runs the benchmarks on the reference
//! machine and overwrites this file with measured values and the exact command in this header.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_device_staking`.
pub trait WeightInfo {
	fn bond() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded(c: u32, ) -> Weight;
	fn force_slash() -> Weight;
	fn cancel_slash() -> Weight;
	fn apply_slash(c: u32, ) -> Weight;
}

/// Weights for `pallet_device_staking` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Placeholder (see the module docs).
	fn bond() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn unbond() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn withdraw_unbonded(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn force_slash() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Placeholder (see the module docs).
	fn cancel_slash() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn apply_slash(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
}

// For tests and mock runtimes: the same figures with ParityDB's database weights.
impl WeightInfo for () {
	/// Placeholder (see the module docs).
	fn bond() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn unbond() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn withdraw_unbonded(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn force_slash() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	/// Placeholder (see the module docs).
	fn cancel_slash() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn apply_slash(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(c.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
}
