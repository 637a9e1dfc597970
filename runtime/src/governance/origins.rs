//! The origins of the referendum tracks: each is what a referendum on its track dispatches
//! with once approved, and each of our pallets' privileges accepts the one of its track (and
//! Root). Shaped as Polkadot's `pallet_custom_origins`, with one addition: the divisor of the
//! tracks' periods on development networks ([`pallet_custom_origins::DevPeriodDivisor`]).

pub use pallet_custom_origins::*;

/// The pallet that declares the tracks' origins, and how much shorter the tracks' periods are
/// on a development network. No calls.
#[frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::{Balance, DPN};
	use frame_support::pallet_prelude::*;

	/// Nothing to configure.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// On development and test networks only: every period of every track (preparation,
	/// decision, confirmation, enactment) is divided by this, to one block at least, so that a
	/// referendum passes in blocks rather than days (`docs/governance.md`). Set at genesis and
	/// by no call; a production genesis leaves it unset and its tracks keep their periods.
	#[pallet::storage]
	pub type DevPeriodDivisor<T> = StorageValue<_, u32, OptionQuery>;

	/// The divisor of a development network's track periods (none on production networks).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// See [`DevPeriodDivisor`]; `None` (or 1) keeps the tracks' periods.
		pub dev_period_divisor: Option<u32>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(divisor) = self.dev_period_divisor.filter(|d| *d > 1) {
				DevPeriodDivisor::<T>::put(divisor);
			}
		}
	}

	/// The origin of a referendum approved on a track other than root.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Dispatches a call the technical committee whitelisted (`Whitelist`).
		WhitelistedCaller,
		/// Device classes and their terms, makers and their quotas.
		DeviceAdmin,
		/// Slashes by decision, suspension and resumption of devices, cancelling slashes.
		SlashAdmin,
		/// Admission and removal of validators.
		ValidatorAdmin,
		/// The emission schedule.
		EmissionAdmin,
		/// Treasury spends up to [`TREASURER_SPEND_LIMIT`] at once.
		Treasurer,
		/// Cancels an ongoing referendum (its deposits returned): the way out of a malicious
		/// referendum while the root track is busy deciding it.
		ReferendumCanceller,
	}

	/// The most one treasury spend approved on the treasurer track may pay.
	pub const TREASURER_SPEND_LIMIT: Balance = 10_000_000 * DPN;

	macro_rules! decl_unit_ensures {
		( $( $name:ident ),* $(,)? ) => { $(
			#[doc = concat!("Ensures the origin is [`Origin::", stringify!($name), "`].")]
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$name => Ok(()),
						r => Err(O::from(r)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)* };
	}
	decl_unit_ensures!(
		WhitelistedCaller,
		DeviceAdmin,
		SlashAdmin,
		ValidatorAdmin,
		EmissionAdmin,
		Treasurer,
		ReferendumCanceller
	);

	/// Ensures a treasury spender: the treasurer track, up to [`TREASURER_SPEND_LIMIT`].
	pub struct Spender;
	impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for Spender {
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			o.into().and_then(|o| match o {
				Origin::Treasurer => Ok(TREASURER_SPEND_LIMIT),
				r => Err(O::from(r)),
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}
}
