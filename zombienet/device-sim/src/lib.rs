//! # Device simulator
//!
//! `depin-device-sim` serves the device HTTP protocol (`depin_primitives::protocol`, SPEC §9) for
//! one or many simulated devices, exactly as attached hardware must: each device has its own
//! key (any scheme the chain accepts, P-256 included), class, telemetry and, for storage
//! devices, a real data set whose Merkle root the owner commits on chain. Fault modes make a
//! device offline, slow, garbage-speaking, wrongly signing, equivocating or holding the wrong
//! data, so the node's off-chain worker and the chain can be tested against them.
//!
//! It is the reference firmware of the device protocol: what a device signs for an epoch is a
//! deterministic function of (epoch, kind, challenge) and of readings it fixes once per epoch
//! and keeps across restarts; it signs only for the epoch its own clock says is current (give
//! or take one) and only for the chain and owner it was provisioned for; a storage device
//! derives the challenged chunks from the challenge itself. `docs/running-a-device.md` states
//! these rules for real firmware.
//!
//! - [`firmware`]: what a device is provisioned with (chain, clock) and the state it keeps.
//! - [`key`]: device keys and signatures.
//! - [`storage`]: data sets and their Merkle proofs.
//! - [`device`]: a device's behaviour, request by request.
//! - [`maker`]: simulated makers, which issue X.509 certificates for their devices' keys.
//! - [`server`]: the HTTP server for many devices.

pub mod device;
pub mod firmware;
pub mod key;
pub mod maker;
pub mod server;
pub mod storage;

pub use device::{Answer, DeviceSpec, Equivocation, Fault, SimDevice};
pub use firmware::{ChainParams, Firmware};
pub use key::{DevicePair, Scheme};
pub use storage::Dataset;

/// What the simulator prints about each device it serves: enough to register it, bond it and
/// commit its data set.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeviceInfo {
	/// Its index among the simulator's devices.
	pub index: usize,
	/// Its endpoint, for `depin-node --device-endpoint`.
	pub endpoint: String,
	/// Its id on chain.
	pub id: String,
	/// Its public key, hex.
	pub key: String,
	/// Its scheme.
	pub scheme: String,
	/// Its class.
	pub class: u16,
	/// Its data set's Merkle root, for `commit_storage`.
	pub storage_root: Option<String>,
	/// Its data set's chunk count, for `commit_storage`.
	pub leaf_count: Option<u64>,
	/// Its fault, if any.
	pub fault: Option<String>,
}

impl DeviceInfo {
	/// The information about `device`, served at `base` (`http://host:port`).
	pub fn of(index: usize, device: &SimDevice, base: &str) -> Self {
		use depin_primitives::protocol::to_hex;
		Self {
			index,
			endpoint: format!("{base}/{index}"),
			id: to_hex(device.id().as_bytes()),
			key: to_hex(depin_primitives::protocol::key_bytes(&device.pair().public())),
			scheme: device.spec().scheme.name().into(),
			class: device.spec().class,
			storage_root: device.dataset().map(|d| to_hex(d.root().as_bytes())),
			leaf_count: device.dataset().map(Dataset::leaf_count),
			fault: device.fault().map(|f| format!("{f:?}")),
		}
	}
}

/// The devices of `specs` running `firmware`, and the makers their specs name (every maker up
/// to the highest index named), which issue their certificates (device `n` is the `n`-th spec).
pub fn build(
	specs: Vec<DeviceSpec>,
	firmware: std::sync::Arc<Firmware>,
) -> anyhow::Result<(Vec<SimDevice>, Vec<maker::Maker>)> {
	let makers = match specs.iter().filter_map(|spec| spec.maker).max() {
		Some(highest) => {
			(0..=highest).map(maker::Maker::new).collect::<anyhow::Result<Vec<_>>>()?
		},
		None => Vec::new(),
	};
	let mut devices = Vec::with_capacity(specs.len());
	for (number, spec) in specs.into_iter().enumerate() {
		let mut device = SimDevice::with_firmware(spec, firmware.clone())?;
		device.attest(&makers, number as u64)?;
		devices.push(device);
	}
	Ok((devices, makers))
}
