//! A storage device's data set: real bytes, cut into chunks that are the leaves of the Merkle
//! tree whose root the owner commits on chain (`proofs.commit_storage`). For everything that
//! answers storage challenges off chain: the device simulator, the fuzzer, tests (feature
//! `std`).

use crate::{merkle, LeafProof, MAX_CHUNK_LEN};
use sp_core::H256;
use sp_io::hashing::blake2_256;

/// A data set held in memory, with its Merkle tree's leaves.
pub struct Dataset {
	chunks: Vec<Vec<u8>>,
	leaves: Vec<H256>,
	root: H256,
}

impl Dataset {
	/// `chunks` chunks of `MAX_CHUNK_LEN` bytes, generated from `seed` (so that the owner can
	/// recompute the root the device will prove).
	pub fn generate(seed: &str, chunks: u64) -> Result<Self, String> {
		if chunks == 0 {
			return Err("a data set needs at least one chunk".into());
		}
		let chunks: Vec<Vec<u8>> = (0..chunks).map(|i| chunk(seed, i)).collect();
		let leaves: Vec<H256> = chunks.iter().map(|c| merkle::leaf_hash(c)).collect();
		let root = merkle::root(&leaves).ok_or("empty data set")?;
		Ok(Self { chunks, leaves, root })
	}

	/// The Merkle root to commit.
	pub fn root(&self) -> H256 {
		self.root
	}

	/// The number of chunks (leaves) to commit.
	pub fn leaf_count(&self) -> u64 {
		self.leaves.len() as u64
	}

	/// Whether `leaf` is a chunk of this data set with its path to the root.
	pub fn holds(&self, leaf: &LeafProof) -> bool {
		merkle::verify(
			&self.root,
			self.leaf_count(),
			leaf.index,
			merkle::leaf_hash(&leaf.chunk),
			&leaf.path,
		)
	}

	/// The proof of chunk `index`: the chunk and its Merkle path.
	pub fn prove(&self, index: u64) -> Result<LeafProof, String> {
		let chunk = usize::try_from(index)
			.ok()
			.and_then(|i| self.chunks.get(i))
			.ok_or_else(|| format!("no chunk {index} in {} chunks", self.chunks.len()))?;
		let path = merkle::proof(&self.leaves, index)
			.ok_or_else(|| format!("no Merkle path for chunk {index}"))?;
		Ok(LeafProof {
			index,
			chunk: chunk.clone().try_into().map_err(|_| "chunk too long")?,
			path: path.try_into().map_err(|_| "Merkle path too deep")?,
		})
	}
}

/// Chunk `index` of the data set of `seed`: `MAX_CHUNK_LEN` bytes of
/// `blake2_256(seed ‖ index ‖ j)` for j = 0, 1, ….
fn chunk(seed: &str, index: u64) -> Vec<u8> {
	let mut bytes = Vec::with_capacity(MAX_CHUNK_LEN as usize);
	let mut j = 0u32;
	while bytes.len() < MAX_CHUNK_LEN as usize {
		let mut input = seed.as_bytes().to_vec();
		input.extend_from_slice(&index.to_le_bytes());
		input.extend_from_slice(&j.to_le_bytes());
		bytes.extend_from_slice(&blake2_256(&input));
		j += 1;
	}
	bytes.truncate(MAX_CHUNK_LEN as usize);
	bytes
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_chunk_proves_against_the_root() {
		let data = Dataset::generate("box", 37).expect("a data set");
		assert_eq!(data.leaf_count(), 37);
		for index in [0, 1, 17, 36] {
			let proof = data.prove(index).expect("a chunk");
			let leaf = merkle::leaf_hash(&proof.chunk);
			assert!(merkle::verify(&data.root(), 37, index, leaf, &proof.path), "chunk {index}");
		}
		assert!(data.prove(37).is_err());
	}

	#[test]
	fn the_same_seed_gives_the_same_root() {
		let root = |seed| Dataset::generate(seed, 8).expect("a data set").root();
		assert_eq!(root("box"), root("box"));
		assert_ne!(root("box"), root("other"));
	}
}
