//! Tests of the composed runtime: its genesis presets, fee routing, validator admission and a
//! device owner's journey, run against the real `Runtime` (natively) with a preset's state.

use crate::{
	accounts, configs::EXISTENTIAL_DEPOSIT, genesis_config_presets, AllPalletsWithSystem, Balances,
	DeviceStaking, Devices, Runtime, RuntimeOrigin, Session, SessionKeys, System, Validators, DPN,
};
use codec::Encode;
use depin_primitives::{DeviceKey, DeviceSignature, StakeInfo};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Balanced, Imbalance, IntegrityTest, OnUnbalanced},
};
use serde_json::Value;
use sp_consensus_babe::{
	digests::{PreDigest, SecondaryPlainPreDigest},
	BABE_ENGINE_ID,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::DigestItem;

mod governance;

/// Externalities holding the genesis state of preset `id`.
fn ext_from_preset(id: &str) -> sp_io::TestExternalities {
	let patch: Value = serde_json::from_slice(
		&genesis_config_presets::get_preset(&id.into()).expect("preset exists"),
	)
	.expect("preset is JSON");
	ext_from_patch(patch)
}

/// Externalities holding the genesis state of a JSON patch over the default config.
fn ext_from_patch(patch: Value) -> sp_io::TestExternalities {
	let storage = genesis_config_presets::storage_from_patch(patch).expect("the patch builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Checks the invariants of our pallets.
fn try_state() {
	Validators::do_try_state().expect("validators invariants hold");
	Devices::do_try_state().expect("devices invariants hold");
	DeviceStaking::do_try_state().expect("device staking invariants hold");
	crate::Proofs::do_try_state().expect("proofs invariants hold");
	crate::Rewards::do_try_state().expect("rewards invariants hold");
	crate::Makers::do_try_state().expect("makers invariants hold");
}

/// Runs `body` on a preset's state, then checks the invariants of our pallets.
fn with_preset(id: &str, body: impl FnOnce()) {
	ext_from_preset(id).execute_with(|| {
		body();
		try_state();
	});
}

#[test]
fn integrity_tests_pass() {
	sp_io::TestExternalities::default().execute_with(AllPalletsWithSystem::integrity_test);
}

#[test]
fn every_preset_and_alias_is_listed_and_builds() {
	assert_eq!(genesis_config_presets::preset_names(), ["development", "local_testnet"]);
	for id in ["development", "dev", "local_testnet", "local"] {
		with_preset(id, || {});
	}
	assert!(genesis_config_presets::get_preset(&"nonexistent".into()).is_none());
}

#[test]
fn dev_preset_has_alice_as_sole_validator_and_short_referenda() {
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert_eq!(
			crate::governance::pallet_custom_origins::DevPeriodDivisor::<Runtime>::get(),
			Some(genesis_config_presets::DEV_PERIOD_DIVISOR)
		);
		assert_eq!(
			pallet_validators::SessionLength::<Runtime>::get(),
			genesis_config_presets::TEST_SESSION_LENGTH
		);
		assert_eq!(Balances::free_balance(&alice), genesis_config_presets::DEV_ENDOWMENT);
		assert_eq!(Balances::free_balance(accounts::treasury()), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn production_genesis_has_hour_epochs_the_production_schedule_and_only_its_accounts() {
	use genesis_config_presets::{
		production_emission, production_genesis, GenesisValidator, ProductionAccounts,
		PRODUCTION_EPOCH_LENGTH,
	};
	let (validator, holder) = (Sr25519Keyring::Two, Sr25519Keyring::One);
	let genesis = production_genesis(ProductionAccounts {
		validators: vec![GenesisValidator::dev(validator)],
		endowed: vec![(holder.to_account_id(), 1_000 * DPN)],
		technical_committee: vec![holder.to_account_id()],
	});
	ext_from_patch(genesis).execute_with(|| {
		assert_eq!(Session::validators(), vec![validator.to_account_id()]);
		assert_eq!(PRODUCTION_EPOCH_LENGTH, 600);
		assert_eq!(
			pallet_validators::SessionLength::<Runtime>::get(),
			u64::from(PRODUCTION_EPOCH_LENGTH)
		);
		assert_eq!(pallet_proofs::EpochLength::<Runtime>::get(), PRODUCTION_EPOCH_LENGTH);
		assert_eq!(pallet_rewards::Emission::<Runtime>::get(), Some(production_emission()));
		assert_eq!(
			crate::governance::pallet_custom_origins::DevPeriodDivisor::<Runtime>::get(),
			None
		);
		// Nobody else holds anything: no development account, no sudo key.
		assert_eq!(Balances::free_balance(Sr25519Keyring::Alice.to_account_id()), 0);
		assert_eq!(Balances::free_balance(holder.to_account_id()), 1_000 * DPN);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
			vec![holder.to_account_id()]
		);
		try_state();
	});
}

#[test]
fn local_preset_has_four_validators() {
	with_preset("local", || {
		let expected: Vec<_> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.to_account_id())
		.collect();
		assert_eq!(Session::validators(), expected);
		assert_eq!(pallet_babe::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Authorities::<Runtime>::get().len(), 4);
	});
}

/// Moves the chain `epochs` proof epochs forward: each epoch's first block, in the epoch's
/// first slot (BABE's current slot, as its `on_initialize` sets it), runs the proofs pallet's
/// hook as a block would.
fn advance_epochs(epochs: u32) {
	use frame_support::traits::Hooks;
	let first = crate::Proofs::current_epoch_index() + 1;
	for epoch in first..first + epochs {
		let block = System::block_number() + 1;
		System::set_block_number(block);
		pallet_babe::CurrentSlot::<Runtime>::put(sp_consensus_babe::Slot::from(
			crate::Proofs::epoch_start_slot(epoch),
		));
		crate::Proofs::on_initialize(block);
	}
}

/// Makes validator `index` of the session the author of the current block, as BABE's digest
/// does.
fn set_author(index: u32) {
	let digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index: index,
		slot: 1.into(),
	});
	System::deposit_log(DigestItem::PreRuntime(BABE_ENGINE_ID, digest.encode()));
}

#[test]
fn fees_go_80_percent_to_treasury_and_20_percent_plus_tips_to_author() {
	with_preset("dev", || {
		set_author(0);
		let alice = Sr25519Keyring::Alice.to_account_id();
		let alice_before = Balances::free_balance(&alice);
		let treasury_before = Balances::free_balance(accounts::treasury());

		let fee = Balances::issue(1_000 * DPN);
		let tip = Balances::issue(7 * DPN);
		crate::configs::DealWithFees::on_unbalanceds([fee, tip].into_iter());

		assert_eq!(Balances::free_balance(accounts::treasury()) - treasury_before, 800 * DPN);
		assert_eq!(Balances::free_balance(&alice) - alice_before, 207 * DPN);
	});
}

#[test]
fn fees_go_to_treasury_when_no_author_is_known() {
	with_preset("dev", || {
		let treasury_before = Balances::free_balance(accounts::treasury());
		let fee = Balances::issue(100 * DPN);
		let tip = Balances::issue(5 * DPN);
		assert_eq!(fee.peek() + tip.peek(), 105 * DPN);
		crate::configs::DealWithFees::on_unbalanceds([fee, tip].into_iter());
		assert_eq!(Balances::free_balance(accounts::treasury()) - treasury_before, 105 * DPN);
	});
}

#[test]
fn governance_admits_a_validator_only_once_it_has_session_keys() {
	let mut ext = ext_from_preset("dev");
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), bob.clone()),
			pallet_validators::Error::<Runtime>::NoSessionKeys
		);

		// Bob's operator generates keys with an ownership proof and registers them.
		let generated = SessionKeys::generate(&bob.encode(), None);
		assert_ok!(Session::set_keys(
			RuntimeOrigin::signed(bob.clone()),
			generated.keys,
			generated.proof.encode(),
		));
		// Setting keys holds the key deposit.
		assert_eq!(
			Balances::free_balance(&bob),
			genesis_config_presets::DEV_ENDOWMENT - crate::configs::SessionKeyDeposit::get()
		);

		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(bob.clone()), bob.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), bob.clone()));
		assert!(pallet_validators::Validators::<Runtime>::get().contains(&bob));
		try_state();
	});
}

#[test]
fn presets_define_the_device_classes() {
	for id in ["dev", "local"] {
		with_preset(id, || {
			use genesis_config_presets::{
				CLASS_HOTSPOT, CLASS_SECURE_SENSOR, CLASS_SENSOR, CLASS_STORAGE,
			};
			for class in [CLASS_HOTSPOT, CLASS_SENSOR, CLASS_STORAGE, CLASS_SECURE_SENSOR] {
				let info = pallet_devices::Classes::<Runtime>::get(class).expect("class exists");
				assert!(info.open && info.owes.heartbeat);
			}
			let storage = pallet_devices::Classes::<Runtime>::get(CLASS_STORAGE).unwrap();
			assert!(storage.owes.storage);
			assert_eq!(storage.min_stake, 500 * DPN);
		});
	}
}

#[test]
fn an_owner_registers_bonds_unbonds_and_withdraws_on_the_dev_preset() {
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let free_at_start = Balances::free_balance(&alice);

		// The device proves possession of its key for Alice on this chain.
		let pair = sp_core::ed25519::Pair::from_seed(&[7u8; 32]);
		let key = DeviceKey::Ed25519(pair.public().0);
		let proof = DeviceSignature::Ed25519(pair.sign(&Devices::registration_message(&alice)).0);
		let location = 0x0892_8308_280f_ffff; // San Francisco, H3 resolution 9
		let metadata = b"model=hx-1".to_vec().try_into().unwrap();
		assert_ok!(Devices::register_device(
			RuntimeOrigin::signed(alice.clone()),
			key,
			genesis_config_presets::CLASS_HOTSPOT,
			Some(location),
			metadata,
			proof,
		));
		let id = key.device_id();
		let deposit = Devices::deposit_for(10);
		assert_eq!(deposit, 100 * crate::MILLI_DPN + 10 * crate::MILLI_DPN);

		// Hotspots need 100 DPN bonded to earn.
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(alice.clone()), id, 99 * DPN));
		assert!(!DeviceStaking::is_eligible(&id));
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(alice.clone()), id, DPN));
		assert!(DeviceStaking::is_eligible(&id));
		assert_eq!(Balances::free_balance(&alice), free_at_start - deposit - 100 * DPN);

		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(alice.clone()), id, 100 * DPN));
		assert_noop!(
			DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), id),
			pallet_device_staking::Error::<Runtime>::NothingToWithdraw
		);

		// 28 epochs later the stake unlocks.
		advance_epochs(crate::configs::UnbondingEpochs::get());
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), id));
		assert_eq!(Balances::free_balance(&alice), free_at_start - deposit);

		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(alice.clone()), id));
		assert_eq!(Balances::free_balance(&alice), free_at_start);
	});
}

/// A device of Alice's in the hotspot class, bonded at the class minimum: its key and id.
fn eligible_hotspot(seed: u8) -> (sp_core::sr25519::Pair, depin_primitives::DeviceId) {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let pair = sp_core::sr25519::Pair::from_seed(&[seed; 32]);
	let key = DeviceKey::Sr25519(pair.public().0);
	let proof = DeviceSignature::Sr25519(pair.sign(&Devices::registration_message(&alice)).0);
	assert_ok!(Devices::register_device(
		RuntimeOrigin::signed(alice.clone()),
		key,
		genesis_config_presets::CLASS_HOTSPOT,
		None,
		Default::default(),
		proof,
	));
	assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(alice), key.device_id(), 100 * DPN));
	(pair, key.device_id())
}

/// A feeless authorized (general, unsigned) transaction of `call`, as the off-chain worker and
/// a gateway build it.
fn authorized_transaction(call: crate::RuntimeCall) -> crate::UncheckedExtrinsic {
	use frame_system::offchain::CreateAuthorizedTransaction;
	<Runtime as CreateAuthorizedTransaction<crate::RuntimeCall>>::create_authorized_transaction(
		call,
	)
}

#[test]
fn the_pool_accepts_a_valid_proof_and_refuses_forged_and_duplicate_ones_with_a_reason() {
	use depin_primitives::{signing_message, SigningDomain};
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	with_preset("dev", || {
		let (pair, id) = eligible_hotspot(3);
		let (heartbeat, signature) = signed_heartbeat(&pair, id);
		let genesis = crate::Proofs::genesis_hash();
		let message = signing_message(SigningDomain::Heartbeat, genesis.as_ref(), &heartbeat);
		let submit = |signature| {
			authorized_transaction(crate::RuntimeCall::Proofs(
				pallet_proofs::Call::submit_heartbeat { heartbeat: heartbeat.clone(), signature },
			))
		};
		let parent = System::parent_hash();

		let valid = crate::Executive::validate_transaction(
			TransactionSource::External,
			submit(signature),
			parent,
		)
		.expect("a valid heartbeat enters the pool");
		assert_eq!(valid.provides.len(), 1);

		let forged =
			DeviceSignature::Sr25519(sp_core::sr25519::Pair::from_seed(&[99; 32]).sign(&message).0);
		assert_eq!(
			crate::Executive::validate_transaction(
				TransactionSource::External,
				submit(forged),
				parent
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);

		// Included once, the same proof is a duplicate.
		assert_ok!(crate::Executive::apply_extrinsic(submit(signature)).expect("applies"));
		assert_eq!(
			crate::Executive::validate_transaction(
				TransactionSource::External,
				submit(signature),
				parent
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				pallet_proofs::ProofError::AlreadySubmitted.code()
			)))
		);
	});
}

/// The heartbeat of device `id` for the current epoch, and the message its key signs: what a
/// gateway does, asking the runtime API for the device's challenge.
fn heartbeat_to_sign(id: depin_primitives::DeviceId) -> (depin_primitives::Heartbeat, Vec<u8>) {
	use depin_primitives::{signing_message, Heartbeat, SigningDomain};
	let asked = crate::depin_api::challenge(id).expect("the device is registered");
	let heartbeat = Heartbeat {
		device: id,
		epoch: asked.epoch,
		challenge: asked.challenge,
		readings: Default::default(),
	};
	let genesis = crate::Proofs::genesis_hash();
	let message = signing_message(SigningDomain::Heartbeat, genesis.as_ref(), &heartbeat);
	(heartbeat, message)
}

/// The heartbeat of `pair`'s device `id` for the current epoch, and its signature.
fn signed_heartbeat(
	pair: &sp_core::sr25519::Pair,
	id: depin_primitives::DeviceId,
) -> (depin_primitives::Heartbeat, DeviceSignature) {
	let (heartbeat, message) = heartbeat_to_sign(id);
	(heartbeat, DeviceSignature::Sr25519(pair.sign(&message).0))
}

/// The signed heartbeat of `pair`'s device `id`, applied as a gateway's authorized transaction.
fn heartbeat(pair: &sp_core::sr25519::Pair, id: depin_primitives::DeviceId) {
	let (heartbeat, signature) = signed_heartbeat(pair, id);
	let call =
		crate::RuntimeCall::Proofs(pallet_proofs::Call::submit_heartbeat { heartbeat, signature });
	assert_ok!(crate::Executive::apply_extrinsic(authorized_transaction(call)).expect("applies"));
}

#[test]
fn a_proven_epoch_pays_the_device_owner_the_validators_and_the_treasury() {
	use depin_primitives::{DeviceRegistry, SuspensionReason};
	use frame_support::traits::Hooks;
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let schedule = genesis_config_presets::test_emission();
		let (pair, id) = eligible_hotspot(5);
		heartbeat(&pair, id);
		// Alice authors two blocks of the epoch.
		set_author(0);
		crate::Authorship::on_initialize(System::block_number());
		crate::Authorship::on_finalize(System::block_number());
		set_author(0);
		crate::Authorship::on_initialize(System::block_number());
		// Suspended after its proof was accepted: what it earned stands.
		assert_ok!(<Devices as DeviceRegistry<_, _>>::suspend(&id, SuspensionReason::Governance));

		let (issuance, treasury) =
			(Balances::total_issuance(), Balances::free_balance(accounts::treasury()));
		let alice_before = Balances::free_balance(&alice);
		advance_epochs(1);

		// 190.1285 DPN a minute-long epoch in year 0: 70% / 10% / 20%.
		let emission = schedule.epoch_emission;
		assert_eq!(emission, 190_128_500_000_000);
		assert_eq!(Balances::total_issuance() - issuance, emission);
		assert_eq!(Balances::free_balance(&alice) - alice_before, emission / 10, "2 of 2 blocks");
		assert_eq!(
			Balances::free_balance(accounts::treasury()) - treasury,
			emission / 5,
			"the treasury's 20%"
		);
		let device_pool = emission * 7 / 10;
		assert_eq!(crate::Rewards::pending_rewards(&id), (device_pool, 1));

		// Bob claims for Alice's device: Alice is paid the whole device pool, once.
		let alice_before = Balances::free_balance(&alice);
		assert_ok!(crate::Rewards::claim_rewards(RuntimeOrigin::signed(bob.clone()), id));
		assert_eq!(Balances::free_balance(&alice) - alice_before, device_pool);
		assert_noop!(
			crate::Rewards::claim_rewards(RuntimeOrigin::signed(bob), id),
			pallet_rewards::Error::<Runtime>::NothingToClaim
		);
	});
}

#[test]
fn retiring_a_device_pays_its_unclaimed_rewards_and_drops_what_the_chain_kept_of_it() {
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let (pair, id) = eligible_hotspot(6);
		heartbeat(&pair, id);
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(alice.clone()), id, 100 * DPN));
		advance_epochs(crate::configs::UnbondingEpochs::get());
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), id));
		let (owed, epochs) = crate::Rewards::pending_rewards(&id);
		assert!(owed > 0 && epochs == 1, "the epoch it proved is still claimable");
		assert!(pallet_proofs::Records::<Runtime>::contains_key(id));

		let before = Balances::free_balance(&alice);
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(alice.clone()), id));
		let deposit = Devices::deposit_for(0);
		assert_eq!(Balances::free_balance(&alice) - before, owed + deposit, "rewards and deposit");
		assert_eq!(pallet_rewards::DevicePoints::<Runtime>::iter_prefix(id).count(), 0);
		assert!(!pallet_proofs::Records::<Runtime>::contains_key(id));
	});
}

#[test]
fn two_proven_devices_share_the_device_pool_by_points() {
	with_preset("dev", || {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let (a_pair, a) = eligible_hotspot(7);
		let (b_pair, b) = eligible_hotspot(8);
		heartbeat(&a_pair, a);
		heartbeat(&b_pair, b);
		advance_epochs(1);
		let pool = genesis_config_presets::test_emission().epoch_emission * 7 / 10;
		assert_eq!(crate::Rewards::pending_rewards(&a), (pool / 2, 1));
		let alice = Sr25519Keyring::Alice.to_account_id();
		let before = Balances::free_balance(&alice);
		assert_ok!(crate::Rewards::claim_rewards(RuntimeOrigin::signed(bob), a));
		assert_eq!(Balances::free_balance(&alice) - before, pool / 2);
	});
}

#[test]
fn the_depin_api_reports_devices_rewards_epochs_challenges_and_statistics() {
	use crate::depin_api;
	use depin_primitives::{DeviceId, DeviceStatus};
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let unknown = DeviceId::repeat_byte(0xab);
		assert_eq!(depin_api::device(unknown), None);
		assert_eq!(depin_api::pending_rewards(unknown), None);
		assert_eq!(depin_api::challenge(unknown), None);
		assert!(depin_api::devices_by_owner(alice.clone(), None, 10).is_empty());
		let stats = depin_api::network_stats();
		assert_eq!(
			(stats.devices.active, stats.total_bonded, stats.last_closed_epoch),
			(0, 0, None)
		);
		assert_eq!(stats.total_issuance, Balances::total_issuance());

		let (pair, id) = eligible_hotspot(9);
		let view = depin_api::device(id).expect("registered");
		assert_eq!((view.owner, view.class, view.status), (alice.clone(), 1, DeviceStatus::Active));
		assert_eq!((view.bonded, view.last_heartbeat), (100 * DPN, None));
		assert_eq!(depin_api::devices_by_owner(alice.clone(), None, 10), vec![id]);
		assert!(depin_api::devices_by_owner(alice, Some(id), 10).is_empty(), "after the last");

		let epoch = depin_api::epoch();
		assert_eq!((epoch.index, epoch.length), (0, 10));
		let challenge = depin_api::challenge(id).expect("registered");
		assert_eq!(challenge.challenge, crate::Proofs::current_challenge(&id));
		assert_eq!(challenge.storage_indices, None, "a hotspot owes no storage proof");
		heartbeat(&pair, id);
		assert_eq!(depin_api::device(id).expect("registered").last_heartbeat, Some(0));

		advance_epochs(1);
		let epoch = depin_api::epoch();
		// The epoch's first block (the test's next block); its first slot, ten slots on.
		assert_eq!((epoch.index, epoch.start_block), (1, System::block_number()));
		let clock = depin_api::epoch_clock();
		assert_eq!((clock.epoch_length, clock.slot_duration_ms), (10, crate::SLOT_DURATION));
		assert_eq!(crate::Proofs::epoch_start_slot(1), clock.genesis_slot + 10);
		assert_eq!(epoch.seed, pallet_proofs::EpochSeed::<Runtime>::get());
		let pool = genesis_config_presets::test_emission().epoch_emission * 7 / 10;
		let pending = depin_api::pending_rewards(id).expect("registered");
		assert_eq!((pending.amount, pending.epochs), (pool, 1));

		let stats = depin_api::network_stats();
		assert_eq!((stats.devices.active, stats.devices.suspended), (1, 0));
		assert_eq!(stats.by_class.first().map(|(c, n)| (*c, n.active)), Some((1, 1)));
		assert_eq!(stats.total_bonded, 100 * DPN);
		let emission = genesis_config_presets::test_emission().epoch_emission;
		assert_eq!(stats.last_closed_epoch.map(|(e, _, minted)| (e, minted)), Some((0, emission)));
		assert_eq!(stats.total_emitted, emission);

		let classes = depin_api::classes();
		let ids: Vec<_> = classes.iter().map(|c| c.id).collect();
		assert_eq!(ids, vec![1, 2, 3, 4]);
		assert!(classes[2].owes_storage && classes[2].owes_heartbeat && !classes[0].owes_storage);
		assert_eq!(classes[0].min_stake, 100 * DPN);
	});
}

#[test]
fn view_functions_answer_through_the_runtime_dispatch() {
	use codec::Decode;
	use frame_support::view_functions::ViewFunction;
	with_preset("dev", || {
		let (pair, id) = eligible_hotspot(11);
		heartbeat(&pair, id);
		advance_epochs(1);
		// What `RuntimeViewFunction_execute_view_function` runs for a client.
		let call = |view_id, input: Vec<u8>| {
			Runtime::execute_view_function(view_id, input).expect("the view function exists")
		};
		let claimable = call(<pallet_rewards::ClaimableViewFunction<Runtime>>::id(), id.encode());
		let claimable = <(crate::Balance, u32)>::decode(&mut &claimable[..]).expect("decodes");
		assert_eq!(claimable, crate::Rewards::pending_rewards(&id));
		assert!(claimable.0 > 0 && claimable.1 == 1);

		let challenge = call(<pallet_proofs::ChallengeOfViewFunction<Runtime>>::id(), id.encode());
		let challenge =
			<(u32, sp_core::H256, Option<Vec<u64>>)>::decode(&mut &challenge[..]).expect("decodes");
		assert_eq!(challenge, (1, crate::Proofs::current_challenge(&id), None));
	});
}

#[test]
fn a_bench_network_starts_with_its_devices_registered_bonded_and_able_to_prove() {
	use depin_primitives::{bench, keys::Scheme};
	let devices = bench::DEVICES_PER_OWNER + 7;
	// Ed25519 keys by default; P-256 ones to measure what secure elements' proofs cost.
	for scheme in [Scheme::Ed25519, Scheme::P256] {
		bench_network(devices, scheme);
	}
}

fn bench_network(devices: u32, scheme: depin_primitives::keys::Scheme) {
	use depin_primitives::{bench, device_challenge, signing_message, Heartbeat, SigningDomain};
	ext_from_patch(genesis_config_presets::bench_genesis(devices, 30, scheme)).execute_with(|| {
		let counts = pallet_devices::DeviceCounts::<Runtime>::get();
		assert_eq!(counts.active, devices);
		assert_eq!(pallet_proofs::EpochLength::<Runtime>::get(), 30);
		let sensor = pallet_devices::Classes::<Runtime>::get(genesis_config_presets::CLASS_SENSOR)
			.expect("sensors exist");
		assert_eq!(
			pallet_device_staking::TotalBonded::<Runtime>::get(),
			sensor.min_stake * devices as u128
		);

		// The last device belongs to the second owner, both derived from the public seeds.
		let index = devices - 1;
		let pair = bench::device_pair(index, scheme);
		let key = pair.public();
		let owner: crate::AccountId =
			sp_core::sr25519::Pair::from_seed(&bench::owner_seed(1)).public().into();
		let info = pallet_devices::Devices::<Runtime>::get(key.device_id()).expect("registered");
		assert_eq!(info.owner, owner);
		assert_eq!(pallet_devices::OwnerDeviceCount::<Runtime>::get(&owner), 7);
		assert_eq!(crate::depin_api::devices_by_owner(owner.clone(), None, 1_000).len(), 7);
		assert!(DeviceStaking::is_eligible(&key.device_id()));
		assert_eq!(
			Balances::free_balance(&owner),
			genesis_config_presets::BENCH_OWNER_ENDOWMENT
				- 7 * (sensor.min_stake + Devices::deposit_for(0))
		);

		// A load tool holding only the seed signs a heartbeat the chain accepts.
		let epoch = pallet_proofs::CurrentEpoch::<Runtime>::get();
		let heartbeat = Heartbeat {
			device: key.device_id(),
			epoch,
			challenge: device_challenge(
				&pallet_proofs::EpochSeed::<Runtime>::get(),
				&key.device_id(),
				epoch,
			),
			readings: Default::default(),
		};
		let genesis = crate::Proofs::genesis_hash();
		let message = signing_message(SigningDomain::Heartbeat, genesis.as_ref(), &heartbeat);
		let signature = pair.sign(&message);
		assert_ok!(crate::Proofs::check_heartbeat(&heartbeat, &signature));
		try_state();
	});
}

/// The windows of offences, unbonding, slash deferral and recovery fit together: a report can
/// come while the stake is still there, and an offence reported at the end of its window is
/// still slashed before the stake it reaches unbonds.
#[test]
fn the_offence_unbonding_and_recovery_windows_fit_together() {
	let report_window = <Runtime as pallet_proofs::Config>::ReportWindow::get();
	let offence_window = <Runtime as pallet_device_staking::Config>::OffenceWindow::get();
	let unbonding = <Runtime as pallet_device_staking::Config>::UnbondingEpochs::get();
	assert_eq!(report_window, offence_window, "the proof pallet and staking agree");
	assert!(offence_window < unbonding, "unbonding stake is still there when reported");
	// Recovery unbonds the previous owner's bond, so it stays slashable as long as any.
	assert!(
		crate::configs::RecoveryDelay::get() >= crate::HOURS,
		"a recovery waits long enough to be seen"
	);
}

/// A fixture of `pallets/makers/fixtures/` (`scripts/attestation-fixtures.sh`).
fn maker_fixture(name: &str) -> Vec<u8> {
	let path = format!("{}/../pallets/makers/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
	std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn an_attested_secure_sensor_registers_earns_until_revoked_and_retires_releasing_the_deposit() {
	use depin_primitives::{
		attestation::{AttestationEvidence, AttestationState, CertDer},
		keys::{DevicePair, Scheme},
		DeviceAttestation,
	};
	use frame_support::traits::fungible::InspectHold;
	use genesis_config_presets::CLASS_SECURE_SENSOR;
	with_preset("dev", || {
		// 2026-12-01: inside the fixtures' validity.
		pallet_timestamp::Now::<Runtime>::put(1_796_083_200_000);
		let (alice, charlie) =
			(Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Charlie.to_account_id());
		let cert = |name: &str| CertDer::try_from(maker_fixture(&format!("{name}.der"))).unwrap();
		assert_ok!(crate::Makers::admit_maker(
			RuntimeOrigin::root(),
			charlie.clone().into(),
			b"acme".to_vec().try_into().unwrap(),
			vec![cert("p256-root")].try_into().unwrap(),
			None,
			10,
		));
		let secret: [u8; 32] = maker_fixture("p256-leaf.key").try_into().unwrap();
		let pair = DevicePair::from_secret(Scheme::P256, secret).unwrap();
		let (key, id) = (pair.public(), pair.id());
		let proof = pair.sign(&Devices::registration_message(&alice));
		let register = |evidence: Option<AttestationEvidence>| match evidence {
			Some(evidence) => Devices::register_attested_device(
				RuntimeOrigin::signed(alice.clone()),
				key,
				CLASS_SECURE_SENSOR,
				None,
				Default::default(),
				proof,
				evidence,
			)
			.map(|_| ())
			.map_err(|e| e.error),
			None => Devices::register_device(
				RuntimeOrigin::signed(alice.clone()),
				key,
				CLASS_SECURE_SENSOR,
				None,
				Default::default(),
				proof,
			),
		};
		assert_noop!(register(None), pallet_devices::Error::<Runtime>::AttestationRequired);
		let evidence = AttestationEvidence::X509 {
			maker: 0,
			chain: vec![cert("p256-leaf"), cert("p256-int")].try_into().unwrap(),
		};
		assert_ok!(register(Some(evidence)));
		assert_eq!(crate::Makers::state(&id), AttestationState::Valid);
		let onboarding: crate::RuntimeHoldReason = pallet_makers::HoldReason::Onboarding.into();
		let deposit = crate::configs::OnboardingDeposit::get();
		assert_eq!(Balances::balance_on_hold(&onboarding, &charlie), deposit);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(alice.clone()), id, 10 * DPN));

		// It earns, as its P-256 key signs.
		let signed = |id| {
			let (heartbeat, message) = heartbeat_to_sign(id);
			(heartbeat, pair.sign(&message))
		};
		let (heartbeat, signature) = signed(id);
		assert_ok!(crate::Proofs::check_heartbeat(&heartbeat, &signature));

		// Revoked: the rest of this epoch still counts, the next does not.
		assert_ok!(crate::Makers::revoke_maker(RuntimeOrigin::root(), 0));
		assert_ok!(crate::Proofs::check_heartbeat(&heartbeat, &signature));
		advance_epochs(1);
		let (heartbeat, signature) = signed(id);
		assert_eq!(
			crate::Proofs::check_heartbeat(&heartbeat, &signature).map(|_| ()),
			Err(pallet_proofs::ProofError::AttestationRevoked)
		);

		// Retiring releases the maker's deposit (through the registry's retirement hooks).
		assert_ok!(DeviceStaking::unbond(RuntimeOrigin::signed(alice.clone()), id, 10 * DPN));
		advance_epochs(crate::configs::UnbondingEpochs::get());
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), id));
		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(alice), id));
		assert_eq!(Balances::balance_on_hold(&onboarding, &charlie), 0);
		assert_eq!(crate::Makers::state(&id), AttestationState::None);
	});
}
