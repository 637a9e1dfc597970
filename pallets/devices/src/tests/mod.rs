//! Tests of the devices pallet, by topic, as user stories.

mod genesis;
mod governance;
mod lifecycle;
mod registration;
mod try_state;
