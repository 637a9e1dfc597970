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
fn copied_batch_item_does_not_fail_the_batch() {
	test(|| {
		let (ids, items) = four_signed_items();
		let of = |items: Vec<_>| Call::submit_heartbeats { batch: items.try_into().unwrap() };

		// A forged item: the block's authorize check refuses the whole batch.
		let mut forged = items.clone();
		forged[1].1 = sign_heartbeat(&Key::sr(99), &forged[1].0);
		assert_eq!(apply(of(forged)), Err(InvalidTransaction::BadProof.into()));
		// Someone copies an item out of the gateway's batch and gets it included first: the
		// batch still applies, skipping it and recording the rest.
		assert_ok!(apply(Call::submit_heartbeat {
			heartbeat: items[3].0.clone(),
			signature: items[3].1
		})
		.unwrap());
		assert_ok!(apply(of(items.clone())).unwrap());
		System::assert_has_event(
			Event::BatchItemRejected {
				index: 3,
				device: ids[3],
				reason: ProofError::AlreadySubmitted,
			}
			.into(),
		);
		assert!(ids.iter().all(|id| Records::<Test>::get(id).unwrap().last_heartbeat == Some(0)));
		assert_eq!(points().len(), 4, "each device counted once");
		// A batch with nothing left to record is refused.
		assert_eq!(apply(of(items)), Err(ProofError::AllDelivered.into()));
	});
}

#[test]
fn a_batch_and_a_copy_of_one_of_its_items_do_not_shut_each_other_out_of_the_pool() {
	test(|| {
		let (_, items) = four_signed_items();
		let batch: HeartbeatBatch<Test> = items.clone().try_into().unwrap();
		let (whole, _) = Proofs::authorize_heartbeats(TransactionSource::External, &batch).unwrap();
		let (single, _) =
			Proofs::authorize_heartbeat(TransactionSource::External, &items[0].0, &items[0].1)
				.unwrap();
		// The pool keeps both: no tag in common (a shared tag would let the first one in keep
		// the other out).
		assert_eq!(whole.provides.len(), 1, "one tag for the batch");
		assert!(whole.provides.iter().all(|tag| !single.provides.contains(tag)));
		// A second copy of the same batch provides the same tag: the pool keeps one.
		let (again, _) = Proofs::authorize_heartbeats(TransactionSource::External, &batch).unwrap();
		assert_eq!(again.provides, whole.provides);
		// Once the single copy is in, the batch's tag names what it still owes.
		assert_ok!(Proofs::submit_heartbeat(authorized(), items[0].0.clone(), items[0].1));
		let (rest, _) = Proofs::authorize_heartbeats(TransactionSource::External, &batch).unwrap();
		assert_ne!(rest.provides, whole.provides);
	});
}

#[test]
fn a_batch_too_heavy_for_a_block_is_refused_before_any_signature_is_checked() {
	test(|| {
		// Sixteen P-256 heartbeats (the mock's MaxBatchSize), every signature forged: with
		// room in the block the pool checks them and finds the forgery ...
		let keys: Vec<Key> = (1..=16).map(|seed| Key::all(seed)[3].clone()).collect();
		let (_, mut items) = signed_items(&keys);
		for item in &mut items {
			item.1 = DeviceSignature::P256([7; 64]);
		}
		let batch: HeartbeatBatch<Test> = items.try_into().unwrap();
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &batch),
			Err(InvalidTransaction::BadProof.into())
		);
		// ... but a batch that cannot fit a block is refused before any signature is checked
		// (this also caps how many P-256 items a batch may carry).
		let declared = Proofs::batch_check_weight(&batch);
		MaxBlockWeight::set(declared / 2);
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &batch),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		MaxBlockWeight::set(frame_support::weights::Weight::from_parts(u64::MAX / 2, u64::MAX / 2));
	});
}

#[test]
fn cheap_checks_of_every_item_come_before_any_signature() {
	test(|| {
		let (_, mut items) = four_signed_items();
		// The first item's signature is forged, the last item's device unknown: the unknown
		// device is found first, before the forged signature is checked.
		items[0].1 = DeviceSignature::Sr25519([7; 64]);
		items[3].0.device = DeviceId::repeat_byte(0xee);
		let batch: HeartbeatBatch<Test> = items.try_into().unwrap();
		assert_eq!(
			Proofs::authorize_heartbeats(TransactionSource::External, &batch),
			Err(ProofError::UnknownDevice.into())
		);
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
		assert_eq!(valid.provides.len(), 1, "the batch's own tag, whatever the schemes");

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
