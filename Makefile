# The DePIN chain's two commands, and a few more.
#
#   make run    set up what is missing, build, start a dev chain (ws://127.0.0.1:9944);
#               RUN_ARGS="--device-endpoint http://…" adds node flags
#   make test   set up what is missing, build, run every test
#
# Builds go to CARGO_TARGET_DIR (default ~/.cache/depin-target), outside the work tree, so a
# fresh checkout reuses an earlier build. `make run` and `make test` use the same (dev) profile
# and features: the node the tests spawn is the node `make run` starts, compiled once.

export CARGO_TARGET_DIR ?= $(HOME)/.cache/depin-target
CARGO ?= cargo
PROFILE_DIR := $(CARGO_TARGET_DIR)/debug
NODE := $(PROFILE_DIR)/depin-node
# Our pallets: their benchmarks run as tests too (feature `runtime-benchmarks`).
PALLETS := pallet-device-staking pallet-devices pallet-proofs pallet-rewards pallet-validators

.PHONY: help setup build run test lint fmt local-net weights release doc clean-dev

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

## Unit tests, runtime tests, benchmark tests, and the integration tests that spawn real nodes.
## Four tests at a time: the end-to-end tests mostly wait for blocks, so four dev nodes share
## two cores without missing slots (measured: docs/building.md).
test: build
	$(CARGO) fmt --all -- --check
	RUST_TEST_THREADS=4 $(CARGO) test --locked --workspace
	$(CARGO) test --locked $(addprefix -p ,$(PALLETS)) --features runtime-benchmarks

## Formatting and clippy with warnings as errors.
lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Four validators of the `local` chain on this machine (Ctrl-C stops them).
local-net: build
	./scripts/local-net.sh $(NODE)

## Runs our pallets' benchmarks and regenerates their weights.rs (release build, slow).
weights: setup
	./scripts/weights.sh

## The optimised binary validators run.
release: setup
	$(CARGO) build --locked --profile production -p depin-node

doc:
	$(CARGO) doc --locked --workspace --no-deps
