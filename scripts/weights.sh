#!/usr/bin/env bash
# Runs the FRAME benchmarks of our pallets on this machine and writes each pallet's weights.rs,
# after the runtime's base weights (database, block and extrinsic overhead: base-weights.sh).
#
#   scripts/weights.sh                 the base weights and all our pallets
#   scripts/weights.sh base            the base weights only
#   scripts/weights.sh pallet_devices  one pallet
#
# The node is built with `--features runtime-benchmarks` in the release profile: benchmarks
# run the Wasm runtime, but host functions (storage, hashing) run natively, and a debug build
# would overstate their cost.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/depin-target}"

cargo build --locked --release -p depin-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/depin-node"

# pallet name => crate directory
declare -A pallets=(
	[pallet_device_staking]=pallets/device-staking
	[pallet_devices]=pallets/devices
	[pallet_makers]=pallets/makers
	[pallet_proofs]=pallets/proofs
	[pallet_rewards]=pallets/rewards
	[pallet_validators]=pallets/validators
)
# polkadot-sdk pallets and extensions every transaction pays for, and the governance pallets,
# measured here too; their weights go to runtime/src/weights/<name>.rs (the benchmark CLI's
# default template).
runtime_pallets=(frame_system_extensions pallet_transaction_payment pallet_balances
	pallet_preimage pallet_scheduler pallet_treasury pallet_conviction_voting pallet_referenda
	pallet_whitelist pallet_collective)
selected=("$@")
if [ ${#selected[@]} -eq 0 ]; then
	./scripts/base-weights.sh
	selected=("${runtime_pallets[@]}" "${!pallets[@]}")
elif [ "${selected[*]}" = base ]; then
	exec ./scripts/base-weights.sh
fi

# Batches of up to 1,000 heartbeats (P-256 ones verified in Wasm) make the proofs pallet's
# benchmarks long: fewer steps and repetitions there keep `make weights` within an hour.
declare -A steps=([pallet_proofs]=10)
declare -A repeats=([pallet_proofs]=5)

for pallet in "${selected[@]}"; do
	if [[ " ${runtime_pallets[*]} " == *" $pallet "* ]]; then
		# The CLI's default template: the runtime implements the pallet's WeightInfo.
		output="runtime/src/weights/$pallet.rs"
		format=(--header scripts/runtime-weights-header.txt)
	else
		output="${pallets[$pallet]:?unknown pallet $pallet}/src/weights.rs"
		format=(--template scripts/frame-weight-template.hbs)
	fi
	echo "benchmarking $pallet -> $output"
	"$node" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${steps[$pallet]:-50}" \
		--repeat "${repeats[$pallet]:-20}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		"${format[@]}" \
		--output "$output"
done
