//! Stake at genesis, behind devices registered at genesis.

use crate::{mock::*, Ledgers, TotalBonded};
use depin_primitives::StakeInfo;

/// The mock's genesis with Alice's devices of `seeds` registered and `bonds` (device seed,
/// amount) bonded.
fn genesis_with(seeds: &[u8], bonds: Vec<(u8, u64)>) -> sp_io::TestExternalities {
	let keys = seeds.iter().map(|seed| key(*seed).public()).collect();
	let bonds = bonds.into_iter().map(|(seed, amount)| (key(seed).id(), amount)).collect();
	genesis_storage(keys, bonds).into()
}

#[test]
fn genesis_bonds_make_genesis_devices_eligible() {
	genesis_with(&[1, 2], vec![(1, MIN_STAKE), (2, MIN_STAKE / 2)]).execute_with(|| {
		let (eligible, short) = (key(1).id(), key(2).id());
		assert_eq!(DeviceStaking::bonded(&eligible), MIN_STAKE);
		assert!(DeviceStaking::is_eligible(&eligible));
		assert!(!DeviceStaking::is_eligible(&short), "below the class minimum");
		assert_eq!(Ledgers::<Test>::get(eligible).expect("bonded").owner, ALICE);
		assert_eq!(staked(ALICE), MIN_STAKE + MIN_STAKE / 2);
		assert_eq!(TotalBonded::<Test>::get(), MIN_STAKE + MIN_STAKE / 2);
		DeviceStaking::do_try_state().expect("genesis stake keeps the invariants");
	});
}

#[test]
#[should_panic(expected = "genesis bond of an unknown device")]
fn a_genesis_bond_needs_a_registered_device() {
	genesis_with(&[], vec![(1, MIN_STAKE)]);
}

#[test]
#[should_panic(expected = "genesis bond refused")]
fn a_genesis_bond_must_be_affordable() {
	genesis_with(&[1], vec![(1, FUNDS)]);
}

#[test]
#[should_panic(expected = "genesis bond refused")]
fn a_genesis_bond_is_not_zero() {
	genesis_with(&[1], vec![(1, 0)]);
}
