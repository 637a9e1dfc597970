//! X.509 evidence: each rule of a chain, with the fixture chains OpenSSL made
//! (`scripts/attestation-fixtures.sh`).

use crate::{mock::*, x509, Attestations, Error, Event, Makers as MakerStore};
use depin_primitives::{
	attestation::{AttestationEvidence, AttestationState, CertChain, CertDer},
	DeviceAttestation,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};

/// The serial number of a fixture certificate, as the chain records it.
fn serial_of(name: &str) -> depin_primitives::attestation::Serial {
	let cert = x509::parse(&fixture(&format!("{name}.der"))).expect("parses");
	serial(x509::serial_of(&cert))
}

#[test]
fn a_p256_chain_up_to_the_makers_root_attests_its_leaf_key() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		let (device, _) = device_of("p256-leaf");
		assert_eq!(Makers::state(&device), AttestationState::None);
		assert_ok!(Makers::attest_device(
			RuntimeOrigin::signed(ALICE),
			device,
			chain(maker, &["p256-leaf", "p256-int"])
		));
		System::assert_last_event(
			Event::DeviceAttested { device, maker, serial: serial_of("p256-leaf") }.into(),
		);
		let record = Attestations::<Test>::get(device).expect("recorded");
		assert_eq!(
			record.serials.to_vec(),
			vec![serial_of("p256-leaf"), serial_of("p256-int"), serial_of("p256-root")]
		);
		assert_eq!(Makers::state(&device), AttestationState::Valid);
		assert_eq!(MakerStore::<Test>::get(maker).unwrap().onboarded, 1);
		// The maker pays the onboarding deposit.
		let held = Balances::balance_on_hold(&crate::HoldReason::Onboarding.into(), &MAKER);
		assert_eq!(held, DEPOSIT);
	});
}

#[test]
fn a_chain_with_an_rsa_root_and_an_rsa_intermediate_is_accepted() {
	test(|| {
		let maker = admit(&["rsa-root"], 10);
		assert_ok!(attest("rsa-leaf", chain(maker, &["rsa-leaf", "rsa-int"])));
	});
}

#[test]
fn a_chain_with_a_p384_intermediate_is_accepted() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		assert_ok!(attest("p384-leaf", chain(maker, &["p384-leaf", "p384-int"])));
	});
}

#[test]
fn an_expired_or_not_yet_valid_certificate_is_refused() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		assert_noop!(
			attest("expired-leaf", chain(maker, &["expired-leaf", "p256-int"])),
			Error::<Test>::CertificateExpired
		);
		assert_noop!(
			attest("future-leaf", chain(maker, &["future-leaf", "p256-int"])),
			Error::<Test>::CertificateNotYetValid
		);
		// Validity is the chain's time: in 2095 the future leaf is valid.
		TestTime::set(3_960_000_000);
		assert_ok!(attest("future-leaf", chain(maker, &["future-leaf", "p256-int"])));
	});
}

#[test]
fn a_chain_to_a_root_the_maker_does_not_have_is_refused() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		assert_noop!(
			attest("other-leaf", chain(maker, &["other-leaf"])),
			Error::<Test>::UnknownRoot
		);
		// Nor does another maker's root count for this one.
		let other = admit(&["rsa-root"], 10);
		assert_noop!(
			attest("p256-leaf", chain(other, &["p256-leaf", "p256-int"])),
			Error::<Test>::UnknownRoot
		);
		// A chain missing its intermediate does not reach the root either.
		assert_noop!(attest("p256-leaf", chain(maker, &["p256-leaf"])), Error::<Test>::UnknownRoot);
	});
}

#[test]
fn certificates_out_of_order_are_refused() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		// p384-int is the root's, but not the leaf's issuer.
		assert_noop!(
			attest("p256-leaf", chain(maker, &["p256-leaf", "p384-int"])),
			Error::<Test>::IssuerMismatch
		);
	});
}

#[test]
fn a_chain_whose_leaf_key_is_not_the_device_key_is_refused() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		// A valid chain, but for another device's key.
		assert_noop!(
			attest("rsa-leaf", chain(maker, &["p256-leaf", "p256-int"])),
			Error::<Test>::LeafKeyMismatch
		);
		// A device key of another scheme can have no X.509 attestation.
		let pair =
			depin_primitives::keys::DevicePair::of(depin_primitives::keys::Scheme::Ed25519, 9);
		let device = MockDevices::add(ALICE, pair.public());
		assert_noop!(
			Makers::attest_device(
				RuntimeOrigin::signed(ALICE),
				device,
				chain(maker, &["p256-leaf", "p256-int"])
			),
			Error::<Test>::LeafKeyMismatch
		);
	});
}

/// The SCALE encoding of X.509 evidence with `certs`, built without the bounds.
fn unbounded_evidence(certs: Vec<Vec<u8>>) -> Vec<u8> {
	use codec::Encode;
	// Variant 0 (`X509`), maker 0, the certificates.
	(0u8, 0u32, certs).encode()
}

#[test]
fn a_chain_deeper_than_four_certificates_cannot_even_be_sent() {
	let names = ["deep-leaf", "deep-4", "deep-3", "deep-2", "deep-1"];
	let deep: Vec<Vec<u8>> = names.iter().map(|name| fixture(&format!("{name}.der"))).collect();
	let bounded: Vec<CertDer> = names.iter().map(|name| cert(name)).collect();
	assert!(CertChain::try_from(bounded).is_err(), "five certificates exceed the bound");
	let encoded = unbounded_evidence(deep.clone());
	assert!(<AttestationEvidence as codec::Decode>::decode(&mut &encoded[..]).is_err());
	// Four certificates decode, and are accepted up to a root that issued the fourth.
	let four = unbounded_evidence(deep[..4].to_vec());
	assert!(<AttestationEvidence as codec::Decode>::decode(&mut &four[..]).is_ok());
	test(|| {
		let maker = admit(&["deep-1"], 10);
		assert_ok!(attest("deep-leaf", chain(maker, &names[..4])));
	});
}

#[test]
fn a_certificate_larger_than_2048_bytes_cannot_even_be_sent() {
	let large = fixture("large-leaf.der");
	assert!(large.len() > 2_048);
	assert!(CertDer::try_from(large.clone()).is_err());
	let encoded = unbounded_evidence(vec![large]);
	assert!(<AttestationEvidence as codec::Decode>::decode(&mut &encoded[..]).is_err());
}

#[test]
fn a_leaf_certificate_cannot_issue_another() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		assert_noop!(
			attest("leaf-as-issuer", chain(maker, &["leaf-as-issuer", "p256-leaf", "p256-int"])),
			Error::<Test>::NotACa
		);
	});
}

#[test]
fn an_rsa_key_below_2048_bits_or_with_another_exponent_than_65537_is_refused() {
	test(|| {
		let maker = admit(&["rsa-root"], 10);
		assert_noop!(
			attest("weak-rsa-leaf", chain(maker, &["weak-rsa-leaf", "weak-rsa-int"])),
			Error::<Test>::UnsupportedKey
		);
		// Exponent 3: not what the benchmarks measure (a larger one would cost more).
		assert_noop!(
			attest("e3-rsa-leaf", chain(maker, &["e3-rsa-leaf", "e3-rsa-int"])),
			Error::<Test>::UnsupportedKey
		);
	});
}

#[test]
fn revoking_a_root_serial_takes_every_device_under_it_out() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		let (device, _) = device_of("p256-leaf");
		assert_ok!(Makers::attest_device(
			RuntimeOrigin::signed(ALICE),
			device,
			chain(maker, &["p256-leaf", "p256-int"])
		));
		assert_ok!(Makers::revoke_certificate(
			RuntimeOrigin::root(),
			maker,
			serial_of("p256-root")
		));
		assert_eq!(Makers::state(&device), AttestationState::Revoked { from: 1 });
		assert_noop!(
			attest("p384-leaf", chain(maker, &["p384-leaf", "p384-int"])),
			Error::<Test>::CertificateRevoked
		);
	});
}

#[test]
fn a_tampered_certificate_or_garbage_is_refused() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		// One byte of the leaf's subject changed: its signature no longer verifies.
		let mut leaf = fixture("p256-leaf.der");
		let at = leaf.windows(9).position(|w| w == b"p256-leaf").expect("the subject's name");
		leaf[at] = b'q';
		let tampered = AttestationEvidence::X509 {
			maker,
			chain: vec![CertDer::try_from(leaf).unwrap(), cert("p256-int")].try_into().unwrap(),
		};
		assert_noop!(attest("p256-leaf", tampered), Error::<Test>::BadCertificateSignature);
		let garbage = AttestationEvidence::X509 {
			maker,
			chain: vec![CertDer::try_from(vec![0x30, 0x03, 1, 2, 3]).unwrap()].try_into().unwrap(),
		};
		assert_noop!(attest("p256-leaf", garbage), Error::<Test>::MalformedCertificate);
		let empty = AttestationEvidence::X509 { maker, chain: Default::default() };
		assert_noop!(attest("p256-leaf", empty), Error::<Test>::EmptyChain);
	});
}

#[test]
fn a_revoked_serial_refuses_new_chains_and_stops_its_devices_from_the_next_epoch() {
	test(|| {
		let maker = admit(&["p256-root"], 10);
		let (device, _) = device_of("p256-leaf");
		assert_ok!(Makers::attest_device(
			RuntimeOrigin::signed(ALICE),
			device,
			chain(maker, &["p256-leaf", "p256-int"])
		));
		// Revoking the intermediate takes every device under it out, lazily.
		TestEpochs::set(5);
		assert_ok!(Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial_of("p256-int")));
		System::assert_last_event(
			Event::CertificateRevoked { maker, serial: serial_of("p256-int"), from_epoch: 6 }
				.into(),
		);
		assert_eq!(Makers::state(&device), AttestationState::Revoked { from: 6 });
		let policy = depin_primitives::AttestationPolicy::Required;
		assert!(Makers::state(&device).earns_in(5, policy), "this epoch still counts");
		assert!(!Makers::state(&device).earns_in(6, policy));
		// And no chain through it is accepted any more (checked before any signature).
		TestTime::set(3_960_000_000);
		assert_noop!(
			attest("future-leaf", chain(maker, &["future-leaf", "p256-int"])),
			Error::<Test>::CertificateRevoked
		);
		assert_noop!(
			Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial_of("p256-int")),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn a_serial_is_revoked_as_openssl_prints_it_whatever_its_padding() {
	// What `openssl x509 -serial` prints for the fixture (the script numbers from 0x1001).
	assert_eq!(serial_of("p256-int").to_vec(), vec![0x10, 0x02]);
	test(|| {
		let maker = admit(&["p256-root"], 10);
		let (device, _) = device_of("p256-leaf");
		assert_ok!(attest("p256-leaf", chain(maker, &["p256-leaf", "p256-int"])));
		// Copied with a DER sign byte or padding: the same certificate, stored without it.
		let padded = [&[0u8, 0][..], &serial_of("p256-int")[..]].concat();
		assert_ok!(Makers::revoke_certificate(
			RuntimeOrigin::root(),
			maker,
			padded.try_into().expect("short")
		));
		System::assert_last_event(
			Event::CertificateRevoked { maker, serial: serial_of("p256-int"), from_epoch: 1 }
				.into(),
		);
		assert_eq!(Makers::state(&device), AttestationState::Revoked { from: 1 });
		assert_noop!(
			Makers::revoke_certificate(RuntimeOrigin::root(), maker, serial_of("p256-int")),
			Error::<Test>::AlreadyRevoked
		);
	});
}

#[test]
fn the_attest_weight_covers_the_heaviest_algorithm_for_the_chains_length() {
	test(|| {
		let maker = admit(&["rsa-root"], 10);
		let evidence = chain(maker, &["rsa-leaf", "rsa-int"]);
		let bound = Makers::attest_weight(&evidence);
		let (device, key) = device_of("rsa-leaf");
		let used = Makers::attest(&device, &key, CLASS, &evidence).expect("attested");
		assert!(used.all_lte(bound), "{used:?} within {bound:?}");
		// Whatever algorithms a chain mixes, what its verification is charged stays within
		// what the call declared for its length.
		use crate::x509::Algorithm::{Rsa, P256, P384};
		let mut chains: Vec<Vec<crate::x509::Algorithm>> = vec![vec![]];
		for _ in 0..depin_primitives::attestation::MAX_CHAIN_LEN {
			chains = chains
				.iter()
				.flat_map(|c| [P256, P384, Rsa].map(|a| [c.clone(), vec![a]].concat()))
				.collect();
			for algorithms in &chains {
				let certs = vec![cert("p256-leaf"); algorithms.len()];
				let bound = Makers::attest_weight(&AttestationEvidence::X509 {
					maker,
					chain: certs.try_into().expect("at most four"),
				});
				let charged = Makers::chain_weight(algorithms)
					.saturating_add(crate::Pallet::<Test>::replacement_weight());
				assert!(charged.all_lte(bound), "{algorithms:?}: {charged:?} within {bound:?}");
			}
		}
	});
}
