// Server-side helpers for SSR: the same wasm code as the client, ready at
// import (Node). The provider takes what `createServerSnapshot` returns and
// the hooks' first client render reads only it, so hydration matches.
import { dateKeyAt, todayRange, yesterdayRange, nextDayStartMs, normalizeP0Stats, DEFAULT_TIME_ZONE } from './node.js';
import { statsSeedKey } from './snapshot-keys.js';
import type { CommandCenterP0Stats, DayRange } from './types.js';

export * from './node.js';
export { statsSeedKey } from './snapshot-keys.js';

/** What the server knows at render time; plain JSON, safe to serialize into the page. */
export interface ServerSnapshot {
  /** The request's clock, read once by the caller. */
  nowMs: number;
  timeZone: string;
  dayKey: string;
  today: DayRange;
  yesterday: DayRange;
  rolloverAtMs: number;
  /** Normalized "today" stats fetched on the server, by `statsSeedKey(siteId, adsOnly)`. */
  stats: Record<string, CommandCenterP0Stats | null>;
}

/** Today's stats the server fetched for a site, as the RPC returned them. */
export interface ServerStats {
  siteId: string;
  adsOnly: boolean;
  raw: unknown;
}

/** Computes the render snapshot. */
export function createServerSnapshot(nowMs: number, timeZone: string = DEFAULT_TIME_ZONE, stats: ServerStats[] = []): ServerSnapshot {
  return {
    nowMs,
    timeZone,
    dayKey: dateKeyAt(nowMs, timeZone),
    today: todayRange(nowMs, timeZone),
    yesterday: yesterdayRange(nowMs, timeZone),
    rolloverAtMs: nextDayStartMs(nowMs, timeZone),
    stats: Object.fromEntries(stats.map((s) => [statsSeedKey(s.siteId, s.adsOnly), normalizeP0Stats(s.raw)])),
  };
}
