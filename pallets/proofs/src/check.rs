//! Checking proofs (shared by the transaction pool and dispatch), accepting them, and the
//! offences.

use crate::{
	pallet::*, Checked, Commitment, HeartbeatBatch, ProofError, SlotClock, WeightInfo, LOG_TARGET,
};
use alloc::collections::btree_set::BTreeSet;
use codec::Encode;
use depin_primitives::{
	challenged_leaves, device_challenge, merkle, signing_message, ClassTerms, DeviceAttestation,
	DeviceId, DeviceRegistry, DeviceSignature, DeviceStatus, DeviceSummary, EpochIndex, Heartbeat,
	Offence, OffenceKind, OnOffence, ProofKind, RewardPoints, SignedPayload, SigningDomain,
	StakeInfo, StorageProof, SuspensionReason, MAX_MERKLE_DEPTH,
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

	/// The chunk indices `device` must answer this epoch, if a commitment of it is in force.
	pub fn current_storage_challenge(device: &DeviceId) -> Option<alloc::vec::Vec<u64>> {
		let commitment = Self::commitment_at(device, CurrentEpoch::<T>::get())?;
		Some(challenged_leaves(
			&Self::current_challenge(device),
			commitment.leaf_count,
			T::LeavesPerChallenge::get(),
		))
	}

	/// The commitment of `device` in force in `epoch`: the latest one if it is in force by
	/// then, else the last superseded one that was (kept for the report window).
	pub fn commitment_at(device: &DeviceId, epoch: EpochIndex) -> Option<Commitment> {
		let latest = Commitments::<T>::get(device)?;
		if latest.since <= epoch {
			return Some(latest);
		}
		CommitmentHistory::<T>::get(device)?.into_iter().rev().find(|c| c.since <= epoch)
	}

	/// Slots left in the current epoch, counting the current one: how long (in blocks, at
	/// most one per slot) a proof may wait in the pool.
	fn blocks_left_in_epoch() -> u64 {
		let length = u64::from(EpochLength::<T>::get().max(1));
		let slot = T::Clock::current_slot();
		let end = Self::epoch_start_slot(CurrentEpoch::<T>::get()).saturating_add(length);
		end.saturating_sub(slot).clamp(1, length)
	}

	/// What holds for any proof of `kind` by `device` for `epoch`, and what recording it needs
	/// to read anyway: the current epoch, a registered, active device whose class owes this
	/// kind. Returns the device, its class's terms and the points the proof earns (before any
	/// telemetry credit).
	fn check_device(
		device: &DeviceId,
		epoch: EpochIndex,
		kind: ProofKind,
	) -> Result<(DeviceSummary<T::AccountId>, ClassTerms<T::Balance>, Checked), ProofError> {
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
		// Attestation, lazily: a revoked maker or certificate takes the device out of earning
		// from the epoch the revocation holds from; a class that requires attestation pays no
		// device without one.
		use depin_primitives::{attestation::AttestationState, AttestationPolicy};
		match T::Attestation::state(device) {
			AttestationState::Revoked { from } if epoch >= from => {
				return Err(ProofError::AttestationRevoked)
			},
			AttestationState::None if terms.attestation == AttestationPolicy::Required => {
				return Err(ProofError::NotAttested)
			},
			_ => {},
		}
		let checked = Checked { epoch, points: terms.reward_weight.into() };
		Ok((summary, terms, checked))
	}

	/// The checks every proof passes: what [`Self::check_device`] checks, then an eligible
	/// stake, the right challenge, not yet delivered.
	fn check_common(
		device: &DeviceId,
		epoch: EpochIndex,
		challenge: &H256,
		kind: ProofKind,
	) -> Result<(DeviceSummary<T::AccountId>, ClassTerms<T::Balance>, Checked), ProofError> {
		let (summary, terms, checked) = Self::check_device(device, epoch, kind)?;
		ensure!(T::Stake::is_eligible(device), ProofError::NotEligible);
		ensure!(challenge == &Self::current_challenge(device), ProofError::WrongChallenge);
		let record = Records::<T>::get(device).unwrap_or_default();
		ensure!(record.last(kind) != Some(epoch), ProofError::AlreadySubmitted);
		Ok((summary, terms, checked))
	}

	/// Checks a heartbeat completely: what [`Self::check_common`] checks, then the signature.
	pub fn check_heartbeat(
		heartbeat: &Heartbeat,
		signature: &DeviceSignature,
	) -> Result<Checked, ProofError> {
		let (device, _, checked) = Self::check_common(
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
		let (device, terms, checked) =
			Self::check_common(&proof.device, proof.epoch, &proof.challenge, ProofKind::Storage)?;
		let commitment =
			Self::commitment_at(&proof.device, checked.epoch).ok_or(ProofError::NoCommitment)?;
		ensure!(commitment.leaf_count >= terms.min_data_chunks, ProofError::DataSetTooSmall);
		ensure!(Self::answers_challenge(proof, &commitment), ProofError::WrongLeaves);
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

	/// Whether `proof` answers exactly the chunk indices its challenge selects against
	/// `commitment`, in order.
	fn answers_challenge(proof: &StorageProof, commitment: &Commitment) -> bool {
		let indices = challenged_leaves(
			&proof.challenge,
			commitment.leaf_count,
			T::LeavesPerChallenge::get(),
		);
		proof.leaves.len() == indices.len()
			&& proof.leaves.iter().zip(&indices).all(|(leaf, index)| leaf.index == *index)
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

	/// Pool check of [`Pallet::submit_heartbeats`], cheapest checks first so that a junk batch
	/// costs the pool as little as possible: a batch whose declared weight cannot fit a block is
	/// refused before anything else (`ExhaustsResources`; this also caps how many P-256 items a
	/// batch may carry); then every item's cheap checks (epoch, device, stake, challenge,
	/// distinct devices); then the signatures of the items still owed. Items delivered
	/// meanwhile (for example copied out of this batch and submitted alone) are skipped, not
	/// refused: a batch with nothing left is refused (`AllDelivered`). The batch provides a tag
	/// of its own (a hash of the items it still owes), not the items' tags, so that the pool
	/// keeps it beside single proofs of the same devices; the block applies whichever comes
	/// first, and the batch records the rest.
	pub fn authorize_heartbeats(
		_source: TransactionSource,
		batch: &HeartbeatBatch<T>,
	) -> TransactionValidityWithRefund {
		if batch.is_empty() {
			return Err(ProofError::EmptyBatch.into());
		}
		let declared = Self::batch_check_weight(batch)
			.saturating_add(T::WeightInfo::submit_heartbeats(batch.len() as u32));
		let limits = <T as frame_system::Config>::BlockWeights::get();
		let normal = limits.get(frame_support::dispatch::DispatchClass::Normal);
		let max = normal.max_extrinsic.or(normal.max_total).unwrap_or(limits.max_block);
		if !declared.all_lte(max) {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		let mut devices = BTreeSet::new();
		let mut owed = alloc::vec::Vec::with_capacity(batch.len());
		for (heartbeat, signature) in batch.iter() {
			if !devices.insert(heartbeat.device) {
				return Err(ProofError::DuplicateInBatch.into());
			}
			match Self::check_common(
				&heartbeat.device,
				heartbeat.epoch,
				&heartbeat.challenge,
				ProofKind::Heartbeat,
			) {
				Ok((device, _, _)) => owed.push((heartbeat, signature, device.key)),
				Err(ProofError::AlreadySubmitted) => {},
				Err(refused) => return Err(refused.into()),
			}
		}
		if owed.is_empty() {
			return Err(ProofError::AllDelivered.into());
		}
		let genesis = Self::genesis_hash();
		for (heartbeat, signature, key) in &owed {
			let message = signing_message(SigningDomain::Heartbeat, genesis.as_ref(), *heartbeat);
			if !key.verify(&message, signature) {
				return Err(ProofError::BadSignature.into());
			}
		}
		let items: alloc::vec::Vec<(DeviceId, EpochIndex)> =
			owed.iter().map(|(heartbeat, _, _)| (heartbeat.device, heartbeat.epoch)).collect();
		ValidTransaction::with_tag_prefix(TAG_PREFIX)
			.priority(T::ProofPriority::get())
			.longevity(Self::blocks_left_in_epoch())
			.propagate(true)
			.and_provides((b"batch", sp_io::hashing::blake2_256(&items.encode())))
			.build()
			.map(|valid| (valid, Weight::zero()))
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
		let (_, terms, mut checked) = Self::check_device(device, epoch, kind)?;
		if let Some(readings) = &readings {
			// Telemetry: out-of-range (or missing) declared metrics cost the credit, not the
			// heartbeat, which still proves the device was up.
			let flagged = terms.flagged_metrics(readings);
			if flagged.is_empty() {
				if !terms.telemetry.is_empty() {
					checked.points = checked.points.saturating_add(terms.telemetry_weight.into());
				}
			} else {
				let metrics = BoundedVec::truncate_from(flagged);
				FlaggedTelemetry::<T>::insert(device, (epoch, metrics.clone()));
				Self::deposit_event(Event::TelemetryFlagged { device: *device, epoch, metrics });
			}
		}
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

	/// Commits a storage device to a data set, in force from the next epoch; checks
	/// everything but the origin.
	///
	/// A commitment counts from the next epoch, so that nobody (the owner included) can change
	/// what an epoch's challenges select once they are known. A second commitment in the same
	/// epoch replaces the first (neither was in force). The one it supersedes is kept in
	/// [`CommitmentHistory`] while a report of an epoch it was in force in can still come.
	pub fn do_commit_storage(
		who: T::AccountId,
		device: DeviceId,
		root: H256,
		leaf_count: u64,
	) -> DispatchResult {
		let summary = T::Devices::device(&device).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(summary.owner == who, Error::<T>::NotOwner);
		ensure!(summary.status.is_active(), Error::<T>::DeviceNotActive);
		let terms = T::Devices::class_terms(summary.class).ok_or(Error::<T>::StorageNotOwed)?;
		ensure!(terms.owes_storage, Error::<T>::StorageNotOwed);
		ensure!((1..=1u64 << MAX_MERKLE_DEPTH).contains(&leaf_count), Error::<T>::InvalidLeafCount);
		ensure!(leaf_count >= terms.min_data_chunks, Error::<T>::DataSetTooSmall);

		let current = CurrentEpoch::<T>::get();
		let since = current.saturating_add(1);
		if let Some(latest) = Commitments::<T>::get(device).filter(|c| c.since < since) {
			Self::keep_superseded(&device, latest, current);
		}
		Commitments::<T>::insert(device, Commitment { root, leaf_count, since });
		Self::deposit_event(Event::StorageCommitted { device, root, leaf_count, since });
		Ok(())
	}

	/// Keeps `superseded` in the device's history, dropping what no proof or report can need
	/// any more: a commitment superseded before the report window of `current` begins.
	fn keep_superseded(device: &DeviceId, superseded: Commitment, current: EpochIndex) {
		let window_start = current.saturating_sub(T::ReportWindow::get());
		CommitmentHistory::<T>::mutate(device, |history| {
			let history = history.get_or_insert_with(Default::default);
			// An entry is needed while the one after it (or `superseded`) came into force
			// after the window began.
			while history.len() >= 2 && history[1].since <= window_start {
				history.remove(0);
			}
			if history.first().is_some_and(|_| superseded.since <= window_start) {
				history.remove(0);
			}
			if history.is_full() {
				history.remove(0);
			}
			// Room was made just above.
			let _ = history.try_push(superseded);
		});
	}

	/// Proves and reports an equivocation; checks everything but the origin, cheap checks
	/// first and signatures last.
	///
	/// An equivocation is two different payloads of one kind, signed by the device for one
	/// epoch that has begun (and is within [`Config::ReportWindow`]), both carrying that
	/// epoch's real challenge for the device (from its seed in [`RecentEpochs`]), and for
	/// storage proofs both answering exactly the indices that challenge selects against the
	/// commitment in force in that epoch. An honest device signs one payload per epoch and
	/// kind for its real challenge, so only a device that lied can be reported: what it signs
	/// for invented challenges, other indices or future epochs proves nothing.
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
		let (epoch, kind) = (first.epoch(), first.kind());
		let current = CurrentEpoch::<T>::get();
		ensure!(epoch <= current, Error::<T>::FutureEpoch);
		ensure!(epoch.saturating_add(T::ReportWindow::get()) >= current, Error::<T>::ReportTooOld);
		let seed = RecentEpochs::<T>::get()
			.into_iter()
			.find(|record| record.index == epoch)
			.map(|record| record.seed)
			.ok_or(Error::<T>::EpochWithoutBlocks)?;
		let challenge = device_challenge(&seed, &device, epoch);
		ensure!(
			first.challenge() == challenge && second.challenge() == challenge,
			Error::<T>::InventedChallenge
		);
		if let (SignedPayload::Storage(a), SignedPayload::Storage(b)) = (&first, &second) {
			let commitment = Self::commitment_at(&device, epoch).ok_or(Error::<T>::WrongIndices)?;
			ensure!(
				Self::answers_challenge(a, &commitment) && Self::answers_challenge(b, &commitment),
				Error::<T>::WrongIndices
			);
		}
		let genesis = Self::genesis_hash();
		ensure!(
			summary.key.verify(&first.signing_message(genesis.as_ref()), &first_signature)
				&& summary.key.verify(&second.signing_message(genesis.as_ref()), &second_signature),
			Error::<T>::InvalidSignature
		);

		// The owner reporting their own device gets no reporter share of its slash.
		let paid_reporter = (reporter != summary.owner).then(|| reporter.clone());
		let slash_id = T::Offences::on_offence(Offence {
			device,
			kind: OffenceKind::Equivocation,
			fraction: T::EquivocationSlash::get(),
			reporter: paid_reporter,
			epoch,
		})?;
		// Suspended for misbehaviour even with nothing to slash; misbehaviour outranks another
		// reason of suspension (the owner may not resume it after a cool-down).
		match summary.status {
			DeviceStatus::Active
			| DeviceStatus::Suspended(SuspensionReason::Unresponsive)
			| DeviceStatus::Suspended(SuspensionReason::Governance) => {
				T::Devices::suspend(&device, SuspensionReason::Misbehaviour)?
			},
			DeviceStatus::Suspended(SuspensionReason::Misbehaviour) | DeviceStatus::Retired => {},
		}
		Self::deposit_event(Event::EquivocationReported {
			device,
			epoch,
			kind,
			reporter,
			slash_id,
		});
		Ok(())
	}

	/// The closed epochs with blocks in a row, up to the last closed one, in which `device`
	/// delivered less than its class owes, counting the epochs that began after it became
	/// active (registered or resumed). Epochs without blocks are nobody's downtime and do not
	/// count. Counted over [`RecentEpochs`], so at most its length minus one (which is at
	/// least [`Config::MaxMissedEpochs`]).
	pub fn missed_epochs(device: &DeviceId) -> Option<EpochIndex> {
		let summary = T::Devices::device(device)?;
		let terms = T::Devices::class_terms(summary.class)?;
		if !terms.owes_heartbeat && !terms.owes_storage {
			return Some(0);
		}
		let record = Records::<T>::get(device).unwrap_or_default();
		// The last epoch in which everything owed was delivered.
		let last_complete = match (terms.owes_heartbeat, terms.owes_storage) {
			(true, true) => record.last_heartbeat.min(record.last_storage),
			(true, false) => record.last_heartbeat,
			_ => record.last_storage,
		};
		let current = CurrentEpoch::<T>::get();
		// A change of the class's terms gives its devices a grace period before misses count
		// (terms from genesis, `since` 0, changed nothing).
		let counted_from = match terms.since {
			0 => 0,
			since => since.saturating_add(T::ClassChangeGrace::get()),
		};
		let missed = RecentEpochs::<T>::get()
			.into_iter()
			.rev()
			.filter(|epoch| epoch.index < current)
			.take_while(|epoch| {
				let started: u64 = epoch.start_block.saturated_into();
				started > summary.active_since
					&& last_complete.is_none_or(|l| epoch.index > l)
					&& epoch.index >= counted_from
			})
			.count();
		Some(missed.saturated_into())
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
		let check = match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::check_heartbeat_ed25519(),
			DeviceSignature::Sr25519(_) => T::WeightInfo::check_heartbeat_sr25519(),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::check_heartbeat_ecdsa(),
			DeviceSignature::P256(_) => T::WeightInfo::check_heartbeat_p256(),
		};
		check.saturating_add(T::Attestation::state_weight())
	}

	/// The weight of reading `items` devices' attestation states (the benchmarks' devices
	/// are not attested, so their figures hold one read of it; this adds the worst case).
	pub fn attestation_weight(items: u32) -> Weight {
		T::Attestation::state_weight().saturating_mul(u64::from(items))
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
			.saturating_add(Self::attestation_weight(batch.len() as u32))
	}

	/// The weight of checking a storage proof: its signature's scheme, at the depth of its
	/// longest Merkle path (no path hashes more than its length).
	pub fn storage_proof_check_weight(proof: &StorageProof, signature: &DeviceSignature) -> Weight {
		let depth =
			proof.leaves.iter().map(|leaf| leaf.path.len() as u32).max().unwrap_or_default();
		let check = match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::check_storage_proof_ed25519(depth),
			DeviceSignature::Sr25519(_) => T::WeightInfo::check_storage_proof_sr25519(depth),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::check_storage_proof_ecdsa(depth),
			DeviceSignature::P256(_) => T::WeightInfo::check_storage_proof_p256(depth),
		};
		check.saturating_add(Self::attestation_weight(1))
	}

	/// The weight of [`Pallet::report_equivocation`]: the costlier of the two signatures'
	/// schemes (both are the device's, so they match unless the report is malformed), for
	/// storage proofs if either payload is one (benchmarked at the largest valid size: every
	/// challenged chunk of the largest size with a path of the greatest depth), else for
	/// heartbeats with the most readings. A payload that carries more than the challenged
	/// chunks is refused before any signature is checked.
	pub fn equivocation_weight(
		first: &SignedPayload,
		first_signature: &DeviceSignature,
		second: &SignedPayload,
		second_signature: &DeviceSignature,
	) -> Weight {
		let storage =
			u32::from(first.kind() == ProofKind::Storage || second.kind() == ProofKind::Storage);
		let of = |signature: &DeviceSignature| match signature {
			DeviceSignature::Ed25519(_) => T::WeightInfo::report_equivocation_ed25519(storage),
			DeviceSignature::Sr25519(_) => T::WeightInfo::report_equivocation_sr25519(storage),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::report_equivocation_ecdsa(storage),
			DeviceSignature::P256(_) => T::WeightInfo::report_equivocation_p256(storage),
		};
		of(first_signature).max(of(second_signature))
	}
}
