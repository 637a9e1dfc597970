//! # Device staking pallet
//!
//! Operator stake behind DePIN devices: owners bond funds behind each device, unbond them over
//! [`Config::UnbondingEpochs`], and lose a fraction of them when the device misbehaves.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for calls, storage, events and errors, and [`Config`] for the
//! configuration trait. Other pallets read stake through [`depin_primitives::StakeInfo`] and
//! report offences through [`depin_primitives::OnOffence`].
//!
//! ## Overview
//!
//! - **Bonding.** [`Pallet::bond`] holds funds on the owner's account (a fungible hold with
//!   [`HoldReason::DeviceStake`]); the funds never leave the account unless slashed. A device is
//!   eligible for rewards only while it is active and its bond meets its class's minimum stake.
//! - **Unbonding.** [`Pallet::unbond`] moves bonded funds into an unbonding chunk that unlocks
//!   [`Config::UnbondingEpochs`] epochs later; [`Pallet::withdraw_unbonded`] releases unlocked
//!   chunks. At most [`Config::MaxUnbondingChunks`] chunks exist at once (unbonding twice in the
//!   same epoch merges).
//! - **Slashing.** Offences arrive through [`OnOffence`] (the proof pallet: equivocation,
//!   forged proofs) or from governance ([`Pallet::force_slash`]). Each becomes a pending slash of
//!   `fraction × (bonded + unbonding − pending)`: slashes compose, a new one takes its fraction
//!   of what the slashes already pending leave, so `k` slashes of fraction `f` take at most
//!   `1 − (1 − f)^k` of the stake, never more than all of it. It is computed when reported and
//!   due [`Config::SlashDeferEpochs`] epochs later, so that governance can
//!   [`Pallet::cancel_slash`] a wrong one. Once due, anyone
//!   applies it with [`Pallet::apply_slash`]; it takes from the bond first, then from unbonding
//!   chunks (no escape by unbonding), pays [`Config::ReporterShare`] to the reporter and the
//!   rest to the treasury. While a slash is pending the device's funds cannot be withdrawn, and
//!   the same offence (device, epoch, kind) cannot be reported twice.
//!
//! ## Low Level / Implementation Details
//!
//! Nothing iterates over devices or slashes: slashes are applied one per call, by whoever wants
//! the reporter reward (or governance), rather than in a hook, so no block ever does unbounded
//! work. Totals of bonded and unbonding stake are kept in O(1) for network statistics.
//! Offence records are keyed by epoch first and pruned with the block's spare weight
//! (`on_idle`) once their epoch has left [`Config::OffenceWindow`], a bounded number of entries
//! per block.

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

use depin_primitives::{DeviceId, EpochIndex, OffenceKind, SlashId};
use frame_support::traits::fungible;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::device-staking";

/// Most offence records one pruning step removes (see [`Pallet::prune_offences`]).
pub const PRUNE_BATCH: u32 = 64;

/// The balance type of the staked currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A ledger as stored.
pub type LedgerOf<T> = StakeLedger<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	<T as Config>::MaxUnbondingChunks,
>;

/// A pending slash as stored.
pub type PendingSlashOf<T> = PendingSlash<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use depin_primitives::{DeviceRegistry, EpochProvider};
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the device staking pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The staked currency: holds for stake, and slashing of held funds.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;

		/// The overarching hold reason, which includes this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// The device registry: owners, status, class minimum stakes.
		type Devices: DeviceRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The current epoch (unbonding and slash deferral count in epochs).
		type Epochs: EpochProvider;

		/// The origin that slashes by decision (governance).
		type SlashOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The origin that cancels a pending slash. It must be able to act within the slash
		/// deferral ([`Config::SlashDeferEpochs`]): in the runtime, the slashes track or a
		/// majority of the technical committee, which can act in hours where a referendum takes
		/// days.
		type CancelSlashOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The account that receives what is slashed, less the reporter's share.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;

		/// Epochs between unbonding and being able to withdraw.
		#[pallet::constant]
		type UnbondingEpochs: Get<EpochIndex>;

		/// Epochs between a slash being reported and being applicable.
		#[pallet::constant]
		type SlashDeferEpochs: Get<EpochIndex>;

		/// Epochs after which an offence can no longer be reported: an offence of epoch `e` is
		/// refused from epoch `e + OffenceWindow + 1` on, and its record is pruned then. Shorter
		/// than [`Config::UnbondingEpochs`], so that the stake is still there when reported.
		#[pallet::constant]
		type OffenceWindow: Get<EpochIndex>;

		/// Share of a slash paid to whoever reported the offence.
		#[pallet::constant]
		type ReporterShare: Get<Perbill>;

		/// Most unbonding chunks a device may have at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Prepares benchmark state this pallet does not own (a registered device, time).
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BalanceOf<Self>>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Stake bonded or unbonding behind a device.
		#[codec(index = 0)]
		DeviceStake,
	}

	/// The stake behind each device. `Blake2_128Concat`: device ids are user-influenced.
	#[pallet::storage]
	pub type Ledgers<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, LedgerOf<T>>;

	/// Slashes reported and neither applied nor cancelled. `Twox64Concat`: ids are sequential.
	#[pallet::storage]
	pub type PendingSlashes<T: Config> = StorageMap<_, Twox64Concat, SlashId, PendingSlashOf<T>>;

	/// How many slashes are pending against each device and how much they will take: its
	/// funds cannot be withdrawn meanwhile, and a new slash takes its fraction of what is left
	/// after them.
	#[pallet::storage]
	pub type PendingSlashTotals<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, PendingTotal<BalanceOf<T>>>;

	/// Offences already reported, by epoch, then device and kind: an offence is recorded (and
	/// slashed) once. `Twox64Concat` for the epoch (a report is refused unless its epoch is in
	/// [`Config::OffenceWindow`]), `Blake2_128Concat` for the user-influenced device id. Keyed
	/// by epoch first so that whole epochs leaving the window are pruned (`on_idle`).
	#[pallet::storage]
	pub type ReportedOffences<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(DeviceId, OffenceKind),
		OffenceRecord,
	>;

	/// The oldest epoch whose offence records may still be stored: every epoch before it has
	/// been pruned.
	#[pallet::storage]
	pub type OffencesPrunedTo<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The id of the next slash.
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Total stake bonded, over all devices.
	#[pallet::storage]
	pub type TotalBonded<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Total stake unbonding, over all devices.
	#[pallet::storage]
	pub type TotalUnbonding<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Genesis: stake bonded behind devices registered at genesis (benchmark and test
	/// networks).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Bonds: the device and the amount, held from the device's registered owner.
		pub bonds: alloc::vec::Vec<(DeviceId, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use depin_primitives::DeviceRegistry;
			for (device, amount) in &self.bonds {
				let owner =
					T::Devices::device(device).expect("genesis bond of an unknown device").owner;
				Pallet::<T>::do_bond(owner, *device, *amount).expect("genesis bond refused");
			}
		}
	}

	/// Events of the device staking pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Funds were bonded behind a device.
		Bonded {
			/// The device.
			device: DeviceId,
			/// Its owner, whose funds are held.
			owner: T::AccountId,
			/// The amount bonded.
			amount: BalanceOf<T>,
		},
		/// Bonded funds started unbonding.
		Unbonded {
			/// The device.
			device: DeviceId,
			/// The amount.
			amount: BalanceOf<T>,
			/// The epoch from which it can be withdrawn.
			unlock_epoch: EpochIndex,
		},
		/// Unlocked funds were released to the owner.
		Withdrawn {
			/// The device.
			device: DeviceId,
			/// Its owner.
			owner: T::AccountId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// An offence was reported; the slash is pending until `apply_at`.
		SlashReported {
			/// The pending slash.
			slash_id: SlashId,
			/// The offending device.
			device: DeviceId,
			/// The amount to slash.
			amount: BalanceOf<T>,
			/// The offence.
			reason: OffenceKind,
			/// The epoch from which the slash can be applied.
			apply_at: EpochIndex,
		},
		/// A slash was applied.
		Slashed {
			/// The slash.
			slash_id: SlashId,
			/// The device.
			device: DeviceId,
			/// The amount taken (less than reported if the stake shrank meanwhile).
			amount: BalanceOf<T>,
			/// The part paid to the reporter.
			reporter_reward: BalanceOf<T>,
		},
		/// A pending slash was cancelled by governance.
		SlashCancelled {
			/// The slash.
			slash_id: SlashId,
		},
		/// An offence was recorded against a device that has nothing left to slash (nothing
		/// bonded or unbonding beyond its pending slashes): no slash, but it cannot be reported
		/// again.
		OffenceRecorded {
			/// The offending device.
			device: DeviceId,
			/// The offence.
			reason: OffenceKind,
			/// The epoch it happened in.
			epoch: EpochIndex,
		},
	}

	/// Errors of the device staking pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No device with this id.
		DeviceNotFound,
		/// Only the device's owner may do this.
		NotOwner,
		/// The device is retired.
		DeviceRetired,
		/// The amount is zero.
		ZeroAmount,
		/// The owner's free balance cannot cover the bond.
		InsufficientBalance,
		/// Less is bonded than asked to unbond.
		InsufficientBond,
		/// The device has [`Config::MaxUnbondingChunks`] unbonding chunks; withdraw first.
		TooManyUnbondingChunks,
		/// No unbonding chunk has unlocked yet.
		NothingToWithdraw,
		/// A slash is pending against the device; its funds stay until it is applied or
		/// cancelled.
		SlashPending,
		/// No pending slash with this id.
		SlashNotFound,
		/// The slash is deferred and not yet applicable.
		SlashNotDue,
		/// The device has no stake to slash.
		NothingToSlash,
		/// This offence (device, epoch, kind) was reported already.
		DuplicateOffence,
		/// A slash must take a non-zero fraction.
		ZeroFraction,
		/// Slash ids are exhausted.
		SlashIdOverflow,
		/// The offence is older than [`Config::OffenceWindow`] epochs.
		OffenceTooOld,
		/// The offence is for an epoch that has not started.
		OffenceInFuture,
		/// The device's ledger holds its previous owner's stake (it changed hands by recovery),
		/// which must unlock first: the new owner bonds once it has (it is then released to the
		/// previous owner), and only that owner may withdraw it.
		PreviousOwnerStake,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Prunes the records of offences that left [`Config::OffenceWindow`], with what is
		/// left of the block's weight (nothing else ever reads them).
		fn on_idle(_now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_offences(remaining)
		}

		fn integrity_test() {
			assert!(T::MaxUnbondingChunks::get() > 0, "MaxUnbondingChunks must be positive");
			assert!(T::UnbondingEpochs::get() > 0, "UnbondingEpochs must be positive");
			assert!(
				T::OffenceWindow::get() < T::UnbondingEpochs::get(),
				"OffenceWindow must be shorter than UnbondingEpochs, or stake escapes reports"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Bonds `amount` of the caller's funds behind `device` (held on the caller's account).
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::DeviceRetired`].
		/// - [`Error::ZeroAmount`]; [`Error::InsufficientBalance`]: the funds are not free.
		///
		/// ## Events
		///
		/// [`Event::Bonded`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::bond())]
		pub fn bond(
			origin: OriginFor<T>,
			device: DeviceId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond(who, device, amount)
		}

		/// Starts unbonding `amount`; it can be withdrawn [`Config::UnbondingEpochs`] epochs
		/// later and stays slashable until then.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`].
		/// - [`Error::ZeroAmount`]; [`Error::InsufficientBond`]: less is bonded.
		/// - [`Error::TooManyUnbondingChunks`].
		///
		/// ## Events
		///
		/// [`Event::Unbonded`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(
			origin: OriginFor<T>,
			device: DeviceId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who, device, amount)
		}

		/// Releases every unbonding chunk of `device` that has unlocked.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`].
		/// - [`Error::SlashPending`]: a slash is pending against the device.
		/// - [`Error::NothingToWithdraw`]: no chunk has unlocked.
		///
		/// ## Events
		///
		/// [`Event::Withdrawn`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded(T::MaxUnbondingChunks::get()))]
		pub fn withdraw_unbonded(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, device)
		}

		/// Reports a slash of `fraction` of `device`'s stake by governance decision, deferred
		/// like any other.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::SlashOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::ZeroFraction`], [`Error::DeviceNotFound`], [`Error::NothingToSlash`].
		/// - [`Error::DuplicateOffence`]: the same kind was reported for the device this epoch.
		///
		/// ## Events
		///
		/// [`Event::SlashReported`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::force_slash())]
		pub fn force_slash(
			origin: OriginFor<T>,
			device: DeviceId,
			fraction: Perbill,
			reason: OffenceKind,
		) -> DispatchResult {
			T::SlashOrigin::ensure_origin(origin)?;
			let offence = depin_primitives::Offence {
				device,
				kind: reason,
				fraction,
				reporter: None,
				epoch: T::Epochs::current_epoch(),
			};
			match Self::do_report_offence(offence)? {
				Some(_) => Ok(()),
				None => Err(Error::<T>::NothingToSlash.into()),
			}
		}

		/// Cancels a pending slash.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::CancelSlashOrigin`] (governance, or the technical committee).
		///
		/// ## Errors
		///
		/// - [`Error::SlashNotFound`]: no such pending slash.
		///
		/// ## Events
		///
		/// [`Event::SlashCancelled`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::cancel_slash())]
		pub fn cancel_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResult {
			T::CancelSlashOrigin::ensure_origin(origin)?;
			Self::do_cancel_slash(slash_id)
		}

		/// Applies a pending slash that is due. Anyone may call: the reporter has a reason to.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by anyone.
		///
		/// ## Errors
		///
		/// - [`Error::SlashNotFound`]: no such pending slash.
		/// - [`Error::SlashNotDue`]: its deferral has not passed.
		///
		/// ## Events
		///
		/// [`Event::Slashed`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::apply_slash(T::MaxUnbondingChunks::get()))]
		pub fn apply_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_apply_slash(slash_id)
		}
	}
}

/// Prepares benchmark state that this pallet does not own.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Registers an active device owned by `owner` in a class with `min_stake`; returns its id.
	fn device(owner: &AccountId, min_stake: Balance) -> DeviceId;
	/// Moves time forward by `epochs` epochs.
	fn advance_epochs(epochs: EpochIndex);
}
