//! `depin-load` against a real benchmark node (`depin-node --chain bench-1200-10`): what it
//! reports is what the chain did. Heartbeats of benchmark devices, alone and in gateway
//! batches, and plain transfers are all included and finalized, none refused, and each block's
//! weight is accounted; a flood of forged heartbeats is refused whole and changes nothing, and
//! the node's CPU time while refusing it is measured. The same for P-256 devices (secure
//! elements), whose signatures cost the most to check. (Throughput figures come from release
//! builds: see `docs/performance.md`.)

use anyhow::Result;
use depin_harness::load::{self, Options, Workload};
use depin_primitives::keys::Scheme;

#[tokio::test(flavor = "multi_thread")]
async fn depin_load_measures_heartbeats_batches_and_transfers_on_a_bench_node() -> Result<()> {
	let ed = Scheme::Ed25519;
	let node = load::spawn_bench_node(1_200, 10, ed).await?;
	let url = node.ws_url();
	let aligned = Options { node_pid: node.pid(), ..Default::default() };
	// The epoch in progress if at least 6 of its 10 blocks are left (else the next).
	let unaligned = Options { min_blocks_left: 6, ..aligned.clone() };

	// A flood of forged heartbeats, one per device, each signed with a key not the device's:
	// the pool refuses every one as a bad proof, and includes nothing.
	let forged =
		Workload::Heartbeats { first: 0, devices: 1_200, batch: 1, forged: true, scheme: ed };
	let report = load::run(&url, &forged, &unaligned).await?;
	print!("{}", report.render());
	assert_eq!((report.submitted, report.accepted, report.included_items), (1_200, 0, 0));
	assert_eq!(report.refused.len(), 1, "one reason: {:?}", report.refused);
	assert!(report.refused.keys().all(|reason| reason.contains("bad signature")));
	assert!(report.node_cpu.is_some_and(|cpu| !cpu.is_zero()), "the node's CPU is measured");

	// The node goes on: 600 devices, one heartbeat transaction each, signed for a fresh epoch.
	let single =
		Workload::Heartbeats { first: 0, devices: 600, batch: 1, forged: false, scheme: ed };
	let report = load::run(&url, &single, &aligned).await?;
	print!("{}", report.render());
	assert_eq!((report.submitted, report.accepted), (600, 600), "{:?}", report.refused);
	assert_eq!((report.included_items, report.expired, report.not_included), (600, 0, 0));
	assert_eq!(report.inclusion.len(), 600);
	assert_eq!(report.finality.len(), 600, "every included heartbeat is seen finalized");
	assert!(!report.timed_out);
	assert!(report.blocks.iter().all(|b| b.normal_ref_time > 0));
	assert!(report.weight_per_item_us().is_some_and(|w| w > 0.0));

	// 600 more in gateway batches of 100.
	let batched =
		Workload::Heartbeats { first: 600, devices: 600, batch: 100, forged: false, scheme: ed };
	let report = load::run(&url, &batched, &unaligned).await?;
	print!("{}", report.render());
	assert_eq!((report.submitted, report.submitted_items), (6, 600));
	assert_eq!((report.included_items, report.expired), (600, 0), "{:?}", report.refused);

	// Plain transfers by three owners.
	let transfers = Workload::Transfers { transfers: 300, senders: 3 };
	let report = load::run(&url, &transfers, &aligned).await?;
	print!("{}", report.render());
	assert_eq!((report.accepted, report.included_items), (300, 300), "{:?}", report.refused);
	assert_eq!(report.finality.len(), 300);
	node.shutdown()?;
	Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_p256_proofs_are_refused_and_valid_ones_included_on_a_bench_node() -> Result<()> {
	let p256 = Scheme::P256;
	let node = load::spawn_bench_node(200, 10, p256).await?;
	let url = node.ws_url();
	let options = Options { node_pid: node.pid(), min_blocks_left: 6, ..Default::default() };

	// Each forged P-256 heartbeat costs the node one signature check, and is refused.
	let forged =
		Workload::Heartbeats { first: 0, devices: 200, batch: 1, forged: true, scheme: p256 };
	let report = load::run(&url, &forged, &options).await?;
	print!("{}", report.render());
	assert_eq!((report.submitted, report.accepted, report.included_items), (200, 0, 0));
	assert!(report.refused.keys().all(|reason| reason.contains("bad signature")));
	assert!(report.node_cpu.is_some());

	// The devices' own heartbeats, alone and batched, are all included.
	let single =
		Workload::Heartbeats { first: 0, devices: 100, batch: 1, forged: false, scheme: p256 };
	let report =
		load::run(&url, &single, &Options { min_blocks_left: u64::MAX, ..options }).await?;
	print!("{}", report.render());
	assert_eq!((report.included_items, report.expired), (100, 0), "{:?}", report.refused);
	let batched =
		Workload::Heartbeats { first: 100, devices: 100, batch: 50, forged: false, scheme: p256 };
	let report = load::run(&url, &batched, &options).await?;
	print!("{}", report.render());
	assert_eq!((report.included_items, report.expired), (100, 0), "{:?}", report.refused);
	node.shutdown()?;
	Ok(())
}
