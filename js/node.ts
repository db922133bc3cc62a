// Node entry: the wasm is instantiated synchronously at import, so every
// function is ready right after `import`. The bytes are inside the package's
// JavaScript (dist/wasm-bytes.js, base64), not looked up on disk: Next's
// standalone output, `next start <dir>` from another folder, a hoisted
// monorepo or any bundler that moves files finds them wherever the module
// goes, with no configuration (scripts/embed-wasm.mjs has the measurements).
import { initSync as instantiate, loadZonePack } from '../pkg/opsmantik_pulse.js';
import wasmBase64, { zonesBase64 } from './wasm-bytes.js';
import { markInitialized } from './wasm-init.js';

function decode(base64: string): Uint8Array {
  if (typeof Buffer === 'function') return Buffer.from(base64, 'base64');
  const text = atob(base64); // runtimes without Buffer
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const exports = instantiate({ module: decode(wasmBase64) });
loadZonePack(decode(zonesBase64)); // every IANA zone, not only the built-in ones
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
/** Every zone is loaded at import here. */
export async function loadZones(_input?: unknown): Promise<void> {}
/** Nothing to preload under Node. */
export async function preloadWasm(_url?: unknown): Promise<void> {}
