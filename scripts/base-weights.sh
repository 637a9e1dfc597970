#!/usr/bin/env bash
# Measures the runtime's base weights on this machine, on the state of a 100,000-device
# benchmark chain, and writes them to runtime/src/weights/:
#
# - paritydb_weights.rs: one storage read and one storage write (`benchmark storage`);
# - block_weights.rs, extrinsic_weights.rs: executing an empty block, and the per-extrinsic
#   overhead (a block full of `System::remark`s; `benchmark overhead`), the average.
#
#   scripts/base-weights.sh          (expects the release node that scripts/weights.sh builds)
#
# The state is the genesis of `--chain bench-100000-60` (about 200,000 keys: devices, owner
# lists, bonds, accounts) in ParityDB, the node's database. Writes are measured in batches of
# 5,000 keys, about what a full block of proofs writes (the write cost includes computing the
# storage root once per batch, so huge batches understate it); both weights are the 95th
# percentile of the samples, not the average.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/depin-target}"
node="$CARGO_TARGET_DIR/release/depin-node"
chain=bench-100000-60
db="$CARGO_TARGET_DIR/bench/storage-db"
[ -x "$node" ] || { echo "build the node first: scripts/weights.sh builds it" >&2; exit 1; }

# A database holding the chain's genesis state: start a node on it and stop it once it idles.
rm -rf "$db"
mkdir -p "$db"
"$node" --chain "$chain" --base-path "$db" --database paritydb --no-prometheus \
	--no-telemetry --no-mdns --port 0 --rpc-port 0 >"$db.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do
	grep -q "Idle" "$db.log" && break
	sleep 1
done
grep -q "Idle" "$db.log" || { cat "$db.log" >&2; echo "the node did not start" >&2; exit 1; }
kill "$pid"
wait "$pid" || true
trap - EXIT

mkdir -p runtime/src/weights
"$node" benchmark storage \
	--chain "$chain" \
	--base-path "$db" \
	--database paritydb \
	--state-version 1 \
	--warmups 1 \
	--batch-size 5000 \
	--metric p95 \
	--header scripts/base-weights-header.txt \
	--weight-path runtime/src/weights/paritydb_weights.rs
rm -rf "$db"

"$node" benchmark overhead \
	--chain "$chain" \
	--warmup 3 \
	--repeat 20 \
	--header scripts/base-weights-header.txt \
	--weight-path runtime/src/weights/
