//! The invariants checked after every block: the pallets' own `try_state`, and where every
//! token came from and went.

use depin_primitives::Balance;
use depin_runtime::{Balances, Runtime, RuntimeEvent};

/// Issuance accounting across blocks: total issuance must always equal what genesis issued,
/// plus what the emission schedule minted, minus what was burned: by a holder (`burn`), or
/// because nobody could take it (a slash or fee share no account could receive, dust).
pub struct Ledger {
	/// Total issuance at genesis.
	genesis_issuance: Balance,
	/// The rewards pallet's running total of emission at genesis.
	emitted_at_genesis: Balance,
	/// Everything minted since genesis, by the currency's own events.
	minted: Balance,
	/// Everything burned since genesis, by the currency's own events.
	burned: Balance,
}

impl Ledger {
	/// The accounting of the genesis state.
	pub fn at_genesis() -> Self {
		Ledger {
			genesis_issuance: Balances::total_issuance(),
			emitted_at_genesis: pallet_rewards::TotalEmitted::<Runtime>::get(),
			minted: 0,
			burned: 0,
		}
	}

	/// Accounts for a block's `events` and checks issuance.
	pub fn after_block(&mut self, events: &[RuntimeEvent]) {
		use pallet_balances::Event as B;
		for event in events {
			let RuntimeEvent::Balances(event) = event else { continue };
			match event {
				B::Minted { amount, .. } | B::MintedCredit { amount } | B::Issued { amount } => {
					self.minted = self.minted.checked_add(*amount).expect("minted fits u128");
				},
				B::Burned { amount, .. }
				| B::BurnedHeld { amount, .. }
				| B::BurnedDebt { amount }
				| B::Rescinded { amount } => {
					self.burned = self.burned.checked_add(*amount).expect("burned fits u128");
				},
				B::Unexpected(kind) => {
					panic!("the currency reported an unexpected state: {kind:?}")
				},
				_ => {},
			}
		}

		let emitted = pallet_rewards::TotalEmitted::<Runtime>::get()
			.checked_sub(self.emitted_at_genesis)
			.expect("the emission total never falls");
		assert_eq!(
			self.minted, emitted,
			"something other than the emission schedule minted: {} minted, {} emitted",
			self.minted, emitted
		);
		let issuance = Balances::total_issuance();
		let expected = self
			.genesis_issuance
			.checked_add(emitted)
			.and_then(|total| total.checked_sub(self.burned))
			.expect("issuance accounting fits u128");
		assert_eq!(
			issuance, expected,
			"total issuance {issuance} is not genesis {} + emitted {emitted} − burned {}",
			self.genesis_issuance, self.burned
		);
		let held: Balance = frame_system::Account::<Runtime>::iter_values()
			.map(|account| account.data.free.saturating_add(account.data.reserved))
			.sum();
		assert_eq!(held, issuance, "accounts hold {held}, but total issuance is {issuance}");
	}
}

/// No report convicts a device the fuzzer runs honestly: it is never reported for
/// equivocation, nor suspended for misbehaviour but by governance's decree, and never loses
/// stake but by governance's decree (`force_slash` enacted by a referendum).
pub fn honest_devices_unharmed(events: &[RuntimeEvent]) {
	let fixture = crate::genesis::fixture();
	let honest: Vec<_> =
		crate::genesis::HONEST_DEVICES.iter().map(|index| fixture.devices[*index].id).collect();
	for event in events {
		if let RuntimeEvent::Proofs(pallet_proofs::Event::EquivocationReported { device, .. }) =
			event
		{
			assert!(!honest.contains(device), "an honest device was reported: {event:?}");
		}
	}
	for slash in pallet_device_staking::PendingSlashes::<Runtime>::iter_values() {
		assert!(
			!honest.contains(&slash.device) || slash.reporter.is_none(),
			"a report slashes an honest device: {slash:?}"
		);
	}
}

/// Every pallet's `try_state` (with the `try-runtime` feature; otherwise our six pallets').
pub fn check_state(number: u32) {
	#[cfg(feature = "try-runtime")]
	{
		use frame_support::traits::{TryState, TryStateSelect};
		<depin_runtime::AllPalletsWithSystem as TryState<u32>>::try_state(
			number,
			TryStateSelect::All,
		)
		.unwrap_or_else(|error| panic!("try_state fails after block {number}: {error:?}"));
	}
	#[cfg(not(feature = "try-runtime"))]
	{
		let checks = [
			("validators", depin_runtime::Validators::do_try_state()),
			("devices", depin_runtime::Devices::do_try_state()),
			("device staking", depin_runtime::DeviceStaking::do_try_state()),
			("proofs", depin_runtime::Proofs::do_try_state()),
			("rewards", depin_runtime::Rewards::do_try_state()),
			("makers", depin_runtime::Makers::do_try_state()),
		];
		for (pallet, result) in checks {
			result.unwrap_or_else(|error| {
				panic!("the {pallet} invariants fail after block {number}: {error:?}")
			});
		}
	}
}
