//! Device keys: each simulated device holds its own keypair, derived from a seed phrase, in any
//! scheme the chain accepts (`depin_primitives::keys`, shared with the fuzzer and the pallets'
//! tests), and signs exactly as hardware does.

pub use depin_primitives::keys::{DevicePair, Scheme};
