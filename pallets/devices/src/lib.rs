//! # Devices pallet
//!
//! The device registry of the DePIN chain: which devices exist, under which key and class, who
//! owns them, where they are, and whether they may work.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for calls, storage, events and errors, and [`Config`] for the
//! configuration trait. Other pallets read the registry through
//! [`depin_primitives::DeviceRegistry`].
//!
//! ## Overview
//!
//! - **Identity.** A device holds its own keypair ([`DeviceKey`]: Ed25519, Sr25519, ECDSA
//!   secp256k1 or P-256). Its id is `blake2_256(SCALE(key))`. To register, the device proves possession
//!   of its key by signing `"depin/v1/register" ‖ genesis_hash ‖ owner` (see
//!   [`depin_primitives::signing_message`]): the signature is bound to this chain, this purpose
//!   and this owner, so it cannot be replayed elsewhere or by someone else. A key registers once;
//!   its record stays after deregistration (status `Retired`), so it can never be registered
//!   again and the device's history keeps resolving to its owner.
//! - **Classes.** Governance keeps a table of device classes ([`Pallet::set_class`]): name,
//!   minimum stake, reward weight, the proofs owed each epoch, and whether registration is open.
//!   A new class needs no runtime upgrade.
//! - **Deposits.** Registering holds [`Config::DeviceDeposit`] plus [`Config::DepositPerByte`]
//!   for each metadata byte from the owner, so whoever stores data pays for it; updating
//!   re-computes it, deregistering releases it.
//! - **Lifecycle.** Owners update, transfer and deregister their devices; governance suspends
//!   and resumes them (the proof pallet also suspends unresponsive devices). A device with stake
//!   bonded or unbonding can be neither transferred nor deregistered: stake is its owner's
//!   commitment and must be unbonded first.
//! - **Recovery.** A device signs a proof of possession only for the owner it was provisioned
//!   for, but if someone else registered it first (a front-run, or a device provisioned for
//!   another owner), the key's holder takes it back: [`Pallet::request_recovery`] with the
//!   key's signature over `"depin/v1/recover" ‖ genesis_hash ‖ (device, new owner, nonce)`,
//!   then, [`Config::RecoveryDelay`] blocks later, [`Pallet::complete_recovery`] by anyone.
//!   Its own domain tag keeps a registration proof (public in the chain's history) from ever
//!   serving as a recovery proof, and the nonce, incremented by every request, keeps a used
//!   recovery proof from taking a device back after it changed hands. The current owner cannot
//!   stop a recovery (only governance can cancel one); they get back their stake and deposit.
//!
//! ## Low Level / Implementation Details
//!
//! Devices are keyed by id with `Blake2_128Concat` (ids are hashes of keys that users choose and
//! could grind); classes with `Twox64Concat` (governance chooses class ids). The owner index
//! ([`OwnedDevices`], one entry per device under its owner, with a count per owner in
//! [`OwnerDeviceCount`]) lists each owner's devices that are not retired, however many; clients
//! page through it ([`Pallet::devices_of`]);
//! counters per status, network-wide and per class, are kept in O(1) for statistics. No call or
//! hook iterates over devices.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod try_state;
pub mod types;
pub mod weights;

use depin_primitives::{ClassId, DeviceId, DeviceKey, DeviceSignature, SuspensionReason};
use frame_support::traits::fungible;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::devices";

/// The balance type of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A class as stored.
pub type ClassInfoOf<T> = ClassInfo<BalanceOf<T>, <T as Config>::MaxClassNameLen>;

/// A device as stored.
pub type DeviceInfoOf<T> = DeviceInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxMetadataLen,
>;

/// A pending recovery as stored.
pub type PendingRecoveryOf<T> = PendingRecovery<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// Metadata as a call takes it.
pub type MetadataOf<T> = frame_support::BoundedVec<u8, <T as Config>::MaxMetadataLen>;

type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use depin_primitives::StakeInfo;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the devices pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency the storage deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason, which includes this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that manages the class table (governance).
		type ClassOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that suspends and resumes devices (governance).
		type SuspendOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Stake behind devices: a device with stake cannot be transferred or deregistered.
		type StakeInfo: StakeInfo<BalanceOf<Self>>;

		/// Deposit held for each registered device.
		#[pallet::constant]
		type DeviceDeposit: Get<BalanceOf<Self>>;

		/// Deposit held for each byte of a device's metadata.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Longest device metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Longest class name, in bytes.
		#[pallet::constant]
		type MaxClassNameLen: Get<u32>;

		/// The current epoch (the epoch a class's new terms hold from).
		type Epochs: depin_primitives::EpochProvider;

		/// Blocks after which the owner of a device suspended as unresponsive may resume it.
		#[pallet::constant]
		type ResumeCooldown: Get<BlockNumberFor<Self>>;

		/// What other pallets keep of a device, dropped when it retires (and what may hold the
		/// retirement back: rewards not yet claimed).
		type OnRetire: depin_primitives::OnDeviceRetired;

		/// Blocks between a recovery request and its completion: long enough for everyone
		/// (governance included) to see it; the device's current owner cannot stop it.
		#[pallet::constant]
		type RecoveryDelay: Get<BlockNumberFor<Self>>;

		/// The makers' registry, which checks the evidence of attested registrations
		/// ([`Pallet::register_attested_device`]).
		type Attestation: depin_primitives::DeviceAttestation;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a registered device.
		#[codec(index = 0)]
		DeviceDeposit,
	}

	/// The class table. `Twox64Concat`: class ids are chosen by governance.
	#[pallet::storage]
	pub type Classes<T: Config> = StorageMap<_, Twox64Concat, ClassId, ClassInfoOf<T>>;

	/// Every device ever registered, retired ones included. `Blake2_128Concat`: ids are hashes
	/// of keys users choose, which they could grind to unbalance the trie.
	#[pallet::storage]
	pub type Devices<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, DeviceInfoOf<T>>;

	/// The devices (not retired) of each owner, one entry each, so that an owner may hold any
	/// number of them and adding or removing one costs the same whatever the fleet's size.
	/// `Blake2_128Concat` on both keys: accounts and device ids are user-chosen. Iterated by
	/// owner, in the order of the devices' hashed keys ([`Pallet::devices_of`] pages it).
	#[pallet::storage]
	pub type OwnedDevices<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		DeviceId,
		(),
		OptionQuery,
	>;

	/// How many devices (not retired) each owner holds: the size of its part of
	/// [`OwnedDevices`]. No entry for an owner of none.
	#[pallet::storage]
	pub type OwnerDeviceCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Devices per status, network-wide.
	#[pallet::storage]
	pub type DeviceCounts<T: Config> = StorageValue<_, StatusCounts, ValueQuery>;

	/// Devices per status, per class. `Twox64Concat`: class ids are chosen by governance.
	#[pallet::storage]
	pub type ClassCounts<T: Config> =
		StorageMap<_, Twox64Concat, ClassId, StatusCounts, ValueQuery>;

	/// The nonce the next recovery proof of each device must carry; every recovery request
	/// increments it, so that no recovery proof counts twice. `Blake2_128Concat`: device ids
	/// are user-influenced.
	#[pallet::storage]
	pub type RecoveryNonces<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, u32, ValueQuery>;

	/// When each suspended device was suspended (for the owner's cool-down before resuming a
	/// device suspended as unresponsive).
	#[pallet::storage]
	pub type SuspendedAt<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, BlockNumberFor<T>>;

	/// Recoveries requested and not yet completed or cancelled.
	#[pallet::storage]
	pub type PendingRecoveries<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, PendingRecoveryOf<T>>;

	/// Genesis: the initial class table.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The classes (their terms hold from epoch 0).
		pub classes: Vec<GenesisClass<BalanceOf<T>>>,
		/// Devices active from genesis: owner, key, class (benchmark and test networks). The
		/// chain spec vouches for the keys, so no proof of possession is asked; each device's
		/// deposit is held from its owner, who must be funded in the balances genesis.
		pub devices: Vec<(T::AccountId, DeviceKey, ClassId)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for class in &self.classes {
				let id = class.id;
				assert!(!Classes::<T>::contains_key(id), "class {id} defined twice");
				let name: BoundedVec<u8, T::MaxClassNameLen> =
					class.name.clone().try_into().expect("class name longer than MaxClassNameLen");
				let info = ClassInfo {
					name,
					min_stake: class.min_stake,
					reward_weight: class.reward_weight,
					owes: class.owes,
					open: class.open,
					min_data_chunks: class.min_data_chunks,
					telemetry: class
						.telemetry
						.clone()
						.try_into()
						.expect("more declared metrics than MAX_READINGS"),
					telemetry_weight: class.telemetry_weight,
					attestation: class.attestation,
					usage: class.usage,
					since: 0,
				};
				Pallet::<T>::ensure_valid_class(&info).expect("invalid genesis class");
				Classes::<T>::insert(id, info);
			}
			for (owner, key, class) in &self.devices {
				assert!(
					Classes::<T>::contains_key(class),
					"genesis device of unknown class {class}"
				);
				let id = key.device_id();
				assert!(
					!Devices::<T>::contains_key(id),
					"genesis device refused: DeviceAlreadyRegistered {id:?}"
				);
				Pallet::<T>::store_device(owner.clone(), *key, *class, None, Default::default())
					.expect("genesis device owner cannot pay the deposit");
				Pallet::<T>::index_device(owner, &id);
			}
		}
	}

	/// Events of the devices pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A device was registered.
		DeviceRegistered {
			/// The new device.
			device: DeviceId,
			/// Its owner.
			owner: T::AccountId,
			/// Its class.
			class: ClassId,
		},
		/// A device's location and metadata were updated.
		DeviceUpdated {
			/// The device.
			device: DeviceId,
		},
		/// A device changed owner.
		DeviceTransferred {
			/// The device.
			device: DeviceId,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// A device was deregistered (retired); its deposit was released.
		DeviceDeregistered {
			/// The device.
			device: DeviceId,
			/// Its (last) owner.
			owner: T::AccountId,
		},
		/// A device was suspended; it earns nothing until resumed.
		DeviceSuspended {
			/// The device.
			device: DeviceId,
			/// Why.
			reason: SuspensionReason,
		},
		/// A suspended device was resumed.
		DeviceResumed {
			/// The device.
			device: DeviceId,
			/// Who resumed it: its owner (a device suspended as unresponsive, after the
			/// cool-down), or governance (`None`).
			by_owner: Option<T::AccountId>,
		},
		/// A class was created or changed.
		ClassSet {
			/// The class.
			class: ClassId,
		},
		/// The holder of a device's key asked to take the device to `new_owner`.
		RecoveryRequested {
			/// The device.
			device: DeviceId,
			/// Who is to own it.
			new_owner: T::AccountId,
			/// The block from which the recovery can be completed.
			due: BlockNumberFor<T>,
		},
		/// A device was recovered by its key's holder.
		DeviceRecovered {
			/// The device.
			device: DeviceId,
			/// Whoever owned it before.
			from: T::AccountId,
			/// Its owner now.
			to: T::AccountId,
		},
		/// A pending recovery was cancelled by governance.
		RecoveryCancelled {
			/// The device.
			device: DeviceId,
		},
	}

	/// Errors of the devices pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No class with this id.
		ClassNotFound,
		/// The class is closed for registration.
		ClassClosed,
		/// A class needs a name.
		EmptyClassName,
		/// A class's terms contradict themselves: a metric declared twice or with its
		/// minimum above its maximum, a data set minimum of zero chunks, or a paid service
		/// with no price.
		InvalidClassTerms,
		/// The location is not a valid H3 cell index.
		InvalidLocation,
		/// This key is already registered (possibly retired: keys register once).
		DeviceAlreadyRegistered,
		/// No device with this id.
		DeviceNotFound,
		/// Only the device's owner may do this.
		NotOwner,
		/// The device is retired.
		DeviceRetired,
		/// The proof of possession is not the device key's signature of
		/// `"depin/v1/register" ‖ genesis_hash ‖ owner`.
		InvalidProofOfPossession,
		/// The deposit could not be held (not enough free balance).
		CannotHoldDeposit,
		/// The device has stake bonded or unbonding; unbond and withdraw it first.
		DeviceHasStake,
		/// The device is not active (already suspended, or retired).
		DeviceNotActive,
		/// The device is not suspended.
		DeviceNotSuspended,
		/// A device cannot be transferred to its owner.
		TransferToSelf,
		/// The recovery proof is not the device key's signature of
		/// `"depin/v1/recover" ‖ genesis_hash ‖ (device, new owner, the device's recovery
		/// nonce)`.
		InvalidRecoveryProof,
		/// The caller owns the device already.
		AlreadyOwner,
		/// No recovery of this device is pending.
		NoRecoveryPending,
		/// The class requires its devices to be attested by their maker: register with
		/// `register_attested_device`.
		AttestationRequired,
		/// The recovery's delay has not passed yet.
		RecoveryNotDue,
		/// An owner may resume only a device suspended as unresponsive (never one suspended
		/// for misbehaviour or by governance).
		NotResumableByOwner,
		/// The cool-down after a suspension for unresponsiveness has not passed yet.
		CooldownNotOver,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxClassNameLen::get() > 0, "MaxClassNameLen must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a device under the caller's account.
		///
		/// `proof_of_possession` is the device key's signature of
		/// `"depin/v1/register" ‖ genesis_hash ‖ SCALE(caller)`. Holds the storage deposit
		/// ([`Config::DeviceDeposit`] plus [`Config::DepositPerByte`] per metadata byte).
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the future owner.
		///
		/// ## Errors
		///
		/// - [`Error::ClassNotFound`], [`Error::ClassClosed`]: the class is unknown or closed.
		/// - [`Error::InvalidLocation`]: `location` is not an H3 cell.
		/// - [`Error::DeviceAlreadyRegistered`]: the key was registered before.
		/// - [`Error::InvalidProofOfPossession`]: the signature does not verify.
		/// - [`Error::CannotHoldDeposit`]: the owner cannot pay the deposit.
		/// - [`Error::AttestationRequired`]: the class requires attestation
		///   ([`Pallet::register_attested_device`]).
		///
		/// ## Events
		///
		/// [`Event::DeviceRegistered`].
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::register_weight(key, metadata.len() as u32))]
		pub fn register_device(
			origin: OriginFor<T>,
			key: DeviceKey,
			class: ClassId,
			location: Option<u64>,
			metadata: MetadataOf<T>,
			proof_of_possession: DeviceSignature,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register(owner, key, class, location, metadata, proof_of_possession, None)
				.map(|_| ())
		}

		/// Replaces a device's location and metadata, and re-computes its deposit (held from
		/// the owner from now on).
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::DeviceRetired`].
		/// - [`Error::InvalidLocation`]: `location` is not an H3 cell.
		/// - [`Error::CannotHoldDeposit`]: the owner cannot pay the new deposit.
		///
		/// ## Events
		///
		/// [`Event::DeviceUpdated`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_device(metadata.len() as u32))]
		pub fn update_device(
			origin: OriginFor<T>,
			device: DeviceId,
			location: Option<u64>,
			metadata: MetadataOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, device, location, metadata)
		}

		/// Gives a device to another account. The deposit stays held from whoever paid it
		/// until the device is updated or deregistered.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::DeviceRetired`].
		/// - [`Error::TransferToSelf`]: `new_owner` already owns it.
		/// - [`Error::DeviceHasStake`]: stake is bonded or unbonding behind the device.
		///
		/// ## Events
		///
		/// [`Event::DeviceTransferred`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::transfer_device())]
		pub fn transfer_device(
			origin: OriginFor<T>,
			device: DeviceId,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_transfer(who, device, new_owner)
		}

		/// Retires a device and releases its deposit. The key can never be registered again
		/// (only its holder can bring it back, by recovery). What other pallets keep of it (its
		/// proof record and storage commitments, its reward entries) is dropped; its unclaimed
		/// rewards are paid to the owner first.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::DeviceRetired`].
		/// - [`Error::DeviceHasStake`]: stake is bonded or unbonding behind the device.
		/// - An error of the payout of its unclaimed rewards (none in practice: the reward pot
		///   holds every unclaimed epoch's pool).
		///
		/// ## Events
		///
		/// [`Event::DeviceDeregistered`].
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::deregister_device()
				.saturating_add(<T::OnRetire as depin_primitives::OnDeviceRetired>::retire_weight())
		)]
		pub fn deregister_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who, device)
		}

		/// Creates or changes a device class. Changes apply to existing devices at once (for
		/// example a higher minimum stake makes under-staked devices stop earning); `since` is
		/// set to the current epoch whatever `params` says, and the proof pallet gives the
		/// class's devices a grace period from it before they can be reported unresponsive.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::ClassOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::EmptyClassName`]: the name is empty.
		/// - [`Error::InvalidClassTerms`]: the terms contradict themselves.
		///
		/// ## Events
		///
		/// [`Event::ClassSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_class())]
		pub fn set_class(
			origin: OriginFor<T>,
			class: ClassId,
			params: ClassInfoOf<T>,
		) -> DispatchResult {
			T::ClassOrigin::ensure_origin(origin)?;
			Self::ensure_valid_class(&params)?;
			let mut params = params;
			// The new terms hold from now; devices get a grace period before they can be
			// reported unresponsive under them (the proof pallet reads `since`).
			params.since = <T::Epochs as depin_primitives::EpochProvider>::current_epoch();
			Classes::<T>::insert(class, params);
			Self::deposit_event(Event::ClassSet { class });
			Ok(())
		}

		/// Suspends an active device: it earns nothing until resumed.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::SuspendOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`].
		/// - [`Error::DeviceNotActive`]: the device is suspended or retired already.
		///
		/// ## Events
		///
		/// [`Event::DeviceSuspended`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::suspend_device())]
		pub fn suspend_device(
			origin: OriginFor<T>,
			device: DeviceId,
			reason: SuspensionReason,
		) -> DispatchResult {
			T::SuspendOrigin::ensure_origin(origin)?;
			Self::do_suspend(device, reason)
		}

		/// Resumes a suspended device: governance resumes any; the owner resumes their own
		/// device suspended as unresponsive, once [`Config::ResumeCooldown`] blocks have passed
		/// since it was suspended (downtime costs the epochs missed and the cool-down, not the
		/// device; a device suspended for misbehaviour or by governance stays so until
		/// governance decides).
		///
		/// ## Dispatch Origin
		///
		/// [`Config::SuspendOrigin`] (governance), or signed by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`].
		/// - [`Error::DeviceNotSuspended`]: the device is not suspended.
		/// - [`Error::NotOwner`]: signed by another account than the owner.
		/// - [`Error::NotResumableByOwner`], [`Error::CooldownNotOver`]: the owner may not
		///   resume it (yet).
		///
		/// ## Events
		///
		/// [`Event::DeviceResumed`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::resume_device())]
		pub fn resume_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			if T::SuspendOrigin::ensure_origin(origin.clone()).is_ok() {
				return Self::do_resume(device, None);
			}
			let owner = ensure_signed(origin)?;
			Self::do_resume(device, Some(owner))
		}

		/// Asks to take a device to the caller's account, with the device key's recovery proof:
		/// its signature of `"depin/v1/recover" ‖ genesis_hash ‖ SCALE((device, caller,
		/// nonce))`, where `nonce` is the device's [`RecoveryNonces`] entry. For the key's
		/// true holder when someone else registered the device (a registration front-run, or
		/// a device provisioned for another owner). Holds [`Config::DeviceDeposit`] from the
		/// caller (the device's deposit once recovered). The recovery can be completed
		/// [`Config::RecoveryDelay`] blocks later, whatever the current owner does; a new
		/// request (only the key's holder can sign one) replaces a pending one.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the account that is to own the device.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::AlreadyOwner`].
		/// - [`Error::InvalidRecoveryProof`]: the signature does not verify (a registration
		///   proof, or a recovery proof with a used nonce, never does).
		/// - [`Error::CannotHoldDeposit`].
		///
		/// ## Events
		///
		/// [`Event::RecoveryRequested`].
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::recovery_weight(recovery_proof))]
		pub fn request_recovery(
			origin: OriginFor<T>,
			device: DeviceId,
			recovery_proof: DeviceSignature,
		) -> DispatchResult {
			let new_owner = ensure_signed(origin)?;
			Self::do_request_recovery(new_owner, device, recovery_proof)
		}

		/// Completes a recovery whose delay has passed: the device is the requester's, active
		/// again if it was retired, with no location or metadata, and owes proofs from the next
		/// epoch. Its previous owner gets their storage deposit back, and their bond starts
		/// unbonding (slashable for the device's offences until it unlocks, then theirs to
		/// withdraw; the new owner bonds once it is gone). Rewards not yet claimed go to
		/// whoever claims them later, so the new owner.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by anyone.
		///
		/// ## Errors
		///
		/// - [`Error::NoRecoveryPending`], [`Error::RecoveryNotDue`].
		/// - [`Error::ClassClosed`]: the device was retired and its class no longer takes
		///   devices.
		/// - The staking pallet's `TooManyUnbondingChunks`: the previous owner has the most
		///   unbonding chunks (they unlock over time).
		///
		/// ## Events
		///
		/// [`Event::DeviceRecovered`].
		#[pallet::call_index(8)]
		#[pallet::weight(
			T::WeightInfo::complete_recovery()
				.saturating_add(T::StakeInfo::unbond_for_recovery_weight())
		)]
		pub fn complete_recovery(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_complete_recovery(device)
		}

		/// Cancels a pending recovery (for example one made with a key that leaked) and
		/// releases the requester's deposit.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::SuspendOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::NoRecoveryPending`].
		///
		/// ## Events
		///
		/// [`Event::RecoveryCancelled`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::cancel_recovery())]
		pub fn cancel_recovery(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			T::SuspendOrigin::ensure_origin(origin)?;
			Self::do_cancel_recovery(device)
		}

		/// Registers a device with its maker's attestation: as [`Pallet::register_device`],
		/// plus `evidence` that the key was generated inside a chip of an admitted maker (an
		/// X.509 chain up to the maker's root, or its compact certificate; `docs/devices.md`).
		/// Needed for a class whose terms require attestation; allowed for any. Onboarding
		/// uses a unit of the maker's quota and holds its deposit.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the future owner.
		///
		/// ## Errors
		///
		/// - Those of [`Pallet::register_device`] (but `AttestationRequired`).
		/// - The makers pallet's: `UnknownMaker`, `MakerRevoked`, `QuotaExhausted`,
		///   `MakerCannotPayDeposit`, the chain's (`EmptyChain`, `MalformedCertificate`,
		///   `LeafKeyMismatch`, `IssuerMismatch`, `UnknownRoot`, `NotACa`,
		///   `CertificateNotYetValid`, `CertificateExpired`, `UnsupportedAlgorithm`,
		///   `UnsupportedKey`, `BadCertificateSignature`, `CertificateRevoked`) and the compact
		///   certificate's (`NoCompactKey`, `BadCompactSignature`).
		///
		/// ## Events
		///
		/// [`Event::DeviceRegistered`], and the makers pallet's `DeviceAttested`.
		#[pallet::call_index(10)]
		#[pallet::weight(
			Pallet::<T>::register_weight(key, metadata.len() as u32).saturating_add(
				<T::Attestation as depin_primitives::DeviceAttestation>::attest_weight(evidence)
			)
		)]
		pub fn register_attested_device(
			origin: OriginFor<T>,
			key: DeviceKey,
			class: ClassId,
			location: Option<u64>,
			metadata: MetadataOf<T>,
			proof_of_possession: DeviceSignature,
			evidence: depin_primitives::attestation::AttestationEvidence,
		) -> DispatchResultWithPostInfo {
			let owner = ensure_signed(origin)?;
			let register = Self::register_weight(&key, metadata.len() as u32);
			let attest = Self::do_register(
				owner,
				key,
				class,
				location,
				metadata,
				proof_of_possession,
				Some(&evidence),
			)?;
			Ok(Some(register.saturating_add(attest)).into())
		}
	}
}
