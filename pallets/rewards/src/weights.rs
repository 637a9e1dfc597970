//! Weights for `pallet_rewards`.
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

/// Weight functions needed for `pallet_rewards`.
pub trait WeightInfo {
	fn claim_rewards(n: u32, ) -> Weight;
	fn set_emission() -> Weight;
	fn close_epoch(a: u32, ) -> Weight;
}

/// Weights for `pallet_rewards` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Placeholder (see the module docs).
	fn claim_rewards(n: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn set_emission() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn close_epoch(a: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 8_000)
			.saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(a.into())))
	}
}

// For tests and mock runtimes: the same figures with ParityDB's database weights.
impl WeightInfo for () {
	/// Placeholder (see the module docs).
	fn claim_rewards(n: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn set_emission() -> Weight {
		Weight::from_parts(15_000_000, 1_000)
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn close_epoch(a: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 8_000)
			.saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(a.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(a.into())))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(a.into())))
	}
}
