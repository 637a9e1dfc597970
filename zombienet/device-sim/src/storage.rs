//! A storage device's data set (`depin_primitives::dataset`, shared with the fuzzer): real
//! bytes, cut into chunks that are the leaves of the Merkle tree whose root the owner commits.

pub use depin_primitives::dataset::Dataset;
