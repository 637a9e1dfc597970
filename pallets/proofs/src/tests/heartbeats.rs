//! Heartbeats: each key scheme, every reason to refuse one, points and telemetry.

use crate::{mock::*, Error, Event, ProofError, Records};
use depin_primitives::{signing_message, SigningDomain, SuspensionReason};
use frame_support::{assert_noop, assert_ok, pallet_prelude::*};
use sp_core::H256;

fn pool(
	heartbeat: &depin_primitives::Heartbeat,
	signature: &depin_primitives::DeviceSignature,
) -> Result<(), ProofError> {
	Proofs::check_heartbeat(heartbeat, signature).map(|_| ())
}

#[test]
fn each_key_scheme_proves_a_heartbeat() {
	test(|| {
		for key in Key::all(1) {
			let id = eligible(ALICE, &key, HOTSPOT);
			let hb = heartbeat(id);
			let signature = sign_heartbeat(&key, &hb);
			assert_ok!(Proofs::authorize_heartbeat(TransactionSource::External, &hb, &signature));
			assert_ok!(Proofs::submit_heartbeat(authorized(), hb.clone(), signature));
			System::assert_last_event(Event::HeartbeatAccepted { device: id, epoch: 0 }.into());
			let record = Records::<Test>::get(id).unwrap();
			assert_eq!(record.last_heartbeat, Some(0));
			assert_eq!(record.readings, hb.readings);
			assert!(points().contains(&(id, 0, 10)), "class weight 10 is credited");
		}
	});
}

#[test]
fn a_forged_signature_is_refused_for_each_scheme() {
	test(|| {
		let forgers = Key::all(9);
		for (key, forger) in Key::all(1).iter().zip(forgers.iter()) {
			let id = eligible(ALICE, key, HOTSPOT);
			let hb = heartbeat(id);
			assert_eq!(pool(&hb, &sign_heartbeat(forger, &hb)), Err(ProofError::BadSignature));
			// The device's own signature of another heartbeat does not fit this one.
			let mut other = hb.clone();
			other.readings = Default::default();
			assert_eq!(pool(&hb, &sign_heartbeat(key, &other)), Err(ProofError::BadSignature));
		}
	});
}

#[test]
fn a_signature_for_another_chain_or_purpose_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let other_chain = key.sign(&signing_message(
			SigningDomain::Heartbeat,
			H256::repeat_byte(7).as_bytes(),
			&hb,
		));
		assert_eq!(pool(&hb, &other_chain), Err(ProofError::BadSignature));
		let other_purpose =
			key.sign(&signing_message(SigningDomain::Storage, GENESIS.as_bytes(), &hb));
		assert_eq!(pool(&hb, &other_purpose), Err(ProofError::BadSignature));
	});
}

#[test]
fn wrong_epochs_and_challenges_are_refused() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		next_epoch();
		let mut past = heartbeat(id);
		past.epoch = 0;
		assert_eq!(pool(&past, &sign_heartbeat(&key, &past)), Err(ProofError::PastEpoch));
		let mut future = heartbeat(id);
		future.epoch = 2;
		assert_eq!(pool(&future, &sign_heartbeat(&key, &future)), Err(ProofError::FutureEpoch));
		let mut wrong = heartbeat(id);
		wrong.challenge = H256::repeat_byte(3);
		assert_eq!(pool(&wrong, &sign_heartbeat(&key, &wrong)), Err(ProofError::WrongChallenge));
		// Last epoch's challenge with this epoch's number.
		let mut stale_challenge = heartbeat(id);
		stale_challenge.challenge =
			depin_primitives::device_challenge(&crate::GENESIS_SEED, &id, 0);
		assert_eq!(
			pool(&stale_challenge, &sign_heartbeat(&key, &stale_challenge)),
			Err(ProofError::WrongChallenge)
		);
	});
}

#[test]
fn a_heartbeat_counts_once_per_epoch_and_cannot_be_replayed_later() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let signature = sign_heartbeat(&key, &hb);
		assert_ok!(Proofs::submit_heartbeat(authorized(), hb.clone(), signature));
		// Replay in the same epoch.
		assert_eq!(pool(&hb, &signature), Err(ProofError::AlreadySubmitted));
		let replay = crate::Call::submit_heartbeat { heartbeat: hb.clone(), signature };
		assert_eq!(apply(replay), Err(ProofError::AlreadySubmitted.into()));
		// Dispatch refuses it too, should Root dispatch it without the check.
		assert_noop!(
			Proofs::submit_heartbeat(authorized(), hb.clone(), signature),
			Error::<Test>::InvalidProof
		);
		// Replay in a later epoch.
		next_epoch();
		assert_eq!(pool(&hb, &signature), Err(ProofError::PastEpoch));
		// A fresh heartbeat for the new epoch is fine.
		let fresh = heartbeat(id);
		assert_ok!(Proofs::submit_heartbeat(
			authorized(),
			fresh.clone(),
			sign_heartbeat(&key, &fresh)
		));
		assert_eq!(points().iter().filter(|(d, ..)| *d == id).count(), 2);
	});
}

#[test]
fn unregistered_suspended_under_staked_and_not_owing_devices_are_refused() {
	test(|| {
		let stranger = Key::sr(5);
		let hb = heartbeat(stranger.id());
		assert_eq!(pool(&hb, &sign_heartbeat(&stranger, &hb)), Err(ProofError::UnknownDevice));

		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		assert_ok!(Devices::suspend_device(
			RuntimeOrigin::root(),
			id,
			SuspensionReason::Governance
		));
		let hb = heartbeat(id);
		assert_eq!(pool(&hb, &sign_heartbeat(&key, &hb)), Err(ProofError::DeviceNotActive));
		assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, 1));
		assert_eq!(pool(&hb, &sign_heartbeat(&key, &hb)), Err(ProofError::NotEligible));

		let idle = Key::sr(2);
		let idle_id = eligible(ALICE, &idle, IDLE);
		let hb = heartbeat(idle_id);
		assert_eq!(pool(&hb, &sign_heartbeat(&idle, &hb)), Err(ProofError::NotOwed));
	});
}

#[test]
fn the_pool_sees_one_tag_per_device_kind_and_epoch_until_the_epoch_ends() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(4);
		let hb = heartbeat(id);
		let (valid, refund) = Proofs::authorize_heartbeat(
			TransactionSource::External,
			&hb,
			&sign_heartbeat(&key, &hb),
		)
		.unwrap();
		assert_eq!(refund, Weight::zero());
		assert_eq!(valid.provides.len(), 1);
		assert_eq!(valid.longevity, EPOCH_LENGTH - 4);
		assert!(valid.requires.is_empty() && valid.propagate);
		let error: TransactionValidityError = ProofError::WrongChallenge.into();
		assert_eq!(error, TransactionValidityError::Invalid(InvalidTransaction::Custom(5)));
	});
}

#[test]
fn submit_needs_the_authorized_origin() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let hb = heartbeat(id);
		let signature = sign_heartbeat(&key, &hb);
		assert_noop!(
			Proofs::submit_heartbeat(RuntimeOrigin::signed(ALICE), hb.clone(), signature),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Proofs::submit_heartbeat(RuntimeOrigin::none(), hb, signature),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn weights_follow_the_signature_scheme() {
	use depin_primitives::DeviceSignature;
	let ed = Proofs::heartbeat_check_weight(&DeviceSignature::Ed25519([0; 64]));
	let p256 = Proofs::heartbeat_check_weight(&DeviceSignature::P256([0; 64]));
	assert!(ed.ref_time() > 0 && p256.ref_time() > 0);
	assert_ne!(ed, p256, "each scheme is weighed by its own benchmark");
}

/// Declares the hotspot class's telemetry: uptime (metric 1) at least 0, temperature (metric
/// 2) within -40 000 and 85 000 milli-degrees; 4 points of telemetry credit.
fn declare_telemetry() {
	let mut hotspot = pallet_devices::Classes::<Test>::get(HOTSPOT).expect("a class");
	hotspot.telemetry = vec![
		depin_primitives::MetricRange { metric: 1, min: 0, max: i64::MAX },
		depin_primitives::MetricRange { metric: 2, min: -40_000, max: 85_000 },
	]
	.try_into()
	.expect("two metrics");
	hotspot.telemetry_weight = 4;
	assert_ok!(Devices::set_class(RuntimeOrigin::root(), HOTSPOT, hotspot));
}

#[test]
fn telemetry_in_range_earns_its_credit_and_out_of_range_only_liveness() {
	test(|| {
		declare_telemetry();
		let (good, bad, missing) = (Key::sr(1), Key::sr(2), Key::sr(3));
		let ids: Vec<_> =
			[&good, &bad, &missing].iter().map(|k| eligible(ALICE, k, HOTSPOT)).collect();
		let with = |id, readings: Vec<depin_primitives::Reading>| {
			let mut hb = heartbeat(id);
			hb.readings = readings.try_into().expect("few readings");
			hb
		};
		let reading = |metric, value| depin_primitives::Reading { metric, value };
		let heartbeats = [
			with(ids[0], vec![reading(1, 60), reading(2, 21_000)]),
			// A broken temperature sensor: 900 °C.
			with(ids[1], vec![reading(1, 60), reading(2, 900_000)]),
			// No temperature at all (undeclared metrics do not count).
			with(ids[2], vec![reading(1, 60), reading(7, 1)]),
		];
		for (key, hb) in [&good, &bad, &missing].iter().zip(heartbeats) {
			assert_ok!(Proofs::submit_heartbeat(
				authorized(),
				hb.clone(),
				sign_heartbeat(key, &hb)
			));
		}
		// Every one counts for liveness; only the first earns the telemetry credit.
		let points = points();
		assert_eq!(points, vec![(ids[0], 0, 10 + 4), (ids[1], 0, 10), (ids[2], 0, 10)]);
		assert!(ids.iter().all(|id| Records::<Test>::get(id).unwrap().last_heartbeat == Some(0)));
		// The flagged ones are recorded and announced.
		let metrics = |m: Vec<u16>| frame_support::BoundedVec::truncate_from(m);
		System::assert_has_event(
			Event::TelemetryFlagged { device: ids[1], epoch: 0, metrics: metrics(vec![2]) }.into(),
		);
		assert_eq!(crate::FlaggedTelemetry::<Test>::get(ids[2]), Some((0, metrics(vec![2]))));
		assert_eq!(crate::FlaggedTelemetry::<Test>::get(ids[0]), None);
	});
}

#[test]
fn a_revoked_attestation_stops_earning_from_the_epoch_it_holds_from_and_not_before() {
	use depin_primitives::attestation::AttestationState;
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		next_epoch();
		let epoch = crate::CurrentEpoch::<Test>::get();
		// Revoked from the next epoch: this one still earns.
		MockAttestation::set(id, AttestationState::Revoked { from: epoch + 1 });
		let hb = heartbeat(id);
		assert_ok!(pool(&hb, &sign_heartbeat(&key, &hb)));
		next_epoch();
		let hb = heartbeat(id);
		assert_eq!(pool(&hb, &sign_heartbeat(&key, &hb)), Err(ProofError::AttestationRevoked));
	});
}

#[test]
fn a_class_that_requires_attestation_pays_no_device_without_it() {
	use depin_primitives::{attestation::AttestationState, AttestationPolicy};
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let mut class = pallet_devices::Classes::<Test>::get(HOTSPOT).expect("exists");
		class.attestation = AttestationPolicy::Required;
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), HOTSPOT, class));
		next_epoch();
		let hb = heartbeat(id);
		assert_eq!(pool(&hb, &sign_heartbeat(&key, &hb)), Err(ProofError::NotAttested));
		// Its owner attests it (the makers pallet's `attest_device`): it earns again.
		MockAttestation::set(id, AttestationState::Valid);
		assert_ok!(pool(&hb, &sign_heartbeat(&key, &hb)));
	});
}
