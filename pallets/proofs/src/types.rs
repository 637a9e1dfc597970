//! Types stored and reported by the proofs pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use depin_primitives::{EpochIndex, ProofKind, Readings};
use frame_support::pallet_prelude::{InvalidTransaction, TransactionValidityError};
use scale_info::TypeInfo;
use sp_core::H256;

/// What the chain knows of one device's proofs.
#[derive(Clone, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ProofRecord {
	/// The last epoch a heartbeat was accepted for.
	pub last_heartbeat: Option<EpochIndex>,
	/// The last epoch a storage proof was accepted for.
	pub last_storage: Option<EpochIndex>,
	/// The telemetry of the last heartbeat.
	pub readings: Readings,
}

impl ProofRecord {
	/// The last epoch a proof of `kind` was accepted for.
	pub fn last(&self, kind: ProofKind) -> Option<EpochIndex> {
		match kind {
			ProofKind::Heartbeat => self.last_heartbeat,
			ProofKind::Storage => self.last_storage,
		}
	}

	/// The last epoch a proof of `kind` was accepted for, to update.
	pub fn last_mut(&mut self, kind: ProofKind) -> &mut Option<EpochIndex> {
		match kind {
			ProofKind::Heartbeat => &mut self.last_heartbeat,
			ProofKind::Storage => &mut self.last_storage,
		}
	}

	/// The last epoch any proof was accepted for.
	pub fn last_proof_epoch(&self) -> Option<EpochIndex> {
		self.last_heartbeat.max(self.last_storage)
	}
}

/// A storage device's commitment to its data set.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Commitment {
	/// The Merkle root of its chunks.
	pub root: H256,
	/// How many chunks.
	pub leaf_count: u64,
	/// The first epoch it is in force (the epoch after it was made; before version 2 of the
	/// pallet's storage, the epoch it was made in).
	pub since: EpochIndex,
}

/// Why a proof is refused. In the transaction pool each maps to a standard reason where one
/// fits (`Stale`, `Future`, `BadProof`) or to `Custom(code)`; `docs/proofs.md` lists them.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ProofError {
	/// For an epoch that has ended.
	PastEpoch,
	/// For an epoch that has not started.
	FutureEpoch,
	/// No such device.
	UnknownDevice,
	/// The device is suspended or retired.
	DeviceNotActive,
	/// The device's bond is below its class minimum.
	NotEligible,
	/// The device's class does not owe this kind of proof.
	NotOwed,
	/// The challenge is not the device's challenge for the epoch.
	WrongChallenge,
	/// The device already delivered this kind of proof this epoch.
	AlreadySubmitted,
	/// The signature is not the device key's over this payload on this chain.
	BadSignature,
	/// The device has not committed to a data set.
	NoCommitment,
	/// The proof does not answer the challenged chunk indices.
	WrongLeaves,
	/// A chunk's Merkle path does not lead to the committed root.
	BadMerklePath,
	/// A batch has no items.
	EmptyBatch,
	/// A batch names one device twice.
	DuplicateInBatch,
	/// The committed data set is smaller than the class's minimum (raised since).
	DataSetTooSmall,
	/// Every item of a batch was delivered already: nothing is left to record.
	AllDelivered,
	/// The device's class requires attestation, and the device has none.
	NotAttested,
	/// The device's maker, or a certificate of its attestation, is revoked for this epoch.
	AttestationRevoked,
}

impl ProofError {
	/// The `Custom` code of the reasons without a standard one.
	pub fn code(self) -> u8 {
		match self {
			ProofError::PastEpoch => 0,
			ProofError::FutureEpoch => 0,
			ProofError::BadSignature => 0,
			ProofError::UnknownDevice => 1,
			ProofError::DeviceNotActive => 2,
			ProofError::NotEligible => 3,
			ProofError::NotOwed => 4,
			ProofError::WrongChallenge => 5,
			ProofError::AlreadySubmitted => 6,
			ProofError::NoCommitment => 7,
			ProofError::WrongLeaves => 8,
			ProofError::BadMerklePath => 9,
			ProofError::EmptyBatch => 10,
			ProofError::DuplicateInBatch => 11,
			ProofError::DataSetTooSmall => 12,
			ProofError::AllDelivered => 13,
			ProofError::NotAttested => 14,
			ProofError::AttestationRevoked => 15,
		}
	}
}

impl From<ProofError> for TransactionValidityError {
	fn from(error: ProofError) -> Self {
		TransactionValidityError::Invalid(match error {
			ProofError::PastEpoch => InvalidTransaction::Stale,
			ProofError::FutureEpoch => InvalidTransaction::Future,
			ProofError::BadSignature => InvalidTransaction::BadProof,
			other => InvalidTransaction::Custom(other.code()),
		})
	}
}

/// What a successful check found: the epoch and the points the proof earns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Checked {
	/// The epoch the proof is for (the current one).
	pub epoch: EpochIndex,
	/// The points it earns.
	pub points: depin_primitives::Points,
}

/// What the chain keeps of a recent epoch that had blocks.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EpochRecord<BlockNumber> {
	/// The epoch.
	pub index: EpochIndex,
	/// Its seed, from which its challenges derive.
	pub seed: H256,
	/// Its first block.
	pub start_block: BlockNumber,
}

/// How many recent epochs [`crate::RecentEpochs`] keeps: enough for the report window and for
/// counting missed epochs, with the current one.
pub struct EpochHistoryLen<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> frame_support::traits::Get<u32> for EpochHistoryLen<T> {
	fn get() -> u32 {
		T::ReportWindow::get().max(T::MaxMissedEpochs::get()).saturating_add(1)
	}
}

/// How many superseded commitments [`crate::CommitmentHistory`] keeps per device: the report
/// window's epochs, and the one in force when it starts.
pub struct CommitmentHistoryLen<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> frame_support::traits::Get<u32> for CommitmentHistoryLen<T> {
	fn get() -> u32 {
		T::ReportWindow::get().saturating_add(1)
	}
}
