//! Weights for `pallet_proofs`.
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

/// Weight functions needed for `pallet_proofs`.
pub trait WeightInfo {
	fn check_heartbeat_ed25519() -> Weight;
	fn submit_heartbeat_ed25519() -> Weight;
	fn submit_heartbeats_ed25519(n: u32, ) -> Weight;
	fn check_storage_proof_ed25519() -> Weight;
	fn submit_storage_proof_ed25519() -> Weight;
	fn report_equivocation_ed25519() -> Weight;
	fn check_heartbeat_sr25519() -> Weight;
	fn submit_heartbeat_sr25519() -> Weight;
	fn submit_heartbeats_sr25519(n: u32, ) -> Weight;
	fn check_storage_proof_sr25519() -> Weight;
	fn submit_storage_proof_sr25519() -> Weight;
	fn report_equivocation_sr25519() -> Weight;
	fn check_heartbeat_ecdsa() -> Weight;
	fn submit_heartbeat_ecdsa() -> Weight;
	fn submit_heartbeats_ecdsa(n: u32, ) -> Weight;
	fn check_storage_proof_ecdsa() -> Weight;
	fn submit_storage_proof_ecdsa() -> Weight;
	fn report_equivocation_ecdsa() -> Weight;
	fn check_heartbeat_p256() -> Weight;
	fn submit_heartbeat_p256() -> Weight;
	fn submit_heartbeats_p256(n: u32, ) -> Weight;
	fn check_storage_proof_p256() -> Weight;
	fn submit_storage_proof_p256() -> Weight;
	fn report_equivocation_p256() -> Weight;
	fn commit_storage() -> Weight;
	fn report_unresponsive() -> Weight;
	fn on_initialize_epoch_boundary() -> Weight;
	fn on_initialize_within_epoch() -> Weight;
}

/// Weights for `pallet_proofs` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Placeholder (see the module docs).
	fn check_heartbeat_ed25519() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_ed25519() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_ed25519(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_ed25519() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_ed25519() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_ed25519() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_sr25519() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_sr25519() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_sr25519(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_sr25519() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_sr25519() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_sr25519() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_ecdsa() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_ecdsa() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_ecdsa(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_ecdsa() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_ecdsa() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_ecdsa() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_p256() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_p256() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_p256(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_p256() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_p256() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_p256() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn commit_storage() -> Weight {
		Weight::from_parts(30000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Placeholder (see the module docs).
	fn report_unresponsive() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Placeholder (see the module docs).
	fn on_initialize_epoch_boundary() -> Weight {
		Weight::from_parts(40000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn on_initialize_within_epoch() -> Weight {
		Weight::from_parts(2000000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
	}
}

// For tests and mock runtimes: the same figures with ParityDB's database weights.
impl WeightInfo for () {
	/// Placeholder (see the module docs).
	fn check_heartbeat_ed25519() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_ed25519() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_ed25519(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_ed25519() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_ed25519() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_ed25519() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_sr25519() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_sr25519() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_sr25519(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_sr25519() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_sr25519() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_sr25519() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_ecdsa() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_ecdsa() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_ecdsa(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_ecdsa() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_ecdsa() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_ecdsa() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn check_heartbeat_p256() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeat_p256() -> Weight {
		Weight::from_parts(80000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_heartbeats_p256(n: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(Weight::from_parts(80000000, 2_000).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(ParityDbWeight::get().writes((2_u64).saturating_mul(n.into())))
	}
	/// Placeholder (see the module docs).
	fn check_storage_proof_p256() -> Weight {
		Weight::from_parts(200000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
	}
	/// Placeholder (see the module docs).
	fn submit_storage_proof_p256() -> Weight {
		Weight::from_parts(220000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	/// Placeholder (see the module docs).
	fn report_equivocation_p256() -> Weight {
		Weight::from_parts(250000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	/// Placeholder (see the module docs).
	fn commit_storage() -> Weight {
		Weight::from_parts(30000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	/// Placeholder (see the module docs).
	fn report_unresponsive() -> Weight {
		Weight::from_parts(60000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	/// Placeholder (see the module docs).
	fn on_initialize_epoch_boundary() -> Weight {
		Weight::from_parts(40000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	/// Placeholder (see the module docs).
	fn on_initialize_within_epoch() -> Weight {
		Weight::from_parts(2000000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
	}
}
