//! # DePIN runtime
//!
//! The FRAME runtime of the DePIN chain. This file only composes: the pallets and their indices
//! (what clients see), the block and extrinsic types, and the runtime version. Each pallet's
//! configuration lives in [`configs`], the runtime APIs in [`apis`], the genesis presets in
//! [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`'s expansion is deeply recursive.
#![recursion_limit = "256"]
// The runtime macros (`frame_support::runtime`, `impl_runtime_apis!`, `parameter_types!`) and the
// Wasm build script generate public items without rustdoc; hand-written items are documented.
#![allow(missing_docs)]

// The runtime compiled to Wasm (`WASM_BINARY`), embedded by the build script so that the node
// can build genesis from it.
#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Before `apis`: it defines the `list_benchmarks!`/`add_benchmarks!` macros `apis` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod depin_api;
pub mod genesis_config_presets;
pub mod governance;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use depin_primitives::{
	currency::{DPN, MICRO_DPN, MILLI_DPN, TOKEN_DECIMALS, TOKEN_SYMBOL},
	time::{DAYS, HOURS, MILLISECS_PER_BLOCK, MINUTES, SLOT_DURATION},
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};
pub use frame_support::{construct_runtime, parameter_types};
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;

/// Opaque types: what the node knows of the runtime's types without depending on its pallets.
pub mod opaque {
	use super::*;
	use sp_runtime::{generic, traits::Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block id.
	pub type BlockId = generic::BlockId<Block>;
	/// Hash of a block.
	pub type BlockHash = <sp_runtime::traits::BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: BABE for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		/// Block authoring (BABE).
		pub babe: Babe,
		/// Finality voting (GRANDPA).
		pub grandpa: Grandpa,
	}
}

/// The runtime version. `spec_version` must rise with every runtime upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("depin"),
	impl_name: alloc::borrow::Cow::Borrowed("depin-node"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block that has been signed and is ready for import.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions, in order. Clients must know them to build transactions; see
/// `docs/rpc.md`.
///
/// `AuthorizeCall` comes first so that calls with `#[pallet::authorize]` (the device proofs,
/// which are feeless and unsigned by an account) are authorized before any other extension
/// looks at the transaction.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// Authorized transactions (the off-chain worker's device proofs): a general transaction whose
/// extensions carry no account, so immortal, nonce 0, no tip, no metadata-hash check.
impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

/// Migrations to run on the next runtime upgrade. Every chain of this runtime was created
/// with its pallets at storage version 1; this release changes the layout of four of them
/// (see `depin_primitives::migrations` for the pattern; each step runs only at its expected
/// on-chain version, and is tested with its `try-runtime` checks in the pallet's tests):
///
/// - `Devices` v2: the class table's full layout (every term later features read);
/// - `DeviceStaking` v2: slashes compose (pending totals), offence records keyed by epoch;
/// - `Proofs` v2: epochs follow the slot clock, recent epochs' seeds kept for reports;
/// - `Rewards` v2: the list of open pools, so that expiry skips epochs without blocks.
///
/// A chain built from this runtime's genesis starts at the new versions, and none runs.
type Migrations = (
	pallet_devices::migrations::MigrateToV2<Runtime>,
	pallet_devices::migrations::MigrateToV3<Runtime>,
	pallet_device_staking::migrations::MigrateToV2<Runtime>,
	pallet_proofs::migrations::MigrateToV2<Runtime>,
	pallet_rewards::migrations::MigrateToV2<Runtime>,
);

/// Executive: handles dispatch to the various pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The runtime: its pallets and their indices. The names are the public API clients see.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	/// The DePIN runtime.
	pub struct Runtime;

	/// Accounts, blocks, events, runtime upgrades.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// Block time (inherent), which BABE turns into slots.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// BABE block production; its VRF outputs seed device challenges.
	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;

	/// Block authors, for fees and validator rewards.
	#[runtime::pallet_index(3)]
	pub type Authorship = pallet_authorship;

	/// DPN balances, holds and freezes.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// The governance-managed validator set. Before `Session`: its genesis provides the first
	/// validators to the session pallet's genesis.
	#[runtime::pallet_index(6)]
	pub type Validators = pallet_validators;

	/// Sessions and session keys.
	#[runtime::pallet_index(7)]
	pub type Session = pallet_session;

	/// GRANDPA finality.
	#[runtime::pallet_index(8)]
	pub type Grandpa = pallet_grandpa;

	// Index 9 was `Sudo` until on-chain governance replaced it (issue 22): left unused.

	/// The device registry: identities, classes, deposits, status.
	#[runtime::pallet_index(10)]
	pub type Devices = pallet_devices;

	/// Operator stake behind devices, unbonding and slashing.
	#[runtime::pallet_index(11)]
	pub type DeviceStaking = pallet_device_staking;

	/// Epochs, challenges, device-signed proofs, offences. After `Babe`: it reads the
	/// randomness BABE's `on_initialize` has just set.
	#[runtime::pallet_index(12)]
	pub type Proofs = pallet_proofs;

	/// Emission: a decaying, capped schedule paid to devices by lazy claims, to validators by
	/// blocks authored, and to the treasury.
	#[runtime::pallet_index(13)]
	pub type Rewards = pallet_rewards;

	/// Admitted device makers, and attestation that device keys live in their chips.
	#[runtime::pallet_index(14)]
	pub type Makers = pallet_makers;

	/// Preimages of the calls referenda and the technical committee dispatch.
	#[runtime::pallet_index(15)]
	pub type Preimage = pallet_preimage;

	/// Enactment of approved referenda at their block.
	#[runtime::pallet_index(16)]
	pub type Scheduler = pallet_scheduler;

	/// The treasury: the account fees, slashes and emission fund; spends by referendum.
	#[runtime::pallet_index(17)]
	pub type Treasury = pallet_treasury;

	/// Votes on referenda, with conviction (a longer lock for more weight).
	#[runtime::pallet_index(18)]
	pub type ConvictionVoting = pallet_conviction_voting;

	/// Referenda on tracks (`governance::tracks`), one per kind of privilege.
	#[runtime::pallet_index(19)]
	pub type Referenda = pallet_referenda;

	/// The origins the tracks dispatch with (`governance::origins`).
	#[runtime::pallet_index(20)]
	pub type Origins = governance::pallet_custom_origins;

	/// Calls the technical committee vouches for, dispatched by a fast referendum track.
	#[runtime::pallet_index(21)]
	pub type Whitelist = pallet_whitelist;

	/// A small committee of experts: whitelists calls, cancels wrongful slashes in time.
	#[runtime::pallet_index(22)]
	pub type TechnicalCommittee = pallet_collective<Instance1>;
}

/// The pallets' `try_state` checks, as `make test` runs them after runtime tests.
#[cfg(test)]
mod tests;

/// Accounts the runtime derives from pallet ids.
pub mod accounts {
	use super::AccountId;
	use frame_support::PalletId;
	use sp_runtime::traits::AccountIdConversion;

	/// The id of the treasury account.
	pub const TREASURY_PALLET_ID: PalletId = PalletId(*b"dpn/trsy");

	/// The treasury account: receives its share of fees, emission and slashes.
	pub fn treasury() -> AccountId {
		TREASURY_PALLET_ID.into_account_truncating()
	}

	/// The id of the rewards pot, which holds device pools until they are claimed.
	pub const REWARDS_PALLET_ID: PalletId = PalletId(*b"dpn/rwds");

	/// The rewards pot account.
	pub fn rewards_pot() -> AccountId {
		REWARDS_PALLET_ID.into_account_truncating()
	}
}
