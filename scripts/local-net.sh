#!/usr/bin/env bash
# Starts the `local` chain's four validators (Alice, Bob, Charlie, Dave) on this machine:
# RPC on ws://127.0.0.1:9944 (Alice) to :9947 (Dave), p2p on 30333-30336, Prometheus on
# 9615-9618, databases and logs under ${LOCAL_NET_DIR:-/tmp/depin-local-net}. Ctrl-C stops all.
set -euo pipefail
node=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/depin-target}/debug/depin-node}
dir=${LOCAL_NET_DIR:-/tmp/depin-local-net}
mkdir -p "$dir"

# Alice's fixed node key makes her peer id known in advance, so the others can boot from her.
alice_key=0000000000000000000000000000000000000000000000000000000000000001
alice_peer=12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT

i=0
for who in alice bob charlie dave; do
	args=(--chain local "--$who" --validator --base-path "$dir/$who"
		--port $((30333 + i)) --rpc-port $((9944 + i)) --prometheus-port $((9615 + i))
		--no-telemetry --no-mdns --rpc-cors all)
	if [ "$who" = alice ]; then
		args+=(--node-key "$alice_key")
	else
		args+=(--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$alice_peer")
	fi
	"$node" "${args[@]}" >"$dir/$who.log" 2>&1 &
	pids+=($!)
	echo "$who: ws://127.0.0.1:$((9944 + i))  log: $dir/$who.log"
	i=$((i + 1))
done
echo "waiting for finality (tail -f $dir/alice.log)..."
wait
