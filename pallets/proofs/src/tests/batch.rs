//! Heartbeat batches from gateways.

use crate::{mock::*, Call, Event, HeartbeatBatch, ProofError, Records, WeightInfo};
use depin_primitives::{DeviceId, DeviceSignature, Heartbeat};
use frame_support::{assert_ok, pallet_prelude::*};

/// A device of `HOTSPOT` for each key, each with a heartbeat it signed.
fn signed_items(keys: &[Key]) -> (Vec<DeviceId>, Vec<(Heartbeat, DeviceSignature)>) {
	let ids: Vec<_> = keys.iter().map(|k| eligible(ALICE, k, HOTSPOT)).collect();
	let items = keys
		.iter()
		.zip(&ids)
		.map(|(k, id)| {
			let hb = heartbeat(*id);
			let sig = sign_heartbeat(k, &hb);
			(hb, sig)
		})
		.collect();
	(ids, items)
}

/// Four Sr25519 devices of `HOTSPOT`, each with a heartbeat it signed.
fn four_signed_items() -> (Vec<DeviceId>, Vec<(Heartbeat, DeviceSignature)>) {
	signed_items(&(1..=4).map(Key::sr).collect::<Vec<_>>())
}

#[test]
fn a_block_applies_a_batch_whole_or_not_at_all() {
	test(|| {
		let (ids, items) = four_signed_items();
		let of = |items: Vec<_>| Call::submit_heartbeats { batch: items.try_into().unwrap() };

		// A forged item: the block's authorize check refuses the whole batch.
		let mut forged = items.clone();
		forged[1].1 = sign_heartbeat(&Key::sr(99), &forged[1].0);
		assert_eq!(apply(of(forged)), Err(InvalidTransaction::BadProof.into()));
		// An item delivered meanwhile on its own: the batch is refused too, and the gateway
		// resubmits the rest.
		assert_ok!(apply(Call::submit_heartbeat {
			heartbeat: items[3].0.clone(),
			signature: items[3].1
		})
		.unwrap());
		assert_eq!(apply(of(items.clone())), Err(ProofError::AlreadySubmitted.into()));
		assert_eq!(points().len(), 1, "only the single submission counted");
		assert!(ids[..3].iter().all(|id| Records::<Test>::get(id).is_none()));

		assert_ok!(apply(of(items[..3].to_vec())).unwrap());
		assert!(ids.iter().all(|id| Records::<Test>::get(id).unwrap().last_heartbeat == Some(0)));
		assert_eq!(points().len(), 4);
	});
}

#[test]
fn dispatch_skips_and_reports_the_items_it_sees_are_delivered_or_stale() {
	test(|| {
		// Root can dispatch with the Authorized origin without the authorize check; dispatch
		// still refuses what its own reads show: an item delivered already, or stale.
		let (ids, items) = four_signed_items();
		assert_ok!(Proofs::submit_heartbeat(authorized(), items[3].0.clone(), items[3].1));
		let mut stale = items[1].clone();
		stale.0.epoch = 7;
		let batch: HeartbeatBatch<Test> =
			vec![items[0].clone(), stale, items[2].clone(), items[3].clone()].try_into().unwrap();

		assert_ok!(Proofs::submit_heartbeats(authorized(), batch));
		assert_eq!(Records::<Test>::get(ids[0]).unwrap().last_heartbeat, Some(0));
		assert_eq!(Records::<Test>::get(ids[2]).unwrap().last_heartbeat, Some(0));
		assert!(Records::<Test>::get(ids[1]).is_none());
		System::assert_has_event(
			Event::BatchItemRejected { index: 1, device: ids[1], reason: ProofError::FutureEpoch }
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
		let (_, good) = signed_items(&Key::all(1));
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
fn a_batch_is_weighed_per_item_and_scheme() {
	test(|| {
		let (_, items) = four_signed_items();
		let [key, ..] = Key::all(5);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let ed = (hb.clone(), sign_heartbeat(&key, &hb));
		let weight = |items: Vec<_>| Proofs::batch_check_weight(&items.try_into().unwrap());
		let (one, two) = (weight(items[..1].to_vec()), weight(items[..2].to_vec()));
		assert!(two.ref_time() > one.ref_time());
		let mixed = weight(vec![items[0].clone(), ed.clone()]);
		assert_eq!(mixed, one.saturating_add(weight(vec![ed])), "each scheme at its own cost");
		assert!(
			<Test as crate::Config>::WeightInfo::submit_heartbeats(2).ref_time()
				> <Test as crate::Config>::WeightInfo::submit_heartbeats(1).ref_time()
		);
	});
}
