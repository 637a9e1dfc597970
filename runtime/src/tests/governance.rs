//! Governance on the composed runtime: each of our privileges accepts its track's origin (and
//! Root) and refuses every other, a referendum from preimage to enactment, a treasury spend,
//! and the technical committee cancelling a wrongful slash within the deferral. They run on the
//! production genesis (the tracks' real periods), with the dev accounts funded; and the dev
//! networks' shortened periods are checked against it.

use super::{ext_from_patch, try_state, with_preset};
use crate::{
	genesis_config_presets::{
		production_genesis, GenesisValidator, ProductionAccounts, CLASS_HOTSPOT, CLASS_SENSOR,
		DEV_ENDOWMENT, DEV_PERIOD_DIVISOR,
	},
	governance::{
		pallet_custom_origins::{Origin as Track, TREASURER_SPEND_LIMIT},
		tracks,
	},
	AccountId, Balances, ConvictionVoting, DeviceStaking, Devices, OriginCaller, Preimage,
	Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Scheduler, System,
	TechnicalCommittee, Treasury, Whitelist, DPN,
};
use codec::Encode;
use depin_primitives::{DeviceKey, DeviceSignature, OffenceKind, SuspensionReason};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::Mutate, schedule::DispatchTime, Bounded, Hooks, QueryPreimage, StorePreimage,
	},
	weights::Weight,
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::{Dispatchable, Hash},
	DispatchError, Perbill,
};

fn account(who: Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// Runs `body` on a production genesis (Alice validates; the dev accounts are funded; Alice,
/// Bob and Charlie are the technical committee), then checks the invariants of our pallets.
fn with_production(body: impl FnOnce()) {
	let committee = [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie];
	let genesis = production_genesis(ProductionAccounts {
		validators: vec![GenesisValidator::dev(Sr25519Keyring::Alice)],
		endowed: Sr25519Keyring::well_known().map(|k| (account(k), DEV_ENDOWMENT)).collect(),
		technical_committee: committee.iter().map(|k| account(*k)).collect(),
	});
	ext_from_patch(genesis).execute_with(|| {
		body();
		try_state();
	});
}

/// The origin a referendum approved on `track` dispatches with.
fn track(track: Track) -> RuntimeOrigin {
	RuntimeOrigin::from(track)
}

/// The origin of a technical committee motion approved by `ayes` of `members`.
fn committee(ayes: u32, members: u32) -> RuntimeOrigin {
	RuntimeOrigin::from(
		pallet_collective::RawOrigin::<AccountId, pallet_collective::Instance1>::Members(
			ayes, members,
		),
	)
}

/// Whether `origin` may make `call`: anything but `BadOrigin` means the origin passed (the
/// call may still fail for its arguments).
fn accepted(call: &RuntimeCall, origin: RuntimeOrigin) -> bool {
	let result = frame_support::storage::with_transaction(|| {
		let result = call.clone().dispatch(origin);
		// Never keep what an accepted call did: every origin sees the same state.
		frame_support::storage::TransactionOutcome::Rollback(Ok::<_, DispatchError>(result))
	})
	.expect("rolled back");
	!matches!(result, Err(e) if e.error == DispatchError::BadOrigin)
}

/// A registered hotspot of Alice with 100 DPN bonded.
fn bonded_hotspot() -> depin_primitives::DeviceId {
	let alice = account(Sr25519Keyring::Alice);
	let pair = sp_core::ed25519::Pair::from_seed(&[9u8; 32]);
	let key = DeviceKey::Ed25519(pair.public().0);
	let proof = DeviceSignature::Ed25519(pair.sign(&Devices::registration_message(&alice)).0);
	assert_ok!(Devices::register_device(
		RuntimeOrigin::signed(alice.clone()),
		key,
		CLASS_HOTSPOT,
		None,
		Default::default(),
		proof,
	));
	let id = key.device_id();
	assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(alice), id, 100 * DPN));
	id
}

#[test]
fn each_privileged_call_is_refused_signed_and_accepted_only_from_its_track() {
	with_production(|| {
		let device = bonded_hotspot();
		let sensor = pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR).expect("genesis class");
		let emission = pallet_rewards::Emission::<Runtime>::get().expect("genesis emission");
		let bob = account(Sr25519Keyring::Bob);
		let calls: Vec<(&str, RuntimeCall, Track)> = vec![
			(
				"set_class",
				pallet_devices::Call::set_class { class: CLASS_SENSOR, params: sensor }.into(),
				Track::DeviceAdmin,
			),
			(
				"admit_maker",
				pallet_makers::Call::admit_maker {
					account: bob.clone().into(),
					name: b"maker".to_vec().try_into().unwrap(),
					roots: Default::default(),
					compact_key: Some(DeviceKey::Ed25519([7; 32])),
					quota: 10,
				}
				.into(),
				Track::DeviceAdmin,
			),
			(
				"set_quota",
				pallet_makers::Call::set_quota { maker: 0, quota: 5 }.into(),
				Track::DeviceAdmin,
			),
			(
				"revoke_maker",
				pallet_makers::Call::revoke_maker { maker: 0 }.into(),
				Track::DeviceAdmin,
			),
			(
				"suspend_device",
				pallet_devices::Call::suspend_device {
					device,
					reason: SuspensionReason::Governance,
				}
				.into(),
				Track::SlashAdmin,
			),
			(
				"force_slash",
				pallet_device_staking::Call::force_slash {
					device,
					fraction: Perbill::from_percent(10),
					reason: OffenceKind::Governance,
				}
				.into(),
				Track::SlashAdmin,
			),
			(
				"cancel_slash",
				pallet_device_staking::Call::cancel_slash { slash_id: 0 }.into(),
				Track::SlashAdmin,
			),
			(
				"add_validator",
				pallet_validators::Call::add_validator { validator: bob.clone() }.into(),
				Track::ValidatorAdmin,
			),
			(
				"remove_validator",
				pallet_validators::Call::remove_validator { validator: bob.clone() }.into(),
				Track::ValidatorAdmin,
			),
			(
				"set_emission",
				pallet_rewards::Call::set_emission { params: emission }.into(),
				Track::EmissionAdmin,
			),
			(
				"spend",
				pallet_treasury::Call::spend {
					asset_kind: Box::new(()),
					amount: DPN,
					beneficiary: Box::new(bob.clone()),
					valid_from: None,
				}
				.into(),
				Track::Treasurer,
			),
			(
				"spend_local",
				pallet_treasury::Call::spend_local { amount: DPN, beneficiary: bob.clone().into() }
					.into(),
				Track::Treasurer,
			),
			("void_spend", pallet_treasury::Call::void_spend { index: 0 }.into(), Track::Treasurer),
			(
				"remove_approval",
				pallet_treasury::Call::remove_approval { proposal_id: 0 }.into(),
				Track::Treasurer,
			),
			(
				"update_maker",
				pallet_makers::Call::update_maker {
					maker: 0,
					roots: Default::default(),
					compact_key: Some(DeviceKey::Ed25519([8; 32])),
				}
				.into(),
				Track::DeviceAdmin,
			),
			(
				"revoke_certificate",
				pallet_makers::Call::revoke_certificate {
					maker: 0,
					serial: vec![1].try_into().unwrap(),
				}
				.into(),
				Track::DeviceAdmin,
			),
			(
				"cancel_recovery",
				pallet_devices::Call::cancel_recovery { device }.into(),
				Track::SlashAdmin,
			),
		];
		// (`resume_device` is also the owner's, signed, for a device suspended as
		// unresponsive: `governance.rs` of the devices pallet tests that path.)
		let every_track = [
			Track::WhitelistedCaller,
			Track::DeviceAdmin,
			Track::SlashAdmin,
			Track::ValidatorAdmin,
			Track::EmissionAdmin,
			Track::Treasurer,
			Track::ReferendumCanceller,
		];
		for (name, call, own) in &calls {
			assert!(
				!accepted(call, RuntimeOrigin::signed(account(Sr25519Keyring::Alice))),
				"{name} from a signed origin"
			);
			assert!(accepted(call, RuntimeOrigin::root()), "{name} from root");
			for other in &every_track {
				assert_eq!(
					accepted(call, track(other.clone())),
					other == own,
					"{name} from the {other:?} track"
				);
			}
			// Only cancelling a slash is open to the technical committee, and only to a
			// majority of it.
			assert_eq!(accepted(call, committee(2, 3)), *name == "cancel_slash", "{name} by 2/3");
			assert!(!accepted(call, committee(1, 3)), "{name} by one member of three");
		}
	});
}

/// Runs blocks up to `block`, each with what referenda need: the scheduler's agenda (referenda
/// alarms and enactments) in `on_initialize`.
fn run_to_block(block: crate::BlockNumber) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}

#[test]
fn a_referendum_on_the_device_admin_track_changes_a_class_from_preimage_to_enactment() {
	with_production(|| {
		let alice = account(Sr25519Keyring::Alice);
		let mut terms =
			pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR).expect("genesis class");
		assert_ne!(terms.min_stake, 25 * DPN);
		terms.min_stake = 25 * DPN;
		let call: RuntimeCall =
			pallet_devices::Call::set_class { class: CLASS_SENSOR, params: terms.clone() }.into();

		// The preimage, noted by its proposer (who pays its deposit).
		let encoded = call.encode();
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(alice.clone()), encoded.clone()));
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&encoded);
		let proposal = Bounded::Lookup { hash, len: encoded.len() as u32 };
		assert!(Preimage::have(&proposal));

		// Submitted on the device_admin track: the origin decides the track.
		assert_ok!(Referenda::submit(
			RuntimeOrigin::signed(alice.clone()),
			Box::new(OriginCaller::Origins(Track::DeviceAdmin)),
			proposal,
			DispatchTime::After(0),
		));
		let status = match pallet_referenda::ReferendumInfoFor::<Runtime>::get(0) {
			Some(pallet_referenda::ReferendumInfo::Ongoing(status)) => status,
			other => panic!("referendum 0 is not ongoing: {other:?}"),
		};
		assert_eq!(status.track, tracks::DEVICE_ADMIN);

		// Nobody decides before the decision deposit, which anyone may place.
		let bob = account(Sr25519Keyring::Bob);
		let before = Balances::reserved_balance(&bob);
		assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(bob.clone()), 0));
		assert_eq!(Balances::reserved_balance(&bob) - before, 5_000 * DPN);

		// The dev accounts vote aye with conviction: 90% of the issuance turns out.
		for who in Sr25519Keyring::well_known() {
			assert_ok!(ConvictionVoting::vote(
				RuntimeOrigin::signed(who.to_account_id()),
				0,
				AccountVote::Standard {
					vote: Vote { aye: true, conviction: Conviction::Locked1x },
					balance: 900_000 * DPN,
				},
			));
		}

		// Prepare (1 h), confirm (3 h), then enactment (10 min): about 4 h 10 min of blocks.
		let start = System::block_number();
		let hour = crate::HOURS;
		run_to_block(start + hour + 3 * hour - 10);
		assert_eq!(
			pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR).map(|c| c.min_stake),
			Some(10 * DPN),
			"not before confirmation"
		);
		run_to_block(start + 5 * hour);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(pallet_referenda::ReferendumInfo::Approved(..))
		));
		assert_eq!(pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR), Some(terms));
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result: Ok(()), .. })
		)));
		try_state();
	});
}

#[test]
fn a_treasury_spend_on_the_treasurer_track_is_paid_out_up_to_its_limit() {
	with_production(|| {
		let treasury = crate::accounts::treasury();
		assert_eq!(Treasury::account_id(), treasury, "the treasury keeps its account");
		assert_ok!(Balances::mint_into(&treasury, 1_000 * DPN));
		let dave = account(Sr25519Keyring::Dave);
		let before = Balances::free_balance(&dave);

		assert_noop!(
			Treasury::spend(
				track(Track::Treasurer),
				Box::new(()),
				TREASURER_SPEND_LIMIT + 1,
				Box::new(dave.clone()),
				None,
			),
			pallet_treasury::Error::<Runtime>::InsufficientPermission
		);
		assert_ok!(Treasury::spend(
			track(Track::Treasurer),
			Box::new(()),
			400 * DPN,
			Box::new(dave.clone()),
			None,
		));
		// Anyone may pay out an approved spend.
		assert_ok!(Treasury::payout(RuntimeOrigin::signed(account(Sr25519Keyring::Eve)), 0));
		assert_eq!(Balances::free_balance(&dave) - before, 400 * DPN);
		assert_eq!(
			Balances::free_balance(&treasury),
			600 * DPN + crate::configs::EXISTENTIAL_DEPOSIT
		);
		assert_ok!(Treasury::check_status(RuntimeOrigin::signed(dave), 0));
		assert!(pallet_treasury::Spends::<Runtime>::get(0).is_none());
	});
}

#[test]
fn the_technical_committee_cancels_a_wrongful_slash_within_the_deferral() {
	with_production(|| {
		let device = bonded_hotspot();
		assert_ok!(DeviceStaking::force_slash(
			track(Track::SlashAdmin),
			device,
			Perbill::from_percent(50),
			OffenceKind::Governance,
		));
		let slash_id = pallet_device_staking::NextSlashId::<Runtime>::get() - 1;
		assert!(pallet_device_staking::PendingSlashes::<Runtime>::get(slash_id).is_some());

		let cancel: RuntimeCall = pallet_device_staking::Call::cancel_slash { slash_id }.into();
		let len = cancel.encoded_size() as u32;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&cancel);
		let [alice, bob, charlie] =
			[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie].map(account);

		// One member alone cannot: a motion of threshold 1 executes at once, as one of three.
		assert_ok!(TechnicalCommittee::propose(
			RuntimeOrigin::signed(alice.clone()),
			1,
			Box::new(cancel.clone()),
			len,
		));
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::TechnicalCommittee(pallet_collective::Event::Executed {
				result: Err(DispatchError::BadOrigin),
				..
			})
		)));
		assert!(pallet_device_staking::PendingSlashes::<Runtime>::get(slash_id).is_some());

		// Two of three can, in three blocks, long before the slash is due (7 epochs).
		assert_ok!(TechnicalCommittee::propose(
			RuntimeOrigin::signed(alice.clone()),
			2,
			Box::new(cancel),
			len,
		));
		// (The motion executed at once was never stored: this one is motion 0.)
		assert_ok!(TechnicalCommittee::vote(RuntimeOrigin::signed(alice), hash, 0, true));
		assert_ok!(TechnicalCommittee::vote(RuntimeOrigin::signed(bob), hash, 0, true));
		assert_ok!(TechnicalCommittee::close(
			RuntimeOrigin::signed(charlie),
			hash,
			0,
			Weight::from_parts(1_000_000_000_000, 1_000_000),
			len,
		));
		assert!(pallet_device_staking::PendingSlashes::<Runtime>::get(slash_id).is_none());
		System::assert_has_event(pallet_device_staking::Event::SlashCancelled { slash_id }.into());
		try_state();
	});
}

#[test]
fn the_committee_whitelists_for_the_fast_track_but_cannot_cancel_referenda_by_itself() {
	with_production(|| {
		let mut terms =
			pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR).expect("genesis class");
		terms.min_stake = 30 * DPN;
		let call: RuntimeCall =
			pallet_devices::Call::set_class { class: CLASS_SENSOR, params: terms.clone() }.into();
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let alice = RuntimeOrigin::signed(account(Sr25519Keyring::Alice));

		// Whitelisting needs a majority of the committee.
		assert_noop!(Whitelist::whitelist_call(committee(1, 3), hash), DispatchError::BadOrigin);
		assert_noop!(Whitelist::whitelist_call(alice.clone(), hash), DispatchError::BadOrigin);
		assert_ok!(Whitelist::whitelist_call(committee(2, 3), hash));

		// A signed account cannot dispatch it; a referendum on the whitelisted_caller track
		// dispatches it as Root.
		assert!(Whitelist::dispatch_whitelisted_call_with_preimage(
			alice.clone(),
			Box::new(call.clone())
		)
		.is_err());
		assert_ok!(Whitelist::dispatch_whitelisted_call_with_preimage(
			track(Track::WhitelistedCaller),
			Box::new(call),
		));
		assert_eq!(pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR), Some(terms));

		// The committee, even unanimous, cannot cancel or kill a referendum (it could veto the
		// one that replaces it); the referendum_canceller track cancels, only Root kills.
		let remark: RuntimeCall = frame_system::Call::remark { remark: vec![1] }.into();
		assert_ok!(Referenda::submit(
			alice,
			Box::new(OriginCaller::system(frame_system::RawOrigin::Root)),
			Preimage::bound(remark).expect("small"),
			DispatchTime::After(0),
		));
		assert_noop!(Referenda::cancel(committee(3, 3), 0), DispatchError::BadOrigin);
		assert_noop!(Referenda::kill(committee(3, 3), 0), DispatchError::BadOrigin);
		assert_noop!(
			Referenda::kill(track(Track::ReferendumCanceller), 0),
			DispatchError::BadOrigin
		);
		assert_ok!(Referenda::cancel(track(Track::ReferendumCanceller), 0));
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(pallet_referenda::ReferendumInfo::Cancelled(..))
		));
	});
}

/// The referendum of [`a_referendum_on_the_device_admin_track_changes_a_class_from_preimage_to_enactment`]
/// on a dev network: every period divided by [`DEV_PERIOD_DIVISOR`] (one block at least), so
/// the class changes within a few blocks; production keeps the real periods.
#[test]
fn dev_networks_divide_the_track_periods_and_production_keeps_them() {
	use pallet_referenda::TracksInfo as _;
	let periods = || {
		tracks::TracksInfo::tracks()
			.map(|t| {
				let i = &t.info;
				(
					t.id,
					i.prepare_period,
					i.decision_period,
					i.confirm_period,
					i.min_enactment_period,
				)
			})
			.collect::<Vec<_>>()
	};
	let mut production = Vec::new();
	with_production(|| {
		assert_eq!(
			crate::governance::pallet_custom_origins::DevPeriodDivisor::<Runtime>::get(),
			None
		);
		production = periods();
	});
	// Root: 2 h to prepare, 14 days to decide, a day to confirm, a day before enactment.
	let day = crate::DAYS;
	assert_eq!(production[0], (tracks::ROOT, 2 * crate::HOURS, 14 * day, day, day));
	with_preset("dev", || {
		let dev = periods();
		assert_eq!(dev.len(), production.len());
		for (dev, real) in dev.iter().zip(&production) {
			let short = |p: crate::BlockNumber| (p / DEV_PERIOD_DIVISOR).max(1);
			assert_eq!(*dev, (real.0, short(real.1), short(real.2), short(real.3), short(real.4)));
		}
		assert_eq!(dev[0], (tracks::ROOT, 1, 14, 1, 1));

		// A device_admin referendum, Alice alone voting (8% of the issuance): enacted within
		// ten blocks of the vote.
		let alice = account(Sr25519Keyring::Alice);
		let mut terms =
			pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR).expect("genesis class");
		terms.min_stake = 25 * DPN;
		let call: RuntimeCall =
			pallet_devices::Call::set_class { class: CLASS_SENSOR, params: terms.clone() }.into();
		let proposal = Preimage::bound(call).expect("a small call");
		assert_ok!(Referenda::submit(
			RuntimeOrigin::signed(alice.clone()),
			Box::new(OriginCaller::Origins(Track::DeviceAdmin)),
			proposal,
			DispatchTime::After(0),
		));
		assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(alice.clone()), 0));
		assert_ok!(ConvictionVoting::vote(
			RuntimeOrigin::signed(alice),
			0,
			AccountVote::Standard {
				vote: Vote { aye: true, conviction: Conviction::Locked1x },
				balance: 900_000 * DPN,
			},
		));
		run_to_block(System::block_number() + 10);
		assert_eq!(pallet_devices::Classes::<Runtime>::get(CLASS_SENSOR), Some(terms));
	});
}
