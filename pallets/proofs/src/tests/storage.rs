//! Storage commitments and proofs: valid, wrong leaf, wrong path, wrong index.

use crate::{mock::*, Commitments, Error, Event, ProofError, Records};
use frame_support::{assert_noop, assert_ok, pallet_prelude::TransactionSource, traits::Get};
use sp_core::H256;

/// A storage device of `key`, committed to a data set of `count` chunks, in the next epoch
/// (the commitment is in force from then on).
fn committed(key: &Key, count: usize) -> (depin_primitives::DeviceId, Vec<Vec<u8>>) {
	let id = eligible(ALICE, key, STORAGE);
	let chunks = data_set(count);
	assert_ok!(Proofs::commit_storage(
		RuntimeOrigin::signed(ALICE),
		id,
		data_root(&chunks),
		count as u64
	));
	next_epoch();
	(id, chunks)
}

#[test]
fn each_key_scheme_proves_storage_for_trees_of_many_sizes() {
	test(|| {
		for (seed, count) in [(1u8, 1usize), (2, 2), (3, 7), (4, 64)] {
			for key in Key::all(seed) {
				let (id, chunks) = committed(&key, count);
				let proof = storage_proof(id, &chunks);
				let signature = sign_storage(&key, &proof);
				assert_ok!(Proofs::authorize_storage_proof(
					TransactionSource::External,
					&proof,
					&signature
				));
				assert_ok!(Proofs::submit_storage_proof(authorized(), proof, signature));
				let epoch = Proofs::current_epoch_index();
				System::assert_last_event(Event::StorageProofAccepted { device: id, epoch }.into());
				assert_eq!(Records::<Test>::get(id).unwrap().last_storage, Some(epoch));
				assert!(points().contains(&(id, epoch, 30)));
			}
		}
	});
}

#[test]
fn a_wrong_chunk_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 16);
		let mut proof = storage_proof(id, &chunks);
		proof.leaves[0].chunk = b"not the data".to_vec().try_into().unwrap();
		assert_eq!(
			Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)),
			Err(ProofError::BadMerklePath)
		);
	});
}

#[test]
fn a_wrong_path_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 16);
		let mut proof = storage_proof(id, &chunks);
		proof.leaves[1].path[0] = H256::repeat_byte(9);
		assert_eq!(
			Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)),
			Err(ProofError::BadMerklePath)
		);
		let mut short = storage_proof(id, &chunks);
		short.leaves[1].path.pop();
		assert_eq!(
			Proofs::check_storage_proof(&short, &sign_storage(&key, &short)),
			Err(ProofError::BadMerklePath)
		);
	});
}

#[test]
fn a_proof_for_other_indices_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 16);
		let honest = storage_proof(id, &chunks);
		// A valid chunk and path, but not the challenged index.
		let mut wrong = honest.clone();
		let other = (wrong.leaves[0].index + 1) % 16;
		let leaves: Vec<H256> =
			chunks.iter().map(|c| depin_primitives::merkle::leaf_hash(c)).collect();
		wrong.leaves[0].index = other;
		wrong.leaves[0].chunk = chunks[other as usize].clone().try_into().unwrap();
		wrong.leaves[0].path =
			depin_primitives::merkle::proof(&leaves, other).unwrap().try_into().unwrap();
		assert_eq!(
			Proofs::check_storage_proof(&wrong, &sign_storage(&key, &wrong)),
			Err(ProofError::WrongLeaves)
		);
		// Too few chunks.
		let mut few = honest.clone();
		few.leaves.pop();
		assert_eq!(
			Proofs::check_storage_proof(&few, &sign_storage(&key, &few)),
			Err(ProofError::WrongLeaves)
		);
	});
}

#[test]
fn storage_proofs_need_a_commitment_and_a_storage_class() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, STORAGE);
		let proof = depin_primitives::StorageProof {
			device: id,
			epoch: 0,
			challenge: Proofs::current_challenge(&id),
			leaves: Default::default(),
		};
		assert_eq!(
			Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)),
			Err(ProofError::NoCommitment)
		);
		let hotspot = Key::sr(2);
		let hotspot_id = eligible(ALICE, &hotspot, HOTSPOT);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(ALICE), hotspot_id, H256::zero(), 4),
			Error::<Test>::StorageNotOwed
		);
	});
}

#[test]
fn commit_storage_is_for_the_owner_with_a_sane_size() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, STORAGE);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(BOB), id, H256::zero(), 4),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, H256::zero(), 0),
			Error::<Test>::InvalidLeafCount
		);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, H256::zero(), (1 << 40) + 1),
			Error::<Test>::InvalidLeafCount
		);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(ALICE), H256::zero(), H256::zero(), 4),
			Error::<Test>::DeviceNotFound
		);
		assert_ok!(Proofs::commit_storage(
			RuntimeOrigin::signed(ALICE),
			id,
			H256::repeat_byte(1),
			1 << 40
		));
		System::assert_last_event(
			Event::StorageCommitted {
				device: id,
				root: H256::repeat_byte(1),
				leaf_count: 1 << 40,
				since: 1,
			}
			.into(),
		);
		assert_eq!(Commitments::<Test>::get(id).unwrap().leaf_count, 1 << 40);
	});
}

#[test]
fn a_storage_proof_counts_once_per_epoch() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 8);
		let proof = storage_proof(id, &chunks);
		let signature = sign_storage(&key, &proof);
		assert_ok!(Proofs::submit_storage_proof(authorized(), proof.clone(), signature));
		assert_eq!(
			Proofs::check_storage_proof(&proof, &signature),
			Err(ProofError::AlreadySubmitted)
		);
		next_epoch();
		assert_eq!(Proofs::check_storage_proof(&proof, &signature), Err(ProofError::PastEpoch));
	});
}

#[test]
fn a_new_commitment_counts_from_the_next_epoch_and_proofs_answer_the_one_in_force() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 16);
		// The owner swaps the data set mid-epoch, once the challenges are known: this epoch's
		// proofs still answer the old commitment.
		let other = data_set(3);
		assert_ok!(Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, data_root(&other), 3));
		let epoch = Proofs::current_epoch_index();
		assert_eq!(Proofs::commitment_at(&id, epoch).unwrap().leaf_count, 16);
		assert_eq!(Proofs::current_storage_challenge(&id).unwrap().len(), 4);
		let proof = storage_proof(id, &chunks);
		assert_ok!(Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)));
		// A second change in the same epoch replaces the pending one, not the one in force.
		assert_ok!(Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, data_root(&other), 3));
		assert_eq!(crate::CommitmentHistory::<Test>::get(id).map(|h| h.len()), Some(1));
		next_epoch();
		assert_eq!(Proofs::commitment_at(&id, epoch + 1).unwrap().leaf_count, 3);
		assert_eq!(Proofs::commitment_at(&id, epoch).unwrap().leaf_count, 16);
		let proof = storage_proof(id, &other);
		assert_ok!(Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)));
	});
}

#[test]
fn superseded_commitments_are_kept_for_the_report_window_only() {
	test(|| {
		let key = Key::sr(1);
		let (id, _) = committed(&key, 4);
		for round in 0..20u64 {
			assert_ok!(Proofs::commit_storage(
				RuntimeOrigin::signed(ALICE),
				id,
				H256::from_low_u64_be(round),
				4 + round
			));
			next_epoch();
		}
		let history = crate::CommitmentHistory::<Test>::get(id).expect("a history");
		let window: u32 = <Test as crate::Config>::ReportWindow::get();
		assert!(history.len() as u32 <= window + 1);
		// Every epoch of the report window still resolves to the commitment then in force.
		let current = Proofs::current_epoch_index();
		for epoch in current - window..=current {
			let expected = 4 + u64::from(epoch) - 2;
			assert_eq!(Proofs::commitment_at(&id, epoch).map(|c| c.leaf_count), Some(expected));
		}
	});
}

#[test]
fn a_data_set_below_the_class_minimum_earns_nothing() {
	test(|| {
		let raise = |min| {
			let mut storage = pallet_devices::Classes::<Test>::get(STORAGE).expect("a class");
			storage.min_data_chunks = min;
			assert_ok!(Devices::set_class(RuntimeOrigin::root(), STORAGE, storage));
		};
		raise(8);
		// One empty chunk does not make a storage device (it would earn what 2^40 chunks earn).
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, STORAGE);
		assert_noop!(
			Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, data_root(&data_set(1)), 1),
			Error::<Test>::DataSetTooSmall
		);
		let chunks = data_set(8);
		assert_ok!(Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, data_root(&chunks), 8));
		next_epoch();
		let proof = storage_proof(id, &chunks);
		assert_ok!(Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)));
		// Governance raises the minimum: the smaller data set earns nothing any more.
		raise(16);
		assert_eq!(
			Proofs::check_storage_proof(&proof, &sign_storage(&key, &proof)),
			Err(ProofError::DataSetTooSmall)
		);
	});
}

#[test]
fn a_retired_device_leaves_no_proof_record_or_commitment_behind() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = committed(&key, 16);
		let proof = storage_proof(id, &chunks);
		assert_ok!(Proofs::submit_storage_proof(
			authorized(),
			proof.clone(),
			sign_storage(&key, &proof)
		));
		assert_ok!(Proofs::commit_storage(
			RuntimeOrigin::signed(ALICE),
			id,
			H256::repeat_byte(3),
			16
		));
		assert!(Records::<Test>::contains_key(id) && Commitments::<Test>::contains_key(id));
		// The owner leaves: unbonds, waits, withdraws, deregisters.
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, MIN_STAKE));
		for _ in 0..29 {
			next_epoch();
		}
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
		assert!(!Records::<Test>::contains_key(id));
		assert!(!Commitments::<Test>::contains_key(id));
		assert!(!crate::CommitmentHistory::<Test>::contains_key(id));
	});
}
