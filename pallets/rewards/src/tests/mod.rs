//! Tests of the rewards pallet, by topic.

mod claims;
#[cfg(feature = "try-runtime")]
mod migrations;
mod schedule;
mod split;
