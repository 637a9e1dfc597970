//! Tests of the validators pallet, as user stories: governance adds and removes validators, the
//! session pallet picks the change up across sessions.

use crate::{mock::*, Error, Event, SessionLength, SetChanged, Validators as ValidatorSet};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn wanted() -> Vec<u64> {
	ValidatorSet::<Test>::get().into_inner()
}

#[test]
fn genesis_sets_validators_and_session_length() {
	test(|| {
		assert_eq!(wanted(), GENESIS_VALIDATORS.to_vec());
		assert_eq!(Session::validators(), GENESIS_VALIDATORS.to_vec());
		assert_eq!(SessionLength::<Test>::get(), SESSION_LENGTH);
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn added_validator_authors_from_the_session_after_the_next() {
	test(|| {
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), CANDIDATE));
		System::assert_last_event(Event::ValidatorAdded { validator: CANDIDATE }.into());
		assert_eq!(wanted(), vec![1, 2, 3, CANDIDATE]);
		assert!(!Session::validators().contains(&CANDIDATE));

		// First boundary: the set is planned (queued) for the following session.
		next_session();
		assert_eq!(Session::current_index(), 1);
		System::assert_has_event(Event::NewSetPlanned { session: 2, count: 4 }.into());
		assert!(Session::queued_keys().iter().any(|(v, _)| *v == CANDIDATE));
		assert!(!Session::validators().contains(&CANDIDATE));

		// Second boundary: the candidate is an active validator.
		next_session();
		assert_eq!(Session::current_index(), 2);
		assert_eq!(Session::validators(), vec![1, 2, 3, CANDIDATE]);
	});
}

#[test]
fn removed_validator_stops_from_the_session_after_the_next() {
	test(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
		assert_eq!(wanted(), vec![1, 3]);

		next_session();
		assert!(Session::validators().contains(&2));
		next_session();
		assert_eq!(Session::validators(), vec![1, 3]);
	});
}

#[test]
fn unchanged_set_is_not_replanned() {
	test(|| {
		next_session();
		next_session();
		assert!(System::events()
			.iter()
			.all(|r| !matches!(r.event, RuntimeEvent::Validators(Event::NewSetPlanned { .. }))));
		assert_eq!(Session::validators(), GENESIS_VALIDATORS.to_vec());
	});
}

#[test]
fn add_and_remove_need_governance() {
	test(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(1), CANDIDATE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_refuses_an_existing_validator() {
	test(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn add_refuses_an_account_without_session_keys() {
	test(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), KEYLESS),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn add_refuses_past_the_maximum() {
	test(|| {
		// Fill the set up to MaxValidators (10) directly; keys are not checked by `do_add`.
		for who in 10..17 {
			assert_ok!(Validators::do_add_validator(who));
		}
		assert_eq!(wanted().len(), 10);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), CANDIDATE),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn remove_refuses_a_non_validator() {
	test(|| {
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), CANDIDATE),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn remove_refuses_to_drop_below_the_minimum() {
	test(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), 3));
		// Two left, MinValidators is two.
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::TooFewValidators
		);
		assert_eq!(wanted(), vec![1, 2]);
	});
}

#[test]
fn session_length_getter_reads_genesis() {
	test(|| {
		use frame_support::traits::Get;
		assert_eq!(<crate::SessionLengthOf<Test> as Get<u64>>::get(), SESSION_LENGTH);
	});
}

#[test]
fn try_state_catches_a_set_below_minimum() {
	new_test_ext().execute_with(|| {
		ValidatorSet::<Test>::put(frame_support::BoundedVec::truncate_from(vec![1]));
		assert!(Validators::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_duplicates() {
	new_test_ext().execute_with(|| {
		ValidatorSet::<Test>::put(frame_support::BoundedVec::truncate_from(vec![1, 2, 2]));
		assert!(Validators::do_try_state().is_err());
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn the_migration_to_version_1_records_it_and_keeps_every_entry() {
	test(|| {
		assert_eq!(
			depin_primitives::migrations::check_initial_migration::<
				Validators,
				crate::migrations::MigrateToV1<Test>,
			>(),
			Ok(())
		);
	});
}
