//! What governance does: the class table, suspensions; and the registry as other pallets see it.

use crate::{mock::*, ClassCounts, Classes, DeviceCounts, Devices as DeviceMap, Error, Event};
use depin_primitives::{DeviceRegistry, DeviceStatus, SuspensionReason};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;

#[test]
fn governance_creates_and_changes_classes() {
	test(|| {
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), 7, class_named(b"energy-meter")));
		System::assert_last_event(Event::ClassSet { class: 7 }.into());
		assert_eq!(Classes::<Test>::get(7), Some(class_named(b"energy-meter")));

		let mut closed = class_named(b"energy-meter");
		closed.open = false;
		closed.min_stake = 2_000;
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), 7, closed.clone()));
		assert_eq!(Classes::<Test>::get(7), Some(closed));
	});
}

#[test]
fn set_class_needs_governance_and_a_name() {
	test(|| {
		assert_noop!(
			Devices::set_class(RuntimeOrigin::signed(ALICE), 7, class_named(b"x")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Devices::set_class(RuntimeOrigin::root(), 7, class_named(b"")),
			Error::<Test>::EmptyClassName
		);
	});
}

#[test]
fn a_new_class_takes_registrations_at_once() {
	test(|| {
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), 7, class_named(b"compute")));
		let device = TestDevice::ed(1);
		assert_ok!(Devices::register_device(
			RuntimeOrigin::signed(ALICE),
			device.key(),
			7,
			None,
			metadata(0),
			device.pop(ALICE),
		));
		assert_eq!(ClassCounts::<Test>::get(7).active, 1);
	});
}

#[test]
fn governance_suspends_and_resumes_devices() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_ok!(Devices::suspend_device(
			RuntimeOrigin::root(),
			id,
			SuspensionReason::Governance
		));
		System::assert_last_event(
			Event::DeviceSuspended { device: id, reason: SuspensionReason::Governance }.into(),
		);
		assert_eq!(
			DeviceMap::<Test>::get(id).unwrap().status,
			DeviceStatus::Suspended(SuspensionReason::Governance)
		);
		assert_eq!(DeviceCounts::<Test>::get().suspended, 1);

		System::set_block_number(7);
		assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		System::assert_last_event(Event::DeviceResumed { device: id, by_owner: None }.into());
		assert_eq!(DeviceMap::<Test>::get(id).unwrap().active_since, 7, "activity restarts");
		assert_eq!(DeviceMap::<Test>::get(id).unwrap().status, DeviceStatus::Active);
		assert_eq!(DeviceCounts::<Test>::get().active, 1);
		assert_eq!(DeviceCounts::<Test>::get().suspended, 0);
	});
}

#[test]
fn suspend_and_resume_refuse_what_does_not_apply() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_noop!(
			Devices::suspend_device(RuntimeOrigin::signed(ALICE), id, SuspensionReason::Governance),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Devices::resume_device(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::DeviceNotSuspended
		);
		assert_noop!(Devices::resume_device(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
		assert_noop!(
			Devices::suspend_device(
				RuntimeOrigin::root(),
				H256::zero(),
				SuspensionReason::Governance
			),
			Error::<Test>::DeviceNotFound
		);
		assert_noop!(
			Devices::resume_device(RuntimeOrigin::root(), id),
			Error::<Test>::DeviceNotSuspended
		);
		assert_ok!(Devices::suspend_device(
			RuntimeOrigin::root(),
			id,
			SuspensionReason::Misbehaviour
		));
		assert_noop!(
			Devices::suspend_device(RuntimeOrigin::root(), id, SuspensionReason::Governance),
			Error::<Test>::DeviceNotActive
		);
	});
}

#[test]
fn the_registry_trait_shows_devices_and_class_terms() {
	test(|| {
		let device = TestDevice::ed(1);
		let id = register(ALICE, &device);
		let summary = <Devices as DeviceRegistry<u64, u64>>::device(&id).expect("known");
		assert_eq!((summary.owner, summary.key, summary.class), (ALICE, device.key(), HOTSPOT));
		assert_eq!(summary.status, DeviceStatus::Active);
		assert!(<Devices as DeviceRegistry<u64, u64>>::device(&H256::zero()).is_none());

		let terms = <Devices as DeviceRegistry<u64, u64>>::class_terms(STORAGE).expect("known");
		assert_eq!((terms.min_stake, terms.reward_weight), (1_000, 30));
		assert!(terms.owes_heartbeat && terms.owes_storage);
		assert!(<Devices as DeviceRegistry<u64, u64>>::class_terms(99).is_none());

		// Other pallets (the proof pallet) suspend through the trait.
		assert_ok!(<Devices as DeviceRegistry<u64, u64>>::suspend(
			&id,
			SuspensionReason::Unresponsive
		));
		assert_eq!(
			DeviceMap::<Test>::get(id).unwrap().status,
			DeviceStatus::Suspended(SuspensionReason::Unresponsive)
		);
	});
}

#[test]
fn an_owner_resumes_a_device_suspended_as_unresponsive_after_the_cool_down_only() {
	test(|| {
		let id = register(ALICE, &TestDevice::ed(1));
		assert_ok!(<Devices as DeviceRegistry<u64, u64>>::suspend(
			&id,
			SuspensionReason::Unresponsive
		));
		let suspended_at = System::block_number();
		assert_noop!(
			Devices::resume_device(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::CooldownNotOver
		);
		run_to_block(suspended_at + RESUME_COOLDOWN);
		assert_noop!(
			Devices::resume_device(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
		assert_ok!(Devices::resume_device(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(
			Event::DeviceResumed { device: id, by_owner: Some(ALICE) }.into(),
		);
		let device = DeviceMap::<Test>::get(id).unwrap();
		assert_eq!(
			(device.status, device.active_since),
			(DeviceStatus::Active, System::block_number())
		);

		// Never one suspended for misbehaviour or by governance.
		for reason in [SuspensionReason::Misbehaviour, SuspensionReason::Governance] {
			assert_ok!(Devices::suspend_device(RuntimeOrigin::root(), id, reason));
			run_to_block(System::block_number() + RESUME_COOLDOWN);
			assert_noop!(
				Devices::resume_device(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::NotResumableByOwner
			);
			assert_ok!(Devices::resume_device(RuntimeOrigin::root(), id));
		}
	});
}

#[test]
fn class_terms_that_contradict_themselves_are_refused_and_since_is_the_chains() {
	use depin_primitives::{MetricRange, UsageTerms, UsageUnit};
	test(|| {
		let range = |metric, min, max| MetricRange { metric, min, max };
		let mut class = class_named(b"meter");
		class.telemetry = vec![range(1, 0, 10), range(1, 0, 5)].try_into().unwrap();
		assert_noop!(
			Devices::set_class(RuntimeOrigin::root(), 9, class.clone()),
			Error::<Test>::InvalidClassTerms
		);
		class.telemetry = vec![range(1, 10, 0)].try_into().unwrap();
		assert_noop!(
			Devices::set_class(RuntimeOrigin::root(), 9, class.clone()),
			Error::<Test>::InvalidClassTerms
		);
		class.telemetry = vec![range(1, 0, 10), range(2, -5, 5)].try_into().unwrap();
		class.min_data_chunks = 0;
		assert_noop!(
			Devices::set_class(RuntimeOrigin::root(), 9, class.clone()),
			Error::<Test>::InvalidClassTerms
		);
		class.min_data_chunks = 4;
		class.usage = Some(UsageTerms { unit: UsageUnit::Reading, credits_per_unit: 0 });
		assert_noop!(
			Devices::set_class(RuntimeOrigin::root(), 9, class.clone()),
			Error::<Test>::InvalidClassTerms
		);
		class.usage = Some(UsageTerms { unit: UsageUnit::Reading, credits_per_unit: 3 });
		class.since = 77;
		assert_ok!(Devices::set_class(RuntimeOrigin::root(), 9, class.clone()));
		let terms = <Devices as DeviceRegistry<u64, u64>>::class_terms(9).expect("set");
		assert_eq!(terms.since, 0, "the chain's epoch (0 in this mock), not the caller's");
		assert_eq!((terms.min_data_chunks, terms.telemetry.len()), (4, 2));
	});
}
