//! Equivocation and unresponsiveness.

use crate::{mock::*, Error, Event};
use depin_primitives::{
	DeviceId, DeviceSignature, DeviceStatus, Heartbeat, ProofKind, SignedPayload, StorageProof,
	SuspensionReason,
};
use frame_support::{assert_noop, assert_ok};
use pallet_device_staking::PendingSlashes;
use sp_core::H256;
use sp_runtime::Perbill;

fn status(id: depin_primitives::DeviceId) -> DeviceStatus {
	pallet_devices::Devices::<Test>::get(id).unwrap().status
}

/// Two different heartbeats of one device for the current epoch, signed.
fn two_heartbeats(
	key: &Key,
	id: depin_primitives::DeviceId,
) -> (
	(SignedPayload, depin_primitives::DeviceSignature),
	(SignedPayload, depin_primitives::DeviceSignature),
) {
	let first = heartbeat(id);
	let mut second = first.clone();
	second.readings = Default::default();
	(
		(SignedPayload::Heartbeat(first.clone()), sign_heartbeat(key, &first)),
		(SignedPayload::Heartbeat(second.clone()), sign_heartbeat(key, &second)),
	)
}

#[test]
fn two_different_signed_payloads_prove_equivocation_for_each_scheme() {
	test(|| {
		for key in Key::all(1) {
			let id = eligible(ALICE, &key, HOTSPOT);
			let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
			assert_ok!(Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a,
				sa,
				b,
				sb
			));
			let slash_id =
				PendingSlashes::<Test>::iter().find(|(_, s)| s.device == id).map(|(i, _)| i);
			System::assert_last_event(
				Event::EquivocationReported {
					device: id,
					epoch: 0,
					kind: ProofKind::Heartbeat,
					reporter: REPORTER,
					slash_id,
				}
				.into(),
			);
			assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Misbehaviour));
			let slash = PendingSlashes::<Test>::iter_values()
				.find(|s| s.device == id)
				.expect("slash pending");
			assert_eq!(slash.amount, MIN_STAKE / 2);
			assert_eq!(slash.reporter, Some(REPORTER));
		}
	});
}

#[test]
fn signing_one_payload_twice_is_no_offence() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), _) = two_heartbeats(&key, id);
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a.clone(), sa, a, sa),
			Error::<Test>::SamePayload
		);
	});
}

#[test]
fn payloads_of_other_epochs_kinds_or_devices_are_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let other = Key::sr(2);
		let other_id = eligible(ALICE, &other, HOTSPOT);
		let ((a, sa), _) = two_heartbeats(&key, id);
		next_epoch();
		let ((later, sl), _) = two_heartbeats(&key, id);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a.clone(),
				sa,
				later,
				sl
			),
			Error::<Test>::NotEquivocation
		);
		let ((theirs, st), _) = two_heartbeats(&other, other_id);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a.clone(),
				sa,
				theirs,
				st
			),
			Error::<Test>::NotEquivocation
		);
		let storage = depin_primitives::StorageProof {
			device: id,
			epoch: 0,
			challenge: sp_core::H256::zero(),
			leaves: Default::default(),
		};
		let ss = sign_storage(&key, &storage);
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				id,
				a,
				sa,
				SignedPayload::Storage(storage),
				ss
			),
			Error::<Test>::NotEquivocation
		);
	});
}

#[test]
fn a_forged_report_is_refused() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), (b, _)) = two_heartbeats(&key, id);
		let forged = match &b {
			SignedPayload::Heartbeat(h) => sign_heartbeat(&Key::sr(9), h),
			_ => unreachable!(),
		};
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a, sa, b, forged),
			Error::<Test>::InvalidSignature
		);
	});
}

#[test]
fn an_old_equivocation_cannot_be_reported_and_none_is_reported_twice() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
		assert_ok!(Proofs::report_equivocation(
			RuntimeOrigin::signed(REPORTER),
			id,
			a.clone(),
			sa,
			b.clone(),
			sb
		));
		assert_noop!(
			Proofs::report_equivocation(
				RuntimeOrigin::signed(BOB),
				id,
				a.clone(),
				sa,
				b.clone(),
				sb
			),
			pallet_device_staking::Error::<Test>::DuplicateOffence
		);
		let key2 = Key::sr(2);
		let id2 = eligible(ALICE, &key2, HOTSPOT);
		let ((a2, sa2), (b2, sb2)) = two_heartbeats(&key2, id2);
		run_to_block(10 * EPOCH_LENGTH);
		assert_noop!(
			Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id2, a2, sa2, b2, sb2),
			Error::<Test>::ReportTooOld
		);
	});
}

#[test]
fn an_unresponsive_device_is_suspended_only_after_the_threshold() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		// Registered in epoch 0; owes from epoch 1. At epoch 3, epochs 1 and 2 were missed.
		run_to_block(3 * EPOCH_LENGTH);
		assert_eq!(Proofs::missed_epochs(&id), Some(2));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
		run_to_block(4 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
		System::assert_last_event(
			Event::DeviceUnresponsive { device: id, missed: MAX_MISSED }.into(),
		);
		assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Unresponsive));
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0, "downtime costs no stake by default");
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::DeviceNotActive
		);
	});
}

#[test]
fn proofs_and_resumption_restart_the_count() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(2 * EPOCH_LENGTH);
		let hb = heartbeat(id);
		assert_ok!(Proofs::submit_heartbeat(authorized(), hb.clone(), sign_heartbeat(&key, &hb)));
		run_to_block(5 * EPOCH_LENGTH);
		assert_eq!(
			Proofs::missed_epochs(&id),
			Some(2),
			"epochs 3 and 4 missed after epoch 2's proof"
		);
		run_to_block(6 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));

		// Governance resumes it: the count starts again from the resumption.
		assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		assert_eq!(Proofs::missed_epochs(&id), Some(0));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
	});
}

#[test]
fn a_configured_downtime_slash_is_reported_too() {
	test(|| {
		UnresponsiveSlash::set(Perbill::from_percent(5));
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(4 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
		let slash = PendingSlashes::<Test>::iter_values().next().expect("slash pending");
		assert_eq!((slash.device, slash.amount), (id, MIN_STAKE / 20));
	});
}

#[test]
fn devices_that_owe_nothing_or_are_unknown_cannot_be_reported() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, IDLE);
		run_to_block(10 * EPOCH_LENGTH);
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NothingOwed
		);
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), sp_core::H256::zero()),
			Error::<Test>::DeviceNotFound
		);
	});
}

/// `key`'s heartbeat for `epoch` with `challenge` and readings of `variant`, signed: what any
/// caller could have asked the device for.
fn signed_heartbeat(
	key: &Key,
	id: DeviceId,
	epoch: u32,
	challenge: H256,
	variant: i64,
) -> (SignedPayload, DeviceSignature) {
	let heartbeat = Heartbeat {
		device: id,
		epoch,
		challenge,
		readings: vec![depin_primitives::Reading { metric: 1, value: variant }]
			.try_into()
			.expect("one reading"),
	};
	let signature = sign_heartbeat(key, &heartbeat);
	(SignedPayload::Heartbeat(heartbeat), signature)
}

fn report(
	id: DeviceId,
	(a, sa): (SignedPayload, DeviceSignature),
	(b, sb): (SignedPayload, DeviceSignature),
) -> frame_support::dispatch::DispatchResult {
	Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a, sa, b, sb)
}

/// The device keeps its full stake, is active, and has no slash pending.
fn unharmed(id: DeviceId) {
	assert_eq!(status(id), DeviceStatus::Active);
	assert_eq!(PendingSlashes::<Test>::iter().filter(|(_, s)| s.device == id).count(), 0);
	assert_eq!(<DeviceStaking as depin_primitives::StakeInfo<u64>>::bonded(&id), MIN_STAKE);
}

#[test]
fn invented_challenge_is_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let epoch = Proofs::current_epoch_index();
		let first = signed_heartbeat(&key, id, epoch, H256::repeat_byte(1), 1);
		let second = signed_heartbeat(&key, id, epoch, H256::repeat_byte(2), 1);
		assert_noop!(report(id, first, second), Error::<Test>::InventedChallenge);
		// The same invented challenge twice, with different readings: no better.
		let first = signed_heartbeat(&key, id, epoch, H256::repeat_byte(1), 1);
		let second = signed_heartbeat(&key, id, epoch, H256::repeat_byte(1), 2);
		assert_noop!(report(id, first, second), Error::<Test>::InventedChallenge);
		unharmed(id);
	});
}

#[test]
fn future_epoch_is_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		// One pair per future epoch, each with invented challenges: the attack that drained
		// a stake one report at a time.
		for epoch in 1..5 {
			let first = signed_heartbeat(&key, id, epoch, H256::repeat_byte(1), 1);
			let second = signed_heartbeat(&key, id, epoch, H256::repeat_byte(2), 2);
			assert_noop!(report(id, first, second), Error::<Test>::FutureEpoch);
		}
		// Once the epoch has begun, its real challenge is not what the attacker invented.
		next_epoch();
		let first = signed_heartbeat(&key, id, 1, H256::repeat_byte(1), 1);
		let second = signed_heartbeat(&key, id, 1, H256::repeat_byte(2), 2);
		assert_noop!(report(id, first, second), Error::<Test>::InventedChallenge);
		unharmed(id);
	});
}

#[test]
fn one_real_and_one_invented_challenge_is_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let epoch = Proofs::current_epoch_index();
		let real = signed_heartbeat(&key, id, epoch, Proofs::current_challenge(&id), 1);
		let invented = signed_heartbeat(&key, id, epoch, H256::repeat_byte(2), 1);
		assert_noop!(report(id, real.clone(), invented.clone()), Error::<Test>::InventedChallenge);
		assert_noop!(report(id, invented, real), Error::<Test>::InventedChallenge);
		unharmed(id);
	});
}

#[test]
fn a_fork_challenge_is_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		next_epoch();
		// On another fork the boundary's parent differed, and with it the seed: an honest
		// device answered both forks' challenges for epoch 1.
		let seed = crate::EpochSeed::<Test>::get();
		let fork_seed = H256::repeat_byte(0xf0);
		assert_ne!(seed, fork_seed);
		let here = signed_heartbeat(&key, id, 1, Proofs::current_challenge(&id), 1);
		let fork = signed_heartbeat(
			&key,
			id,
			1,
			depin_primitives::device_challenge(&fork_seed, &id, 1),
			1,
		);
		assert_noop!(report(id, here, fork), Error::<Test>::InventedChallenge);
		unharmed(id);
	});
}

/// A storage device committed to 16 chunks, in the epoch after its commitment.
fn storage_device(key: &Key) -> (DeviceId, Vec<Vec<u8>>) {
	let id = eligible(ALICE, key, STORAGE);
	let chunks = data_set(16);
	assert_ok!(Proofs::commit_storage(RuntimeOrigin::signed(ALICE), id, data_root(&chunks), 16));
	next_epoch();
	(id, chunks)
}

fn signed_storage(key: &Key, proof: StorageProof) -> (SignedPayload, DeviceSignature) {
	let signature = sign_storage(key, &proof);
	(SignedPayload::Storage(proof), signature)
}

#[test]
fn storage_with_other_indices_is_no_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = storage_device(&key);
		let honest = storage_proof(id, &chunks);
		// The real challenge, but indices the request chose rather than the challenge.
		let mut other = honest.clone();
		other.leaves[0].index = (other.leaves[0].index + 1) % 16;
		assert_noop!(
			report(id, signed_storage(&key, honest.clone()), signed_storage(&key, other)),
			Error::<Test>::WrongIndices
		);
		// Too few leaves (as a request for 3 indices would get).
		let mut fewer = honest.clone();
		fewer.leaves.pop();
		assert_noop!(
			report(id, signed_storage(&key, honest.clone()), signed_storage(&key, fewer)),
			Error::<Test>::WrongIndices
		);
		// Indices against a commitment not in force in the epoch (made now, in force next).
		let bigger = data_set(64);
		assert_ok!(Proofs::commit_storage(
			RuntimeOrigin::signed(ALICE),
			id,
			data_root(&bigger),
			64
		));
		let challenge = Proofs::current_challenge(&id);
		let indices = depin_primitives::challenged_leaves(&challenge, 64, LEAVES_PER_CHALLENGE);
		let leaves: Vec<H256> =
			bigger.iter().map(|c| depin_primitives::merkle::leaf_hash(c)).collect();
		let mut next = honest.clone();
		for (leaf, index) in next.leaves.iter_mut().zip(indices) {
			leaf.index = index;
			leaf.chunk = bigger[index as usize].clone().try_into().expect("small");
			leaf.path = depin_primitives::merkle::proof(&leaves, index)
				.expect("in range")
				.try_into()
				.expect("shallow");
		}
		assert_noop!(
			report(id, signed_storage(&key, honest), signed_storage(&key, next)),
			Error::<Test>::WrongIndices
		);
		unharmed(id);
	});
}

#[test]
fn two_different_answers_to_the_real_storage_challenge_are_an_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let (id, chunks) = storage_device(&key);
		let honest = storage_proof(id, &chunks);
		let mut lie = honest.clone();
		lie.leaves[0].chunk = b"not the data".to_vec().try_into().expect("small");
		assert_ok!(report(id, signed_storage(&key, honest), signed_storage(&key, lie)));
		assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Misbehaviour));
	});
}

#[test]
fn repeated_reports_cannot_drain_the_stake() {
	test(|| {
		// An honest device: whatever pairs an attacker gets it to sign, nothing sticks.
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		for epoch in 0..4 {
			let first = signed_heartbeat(&key, id, epoch, H256::repeat_byte(1), 1);
			let second = signed_heartbeat(&key, id, epoch, H256::repeat_byte(2), 2);
			assert!(report(id, first, second).is_err());
		}
		unharmed(id);

		// A device that really equivocated in three epochs: each slash takes half of what the
		// pending ones leave, so 1 − (1/2)^3 of the stake, not three halves of it.
		let liar = Key::sr(2);
		let liar_id = eligible(ALICE, &liar, HOTSPOT);
		for _ in 0..3 {
			let ((a, sa), (b, sb)) = two_heartbeats(&liar, liar_id);
			assert_ok!(Proofs::report_equivocation(
				RuntimeOrigin::signed(REPORTER),
				liar_id,
				a,
				sa,
				b,
				sb
			));
			next_epoch();
		}
		let pending: Vec<u64> = PendingSlashes::<Test>::iter_values()
			.filter(|s| s.device == liar_id)
			.map(|s| s.amount)
			.collect();
		assert_eq!(pending.iter().sum::<u64>(), MIN_STAKE / 2 + MIN_STAKE / 4 + MIN_STAKE / 8);
		// Governance can cancel within the deferral, and the stake is whole again.
		for slash in PendingSlashes::<Test>::iter_keys().collect::<Vec<_>>() {
			assert_ok!(DeviceStaking::cancel_slash(RuntimeOrigin::root(), slash));
		}
		assert_eq!(
			<DeviceStaking as depin_primitives::StakeInfo<u64>>::bonded(&liar_id),
			MIN_STAKE
		);
	});
}

#[test]
fn zero_stake_device_is_still_suspended_for_equivocation() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(ALICE), id, MIN_STAKE));
		run_to_block(30 * EPOCH_LENGTH);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(ALICE), id));
		let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
		assert_ok!(Proofs::report_equivocation(RuntimeOrigin::signed(REPORTER), id, a, sa, b, sb));
		System::assert_last_event(
			Event::EquivocationReported {
				device: id,
				epoch: 30,
				kind: ProofKind::Heartbeat,
				reporter: REPORTER,
				slash_id: None,
			}
			.into(),
		);
		assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Misbehaviour));
	});
}

#[test]
fn an_epoch_without_blocks_has_no_challenge_to_equivocate_on() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		// The chain halts through epochs 1 and 2.
		skip_slots(3 * EPOCH_LENGTH);
		run_to_block(System::block_number() + 1);
		assert_eq!(Proofs::current_epoch_index(), 3);
		let first = signed_heartbeat(&key, id, 1, H256::repeat_byte(1), 1);
		let second = signed_heartbeat(&key, id, 1, H256::repeat_byte(2), 2);
		assert_noop!(report(id, first, second), Error::<Test>::EpochWithoutBlocks);
		unharmed(id);
	});
}

#[test]
fn the_owner_reporting_its_own_device_earns_no_reporter_share() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		let ((a, sa), (b, sb)) = two_heartbeats(&key, id);
		assert_ok!(Proofs::report_equivocation(RuntimeOrigin::signed(ALICE), id, a, sa, b, sb));
		let slash = PendingSlashes::<Test>::iter_values().next().expect("a slash");
		assert_eq!(slash.reporter, None);
	});
}

#[test]
fn misbehaviour_outranks_a_suspension_for_downtime() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(4 * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
		// It had equivocated before going quiet (epoch 0 is within the window).
		let epoch0 = |variant| {
			let seed = crate::RecentEpochs::<Test>::get()[0].seed;
			signed_heartbeat(
				&key,
				id,
				0,
				depin_primitives::device_challenge(&seed, &id, 0),
				variant,
			)
		};
		assert_ok!(report(id, epoch0(1), epoch0(2)));
		assert_eq!(status(id), DeviceStatus::Suspended(SuspensionReason::Misbehaviour));
	});
}

#[test]
fn a_class_change_gives_its_devices_a_grace_period_before_they_can_be_reported() {
	test(|| {
		let key = Key::sr(1);
		let id = eligible(ALICE, &key, HOTSPOT);
		run_to_block(2 * EPOCH_LENGTH);
		// Governance raises the hotspots' minimum stake in epoch 2: the device is under-staked
		// and its heartbeats are refused until its owner bonds more.
		let mut hotspot = pallet_devices::Classes::<Test>::get(HOTSPOT).expect("a class");
		hotspot.min_stake = 2 * MIN_STAKE;
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), HOTSPOT, hotspot));
		// Epochs 2 and 3 (the grace) do not count: at epoch 5 only epoch 4 was missed.
		run_to_block(5 * EPOCH_LENGTH);
		assert_eq!(Proofs::missed_epochs(&id), Some(1));
		assert_noop!(
			Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id),
			Error::<Test>::NotUnresponsive
		);
		run_to_block((4 + MAX_MISSED as u64) * EPOCH_LENGTH);
		assert_ok!(Proofs::report_unresponsive(RuntimeOrigin::signed(REPORTER), id));
	});
}
