//! Tests of device staking, by topic, as user stories.

mod bonding;
mod genesis;
#[cfg(feature = "try-runtime")]
mod migrations;
mod slashing;
mod try_state;
