// Browser / bundler entry. `await init()` once (in an effect, never during
// render) before using the functions; `import init from 'opsmantik-pulse'`
// works too. The wasm download starts when this module is evaluated, so it
// overlaps with hydration. Called before `init()` has finished, every
// wasm-backed function throws an Error with kind `not_initialized` saying what
// to call (never the glue's TypeError).
import * as f from './functions.js';
import { ensureInitialized, init, needsWasm } from './wasm-init.js';

export { init, initSync, isInitialized, preloadWasm, defaultWasmUrl } from './wasm-init.js';
export type { InitInput } from './wasm-init.js';
export { loadZones, defaultZonesUrl } from './zones.js';
export default init;

export * from './functions.js';
export type * from './types.js';

// These shadow the unguarded ones from `export *` above.
export const dayRange = needsWasm('dayRange', f.dayRange);
export const todayRange = needsWasm('todayRange', f.todayRange);
export const yesterdayRange = needsWasm('yesterdayRange', f.yesterdayRange);
export const dateKeyAt = needsWasm('dateKeyAt', f.dateKeyAt);
export const nextDayStartMs = needsWasm('nextDayStartMs', f.nextDayStartMs);
export const spanRange = needsWasm('spanRange', f.spanRange);
export const lastDaysRange = needsWasm('lastDaysRange', f.lastDaysRange);
export const toIsoString = needsWasm('toIsoString', f.toIsoString);
export const normalizeP0Stats = needsWasm('normalizeP0Stats', f.normalizeP0Stats);
export const normalizeOverlay = needsWasm('normalizeOverlay', f.normalizeOverlay);
export const mergeOverlay = needsWasm('mergeOverlay', f.mergeOverlay);
export const classifyAds = needsWasm('classifyAds', f.classifyAds);

/** The page scheduler (see `PulseEngine` in the README); needs `init()` first. */
export class PulseEngine extends f.PulseEngine {
  constructor(...args: ConstructorParameters<typeof f.PulseEngine>) {
    ensureInitialized('new PulseEngine()');
    super(...args);
  }
}

/** One engine driven against real IO; needs `init()` first (`PulseProvider` does it for you). */
export class PulseDriver extends f.PulseDriver {
  constructor(...args: ConstructorParameters<typeof f.PulseDriver>) {
    ensureInitialized('new PulseDriver()');
    super(...args);
  }
}
