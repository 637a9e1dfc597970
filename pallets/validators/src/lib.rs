//! # Validators pallet
//!
//! A governance-managed validator set for the DePIN chain.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors, and [`Config`] for the
//! configuration trait.
//!
//! ## Overview
//!
//! Validators of the DePIN chain are admitted by governance, not elected by stake: device
//! operators stake behind devices (`DeviceStaking`), not behind validators. This pallet keeps the
//! set governance wants and hands it to `pallet-session` as its [`SessionManager`]:
//!
//! - [`Pallet::add_validator`] and [`Pallet::remove_validator`] change the wanted set at once.
//!   The change is planned at the next session boundary and the new set authors (BABE) and
//!   votes (GRANDPA) from the session after it, as `pallet-session` queues every new set for one
//!   session so that nodes learn the new keys before they are used.
//! - A candidate must have set its session keys first (`Session::set_keys`), or it could not
//!   author and the session pallet would silently drop it.
//! - The set never drops below [`Config::MinValidators`], so governance cannot halt the chain by
//!   mistake, and never grows past [`Config::MaxValidators`].
//!
//! The pallet also holds the session length, fixed at genesis ([`SessionLength`]): the runtime
//! hands it to BABE as its epoch duration. It is a genesis setting rather than a constant so that
//! dev and test networks can rotate every minute while production rotates every hour, from one
//! runtime; no call changes it, because BABE and the node assume it never changes.
//!
//! ## Low Level / Implementation Details
//!
//! [`Validators`] holds the wanted set; [`SetChanged`] records whether it changed since the set
//! was last handed to the session pallet, so that [`SessionManager::new_session`] returns `None`
//! (keep the current set) in the common case and costs two reads.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use frame_support::traits::{Get, ValidatorRegistration};
use pallet_session::SessionManager;
use sp_staking::SessionIndex;

/// Session length of a genesis that does not set one: one hour of 6-second slots.
pub const DEFAULT_SESSION_LENGTH: u64 = 600;

/// Log target of this pallet (`RUST_LOG=runtime::validators=debug`).
pub const LOG_TARGET: &str = "runtime::validators";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the validators pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The origin that may add and remove validators (governance).
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Tells whether an account has registered session keys (the session pallet).
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;

		/// Validators the set may never drop below.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Validators the set may never grow past.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Prepares benchmark accounts (for example registers their session keys).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validator set governance wants; planned at the next session boundary.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since it was last handed to the session pallet.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Length of a session (and of a BABE epoch) in slots, fixed at genesis.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Genesis configuration: the first validators and the session length.
	///
	/// Every real chain spec lists its validators. The default (no validators) exists for
	/// tooling: the session pallet then starts from its own genesis keys, and the set stays
	/// empty, which `try_state` reports, until governance adds validators.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The validators of the first sessions; each needs keys in the session genesis.
		pub initial_validators: Vec<T::AccountId>,
		/// Length of a session (a BABE epoch) in slots; must be at least 1.
		pub session_length: u64,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { initial_validators: Vec::new(), session_length: DEFAULT_SESSION_LENGTH }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.session_length > 0, "session_length must be at least one slot");
			let mut validators = self.initial_validators.clone();
			validators.sort();
			validators.dedup();
			assert_eq!(
				validators.len(),
				self.initial_validators.len(),
				"initial_validators has duplicates"
			);
			assert!(
				validators.is_empty() || validators.len() >= T::MinValidators::get() as usize,
				"initial_validators has fewer than MinValidators"
			);
			let bounded: BoundedVec<_, T::MaxValidators> = self
				.initial_validators
				.clone()
				.try_into()
				.expect("initial_validators has more than MaxValidators");
			Validators::<T>::put(bounded);
			SessionLength::<T>::put(self.session_length);
		}
	}

	/// Events of the validators pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was added; it authors from the session after the next one.
		ValidatorAdded {
			/// The new validator.
			validator: T::AccountId,
		},
		/// A validator was removed; it stops authoring from the session after the next one.
		ValidatorRemoved {
			/// The removed validator.
			validator: T::AccountId,
		},
		/// The changed set was handed to the session pallet for a session.
		NewSetPlanned {
			/// The session from which the set is active.
			session: SessionIndex,
			/// Number of validators in the set.
			count: u32,
		},
	}

	/// Errors of the validators pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The set is full ([`Config::MaxValidators`]).
		TooManyValidators,
		/// Removing would drop the set below [`Config::MinValidators`].
		TooFewValidators,
		/// The account has not set its session keys (`Session::set_keys`).
		NoSessionKeys,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "MinValidators must be at least 1");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `validator` to the validator set.
		///
		/// The change is planned at the next session boundary; the validator authors from the
		/// session after it.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::AddRemoveOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::AlreadyValidator`]: the account is in the set.
		/// - [`Error::NoSessionKeys`]: the account has no session keys.
		/// - [`Error::TooManyValidators`]: the set is full.
		///
		/// ## Events
		///
		/// [`Event::ValidatorAdded`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			ensure!(T::ValidatorRegistration::is_registered(&validator), Error::<T>::NoSessionKeys);
			Self::do_add_validator(validator)
		}

		/// Removes `validator` from the validator set.
		///
		/// The change is planned at the next session boundary; the validator stops authoring
		/// from the session after it.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::AddRemoveOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::NotValidator`]: the account is not in the set.
		/// - [`Error::TooFewValidators`]: the set would drop below [`Config::MinValidators`].
		///
		/// ## Events
		///
		/// [`Event::ValidatorRemoved`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(validator)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Adds `validator` to the wanted set; checks everything but the origin and the keys.
		pub fn do_add_validator(validator: T::AccountId) -> DispatchResult {
			Validators::<T>::try_mutate(|validators| -> DispatchResult {
				ensure!(!validators.contains(&validator), Error::<T>::AlreadyValidator);
				validators
					.try_push(validator.clone())
					.map_err(|_| Error::<T>::TooManyValidators)?;
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			log::info!(target: LOG_TARGET, "validator {validator:?} added");
			Self::deposit_event(Event::ValidatorAdded { validator });
			Ok(())
		}

		/// Removes `validator` from the wanted set; checks everything but the origin.
		pub fn do_remove_validator(validator: T::AccountId) -> DispatchResult {
			Validators::<T>::try_mutate(|validators| -> DispatchResult {
				let position = validators
					.iter()
					.position(|v| v == &validator)
					.ok_or(Error::<T>::NotValidator)?;
				ensure!(
					validators.len() > T::MinValidators::get() as usize,
					Error::<T>::TooFewValidators
				);
				validators.remove(position);
				Ok(())
			})?;
			SetChanged::<T>::put(true);
			log::info!(target: LOG_TARGET, "validator {validator:?} removed");
			Self::deposit_event(Event::ValidatorRemoved { validator });
			Ok(())
		}

		/// Checks the pallet's invariants.
		///
		/// - The set has no duplicates.
		/// - The set has at least [`Config::MinValidators`] members.
		/// - The session length is at least one slot.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let validators = Validators::<T>::get();
			let mut sorted: Vec<_> = validators.iter().collect();
			sorted.sort();
			sorted.dedup();
			ensure!(sorted.len() == validators.len(), "validator set has duplicates");
			ensure!(
				validators.len() >= T::MinValidators::get() as usize,
				"validator set is below MinValidators"
			);
			ensure!(SessionLength::<T>::get() > 0, "session length is zero");
			Ok(())
		}
	}
}

/// Prepares the state a benchmark needs that this pallet does not own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a registered validator candidate (for example sets its session keys).
	fn register_candidate(who: &AccountId);
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn register_candidate(_: &AccountId) {}
}

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None;
		}
		let validators = Validators::<T>::get().into_inner();
		log::info!(
			target: LOG_TARGET,
			"planning {} validators for session {new_index}",
			validators.len()
		);
		Self::deposit_event(Event::NewSetPlanned {
			session: new_index,
			count: validators.len() as u32,
		});
		Some(validators)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let validators = Validators::<T>::get().into_inner();
		// With no validators configured, the session pallet uses its own genesis keys.
		(!validators.is_empty()).then_some(validators)
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}

/// The session length as a `Get`, for `pallet_babe::Config::EpochDuration`.
pub struct SessionLengthOf<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u64> for SessionLengthOf<T> {
	fn get() -> u64 {
		SessionLength::<T>::get()
	}
}
