// The relative-time label, in TS for one purpose: the first (hydration)
// render, before the wasm is loaded in the browser, computed from the server
// snapshot's clock so server and client agree. The rule itself (thresholds,
// units, words) is the core's table, generated into core-facts.ts; this only
// walks it. After mount the engine's own labels take over; a Node test checks
// both produce the same text.
import { instantArg } from './args.js';
import { RELATIVE_LABEL_BANDS } from './generated/core-facts.js';

/** "Just now" < 10 s, "12s ago" < 1 min, "3m ago" < 1 h, then hours. */
export function relativeLabel(nowMs: number, atMs: number): string {
  const age = Math.max(0, instantArg('nowMs', nowMs) - instantArg('atMs', atMs));
  const band = RELATIVE_LABEL_BANDS.find((b) => age < b.belowMs);
  if (!band) return ''; // not reached: the last band is unbounded (`belowMs: Infinity`)
  return band.unitMs === 0 ? band.suffix : `${Math.floor(age / band.unitMs)}${band.suffix}`;
}
