
//! Weights for `pallet_makers`.
//!
//! Placeholders until `make weights` (scripts/weights.sh) measures them on the reference
//! machine: each function says so.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_makers`.
pub trait WeightInfo {
	fn admit_maker(r: u32, ) -> Weight;
	fn update_maker(r: u32, ) -> Weight;
	fn set_quota() -> Weight;
	fn revoke_maker() -> Weight;
	fn revoke_certificate() -> Weight;
	fn attest_x509_p256(d: u32, ) -> Weight;
	fn attest_x509_p384(d: u32, ) -> Weight;
	fn attest_x509_rsa(d: u32, ) -> Weight;
	fn attest_compact() -> Weight;
}

/// Weights for `pallet_makers` measured on the reference machine, with the runtime's database
/// weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn admit_maker(r: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(60000000, 0)
			.saturating_add(Weight::from_parts(5000000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn update_maker(r: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(60000000, 0)
			.saturating_add(Weight::from_parts(5000000, 0).saturating_mul(r.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_quota() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(20000000, 0)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn revoke_maker() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(20000000, 0)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn revoke_certificate() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(25000000, 0)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn attest_x509_p256(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(3200000000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn attest_x509_p384(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(9000000000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn attest_x509_rsa(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(20000000000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn attest_compact() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(3500000000, 0)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn admit_maker(r: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(60000000, 0)
			.saturating_add(Weight::from_parts(5000000, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn update_maker(r: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(60000000, 0)
			.saturating_add(Weight::from_parts(5000000, 0).saturating_mul(r.into()))
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_quota() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(20000000, 0)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn revoke_maker() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(20000000, 0)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn revoke_certificate() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(25000000, 0)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn attest_x509_p256(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(3200000000, 0).saturating_mul(d.into()))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn attest_x509_p384(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(9000000000, 0).saturating_mul(d.into()))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn attest_x509_rsa(d: u32, ) -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(150000000, 0)
			.saturating_add(Weight::from_parts(20000000000, 0).saturating_mul(d.into()))
			.saturating_add(ParityDbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn attest_compact() -> Weight {
		// Placeholder (not measured): replaced by `make weights`.
		Weight::from_parts(3500000000, 0)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
}
