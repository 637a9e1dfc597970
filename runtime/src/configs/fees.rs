//! Where transaction fees go, and how the fee multiplier follows block fullness.

use crate::{AccountId, Balance, Balances, Runtime, MICRO_DPN};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		Imbalance, OnUnbalanced,
	},
};
use pallet_transaction_payment::{Multiplier, TargetedFeeAdjustment};
use sp_runtime::{traits::Bounded, FixedPointNumber, Perquintill};

parameter_types! {
	/// Fee per byte of transaction: one micro-DPN, so a 200-byte transfer pays 0.0002 DPN for
	/// its length.
	pub const TransactionByteFee: Balance = MICRO_DPN;
	/// The fee multiplier rises while blocks are fuller than this, falls while emptier.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier moves: at most about 30% per hour of full blocks.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// The multiplier never falls below a tenth, so spam always costs something.
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	/// No upper bound: sustained congestion keeps raising the price.
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

/// The fee multiplier update of Polkadot's relay chain, with its parameters.
pub type SlowAdjustingFeeUpdate<R> = TargetedFeeAdjustment<
	R,
	TargetBlockFullness,
	AdjustmentVariable,
	MinimumMultiplier,
	MaximumMultiplier,
>;

/// Percent of fees (tips excluded) that goes to the treasury; the rest goes to the author.
pub const TREASURY_FEE_PERCENT: u32 = 80;

/// Splits fees: [`TREASURY_FEE_PERCENT`] to the treasury account, the rest and every tip to
/// the block author. A share that cannot be paid (no author known, or an account that cannot
/// receive it) goes to the treasury; if the treasury cannot take it either, it is burned.
pub struct DealWithFees;

impl OnUnbalanced<Credit<AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = Credit<AccountId, Balances>>) {
		let Some(fees) = fees_then_tips.next() else { return };
		let (to_treasury, mut to_author) =
			fees.ration(TREASURY_FEE_PERCENT, 100 - TREASURY_FEE_PERCENT);
		for tip in fees_then_tips {
			tip.merge_into(&mut to_author);
		}
		let unpaid = match pallet_authorship::Pallet::<Runtime>::author() {
			Some(author) => Balances::resolve(&author, to_author).err(),
			None => Some(to_author),
		};
		let mut to_treasury = to_treasury;
		if let Some(unpaid) = unpaid {
			unpaid.merge_into(&mut to_treasury);
		}
		// Dropping a credit that the treasury cannot take burns it.
		let _ = Balances::resolve(&crate::accounts::treasury(), to_treasury);
	}
}
