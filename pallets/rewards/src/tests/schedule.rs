//! The emission schedule against the independent reference table, and the cap.

use crate::{mock::*, Emission, EmissionParams, EmissionYear, Error, Event, TotalEmitted};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

/// The production parameters the reference table (docs/economics/emission.py) uses.
fn production() -> EmissionParams<u64> {
	EmissionParams {
		epoch_emission: 11_407_710_000_000_000,
		yearly_decay: Perbill::from_percent(15),
		epochs_per_year: 8_766,
		cap: u64::MAX,
		device_share: Perbill::from_percent(70),
		validator_share: Perbill::from_percent(10),
	}
}

#[test]
fn the_schedule_matches_the_reference_table_to_the_planck_for_sixty_years() {
	test(|| {
		Emission::<Test>::put(production());
		let table = include_str!("../../../../docs/economics/emission_reference.csv");
		let mut years = 0;
		for line in table.lines().skip(1) {
			let fields: Vec<u128> = line.split(',').map(|f| f.parse().unwrap()).collect();
			let (year, expected) = (fields[0] as u32, fields[1]);
			// The first and the last epoch of each year emit the year's rate.
			for epoch in [year * 8_766, year * 8_766 + 8_765] {
				set_epoch(epoch);
				let scheduled = Rewards::scheduled_emission_for(epoch).unwrap();
				assert_eq!(u128::from(scheduled), expected, "year {year}, epoch {epoch}");
			}
			years += 1;
		}
		assert_eq!(years, 60);
		assert_eq!(EmissionYear::<Test>::get(), 59);
	});
}

#[test]
fn the_mock_schedule_decays_ten_percent_a_year() {
	test(|| {
		for (epoch, expected) in [(0, 10_000), (9, 10_000), (10, 9_000), (25, 8_100), (30, 7_290)] {
			set_epoch(epoch);
			assert_eq!(Rewards::scheduled_emission_for(epoch), Some(expected), "epoch {epoch}");
		}
	});
}

#[test]
fn emission_never_passes_the_cap() {
	test(|| {
		let d = device(ALICE, 1);
		let mut p = params();
		p.cap = Balances::total_issuance() + 25_000;
		Emission::<Test>::put(p);
		for _ in 0..5 {
			points(d, 1);
			close_epoch();
		}
		assert_eq!(Balances::total_issuance(), p.cap, "10 000 + 10 000 + 5 000, then nothing");
		assert_eq!(TotalEmitted::<Test>::get(), 25_000);
		System::assert_last_event(Event::EpochClosed { epoch: 4, points: 1, emission: 0 }.into());
	});
}

#[test]
fn governance_sets_the_emission_within_bounds() {
	test(|| {
		let mut p = params();
		p.epoch_emission = 1;
		assert_noop!(
			Rewards::set_emission(RuntimeOrigin::signed(ALICE), p),
			sp_runtime::DispatchError::BadOrigin
		);
		p.epochs_per_year = 0;
		assert_noop!(
			Rewards::set_emission(RuntimeOrigin::root(), p),
			Error::<Test>::ZeroEpochsPerYear
		);
		p.epochs_per_year = 10;
		p.device_share = Perbill::from_percent(95);
		assert_noop!(
			Rewards::set_emission(RuntimeOrigin::root(), p),
			Error::<Test>::SharesAboveOne
		);
		p.device_share = Perbill::from_percent(90);
		set_epoch(23);
		assert_ok!(Rewards::set_emission(RuntimeOrigin::root(), p));
		System::assert_last_event(Event::EmissionSet.into());
		assert_eq!(EmissionYear::<Test>::get(), 2, "the rate given is the current year's");
		assert_eq!(Rewards::scheduled_emission_for(23), Some(1));
	});
}
