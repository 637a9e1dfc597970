//! Tests of the devices pallet, by topic, as user stories.

mod genesis;
mod governance;
mod lifecycle;
#[cfg(feature = "try-runtime")]
mod migrations;
mod recovery;
mod registration;
mod try_state;
