// Server-side helpers for SSR: the same wasm code as the client, ready at
// import (Node). The React provider will take what `createServerSnapshot`
// returns so the first client render reads only this snapshot.
import { dateKeyAt, todayRange, yesterdayRange, nextDayStartMs, DEFAULT_TIME_ZONE } from './node.js';
import type { DayRange } from './types.js';

export * from './node.js';

/** What the server knows at render time; plain JSON, safe to serialize into the page. */
export interface ServerSnapshot {
  nowMs: number;
  timeZone: string;
  dayKey: string;
  today: DayRange;
  yesterday: DayRange;
  rolloverAtMs: number;
}

/** Computes the render snapshot. `nowMs` is the request's clock, read once by the caller. */
export function createServerSnapshot(nowMs: number, timeZone: string = DEFAULT_TIME_ZONE): ServerSnapshot {
  return {
    nowMs,
    timeZone,
    dayKey: dateKeyAt(nowMs, timeZone),
    today: todayRange(nowMs, timeZone),
    yesterday: yesterdayRange(nowMs, timeZone),
    rolloverAtMs: nextDayStartMs(nowMs, timeZone),
  };
}
