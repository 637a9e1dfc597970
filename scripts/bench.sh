#!/usr/bin/env bash
# Measures what docs/performance.md reports, on this machine (release build; slow).
#
#   scripts/bench.sh          everything: FRAME benchmarks at scale, then the load runs
#   scripts/bench.sh frame    the FRAME benchmarks at scale only
#   scripts/bench.sh load     the end-to-end load runs only
#
# The node is the release build with `runtime-benchmarks` (the build of `make weights`: one
# release build serves both); the load runs spawn it on a benchmark chain
# (`--chain bench-100000`). `depin-load` itself is the dev build `make test` made: it only signs
# (with optimised cryptography) and talks JSON-RPC. Results go to $CARGO_TARGET_DIR/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/depin-target}"
what="${1:-all}"
out="$CARGO_TARGET_DIR/bench"
mkdir -p "$out"

cargo build --locked --release -p depin-node --features runtime-benchmarks
cargo build --locked -p depin-harness --bin depin-load
node="$CARGO_TARGET_DIR/release/depin-node"
load="$CARGO_TARGET_DIR/debug/depin-load"

if [ "$what" = all ] || [ "$what" = frame ]; then
	# Claim and epoch close with 10 to 100,000 devices' points in state (11 points of the
	# range): the slope over devices is the figure, and it must be flat.
	for extrinsic in claim_rewards_among_devices close_epoch_among_devices; do
		echo "benchmarking pallet_rewards::$extrinsic -> $out/$extrinsic.txt"
		"$node" benchmark pallet \
			--chain dev \
			--pallet pallet_rewards \
			--extrinsic "$extrinsic" \
			--extra \
			--steps 11 \
			--repeat 5 \
			--wasm-execution compiled \
			--heap-pages 4096 \
			2>&1 | tee "$out/$extrinsic.txt"
	done
fi

if [ "$what" = all ] || [ "$what" = load ]; then
	export DEPIN_NODE_BIN="$node"
	devices=100000
	run() {
		local name=$1
		shift
		echo "depin-load $* -> $out/load-$name.txt"
		"$load" --spawn-bench "$devices" "$@" 2>&1 | tee "$out/load-$name.txt"
	}
	# A fresh chain starts in epoch 0 with 60 blocks of it left: 45 is plenty, and spares
	# waiting six minutes for epoch 1.
	run heartbeats heartbeats --devices "$devices" --min-blocks-left 45
	run heartbeats-batch-500 heartbeats --devices "$devices" --batch 500 --min-blocks-left 45
	run transfers transfers --transfers 60000 --senders 200
	# A flood of forged heartbeats (wrong keys): how many the pool refuses a second.
	run heartbeats-forged heartbeats --devices "$devices" --forged --min-blocks-left 1
	# The same with P-256 devices (secure elements), whose signatures cost the most to check
	# in Wasm: how many a second, and how much of the node's CPU refusing them takes.
	run heartbeats-forged-p256 --scheme p256 heartbeats --devices 20000 --forged \
		--min-blocks-left 1
fi
