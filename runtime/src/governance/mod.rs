//! On-chain governance, as Polkadot and Kusama run it (OpenGov): `Referenda` on tracks,
//! `ConvictionVoting`, `Scheduler` and `Preimage` for enactment, `Treasury` for spends,
//! `Whitelist` with a small `TechnicalCommittee` that can fast-track what it vouches for. Our
//! code is the glue: the tracks' [`origins`], the [`tracks`] themselves, and which origin each
//! of our pallets' privileges accepts (`configs`). `docs/governance.md` explains the choices.

pub mod origins;
pub mod tracks;

pub use origins::{
	pallet_custom_origins, DeviceAdmin, EmissionAdmin, ReferendumCanceller, SlashAdmin, Spender,
	Treasurer, ValidatorAdmin, WhitelistedCaller,
};
pub use tracks::TracksInfo;

use crate::{
	accounts,
	configs::{RuntimeBlockWeights, TreasuryAccount},
	AccountId, Balance, Balances, BlockNumber, Preimage, Referenda, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, Treasury, DAYS, DPN,
	MILLI_DPN,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use sp_runtime::{traits::IdentityLookup, Perbill, Permill};

/// The technical committee's instance of `pallet-collective`.
pub type TechnicalCollective = pallet_collective::Instance1;

/// More than half of the technical committee.
pub type TechnicalMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, TechnicalCollective, 1, 2>;

/// Root, or a referendum on `Track`'s track.
pub type RootOr<Track> = EitherOf<EnsureRoot<AccountId>, Track>;

/// Who may cancel a pending slash: the slashes track, or a majority of the technical
/// committee, which can act within the 7-epoch deferral where a referendum takes days.
pub type CancelSlashOrigin = EitherOfDiverse<RootOr<SlashAdmin>, TechnicalMajority>;

parameter_types! {
	/// Base deposit of a preimage.
	pub const PreimageBaseDeposit: Balance = DPN;
	/// Deposit per byte of a preimage.
	pub const PreimageByteDeposit: Balance = 10 * MILLI_DPN;
	/// The hold reason of preimage deposits.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Most weight scheduled calls (enacted referenda) may use in a block: 80%.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = crate::OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Only referenda (and Root) schedule: no account schedules calls of its own.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Funds stay locked after a vote for this period times the conviction multiplier's
	/// doubling (1x: 7 days, 6x: 224 days).
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// polkadot-sdk's reference weights until measured here: its benchmarks run with `pallet_referenda`'s polls.
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	// Support is measured against active issuance (what is not deactivated, e.g. the rewards
	// pot's unclaimed pools are still counted).
	type MaxTurnout =
		frame_support::traits::tokens::currency::ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// Checked once per block for referenda whose alarm is due.
	pub const AlarmInterval: BlockNumber = 1;
	/// Deposit of a referendum's submission (returned if it is decided).
	pub const SubmissionDeposit: Balance = 10 * DPN;
	/// A referendum that has not begun deciding within this time times out.
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	// polkadot-sdk's reference weights until measured here: its benchmarks need a genesis without the dev networks' short tracks, and `make weights` benchmarks `--chain dev`.
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	// Cancelling (deposits returned): root or the referendum_canceller track, so a malicious
	// referendum deciding on the root track (one at a time) can be cancelled without waiting
	// for it. Killing (deposits slashed): root only. Never the technical committee: it could
	// veto the very referendum that replaces it.
	type CancelOrigin = RootOr<ReferendumCanceller>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = AlarmInterval;
	type Tracks = TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_custom_origins::Config for Runtime {}

parameter_types! {
	/// A call whitelisted for deferred dispatch expires after this many blocks.
	pub const DeferredDispatchExpiration: BlockNumber = 7 * DAYS;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = EitherOfDiverse<EnsureRoot<AccountId>, TechnicalMajority>;
	type DispatchWhitelistedOrigin = RootOr<WhitelistedCaller>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = DeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

parameter_types! {
	/// A technical committee motion is open for this long.
	pub const TechnicalMotionDuration: BlockNumber = 3 * DAYS;
	/// Most weight a committee motion may dispatch: half a block.
	pub TechnicalMaxProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = TechnicalMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<20>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	// polkadot-sdk's reference weights until measured here: not measured yet.
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Membership changes by root referendum only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = TechnicalMaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

parameter_types! {
	/// The treasury keeps the account fees, slashes and emission have always paid into.
	pub const TreasuryPalletId: PalletId = accounts::TREASURY_PALLET_ID;
	/// Approved spends are paid out once per spend period.
	pub const SpendPeriod: BlockNumber = DAYS;
	/// Nothing is burned at the end of a spend period: emission, not the treasury, sets the
	/// supply.
	pub const TreasuryBurn: Permill = Permill::zero();
	/// A spend must be paid out within this period after it becomes valid.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	/// Root may spend without limit.
	pub const MaxBalance: Balance = Balance::MAX;
}

/// Who may approve a treasury spend, and up to how much.
pub type TreasurySpender = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, Spender>;

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = RootOr<Treasurer>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	// polkadot-sdk's reference weights until measured here: its `payout` benchmark pays a fresh account less than the existential deposit (docs/governance.md).
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = TreasurySpender;
	// DPN only.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}
