// Browser / bundler entry. Call `await init()` once (in an effect, never during
// render) before using the functions; `initSync({ module })` when you already
// hold the wasm bytes.
export { default as init, initSync } from '../pkg/opsmantik_pulse.js';
export * from './functions.js';
export type * from './types.js';
