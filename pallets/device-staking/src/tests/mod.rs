//! Tests of device staking, by topic, as user stories.

mod bonding;
mod slashing;
mod try_state;
