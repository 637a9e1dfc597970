//! Tests of the composed runtime: its genesis presets, fee routing, validator admission and a
//! device owner's journey, run against the real `Runtime` (natively) with a preset's state.

use crate::{
	accounts, configs::EXISTENTIAL_DEPOSIT, genesis_config_presets, AllPalletsWithSystem, Balances,
	DeviceStaking, Devices, Runtime, RuntimeGenesisConfig, RuntimeOrigin, Session, SessionKeys,
	System, Validators, DPN,
};
use codec::Encode;
use depin_primitives::{DeviceKey, DeviceSignature, StakeInfo};
use frame_support::{
	assert_noop, assert_ok,
	genesis_builder_helper::build_state,
	traits::{fungible::Balanced, Imbalance, IntegrityTest, OnUnbalanced},
};
use serde_json::Value;
use sp_consensus_babe::{
	digests::{PreDigest, SecondaryPlainPreDigest},
	BABE_ENGINE_ID,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{BuildStorage, DigestItem};

/// Merges a preset's JSON patch into the default genesis config, as chain-spec tooling does.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// Externalities holding the genesis state of preset `id`.
fn ext_from_preset(id: &str) -> sp_io::TestExternalities {
	let patch: Value = serde_json::from_slice(
		&genesis_config_presets::get_preset(&id.into()).expect("preset exists"),
	)
	.expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	merge(&mut config, patch);
	let json = serde_json::to_vec(&config).expect("serializes");

	let storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("preset builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Checks the invariants of our pallets.
fn try_state() {
	Validators::do_try_state().expect("validators invariants hold");
	Devices::do_try_state().expect("devices invariants hold");
	DeviceStaking::do_try_state().expect("device staking invariants hold");
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
fn dev_preset_has_alice_as_sole_validator_and_sudo() {
	with_preset("dev", || {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert_eq!(
			pallet_validators::SessionLength::<Runtime>::get(),
			genesis_config_presets::TEST_SESSION_LENGTH
		);
		assert_eq!(Balances::free_balance(&alice), genesis_config_presets::DEV_ENDOWMENT);
		assert_eq!(Balances::free_balance(accounts::treasury()), EXISTENTIAL_DEPOSIT);
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
			use genesis_config_presets::{CLASS_HOTSPOT, CLASS_SENSOR, CLASS_STORAGE};
			for class in [CLASS_HOTSPOT, CLASS_SENSOR, CLASS_STORAGE] {
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

		// 28 epochs of 10 blocks later the stake unlocks.
		let unbonding = crate::configs::UnbondingEpochs::get();
		let session = pallet_validators::SessionLength::<Runtime>::get() as u32;
		System::set_block_number(System::block_number() + unbonding * session);
		assert_ok!(DeviceStaking::withdraw_unbonded(RuntimeOrigin::signed(alice.clone()), id));
		assert_eq!(Balances::free_balance(&alice), free_at_start - deposit);

		assert_ok!(Devices::deregister_device(RuntimeOrigin::signed(alice.clone()), id));
		assert_eq!(Balances::free_balance(&alice), free_at_start);
	});
}
