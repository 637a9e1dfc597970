//! # Rewards pallet
//!
//! What makes people deploy hardware: every closed epoch mints a known amount, shared among the
//! devices that proved work, the validators that produced blocks, and the treasury.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for calls, storage, events and errors, and [`Config`] for the
//! configuration trait. The proof pallet feeds it through [`depin_primitives::RewardPoints`];
//! `pallet-authorship` tells it who authored each block.
//!
//! ## Overview
//!
//! - **Schedule.** Each epoch of year `y` (a year is [`EmissionParams::epochs_per_year`]
//!   epochs) emits `E_y`, with `E_{y+1} = ⌊E_y × (1 − yearly_decay)⌋`: an exponential decay in
//!   yearly steps, exact to the planck. Total issuance never passes
//!   [`EmissionParams::cap`]: an epoch's emission is cut to what remains under it.
//! - **Split.** `device_share` of the emission goes to the device pool, `validator_share` to
//!   the validators by blocks authored in the epoch, the rest to the treasury. A device pool
//!   with no points at all, a validator pool with no blocks, and rounding dust go to the
//!   treasury, so every epoch mints exactly its emission.
//! - **Claims.** Points arrive per device and epoch. At each close the pallet records the
//!   epoch's device pool and total points in O(1) and mints the pool into its pot account.
//!   [`Pallet::claim_rewards`] pays a device's owner `pool × points / total points` for each of
//!   its unclaimed closed epochs (at most [`Config::MaxClaimEpochs`] per call); anyone may call
//!   it. Rewards unclaimed after [`Config::ClaimWindow`] epochs expire: what is left of the
//!   epoch's pool goes to the treasury.
//! - **Slashed or suspended devices.** Points are earned by proofs the chain accepted, and
//!   only an active device bonded at its class minimum can get a proof accepted. Points already
//!   earned in an epoch stand if the device is later suspended, slashed or retired in it; it
//!   earns no new ones meanwhile. A retired device's rewards still go to its (last) owner.
//!
//! ## Low Level / Implementation Details
//!
//! Points are stored per (device, epoch) and counted per epoch as they arrive, so closing an
//! epoch never looks at devices. A claim reads at most `MaxClaimEpochs` of the device's own
//! entries and as many epoch pools: its cost depends on neither the number of devices nor the
//! age of the chain. A device keeps at most `ClaimWindow + 1` entries: noting points also drops
//! its entry that has just expired.

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

use depin_primitives::{DeviceId, EpochIndex, Points};
use frame_support::traits::fungible;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::rewards";

/// The balance type of the rewarded currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use depin_primitives::{DeviceRegistry, EpochProvider};
	use frame_support::{pallet_prelude::*, PalletId};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the rewards pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency rewards are minted in.
		type Currency: fungible::Mutate<Self::AccountId>;

		/// The device registry: who owns a device, to be paid.
		type Devices: DeviceRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The current epoch.
		type Epochs: EpochProvider;

		/// The origin that sets the emission (governance).
		type EmissionOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The treasury account.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// The id of the pot account that holds device pools until they are claimed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Epochs a closed epoch's rewards can be claimed for.
		#[pallet::constant]
		type ClaimWindow: Get<EpochIndex>;

		/// Most epochs one claim pays.
		#[pallet::constant]
		type MaxClaimEpochs: Get<u32>;

		/// Most block authors counted in one epoch (the validator set's bound).
		#[pallet::constant]
		type MaxAuthors: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Prepares benchmark state this pallet does not own (registered devices).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	/// The emission schedule and split.
	#[pallet::storage]
	pub type Emission<T: Config> = StorageValue<_, EmissionParams<BalanceOf<T>>, OptionQuery>;

	/// Where the decay stands: the year of the current rate.
	#[pallet::storage]
	pub type EmissionYear<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Points per device and epoch, until claimed or expired: under the slot `epoch mod
	/// (ClaimWindow + 1)`, the epoch and its points. Noting points for an epoch overwrites the
	/// slot's entry of `ClaimWindow + 1` epochs before, which has expired: a device never has
	/// more than `ClaimWindow + 1` entries, claimed or not. `Blake2_128Concat` for the
	/// user-influenced device id, `Twox64Concat` for the slot. [`Pallet::points_of`] reads it.
	#[pallet::storage]
	pub type DevicePoints<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DeviceId, Twox64Concat, u32, (EpochIndex, Points)>;

	/// All points earned in each epoch not yet closed (normally only the current one).
	#[pallet::storage]
	pub type EpochPoints<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, u128, ValueQuery>;

	/// The device pools of closed epochs, while they can be claimed.
	#[pallet::storage]
	pub type EpochPools<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, EpochPool<BalanceOf<T>>>;

	/// The epochs that have a pool in [`EpochPools`], oldest first: what expiry walks, so
	/// that epochs without blocks (which have no pool) cost nothing to skip. At most
	/// `ClaimWindow + 1`.
	#[pallet::storage]
	pub type OpenPools<T: Config> =
		StorageValue<_, BoundedVec<EpochIndex, OpenPoolsLen<T>>, ValueQuery>;

	/// Blocks authored by each validator in the current epoch.
	#[pallet::storage]
	pub type AuthoredBlocks<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, u32), T::MaxAuthors>, ValueQuery>;

	/// The last closed epoch: its index, all points earned in it, and what it minted (for
	/// network statistics).
	#[pallet::storage]
	pub type LastClosedEpoch<T: Config> =
		StorageValue<_, (EpochIndex, u128, BalanceOf<T>), OptionQuery>;

	/// Everything this pallet ever minted.
	#[pallet::storage]
	pub type TotalEmitted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Everything that expired unclaimed (or was rounding dust) and went to the treasury.
	#[pallet::storage]
	pub type TotalExpired<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Genesis: the emission schedule.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The schedule; `None` mints nothing until governance sets one.
		pub emission: Option<EmissionParams<BalanceOf<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = self.emission {
				Pallet::<T>::ensure_valid(&params).expect("invalid genesis emission");
				Emission::<T>::put(params);
			}
		}
	}

	/// Events of the rewards pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An epoch closed: its emission was minted and split.
		EpochClosed {
			/// The epoch.
			epoch: EpochIndex,
			/// All points earned in it.
			points: u128,
			/// What it minted.
			emission: BalanceOf<T>,
		},
		/// A device's rewards were paid to its owner.
		RewardsClaimed {
			/// The device.
			device: DeviceId,
			/// Its owner, who was paid.
			owner: T::AccountId,
			/// The amount.
			amount: BalanceOf<T>,
			/// How many epochs it paid (expired entries dropped on the way are not counted).
			epochs: u32,
		},
		/// What was left of an expired pool could not be moved to the treasury (the pot held less
		/// than it owed: an invariant broken); it stays in the pot.
		ExpiryFailed {
			/// The epoch of the pool.
			epoch: EpochIndex,
			/// What was to be moved.
			amount: BalanceOf<T>,
			/// Why it could not be.
			error: sp_runtime::DispatchError,
		},
		/// What was left of an expired epoch's device pool went to the treasury.
		RewardsExpired {
			/// The epoch.
			epoch: EpochIndex,
			/// The amount.
			amount: BalanceOf<T>,
		},
		/// Governance set the emission.
		EmissionSet,
	}

	/// Errors of the rewards pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No device with this id.
		DeviceNotFound,
		/// The device has no rewards to claim (none earned, or all expired, or its epochs
		/// have not closed yet).
		NothingToClaim,
		/// An epoch year needs at least one epoch.
		ZeroEpochsPerYear,
		/// The device and validator shares add up to more than everything.
		SharesAboveOne,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxClaimEpochs::get() >= 1, "MaxClaimEpochs must be at least 1");
			assert!(T::ClaimWindow::get() >= 1, "ClaimWindow must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// Read-only queries, callable by any client through the `RuntimeViewFunction` API
	/// (`DepinApi` offers the same for the `depin_*` RPC).
	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Everything `device` can claim now, and over how many closed epochs (one claim pays
		/// at most [`Config::MaxClaimEpochs`] of them).
		pub fn claimable(device: DeviceId) -> (BalanceOf<T>, u32) {
			Self::pending_rewards(&device)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pays `device`'s owner its rewards for every unclaimed closed epoch still in the
		/// claim window, looking at up to [`Config::MaxClaimEpochs`] of its entries; drops the
		/// expired ones it meets (a claim that only drops expired entries succeeds and pays 0,
		/// so a device idle for longer than the window is never stuck behind them).
		///
		/// ## Dispatch Origin
		///
		/// Signed, by anyone (the owner is paid, whoever calls).
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`].
		/// - [`Error::NothingToClaim`].
		///
		/// ## Events
		///
		/// [`Event::RewardsClaimed`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim_rewards(T::MaxClaimEpochs::get()))]
		pub fn claim_rewards(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim(device)
		}

		/// Sets the emission schedule and split, from the next epoch close on.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::EmissionOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::ZeroEpochsPerYear`], [`Error::SharesAboveOne`].
		///
		/// ## Events
		///
		/// [`Event::EmissionSet`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_emission())]
		pub fn set_emission(
			origin: OriginFor<T>,
			params: EmissionParams<BalanceOf<T>>,
		) -> DispatchResult {
			T::EmissionOrigin::ensure_origin(origin)?;
			Self::ensure_valid(&params)?;
			Emission::<T>::put(params);
			// The rate given is the current year's.
			EmissionYear::<T>::put(Self::year_of(T::Epochs::current_epoch(), &params));
			Self::deposit_event(Event::EmissionSet);
			Ok(())
		}
	}
}

/// Prepares benchmark state that this pallet does not own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Registers a device owned by `owner`; returns its id.
	fn device(owner: &AccountId, min_stake: Balance) -> DeviceId;
	/// Makes `epoch` the current epoch.
	fn set_epoch(epoch: EpochIndex);
}
