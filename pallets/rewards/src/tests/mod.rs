//! Tests of the rewards pallet, by topic.

mod claims;
mod schedule;
mod split;
