#!/usr/bin/env bash
# Idempotent setup for a fresh machine: installs only what is missing.
# Run by every README command (through scripts/build.sh, test.sh, demo.sh),
# so no separate install step is ever needed.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. The wasm target for the Rust toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. clippy, which the test script uses to enforce the no-panic lints.
if ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add clippy
fi

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock (the CLI and the
#    crate must agree). No --locked: one of its pinned deps left the registry.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (found '${have:-none}'), about 2 minutes"
  cargo install wasm-bindgen-cli --version "$want"
fi

# 3. Debian Chromium + ChromeDriver for the browser tests (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  log "installing chromium and chromium-driver from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 3b. redis-server, which the demo's end-to-end tests start to check the Redis overlay path.
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# 4. npm dependencies (typescript, binaryen's wasm-opt, React, ...), from the lockfiles.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi
# The demo (Next.js, PGlite, playwright-core without any browser download).
if [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  log "npm ci (www)"
  (cd www && npm ci --no-audit --no-fund)
fi
