//! How each epoch's emission splits between devices, validators and the treasury.

use crate::{mock::*, EpochPools, Event, LastClosedEpoch, TotalEmitted};

#[test]
fn an_epoch_splits_70_10_20_and_mints_exactly_its_emission() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 5);
		authored(V1, 3);
		authored(V2, 1);
		let (issuance, treasury) = (Balances::total_issuance(), Balances::free_balance(TREASURY));
		close_epoch();
		System::assert_last_event(
			Event::EpochClosed { epoch: 0, points: 5, emission: 10_000 }.into(),
		);
		assert_eq!(Balances::total_issuance() - issuance, 10_000);
		assert_eq!(pot(), 7_000);
		assert_eq!(EpochPools::<Test>::get(0).unwrap().pool, 7_000);
		// Validators by blocks authored: 750 and 250 of 1 000.
		assert_eq!(Balances::free_balance(V1), 750);
		assert_eq!(Balances::free_balance(V2), 250);
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 2_000);
		assert_eq!(TotalEmitted::<Test>::get(), 10_000);
		assert_eq!(LastClosedEpoch::<Test>::get(), Some((0, 5, 10_000)));
	});
}

#[test]
fn an_epoch_without_points_or_blocks_sends_those_pools_to_the_treasury() {
	test(|| {
		let treasury = Balances::free_balance(TREASURY);
		close_epoch();
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 10_000);
		assert_eq!(pot(), 0);
		assert!(EpochPools::<Test>::get(0).is_none());
	});
}

#[test]
fn validator_rounding_dust_goes_to_the_treasury() {
	test(|| {
		let d = device(ALICE, 1);
		points(d, 1);
		authored(V1, 1);
		authored(V2, 2);
		let (issuance, treasury) = (Balances::total_issuance(), Balances::free_balance(TREASURY));
		close_epoch();
		// 1 000 for validators: 333 and 666, one planck of dust.
		assert_eq!((Balances::free_balance(V1), Balances::free_balance(V2)), (333, 666));
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 2_001);
		assert_eq!(Balances::total_issuance() - issuance, 10_000, "never more than the emission");
	});
}

#[test]
fn a_tiny_emission_still_mints_exactly_its_amount() {
	test(|| {
		// A schedule of 10 planck an epoch: the validator's 10% is a single planck, and the
		// device pool of an epoch without points goes to the treasury with its 20%.
		let mut p = params();
		p.epoch_emission = 10;
		crate::Emission::<Test>::put(p);
		authored(V1, 1);
		let (issuance, treasury) = (Balances::total_issuance(), Balances::free_balance(TREASURY));
		close_epoch();
		assert_eq!(Balances::total_issuance() - issuance, 10);
		assert_eq!(Balances::free_balance(V1), 1, "10% of 10");
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 9, "no points: devices' 7 too");
	});
}
