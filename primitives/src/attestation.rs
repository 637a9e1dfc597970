//! Attestation of device keys by their makers: evidence that a key was generated inside a real
//! chip of an admitted manufacturer, which classes may require at registration (`docs/devices.md`,
//! `pallets/makers`).
//!
//! Two forms of evidence:
//!
//! - **An X.509 chain** ([`AttestationEvidence::X509`]): DER certificates, leaf first, each
//!   issued by the next, the last issued by one of the maker's root certificates; the leaf's
//!   key is the device key (P-256, as secure elements and phone keystores make). This is what
//!   an ATECC608-style secure element or an Android keystore hands out.
//! - **A compact certificate** ([`AttestationEvidence::Compact`]): the maker key's signature
//!   over [`CompactCertificate`] (device key, class, serial), for makers without a PKI. The
//!   message is [`COMPACT_DOMAIN`] ‖ SCALE(certificate): no genesis hash, because a maker signs
//!   at the factory, before the device knows any chain; the statement ("this key is in our
//!   chip of this class") holds on any chain.

use crate::{ClassId, DeviceKey, DeviceSignature};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_runtime::BoundedVec;

/// Identifier of an admitted maker.
pub type MakerId = u32;

/// Largest DER certificate accepted, in bytes: an RSA-4096 certificate signed by an RSA-4096
/// key takes about 1,400.
pub const MAX_CERT_LEN: u32 = 2_048;

/// Most certificates below the root in a chain (the leaf and up to three intermediates).
pub const MAX_CHAIN_LEN: u32 = 4;

/// Longest certificate serial number, in bytes (RFC 5280: at most 20 octets).
pub const MAX_SERIAL_LEN: u32 = 20;

/// A DER-encoded X.509 certificate.
pub type CertDer = BoundedVec<u8, ConstU32<MAX_CERT_LEN>>;

/// A certificate's serial number: its unsigned big-endian magnitude, without leading zero
/// bytes (as `openssl x509 -serial` prints it; see [`canonical_serial`]).
pub type Serial = BoundedVec<u8, ConstU32<MAX_SERIAL_LEN>>;

/// The one form serial numbers are stored, revoked and compared in: `bytes` without leading
/// zero bytes (one zero byte for the value zero). A DER integer's sign byte, or a serial
/// written with padding, names the same certificate as its magnitude, so governance
/// revoking `00 8f …` revokes the certificate whose serial is `8f …`.
pub fn canonical_serial(bytes: &[u8]) -> &[u8] {
	match bytes.iter().position(|byte| *byte != 0) {
		Some(first) => &bytes[first..],
		None => &bytes[bytes.len().saturating_sub(1)..],
	}
}

/// [`canonical_serial`] of a bounded serial.
pub fn canonical(serial: &Serial) -> Serial {
	// A suffix of a bounded vector fits the same bound.
	Serial::truncate_from(canonical_serial(serial).to_vec())
}

/// A chain of certificates below a root, leaf first.
pub type CertChain = BoundedVec<CertDer, ConstU32<MAX_CHAIN_LEN>>;

/// The tag that starts the message of a compact certificate.
pub const COMPACT_DOMAIN: &[u8] = b"depin/v1/attest";

/// Evidence that a device key was generated inside a maker's chip.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum AttestationEvidence {
	/// An X.509 chain up to one of `maker`'s roots, leaf first (the root is not included:
	/// the chain holds it).
	X509 {
		/// The maker whose root the chain ends at.
		maker: MakerId,
		/// The certificates, leaf first, each issued by the next.
		chain: CertChain,
	},
	/// `maker`'s compact certificate of the device: its compact key's signature over
	/// [`compact_message`] of (device key, class, `serial`).
	Compact {
		/// The maker.
		maker: MakerId,
		/// The device's serial number, as the maker assigned it.
		serial: Serial,
		/// The maker key's signature.
		signature: DeviceSignature,
	},
}

impl AttestationEvidence {
	/// The maker the evidence names.
	pub fn maker(&self) -> MakerId {
		match self {
			AttestationEvidence::X509 { maker, .. }
			| AttestationEvidence::Compact { maker, .. } => *maker,
		}
	}

	/// How many certificates it carries (a compact certificate counts as none).
	pub fn chain_len(&self) -> u32 {
		match self {
			AttestationEvidence::X509 { chain, .. } => chain.len() as u32,
			AttestationEvidence::Compact { .. } => 0,
		}
	}
}

/// What a maker's compact certificate states.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct CompactCertificate {
	/// The device key its chip generated.
	pub key: DeviceKey,
	/// The class the device is made for.
	pub class: ClassId,
	/// Its serial number.
	pub serial: Serial,
}

/// The message a maker signs for a compact certificate: [`COMPACT_DOMAIN`] ‖ SCALE(`cert`).
pub fn compact_message(cert: &CompactCertificate) -> Vec<u8> {
	let mut message = COMPACT_DOMAIN.to_vec();
	cert.encode_to(&mut message);
	message
}

/// Whether a device may earn, as far as attestation goes.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", tag = "state"))]
pub enum AttestationState {
	/// Not attested.
	None,
	/// Attested by a maker in good standing, no certificate of its chain revoked.
	Valid,
	/// Its maker, or a certificate of its chain, is revoked from `from` on: it earns nothing
	/// in that epoch and after.
	Revoked {
		/// The first epoch it no longer earns in.
		from: crate::EpochIndex,
	},
}

impl AttestationState {
	/// Whether a device in this state may earn in `epoch`, in a class with `policy`.
	pub fn earns_in(self, epoch: crate::EpochIndex, policy: crate::AttestationPolicy) -> bool {
		match self {
			AttestationState::Revoked { from } => epoch < from,
			AttestationState::Valid => true,
			AttestationState::None => policy == crate::AttestationPolicy::Open,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::canonical_serial;

	#[test]
	fn a_serial_keeps_its_magnitude_and_loses_its_padding() {
		assert_eq!(canonical_serial(&[0, 0x8f, 1]), &[0x8f, 1]);
		assert_eq!(canonical_serial(&[0, 0, 0, 7]), &[7]);
		assert_eq!(canonical_serial(&[0x10, 0]), &[0x10, 0]);
		assert_eq!(canonical_serial(&[0, 0]), &[0], "zero is one zero byte");
		assert_eq!(canonical_serial(&[]), &[] as &[u8]);
	}
}
