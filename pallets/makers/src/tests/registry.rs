//! The makers' registry: admission, quota, deposits, compact certificates, revocation,
//! retirement; each call's errors and origins.

use crate::{mock::*, Attestations, Error, Event, HoldReason, Makers as MakerStore};
use depin_primitives::{
	attestation::{compact_message, AttestationEvidence, AttestationState, CompactCertificate},
	keys::{DevicePair, Scheme},
	AttestationPolicy, DeviceAttestation, OnDeviceRetired,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError;

/// The maker's compact-certificate keypair.
fn maker_pair() -> DevicePair {
	DevicePair::of(Scheme::Ed25519, 77)
}

/// A device (P-256, as secure elements make) and the maker's compact certificate of it.
fn compact(maker: u32, seed: u8, class: u16, number: &[u8]) -> (DevicePair, AttestationEvidence) {
	compact_by(&maker_pair(), maker, seed, class, number)
}

/// The same, signed with `key`.
fn compact_by(
	key: &DevicePair,
	maker: u32,
	seed: u8,
	class: u16,
	number: &[u8],
) -> (DevicePair, AttestationEvidence) {
	let device = DevicePair::of(Scheme::P256, seed);
	let cert = CompactCertificate { key: device.public(), class, serial: serial(number) };
	let signature = key.sign(&compact_message(&cert));
	(device, AttestationEvidence::Compact { maker, serial: serial(number), signature })
}

fn held(account: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Onboarding.into(), &account)
}

#[test]
fn governance_admits_a_maker_with_roots_or_a_compact_key() {
	test(|| {
		assert_ok!(Makers::admit_maker(
			RuntimeOrigin::root(),
			MAKER,
			b"acme".to_vec().try_into().unwrap(),
			vec![cert("p256-root"), cert("rsa-root")].try_into().unwrap(),
			Some(maker_pair().public()),
			100,
		));
		System::assert_last_event(Event::MakerAdmitted { maker: 0, account: MAKER }.into());
		let info = MakerStore::<Test>::get(0).expect("admitted");
		assert_eq!((info.quota, info.onboarded), (100, 0));
		assert_eq!(crate::NextMakerId::<Test>::get(), 1);
	});
}

#[test]
fn a_key_serves_one_maker_ever_and_root_names_are_distinct() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		let name = || b"again".to_vec().try_into().unwrap();
		// The same root again, under a new id: refused, also once the first maker is revoked
		// (its serial revocations would not hold under the new id).
		let again = || vec![cert("p256-root")].try_into().unwrap();
		assert_noop!(
			Makers::admit_maker(RuntimeOrigin::root(), BOB, name(), again(), None, 1),
			Error::<Test>::KeyOfAnotherMaker
		);
		assert_ok!(Makers::revoke_maker(RuntimeOrigin::root(), maker));
		assert_noop!(
			Makers::admit_maker(RuntimeOrigin::root(), BOB, name(), again(), None, 1),
			Error::<Test>::KeyOfAnotherMaker
		);
		// A compact key too; its own maker keeps it when it rotates its roots.
		let compact = admit_with(MAKER, &[], Some(maker_pair().public()), 1);
		let key = Some(maker_pair().public());
		assert_ok!(Makers::update_maker(RuntimeOrigin::root(), compact, Default::default(), key));
		assert_noop!(
			Makers::admit_maker(RuntimeOrigin::root(), BOB, name(), Default::default(), key, 1),
			Error::<Test>::KeyOfAnotherMaker
		);
		// Two roots of one name (a root rolled over without a new name).
		let twice = vec![cert("rsa-root"), cert("rsa-root")];
		assert_noop!(
			Makers::admit_maker(
				RuntimeOrigin::root(),
				BOB,
				name(),
				twice.try_into().unwrap(),
				None,
				1
			),
			Error::<Test>::DuplicateRootName
		);
	});
}

#[test]
fn admission_refuses_what_could_attest_nothing() {
	test(|| {
		let name = || b"acme".to_vec().try_into().unwrap();
		let roots = |names: &[&str]| names.iter().map(|n| cert(n)).collect::<Vec<_>>();
		assert_noop!(
			Makers::admit_maker(
				RuntimeOrigin::signed(ALICE),
				MAKER,
				name(),
				Default::default(),
				Some(maker_pair().public()),
				1
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Makers::admit_maker(
				RuntimeOrigin::root(),
				MAKER,
				Default::default(),
				Default::default(),
				Some(maker_pair().public()),
				1
			),
			Error::<Test>::EmptyName
		);
		assert_noop!(
			Makers::admit_maker(RuntimeOrigin::root(), MAKER, name(), Default::default(), None, 1),
			Error::<Test>::NoAttestationKeys
		);
		// A leaf is no root (not a CA), and garbage is no certificate.
		assert_noop!(
			Makers::admit_maker(
				RuntimeOrigin::root(),
				MAKER,
				name(),
				roots(&["p256-leaf"]).try_into().unwrap(),
				None,
				1
			),
			Error::<Test>::InvalidRoot
		);
		let garbage =
			vec![depin_primitives::attestation::CertDer::try_from(vec![1, 2, 3]).unwrap()];
		assert_noop!(
			Makers::admit_maker(
				RuntimeOrigin::root(),
				MAKER,
				name(),
				garbage.try_into().unwrap(),
				None,
				1
			),
			Error::<Test>::InvalidRoot
		);
	});
}

#[test]
fn governance_rotates_roots_and_sets_the_quota() {
	test(|| {
		let maker = admit(&["p256-root"], 1);
		assert_ok!(Makers::update_maker(
			RuntimeOrigin::root(),
			maker,
			vec![cert("rsa-root")].try_into().unwrap(),
			None
		));
		System::assert_last_event(Event::MakerUpdated { maker }.into());
		assert_noop!(
			attest("p256-leaf", chain(maker, &["p256-leaf", "p256-int"])),
			Error::<Test>::UnknownRoot
		);
		assert_ok!(attest("rsa-leaf", chain(maker, &["rsa-leaf", "rsa-int"])));
		assert_ok!(Makers::set_quota(RuntimeOrigin::root(), maker, 5));
		System::assert_last_event(Event::QuotaSet { maker, quota: 5 }.into());
		for (call, error) in [
			(Makers::set_quota(RuntimeOrigin::root(), 9, 1), Error::<Test>::UnknownMaker),
			(Makers::revoke_maker(RuntimeOrigin::root(), 9), Error::<Test>::UnknownMaker),
			(
				Makers::update_maker(RuntimeOrigin::root(), 9, Default::default(), None),
				Error::<Test>::UnknownMaker,
			),
			(
				Makers::revoke_certificate(RuntimeOrigin::root(), 9, serial(b"1")),
				Error::<Test>::UnknownMaker,
			),
		] {
			assert_eq!(call, Err(error.into()));
		}
		assert_noop!(
			Makers::set_quota(RuntimeOrigin::signed(MAKER), maker, 1_000),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn onboarding_uses_the_quota_and_the_makers_deposit() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 2);
		for seed in [1, 2] {
			let (device, evidence) = compact(maker, seed, CLASS, &[seed]);
			let id = MockDevices::add(ALICE, device.public());
			assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence));
		}
		assert_eq!(held(MAKER), 2 * DEPOSIT);
		let (device, evidence) = compact(maker, 3, CLASS, &[3]);
		let id = MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence.clone()),
			Error::<Test>::QuotaExhausted
		);
		// Governance raises the quota; the maker onboards again.
		assert_ok!(Makers::set_quota(RuntimeOrigin::root(), maker, 3));
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence));
		assert_eq!(MakerStore::<Test>::get(maker).unwrap().onboarded, 3);
	});
}

#[test]
fn a_maker_that_cannot_pay_the_deposit_onboards_nothing() {
	test(|| {
		let maker = admit_with(POOR, &[], Some(maker_pair().public()), 10);
		let (device, evidence) = compact(maker, 1, CLASS, b"1");
		let id = MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::MakerCannotPayDeposit
		);
	});
}

#[test]
fn a_compact_certificate_binds_key_class_and_serial() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		let (device, evidence) = compact(maker, 1, CLASS, b"SN-1");
		let id = MockDevices::add(ALICE, device.public());
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence));
		assert_eq!(Attestations::<Test>::get(id).unwrap().serials.to_vec(), vec![serial(b"SN-1")]);
		// Signed for another class: not this device's certificate.
		let (other, evidence) = compact(maker, 2, CLASS + 1, b"SN-2");
		let other = MockDevices::add(ALICE, other.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), other, evidence),
			Error::<Test>::BadCompactSignature
		);
		// Another device's certificate.
		let (_, evidence) = compact(maker, 3, CLASS, b"SN-3");
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), other, evidence),
			Error::<Test>::BadCompactSignature
		);
		// A maker without a compact key signs none.
		let pki_only = admit(&["p256-root"], 10);
		let (device, evidence) = compact(pki_only, 4, CLASS, b"SN-4");
		let id = MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::NoCompactKey
		);
		// A revoked compact serial is refused.
		assert_ok!(Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial(b"SN-5")));
		let (device, evidence) = compact(maker, 5, CLASS, b"SN-5");
		let id = MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::CertificateRevoked
		);
	});
}

#[test]
fn a_compact_serial_is_recorded_and_revoked_without_its_padding() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		// The maker signed the serial with leading zeros; the record keeps its magnitude.
		let (device, evidence) = compact(maker, 1, CLASS, &[0, 0, 0x8a, 1]);
		let id = MockDevices::add(ALICE, device.public());
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence));
		assert_eq!(
			Attestations::<Test>::get(id).unwrap().serials.to_vec(),
			vec![serial(&[0x8a, 1])]
		);
		// Governance revokes it in either form: the same certificate.
		assert_ok!(Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial(&[0x8a, 1])));
		assert!(matches!(Makers::state(&id), AttestationState::Revoked { .. }));
		assert_noop!(
			Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial(&[0, 0x8a, 1])),
			Error::<Test>::AlreadyRevoked
		);
		// And a certificate with the padded serial is refused as revoked.
		let (device, evidence) = compact(maker, 2, CLASS, &[0, 0x8a, 1]);
		let id = MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::CertificateRevoked
		);
	});
}

#[test]
fn only_the_owner_attests_a_registered_device_once() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		let (device, evidence) = compact(maker, 1, CLASS, b"1");
		let id = device.id();
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence.clone()),
			Error::<Test>::DeviceNotFound
		);
		MockDevices::add(ALICE, device.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(BOB), id, evidence.clone()),
			Error::<Test>::NotOwner
		);
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence.clone()));
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::AlreadyAttested
		);
	});
}

#[test]
fn a_revoked_maker_onboards_nothing_and_its_devices_stop_earning_from_the_next_epoch() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		let other_key = DevicePair::of(Scheme::Ed25519, 79);
		let other = admit_with(ALICE, &[], Some(other_key.public()), 10);
		let (a, evidence) = compact(maker, 1, CLASS, b"1");
		let a_id = MockDevices::add(ALICE, a.public());
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), a_id, evidence));
		let (b, evidence) = compact_by(&other_key, other, 2, CLASS, b"2");
		let b_id = MockDevices::add(ALICE, b.public());
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), b_id, evidence));

		TestEpochs::set(3);
		assert_ok!(Makers::revoke_maker(RuntimeOrigin::root(), maker));
		assert_eq!(crate::MakerRevocations::<Test>::get(maker), Some(4));
		System::assert_last_event(Event::MakerRevoked { maker, from_epoch: 4 }.into());
		let required = AttestationPolicy::Required;
		assert_eq!(Makers::state(&a_id), AttestationState::Revoked { from: 4 });
		assert!(Makers::state(&a_id).earns_in(3, required));
		assert!(!Makers::state(&a_id).earns_in(4, required));
		// The other maker's device goes on.
		assert_eq!(Makers::state(&b_id), AttestationState::Valid);
		assert!(Makers::state(&b_id).earns_in(4, required));
		// No more onboarding by the revoked maker, and no second revocation.
		let (c, evidence) = compact(maker, 3, CLASS, b"3");
		let c_id = MockDevices::add(ALICE, c.public());
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), c_id, evidence),
			Error::<Test>::MakerRevoked
		);
		assert_noop!(
			Makers::revoke_maker(RuntimeOrigin::root(), maker),
			Error::<Test>::AlreadyRevoked
		);
		// An unattested device earns only in an open class.
		assert!(Makers::state(&c_id).earns_in(4, AttestationPolicy::Open));
		assert!(!Makers::state(&c_id).earns_in(4, required));
	});
}

#[test]
fn a_retiring_device_releases_its_makers_deposit() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		let (device, evidence) = compact(maker, 1, CLASS, b"1");
		let id = MockDevices::add(ALICE, device.public());
		assert_ok!(Makers::attest(&id, &device.public(), CLASS, &evidence));
		assert_eq!(held(MAKER), DEPOSIT);
		assert_ok!(<Makers as OnDeviceRetired>::on_retired(&id));
		assert_eq!(held(MAKER), 0);
		assert!(Attestations::<Test>::get(id).is_none());
		assert_eq!(Makers::state(&id), AttestationState::None);
	});
}

#[test]
fn retiring_frees_the_quota_so_retire_and_recover_cannot_use_it_up() {
	test(|| {
		let maker = admit_with(MAKER, &[], Some(maker_pair().public()), 1);
		let (device, evidence) = compact(maker, 1, CLASS, b"1");
		let id = MockDevices::add(ALICE, device.public());
		for _ in 0..3 {
			// Attested, retired, recovered and attested again: one unit of quota throughout.
			assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence.clone()));
			assert_eq!(MakerStore::<Test>::get(maker).unwrap().onboarded, 1);
			assert_ok!(<Makers as OnDeviceRetired>::on_retired(&id));
			assert_eq!(MakerStore::<Test>::get(maker).unwrap().onboarded, 0);
		}
		assert_eq!(held(MAKER), 0);
	});
}

#[test]
fn a_revoked_attestation_is_replaced_by_new_evidence_a_valid_one_is_not() {
	test(|| {
		let leaked = admit_with(MAKER, &[], Some(maker_pair().public()), 10);
		let (device, evidence) = compact(leaked, 1, CLASS, b"1");
		let id = MockDevices::add(ALICE, device.public());
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence));
		// The maker's key leaked: governance revokes it and admits its new key.
		assert_ok!(Makers::revoke_maker(RuntimeOrigin::root(), leaked));
		let new_key = DevicePair::of(Scheme::Ed25519, 78);
		let renewed = admit_with(ALICE, &[], Some(new_key.public()), 10);
		let cert = CompactCertificate { key: device.public(), class: CLASS, serial: serial(b"1") };
		let evidence = AttestationEvidence::Compact {
			maker: renewed,
			serial: serial(b"1"),
			signature: new_key.sign(&compact_message(&cert)),
		};
		assert_ok!(Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence.clone()));
		assert_eq!(Makers::state(&id), AttestationState::Valid);
		assert_eq!(Attestations::<Test>::get(id).unwrap().maker, renewed);
		// The old maker's deposit and count went with the old record.
		assert_eq!((held(MAKER), held(ALICE)), (0, DEPOSIT));
		assert_eq!(MakerStore::<Test>::get(leaked).unwrap().onboarded, 0);
		// A valid attestation is not replaced.
		assert_noop!(
			Makers::attest_device(RuntimeOrigin::signed(ALICE), id, evidence),
			Error::<Test>::AlreadyAttested
		);
	});
}
