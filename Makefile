# The DePIN chain's two commands, and a few more.
#
#   make run    set up what is missing, build, start a dev chain (ws://127.0.0.1:9944);
#               RUN_ARGS="--device-endpoint http://…" adds node flags
#   make test   set up what is missing, build, run every test (of the multi-node tests, the smoke)
#   make zombienet          the multi-node tests: networks spawned by zombienet, nodes killed
#   make zombienet-spawn    a network by hand (NET=local|depin, default depin), until Ctrl-C
#   make fuzz   fuzz the runtime for FUZZ_SECONDS (default 600) under libFuzzer (cargo-fuzz)
#
# Builds go to CARGO_TARGET_DIR (default ~/.cache/depin-target), outside the work tree, so a
# fresh checkout reuses an earlier build. `make run` and `make test` use the same (dev) profile
# and features: the node the tests spawn is the node `make run` starts, compiled once.

export CARGO_TARGET_DIR ?= $(HOME)/.cache/depin-target
CARGO ?= cargo
PROFILE_DIR := $(CARGO_TARGET_DIR)/debug
NODE := $(PROFILE_DIR)/depin-node
# Our pallets: their benchmarks run as tests too (feature `runtime-benchmarks`).
PALLETS := pallet-device-staking pallet-devices pallet-makers pallet-proofs pallet-rewards pallet-validators

.PHONY: help setup build run test zombienet try-upgrade zombienet-spawn lint fmt local-net weights bench release doc clean-dev fuzz

help:
	@sed -n 's/^#   //p' Makefile

setup:
	@./scripts/setup.sh

## Everything `make run` starts and `make test` spawns (node, tools).
build: setup
	$(CARGO) build --locked --workspace --bins

## A single-validator dev chain with a fresh database each time (node flags in RUN_ARGS).
RUN_ARGS ?=
run: build
	$(NODE) --dev $(RUN_ARGS)

## Unit tests, runtime tests, benchmark tests, migration checks (feature try-runtime), and the
## integration tests that spawn real nodes.
## Four tests at a time: the end-to-end tests mostly wait for blocks, so four dev nodes share
## two cores without missing slots (measured: docs/building.md).
test: build
	$(CARGO) fmt --all -- --check
	RUST_TEST_THREADS=4 $(CARGO) test --locked --workspace
	$(CARGO) test --locked -p depin-primitives $(addprefix -p ,$(PALLETS)) --features runtime-benchmarks,try-runtime

## Formatting and clippy with warnings as errors.
lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## The multi-node tests of zombienet/harness/tests/zombienet.rs, all of them (the fault tests
## are `#[ignore]`d in `make test`), one at a time: the DePIN network's simulators listen on
## fixed ports, and six nodes share the machine's cores.
zombienet: build try-upgrade
	$(CARGO) test --locked -p depin-harness --test zombienet -- --include-ignored --test-threads=1

## tools/try-upgrade: the runtime's pending migrations and their try-runtime checks against a
## live chain (`$(PROFILE_DIR)/depin-try-upgrade ws://…`). Its own workspace: the runtime is
## compiled natively with `try-runtime`, which must not reach the node; no Wasm is built.
try-upgrade: setup
	cd tools/try-upgrade && SKIP_WASM_BUILD=1 $(CARGO) build --locked

## One network of zombienet/ by hand (NET=local or depin), with zombienet's native provider;
## prints each node's RPC, Prometheus, log and polkadot.js Apps link. Ctrl-C stops it.
NET ?= depin
zombienet-spawn: build
	$(PROFILE_DIR)/depin-zombienet spawn $(NET)

## Four validators of the `local` chain on this machine (Ctrl-C stops them).
local-net: build
	$(PROFILE_DIR)/depin-zombienet spawn local

## The runtime fuzzer (runtime/fuzz, docs/security.md) under libFuzzer for FUZZ_SECONDS.
## Installs cargo-fuzz if missing. An optimised, instrumented build with
## overflow checks and debug assertions (`-a`), real cryptography (`--no-cfg-fuzzing`: some
## crypto crates fake signatures under cfg(fuzzing)), no sanitizer (stable Rust). The corpus
## is kept in $(CARGO_TARGET_DIR)/fuzz-corpus across runs, and starts with the inputs of
## earlier findings (fuzz/regressions/runtime/, also run by `make test`); a crash's input is
## saved in fuzz/artifacts/runtime/; FUZZ_ARGS adds libFuzzer flags, or a file to run alone
## (`make fuzz FUZZ_ARGS=$$PWD/fuzz/artifacts/runtime/crash-…` replays a crash).
FUZZ_SECONDS ?= 600
FUZZ_ARGS ?=
CARGO_FUZZ_VERSION := 0.13.2
fuzz: setup
	@cargo fuzz --version 2>/dev/null | grep -q $(CARGO_FUZZ_VERSION) || \
		$(CARGO) install cargo-fuzz --locked --version $(CARGO_FUZZ_VERSION)
	cd fuzz && $(CARGO) metadata --locked --format-version 1 >/dev/null
	mkdir -p $(CARGO_TARGET_DIR)/fuzz-corpus
	cd fuzz && SKIP_WASM_BUILD=1 $(CARGO) fuzz run runtime -s none -a --no-cfg-fuzzing \
		--target-dir $(CARGO_TARGET_DIR)/fuzz $(CARGO_TARGET_DIR)/fuzz-corpus \
		$(CURDIR)/fuzz/regressions/runtime -- \
		-max_total_time=$(FUZZ_SECONDS) -max_len=4096 -len_control=0 -print_final_stats=1 $(FUZZ_ARGS)

## Runs our pallets' benchmarks and regenerates their weights.rs (release build, slow).
weights: setup
	./scripts/weights.sh

## The figures of docs/performance.md: FRAME benchmarks at scale and depin-load runs on a
## 100,000-device benchmark chain (release build, slow). `scripts/bench.sh frame|load` for one.
bench: setup
	./scripts/bench.sh

## The optimised binary validators run.
release: setup
	$(CARGO) build --locked --profile production -p depin-node

doc:
	$(CARGO) doc --locked --workspace --no-deps
