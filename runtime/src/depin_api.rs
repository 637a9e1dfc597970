//! The runtime's answers to `DepinApi` (see `depin-runtime-api`): read-only, each O(1) in the
//! number of devices (the class table and per-class counts grow with the number of classes).

use alloc::vec::Vec;
use depin_primitives::DeviceId;
use depin_runtime_api::{
	AttestationView, ChallengeInfo, ClassView, DeviceCounts, DeviceView, EpochInfo, NetworkStats,
	PendingRewards,
};
use sp_core::H256;

use super::{AccountId, Balance, Balances, BlockNumber, Runtime};

/// The device view of `device`.
pub fn device(device: DeviceId) -> Option<DeviceView<AccountId, Balance, BlockNumber>> {
	let info = pallet_devices::Devices::<Runtime>::get(device)?;
	let ledger = pallet_device_staking::Ledgers::<Runtime>::get(device);
	let record = pallet_proofs::Records::<Runtime>::get(device);
	Some(DeviceView {
		owner: info.owner,
		key: info.key,
		class: info.class,
		status: info.status,
		location: info.location,
		metadata: info.metadata.into_inner(),
		registered_at: info.registered_at,
		bonded: ledger.as_ref().map_or(0, |l| l.bonded),
		unbonding: ledger
			.map(|l| l.unbonding.iter().map(|c| (c.value, c.unlock_epoch)).collect())
			.unwrap_or_default(),
		last_heartbeat: record.as_ref().and_then(|r| r.last_heartbeat),
		last_storage_proof: record.and_then(|r| r.last_storage),
		flagged_telemetry: pallet_proofs::FlaggedTelemetry::<Runtime>::get(device)
			.map(|(epoch, metrics)| (epoch, metrics.into_inner())),
		attestation: pallet_makers::Attestations::<Runtime>::get(device).map(|record| {
			AttestationView {
				maker: record.maker,
				serial: record.serials.first().map(|s| s.to_vec()).unwrap_or_default(),
				state: pallet_makers::Pallet::<Runtime>::attestation_state(&device),
				since: record.since,
			}
		}),
	})
}

/// At most `limit` (capped at [`depin_runtime_api::MAX_OWNER_PAGE`]) of `owner`'s devices,
/// after `start_after` in the owner index's order.
pub fn devices_by_owner(
	owner: AccountId,
	start_after: Option<DeviceId>,
	limit: u32,
) -> Vec<DeviceId> {
	let limit = limit.min(depin_runtime_api::MAX_OWNER_PAGE);
	pallet_devices::Pallet::<Runtime>::devices_of(&owner, start_after, limit)
}

/// What `device` can claim now.
pub fn pending_rewards(device: DeviceId) -> Option<PendingRewards<Balance>> {
	if !pallet_devices::Devices::<Runtime>::contains_key(device) {
		return None;
	}
	let (amount, epochs) = pallet_rewards::Pallet::<Runtime>::pending_rewards(&device);
	Some(PendingRewards { amount, epochs })
}

/// The current epoch.
pub fn epoch() -> EpochInfo<BlockNumber, H256> {
	EpochInfo {
		index: pallet_proofs::CurrentEpoch::<Runtime>::get(),
		start_block: pallet_proofs::Pallet::<Runtime>::current_epoch_start(),
		// In slots: as many blocks when no slot is missed.
		length: pallet_proofs::EpochLength::<Runtime>::get(),
		seed: pallet_proofs::EpochSeed::<Runtime>::get(),
	}
}

/// The epoch clock devices are provisioned with.
pub fn epoch_clock() -> depin_runtime_api::EpochClock {
	depin_runtime_api::EpochClock {
		genesis_slot: pallet_proofs::Pallet::<Runtime>::epoch_start_slot(0),
		slot_duration_ms: crate::SLOT_DURATION,
		epoch_length: pallet_proofs::EpochLength::<Runtime>::get(),
	}
}

/// `device`'s challenge in the current epoch.
pub fn challenge(device: DeviceId) -> Option<ChallengeInfo<H256>> {
	if !pallet_devices::Devices::<Runtime>::contains_key(device) {
		return None;
	}
	Some(ChallengeInfo {
		epoch: pallet_proofs::CurrentEpoch::<Runtime>::get(),
		challenge: pallet_proofs::Pallet::<Runtime>::current_challenge(&device),
		storage_indices: pallet_proofs::Pallet::<Runtime>::current_storage_challenge(&device),
	})
}

fn counts(counts: pallet_devices::StatusCounts) -> DeviceCounts {
	DeviceCounts { active: counts.active, suspended: counts.suspended, retired: counts.retired }
}

/// Network-wide statistics.
pub fn network_stats() -> NetworkStats<Balance> {
	let mut by_class: Vec<_> = pallet_devices::ClassCounts::<Runtime>::iter()
		.map(|(class, c)| (class, counts(c)))
		.collect();
	by_class.sort_unstable_by_key(|(class, _)| *class);
	NetworkStats {
		devices: counts(pallet_devices::DeviceCounts::<Runtime>::get()),
		by_class,
		total_bonded: pallet_device_staking::TotalBonded::<Runtime>::get(),
		total_unbonding: pallet_device_staking::TotalUnbonding::<Runtime>::get(),
		last_closed_epoch: pallet_rewards::LastClosedEpoch::<Runtime>::get(),
		total_emitted: pallet_rewards::TotalEmitted::<Runtime>::get(),
		total_issuance: Balances::total_issuance(),
	}
}

/// The class table.
pub fn classes() -> Vec<ClassView<Balance>> {
	let mut classes: Vec<_> = pallet_devices::Classes::<Runtime>::iter()
		.map(|(id, class)| ClassView {
			id,
			name: class.name.into_inner(),
			min_stake: class.min_stake,
			reward_weight: class.reward_weight,
			owes_heartbeat: class.owes.heartbeat,
			owes_storage: class.owes.storage,
			open: class.open,
			min_data_chunks: class.min_data_chunks,
			telemetry: class.telemetry.into_inner(),
			telemetry_weight: class.telemetry_weight,
			attestation: class.attestation,
			usage: class.usage,
			since: class.since,
		})
		.collect();
	classes.sort_unstable_by_key(|class| class.id);
	classes
}
