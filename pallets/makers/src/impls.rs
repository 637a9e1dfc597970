//! The pallet's logic: onboarding with evidence, attestation states, retirement.

use crate::{
	x509::{self, Algorithm, ChainError},
	AttestationRecord, Attestations, Config, Error, Event, HoldReason, KeyOwners, MakerInfo,
	MakerRevocations, Makers, Pallet, RevokedCertificates, WeightInfo,
};
use alloc::vec::Vec;
use depin_primitives::{
	attestation::{
		canonical, compact_message, AttestationEvidence, AttestationState, CertDer,
		CompactCertificate, MakerId, Serial, MAX_CHAIN_LEN,
	},
	ClassId, DeviceId, DeviceKey, EpochIndex, EpochProvider,
};
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get, UnixTime},
	BoundedVec,
};
use sp_runtime::{DispatchError, DispatchResult, Weight};

impl<T: Config> Pallet<T> {
	/// The epoch after the current one: revocations hold from it.
	pub(crate) fn next_epoch() -> EpochIndex {
		T::Epochs::current_epoch().saturating_add(1)
	}

	/// The hashes of `maker`'s attestation keys (its roots' and its compact key's), checked:
	/// at least one key, every root one a chain can be verified against, root names distinct,
	/// no key another maker holds.
	pub(crate) fn key_hashes(
		maker: MakerId,
		roots: &[CertDer],
		compact_key: &Option<DeviceKey>,
	) -> Result<Vec<[u8; 32]>, DispatchError> {
		ensure!(!roots.is_empty() || compact_key.is_some(), Error::<T>::NoAttestationKeys);
		let mut names = Vec::with_capacity(roots.len());
		let mut keys = Vec::with_capacity(roots.len().saturating_add(1));
		for root in roots {
			let (name, key) = x509::check_root(root).map_err(|_| Error::<T>::InvalidRoot)?;
			ensure!(!names.contains(&name), Error::<T>::DuplicateRootName);
			names.push(name);
			keys.push(key);
		}
		keys.extend(compact_key.map(|key| key.device_id().0));
		for key in &keys {
			ensure!(
				KeyOwners::<T>::get(key).is_none_or(|owner| owner == maker),
				Error::<T>::KeyOfAnotherMaker
			);
		}
		Ok(keys)
	}

	/// Checks `evidence` for `device` (key `key`, class `class`) and onboards it; returns the
	/// weight used. Checks everything but the origin; cheap checks first, signatures last.
	pub fn do_attest(
		device: &DeviceId,
		key: &DeviceKey,
		class: ClassId,
		evidence: &AttestationEvidence,
	) -> Result<Weight, DispatchError> {
		// A revoked attestation may be replaced (new evidence after a maker's key leaked);
		// a valid one stays.
		let replaced = Attestations::<T>::get(device);
		ensure!(
			replaced.is_none()
				|| matches!(Self::attestation_state(device), AttestationState::Revoked { .. }),
			Error::<T>::AlreadyAttested
		);
		let maker_id = evidence.maker();
		let mut maker = Makers::<T>::get(maker_id).ok_or(Error::<T>::UnknownMaker)?;
		ensure!(!MakerRevocations::<T>::contains_key(maker_id), Error::<T>::MakerRevoked);
		// (A replaced attestation of the same maker gives its unit back first.)
		let freed = u32::from(replaced.as_ref().is_some_and(|old| old.maker == maker_id));
		ensure!(maker.onboarded.saturating_sub(freed) < maker.quota, Error::<T>::QuotaExhausted);
		let (serials, used) = match evidence {
			AttestationEvidence::X509 { chain, .. } => {
				Self::verify_x509(maker_id, &maker, chain, key)?
			},
			AttestationEvidence::Compact { serial, signature, .. } => {
				let maker_key = maker.compact_key.ok_or(Error::<T>::NoCompactKey)?;
				// Recorded and revoked in canonical form; signed as the maker wrote it.
				let recorded = canonical(serial);
				ensure!(
					!RevokedCertificates::<T>::contains_key(maker_id, &recorded),
					Error::<T>::CertificateRevoked
				);
				let cert = CompactCertificate { key: *key, class, serial: serial.clone() };
				ensure!(
					maker_key.verify(&compact_message(&cert), signature),
					Error::<T>::BadCompactSignature
				);
				(alloc::vec![recorded], T::WeightInfo::attest_compact())
			},
		};
		let replacing = replaced.is_some();
		if let Some(old) = replaced {
			Self::offboard(&old)?;
			// The maker record may be the one just offboarded from: read it again.
			maker = Makers::<T>::get(maker_id).ok_or(Error::<T>::UnknownMaker)?;
			ensure!(maker.onboarded < maker.quota, Error::<T>::QuotaExhausted);
		}
		let deposit = T::OnboardingDeposit::get();
		T::Currency::hold(&HoldReason::Onboarding.into(), &maker.account, deposit)
			.map_err(|_| Error::<T>::MakerCannotPayDeposit)?;
		let leaf = serials.first().cloned().unwrap_or_default();
		Attestations::<T>::insert(
			device,
			AttestationRecord {
				maker: maker_id,
				serials: BoundedVec::truncate_from(serials),
				depositor: maker.account.clone(),
				deposit,
				since: T::Epochs::current_epoch(),
			},
		);
		maker.onboarded = maker.onboarded.saturating_add(1);
		Makers::<T>::insert(maker_id, maker);
		Self::deposit_event(Event::DeviceAttested {
			device: *device,
			maker: maker_id,
			serial: leaf,
		});
		// (Never above the call's declared weight: FRAME caps the actual weight by it, and
		// `attest_weight` covers the heaviest algorithm and a replacement.)
		Ok(if replacing { used.saturating_add(Self::replacement_weight()) } else { used })
	}

	/// What replacing a revoked attestation adds: reading the old record's state, releasing
	/// its deposit and lowering its maker's count, reading the maker again.
	pub(crate) fn replacement_weight() -> Weight {
		<Self as depin_primitives::DeviceAttestation>::state_weight()
			.saturating_add(T::DbWeight::get().reads_writes(4, 3))
	}

	/// Undoes an onboarding: the deposit released (what is left of it), the maker's count of
	/// devices lowered.
	fn offboard(record: &AttestationRecord<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::Onboarding.into(),
			&record.depositor,
			record.deposit,
			Precision::BestEffort,
		)?;
		Makers::<T>::mutate(record.maker, |maker| {
			if let Some(maker) = maker {
				maker.onboarded = maker.onboarded.saturating_sub(1);
			}
		});
		Ok(())
	}

	/// Verifies an X.509 chain against the roots of `maker` (`maker_id`) for the device key
	/// `key`, none of its certificates revoked: its serial numbers (leaf first) and the weight
	/// of the signatures checked.
	fn verify_x509(
		maker_id: MakerId,
		maker: &MakerInfo<T>,
		chain: &[CertDer],
		key: &DeviceKey,
	) -> Result<(Vec<Serial>, Weight), DispatchError> {
		ensure!(!chain.is_empty(), Error::<T>::EmptyChain);
		let DeviceKey::P256(device_key) = key else {
			return Err(Error::<T>::LeafKeyMismatch.into());
		};
		let certs: Vec<&[u8]> = chain.iter().map(|cert| cert.as_slice()).collect();
		let roots: Vec<&[u8]> = maker.roots.iter().map(|root| root.as_slice()).collect();
		let now = T::Time::now().as_secs();
		let revoked = |serial: &[u8]| {
			Serial::try_from(serial.to_vec())
				.is_ok_and(|serial| RevokedCertificates::<T>::contains_key(maker_id, serial))
		};
		let verified =
			x509::verify_chain(&certs, &roots, now, device_key, revoked).map_err(|error| {
				log::debug!(target: crate::LOG_TARGET, "attestation chain refused: {error:?}");
				Error::<T>::from(error)
			})?;
		let serials: Vec<Serial> = verified
			.serials
			.into_iter()
			.map(|serial| Serial::try_from(serial).map_err(|_| Error::<T>::MalformedCertificate))
			.collect::<Result<_, _>>()?;
		Ok((serials, Self::chain_weight(&verified.algorithms)))
	}

	/// The weight of verifying a chain whose signatures were of `algorithms`: the heaviest
	/// algorithm's fixed part, plus each signature's own.
	pub(crate) fn chain_weight(algorithms: &[Algorithm]) -> Weight {
		let of = |algorithm: Algorithm, d: u32| match algorithm {
			Algorithm::P256 => T::WeightInfo::attest_x509_p256(d),
			Algorithm::P384 => T::WeightInfo::attest_x509_p384(d),
			Algorithm::Rsa => T::WeightInfo::attest_x509_rsa(d),
		};
		let base = [Algorithm::P256, Algorithm::P384, Algorithm::Rsa]
			.into_iter()
			.map(|algorithm| of(algorithm, 0))
			.fold(Weight::zero(), |max, weight| max.max(weight));
		algorithms.iter().fold(base, |total, algorithm| {
			total.saturating_add(of(*algorithm, 1).saturating_sub(of(*algorithm, 0)))
		})
	}

	/// `device`'s attestation state.
	pub fn attestation_state(device: &DeviceId) -> AttestationState {
		let Some(record) = Attestations::<T>::get(device) else { return AttestationState::None };
		let maker = MakerRevocations::<T>::get(record.maker);
		let serial = record
			.serials
			.iter()
			.filter_map(|serial| RevokedCertificates::<T>::get(record.maker, serial))
			.min();
		match (maker, serial) {
			(None, None) => AttestationState::Valid,
			(Some(a), Some(b)) => AttestationState::Revoked { from: a.min(b) },
			(Some(from), None) | (None, Some(from)) => AttestationState::Revoked { from },
		}
	}
}

impl<T: Config> From<ChainError> for Error<T> {
	fn from(error: ChainError) -> Self {
		match error {
			ChainError::Malformed => Error::<T>::MalformedCertificate,
			ChainError::LeafKeyMismatch => Error::<T>::LeafKeyMismatch,
			ChainError::IssuerMismatch => Error::<T>::IssuerMismatch,
			ChainError::UnknownRoot => Error::<T>::UnknownRoot,
			ChainError::NotACa => Error::<T>::NotACa,
			ChainError::NotYetValid => Error::<T>::CertificateNotYetValid,
			ChainError::Expired => Error::<T>::CertificateExpired,
			ChainError::UnsupportedAlgorithm => Error::<T>::UnsupportedAlgorithm,
			ChainError::UnsupportedKey => Error::<T>::UnsupportedKey,
			ChainError::BadSignature => Error::<T>::BadCertificateSignature,
			ChainError::Revoked => Error::<T>::CertificateRevoked,
		}
	}
}

impl<T: Config> depin_primitives::DeviceAttestation for Pallet<T> {
	fn attest(
		device: &DeviceId,
		key: &DeviceKey,
		class: ClassId,
		evidence: &AttestationEvidence,
	) -> Result<Weight, DispatchError> {
		Self::do_attest(device, key, class, evidence)
	}

	fn attest_weight(evidence: &AttestationEvidence) -> Weight {
		match evidence {
			AttestationEvidence::X509 { chain, .. } => {
				let d = chain.len() as u32;
				T::WeightInfo::attest_x509_p256(d)
					.max(T::WeightInfo::attest_x509_p384(d))
					.max(T::WeightInfo::attest_x509_rsa(d))
			},
			AttestationEvidence::Compact { .. } => T::WeightInfo::attest_compact(),
		}
		.saturating_add(Self::replacement_weight())
	}

	fn state(device: &DeviceId) -> AttestationState {
		Self::attestation_state(device)
	}

	fn state_weight() -> Weight {
		// The record, its maker's revocation, and each serial of its chain and root.
		T::DbWeight::get().reads(3u64.saturating_add(u64::from(MAX_CHAIN_LEN)))
	}
}

/// A retiring device's attestation record goes, its maker's deposit is released and its quota
/// freed (so retiring and recovering a device cannot use a maker's quota up).
impl<T: Config> depin_primitives::OnDeviceRetired for Pallet<T> {
	fn on_retired(device: &DeviceId) -> DispatchResult {
		match Attestations::<T>::take(device) {
			Some(record) => Self::offboard(&record),
			None => Ok(()),
		}
	}

	fn retire_weight() -> Weight {
		// The record, the depositor's hold and account, the maker.
		T::DbWeight::get().reads_writes(4, 4)
	}
}
