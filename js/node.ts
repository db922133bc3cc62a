// Node entry: the wasm is instantiated synchronously at import, so every
// function is ready right after `import`. The bytes are located relative to
// this file, which works for any install location.
import { readFileSync } from 'node:fs';
import { initSync as instantiate } from '../pkg/opsmantik_pulse.js';

instantiate({ module: readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url)) });

export * from './functions.js';

/** Already initialised at import; kept so isomorphic code can `await init()` everywhere. */
export async function init(): Promise<void> {}
/** Already initialised at import. */
export function initSync(): void {}
export type * from './types.js';
