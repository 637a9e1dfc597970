//! Types of the reward pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// The emission schedule and split, set at genesis and by governance.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct EmissionParams<Balance> {
	/// Emission of each epoch of the current year (a year of [`Self::epochs_per_year`]
	/// epochs). Each new year multiplies it by `1 − yearly_decay`, rounding down.
	pub epoch_emission: Balance,
	/// The fraction by which the per-epoch emission falls each year.
	pub yearly_decay: Perbill,
	/// Epochs per year: the decay applies at epochs `y × epochs_per_year`.
	pub epochs_per_year: u32,
	/// Total issuance never exceeds this: an epoch's emission is cut to what remains under it.
	pub cap: Balance,
	/// Share of each epoch's emission for devices, by points.
	pub device_share: Perbill,
	/// Share for validators, by blocks authored in the epoch.
	pub validator_share: Perbill,
}

/// The device pool of a closed epoch, while its rewards can be claimed.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EpochPool<Balance> {
	/// The devices' share of the epoch's emission (held by the pallet's pot).
	pub pool: Balance,
	/// All points earned in the epoch.
	pub points: u128,
	/// What has been claimed from it.
	pub paid: Balance,
}

/// What a closed epoch minted, and where it went.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct EpochEmission<Balance> {
	/// The epoch's emission, after the cap.
	pub total: Balance,
	/// To the device pool.
	pub devices: Balance,
	/// To validators.
	pub validators: Balance,
	/// To the treasury (its share, and whatever could not go elsewhere).
	pub treasury: Balance,
}

/// How many pools [`crate::OpenPools`] may list: the claim window's, and the one closing.
pub struct OpenPoolsLen<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> frame_support::traits::Get<u32> for OpenPoolsLen<T> {
	fn get() -> u32 {
		T::ClaimWindow::get().saturating_add(1)
	}
}
