//! Weights for `pallet_devices`.
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

/// Weight functions needed for `pallet_devices`.
pub trait WeightInfo {
	fn register_device_ed25519(m: u32, ) -> Weight;
	fn register_device_sr25519(m: u32, ) -> Weight;
	fn register_device_ecdsa(m: u32, ) -> Weight;
	fn register_device_p256(m: u32, ) -> Weight;
	fn update_device(m: u32, ) -> Weight;
	fn transfer_device() -> Weight;
	fn deregister_device() -> Weight;
	fn set_class() -> Weight;
	fn suspend_device() -> Weight;
	fn resume_device() -> Weight;
}

/// Weights for `pallet_devices` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Placeholder (see the module docs).
	fn register_device_ed25519(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_sr25519(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_ecdsa(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_p256(m: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn update_device(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn transfer_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn deregister_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Placeholder (see the module docs).
	fn set_class() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Placeholder (see the module docs).
	fn suspend_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn resume_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For tests and mock runtimes: the same figures with ParityDB's database weights.
impl WeightInfo for () {
	/// Placeholder (see the module docs).
	fn register_device_ed25519(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_sr25519(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_ecdsa(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn register_device_p256(m: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn update_device(m: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000).saturating_add(Weight::from_parts(1_000, 1).saturating_mul(m.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn transfer_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn deregister_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	/// Placeholder (see the module docs).
	fn set_class() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(0_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	/// Placeholder (see the module docs).
	fn suspend_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn resume_device() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
}
