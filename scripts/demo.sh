#!/usr/bin/env bash
# `npm run demo`: builds the package and the demo, then serves the dashboard at
# http://127.0.0.1:${PORT:-3000} with no services installed (embedded Postgres,
# in-process overlay counters unless REDIS_URL is set, simulated traffic at
# PULSE_SIM_RATE events per minute).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd www
npx next build
echo "[demo] http://127.0.0.1:${PORT:-3000}  (devtools: /devtools)"
exec node server.mjs -H 127.0.0.1 -p "${PORT:-3000}"   # next start + brotli build assets
