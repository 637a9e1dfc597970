//! The simulator as a device maker: each maker has a P-256 root certificate it generates from a
//! public seed, and issues an X.509 certificate for the key of each P-256 device it makes (the
//! leaf of the device's chain, `GET /v1/attestation`), as a secure element's factory does.
//! Certificates are built with RustCrypto's `x509-cert` builder.
//!
//! Governance admits a simulated maker with its root (`GET /sim/makers` lists every maker's
//! root and the serial numbers it has revoked: those of its devices with the `revoked` fault).
//! A device with the `unattested` fault serves a self-signed certificate instead, which no
//! maker's root issued.

use crate::key::{DevicePair, Scheme};
use anyhow::Context;
use der::{
	asn1::{GeneralizedTime, UtcTime},
	Encode,
};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use std::{str::FromStr, time::Duration};
use x509_cert::{
	builder::{Builder, CertificateBuilder, Profile},
	name::Name,
	serial_number::SerialNumber,
	spki::SubjectPublicKeyInfoOwned,
	time::{Time, Validity},
};

/// Certificates are valid from 2025-01-01 to 2125-01-01.
const NOT_BEFORE: u64 = 1_735_689_600;
const NOT_AFTER: u64 = 4_891_363_200;

/// A simulated maker.
pub struct Maker {
	/// Its index in the simulator (`maker=N` of a device).
	pub index: u32,
	key: SigningKey,
	name: Name,
	root: Vec<u8>,
	revoked: std::sync::Mutex<Vec<Vec<u8>>>,
}

/// What `GET /sim/makers` lists for a maker.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MakerListing {
	/// Its index in the simulator.
	pub index: u32,
	/// Its root certificate (DER, hex).
	pub root: String,
	/// The serial numbers it revoked (hex).
	pub revoked: Vec<String>,
}

fn validity() -> anyhow::Result<Validity> {
	Ok(Validity {
		not_before: Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(NOT_BEFORE))?),
		not_after: Time::GeneralTime(GeneralizedTime::from_unix_duration(Duration::from_secs(
			NOT_AFTER,
		))?),
	})
}

fn p256_key(seed: &str) -> anyhow::Result<SigningKey> {
	match DevicePair::from_seed(Scheme::P256, seed).map_err(anyhow::Error::msg)? {
		DevicePair::P256(key) => Ok(key),
		_ => anyhow::bail!("a P-256 seed gave another scheme"),
	}
}

fn spki(key: &VerifyingKey) -> anyhow::Result<SubjectPublicKeyInfoOwned> {
	SubjectPublicKeyInfoOwned::from_key(*key).context("encoding a public key")
}

/// A certificate serial number: `kind` (1 for devices, 2 for roots) then `number` (positive,
/// at most 20 bytes), so that no device's serial is a root's.
fn serial(kind: u8, number: u64) -> anyhow::Result<SerialNumber> {
	let mut bytes = vec![kind];
	bytes.extend_from_slice(&number.to_be_bytes());
	SerialNumber::new(&bytes).context("a serial number")
}

impl Maker {
	/// Maker `index`: its key from the public seed `maker/<index>`, and its self-signed root.
	pub fn new(index: u32) -> anyhow::Result<Self> {
		let key = p256_key(&format!("maker/{index}"))?;
		let name = Name::from_str(&format!("CN=DePIN simulator maker {index},O=DePIN simulator"))?;
		let root = CertificateBuilder::new(
			Profile::Root,
			serial(2, u64::from(index))?,
			validity()?,
			name.clone(),
			spki(key.verifying_key())?,
			&key,
		)?
		.build::<DerSignature>()?
		.to_der()?;
		Ok(Self { index, key, name, root, revoked: Default::default() })
	}

	/// Its root certificate (DER).
	pub fn root(&self) -> &[u8] {
		&self.root
	}

	/// Issues the certificate of device `number`'s P-256 key (DER), revoked at once if
	/// `revoked`.
	pub fn issue(
		&self,
		device: &VerifyingKey,
		number: u64,
		revoked: bool,
	) -> anyhow::Result<Vec<u8>> {
		let serial = serial(1, number)?;
		if revoked {
			if let Ok(mut list) = self.revoked.lock() {
				list.push(serial.as_bytes().to_vec());
			}
		}
		let subject = Name::from_str(&format!("CN=device {number},O=DePIN simulator"))?;
		let profile = Profile::Leaf {
			issuer: self.name.clone(),
			enable_key_agreement: false,
			enable_key_encipherment: false,
		};
		Ok(CertificateBuilder::new(
			profile,
			serial,
			validity()?,
			subject,
			spki(device)?,
			&self.key,
		)?
		.build::<DerSignature>()?
		.to_der()?)
	}

	/// What `GET /sim/makers` lists of it.
	pub fn listing(&self) -> MakerListing {
		let hex = depin_primitives::protocol::to_hex;
		MakerListing {
			index: self.index,
			root: hex(&self.root),
			revoked: self
				.revoked
				.lock()
				.map(|list| list.iter().map(|serial| hex(serial)).collect())
				.unwrap_or_default(),
		}
	}
}

/// A self-signed certificate of `key` (device `number`): what a device no maker attested
/// serves (the `unattested` fault).
pub fn self_signed(key: &SigningKey, number: u64) -> anyhow::Result<Vec<u8>> {
	let name = Name::from_str(&format!("CN=device {number},O=nobody"))?;
	Ok(CertificateBuilder::new(
		Profile::Root,
		serial(1, number)?,
		validity()?,
		name,
		spki(key.verifying_key())?,
		key,
	)?
	.build::<DerSignature>()?
	.to_der()?)
}
