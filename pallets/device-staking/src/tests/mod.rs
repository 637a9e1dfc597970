//! Tests of device staking, by topic, as user stories.

mod bonding;
mod genesis;
mod slashing;
mod try_state;
