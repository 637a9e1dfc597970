//! Registration: proof of possession per key scheme, classes, locations, deposits, bounds.

use crate::{mock::*, ClassCounts, DeviceCounts, Devices as DeviceMap, Error, Event};
use depin_primitives::{
	signing_message, DeviceKey, DeviceSignature, DeviceStatus, H3Cell, SigningDomain,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::DeviceDeposit.into(), &who)
}

#[test]
fn each_key_scheme_registers_with_a_valid_proof_of_possession() {
	test(|| {
		for device in TestDevice::all(1) {
			assert_ok!(Devices::register_device(
				RuntimeOrigin::signed(ALICE),
				device.key(),
				HOTSPOT,
				Some(SF_CELL),
				metadata(10),
				device.pop(ALICE),
			));
			System::assert_last_event(
				Event::DeviceRegistered { device: device.id(), owner: ALICE, class: HOTSPOT }
					.into(),
			);
			let info = DeviceMap::<Test>::get(device.id()).expect("stored");
			assert_eq!(info.owner, ALICE);
			assert_eq!(info.key, device.key());
			assert_eq!(info.status, DeviceStatus::Active);
			assert_eq!(info.location, H3Cell::new(SF_CELL));
			assert_eq!(info.deposit, DEVICE_DEPOSIT + 10 * PER_BYTE);
			assert_eq!(info.depositor, ALICE);
			assert_eq!(info.registered_at, 1);
		}
		assert_eq!(owned(ALICE).len(), 4);
		assert_eq!(held(ALICE), 4 * (DEVICE_DEPOSIT + 10 * PER_BYTE));
		assert_eq!(DeviceCounts::<Test>::get().active, 4);
		assert_eq!(ClassCounts::<Test>::get(HOTSPOT).active, 4);
	});
}

#[test]
fn a_signature_by_another_key_is_refused_for_each_scheme() {
	test(|| {
		let impostors = TestDevice::all(9);
		for (device, impostor) in TestDevice::all(1).iter().zip(impostors.iter()) {
			assert_noop!(
				register_hotspot(ALICE, device.key(), impostor.pop(ALICE)),
				Error::<Test>::InvalidProofOfPossession
			);
		}
	});
}

#[test]
fn a_proof_for_another_owner_is_refused_for_each_scheme() {
	test(|| {
		for device in TestDevice::all(1) {
			assert_noop!(
				register_hotspot(ALICE, device.key(), device.pop(BOB)),
				Error::<Test>::InvalidProofOfPossession
			);
		}
	});
}

#[test]
fn a_proof_for_another_chain_is_refused_for_each_scheme() {
	test(|| {
		let other_chain = H256::repeat_byte(0x43);
		for device in TestDevice::all(1) {
			let proof = device.sign(&signing_message(
				SigningDomain::Register,
				other_chain.as_bytes(),
				&ALICE,
			));
			assert_noop!(
				register_hotspot(ALICE, device.key(), proof),
				Error::<Test>::InvalidProofOfPossession
			);
		}
	});
}

#[test]
fn a_signature_made_for_another_purpose_is_refused_for_each_scheme() {
	test(|| {
		for device in TestDevice::all(1) {
			let heartbeat_signature =
				device.sign(&signing_message(SigningDomain::Heartbeat, GENESIS.as_bytes(), &ALICE));
			assert_noop!(
				register_hotspot(ALICE, device.key(), heartbeat_signature),
				Error::<Test>::InvalidProofOfPossession
			);
		}
	});
}

#[test]
fn a_signature_of_another_scheme_is_refused() {
	test(|| {
		let [ed, sr, _, _] = TestDevice::all(1);
		// Same seed, other scheme: not a signature by the Ed25519 key.
		assert_noop!(
			register_hotspot(ALICE, ed.key(), sr.pop(ALICE)),
			Error::<Test>::InvalidProofOfPossession
		);
		// A garbage signature of the right scheme.
		assert_noop!(
			register_hotspot(ALICE, ed.key(), DeviceSignature::Ed25519([0u8; 64])),
			Error::<Test>::InvalidProofOfPossession
		);
	});
}

#[test]
fn a_key_registers_once_even_for_another_owner() {
	test(|| {
		let device = TestDevice::ed(1);
		register(ALICE, &device);
		assert_noop!(
			register_hotspot(BOB, device.key(), device.pop(BOB)),
			Error::<Test>::DeviceAlreadyRegistered
		);
	});
}

#[test]
fn a_retired_key_cannot_register_again() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = register(ALICE, &device);
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			register_hotspot(ALICE, device.key(), device.pop(ALICE)),
			Error::<Test>::DeviceAlreadyRegistered
		);
	});
}

#[test]
fn unknown_and_closed_classes_are_refused() {
	test(|| {
		let device = TestDevice::ed(1);
		for (class, error) in
			[(99, Error::<Test>::ClassNotFound), (CLOSED, Error::<Test>::ClassClosed)]
		{
			assert_noop!(
				Devices::register_device(
					RuntimeOrigin::signed(ALICE),
					device.key(),
					class,
					None,
					metadata(0),
					device.pop(ALICE),
				),
				error
			);
		}
	});
}

#[test]
fn an_invalid_h3_location_is_refused() {
	test(|| {
		let device = TestDevice::ed(1);
		for location in [0u64, SF_CELL | (1 << 63), u64::MAX] {
			assert_noop!(
				Devices::register_device(
					RuntimeOrigin::signed(ALICE),
					device.key(),
					HOTSPOT,
					Some(location),
					metadata(0),
					device.pop(ALICE),
				),
				Error::<Test>::InvalidLocation
			);
		}
	});
}

#[test]
fn the_deposit_grows_with_metadata_and_must_be_affordable() {
	test(|| {
		let device = TestDevice::ed(1);
		assert_ok!(Devices::register_device(
			RuntimeOrigin::signed(ALICE),
			device.key(),
			HOTSPOT,
			None,
			metadata(MAX_METADATA as usize),
			device.pop(ALICE),
		));
		assert_eq!(held(ALICE), DEVICE_DEPOSIT + PER_BYTE * MAX_METADATA as u64);

		let other = TestDevice::ed(2);
		assert_noop!(
			register_hotspot(POOR, other.key(), other.pop(POOR)),
			Error::<Test>::CannotHoldDeposit
		);
	});
}

#[test]
fn an_owner_holds_any_number_of_devices_and_pages_through_them() {
	test(|| {
		// No cap (the old list stopped at 512): 80 here, as many as the mock's funds pay for.
		let fleet: Vec<_> = (1..=80u8).map(|seed| register(ALICE, &TestDevice::ed(seed))).collect();
		register(BOB, &TestDevice::ed(200));
		assert_eq!(crate::OwnerDeviceCount::<Test>::get(ALICE), 80);
		assert_eq!(crate::OwnerDeviceCount::<Test>::get(BOB), 1);

		// Pages of 32: each starts after the last id of the one before; the last is short.
		let mut seen = Vec::new();
		let mut cursor = None;
		loop {
			let page = Devices::devices_of(&ALICE, cursor, 32);
			seen.extend(page.iter().copied());
			if page.len() < 32 {
				break;
			}
			cursor = page.last().copied();
		}
		assert_eq!(seen.len(), 80, "every device once");
		let mut sorted = seen.clone();
		sorted.sort();
		sorted.dedup();
		let mut expected = fleet.clone();
		expected.sort();
		assert_eq!(sorted, expected, "exactly Alice's devices");
		// Pages follow one order: after any device, the rest of that order; a cursor that is
		// not one of the owner's devices pages from its place in it.
		let order = Devices::devices_of(&ALICE, None, 1_000);
		assert_eq!(order, seen, "one order, whatever the page size");
		assert_eq!(Devices::devices_of(&ALICE, Some(order[10]), 1_000), order[11..].to_vec());
		let elsewhere = Devices::devices_of(&ALICE, Some(H256::repeat_byte(0xff)), 1_000);
		assert!(order.ends_with(&elsewhere), "a suffix of the order");
		assert!(Devices::devices_of(&POOR, None, 64).is_empty());
		assert!(Devices::devices_of(&ALICE, None, 0).is_empty());
	});
}

#[test]
fn registration_needs_a_signed_origin() {
	test(|| {
		let device = TestDevice::ed(1);
		assert_noop!(
			Devices::register_device(
				RuntimeOrigin::root(),
				device.key(),
				HOTSPOT,
				None,
				metadata(0),
				device.pop(ALICE),
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn registration_weight_depends_on_the_scheme_and_never_falls_with_metadata() {
	// Measured: P-256 verification runs in Wasm and costs about 14 times an ed25519 check;
	// metadata length is below the benchmarks' noise, so its slope may be zero.
	let ed = DeviceKey::Ed25519([1; 32]);
	let p256 = DeviceKey::P256([2; 33]);
	assert!(
		Devices::register_weight(&p256, 0).ref_time() > Devices::register_weight(&ed, 0).ref_time()
	);
	assert!(
		Devices::register_weight(&ed, 64).ref_time() >= Devices::register_weight(&ed, 0).ref_time()
	);
}

#[test]
fn a_class_that_requires_attestation_registers_only_with_the_makers_evidence() {
	test(|| {
		let device = TestDevice::ed(1);
		let register_attested = |evidence| {
			Devices::register_attested_device(
				RuntimeOrigin::signed(ALICE),
				device.key(),
				ATTESTED,
				None,
				metadata(0),
				device.pop(ALICE),
				evidence,
			)
		};
		// Without evidence: refused, whatever the proof of possession.
		assert_noop!(
			Devices::register_device(
				RuntimeOrigin::signed(ALICE),
				device.key(),
				ATTESTED,
				None,
				metadata(0),
				device.pop(ALICE),
			),
			Error::<Test>::AttestationRequired
		);
		// Evidence the maker refuses undoes the whole registration.
		assert_noop!(
			register_attested(MockAttestation::evidence(b"forged")),
			sp_runtime::DispatchError::Other("the maker refused")
		);
		assert!(held(ALICE) == 0 && DeviceMap::<Test>::get(device.id()).is_none());
		// With good evidence the device registers, attested, the attestation's weight refunded
		// down to what it used.
		let info = register_attested(MockAttestation::evidence(b"good")).expect("registers");
		assert_eq!(MockAttestation::attested(&device.id()), Some(ATTESTED));
		let charged =
			Devices::register_weight(&device.key(), 0) + sp_runtime::Weight::from_parts(1_000, 0);
		assert_eq!(info.actual_weight, Some(charged));
		assert_eq!(DeviceMap::<Test>::get(device.id()).map(|d| d.class), Some(ATTESTED));
	});
}

#[test]
fn an_open_class_may_register_an_attested_device_too() {
	test(|| {
		let device = TestDevice::ed(2);
		assert_ok!(Devices::register_attested_device(
			RuntimeOrigin::signed(ALICE),
			device.key(),
			HOTSPOT,
			None,
			metadata(0),
			device.pop(ALICE),
			MockAttestation::evidence(b"good"),
		));
		assert_eq!(MockAttestation::attested(&device.id()), Some(HOTSPOT));
	});
}
