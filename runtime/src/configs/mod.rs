//! Configuration of every pallet in the runtime, one section per pallet.

mod devices;
mod fees;

pub use devices::*;
pub use fees::{DealWithFees, SlowAdjustingFeeUpdate, TransactionByteFee};

use super::{
	accounts, AccountId, Babe, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, Session, SessionKeys, System, Validators, DPN, MILLISECS_PER_BLOCK, MILLI_DPN,
	SLOT_DURATION, VERSION,
};
use crate::weights::{block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::FungibleAdapter;
use sp_consensus_babe::{AllowedSlots, BabeEpochConfiguration};
use sp_runtime::{
	traits::{ConvertInto, OpaqueKeys},
	Perbill,
};
use sp_version::RuntimeVersion;

/// Smallest balance an account may hold: one thousandth of a DPN.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_DPN;

/// Share of a block's weight and length that normal (non-operational) transactions may use.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Most compute in a block: two seconds of `ref_time`; proof size is not limited (a solochain
/// has no relay-chain bound).
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

/// Largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Probability of a primary (VRF-won) BABE slot per authority: 1/4. Slots nobody wins are
/// filled by a secondary VRF author, so every slot has a block and its VRF randomness.
pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);

/// BABE's epoch configuration at genesis.
pub const BABE_GENESIS_EPOCH_CONFIG: BabeEpochConfiguration = BabeEpochConfiguration {
	c: PRIMARY_PROBABILITY,
	allowed_slots: AllowedSlots::PrimaryAndSecondaryVRFSlots,
};

/// Most validators the chain supports (BABE and GRANDPA authority lists are bounded by it).
pub const MAX_AUTHORITIES: u32 = 100;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per 6-second block, leaving time to propagate and import it; of
	/// which normal transactions may use 75%. An empty block's and each extrinsic's overhead
	/// are the ones measured on the reference machine (`crate::weights`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	/// Blocks of at most 5 MiB, of which normal transactions may fill 75%.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAX_BLOCK_LENGTH
		})
		.build();
	/// The generic Substrate address prefix, until the chain registers its own.
	pub const SS58Prefix: u16 = 42;
}

/// System: our account, hash and block types; ParityDB weights measured on the reference
/// machine (`crate::weights::paritydb_weights`), as the node uses ParityDB.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = crate::weights::paritydb_weights::constants::ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	type SystemWeightInfo = frame_system::weights::SubstrateWeight<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

/// Timestamp: set by the block author's inherent; BABE checks it against the slot.
impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

/// BABE: epochs are sessions; their length is fixed at genesis by the validators pallet.
///
/// Validator equivocation is not reported on chain yet: validators are admitted by governance
/// and have no stake here to slash, so governance removes an equivocating validator.
impl pallet_babe::Config for Runtime {
	type EpochDuration = pallet_validators::SessionLengthOf<Runtime>;
	type ExpectedBlockTime = ConstU64<MILLISECS_PER_BLOCK>;
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Authorship: the author of each block, from BABE's pre-digest and the session's validators;
/// the rewards pallet counts blocks per author.
impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	/// Validators earn their share of emission by blocks authored.
	type EventHandler = crate::Rewards;
}

/// Balances: DPN with 12 decimals; holds for deposits and stake.
impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<0>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

/// Transaction payment: fee = weight (1 planck per picosecond) + length + tip, times a
/// multiplier that rises when blocks are fuller than a quarter; 80% to the treasury and 20%
/// (and all tips) to the block author.
impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Runtime>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

/// The fee-charging extension's benchmark runs in a block with an author (validator 0, by
/// its BABE pre-digest), so that it pays the author's share into an account as blocks do.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_transaction_payment::BenchmarkConfig for Runtime {
	fn setup_benchmark_environment() {
		use sp_consensus_babe::digests::{PreDigest, SecondaryPlainPreDigest};
		let digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
			authority_index: 0,
			slot: 0u64.into(),
		});
		frame_system::Pallet::<Runtime>::deposit_log(sp_runtime::DigestItem::PreRuntime(
			sp_consensus_babe::BABE_ENGINE_ID,
			codec::Encode::encode(&digest),
		));
	}
}

parameter_types! {
	/// Funds held from an account while it has session keys registered (spam protection).
	pub const SessionKeyDeposit: Balance = DPN;
}

/// Session: validators come from the validators pallet; sessions end with BABE epochs.
impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = Validators;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

/// GRANDPA: finality; equivocations are handled by governance, as for BABE.
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Validators: the validator_admin track (and Root) admits validators; at least one always
/// remains.
impl pallet_validators::Config for Runtime {
	// Validator admission and removal: the validator_admin track.
	type AddRemoveOrigin = crate::governance::RootOr<crate::governance::ValidatorAdmin>;
	type ValidatorRegistration = Session;
	type MinValidators = ConstU32<1>;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::SessionKeysHelper;
}

parameter_types! {
	/// The treasury account, as a type.
	pub TreasuryAccount: AccountId = accounts::treasury();
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	use super::*;
	use codec::Encode;
	use frame_support::traits::fungible::Mutate;

	/// Registers a validator candidate's session keys the way an operator does: generates
	/// keys in the keystore with an ownership proof and calls `Session::set_keys`.
	pub struct SessionKeysHelper;

	impl pallet_validators::BenchmarkHelper<AccountId> for SessionKeysHelper {
		fn register_candidate(who: &AccountId) {
			let _ = Balances::mint_into(who, 10 * DPN);
			let generated = SessionKeys::generate(&who.encode(), None);
			let result = Session::set_keys(
				RuntimeOrigin::signed(who.clone()),
				generated.keys,
				generated.proof.encode(),
			);
			assert!(result.is_ok(), "registering benchmark session keys failed: {result:?}");
		}
	}
}
