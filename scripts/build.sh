#!/usr/bin/env bash
# Builds the package: release wasm -> wasm-bindgen (web target) -> wasm-opt -> TypeScript.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"

cargo build --quiet --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/opsmantik_pulse.wasm
# Strip only: on this crate (mostly chrono-tz's zone tables) wasm-opt's -O
# passes grow the gzipped size (159.9 KB -> 178.2 KB measured) for no gain.
wasm-opt --strip-debug --strip-producers --strip-target-features \
  pkg/opsmantik_pulse_bg.wasm -o pkg/opsmantik_pulse_bg.wasm
rm -rf dist
tsc -p tsconfig.json
node scripts/embed-wasm.mjs   # the wasm inside the Node entries: dist/wasm-bytes.js
chmod +x dist/cli.js
printf '[build] pkg/opsmantik_pulse_bg.wasm: %s bytes, %s gzipped\n' \
  "$(wc -c < pkg/opsmantik_pulse_bg.wasm)" "$(gzip -9c pkg/opsmantik_pulse_bg.wasm | wc -c)"
