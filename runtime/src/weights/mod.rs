//! Weights measured on the reference machine beyond our pallets' own `weights.rs`: the
//! runtime's base weights (`scripts/base-weights.sh`: the database's, an empty block's and
//! each extrinsic's overhead) and the polkadot-sdk pallets and transaction extensions every
//! transaction pays for (`scripts/weights.sh`). The files are written by the benchmark CLI,
//! hence the `rustfmt` and lint exceptions.

#[rustfmt::skip]
pub mod block_weights;
#[rustfmt::skip]
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_transaction_payment;
#[rustfmt::skip]
#[allow(unused_doc_comments)]
pub mod paritydb_weights;
pub mod pallet_preimage;
pub mod pallet_scheduler;
pub mod pallet_whitelist;
