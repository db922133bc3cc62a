#!/usr/bin/env bash
# Every test, in layers: lints, native Rust (unit, integration, doc), wasm in
# Node and headless Chromium, then the built npm package in Node.
# Exits non-zero on the first failing layer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh   # runs the idempotent setup first
export PATH="$PWD/node_modules/.bin:$PATH"

step() { printf '\n==== %s ====\n' "$*"; }

step "clippy: no unwrap/expect/panic/indexing in the library (native and wasm32)"
cargo clippy --quiet --lib -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings

step "size goals (issue 14): exit 1 when one that was met regressed"
node scripts/size.mjs --check

step "native Rust tests"
cargo test --quiet

step "wasm smoke tests in Node"
cargo test --target wasm32-unknown-unknown --test wasm_smoke

step "wasm smoke tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  cargo test --target wasm32-unknown-unknown --test wasm_smoke

step "the built package in Node"
node --test test-js/

step "the demo: production build, then end-to-end in Debian's Chromium"
(cd www && npx next build)
node --test --test-concurrency=1 www/tests/   # one file at a time: each starts servers and a browser; together they starve 2 cores

step "the packed package in consumer apps: Next.js (Turbopack standalone, --webpack, monorepo), Vite, plain HTML"
bash scripts/consumers.sh
