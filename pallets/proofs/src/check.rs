//! Checking proofs (shared by the transaction pool and dispatch), accepting them, and the
//! offences.

use crate::{pallet::*, Checked, Commitment, HeartbeatBatch, ProofError, WeightInfo, LOG_TARGET};
use alloc::collections::btree_set::BTreeSet;
use depin_primitives::{
	challenged_leaves, device_challenge, merkle, signing_message, DeviceId, DeviceRegistry,
	DeviceSignature, DeviceStatus, DeviceSummary, EpochIndex, Heartbeat, Offence, OffenceKind,
	OnOffence, ProofKind, RewardPoints, SignedPayload, SigningDomain, StakeInfo, StorageProof,
	SuspensionReason, MAX_MERKLE_DEPTH,
};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{SaturatedConversion, Zero},
	DispatchResult,
};

/// The tag prefix of proofs in the transaction pool.
const TAG_PREFIX: &str = "DepinProofs";

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which every device signature is bound to.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The challenge of `device` in the current epoch.
	pub fn current_challenge(device: &DeviceId) -> H256 {
		device_challenge(&EpochSeed::<T>::get(), device, CurrentEpoch::<T>::get())
	}

	/// The chunk indices `device` must answer this epoch, if it committed to a data set.
	pub fn current_storage_challenge(device: &DeviceId) -> Option<alloc::vec::Vec<u64>> {
		let commitment = Commitments::<T>::get(device)?;
		Some(challenged_leaves(
			&Self::current_challenge(device),
			commitment.leaf_count,
			T::LeavesPerChallenge::get(),
		))
	}

	/// Blocks left in the current epoch, counting the current one: how long a proof may wait
	/// in the pool.
	fn blocks_left_in_epoch() -> u64 {
		let length: u64 = EpochLength::<T>::get().saturated_into();
		let now: u64 = frame_system::Pallet::<T>::block_number().saturated_into();
		length.saturating_sub(now % length.max(1)).max(1)
	}

	/// What holds for any proof of `kind` by `device` for `epoch`, and what recording it needs
	/// to read anyway: the current epoch, a registered, active device whose class owes this
	/// kind. Returns the device and the points the proof earns.
	fn check_device(
		device: &DeviceId,
		epoch: EpochIndex,
		kind: ProofKind,
	) -> Result<(DeviceSummary<T::AccountId>, Checked), ProofError> {
		let current = CurrentEpoch::<T>::get();
		ensure!(epoch >= current, ProofError::PastEpoch);
		ensure!(epoch <= current, ProofError::FutureEpoch);
		let summary = T::Devices::device(device).ok_or(ProofError::UnknownDevice)?;
		ensure!(summary.status.is_active(), ProofError::DeviceNotActive);
		let terms = T::Devices::class_terms(summary.class).ok_or(ProofError::NotOwed)?;
		let owed = match kind {
			ProofKind::Heartbeat => terms.owes_heartbeat,
			ProofKind::Storage => terms.owes_storage,
		};
		ensure!(owed, ProofError::NotOwed);
		Ok((summary, Checked { epoch, points: terms.reward_weight.into() }))
	}

	/// The checks every proof passes: what [`Self::check_device`] checks, then an eligible
	/// stake, the right challenge, not yet delivered.
	fn check_common(
		device: &DeviceId,
		epoch: EpochIndex,
		challenge: &H256,
		kind: ProofKind,
	) -> Result<(DeviceSummary<T::AccountId>, Checked), ProofError> {
		let (summary, checked) = Self::check_device(device, epoch, kind)?;
		ensure!(T::Stake::is_eligible(device), ProofError::NotEligible);
		ensure!(challenge == &Self::current_challenge(device), ProofError::WrongChallenge);
		let record = Records::<T>::get(device).unwrap_or_default();
		ensure!(record.last(kind) != Some(epoch), ProofError::AlreadySubmitted);
		Ok((summary, checked))
	}

	/// Checks a heartbeat completely: what [`Self::check_common`] checks, then the signature.
	pub fn check_heartbeat(
		heartbeat: &Heartbeat,
		signature: &DeviceSignature,
	) -> Result<Checked, ProofError> {
		let (device, checked) = Self::check_common(
			&heartbeat.device,
			heartbeat.epoch,
			&heartbeat.challenge,
			ProofKind::Heartbeat,
		)?;
		let message =
			signing_message(SigningDomain::Heartbeat, Self::genesis_hash().as_ref(), heartbeat);
		ensure!(device.key.verify(&message, signature), ProofError::BadSignature);
		Ok(checked)
	}

	/// Checks a storage proof completely: the common checks, the commitment, the challenged
	/// indices, every Merkle path, then the signature.
	pub fn check_storage_proof(
		proof: &StorageProof,
		signature: &DeviceSignature,
	) -> Result<Checked, ProofError> {
		let (device, checked) =
			Self::check_common(&proof.device, proof.epoch, &proof.challenge, ProofKind::Storage)?;
		let commitment = Commitments::<T>::get(proof.device).ok_or(ProofError::NoCommitment)?;
		let indices = challenged_leaves(
			&proof.challenge,
			commitment.leaf_count,
			T::LeavesPerChallenge::get(),
		);
		ensure!(
			proof.leaves.len() == indices.len()
				&& proof.leaves.iter().zip(&indices).all(|(leaf, index)| leaf.index == *index),
			ProofError::WrongLeaves
		);
		for leaf in proof.leaves.iter() {
			ensure!(
				merkle::verify(
					&commitment.root,
					commitment.leaf_count,
					leaf.index,
					merkle::leaf_hash(&leaf.chunk),
					&leaf.path,
				),
				ProofError::BadMerklePath
			);
		}
		let message = signing_message(SigningDomain::Storage, Self::genesis_hash().as_ref(), proof);
		ensure!(device.key.verify(&message, signature), ProofError::BadSignature);
		Ok(checked)
	}

	/// The pool's validity of a proof of `kind` by `device` for `epoch`: unique per device,
	/// kind and epoch (the `provides` tag), alive until the epoch ends.
	fn proof_validity(
		items: &[(DeviceId, ProofKind, EpochIndex)],
	) -> TransactionValidityWithRefund {
		let mut builder = ValidTransaction::with_tag_prefix(TAG_PREFIX)
			.priority(T::ProofPriority::get())
			.longevity(Self::blocks_left_in_epoch())
			.propagate(true);
		for item in items {
			builder = builder.and_provides(item);
		}
		builder.build().map(|valid| (valid, Weight::zero()))
	}

	/// Pool check of [`Pallet::submit_heartbeat`].
	pub fn authorize_heartbeat(
		_source: TransactionSource,
		heartbeat: &Heartbeat,
		signature: &DeviceSignature,
	) -> TransactionValidityWithRefund {
		let checked = Self::check_heartbeat(heartbeat, signature)?;
		Self::proof_validity(&[(heartbeat.device, ProofKind::Heartbeat, checked.epoch)])
	}

	/// Pool check of [`Pallet::submit_heartbeats`]: every item must be valid, and name a
	/// different device, so that a batch cannot make the pool verify junk for free.
	pub fn authorize_heartbeats(
		_source: TransactionSource,
		batch: &HeartbeatBatch<T>,
	) -> TransactionValidityWithRefund {
		if batch.is_empty() {
			return Err(ProofError::EmptyBatch.into());
		}
		let mut devices = BTreeSet::new();
		let mut tags = alloc::vec::Vec::with_capacity(batch.len());
		for (heartbeat, signature) in batch.iter() {
			if !devices.insert(heartbeat.device) {
				return Err(ProofError::DuplicateInBatch.into());
			}
			let checked = Self::check_heartbeat(heartbeat, signature)?;
			tags.push((heartbeat.device, ProofKind::Heartbeat, checked.epoch));
		}
		Self::proof_validity(&tags)
	}

	/// Pool check of [`Pallet::submit_storage_proof`].
	pub fn authorize_storage_proof(
		_source: TransactionSource,
		proof: &StorageProof,
		signature: &DeviceSignature,
	) -> TransactionValidityWithRefund {
		let checked = Self::check_storage_proof(proof, signature)?;
		Self::proof_validity(&[(proof.device, ProofKind::Storage, checked.epoch)])
	}

	/// Records a proof of `kind` by `device` for `epoch` (and the heartbeat's `readings`) and
	/// credits its points: what dispatch of an authorized proof does.
	///
	/// FRAME runs the call's `authorize` check (the full check: signature, stake, challenge,
	/// Merkle paths) on the very state dispatch then sees: `AuthorizeCall` validates every
	/// general transaction again when the block applies it (`TransactionSource::InBlock`),
	/// and only that check can give a call the `Authorized` origin (or Root, through
	/// `dispatch_as`). So dispatch does not verify the signature and paths again. It re-checks
	/// only what the reads it needs to record anyway let it check for free: the current epoch,
	/// an active device whose class owes the kind (for its points), and not delivered yet (in
	/// the record it updates).
	fn record_proof(
		device: &DeviceId,
		epoch: EpochIndex,
		kind: ProofKind,
		readings: Option<depin_primitives::Readings>,
	) -> Result<(), ProofError> {
		let (_, checked) = Self::check_device(device, epoch, kind)?;
		Records::<T>::try_mutate(device, |record| {
			let record = record.get_or_insert_with(Default::default);
			let last = record.last_mut(kind);
			ensure!(*last != Some(epoch), ProofError::AlreadySubmitted);
			*last = Some(epoch);
			if let Some(readings) = readings {
				record.readings = readings;
			}
			Ok(())
		})?;
		if let Err(error) = T::Rewards::note_points(device, checked.epoch, checked.points) {
			log::warn!(target: LOG_TARGET, "points of {device:?} not recorded: {error:?}");
		}
		Ok(())
	}

	/// Records an authorized heartbeat and credits its points (see [`Self::record_proof`]
	/// for what is re-checked).
	pub fn accept_heartbeat(heartbeat: Heartbeat) -> Result<(), ProofError> {
		let Heartbeat { device, epoch, readings, .. } = heartbeat;
		Self::record_proof(&device, epoch, ProofKind::Heartbeat, Some(readings))?;
		Self::deposit_event(Event::HeartbeatAccepted { device, epoch });
		Ok(())
	}

	/// Records an authorized storage proof and credits its points (see
	/// [`Self::record_proof`] for what is re-checked).
	pub fn accept_storage_proof(proof: &StorageProof) -> Result<(), ProofError> {
		let (device, epoch) = (proof.device, proof.epoch);
		Self::record_proof(&device, epoch, ProofKind::Storage, None)?;
		Self::deposit_event(Event::StorageProofAccepted { device, epoch });
		Ok(())
	}

	/// Commits a storage device to a data set; checks everything but the origin.
	pub fn do_commit_storage(
		who: T::AccountId,
		device: DeviceId,
		root: H256,
		leaf_count: u64,
	) -> DispatchResult {
		let summary = T::Devices::device(&device).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(summary.owner == who, Error::<T>::NotOwner);
		ensure!(summary.status.is_active(), Error::<T>::DeviceNotActive);
		let owes_storage =
			T::Devices::class_terms(summary.class).map(|t| t.owes_storage).unwrap_or(false);
		ensure!(owes_storage, Error::<T>::StorageNotOwed);
		ensure!((1..=1u64 << MAX_MERKLE_DEPTH).contains(&leaf_count), Error::<T>::InvalidLeafCount);
		Commitments::<T>::insert(
			device,
			Commitment { root, leaf_count, since: CurrentEpoch::<T>::get() },
		);
		Self::deposit_event(Event::StorageCommitted { device, root, leaf_count });
		Ok(())
	}

	/// Proves and reports an equivocation; checks everything but the origin.
	pub fn do_report_equivocation(
		reporter: T::AccountId,
		device: DeviceId,
		first: (SignedPayload, DeviceSignature),
		second: (SignedPayload, DeviceSignature),
	) -> DispatchResult {
		let summary = T::Devices::device(&device).ok_or(Error::<T>::DeviceNotFound)?;
		let (first, first_signature) = first;
		let (second, second_signature) = second;
		ensure!(
			first.device() == device
				&& second.device() == device
				&& first.epoch() == second.epoch()
				&& first.kind() == second.kind(),
			Error::<T>::NotEquivocation
		);
		ensure!(first != second, Error::<T>::SamePayload);
		let epoch = first.epoch();
		ensure!(
			epoch.saturating_add(T::ReportWindow::get()) >= CurrentEpoch::<T>::get(),
			Error::<T>::ReportTooOld
		);
		let genesis = Self::genesis_hash();
		ensure!(
			summary.key.verify(&first.signing_message(genesis.as_ref()), &first_signature)
				&& summary.key.verify(&second.signing_message(genesis.as_ref()), &second_signature),
			Error::<T>::InvalidSignature
		);

		T::Offences::on_offence(Offence {
			device,
			kind: OffenceKind::Equivocation,
			fraction: T::EquivocationSlash::get(),
			reporter: Some(reporter.clone()),
			epoch,
		})?;
		if summary.status == DeviceStatus::Active {
			T::Devices::suspend(&device, SuspensionReason::Misbehaviour)?;
		}
		Self::deposit_event(Event::EquivocationReported { device, epoch, reporter });
		Ok(())
	}

	/// The closed epochs in a row, up to the last closed one, in which `device` delivered
	/// less than its class owes, counting from the epoch after it became active.
	pub fn missed_epochs(device: &DeviceId) -> Option<EpochIndex> {
		let summary = T::Devices::device(device)?;
		let terms = T::Devices::class_terms(summary.class)?;
		if !terms.owes_heartbeat && !terms.owes_storage {
			return Some(0);
		}
		let current = CurrentEpoch::<T>::get();
		let length: u64 = EpochLength::<T>::get().saturated_into::<u64>().max(1);
		let activated: EpochIndex = (summary.active_since / length).saturated_into::<EpochIndex>();
		let record = Records::<T>::get(device).unwrap_or_default();
		// The last epoch in which everything owed was delivered.
		let last_complete = match (terms.owes_heartbeat, terms.owes_storage) {
			(true, true) => record.last_heartbeat.min(record.last_storage),
			(true, false) => record.last_heartbeat,
			_ => record.last_storage,
		};
		// Missing epochs start after the later of activation and the last complete epoch.
		let streak_start = last_complete.unwrap_or(activated).max(activated).saturating_add(1);
		Some(current.saturating_sub(streak_start))
	}

	/// Suspends (and maybe slashes) an unresponsive device; checks everything but the origin.
	pub fn do_report_unresponsive(reporter: T::AccountId, device: DeviceId) -> DispatchResult {
		let summary = T::Devices::device(&device).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(summary.status.is_active(), Error::<T>::DeviceNotActive);
		let terms = T::Devices::class_terms(summary.class).ok_or(Error::<T>::NothingOwed)?;
		ensure!(terms.owes_heartbeat || terms.owes_storage, Error::<T>::NothingOwed);
		let missed = Self::missed_epochs(&device).unwrap_or_default();
		ensure!(missed >= T::MaxMissedEpochs::get(), Error::<T>::NotUnresponsive);

		T::Devices::suspend(&device, SuspensionReason::Unresponsive)?;
		let fraction = T::UnresponsiveSlash::get();
		if !fraction.is_zero() {
			// No stake, or the same offence reported already: suspension stands regardless.
			let _ = T::Offences::on_offence(Offence {
				device,
				kind: OffenceKind::Unresponsive,
				fraction,
				reporter: Some(reporter),
				epoch: CurrentEpoch::<T>::get(),
			});
		}
		Self::deposit_event(Event::DeviceUnresponsive { device, missed });
		Ok(())
	}

	/// The weight of checking a heartbeat (in the pool, and again in the block).
	pub fn heartbeat_check_weight(signature: &DeviceSignature) -> Weight {
		match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::check_heartbeat_ed25519(),
			DeviceSignature::Sr25519(_) => T::WeightInfo::check_heartbeat_sr25519(),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::check_heartbeat_ecdsa(),
			DeviceSignature::P256(_) => T::WeightInfo::check_heartbeat_p256(),
		}
	}

	/// The weight of checking a batch: for each scheme present, the batch check of that
	/// many items (what items share, the epoch, seed and class, is paid once per scheme).
	pub fn batch_check_weight(batch: &HeartbeatBatch<T>) -> Weight {
		let mut counts = [0u32; 4];
		for (_, signature) in batch.iter() {
			let slot = match signature {
				DeviceSignature::Ed25519(_) => 0,
				DeviceSignature::Sr25519(_) => 1,
				DeviceSignature::Ecdsa(_) => 2,
				DeviceSignature::P256(_) => 3,
			};
			counts[slot] = counts[slot].saturating_add(1);
		}
		let weights: [fn(u32) -> Weight; 4] = [
			T::WeightInfo::check_heartbeats_ed25519,
			T::WeightInfo::check_heartbeats_sr25519,
			T::WeightInfo::check_heartbeats_ecdsa,
			T::WeightInfo::check_heartbeats_p256,
		];
		counts
			.iter()
			.zip(weights)
			.filter(|(count, _)| **count > 0)
			.fold(Weight::zero(), |total, (count, weight)| total.saturating_add(weight(*count)))
	}

	/// The weight of checking a storage proof: its signature's scheme, at the depth of its
	/// longest Merkle path (no path hashes more than its length).
	pub fn storage_proof_check_weight(proof: &StorageProof, signature: &DeviceSignature) -> Weight {
		let depth =
			proof.leaves.iter().map(|leaf| leaf.path.len() as u32).max().unwrap_or_default();
		match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::check_storage_proof_ed25519(depth),
			DeviceSignature::Sr25519(_) => T::WeightInfo::check_storage_proof_sr25519(depth),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::check_storage_proof_ecdsa(depth),
			DeviceSignature::P256(_) => T::WeightInfo::check_storage_proof_p256(depth),
		}
	}

	/// The weight of [`Pallet::report_equivocation`]: the costlier of the two signatures'
	/// schemes (both are the device's, so they match unless the report is malformed).
	pub fn equivocation_weight(first: &DeviceSignature, second: &DeviceSignature) -> Weight {
		let of = |signature: &DeviceSignature| match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::report_equivocation_ed25519(),
			DeviceSignature::Sr25519(_) => T::WeightInfo::report_equivocation_sr25519(),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::report_equivocation_ecdsa(),
			DeviceSignature::P256(_) => T::WeightInfo::report_equivocation_p256(),
		};
		of(first).max(of(second))
	}
}
