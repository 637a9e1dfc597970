//! Types stored by the device staking pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use depin_primitives::{DeviceId, EpochIndex, OffenceKind};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_runtime::traits::{Get, Saturating, Zero};

/// Funds that unlock at an epoch.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct UnbondingChunk<Balance> {
	/// The amount.
	pub value: Balance,
	/// The first epoch in which it can be withdrawn.
	pub unlock_epoch: EpochIndex,
}

/// The stake behind one device.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen))]
// The no-bound derives need the bounds on the parameters as well as on the fields.
#[allow(clippy::multiple_bound_locations)]
pub struct StakeLedger<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Copy + PartialEq + Eq + core::fmt::Debug,
	MaxChunks: Get<u32>,
> {
	/// Whose funds are held (the device's owner; a device with stake cannot change owner).
	pub owner: AccountId,
	/// Bonded, counting towards eligibility.
	pub bonded: Balance,
	/// Unbonding, by unlock epoch (ascending); still slashable.
	pub unbonding: BoundedVec<UnbondingChunk<Balance>, MaxChunks>,
}

impl<AccountId, Balance, MaxChunks> StakeLedger<AccountId, Balance, MaxChunks>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Copy + PartialEq + Eq + core::fmt::Debug + Saturating + Zero + Ord,
	MaxChunks: Get<u32>,
{
	/// An empty ledger of `owner`.
	pub fn new(owner: AccountId) -> Self {
		Self { owner, bonded: Zero::zero(), unbonding: Default::default() }
	}

	/// The total of the unbonding chunks.
	pub fn unbonding_total(&self) -> Balance {
		self.unbonding.iter().fold(Zero::zero(), |sum: Balance, c| sum.saturating_add(c.value))
	}

	/// Bonded plus unbonding: everything held for the device.
	pub fn total(&self) -> Balance {
		self.bonded.saturating_add(self.unbonding_total())
	}

	/// Whether nothing is held any more.
	pub fn is_empty(&self) -> bool {
		self.bonded.is_zero() && self.unbonding.is_empty()
	}

	/// Takes up to `amount` from the bond first, then from the unbonding chunks that unlock
	/// last; returns (taken from bond, taken from unbonding).
	pub fn take(&mut self, amount: Balance) -> (Balance, Balance) {
		let from_bond = amount.min(self.bonded);
		self.bonded = self.bonded.saturating_sub(from_bond);
		let mut rest = amount.saturating_sub(from_bond);
		let mut from_unbonding: Balance = Zero::zero();
		for chunk in self.unbonding.iter_mut().rev() {
			if rest.is_zero() {
				break;
			}
			let taken = rest.min(chunk.value);
			chunk.value = chunk.value.saturating_sub(taken);
			rest = rest.saturating_sub(taken);
			from_unbonding = from_unbonding.saturating_add(taken);
		}
		self.unbonding.retain(|c| !c.value.is_zero());
		(from_bond, from_unbonding)
	}
}

/// A slash reported and not yet applied or cancelled.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingSlash<AccountId, Balance> {
	/// The offending device.
	pub device: DeviceId,
	/// The amount to slash, fixed when reported.
	pub amount: Balance,
	/// The offence.
	pub kind: OffenceKind,
	/// Who reported it, to be paid the reporter share.
	pub reporter: Option<AccountId>,
	/// The epoch the offence happened in.
	pub offence_epoch: EpochIndex,
	/// The first epoch in which it can be applied.
	pub apply_at: EpochIndex,
}

/// The slashes pending against one device: how many, and how much they will take.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingTotal<Balance> {
	/// How many slashes are pending.
	pub count: u32,
	/// What they will take, together.
	pub amount: Balance,
}

/// A reported offence: recorded so that it is never reported twice.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OffenceRecord {
	/// The slash it led to; `None` if the device had nothing left to slash.
	pub slash: Option<depin_primitives::SlashId>,
}
