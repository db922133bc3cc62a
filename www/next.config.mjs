import { fileURLToPath } from 'node:url';

// The package is linked from the repository root (`file:..`), so the root is
// the workspace root. The package and PGlite load their own .wasm files with
// fs at runtime, so the server build leaves them as plain Node modules.
const root = fileURLToPath(new URL('..', import.meta.url));

export default {
  outputFileTracingRoot: root,
  turbopack: { root },
  serverExternalPackages: ['opsmantik-pulse', '@electric-sql/pglite', 'redis'],
  devIndicators: false,
};
