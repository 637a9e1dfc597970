//! Attested devices, end to end with real binaries: the simulator acts as two makers (each a
//! P-256 root it generated), governance admits both, and in the dev chain's `secure-sensor`
//! class (which requires attestation) Bob registers a device of each maker with the chain
//! its maker issued (`depin-owner register --maker`); a device that serves a self-signed
//! chain cannot register, nor can any device without evidence. Both attested devices earn;
//! after governance revokes one maker, its device stops earning from the next epoch while
//! the other maker's goes on.

use anyhow::{anyhow, bail, Result};
use depin_harness::{
	free_port, log_line,
	owner::{admit_maker, register_with, revoke_maker, DPN},
	simulator::{owned_by, Simulator},
	NodeConfig,
};
use depin_primitives::protocol::to_hex;
use std::{collections::BTreeMap, time::Duration};
use subxt::ext::codec::Decode;
use subxt_signer::sr25519::dev;

/// The dev chain's class of secure sensors (attestation required).
const SECURE_SENSOR: u16 = 4;

#[tokio::test(flavor = "multi_thread")]
async fn attested_devices_earn_until_their_maker_is_revoked_and_unattested_ones_never_register(
) -> Result<()> {
	let rpc_port = free_port()?;
	let bob = dev::bob();
	let for_bob = owned_by(&bob.public_key().0);
	let class = format!("scheme=p256,class={SECURE_SENSOR},{for_bob}");
	let sim = Simulator::spawn(
		rpc_port,
		&[
			&format!("{class},seed=chip-a,maker=0"),
			&format!("{class},seed=chip-b,maker=1"),
			&format!("{class},seed=chip-fake,maker=0,fault=unattested"),
		],
	)?;
	let (a, b, fake) = (&sim.devices[0], &sim.devices[1], &sim.devices[2]);
	let node = super::node_with(NodeConfig::dev().with_rpc_port(rpc_port), &sim.devices)?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;

	// Governance admits the simulator's two makers, by two referenda at once (proposed by Alice
	// and Dave); Charlie pays their onboarding deposits.
	let makers = sim.makers().await?;
	let (alice, dave, charlie) = (dev::alice(), dev::dave(), dev::charlie());
	let admissions = makers.iter().zip([&alice, &dave]).map(|(maker, governor)| {
		let name = format!("sim maker {}", maker.index);
		let charlie = charlie.public_key().0;
		let api = &api;
		async move {
			let id =
				admit_maker(api, governor, charlie, &name, vec![maker.root.clone()], 10).await?;
			log_line(&format!("simulator maker {} admitted as maker {id}", maker.index));
			Ok::<_, anyhow::Error>((maker.index, id))
		}
	});
	let ids: BTreeMap<_, _> =
		subxt::ext::futures::future::try_join_all(admissions).await?.into_iter().collect();

	// No evidence, or a self-signed chain: refused.
	let refused = register_with(&api, &bob, &fake.endpoint, 0, None).await;
	let reason =
		format!("{:?}", refused.err().ok_or_else(|| anyhow!("registered without evidence"))?);
	assert!(reason.contains("AttestationRequired"), "{reason}");
	let refused = register_with(&api, &bob, &fake.endpoint, 0, Some(ids[&0])).await;
	let reason =
		format!("{:?}", refused.err().ok_or_else(|| anyhow!("a self-signed chain registered"))?);
	assert!(reason.contains("UnknownRoot"), "{reason}");
	log_line("the unattested device cannot register");

	// Each maker's device registers with its chain, bonded at the class minimum.
	for (device, maker) in [(a, 0), (b, 1)] {
		let registered =
			register_with(&api, &bob, &device.endpoint, 10 * DPN, Some(ids[&maker])).await?;
		assert_eq!(registered.device, device.id);
	}
	let rpc = node.rpc(Duration::from_secs(10)).await?;
	let view: serde_json::Value =
		rpc.request("depin_device", subxt::rpcs::rpc_params![to_hex(&a.id)]).await?;
	log_line(&format!("depin_device: {view}"));
	assert_eq!(view["attestation"]["maker"], serde_json::json!(ids[&0]));
	assert_eq!(view["attestation"]["state"], "valid");

	// Both earn: wait for a heartbeat of each in one epoch.
	let both = wait_for_heartbeats(&api, &[a.id, b.id], 0, Duration::from_secs(240)).await?;
	log_line(&format!("both attested devices proved epoch {both}"));

	// Governance revokes maker 0: its device earns nothing from the next epoch on.
	let from = revoke_maker(&api, &alice, ids[&0]).await?;
	log_line(&format!("maker {} revoked from epoch {from}", ids[&0]));
	let later = wait_for_heartbeats(&api, &[b.id], from, Duration::from_secs(240)).await?;
	let view: serde_json::Value =
		rpc.request("depin_device", subxt::rpcs::rpc_params![to_hex(&a.id)]).await?;
	let last = view["lastHeartbeat"].as_u64();
	assert!(last.is_some_and(|epoch| epoch < u64::from(from)), "maker 0's device: {view}");
	log_line(&format!(
		"epoch {later}: maker 1's device still earns; maker 0's last proved epoch {last:?}"
	));
	assert_eq!(view["attestation"]["state"], "revoked", "{view}");
	assert_eq!(view["attestation"]["revokedFrom"], serde_json::json!(from), "{view}");
	// The worker says why it relays nothing for it.
	let log = node.log();
	assert!(log.contains("Refused(AttestationRevoked)"), "{}", node.log_tail(40));
	Ok(())
}

/// Waits until every device of `devices` had a heartbeat accepted in one epoch at or after
/// `from`; returns that epoch.
async fn wait_for_heartbeats(
	api: &depin_harness::Client,
	devices: &[[u8; 32]],
	from: u32,
	timeout: Duration,
) -> Result<u32> {
	let mut seen: BTreeMap<u32, Vec<[u8; 32]>> = BTreeMap::new();
	let watch = async {
		let mut blocks = api.stream_blocks().await?;
		while let Some(block) = blocks.next().await {
			let block = block?;
			for event in block.at().await?.events().fetch().await?.iter().filter_map(Result::ok) {
				if (event.pallet_name(), event.event_name()) != ("Proofs", "HeartbeatAccepted") {
					continue;
				}
				let (device, epoch) = <([u8; 32], u32)>::decode(&mut &event.field_bytes()[..])?;
				if epoch < from || !devices.contains(&device) {
					continue;
				}
				let proved = seen.entry(epoch).or_default();
				proved.push(device);
				if devices.iter().all(|d| proved.contains(d)) {
					return Ok(epoch);
				}
			}
		}
		bail!("the block stream ended")
	};
	tokio::time::timeout(timeout, watch)
		.await
		.map_err(|_| anyhow!("no heartbeats of {} devices from epoch {from}", devices.len()))?
}
