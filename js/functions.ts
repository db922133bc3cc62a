// The pure functions, typed. The wasm exports take `any` so that a wrong JS
// value reaches Rust and comes back as an Error naming the argument; these
// signatures say what callers should pass.
import * as wasm from '../pkg/opsmantik_pulse.js';
import type { DayRange, SpanRange } from './types.js';

/** The zone used when none is given. */
export const DEFAULT_TIME_ZONE = 'Europe/Istanbul';

/** The range of local day `dateKey` (`YYYY-MM-DD`) in `timeZone`. */
export const dayRange: (dateKey: string, timeZone?: string) => DayRange = wasm.dayRange;
/** The local day containing `nowMs`. */
export const todayRange: (nowMs: number, timeZone?: string) => DayRange = wasm.todayRange;
/** The local day before the one containing `nowMs`. */
export const yesterdayRange: (nowMs: number, timeZone?: string) => DayRange = wasm.yesterdayRange;
/** The `YYYY-MM-DD` key of the local day containing `nowMs`. */
export const dateKeyAt: (nowMs: number, timeZone?: string) => string = wasm.dateKeyAt;
/** When "today" rolls over: the start of the next local day, strictly after `nowMs`. */
export const nextDayStartMs: (nowMs: number, timeZone?: string) => number = wasm.nextDayStartMs;
/** `days` local days ending with (and including) `endDateKey`. */
export const spanRange: (endDateKey: string, days: number, timeZone?: string) => SpanRange = wasm.spanRange;
/** The `days` local days ending with the day containing `nowMs`. */
export const lastDaysRange: (nowMs: number, days: number, timeZone?: string) => SpanRange = wasm.lastDaysRange;
