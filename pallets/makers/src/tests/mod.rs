//! Tests of the makers pallet, per rule and per error.

mod chains;
mod registry;
