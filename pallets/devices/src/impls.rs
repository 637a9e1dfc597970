//! The work behind the calls, and the registry as other pallets see it.

use crate::{
	pallet::*, BalanceOf, ClassInfoOf, DeviceInfo, DeviceInfoOf, MetadataOf, PendingRecovery,
	WeightInfo, LOG_TARGET,
};
use depin_primitives::{
	signing_message, ClassId, ClassTerms, DeviceId, DeviceKey, DeviceRegistry, DeviceSignature,
	DeviceStatus, DeviceSummary, H3Cell, RecoveryPayload, SigningDomain, StakeInfo,
	SuspensionReason,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, Get},
};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash: what every device signature is bound to.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(
			frame_system::pallet_prelude::BlockNumberFor::<T>::zero(),
		)
	}

	/// The exact bytes a device signs to prove possession of its key for `owner`.
	pub fn registration_message(owner: &T::AccountId) -> alloc::vec::Vec<u8> {
		signing_message(SigningDomain::Register, Self::genesis_hash().as_ref(), owner)
	}

	/// The deposit for a device with `metadata_len` bytes of metadata.
	pub fn deposit_for(metadata_len: usize) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (metadata_len as u32).into();
		T::DeviceDeposit::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// The weight of registering `key` with `metadata_len` bytes: signature schemes differ.
	pub fn register_weight(key: &DeviceKey, metadata_len: u32) -> Weight {
		match key {
			DeviceKey::Ed25519(_) => T::WeightInfo::register_device_ed25519(metadata_len),
			DeviceKey::Sr25519(_) => T::WeightInfo::register_device_sr25519(metadata_len),
			DeviceKey::Ecdsa(_) => T::WeightInfo::register_device_ecdsa(metadata_len),
			DeviceKey::P256(_) => T::WeightInfo::register_device_p256(metadata_len),
		}
	}

	/// The weight of a recovery request with `proof`: signature schemes differ.
	pub fn recovery_weight(proof: &DeviceSignature) -> Weight {
		match proof {
			DeviceSignature::Ed25519(_) => T::WeightInfo::request_recovery_ed25519(),
			DeviceSignature::Sr25519(_) => T::WeightInfo::request_recovery_sr25519(),
			DeviceSignature::Ecdsa(_) => T::WeightInfo::request_recovery_ecdsa(),
			DeviceSignature::P256(_) => T::WeightInfo::request_recovery_p256(),
		}
	}

	/// The exact bytes a device signs to hand itself to `new_owner` by recovery, with its
	/// current recovery nonce.
	pub fn recovery_message(device: &DeviceId, new_owner: &T::AccountId) -> alloc::vec::Vec<u8> {
		let payload = RecoveryPayload {
			device: *device,
			new_owner: new_owner.clone(),
			nonce: RecoveryNonces::<T>::get(device),
		};
		signing_message(SigningDomain::Recover, Self::genesis_hash().as_ref(), &payload)
	}

	/// Checks what a class must satisfy.
	pub fn ensure_valid_class(class: &ClassInfoOf<T>) -> DispatchResult {
		ensure!(!class.name.is_empty(), Error::<T>::EmptyClassName);
		let ranges_valid = class.telemetry.iter().enumerate().all(|(i, range)| {
			range.min <= range.max
				&& !class.telemetry[..i].iter().any(|other| other.metric == range.metric)
		});
		ensure!(
			ranges_valid
				&& class.min_data_chunks >= 1
				&& class.usage.is_none_or(|usage| usage.credits_per_unit > 0),
			Error::<T>::InvalidClassTerms
		);
		Ok(())
	}

	fn location(location: Option<u64>) -> Result<Option<H3Cell>, Error<T>> {
		location.map(|index| H3Cell::new(index).ok_or(Error::<T>::InvalidLocation)).transpose()
	}

	/// The device `id`, if `who` owns it and it is not retired.
	fn owned(who: &T::AccountId, id: &DeviceId) -> Result<DeviceInfoOf<T>, DispatchError> {
		let device = Devices::<T>::get(id).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(&device.owner == who, Error::<T>::NotOwner);
		ensure!(device.status != DeviceStatus::Retired, Error::<T>::DeviceRetired);
		Ok(device)
	}

	fn has_stake(id: &DeviceId) -> bool {
		!T::StakeInfo::bonded(id).is_zero() || !T::StakeInfo::unbonding(id).is_zero()
	}

	fn hold_deposit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&HoldReason::DeviceDeposit.into(), who, amount)
			.map_err(|_| Error::<T>::CannotHoldDeposit.into())
	}

	fn release_deposit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		// `Exact`: the hold was made by this pallet for exactly this amount; anything else is
		// an invariant violation that must fail the call rather than release less.
		T::Currency::release(&HoldReason::DeviceDeposit.into(), who, amount, Precision::Exact)
			.map(|_| ())
	}

	fn count(class: ClassId, from: Option<&DeviceStatus>, to: Option<&DeviceStatus>) {
		let update = |counts: &mut crate::StatusCounts| {
			if let Some(status) = from {
				counts.remove(status);
			}
			if let Some(status) = to {
				counts.add(status);
			}
		};
		DeviceCounts::<T>::mutate(update);
		ClassCounts::<T>::mutate(class, update);
	}

	/// Registers a device; checks everything but the origin.
	///
	/// With `evidence`, the maker's attestation is checked last (the costliest check) and the
	/// device onboarded; a class that requires attestation refuses a registration without it.
	/// Returns the weight the attestation used.
	pub fn do_register(
		owner: T::AccountId,
		key: DeviceKey,
		class: ClassId,
		location: Option<u64>,
		metadata: MetadataOf<T>,
		proof_of_possession: DeviceSignature,
		evidence: Option<&depin_primitives::attestation::AttestationEvidence>,
	) -> Result<sp_runtime::Weight, DispatchError> {
		use depin_primitives::{AttestationPolicy, DeviceAttestation};
		let class_info = Classes::<T>::get(class).ok_or(Error::<T>::ClassNotFound)?;
		ensure!(class_info.open, Error::<T>::ClassClosed);
		ensure!(
			evidence.is_some() || class_info.attestation == AttestationPolicy::Open,
			Error::<T>::AttestationRequired
		);
		let location = Self::location(location)?;
		ensure!(!Devices::<T>::contains_key(key.device_id()), Error::<T>::DeviceAlreadyRegistered);
		ensure!(
			key.verify(&Self::registration_message(&owner), &proof_of_possession),
			Error::<T>::InvalidProofOfPossession
		);
		Self::store_device(owner.clone(), key, class, location, metadata)?;
		Self::index_device(&owner, &key.device_id());
		match evidence {
			Some(evidence) => T::Attestation::attest(&key.device_id(), &key, class, evidence),
			None => Ok(sp_runtime::Weight::zero()),
		}
	}

	/// Adds `id` to `owner`'s devices in the owner index (nothing if it is there already).
	pub(crate) fn index_device(owner: &T::AccountId, id: &DeviceId) {
		if !OwnedDevices::<T>::contains_key(owner, id) {
			OwnedDevices::<T>::insert(owner, id, ());
			OwnerDeviceCount::<T>::mutate(owner, |count| *count = count.saturating_add(1));
		}
	}

	/// Removes `id` from `owner`'s devices in the owner index (nothing if it is not there).
	pub(crate) fn unindex_device(owner: &T::AccountId, id: &DeviceId) {
		if OwnedDevices::<T>::take(owner, id).is_some() {
			OwnerDeviceCount::<T>::mutate_exists(owner, |count| {
				*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
			});
		}
	}

	/// At most `limit` of `owner`'s devices (not retired), in the owner index's order (by the
	/// hash of each device id), starting after the device `start_after` (from the first if
	/// `None`). A client pages through a fleet by passing the last id of a page as the next
	/// page's `start_after`; a page shorter than `limit` is the last. Reads `limit` entries at
	/// most: for clients (the runtime API), never called on chain.
	pub fn devices_of(
		owner: &T::AccountId,
		start_after: Option<DeviceId>,
		limit: u32,
	) -> alloc::vec::Vec<DeviceId> {
		let iter = match start_after {
			Some(after) => OwnedDevices::<T>::iter_key_prefix_from(
				owner,
				OwnedDevices::<T>::hashed_key_for(owner, after),
			),
			None => OwnedDevices::<T>::iter_key_prefix(owner),
		};
		iter.take(limit as usize).collect()
	}

	/// Stores an admitted device, active from now, and holds its deposit from `owner`
	/// (registration once everything is checked, and genesis); the caller adds it to the
	/// owner's list.
	pub(crate) fn store_device(
		owner: T::AccountId,
		key: DeviceKey,
		class: ClassId,
		location: Option<H3Cell>,
		metadata: MetadataOf<T>,
	) -> DispatchResult {
		let id = key.device_id();
		let deposit = Self::deposit_for(metadata.len());
		Self::hold_deposit(&owner, deposit)?;

		let status = DeviceStatus::Active;
		let now = frame_system::Pallet::<T>::block_number();
		Devices::<T>::insert(
			id,
			DeviceInfo {
				owner: owner.clone(),
				key,
				class,
				status,
				location,
				metadata,
				depositor: owner.clone(),
				deposit,
				registered_at: now,
				active_since: now,
			},
		);
		Self::count(class, None, Some(&status));

		log::debug!(target: LOG_TARGET, "device {id:?} registered by {owner:?} in class {class}");
		Self::deposit_event(Event::DeviceRegistered { device: id, owner, class });
		Ok(())
	}

	/// Updates a device's location and metadata; checks everything but the origin.
	pub fn do_update(
		who: T::AccountId,
		id: DeviceId,
		location: Option<u64>,
		metadata: MetadataOf<T>,
	) -> DispatchResult {
		let mut device = Self::owned(&who, &id)?;
		let location = Self::location(location)?;

		// The deposit is re-computed and held from the owner, who now pays for the storage.
		let deposit = Self::deposit_for(metadata.len());
		Self::release_deposit(&device.depositor, device.deposit)?;
		Self::hold_deposit(&who, deposit)?;

		device.location = location;
		device.metadata = metadata;
		device.depositor = who;
		device.deposit = deposit;
		Devices::<T>::insert(id, device);
		Self::deposit_event(Event::DeviceUpdated { device: id });
		Ok(())
	}

	/// Transfers a device; checks everything but the origin.
	pub fn do_transfer(who: T::AccountId, id: DeviceId, new_owner: T::AccountId) -> DispatchResult {
		let mut device = Self::owned(&who, &id)?;
		ensure!(who != new_owner, Error::<T>::TransferToSelf);
		ensure!(!Self::has_stake(&id), Error::<T>::DeviceHasStake);
		Self::unindex_device(&who, &id);
		Self::index_device(&new_owner, &id);
		device.owner = new_owner.clone();
		Devices::<T>::insert(id, device);
		Self::deposit_event(Event::DeviceTransferred { device: id, from: who, to: new_owner });
		Ok(())
	}

	/// Retires a device and releases its deposit; checks everything but the origin.
	pub fn do_deregister(who: T::AccountId, id: DeviceId) -> DispatchResult {
		let mut device = Self::owned(&who, &id)?;
		ensure!(!Self::has_stake(&id), Error::<T>::DeviceHasStake);
		<T::OnRetire as depin_primitives::OnDeviceRetired>::can_retire(&id)?;

		Self::release_deposit(&device.depositor, device.deposit)?;
		Self::unindex_device(&who, &id);
		Self::count(device.class, Some(&device.status), Some(&DeviceStatus::Retired));
		SuspendedAt::<T>::remove(id);
		<T::OnRetire as depin_primitives::OnDeviceRetired>::on_retired(&id)?;

		// The record shrinks to what history needs: owner, key and class.
		device.status = DeviceStatus::Retired;
		device.location = None;
		device.metadata = Default::default();
		device.deposit = Zero::zero();
		Devices::<T>::insert(id, device);
		Self::deposit_event(Event::DeviceDeregistered { device: id, owner: who });
		Ok(())
	}

	/// Suspends an active device; a device suspended for another reason than misbehaviour is
	/// re-suspended for misbehaviour (it outranks the others: its owner may resume a device
	/// suspended as unresponsive, never one that misbehaved).
	pub fn do_suspend(id: DeviceId, reason: SuspensionReason) -> DispatchResult {
		Devices::<T>::try_mutate(id, |device| -> DispatchResult {
			let device = device.as_mut().ok_or(Error::<T>::DeviceNotFound)?;
			let escalates = reason == SuspensionReason::Misbehaviour
				&& matches!(device.status, DeviceStatus::Suspended(r) if r != reason);
			ensure!(
				device.status == DeviceStatus::Active || escalates,
				Error::<T>::DeviceNotActive
			);
			let suspended = DeviceStatus::Suspended(reason);
			Self::count(device.class, Some(&device.status), Some(&suspended));
			device.status = suspended;
			Ok(())
		})?;
		SuspendedAt::<T>::insert(id, frame_system::Pallet::<T>::block_number());
		log::info!(target: LOG_TARGET, "device {id:?} suspended: {reason:?}");
		Self::deposit_event(Event::DeviceSuspended { device: id, reason });
		Ok(())
	}

	/// Resumes a suspended device, for governance (`by_owner` is `None`) or for its owner
	/// (a device suspended as unresponsive, after the cool-down).
	pub fn do_resume(id: DeviceId, by_owner: Option<T::AccountId>) -> DispatchResult {
		Devices::<T>::try_mutate(id, |device| -> DispatchResult {
			let device = device.as_mut().ok_or(Error::<T>::DeviceNotFound)?;
			let DeviceStatus::Suspended(reason) = device.status else {
				return Err(Error::<T>::DeviceNotSuspended.into());
			};
			if let Some(owner) = &by_owner {
				ensure!(&device.owner == owner, Error::<T>::NotOwner);
				ensure!(reason == SuspensionReason::Unresponsive, Error::<T>::NotResumableByOwner);
				let since = SuspendedAt::<T>::get(id).unwrap_or_default();
				let now = frame_system::Pallet::<T>::block_number();
				ensure!(
					now >= since.saturating_add(T::ResumeCooldown::get()),
					Error::<T>::CooldownNotOver
				);
			}
			Self::count(device.class, Some(&device.status), Some(&DeviceStatus::Active));
			device.status = DeviceStatus::Active;
			device.active_since = frame_system::Pallet::<T>::block_number();
			Ok(())
		})?;
		SuspendedAt::<T>::remove(id);
		Self::deposit_event(Event::DeviceResumed { device: id, by_owner });
		Ok(())
	}
}

/// Recovery: the holder of a device's key takes the device back.
impl<T: Config> Pallet<T> {
	/// Records a recovery request; checks everything but the origin.
	pub fn do_request_recovery(
		new_owner: T::AccountId,
		id: DeviceId,
		proof: DeviceSignature,
	) -> DispatchResult {
		let device = Devices::<T>::get(id).ok_or(Error::<T>::DeviceNotFound)?;
		ensure!(
			device.owner != new_owner || device.status == DeviceStatus::Retired,
			Error::<T>::AlreadyOwner
		);
		ensure!(
			device.key.verify(&Self::recovery_message(&id, &new_owner), &proof),
			Error::<T>::InvalidRecoveryProof
		);
		let deposit = Self::deposit_for(0);
		Self::hold_deposit(&new_owner, deposit)?;
		if let Some(replaced) = PendingRecoveries::<T>::take(id) {
			Self::release_deposit(&replaced.new_owner, replaced.deposit)?;
		}
		RecoveryNonces::<T>::mutate(id, |nonce| *nonce = nonce.saturating_add(1));
		let due = frame_system::Pallet::<T>::block_number().saturating_add(T::RecoveryDelay::get());
		PendingRecoveries::<T>::insert(
			id,
			PendingRecovery { new_owner: new_owner.clone(), deposit, due },
		);
		log::info!(target: LOG_TARGET, "recovery of {id:?} to {new_owner:?} requested, due {due:?}");
		Self::deposit_event(Event::RecoveryRequested { device: id, new_owner, due });
		Ok(())
	}

	/// Completes a due recovery; checks everything but the origin.
	pub fn do_complete_recovery(id: DeviceId) -> DispatchResult {
		let recovery = PendingRecoveries::<T>::get(id).ok_or(Error::<T>::NoRecoveryPending)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= recovery.due,
			Error::<T>::RecoveryNotDue
		);
		let mut device = Devices::<T>::get(id).ok_or(Error::<T>::DeviceNotFound)?;
		let previous = device.owner.clone();

		if device.status == DeviceStatus::Retired {
			let open = Classes::<T>::get(device.class).is_some_and(|class| class.open);
			ensure!(open, Error::<T>::ClassClosed);
		}
		// The previous owner's bond unbonds as if they had unbonded it (still slashable until
		// it unlocks); their deposit is theirs again.
		T::StakeInfo::unbond_for_recovery(&id)?;
		Self::release_deposit(&device.depositor, device.deposit)?;
		if device.status != DeviceStatus::Retired {
			Self::unindex_device(&previous, &id);
		}
		PendingRecoveries::<T>::remove(id);

		if device.status == DeviceStatus::Retired {
			Self::count(device.class, Some(&device.status), Some(&DeviceStatus::Active));
			device.status = DeviceStatus::Active;
		}
		// The new owner owes proofs from the next epoch, not for the epochs it missed before.
		device.active_since = frame_system::Pallet::<T>::block_number();
		device.owner = recovery.new_owner.clone();
		device.depositor = recovery.new_owner.clone();
		device.deposit = recovery.deposit;
		device.location = None;
		device.metadata = Default::default();
		Devices::<T>::insert(id, device);
		Self::index_device(&recovery.new_owner, &id);
		log::info!(target: LOG_TARGET, "device {id:?} recovered from {previous:?}");
		Self::deposit_event(Event::DeviceRecovered {
			device: id,
			from: previous,
			to: recovery.new_owner,
		});
		Ok(())
	}

	/// Cancels a pending recovery; checks everything but the origin.
	pub fn do_cancel_recovery(id: DeviceId) -> DispatchResult {
		let recovery = PendingRecoveries::<T>::take(id).ok_or(Error::<T>::NoRecoveryPending)?;
		Self::release_deposit(&recovery.new_owner, recovery.deposit)?;
		Self::deposit_event(Event::RecoveryCancelled { device: id });
		Ok(())
	}
}

impl<T: Config> DeviceRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn device(device: &DeviceId) -> Option<DeviceSummary<T::AccountId>> {
		Devices::<T>::get(device).map(|d| DeviceSummary {
			owner: d.owner,
			key: d.key,
			class: d.class,
			status: d.status,
			location: d.location,
			active_since: d.active_since.saturated_into(),
		})
	}

	fn class_terms(class: ClassId) -> Option<ClassTerms<BalanceOf<T>>> {
		Classes::<T>::get(class).map(|c| c.terms())
	}

	fn suspend(device: &DeviceId, reason: SuspensionReason) -> DispatchResult {
		Self::do_suspend(*device, reason)
	}
}

/// What other pallets' benchmarks need from the registry.
#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Registers an active device owned by `owner` (funding it for the deposit) in a class whose
	/// minimum stake is `min_stake`; its key is generated in the keystore, as the runtime's
	/// benchmarks have one. Returns the device's id.
	pub fn benchmark_device(owner: &T::AccountId, min_stake: BalanceOf<T>) -> DeviceId {
		use crate::{ClassInfo, OwedProofs};
		use frame_support::traits::fungible::Mutate;
		use sp_runtime::traits::Bounded;

		const CLASS: ClassId = ClassId::MAX;
		let name = alloc::vec![b'b'; T::MaxClassNameLen::get() as usize];
		Classes::<T>::insert(
			CLASS,
			ClassInfo {
				// The most declared metrics: the worst case of checking telemetry.
				telemetry: BoundedVec::truncate_from(
					(0..depin_primitives::MAX_READINGS as u16)
						.map(|metric| depin_primitives::MetricRange { metric, min: 0, max: 1 })
						.collect::<alloc::vec::Vec<_>>(),
				),
				telemetry_weight: 1,
				..ClassInfo::new(
					name.try_into().expect("exactly MaxClassNameLen bytes; qed"),
					min_stake,
					1,
					OwedProofs { heartbeat: true, storage: false },
					true,
				)
			},
		);
		let deposit = Self::deposit_for(0);
		let balance = <T::Currency as frame_support::traits::fungible::Inspect<_>>::balance(owner);
		if balance < deposit.saturating_mul(2u32.into()) {
			let _ = T::Currency::set_balance(owner, BalanceOf::<T>::max_value() / 4u32.into());
		}
		let key_type = sp_core::crypto::KeyTypeId(*b"dpnb");
		let public = sp_io::crypto::sr25519_generate(key_type, None);
		let signature =
			sp_io::crypto::sr25519_sign(key_type, &public, &Self::registration_message(owner))
				.expect("key generated above; qed");
		let key = DeviceKey::Sr25519(public.0);
		Self::do_register(
			owner.clone(),
			key,
			CLASS,
			None,
			Default::default(),
			DeviceSignature::Sr25519(signature.0),
			None,
		)
		.expect("benchmark device registration succeeds; qed");
		key.device_id()
	}
}
