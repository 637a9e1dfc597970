#!/usr/bin/env bash
# Installs what building the DePIN chain needs and is missing: Debian's protobuf-compiler
# (litep2p) and clang, Node.js and npm (the polkadot.js client tests), pkg-config and libssl-dev
# (zombienet-sdk), and the Rust toolchain
# pinned in rust-toolchain.toml with its wasm target and rust-src. Safe to run repeatedly:
# it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# zombienet-sdk's HTTP client links OpenSSL (found through pkg-config).
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if command -v dpkg-query >/dev/null 2>&1 &&
	! dpkg-query -W -f='${Status}' libssl-dev 2>/dev/null | grep -q 'install ok installed'; then
	missing+=(libssl-dev)
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]} from Debian"
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "setup: apt-get not found; install ${missing[*]} with your package manager" >&2
		exit 1
	fi
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
			echo "setup: need root (or sudo) to install ${missing[*]}" >&2
			exit 1
		fi
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup not found; install Rust from https://rustup.rs first" >&2
	exit 1
fi
# Installs the toolchain, components and targets rust-toolchain.toml lists (plain cargo
# does not).
toolchain=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$toolchain"; then
	echo "setup: installing Rust $toolchain"
	rustup toolchain install "$toolchain" --profile minimal
fi
rustup toolchain install >/dev/null 2>&1 || true
rustup target list --installed --toolchain "$toolchain" | grep -q '^wasm32-unknown-unknown$' ||
	rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
rustup component list --installed --toolchain "$toolchain" | grep -q '^rust-src' ||
	rustup component add --toolchain "$toolchain" rust-src rustfmt clippy
