//! Tests of the proofs pallet, by topic, as user stories.

mod batch;
mod epochs;
mod heartbeats;
mod offchain;
mod offences;
mod storage;
