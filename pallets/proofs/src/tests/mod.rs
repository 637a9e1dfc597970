//! Tests of the proofs pallet, by topic, as user stories.

mod batch;
mod epochs;
mod heartbeats;
#[cfg(feature = "try-runtime")]
mod migrations;
mod offchain;
mod offences;
mod storage;
