//! # Proofs pallet
//!
//! Where the DePIN chain decides that a device really did useful work: epochs, challenges,
//! device-signed heartbeats and storage proofs, and the offences of devices that lie or vanish.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for calls, storage, events and errors, and [`Config`] for the
//! configuration trait. Other pallets read the epoch through [`depin_primitives::EpochProvider`].
//!
//! ## Overview
//!
//! - **Epochs follow the slot clock, not a count of blocks.** Epoch `e` covers the BABE slots
//!   `[G + e × EpochLength, G + (e + 1) × EpochLength)`, where `G` is the chain's first slot
//!   ([`Config::Clock`]); the length is fixed at genesis (10 slots of 6 s on dev chains, 600 in
//!   production). A slot is wall time, so a device's clock tells which epoch is current, and
//!   missed slots do not stretch an epoch. The first block of a new epoch does the boundary
//!   work once, however many slots or whole epochs were missed: it derives the seed from BABE
//!   randomness (the epoch randomness, fixed a BABE epoch ahead, mixed with the VRF output of
//!   the block's parent), tells the reward pallet that the last epoch with blocks closed, and
//!   emits `EpochStarted` (and `EpochsSkipped` for epochs in which no block was produced: they
//!   emit nothing and count as missed for no device). The boundary costs the same with ten
//!   devices or a million: nothing iterates over devices.
//! - **Challenges.** A device's challenge is `blake2_256("depin/v1/challenge" ‖ seed ‖ device ‖
//!   epoch)`; a storage challenge selects [`Config::LeavesPerChallenge`] chunk indices from it
//!   (see [`depin_primitives::challenged_leaves`]).
//! - **Proofs.** Heartbeats (with telemetry) and storage proofs (chunks with binary Merkle paths
//!   against the device's committed root) are signed by the device key, one per device, kind
//!   and epoch. They are feeless *authorized* transactions: the transaction pool checks them
//!   ([`Pallet::authorize_heartbeat`] and friends) before accepting them, so junk never reaches
//!   a block and the pool cannot be flooded for free. Gateways batch many heartbeats with
//!   [`Pallet::submit_heartbeats`].
//! - **Points.** Each accepted proof earns the device its class's reward weight in points,
//!   passed to the reward pallet through [`depin_primitives::RewardPoints`].
//! - **Offences.** Two different payloads signed by one device for one epoch and kind, *both
//!   carrying that epoch's real challenge* (storage proofs: and exactly the chunk indices that
//!   challenge selects against the commitment in force in that epoch), for an epoch that has
//!   begun, prove equivocation ([`Pallet::report_equivocation`]): the device is slashed through
//!   [`depin_primitives::OnOffence`] with the reporter rewarded, and suspended (also with
//!   nothing bonded). An honest device signs one payload per epoch and kind, whoever asks and
//!   on whichever fork, so it is never reportable: payloads for invented challenges, other
//!   indices or future epochs prove nothing and are refused. A device that
//!   owed proofs and delivered none for [`Config::MaxMissedEpochs`] epochs in a row can be
//!   reported unresponsive ([`Pallet::report_unresponsive`]) and is suspended (slashed only if
//!   [`Config::UnresponsiveSlash`] is not zero).
//!
//! ## Low Level / Implementation Details
//!
//! One record per device ([`Records`]) holds the last epoch each kind was delivered (which
//! makes proofs unique per epoch and tells how many epochs a device missed) and its latest
//! telemetry. Storage commitments live in [`Commitments`] (the latest, in force from the epoch
//! after it was made) and [`CommitmentHistory`] (the ones it superseded, while a report may
//! still need them). [`RecentEpochs`] keeps the seed and first block of the last epochs that
//! had blocks, for the report window and for counting missed epochs. A proof is checked completely by
//! its `authorize` function, which FRAME runs in the pool and again when the block applies
//! it, on the state dispatch then sees; dispatch records it, re-checking only what its own
//! reads give for free (see [`Pallet::accept_heartbeat`]).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod check;
mod epochs;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod offchain;
#[cfg(test)]
mod tests;
mod try_state;
pub mod types;
pub mod weights;

use depin_primitives::{
	DeviceId, DeviceSignature, EpochIndex, Heartbeat, SignedPayload, StorageProof,
};

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::proofs";

/// A batch of signed heartbeats, as a gateway submits it.
pub type HeartbeatBatch<T> =
	frame_support::BoundedVec<(Heartbeat, DeviceSignature), <T as Config>::MaxBatchSize>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use depin_primitives::{DeviceRegistry, OnOffence, RewardPoints, StakeInfo};
	use depin_primitives::{ProofKind, SlashId};
	use frame_support::{pallet_prelude::*, traits::Randomness};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{traits::SaturatedConversion, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the proofs pallet.
	#[pallet::config]
	pub trait Config:
		frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// The balance type of the registry's class terms.
		type Balance: Parameter + MaxEncodedLen + Default + Copy;

		/// The device registry (owner, key, class, status; suspension).
		type Devices: DeviceRegistry<Self::AccountId, Self::Balance>;

		/// The makers' registry: a device whose maker or certificate is revoked earns nothing
		/// from the epoch the revocation holds from, and a class that requires attestation pays
		/// no device without it.
		type Attestation: depin_primitives::DeviceAttestation;

		/// Stake behind devices: only eligible devices may submit.
		type Stake: StakeInfo<Self::Balance>;

		/// Where offences go to be slashed.
		type Offences: OnOffence<Self::AccountId>;

		/// Where points go, and who learns that an epoch closed.
		type Rewards: RewardPoints;

		/// Randomness fixed a BABE epoch ahead (`pallet_babe::RandomnessFromOneEpochAgo`).
		type EpochRandomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// The VRF output of the parent block's author (`pallet_babe::ParentBlockRandomness`).
		type BlockRandomness: Randomness<Option<Self::Hash>, BlockNumberFor<Self>>;

		/// The slot clock epochs follow (BABE's current and first slots).
		type Clock: SlotClock;

		/// Chunks a storage challenge selects (at most
		/// [`depin_primitives::MAX_CHALLENGED_LEAVES`]).
		#[pallet::constant]
		type LeavesPerChallenge: Get<u32>;

		/// Consecutive missed epochs after which a device can be reported unresponsive.
		#[pallet::constant]
		type MaxMissedEpochs: Get<EpochIndex>;

		/// Epochs after a change of a class's terms in which its devices' misses do not count
		/// (time to adapt, for example to bond up to a higher minimum stake).
		#[pallet::constant]
		type ClassChangeGrace: Get<EpochIndex>;

		/// Epochs after which an equivocation can no longer be reported (shorter than the
		/// unbonding period, so that the stake is still there). The seeds and superseded
		/// storage commitments of this many past epochs are kept to check reports.
		#[pallet::constant]
		type ReportWindow: Get<EpochIndex>;

		/// Fraction of stake slashed for equivocation.
		#[pallet::constant]
		type EquivocationSlash: Get<Perbill>;

		/// Fraction of stake slashed for being unresponsive (zero: suspension only).
		#[pallet::constant]
		type UnresponsiveSlash: Get<Perbill>;

		/// Most heartbeats in one batch.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// Priority of proofs in the transaction pool.
		#[pallet::constant]
		type ProofPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Prepares benchmark state this pallet does not own (registered, staked devices).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Slots per epoch, fixed at genesis (a slot is 6 seconds of wall time).
	#[pallet::storage]
	pub type EpochLength<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// A slot and the epoch that starts in it, from which epochs are counted; `None`: the
	/// chain's first slot and epoch 0. Set only by the migration of a chain whose epochs
	/// counted blocks (version 1), so that its epoch index goes on from where it was.
	#[pallet::storage]
	pub type EpochOrigin<T: Config> = StorageValue<_, (u64, EpochIndex), OptionQuery>;

	/// The epoch in progress.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The seed of the epoch in progress, from which every device's challenge derives.
	#[pallet::storage]
	pub type EpochSeed<T: Config> = StorageValue<_, H256, ValueQuery>;

	/// What the chain knows of each device's proofs. `Blake2_128Concat`: device ids are
	/// user-influenced.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, ProofRecord>;

	/// Storage commitments: the Merkle root and size of each storage device's latest data set,
	/// in force from its `since` epoch (the epoch after it was made).
	#[pallet::storage]
	pub type Commitments<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, Commitment>;

	/// The commitments each device's latest one superseded, oldest first, kept while a proof
	/// or a report may be checked against them (the report window), so at most
	/// `ReportWindow + 1`.
	#[pallet::storage]
	pub type CommitmentHistory<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, BoundedVec<Commitment, CommitmentHistoryLen<T>>>;

	/// The declared metrics each device's last flagged heartbeat did not report in range, and
	/// its epoch (a heartbeat with flagged telemetry counts for liveness but earns no
	/// telemetry credit). Written only when a heartbeat is flagged: compare the epoch with the
	/// record's last heartbeat to tell whether the latest one was.
	#[pallet::storage]
	pub type FlaggedTelemetry<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		DeviceId,
		(EpochIndex, BoundedVec<u16, ConstU32<{ depin_primitives::MAX_READINGS }>>),
	>;

	/// The last epochs that had blocks, oldest first, the current one last: their seeds (to
	/// check reports) and first blocks (to count missed epochs). At most
	/// `max(ReportWindow, MaxMissedEpochs) + 1`.
	#[pallet::storage]
	pub type RecentEpochs<T: Config> =
		StorageValue<_, BoundedVec<EpochRecord<BlockNumberFor<T>>, EpochHistoryLen<T>>, ValueQuery>;

	/// Genesis: the epoch length.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Slots per epoch; at least 1.
		pub epoch_length: u32,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { epoch_length: DEFAULT_EPOCH_LENGTH, _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.epoch_length > 0, "epoch_length must be at least one slot");
			EpochLength::<T>::put(self.epoch_length);
			EpochSeed::<T>::put(GENESIS_SEED);
			let genesis = EpochRecord { index: 0, seed: GENESIS_SEED, start_block: Zero::zero() };
			RecentEpochs::<T>::put(BoundedVec::truncate_from(alloc::vec![genesis]));
		}
	}

	/// Events of the proofs pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A new epoch started; its seed makes the devices' challenges.
		EpochStarted {
			/// The epoch.
			epoch: EpochIndex,
			/// Its seed.
			seed: H256,
		},
		/// No block was produced in these epochs (the chain was halted): they emit nothing and
		/// count as missed for no device.
		EpochsSkipped {
			/// The first epoch without a block.
			first: EpochIndex,
			/// The last one.
			last: EpochIndex,
		},
		/// A heartbeat was accepted.
		HeartbeatAccepted {
			/// The device.
			device: DeviceId,
			/// The epoch.
			epoch: EpochIndex,
		},
		/// A storage proof was accepted.
		StorageProofAccepted {
			/// The device.
			device: DeviceId,
			/// The epoch.
			epoch: EpochIndex,
		},
		/// A heartbeat counted for liveness, but some declared metrics were missing or out of
		/// range: it earned no telemetry credit.
		TelemetryFlagged {
			/// The device.
			device: DeviceId,
			/// The epoch.
			epoch: EpochIndex,
			/// The metrics missing or out of range.
			metrics: BoundedVec<u16, ConstU32<{ depin_primitives::MAX_READINGS }>>,
		},
		/// An item of a heartbeat batch was skipped.
		BatchItemRejected {
			/// Its position in the batch.
			index: u32,
			/// The device it claimed to be from.
			device: DeviceId,
			/// Why.
			reason: ProofError,
		},
		/// A device committed to a data set.
		StorageCommitted {
			/// The device.
			device: DeviceId,
			/// The Merkle root of its chunks.
			root: H256,
			/// How many chunks.
			leaf_count: u64,
			/// The first epoch whose challenges it answers (the next one).
			since: EpochIndex,
		},
		/// A device was proven to have signed two different payloads for one epoch and kind.
		EquivocationReported {
			/// The device.
			device: DeviceId,
			/// The epoch.
			epoch: EpochIndex,
			/// The kind of the two payloads.
			kind: ProofKind,
			/// Who reported it.
			reporter: T::AccountId,
			/// The pending slash, if the device had stake left to slash.
			slash_id: Option<SlashId>,
		},
		/// A device missed too many epochs and was suspended.
		DeviceUnresponsive {
			/// The device.
			device: DeviceId,
			/// Consecutive epochs missed.
			missed: EpochIndex,
		},
	}

	/// Errors of the proofs pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The proof was refused; the reason says why.
		InvalidProof,
		/// No device with this id.
		DeviceNotFound,
		/// Only the device's owner may do this.
		NotOwner,
		/// The device's class owes no storage proofs.
		StorageNotOwed,
		/// A data set needs between 1 and 2^40 chunks.
		InvalidLeafCount,
		/// The data set is smaller than the class's minimum.
		DataSetTooSmall,
		/// The two payloads are not for this device, or not for one epoch and kind.
		NotEquivocation,
		/// The two payloads are the same: signing one payload twice is no offence.
		SamePayload,
		/// A signature in the report does not verify.
		InvalidSignature,
		/// The equivocation is older than [`Config::ReportWindow`].
		ReportTooOld,
		/// The payloads are for an epoch that has not begun: what a device signs for the future
		/// proves nothing.
		FutureEpoch,
		/// No block was produced in the payloads' epoch, so it had no challenges.
		EpochWithoutBlocks,
		/// A payload does not carry its epoch's real challenge for the device: an invented
		/// challenge proves nothing.
		InventedChallenge,
		/// A storage payload does not answer exactly the chunk indices its epoch's challenge
		/// selects against the commitment in force in that epoch.
		WrongIndices,
		/// The device is not active (already suspended, or retired).
		DeviceNotActive,
		/// The device's class owes no proofs.
		NothingOwed,
		/// The device has not missed [`Config::MaxMissedEpochs`] epochs in a row.
		NotUnresponsive,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let epoch = Self::epoch_of_slot(T::Clock::current_slot());
			if epoch > CurrentEpoch::<T>::get() {
				Self::start_epoch(epoch, now);
				T::WeightInfo::on_initialize_epoch_boundary()
					.saturating_add(T::Rewards::epoch_close_weight())
			} else {
				T::WeightInfo::on_initialize_within_epoch()
			}
		}

		/// Relays what the hardware attached to this node signed (see [`crate::offchain`]).
		fn offchain_worker(_now: BlockNumberFor<T>) {
			Self::relay_attached_devices();
		}

		fn integrity_test() {
			assert!(
				T::LeavesPerChallenge::get() >= 1
					&& T::LeavesPerChallenge::get() <= depin_primitives::MAX_CHALLENGED_LEAVES,
				"LeavesPerChallenge must be between 1 and MAX_CHALLENGED_LEAVES"
			);
			assert!(T::MaxMissedEpochs::get() >= 1, "MaxMissedEpochs must be at least 1");
			assert!(T::MaxBatchSize::get() >= 1, "MaxBatchSize must be at least 1");
			assert!(T::ReportWindow::get() >= 1, "ReportWindow must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Read-only queries, callable by any client through the `RuntimeViewFunction` API.
	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The current epoch, `device`'s challenge in it, and the chunk indices its storage
		/// proof must answer if it committed to a data set (what a device or gateway signs).
		pub fn challenge_of(device: DeviceId) -> (EpochIndex, H256, Option<alloc::vec::Vec<u64>>) {
			(
				CurrentEpoch::<T>::get(),
				Self::current_challenge(&device),
				Self::current_storage_challenge(&device),
			)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Records a device's heartbeat for the current epoch.
		///
		/// A feeless authorized transaction: the pool accepts it only for a registered, active,
		/// eligible device whose class owes heartbeats, for the current epoch and the device's
		/// challenge, with a valid signature by the device key, once per device and epoch.
		///
		/// ## Dispatch Origin
		///
		/// Authorized (by [`Pallet::authorize_heartbeat`]).
		///
		/// ## Errors
		///
		/// - [`Error::InvalidProof`]: the heartbeat is stale, already delivered, or its device
		///   no longer active (reachable only by Root: the block runs the authorize check just
		///   before dispatch, see [`Pallet::accept_heartbeat`]).
		///
		/// ## Events
		///
		/// [`Event::HeartbeatAccepted`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_heartbeat().saturating_add(Pallet::<T>::attestation_weight(1)))]
		#[pallet::authorize(Pallet::<T>::authorize_heartbeat)]
		#[pallet::weight_of_authorize(Pallet::<T>::heartbeat_check_weight(signature))]
		pub fn submit_heartbeat(
			origin: OriginFor<T>,
			heartbeat: Heartbeat,
			signature: DeviceSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			// Checked completely by `authorize_heartbeat` on this very state; see
			// `accept_heartbeat` for why the signature is not verified twice.
			let _ = signature;
			Self::accept_heartbeat(heartbeat).map_err(|_| Error::<T>::InvalidProof)?;
			Ok(())
		}

		/// Records many devices' heartbeats in one transaction, for gateways. The pool takes
		/// the batch only if every item it still owes is valid (see
		/// [`Pallet::authorize_heartbeats`]: a batch too heavy for a block is refused before any
		/// signature is checked), and the block applies it on the same terms (the authorize
		/// check runs again in the block). Items delivered meanwhile, for example copied out of
		/// the batch and submitted alone, are skipped (`BatchItemRejected` with
		/// `AlreadySubmitted`) and the others recorded: nobody can make a gateway's batch fail
		/// by front-running one item. A batch with nothing left is refused.
		///
		/// ## Dispatch Origin
		///
		/// Authorized (by [`Pallet::authorize_heartbeats`]).
		///
		/// ## Events
		///
		/// [`Event::HeartbeatAccepted`] per item accepted, [`Event::BatchItemRejected`] per item
		/// skipped.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::submit_heartbeats(batch.len() as u32)
				.saturating_add(Pallet::<T>::attestation_weight(batch.len() as u32))
		)]
		#[pallet::authorize(Pallet::<T>::authorize_heartbeats)]
		#[pallet::weight_of_authorize(Pallet::<T>::batch_check_weight(batch))]
		pub fn submit_heartbeats(origin: OriginFor<T>, batch: HeartbeatBatch<T>) -> DispatchResult {
			ensure_authorized(origin)?;
			for (index, (heartbeat, _signature)) in batch.into_iter().enumerate() {
				let device = heartbeat.device;
				if let Err(reason) = Self::accept_heartbeat(heartbeat) {
					Self::deposit_event(Event::BatchItemRejected {
						index: index as u32,
						device,
						reason,
					});
				}
			}
			Ok(())
		}

		/// Commits a storage device to a data set: the Merkle root of its chunks (see
		/// [`depin_primitives::merkle`]) and their number. Replaces any earlier commitment.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::DeviceNotActive`].
		/// - [`Error::StorageNotOwed`]: the class owes no storage proofs.
		/// - [`Error::InvalidLeafCount`]: zero, or more than 2^40 chunks.
		///
		/// ## Events
		///
		/// [`Event::StorageCommitted`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_storage())]
		pub fn commit_storage(
			origin: OriginFor<T>,
			device: DeviceId,
			root: H256,
			leaf_count: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_storage(who, device, root, leaf_count)
		}

		/// Records a device's answer to its storage challenge for the current epoch: the
		/// challenged chunks with their Merkle paths against its commitment.
		///
		/// A feeless authorized transaction, checked in the pool like a heartbeat, and also
		/// against the commitment.
		///
		/// ## Dispatch Origin
		///
		/// Authorized (by [`Pallet::authorize_storage_proof`]).
		///
		/// ## Errors
		///
		/// - [`Error::InvalidProof`]: the proof is stale, already delivered, or its device no
		///   longer active (reachable only by Root, as for [`Pallet::submit_heartbeat`]).
		///
		/// ## Events
		///
		/// [`Event::StorageProofAccepted`].
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::submit_storage_proof().saturating_add(Pallet::<T>::attestation_weight(1))
		)]
		#[pallet::authorize(Pallet::<T>::authorize_storage_proof)]
		#[pallet::weight_of_authorize(Pallet::<T>::storage_proof_check_weight(proof, signature))]
		pub fn submit_storage_proof(
			origin: OriginFor<T>,
			proof: StorageProof,
			signature: DeviceSignature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			// Checked completely (paths and signature) by `authorize_storage_proof`.
			let _ = signature;
			Self::accept_storage_proof(&proof).map_err(|_| Error::<T>::InvalidProof)?;
			Ok(())
		}

		/// Reports that `device` signed two different payloads of one kind for one epoch, both
		/// for that epoch's real challenge (see [`Pallet::do_report_equivocation`] for the
		/// rule). The device is slashed ([`Config::EquivocationSlash`] of what pending slashes
		/// leave; the reporter paid its share unless it owns the device) and suspended for
		/// misbehaviour, even with nothing bonded.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the reporter.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`].
		/// - [`Error::NotEquivocation`]: the payloads are not both this device's, for one epoch
		///   and kind.
		/// - [`Error::SamePayload`]: signing one payload twice is no offence.
		/// - [`Error::FutureEpoch`], [`Error::ReportTooOld`], [`Error::EpochWithoutBlocks`]:
		///   the epoch has not begun, left the report window, or had no block.
		/// - [`Error::InventedChallenge`]: a payload does not carry the epoch's real challenge.
		/// - [`Error::WrongIndices`]: a storage payload does not answer the challenged indices
		///   of the commitment in force in its epoch.
		/// - [`Error::InvalidSignature`].
		/// - The staking pallet's errors (`DuplicateOffence`).
		///
		/// ## Events
		///
		/// [`Event::EquivocationReported`].
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::equivocation_weight(
			first,
			first_signature,
			second,
			second_signature
		))]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			device: DeviceId,
			first: SignedPayload,
			first_signature: DeviceSignature,
			second: SignedPayload,
			second_signature: DeviceSignature,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report_equivocation(
				reporter,
				device,
				(first, first_signature),
				(second, second_signature),
			)
		}

		/// Reports that `device` owed proofs and delivered none for [`Config::MaxMissedEpochs`]
		/// closed epochs in a row; it is suspended (and slashed if
		/// [`Config::UnresponsiveSlash`] is not zero).
		///
		/// ## Dispatch Origin
		///
		/// Signed, by anyone.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::DeviceNotActive`], [`Error::NothingOwed`].
		/// - [`Error::NotUnresponsive`]: fewer epochs were missed.
		///
		/// ## Events
		///
		/// [`Event::DeviceUnresponsive`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::report_unresponsive())]
		pub fn report_unresponsive(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report_unresponsive(reporter, device)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The slot epochs are counted from, and the epoch that starts in it: the chain's first
		/// slot and epoch 0, unless [`EpochOrigin`] says otherwise.
		pub fn epoch_origin() -> (u64, EpochIndex) {
			EpochOrigin::<T>::get().unwrap_or_else(|| (T::Clock::genesis_slot(), 0))
		}

		/// The epoch that `slot` falls in: `(slot − first slot) / EpochLength`.
		pub fn epoch_of_slot(slot: u64) -> EpochIndex {
			let (origin, base) = Self::epoch_origin();
			let length = u64::from(EpochLength::<T>::get().max(1));
			let elapsed: EpochIndex = (slot.saturating_sub(origin) / length).saturated_into();
			base.saturating_add(elapsed)
		}

		/// The first slot of `epoch` (the origin's, for an epoch before it).
		pub fn epoch_start_slot(epoch: EpochIndex) -> u64 {
			let (origin, base) = Self::epoch_origin();
			let length = u64::from(EpochLength::<T>::get());
			let epochs = u64::from(epoch.saturating_sub(base));
			origin.saturating_add(length.saturating_mul(epochs))
		}

		/// The boundary work, once per new epoch whatever was missed: the new seed, the close
		/// of the last epoch that had blocks, the epoch's record.
		fn start_epoch(epoch: EpochIndex, now: BlockNumberFor<T>) {
			let closed = CurrentEpoch::<T>::get();
			let seed = Self::derive_seed(epoch);
			CurrentEpoch::<T>::put(epoch);
			EpochSeed::<T>::put(seed);
			RecentEpochs::<T>::mutate(|recent| {
				if recent.is_full() {
					recent.remove(0);
				}
				// Room was made just above.
				let _ = recent.try_push(EpochRecord { index: epoch, seed, start_block: now });
			});
			T::Rewards::on_epoch_closed(closed);
			log::debug!(target: LOG_TARGET, "epoch {epoch} starts at block {now:?}");
			if epoch > closed.saturating_add(1) {
				let (first, last) = (closed.saturating_add(1), epoch.saturating_sub(1));
				log::info!(target: LOG_TARGET, "no block in epochs {first}..={last}");
				Self::deposit_event(Event::EpochsSkipped { first, last });
			}
			Self::deposit_event(Event::EpochStarted { epoch, seed });
		}

		/// The seed of `epoch`: `blake2_256("depin/v1/seed" ‖ epoch (u32, little-endian) ‖
		/// epoch randomness ‖ parent block VRF randomness)`; see `docs/proofs.md` for what an
		/// author could bias.
		fn derive_seed(epoch: EpochIndex) -> H256 {
			let subject = [b"depin/v1/seed".as_slice(), &epoch.to_le_bytes()].concat();
			let (epoch_random, _) = T::EpochRandomness::random(&subject);
			let (block_random, _) = T::BlockRandomness::random(&subject);
			let mut input = subject;
			input.extend_from_slice(epoch_random.as_ref());
			if let Some(block_random) = block_random {
				input.extend_from_slice(block_random.as_ref());
			}
			H256(sp_io::hashing::blake2_256(&input))
		}
	}
}

/// The slot clock that epochs follow.
pub trait SlotClock {
	/// The slot of the block being built or executed.
	fn current_slot() -> u64;
	/// The slot of the chain's first block (0 until it is produced).
	fn genesis_slot() -> u64;
}

/// Slots per epoch of a genesis that does not set it: one hour of 6-second slots.
pub const DEFAULT_EPOCH_LENGTH: u32 = 600;

/// The seed of epoch 0 (no randomness exists at genesis; epoch 0's challenges are public).
pub const GENESIS_SEED: sp_core::H256 = sp_core::H256([0x5e; 32]);

/// Prepares benchmark state that this pallet does not own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active device with `key` (and its proof of possession for `owner`), owned
	/// by `owner`, in a class that owes heartbeats and storage proofs, and bonds enough behind
	/// it to be eligible; returns its id.
	fn eligible_device(
		owner: &AccountId,
		key: depin_primitives::DeviceKey,
		proof_of_possession: DeviceSignature,
	) -> DeviceId;

	/// Sets the slot the next blocks are built in (BABE's current slot).
	fn set_slot(slot: u64);
}
