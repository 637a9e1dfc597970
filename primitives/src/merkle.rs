//! Binary Merkle trees over data chunks (blake2-256), for storage proofs.
//!
//! - A leaf is `blake2_256(0x00 ‖ chunk)`; an inner node is `blake2_256(0x01 ‖ left ‖ right)`.
//!   The prefixes keep a leaf from ever being read as a node (second-preimage safety).
//! - Each level pairs nodes left to right; a last node without a partner moves up unchanged.
//! - The root of one leaf is that leaf. A proof lists the siblings from the leaf up, skipping
//!   the levels where the node moved up alone; its length is at most `ceil(log2(leaf_count))`.
//!
//! The device builds the tree over its data set and commits `(root, leaf_count)` on chain; each
//! epoch it answers its challenge with the chunks at the challenged indices and their paths.
//! The leaf count is the owner's claim: the root fixes it only as far as it fixes the shape of
//! the paths, and a device that claims more chunks than it has simply fails the challenges
//! that fall beyond them.

use alloc::vec::Vec;
use sp_core::H256;
use sp_io::hashing::blake2_256;

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// The leaf of a data chunk.
pub fn leaf_hash(chunk: &[u8]) -> H256 {
	let mut input = Vec::with_capacity(chunk.len() + 1);
	input.push(LEAF_PREFIX);
	input.extend_from_slice(chunk);
	H256(blake2_256(&input))
}

/// The parent of two nodes.
pub fn node_hash(left: &H256, right: &H256) -> H256 {
	let mut input = [0u8; 65];
	input[0] = NODE_PREFIX;
	input[1..33].copy_from_slice(left.as_bytes());
	input[33..].copy_from_slice(right.as_bytes());
	H256(blake2_256(&input))
}

/// The next level up of `level`.
fn parent_level(level: &[H256]) -> Vec<H256> {
	level
		.chunks(2)
		.filter_map(|pair| match (pair.first(), pair.get(1)) {
			(Some(left), Some(right)) => Some(node_hash(left, right)),
			(alone, None) => alone.copied(),
			(None, Some(_)) => None,
		})
		.collect()
}

/// The root over `leaves`, or `None` for no leaves.
pub fn root(leaves: &[H256]) -> Option<H256> {
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		level = parent_level(&level);
	}
	level.first().copied()
}

/// The path (siblings, leaf upwards) of leaf `index`, or `None` if out of range.
pub fn proof(leaves: &[H256], index: u64) -> Option<Vec<H256>> {
	let mut index = usize::try_from(index).ok()?;
	if index >= leaves.len() {
		return None;
	}
	let mut path = Vec::new();
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		let sibling = index ^ 1;
		if let Some(node) = level.get(sibling) {
			path.push(*node);
		}
		level = parent_level(&level);
		index /= 2;
	}
	Some(path)
}

/// Whether `leaf` is leaf `index` of the tree of `leaf_count` leaves with root `root`, by
/// `path`. Out-of-range indices, short or long paths never verify.
pub fn verify(root: &H256, leaf_count: u64, index: u64, leaf: H256, path: &[H256]) -> bool {
	if index >= leaf_count {
		return false;
	}
	let (mut index, mut width, mut node) = (index, leaf_count, leaf);
	let mut siblings = path.iter();
	while width > 1 {
		let alone = index % 2 == 0 && index == width - 1;
		if !alone {
			let Some(sibling) = siblings.next() else { return false };
			node =
				if index % 2 == 0 { node_hash(&node, sibling) } else { node_hash(sibling, &node) };
		}
		index /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none() && &node == root
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaves(n: usize) -> Vec<H256> {
		(0..n).map(|i| leaf_hash(&(i as u32).to_le_bytes())).collect()
	}

	#[test]
	fn every_leaf_of_every_small_tree_proves() {
		for n in 1..=33 {
			let leaves = leaves(n);
			let root = root(&leaves).expect("the tree has leaves; qed");
			for (i, leaf) in leaves.iter().enumerate() {
				let path = proof(&leaves, i as u64).expect("i is a leaf index; qed");
				assert!(path.len() <= (n as f64).log2().ceil() as usize);
				assert!(verify(&root, n as u64, i as u64, *leaf, &path), "n={n} i={i}");
			}
		}
	}

	#[test]
	fn the_root_follows_the_documented_construction() {
		let l = leaves(3);
		assert_eq!(root(&l[..1]), Some(l[0]));
		assert_eq!(root(&l), Some(node_hash(&node_hash(&l[0], &l[1]), &l[2])));
		assert_eq!(root(&[]), None);
		assert_eq!(leaf_hash(b"x"), H256(blake2_256(b"\x00x")));
	}

	#[test]
	fn wrong_leaf_path_index_or_count_is_refused() {
		let leaves = leaves(10);
		let root = root(&leaves).expect("the tree has leaves; qed");
		let path = proof(&leaves, 3).expect("3 < 10 leaves; qed");
		assert!(verify(&root, 10, 3, leaves[3], &path));
		assert!(!verify(&root, 10, 3, leaves[4], &path), "wrong leaf");
		assert!(!verify(&root, 10, 4, leaves[3], &path), "wrong index");
		assert!(!verify(&root, 4, 3, leaves[3], &path), "wrong leaf count");
		assert!(!verify(&root, 10, 10, leaves[3], &path), "index out of range");
		let mut bad = path.clone();
		bad[0] = H256::repeat_byte(1);
		assert!(!verify(&root, 10, 3, leaves[3], &bad), "wrong sibling");
		assert!(!verify(&root, 10, 3, leaves[3], &path[1..]), "short path");
		let mut long = path.clone();
		long.push(H256::zero());
		assert!(!verify(&root, 10, 3, leaves[3], &long), "long path");
		assert!(proof(&leaves, 10).is_none());
	}

	#[test]
	fn a_node_is_never_taken_for_a_leaf() {
		// The root of a two-leaf tree, presented as a one-leaf tree whose leaf is that node.
		let leaves = leaves(2);
		let root = root(&leaves).expect("the tree has leaves; qed");
		assert!(!verify(&root, 1, 0, leaf_hash(&[leaves[0].0, leaves[1].0].concat()), &[]));
	}
}
