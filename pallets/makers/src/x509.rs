//! Verification of X.509 attestation chains in the runtime (no_std), with RustCrypto's
//! maintained crates: `x509-cert` and `der` parse, `p256`, `p384` and `rsa` verify. Nothing here
//! parses DER by hand.
//!
//! A chain is accepted when, in this order (cheap checks first, signatures last):
//!
//! 1. every certificate parses as DER X.509;
//! 2. the leaf's key is a P-256 key equal to the device key;
//! 3. each certificate names the next as its issuer, and the last names one of the maker's
//!    roots;
//! 4. every issuer (intermediates and the root) is a CA (`basicConstraints` with `cA`);
//! 5. every certificate, the root included, is valid at the chain's time;
//! 6. every serial number (the root's too) has at most 20 bytes (RFC 5280), and none is
//!    revoked;
//! 7. each signature verifies under its issuer's key, **from the root down** (so a forged
//!    chain costs one signature check, under the root's own key): ECDSA with SHA-256 or
//!    SHA-384 by a P-256 or P-384 key, or RSA PKCS#1 v1.5 with SHA-256, SHA-384 or SHA-512 by
//!    a key of 2,048 to 4,096 bits with the public exponent 65537 (larger exponents would cost
//!    more than the benchmarks measure), the algorithm the same inside and outside the signed
//!    part.
//!
//! Serial numbers are compared as unsigned magnitudes (the DER integer without its sign byte,
//! as `openssl x509 -serial` prints them). Name constraints, policies, key usage, extensions
//! such as Android's KeyDescription, and revocation lists are not read: the chain's roots are
//! admitted by governance per maker, and revocation is on chain (`Makers`).

use alloc::vec::Vec;
use der::{asn1::ObjectIdentifier as Oid, Decode, Encode};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{pkcs1::DecodeRsaPublicKey, traits::PublicKeyParts, Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::{ext::pkix::BasicConstraints, spki::SubjectPublicKeyInfoOwned, Certificate};

/// Why a chain was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChainError {
	/// A certificate is not DER X.509, or a serial number is longer than 20 bytes.
	Malformed,
	/// The leaf's key is not the device key (or not a P-256 key).
	LeafKeyMismatch,
	/// A certificate does not name the next one as its issuer.
	IssuerMismatch,
	/// The last certificate's issuer is none of the maker's roots.
	UnknownRoot,
	/// An issuer is not a CA.
	NotACa,
	/// A certificate's validity starts after the chain's time.
	NotYetValid,
	/// A certificate's validity ended before the chain's time.
	Expired,
	/// A signature algorithm other than those accepted, or one that does not fit its issuer's
	/// key.
	UnsupportedAlgorithm,
	/// An issuer key of another type, or an RSA key outside 2,048 to 4,096 bits.
	UnsupportedKey,
	/// A signature does not verify.
	BadSignature,
	/// A certificate of the chain is revoked.
	Revoked,
}

/// The signature algorithm a certificate was verified with (its cost differs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
	/// ECDSA by a P-256 key.
	P256,
	/// ECDSA by a P-384 key.
	P384,
	/// RSA PKCS#1 v1.5.
	Rsa,
}

/// What a verified chain tells.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Verified {
	/// Serial numbers (unsigned magnitudes, at most 20 bytes each), leaf first, then each
	/// intermediate's, then the root's.
	pub serials: Vec<Vec<u8>>,
	/// The algorithm of each signature checked, leaf's first.
	pub algorithms: Vec<Algorithm>,
}

const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");

/// Smallest and largest RSA modulus accepted, in bits.
pub const RSA_BITS: core::ops::RangeInclusive<usize> = 2_048..=4_096;

/// The only RSA public exponent accepted (every RSA key a maker's PKI makes in practice).
pub const RSA_EXPONENT: u32 = 65_537;

/// Longest serial number, in bytes.
const MAX_SERIAL: usize = depin_primitives::attestation::MAX_SERIAL_LEN as usize;

/// A certificate's serial number as an unsigned magnitude: its DER integer's bytes without
/// the leading zero that keeps a high first bit positive (the canonical form serials are
/// revoked in).
pub fn serial_of(cert: &Certificate) -> &[u8] {
	depin_primitives::attestation::canonical_serial(cert.tbs_certificate.serial_number.as_bytes())
}

/// Parses a DER certificate.
pub fn parse(der: &[u8]) -> Result<Certificate, ChainError> {
	Certificate::from_der(der).map_err(|_| ChainError::Malformed)
}

/// Checks that `root` can serve as a maker's root: it parses, is a CA, its key is one a chain
/// can be verified with, and its serial fits; returns its subject (DER) and the hash of its
/// key (`blake2_256` of its SubjectPublicKeyInfo, DER).
pub fn check_root(root: &[u8]) -> Result<(Vec<u8>, [u8; 32]), ChainError> {
	let root = parse(root)?;
	ensure_ca(&root)?;
	let spki = &root.tbs_certificate.subject_public_key_info;
	issuer_key(spki)?;
	if serial_of(&root).len() > MAX_SERIAL {
		return Err(ChainError::Malformed);
	}
	let subject = root.tbs_certificate.subject.to_der().map_err(|_| ChainError::Malformed)?;
	let key = spki.to_der().map_err(|_| ChainError::Malformed)?;
	Ok((subject, sp_io::hashing::blake2_256(&key)))
}

/// Verifies `chain` (DER certificates, leaf first) up to one of `roots` at time `now` (seconds
/// since the Unix epoch), for the device whose compressed P-256 key is `device_key`, refusing
/// a chain with a certificate whose serial number `revoked` names.
pub fn verify_chain(
	chain: &[&[u8]],
	roots: &[&[u8]],
	now: u64,
	device_key: &[u8; 33],
	revoked: impl Fn(&[u8]) -> bool,
) -> Result<Verified, ChainError> {
	let certs = chain.iter().map(|der| parse(der)).collect::<Result<Vec<_>, _>>()?;
	let (leaf, last) = match (certs.first(), certs.last()) {
		(Some(leaf), Some(last)) => (leaf, last),
		_ => return Err(ChainError::Malformed),
	};
	if leaf_key(&leaf.tbs_certificate.subject_public_key_info)? != *device_key {
		return Err(ChainError::LeafKeyMismatch);
	}
	// Root subjects are unique per maker (checked at admission), so one root can match.
	let root = roots
		.iter()
		.filter_map(|der| parse(der).ok())
		.find(|root| root.tbs_certificate.subject == last.tbs_certificate.issuer)
		.ok_or(ChainError::UnknownRoot)?;
	let issuers: Vec<&Certificate> = certs.iter().skip(1).chain(core::iter::once(&root)).collect();
	for (cert, issuer) in certs.iter().zip(&issuers) {
		if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
			return Err(ChainError::IssuerMismatch);
		}
		ensure_ca(issuer)?;
	}
	for cert in certs.iter().chain(core::iter::once(&root)) {
		let validity = &cert.tbs_certificate.validity;
		if validity.not_before.to_unix_duration().as_secs() > now {
			return Err(ChainError::NotYetValid);
		}
		if validity.not_after.to_unix_duration().as_secs() < now {
			return Err(ChainError::Expired);
		}
	}
	let serials = certs
		.iter()
		.chain(core::iter::once(&root))
		.map(|cert| {
			let serial = serial_of(cert);
			(serial.len() <= MAX_SERIAL).then(|| serial.to_vec()).ok_or(ChainError::Malformed)
		})
		.collect::<Result<Vec<_>, _>>()?;
	if serials.iter().any(|serial| revoked(serial)) {
		return Err(ChainError::Revoked);
	}
	// From the root down: a chain of forged intermediates fails at its first signature, which
	// the root's key checks.
	let mut algorithms = certs
		.iter()
		.zip(&issuers)
		.rev()
		.map(|(cert, issuer)| {
			verify_signature(cert, &issuer.tbs_certificate.subject_public_key_info)
		})
		.collect::<Result<Vec<_>, _>>()?;
	algorithms.reverse();
	Ok(Verified { serials, algorithms })
}

/// Refuses an issuer that is not a CA.
fn ensure_ca(cert: &Certificate) -> Result<(), ChainError> {
	match cert.tbs_certificate.get::<BasicConstraints>() {
		Ok(Some((_, constraints))) if constraints.ca => Ok(()),
		_ => Err(ChainError::NotACa),
	}
}

/// The named curve of an EC key's algorithm parameters.
fn curve(spki: &SubjectPublicKeyInfoOwned) -> Option<Oid> {
	spki.algorithm.parameters.as_ref()?.decode_as::<Oid>().ok()
}

/// A leaf's P-256 key, compressed as device keys are.
fn leaf_key(spki: &SubjectPublicKeyInfoOwned) -> Result<[u8; 33], ChainError> {
	if spki.algorithm.oid != EC_PUBLIC_KEY || curve(spki) != Some(SECP256R1) {
		return Err(ChainError::LeafKeyMismatch);
	}
	let key = p256::PublicKey::from_sec1_bytes(spki.subject_public_key.raw_bytes())
		.map_err(|_| ChainError::LeafKeyMismatch)?;
	let point = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, true);
	point.as_bytes().try_into().map_err(|_| ChainError::LeafKeyMismatch)
}

/// An issuer's key.
enum IssuerKey {
	P256(p256::ecdsa::VerifyingKey),
	P384(p384::ecdsa::VerifyingKey),
	Rsa(RsaPublicKey),
}

fn issuer_key(spki: &SubjectPublicKeyInfoOwned) -> Result<IssuerKey, ChainError> {
	let bytes = spki.subject_public_key.raw_bytes();
	let unsupported = |_| ChainError::UnsupportedKey;
	match (spki.algorithm.oid, curve(spki)) {
		(EC_PUBLIC_KEY, Some(SECP256R1)) => p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
			.map(IssuerKey::P256)
			.map_err(unsupported),
		(EC_PUBLIC_KEY, Some(SECP384R1)) => p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
			.map(IssuerKey::P384)
			.map_err(unsupported),
		(RSA_ENCRYPTION, _) => {
			let key =
				RsaPublicKey::from_pkcs1_der(bytes).map_err(|_| ChainError::UnsupportedKey)?;
			if !RSA_BITS.contains(&key.n().bits()) || key.e() != &rsa::BigUint::from(RSA_EXPONENT) {
				return Err(ChainError::UnsupportedKey);
			}
			Ok(IssuerKey::Rsa(key))
		},
		_ => Err(ChainError::UnsupportedKey),
	}
}

/// Verifies `cert`'s signature under `issuer`'s key.
fn verify_signature(
	cert: &Certificate,
	issuer: &SubjectPublicKeyInfoOwned,
) -> Result<Algorithm, ChainError> {
	// The algorithm outside the signed part must be the one inside it (RFC 5280 4.1.1.2).
	if cert.signature_algorithm != cert.tbs_certificate.signature {
		return Err(ChainError::Malformed);
	}
	let tbs = cert.tbs_certificate.to_der().map_err(|_| ChainError::Malformed)?;
	let signature = cert.signature.as_bytes().ok_or(ChainError::Malformed)?;
	let algorithm = cert.signature_algorithm.oid;
	let ecdsa_digest = || match algorithm {
		ECDSA_SHA256 => Ok(Sha256::digest(&tbs).to_vec()),
		ECDSA_SHA384 => Ok(Sha384::digest(&tbs).to_vec()),
		_ => Err(ChainError::UnsupportedAlgorithm),
	};
	match issuer_key(issuer)? {
		IssuerKey::P256(key) => {
			let digest = ecdsa_digest()?;
			let signature = p256::ecdsa::Signature::from_der(signature)
				.map_err(|_| ChainError::BadSignature)?;
			key.verify_prehash(&digest, &signature).map_err(|_| ChainError::BadSignature)?;
			Ok(Algorithm::P256)
		},
		IssuerKey::P384(key) => {
			let digest = ecdsa_digest()?;
			let signature = p384::ecdsa::Signature::from_der(signature)
				.map_err(|_| ChainError::BadSignature)?;
			key.verify_prehash(&digest, &signature).map_err(|_| ChainError::BadSignature)?;
			Ok(Algorithm::P384)
		},
		IssuerKey::Rsa(key) => {
			let (scheme, digest) = match algorithm {
				RSA_SHA256 => (Pkcs1v15Sign::new::<Sha256>(), Sha256::digest(&tbs).to_vec()),
				RSA_SHA384 => (Pkcs1v15Sign::new::<Sha384>(), Sha384::digest(&tbs).to_vec()),
				RSA_SHA512 => (Pkcs1v15Sign::new::<Sha512>(), Sha512::digest(&tbs).to_vec()),
				_ => return Err(ChainError::UnsupportedAlgorithm),
			};
			key.verify(scheme, &digest, signature).map_err(|_| ChainError::BadSignature)?;
			Ok(Algorithm::Rsa)
		},
	}
}
