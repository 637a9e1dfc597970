//! Hardware attached to this node: `--device-endpoint` URLs handed to the runtime's off-chain
//! worker (which polls the devices and relays their proofs, see `pallet_proofs::offchain`), and
//! the worker's per-device counters exported as Prometheus metrics.

use codec::{Decode, Encode};
use depin_primitives::protocol::{stats_key, RelayStats, ENDPOINTS_KEY};
use sc_service::error::Error as ServiceError;
use sp_core::offchain::{OffchainStorage, STORAGE_PREFIX};
use std::time::Duration;
use substrate_prometheus_endpoint::{register, GaugeVec, Opts, PrometheusError, Registry, U64};

/// How often the metrics are refreshed from the worker's counters.
const METRICS_PERIOD: Duration = Duration::from_secs(6);

/// Checks the endpoints given on the command line: `http://` or `https://` URLs.
pub fn validate(endpoints: &[String]) -> Result<(), ServiceError> {
	for url in endpoints {
		let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
		if rest.is_none_or(|host| host.is_empty()) {
			return Err(ServiceError::Other(format!(
				"--device-endpoint {url:?}: expected an http:// or https:// URL"
			)));
		}
	}
	Ok(())
}

/// Stores `endpoints` where the off-chain worker reads them, replacing the list stored before.
pub fn attach(storage: &mut impl OffchainStorage, endpoints: &[String]) {
	let urls: Vec<Vec<u8>> = endpoints.iter().map(|url| url.as_bytes().to_vec()).collect();
	storage.set(STORAGE_PREFIX, ENDPOINTS_KEY, &urls.encode());
	for url in endpoints {
		log::info!(target: "depin", "📡 device attached: {url}");
	}
}

/// The endpoints stored for the worker.
pub fn attached(storage: &impl OffchainStorage) -> Vec<Vec<u8>> {
	storage
		.get(STORAGE_PREFIX, ENDPOINTS_KEY)
		.and_then(|bytes| Vec::<Vec<u8>>::decode(&mut &bytes[..]).ok())
		.unwrap_or_default()
}

/// Per-device gauges of what the off-chain worker did, labelled by endpoint.
pub struct DeviceMetrics {
	polled: GaugeVec<U64>,
	submitted: GaugeVec<U64>,
	failed: GaugeVec<U64>,
	last_epoch: GaugeVec<U64>,
}

impl DeviceMetrics {
	/// Registers the gauges.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge = |name: &str, help: &str| -> Result<GaugeVec<U64>, PrometheusError> {
			register(GaugeVec::new(Opts::new(name, help), &["endpoint"])?, registry)
		};
		Ok(Self {
			polled: gauge("depin_device_polled", "Epochs in which the attached device was polled")?,
			submitted: gauge("depin_device_submitted", "Proofs of the attached device submitted")?,
			failed: gauge("depin_device_failed", "Epochs in which relaying the device failed")?,
			last_epoch: gauge("depin_device_last_epoch", "Last epoch the device was polled in")?,
		})
	}

	/// Copies the worker's counters into the gauges.
	pub fn update(&self, storage: &impl OffchainStorage) {
		for endpoint in attached(storage) {
			let Some(stats) = storage
				.get(STORAGE_PREFIX, &stats_key(&endpoint))
				.and_then(|bytes| RelayStats::decode(&mut &bytes[..]).ok())
			else {
				continue;
			};
			let label = String::from_utf8_lossy(&endpoint);
			let labels = [label.as_ref()];
			self.polled.with_label_values(&labels).set(stats.polled.into());
			self.submitted.with_label_values(&labels).set(stats.submitted.into());
			self.failed.with_label_values(&labels).set(stats.failed.into());
			self.last_epoch.with_label_values(&labels).set(stats.last_epoch.into());
		}
	}

	/// Refreshes the gauges every few seconds, for as long as the node runs.
	pub async fn run(self, storage: impl OffchainStorage) {
		loop {
			self.update(&storage);
			futures_timer::Delay::new(METRICS_PERIOD).await;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::offchain::storage::InMemOffchainStorage;

	#[test]
	fn endpoints_must_be_http_urls() {
		assert!(validate(&["http://127.0.0.1:8700/0".into(), "https://box.local".into()]).is_ok());
		for bad in ["127.0.0.1:8700", "ftp://x", "http://", ""] {
			assert!(validate(&[bad.into()]).is_err(), "{bad}");
		}
	}

	#[test]
	fn attached_endpoints_are_what_the_worker_reads_and_metrics_follow_its_stats() {
		let mut storage = InMemOffchainStorage::default();
		attach(&mut storage, &["http://a/0".into(), "http://a/1".into()]);
		assert_eq!(attached(&storage), vec![b"http://a/0".to_vec(), b"http://a/1".to_vec()]);

		let stats =
			RelayStats { polled: 3, submitted: 5, failed: 1, last_epoch: 9, ..Default::default() };
		storage.set(STORAGE_PREFIX, &stats_key(b"http://a/1"), &stats.encode());
		let registry = Registry::new();
		let metrics = DeviceMetrics::register(&registry).expect("registers");
		metrics.update(&storage);
		assert_eq!(metrics.submitted.with_label_values(&["http://a/1"]).get(), 5);
		assert_eq!(metrics.last_epoch.with_label_values(&["http://a/1"]).get(), 9);
		assert_eq!(metrics.polled.with_label_values(&["http://a/0"]).get(), 0, "not polled yet");
	}
}
