//! Governance on real nodes: a referendum on a dev node changes a device class (preimage,
//! submission, decision deposit, votes with conviction, confirmation, enactment), after the
//! same call signed by an account was refused; and a production network, built from an
//! operator's file with freshly generated keys, produces and finalizes blocks and serves
//! metadata with the governance pallets and no `Sudo`.

use anyhow::{anyhow, bail, ensure, Context, Result};
use depin_harness::{
	governance::{referendum, Track},
	log_line,
	owner::{event_fields, submit_call},
	Node, NodeConfig,
};
use std::{process::Command, time::Duration};
use subxt::{
	dynamic::{self, Value},
	ext::scale_value::{At, Composite, ValueDef},
};
use subxt_signer::sr25519::dev;

/// The sensor class of the built-in networks.
const CLASS_SENSOR: u16 = 2;

/// A device class's terms as the chain keeps them (`Devices.Classes`).
async fn class(api: &depin_harness::Client, class: u16) -> Result<Value> {
	let address = dynamic::storage::<(u16,), Value>("Devices", "Classes");
	Ok(api.at_current_block().await?.storage().fetch(address, (class,)).await?.decode()?)
}

/// `terms` with its named field `field` set to `to`.
fn with_field(terms: Value, field: &str, to: Value) -> Result<Value> {
	let ValueDef::Composite(Composite::Named(mut fields)) = terms.value else {
		bail!("class terms are not a struct: {terms}");
	};
	let slot = fields
		.iter_mut()
		.find(|(name, _)| name == field)
		.ok_or_else(|| anyhow!("no field {field}"))?;
	slot.1 = to;
	Ok(Value::named_composite(fields))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_referendum_on_a_dev_node_changes_a_device_class() -> Result<()> {
	let node = Node::spawn(NodeConfig { name: "referendum".into(), ..NodeConfig::dev() })?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 1, Duration::from_secs(120)).await?;

	let before = class(&api, CLASS_SENSOR).await?;
	let min_stake = |terms: &Value| {
		terms.at("min_stake").and_then(Value::as_u128).ok_or_else(|| anyhow!("no min_stake"))
	};
	let new_stake = min_stake(&before)? * 5 / 2;
	let terms = with_field(before.clone(), "min_stake", Value::u128(new_stake))?;
	let call = |terms: Value| vec![Value::u128(CLASS_SENSOR.into()), terms];

	// Signed by anyone, even the technical committee's Alice: refused for its origin.
	let refused =
		submit_call(&api, &dev::alice(), "Devices", "set_class", call(terms.clone())).await;
	let error = format!("{:#}", refused.err().ok_or_else(|| anyhow!("a signed set_class passed"))?);
	ensure!(error.contains("Bad origin"), "refused for another reason: {error}");
	ensure!(min_stake(&class(&api, CLASS_SENSOR).await?)? == min_stake(&before)?);

	// A referendum on the device_admin track: Alice proposes and pays the deposits, Alice and
	// Bob vote with conviction; the dev network's short periods enact it within blocks.
	let events = referendum(
		&api,
		&[&dev::alice(), &dev::bob()],
		Track::DeviceAdmin,
		"Devices",
		"set_class",
		call(terms),
	)
	.await?;
	event_fields(&events, "Devices", "ClassSet").context("the enactment block sets the class")?;
	let after = class(&api, CLASS_SENSOR).await?;
	ensure!(min_stake(&after)? == new_stake, "the sensor class now asks {new_stake}: {after}");
	log_line(&format!("sensor minimum stake {} → {new_stake}", min_stake(&before)?));
	Ok(())
}

/// `depin-node <args>`'s standard output, failing with its standard error.
fn node_output(args: &[&str]) -> Result<String> {
	let output = Command::new(depin_harness::node_binary()?)
		.args(args)
		.output()
		.with_context(|| format!("depin-node {args:?}"))?;
	if !output.status.success() {
		bail!("depin-node {args:?}: {}", String::from_utf8_lossy(&output.stderr));
	}
	Ok(String::from_utf8(output.stdout)?)
}

/// A new key of `scheme`: its secret phrase and SS58 address.
fn generate_key(scheme: &str) -> Result<(String, String)> {
	let key: serde_json::Value = serde_json::from_str(&node_output(&[
		"key",
		"generate",
		"--scheme",
		scheme,
		"--output-type",
		"json",
	])?)?;
	let field = |name: &str| {
		key[name].as_str().map(str::to_owned).ok_or_else(|| anyhow!("no {name} in {key}"))
	};
	Ok((field("secretPhrase")?, field("ss58Address")?))
}

/// Every value of a field named `name` anywhere in `value`.
fn fields_named(value: &Value, name: &str, found: &mut Vec<u128>) {
	match &value.value {
		ValueDef::Composite(Composite::Named(fields)) => {
			for (field, inner) in fields {
				if field == name {
					found.extend(inner.as_u128());
				}
				fields_named(inner, name, found);
			}
		},
		ValueDef::Composite(Composite::Unnamed(items)) => {
			items.iter().for_each(|inner| fields_named(inner, name, found))
		},
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Named(fields) => {
				fields.iter().for_each(|(_, inner)| fields_named(inner, name, found))
			},
			Composite::Unnamed(items) => {
				items.iter().for_each(|inner| fields_named(inner, name, found))
			},
		},
		_ => {},
	}
}

/// The operator's walkthrough (`docs/operating-a-validator.md`), on one machine: generate the
/// validator's account and session keys, write the genesis file, `build-spec --chain
/// production:<file> --raw`, put the keys in the node's keystore, start it as the validator.
#[tokio::test(flavor = "multi_thread")]
async fn a_production_network_from_an_operators_file_runs_without_sudo() -> Result<()> {
	let (_, account) = generate_key("sr25519")?;
	let (babe_secret, babe) = generate_key("sr25519")?;
	let (grandpa_secret, grandpa) = generate_key("ed25519")?;
	let (_, founder) = generate_key("sr25519")?;
	let dir = tempfile::tempdir()?;
	let genesis = dir.path().join("production-genesis.json");
	std::fs::write(
		&genesis,
		serde_json::json!({
			"name": "DePIN Production Test",
			"id": "depin_production_test",
			"protocolId": "dpntest",
			"bootNodes": [],
			"validators": [{ "account": account, "babe": babe, "grandpa": grandpa }],
			"balances": [
				{ "account": account, "dpn": 10_000 },
				{ "account": founder, "dpn": 50_000_000 }
			],
			"technicalCommittee": [founder],
		})
		.to_string(),
	)?;
	let spec = dir.path().join("spec.json");
	let chain = format!("production:{}", genesis.display());
	std::fs::write(&spec, node_output(&["build-spec", "--chain", &chain, "--raw"])?)?;
	let spec_path = spec.to_str().ok_or_else(|| anyhow!("a non-UTF-8 path"))?.to_owned();
	let keystore = dir.path().join("keystore");
	let keystore_path = keystore.to_str().ok_or_else(|| anyhow!("a non-UTF-8 path"))?.to_owned();
	for (scheme, key_type, secret) in
		[("sr25519", "babe", &babe_secret), ("ed25519", "gran", &grandpa_secret)]
	{
		node_output(&[
			"key",
			"insert",
			"--chain",
			&spec_path,
			"--keystore-path",
			&keystore_path,
			"--scheme",
			scheme,
			"--key-type",
			key_type,
			"--suri",
			secret,
		])?;
	}

	let node = Node::spawn(NodeConfig {
		chain: Some(spec_path),
		dev: false,
		extra_args: vec!["--validator".into(), "--keystore-path".into(), keystore_path],
		name: "production".into(),
		rpc_port: None,
	})?;
	let api = node.client().await?;
	node.wait_for_finalized(&api, 2, Duration::from_secs(180)).await?;

	let at = api.at_current_block().await?;
	let metadata = at.metadata_ref();
	for pallet in [
		"Referenda",
		"ConvictionVoting",
		"Origins",
		"Treasury",
		"Scheduler",
		"Preimage",
		"Whitelist",
		"TechnicalCommittee",
	] {
		ensure!(metadata.pallet_by_name(pallet).is_some(), "no {pallet} in the metadata");
	}
	ensure!(metadata.pallet_by_name("Sudo").is_none(), "Sudo is in the metadata");

	// The tracks' real periods (no dev divisor): root decides over 14 days of 6-second blocks.
	let tracks: Value = at.constants().entry(dynamic::constant::<Value>("Referenda", "Tracks"))?;
	let mut decision = Vec::new();
	fields_named(&tracks, "decision_period", &mut decision);
	ensure!(decision.first() == Some(&(14 * 24 * 600)), "root's decision period: {decision:?}");
	// One-hour proof epochs.
	let epoch = depin_harness::owner::number(&api, "Proofs", "EpochLength").await?;
	ensure!(epoch == 600, "proof epochs of {epoch} blocks");
	log_line(&format!("production network: tracks' decision periods {decision:?}"));
	node.shutdown()?;
	Ok(())
}
