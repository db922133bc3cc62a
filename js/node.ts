// Node entry: the wasm is instantiated synchronously at import, so every
// function is ready right after `import`. The bytes are located relative to
// this file, which works for any install location.
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/opsmantik_pulse.js';

initSync({ module: readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url)) });

export * from './functions.js';
export type * from './types.js';
