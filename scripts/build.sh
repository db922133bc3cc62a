#!/usr/bin/env bash
# Builds the package: release wasm -> wasm-bindgen (web target) -> wasm-opt -> TypeScript.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"

cargo build --quiet --release --target wasm32-unknown-unknown
# build.rs's output folder, where it wrote the zone pack (every zone but the built-in ones).
out_dir=$(cargo build --quiet --release --target wasm32-unknown-unknown --message-format=json \
  | node -e 'let o="";process.stdin.on("data",d=>o+=d).on("end",()=>{for(const l of o.split("\n")){try{const m=JSON.parse(l);if(m.reason==="build-script-executed"&&m.package_id.includes("opsmantik-pulse"))console.log(m.out_dir)}catch{}}})')
rm -rf pkg
wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/opsmantik_pulse.wasm
cp "$out_dir/zone_pack.bin" pkg/opsmantik_pulse_zones.bin
# -Oz without binaryen's own inlining (-aimfs/-fimfs/-ocimfs 0): its inlining
# grows the gzipped size by ~17 KB on this crate while the other passes shrink
# it; measured against strip-only, -Os, --converge in BENCHMARKS.md (-Os won
# until serde left the wasm, -Oz since: 854 B gzip on the slim branch).
wasm-opt -Oz -aimfs 0 -fimfs 0 -ocimfs 0 \
  --strip-debug --strip-producers --strip-target-features \
  pkg/opsmantik_pulse_bg.wasm -o pkg/opsmantik_pulse_bg.wasm
rm -rf dist
tsc -p tsconfig.json
node scripts/embed-wasm.mjs   # the wasm inside the Node entries: dist/wasm-bytes.js
chmod +x dist/cli.js
printf '[build] pkg/opsmantik_pulse_bg.wasm: %s bytes, %s gzipped\n' \
  "$(wc -c < pkg/opsmantik_pulse_bg.wasm)" "$(gzip -9c pkg/opsmantik_pulse_bg.wasm | wc -c)"
printf '[build] pkg/opsmantik_pulse_zones.bin: %s bytes, %s gzipped\n' \
  "$(wc -c < pkg/opsmantik_pulse_zones.bin)" "$(gzip -9c pkg/opsmantik_pulse_zones.bin | wc -c)"
