#!/usr/bin/env bash
# `npm run fuzz`: a short run of every cargo-fuzz target (15 s each by
# default; FUZZ_SECONDS per target overrides). Needs the nightly toolchain;
# installs cargo-fuzz if missing. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
per_target="${FUZZ_SECONDS:-15}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
for target in day_ranges stats_merge payloads engine slots; do
  echo "== fuzz $target for ${per_target}s"
  mkdir -p "fuzz/corpus/$target"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$per_target" -rss_limit_mb=2048 2>&1 | tail -n 3
done
