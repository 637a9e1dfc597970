//! `try-upgrade <uri>`: downloads the state of the chain behind `uri` (a node's WebSocket RPC)
//! and runs, on it, what the runtime of this working tree would run in its first block after an
//! upgrade: every pending storage migration with its `pre_upgrade` and `post_upgrade` checks,
//! then every pallet's `try_state` invariants (`Executive::try_runtime_upgrade` with all
//! checks). It is what `try-runtime on-runtime-upgrade live` does, with the runtime compiled
//! natively. Nothing is written to the chain. Exit status 0 when every check passes.
//!
//! Run it before proposing an upgrade (`docs/operating-a-validator.md`):
//!
//! ```text
//! cargo run --release --manifest-path tools/try-upgrade/Cargo.toml -- ws://127.0.0.1:9944
//! ```

use depin_runtime::{AllPalletsWithSystem, Block, Executive};
use frame_remote_externalities::{Builder, Mode, OnlineConfig};
use frame_try_runtime::UpgradeCheckSelect;

#[tokio::main]
async fn main() -> Result<(), String> {
	let uri = std::env::args().nth(1).unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	println!("downloading the state of {uri}");
	let mut ext = Builder::<Block>::new()
		.mode(Mode::Online(OnlineConfig { transport_uris: vec![uri.clone()], ..Default::default() }))
		.build()
		.await
		.map_err(|e| format!("downloading the state of {uri}: {e:?}"))?;
	let weight = ext.execute_with(|| {
		let before = versions();
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All)?;
		for ((pallet, from), (_, to)) in before.iter().zip(versions()) {
			if *from != to {
				println!("{pallet}: storage version {from} -> {to}");
			}
		}
		Ok::<_, sp_runtime::TryRuntimeError>(weight)
	});
	let weight = weight.map_err(|e| format!("a migration or a check failed: {e:?}"))?;
	println!("every migration and check passed; the migrations weigh {weight:?}");
	Ok(())
}

/// Each pallet's name and on-chain storage version.
fn versions() -> Vec<(&'static str, u16)> {
	use frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{PalletsInfoAccess, STORAGE_VERSION_STORAGE_KEY_POSTFIX},
	};
	AllPalletsWithSystem::infos()
		.into_iter()
		.map(|info| {
			let key = storage_prefix(info.name.as_bytes(), STORAGE_VERSION_STORAGE_KEY_POSTFIX);
			(info.name, unhashed::get_or_default::<u16>(&key))
		})
		.collect()
}
