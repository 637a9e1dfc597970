//! The invariant checks catch corrupted state.

use crate::{mock::*, Ledgers, PendingSlashTotals, PendingTotal, TotalBonded};
use frame_support::assert_ok;

#[test]
fn a_ledger_that_disagrees_with_the_hold_is_caught() {
	new_test_ext().execute_with(|| {
		let id = device(ALICE, 1);
		assert_ok!(DeviceStaking::bond(RuntimeOrigin::signed(ALICE), id, 100));
		Ledgers::<Test>::mutate(id, |l| l.as_mut().unwrap().bonded += 1);
		assert!(DeviceStaking::do_try_state().is_err());
	});
}

#[test]
fn a_wrong_total_is_caught() {
	new_test_ext().execute_with(|| {
		TotalBonded::<Test>::put(1);
		assert!(DeviceStaking::do_try_state().is_err());
	});
}

#[test]
fn a_wrong_pending_count_is_caught() {
	new_test_ext().execute_with(|| {
		let id = device(ALICE, 1);
		PendingSlashTotals::<Test>::insert(id, PendingTotal { count: 1, amount: 10 });
		assert!(DeviceStaking::do_try_state().is_err());
	});
}
