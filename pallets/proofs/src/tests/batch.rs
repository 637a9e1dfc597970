//! Heartbeat batches from gateways.

use crate::{mock::*, Event, HeartbeatBatch, ProofError, Records};
use frame_support::{assert_ok, pallet_prelude::*};

#[test]
fn a_batch_counts_its_good_items_and_reports_its_bad_ones() {
	test(|| {
		let keys: Vec<Key> = (1..=4).map(Key::sr).collect();
		let ids: Vec<_> = keys.iter().map(|k| eligible(ALICE, k, HOTSPOT)).collect();
		let mut items: Vec<_> = keys
			.iter()
			.zip(&ids)
			.map(|(k, id)| {
				let hb = heartbeat(*id);
				let sig = sign_heartbeat(k, &hb);
				(hb, sig)
			})
			.collect();
		// Item 1 is forged, item 3 was already submitted on its own.
		items[1].1 = sign_heartbeat(&Key::sr(99), &items[1].0);
		assert_ok!(Proofs::submit_heartbeat(authorized(), items[3].0.clone(), items[3].1));
		let batch: HeartbeatBatch<Test> = items.try_into().unwrap();

		assert_ok!(Proofs::submit_heartbeats(authorized(), batch));
		assert_eq!(Records::<Test>::get(ids[0]).unwrap().last_heartbeat, Some(0));
		assert_eq!(Records::<Test>::get(ids[2]).unwrap().last_heartbeat, Some(0));
		assert!(Records::<Test>::get(ids[1]).is_none());
		System::assert_has_event(
			Event::BatchItemRejected { index: 1, device: ids[1], reason: ProofError::BadSignature }
				.into(),
		);
		System::assert_has_event(
			Event::BatchItemRejected {
				index: 3,
				device: ids[3],
				reason: ProofError::AlreadySubmitted,
			}
			.into(),
		);
		assert_eq!(points().len(), 3, "one single submission and two batch items");
	});
}

#[test]
fn the_pool_takes_a_batch_only_if_every_item_is_valid_and_distinct() {
	test(|| {
		let keys: Vec<Key> = Key::all(1).to_vec();
		let ids: Vec<_> = keys.iter().map(|k| eligible(ALICE, k, HOTSPOT)).collect();
		let good: Vec<_> = keys
			.iter()
			.zip(&ids)
			.map(|(k, id)| {
				let hb = heartbeat(*id);
				let sig = sign_heartbeat(k, &hb);
				(hb, sig)
			})
			.collect();
		let batch: HeartbeatBatch<Test> = good.clone().try_into().unwrap();
		let (valid, _) = Proofs::authorize_heartbeats(TransactionSource::External, &batch).unwrap();
		assert_eq!(valid.provides.len(), 4, "one tag per item, mixed schemes");

		let mut forged = good.clone();
		forged[2].1 = sign_heartbeat(&Key::sr(99), &forged[2].0);
		let forged: HeartbeatBatch<Test> = forged.try_into().unwrap();
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &forged),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);

		let twice: HeartbeatBatch<Test> =
			vec![good[0].clone(), good[0].clone()].try_into().unwrap();
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &twice),
			Err(ProofError::DuplicateInBatch.into())
		);
		let empty: HeartbeatBatch<Test> = Default::default();
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &empty),
			Err(ProofError::EmptyBatch.into())
		);
	});
}

#[test]
fn batch_weight_grows_per_item() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let item = (hb.clone(), sign_heartbeat(&key, &hb));
		let one: HeartbeatBatch<Test> = vec![item.clone()].try_into().unwrap();
		let two: HeartbeatBatch<Test> = vec![item.clone(), item].try_into().unwrap();
		assert!(Proofs::batch_weight(&two).ref_time() > Proofs::batch_weight(&one).ref_time());
		assert!(
			Proofs::batch_check_weight(&two).ref_time()
				> Proofs::batch_check_weight(&one).ref_time()
		);
	});
}
