import { fileURLToPath } from 'node:url';

// The package is linked from the repository root (`file:..`), so the root is
// the workspace root. The package needs no configuration (its Node entries
// carry their wasm); PGlite loads its own .wasm files with fs at runtime, so
// the server build leaves it (and redis) as plain Node modules.
const root = fileURLToPath(new URL('..', import.meta.url));

export default {
  outputFileTracingRoot: root,
  turbopack: { root },
  serverExternalPackages: ['@electric-sql/pglite', 'redis'],
  devIndicators: false,
};
