//! # depin-node
//!
//! The node of the DePIN chain: a full node with BABE block production and GRANDPA finality,
//! the standard JSON-RPC methods and off-chain workers. It holds no business logic; the runtime
//! does (see `docs/architecture.md`).

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod devices;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
