//! # Makers pallet
//!
//! Admitted device manufacturers, and on-chain attestation that a device key was generated
//! inside one of their chips.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors, and [`Config`] for the
//! configuration trait.
//!
//! ## Overview
//!
//! A heartbeat proves that a key signed something, not that the key lives in real hardware: ten
//! thousand keys on one server, each bonded at the minimum, would look like ten thousand
//! sensors. A class can therefore require **attestation** (its terms'
//! `attestation: Required`): a device registers only with evidence that its key was generated
//! inside a chip of a maker governance admitted, and earns only while that maker and the
//! certificates of its evidence are not revoked.
//!
//! - **Makers.** Governance admits a maker ([`Pallet::admit_maker`]) with its root
//!   certificates (X.509, DER) and/or a compact key, an onboarding quota, and the account that
//!   pays an onboarding deposit ([`Config::OnboardingDeposit`]) for each device it attests
//!   (held while the device is registered). Governance raises or lowers the quota
//!   ([`Pallet::set_quota`]), rotates the roots ([`Pallet::update_maker`]), and revokes a maker
//!   ([`Pallet::revoke_maker`]) or a certificate by serial number
//!   ([`Pallet::revoke_certificate`]).
//! - **Evidence** ([`depin_primitives::attestation::AttestationEvidence`]): an X.509 chain up
//!   to one of the maker's roots whose leaf key is the device key, verified in the runtime by
//!   RustCrypto's `x509-cert`, `p256`, `p384` and `rsa` ([`x509`]); or the maker's compact
//!   certificate (its key's signature over device key, class and serial). The chain's
//!   validity periods are checked against the chain's time.
//! - **Onboarding** happens in `Devices.register_attested_device` (through
//!   [`depin_primitives::DeviceAttestation`]), or afterwards by the owner
//!   ([`Pallet::attest_device`]).
//! - **Revocation is lazy**: it records the epoch from which it holds (the next one); the
//!   proofs pallet asks [`depin_primitives::DeviceAttestation::state`] when it checks a proof,
//!   so no call or hook ever loops over a maker's devices.
//!
//! ## Low Level / Implementation Details
//!
//! [`Makers`] holds each maker; [`Attestations`] each attested device's record (maker, serial
//! numbers of its chain, depositor); [`RevokedCertificates`] the revoked serial numbers per
//! maker. A device's state costs at most `2 + MAX_CHAIN_LEN` reads. Serial numbers are scoped by
//! maker: a maker whose PKI reuses a serial number under two issuing CAs revokes both
//! certificates with it (never fewer than meant).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod try_state;
pub mod weights;
pub mod x509;

use depin_primitives::{
	attestation::{CertDer, MakerId, Serial, MAX_CHAIN_LEN},
	DeviceId, DeviceKey, EpochIndex,
};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible, fungible::Inspect},
};

/// Log target of this pallet (`RUST_LOG=runtime::makers=debug`).
pub const LOG_TARGET: &str = "runtime::makers";

/// A balance of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;

/// An admitted maker.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct MakerInfo<T: Config> {
	/// The account that pays the onboarding deposits.
	pub account: T::AccountId,
	/// Its name (UTF-8), for wallets and explorers.
	pub name: BoundedVec<u8, T::MaxNameLen>,
	/// Its root certificates (DER); chains end at one of them.
	pub roots: BoundedVec<CertDer, T::MaxRoots>,
	/// Its compact-certificate key, if it signs compact certificates.
	pub compact_key: Option<DeviceKey>,
	/// Attested devices it may have at once.
	pub quota: u32,
	/// Attested devices it has (onboarded and not retired).
	pub onboarded: u32,
}

/// An attested device's record.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(T))]
pub struct AttestationRecord<T: Config> {
	/// The maker that attested it.
	pub maker: MakerId,
	/// Serial numbers of its certificates, leaf (or compact certificate) first, then each
	/// intermediate's, then the root's: revoking any of them takes the device out of earning.
	pub serials: BoundedVec<Serial, ConstU32<{ MAX_CHAIN_LEN + 1 }>>,
	/// The account its onboarding deposit is held from (the maker's at the time).
	pub depositor: T::AccountId,
	/// The deposit.
	pub deposit: BalanceOf<T>,
	/// The epoch it was attested in.
	pub since: EpochIndex,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use depin_primitives::{attestation::AttestationEvidence, DeviceRegistry};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the makers pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency onboarding deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason, which includes this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin that admits, updates and revokes makers (governance).
		type MakerOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The device registry (owners and keys, for [`Pallet::attest_device`]).
		type Devices: DeviceRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The current epoch (revocations hold from the next).
		type Epochs: depin_primitives::EpochProvider;

		/// The chain's time, which certificates' validity periods are checked against.
		type Time: frame_support::traits::UnixTime;

		/// Deposit held from a maker's account for each device it onboards.
		#[pallet::constant]
		type OnboardingDeposit: Get<BalanceOf<Self>>;

		/// Most root certificates per maker.
		#[pallet::constant]
		type MaxRoots: Get<u32>;

		/// Longest maker name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need outside this pallet.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A maker's deposit for a device it onboarded.
		#[codec(index = 0)]
		Onboarding,
	}

	/// The id the next admitted maker gets.
	#[pallet::storage]
	pub type NextMakerId<T: Config> = StorageValue<_, MakerId, ValueQuery>;

	/// Admitted makers (revoked ones included). `Twox64Concat`: ids are sequential.
	#[pallet::storage]
	pub type Makers<T: Config> = StorageMap<_, Twox64Concat, MakerId, MakerInfo<T>>;

	/// Revoked makers, and the epoch from which each is revoked (apart from [`Makers`], so
	/// that checking a device's state does not decode its maker's roots).
	#[pallet::storage]
	pub type MakerRevocations<T: Config> = StorageMap<_, Twox64Concat, MakerId, EpochIndex>;

	/// The maker each attestation key belongs to, by `blake2_256` of the key (a root's
	/// SubjectPublicKeyInfo, DER; a compact key's SCALE encoding): a key serves one maker only,
	/// ever (also once revoked), so that serial revocations cannot be escaped by admitting
	/// the same key again under another id.
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageMap<_, Identity, [u8; 32], MakerId>;

	/// Attested devices' records. `Blake2_128Concat`: device ids are user-influenced.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, AttestationRecord<T>>;

	/// Revoked certificate serial numbers per maker, and the epoch from which each is revoked.
	#[pallet::storage]
	pub type RevokedCertificates<T: Config> =
		StorageDoubleMap<_, Twox64Concat, MakerId, Blake2_128Concat, Serial, EpochIndex>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance admitted a maker.
		MakerAdmitted {
			/// Its id.
			maker: MakerId,
			/// The account that pays its onboarding deposits.
			account: T::AccountId,
		},
		/// Governance changed a maker's roots or compact key.
		MakerUpdated {
			/// The maker.
			maker: MakerId,
		},
		/// Governance set a maker's onboarding quota.
		QuotaSet {
			/// The maker.
			maker: MakerId,
			/// Devices it may onboard in all.
			quota: u32,
		},
		/// Governance revoked a maker: the devices it attested earn nothing from `from_epoch`
		/// on, and it onboards no more.
		MakerRevoked {
			/// The maker.
			maker: MakerId,
			/// The first epoch its devices no longer earn in.
			from_epoch: EpochIndex,
		},
		/// Governance revoked a certificate of a maker: the devices whose chains hold it earn
		/// nothing from `from_epoch` on.
		CertificateRevoked {
			/// The maker.
			maker: MakerId,
			/// The certificate's serial number.
			serial: Serial,
			/// The first epoch its devices no longer earn in.
			from_epoch: EpochIndex,
		},
		/// A device was attested by a maker and onboarded.
		DeviceAttested {
			/// The device.
			device: DeviceId,
			/// The maker.
			maker: MakerId,
			/// The serial number of its certificate (the leaf's, or the compact one's).
			serial: Serial,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No maker with this id.
		UnknownMaker,
		/// The maker is revoked: it onboards no more devices.
		MakerRevoked,
		/// The maker onboarded as many devices as its quota allows.
		QuotaExhausted,
		/// The maker's account cannot pay the onboarding deposit.
		MakerCannotPayDeposit,
		/// A maker needs a name.
		EmptyName,
		/// A maker needs a root certificate or a compact key.
		NoAttestationKeys,
		/// A root certificate does not parse, is not a CA, or has a key of an unsupported type.
		InvalidRoot,
		/// The chain holds no certificate.
		EmptyChain,
		/// A certificate is not DER X.509, or its serial number is longer than 20 bytes.
		MalformedCertificate,
		/// The leaf certificate's key is not the device key (device keys of attested classes
		/// are P-256 keys).
		LeafKeyMismatch,
		/// A certificate does not name the next one as its issuer.
		IssuerMismatch,
		/// The chain does not end at a root of the maker.
		UnknownRoot,
		/// An issuer of the chain is not a CA.
		NotACa,
		/// A certificate of the chain is not valid yet.
		CertificateNotYetValid,
		/// A certificate of the chain has expired.
		CertificateExpired,
		/// A signature algorithm other than ECDSA with SHA-256/384 or RSA PKCS#1 v1.5 with
		/// SHA-256/384/512, or one that does not fit its issuer's key.
		UnsupportedAlgorithm,
		/// An issuer key that is not P-256, P-384 or RSA of 2,048 to 4,096 bits.
		UnsupportedKey,
		/// A certificate's signature does not verify.
		BadCertificateSignature,
		/// A certificate of the chain, or the compact certificate, is revoked.
		CertificateRevoked,
		/// The maker signs no compact certificates.
		NoCompactKey,
		/// The compact certificate's signature is not the maker's over this device key, class
		/// and serial.
		BadCompactSignature,
		/// The device is attested already.
		AlreadyAttested,
		/// No device with this id (or it retired).
		DeviceNotFound,
		/// Only the device's owner may attest it.
		NotOwner,
		/// The maker or certificate is revoked already.
		AlreadyRevoked,
		/// A root or compact key belongs to another maker (admitted before, revoked or not).
		KeyOfAnotherMaker,
		/// Two roots of one maker have the same subject name (a rolled-over root needs a new
		/// name: chains find their root by name).
		DuplicateRootName,
		/// No more maker ids.
		TooManyMakers,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admits a maker: the account that pays its onboarding deposits, its name, its root
		/// certificates (DER) and/or compact key, and how many devices it may onboard.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::MakerOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::EmptyName`], [`Error::NoAttestationKeys`], [`Error::InvalidRoot`],
		///   [`Error::DuplicateRootName`], [`Error::KeyOfAnotherMaker`], [`Error::TooManyMakers`].
		///
		/// ## Events
		///
		/// [`Event::MakerAdmitted`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::admit_maker(roots.len() as u32))]
		pub fn admit_maker(
			origin: OriginFor<T>,
			account: AccountIdLookupOf<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			roots: BoundedVec<CertDer, T::MaxRoots>,
			compact_key: Option<DeviceKey>,
			quota: u32,
		) -> DispatchResult {
			T::MakerOrigin::ensure_origin(origin)?;
			let account = T::Lookup::lookup(account)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			let maker = NextMakerId::<T>::get();
			let next = maker.checked_add(1).ok_or(Error::<T>::TooManyMakers)?;
			let keys = Self::key_hashes(maker, &roots, &compact_key)?;
			NextMakerId::<T>::put(next);
			for key in keys {
				KeyOwners::<T>::insert(key, maker);
			}
			Makers::<T>::insert(
				maker,
				MakerInfo {
					account: account.clone(),
					name,
					roots,
					compact_key,
					quota,
					onboarded: 0,
				},
			);
			Self::deposit_event(Event::MakerAdmitted { maker, account });
			Ok(())
		}

		/// Replaces a maker's root certificates and compact key (a rotation). Devices it
		/// attested before stay attested.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::MakerOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::UnknownMaker`], [`Error::NoAttestationKeys`], [`Error::InvalidRoot`],
		///   [`Error::DuplicateRootName`], [`Error::KeyOfAnotherMaker`].
		///
		/// ## Events
		///
		/// [`Event::MakerUpdated`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_maker(roots.len() as u32))]
		pub fn update_maker(
			origin: OriginFor<T>,
			maker: MakerId,
			roots: BoundedVec<CertDer, T::MaxRoots>,
			compact_key: Option<DeviceKey>,
		) -> DispatchResult {
			T::MakerOrigin::ensure_origin(origin)?;
			let mut info = Makers::<T>::get(maker).ok_or(Error::<T>::UnknownMaker)?;
			// Its old keys stay its own (a key serves one maker, ever).
			for key in Self::key_hashes(maker, &roots, &compact_key)? {
				KeyOwners::<T>::insert(key, maker);
			}
			info.roots = roots;
			info.compact_key = compact_key;
			Makers::<T>::insert(maker, info);
			Self::deposit_event(Event::MakerUpdated { maker });
			Ok(())
		}

		/// Sets how many attested devices a maker may have at once (below what it has, it
		/// onboards no more until some retire).
		///
		/// ## Dispatch Origin
		///
		/// [`Config::MakerOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::UnknownMaker`].
		///
		/// ## Events
		///
		/// [`Event::QuotaSet`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_quota())]
		pub fn set_quota(origin: OriginFor<T>, maker: MakerId, quota: u32) -> DispatchResult {
			T::MakerOrigin::ensure_origin(origin)?;
			Makers::<T>::try_mutate(maker, |info| -> DispatchResult {
				let info = info.as_mut().ok_or(Error::<T>::UnknownMaker)?;
				info.quota = quota;
				Ok(())
			})?;
			Self::deposit_event(Event::QuotaSet { maker, quota });
			Ok(())
		}

		/// Revokes a maker: the devices it attested earn nothing from the next epoch on
		/// (checked when their proofs are, never by a loop over them), and it onboards no
		/// more. Their onboarding deposits stay held until the devices retire.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::MakerOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::UnknownMaker`], [`Error::AlreadyRevoked`].
		///
		/// ## Events
		///
		/// [`Event::MakerRevoked`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_maker())]
		pub fn revoke_maker(origin: OriginFor<T>, maker: MakerId) -> DispatchResult {
			T::MakerOrigin::ensure_origin(origin)?;
			ensure!(Makers::<T>::contains_key(maker), Error::<T>::UnknownMaker);
			ensure!(!MakerRevocations::<T>::contains_key(maker), Error::<T>::AlreadyRevoked);
			let from_epoch = Self::next_epoch();
			MakerRevocations::<T>::insert(maker, from_epoch);
			Self::deposit_event(Event::MakerRevoked { maker, from_epoch });
			Ok(())
		}

		/// Revokes a maker's certificate by serial number (its unsigned magnitude, as
		/// `openssl x509 -serial` prints it; leading zero bytes, such as a DER sign byte, are
		/// dropped, and the event names the serial as stored): the devices whose chains hold it (as leaf,
		/// intermediate or root, or as their compact certificate) earn nothing from the next
		/// epoch on, and no chain holding it is accepted any more.
		///
		/// ## Dispatch Origin
		///
		/// [`Config::MakerOrigin`] (governance).
		///
		/// ## Errors
		///
		/// - [`Error::UnknownMaker`], [`Error::AlreadyRevoked`].
		///
		/// ## Events
		///
		/// [`Event::CertificateRevoked`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::revoke_certificate())]
		pub fn revoke_certificate(
			origin: OriginFor<T>,
			maker: MakerId,
			serial: Serial,
		) -> DispatchResult {
			T::MakerOrigin::ensure_origin(origin)?;
			ensure!(Makers::<T>::contains_key(maker), Error::<T>::UnknownMaker);
			// Stored as chains are checked: without leading zero bytes.
			let serial = depin_primitives::attestation::canonical(&serial);
			ensure!(
				!RevokedCertificates::<T>::contains_key(maker, &serial),
				Error::<T>::AlreadyRevoked
			);
			let from_epoch = Self::next_epoch();
			RevokedCertificates::<T>::insert(maker, &serial, from_epoch);
			Self::deposit_event(Event::CertificateRevoked { maker, serial, from_epoch });
			Ok(())
		}

		/// Attests a registered device with its maker's evidence (for a device of a class that
		/// came to require attestation after it registered, or whose attestation was revoked
		/// and is replaced): a unit of the maker's quota and its deposit, as at registration.
		///
		/// ## Dispatch Origin
		///
		/// Signed, by the device's owner.
		///
		/// ## Errors
		///
		/// - [`Error::DeviceNotFound`], [`Error::NotOwner`], [`Error::AlreadyAttested`].
		/// - The evidence's errors, as at registration (`Devices.register_attested_device`).
		///
		/// ## Events
		///
		/// [`Event::DeviceAttested`].
		#[pallet::call_index(5)]
		#[pallet::weight(
			// The registry's record of the device, then the evidence's own weight.
			T::DbWeight::get().reads(1).saturating_add(
				<Pallet<T> as depin_primitives::DeviceAttestation>::attest_weight(evidence)
			)
		)]
		pub fn attest_device(
			origin: OriginFor<T>,
			device: DeviceId,
			evidence: AttestationEvidence,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let summary = T::Devices::device(&device)
				.filter(|summary| summary.status != depin_primitives::DeviceStatus::Retired)
				.ok_or(Error::<T>::DeviceNotFound)?;
			ensure!(summary.owner == who, Error::<T>::NotOwner);
			let used = Self::do_attest(&device, &summary.key, summary.class, &evidence)?;
			Ok(Some(T::DbWeight::get().reads(1).saturating_add(used)).into())
		}
	}
}

/// Sets up what the benchmarks need outside this pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Sets the chain's time (seconds since the Unix epoch), which certificates' validity is
	/// checked against.
	fn set_time(unix_seconds: u64);
}
