#!/usr/bin/env bash
# The packed package in consumer apps (tests/consumers/): npm pack from the
# package root (after scripts/build.sh), then every fixture installs that
# tarball, builds and is opened in headless Chromium against a local Supabase
# stand-in. PULSE_CONSUMERS=next-standalone,vite,... picks fixtures (default: all).
# Installed fixtures are kept in ~/.cache/opsmantik-pulse/consumers, keyed by
# their lockfile hash (PULSE_CONSUMERS_CACHE overrides the folder).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/node.js ] && [ -f dist/wasm-bytes.js ] || bash scripts/build.sh
export PATH="$PWD/node_modules/.bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npm pack --silent --pack-destination "$out" >/dev/null
PULSE_TARBALL=$(ls "$out"/opsmantik-pulse-*.tgz)
export PULSE_TARBALL
printf '[consumers] %s: %s bytes\n' "$(basename "$PULSE_TARBALL")" "$(wc -c < "$PULSE_TARBALL")"
node --test --test-concurrency=1 tests/consumers/
