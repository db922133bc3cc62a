// Server-side helpers for SSR: the same wasm code as the client, ready at
// import (Node). The provider takes what `createServerSnapshot` returns and
// the hooks' first client render reads only it, so hydration matches.
import { dateKeyAt, todayRange, yesterdayRange, nextDayStartMs, normalizeP0Stats, DEFAULT_TIME_ZONE } from './node.js';
import { arrayArg, objectFields } from './args.js';
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

/** Computes the render snapshot. `timeZone` and `stats` may be undefined or null (the default zone, no stats). */
export function createServerSnapshot(nowMs: number, timeZone?: string | null, stats?: readonly ServerStats[] | null): ServerSnapshot {
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  const dayKey = dateKeyAt(nowMs, zone); // validates nowMs and the zone first
  const entries = stats === undefined || stats === null ? [] : arrayArg('stats', stats);
  const seeds = entries.map((entry, i) => {
    const s = objectFields(`stats[${i}]`, entry, ['siteId', 'adsOnly', 'raw']);
    return [statsSeedKey(s.siteId as string, s.adsOnly as boolean), normalizeP0Stats(s.raw)] as const;
  });
  return {
    nowMs,
    timeZone: zone,
    dayKey,
    today: todayRange(nowMs, zone),
    yesterday: yesterdayRange(nowMs, zone),
    rolloverAtMs: nextDayStartMs(nowMs, zone),
    stats: Object.fromEntries(seeds),
  };
}
