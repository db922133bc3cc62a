// The relative-time label, in TS for one purpose: the first (hydration)
// render, before the wasm is loaded in the browser, computed from the server
// snapshot's clock so server and client agree. After mount the engine's own
// labels take over; a Node test checks both produce the same text.
import { instantArg } from './args.js';

/** "Just now" < 10 s, "12s ago" < 1 min, "3m ago" < 1 h, then hours. */
export function relativeLabel(nowMs: number, atMs: number): string {
  const age = Math.max(0, instantArg('nowMs', nowMs) - instantArg('atMs', atMs));
  if (age < 10_000) return 'Just now';
  if (age < 60_000) return `${Math.floor(age / 1000)}s ago`;
  if (age < 3_600_000) return `${Math.floor(age / 60_000)}m ago`;
  return `${Math.floor(age / 3_600_000)}h ago`;
}
