// Node entry: the wasm is instantiated synchronously at import, so every
// function is ready right after `import`. The bytes are found next to this
// file; bundlers that rewrite `import.meta.url` (Next.js' server build) fall
// back to `node_modules/opsmantik-pulse/pkg` under the working directory, and
// `OPSMANTIK_PULSE_WASM` can name the file outright.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync as instantiate } from '../pkg/opsmantik_pulse.js';
import { markInitialized } from './wasm-init.js';

function wasmPath(): string {
  const candidates: string[] = [];
  if (process.env.OPSMANTIK_PULSE_WASM) candidates.push(process.env.OPSMANTIK_PULSE_WASM);
  try {
    candidates.push(fileURLToPath(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url)));
  } catch {
    // import.meta.url is not a file URL here (a bundler rewrote it): try the fallbacks.
  }
  candidates.push(join(process.cwd(), 'node_modules', 'opsmantik-pulse', 'pkg', 'opsmantik_pulse_bg.wasm'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`opsmantik-pulse: opsmantik_pulse_bg.wasm not found (looked in: ${candidates.join(', ')})`);
  return found;
}

const exports = instantiate({ module: readFileSync(wasmPath()) });
markInitialized();

/** Bytes of linear memory the wasm instance holds now (it grows, never shrinks). For soak tests and devtools. */
export function wasmMemoryBytes(): number {
  return exports.memory.buffer.byteLength;
}

export * from './functions.js';
export type * from './types.js';

/** Already initialised at import; kept so isomorphic code can `await init()` everywhere. */
export async function init(_input?: unknown): Promise<void> {}
export default init;
/** Already initialised at import. */
export function initSync(_module?: unknown): void {}
/** Always true here: the wasm is instantiated at import. */
export function isInitialized(): boolean {
  return true;
}
/** Nothing to preload under Node. */
export async function preloadWasm(_url?: unknown): Promise<void> {}
