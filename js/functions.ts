// The pure functions, typed. The wasm exports take `any` so that a wrong JS
// value reaches Rust and comes back as an Error naming the argument.
//
// A day range crosses the boundary as one string, `"fromMs toMs fromIso toIso
// dateKey"`, split into the object here: V8 builds a literal far faster than
// Rust can through serde-wasm-bindgen (≈2.8 µs per call before), and one
// string is one crossing where numbers plus two ISO strings were three. The
// texts are the core's (one ISO formatter, one key formatter).
//
// Keys and zone names are measured here first (`shortName`): an over-long
// one cannot be valid and must not be copied into wasm memory to find out.
import * as wasm from '../pkg/opsmantik_pulse.js';
import { shortName } from './args.js';
import type { DayRange, SpanRange } from './types.js';

/** The zone used when none is given. */
import { DEFAULT_TIME_ZONE } from './generated/core-facts.js';
export { DEFAULT_TIME_ZONE };

const zoneName = (timeZone: unknown): string => (typeof timeZone === 'string' ? timeZone : DEFAULT_TIME_ZONE);
const zone = <T>(timeZone: T): T => shortName('timeZone', timeZone, 'unknown_time_zone');
const key = <T>(name: string, dateKey: T): T => shortName(name, dateKey, 'invalid_date_key');

/** Reads a range text field by field (indexOf/slice: about twice as fast as split here). */
function fields(text: string): () => string {
  let at = 0;
  return () => {
    const end = text.indexOf(' ', at);
    const field = end < 0 ? text.slice(at) : text.slice(at, end);
    at = end + 1;
    return field;
  };
}

function day(text: string, timeZone: unknown, dateKey?: string): DayRange {
  const next = fields(text);
  const fromMs = Number(next()), toMs = Number(next()), fromIso = next(), toIso = next(), dayKey = next();
  return { dateKey: dateKey ?? dayKey, timeZone: zoneName(timeZone), fromIso, toIso, fromMs, toMs };
}

function span(text: string, timeZone: unknown): SpanRange {
  const next = fields(text);
  const fromMs = Number(next()), toMs = Number(next()), fromIso = next(), toIso = next();
  const startDateKey = next(), endDateKey = next(), days = Number(next());
  return { startDateKey, endDateKey, days, timeZone: zoneName(timeZone), fromIso, toIso, fromMs, toMs };
}

/** The range of local day `dateKey` (`YYYY-MM-DD`) in `timeZone` (default Europe/Istanbul). */
export function dayRange(dateKey: string, timeZone?: string): DayRange {
  // A key Rust accepted is already canonical: reuse it instead of formatting one.
  return day(wasm.dayRangeText(key('dateKey', dateKey), zone(timeZone)), timeZone, dateKey);
}

/** The local day containing `nowMs`. */
export function todayRange(nowMs: number, timeZone?: string): DayRange {
  return day(wasm.todayRangeText(nowMs, zone(timeZone)), timeZone);
}

/** The local day before the one containing `nowMs`. */
export function yesterdayRange(nowMs: number, timeZone?: string): DayRange {
  return day(wasm.yesterdayRangeText(nowMs, zone(timeZone)), timeZone);
}

/** The `YYYY-MM-DD` key of the local day containing `nowMs`. */
export function dateKeyAt(nowMs: number, timeZone?: string): string {
  return wasm.dateKeyAt(nowMs, zone(timeZone));
}

/** When "today" rolls over: the start of the next local day, strictly after `nowMs`. */
export function nextDayStartMs(nowMs: number, timeZone?: string): number {
  return wasm.nextDayStartMs(nowMs, zone(timeZone));
}

/** `days` local days ending with (and including) `endDateKey`. */
export function spanRange(endDateKey: string, days: number, timeZone?: string): SpanRange {
  return span(wasm.spanRangeText(key('endDateKey', endDateKey), days, zone(timeZone)), timeZone);
}

/** The `days` local days ending with the day containing `nowMs`. */
export function lastDaysRange(nowMs: number, days: number, timeZone?: string): SpanRange {
  return span(wasm.lastDaysRangeText(nowMs, days, zone(timeZone)), timeZone);
}
export { toIsoString } from './iso.js';
export { normalizeP0Stats, normalizeOverlay, mergeOverlay } from './stats.js';
export { classifyAds } from './classify-ads.js';
export { PulseEngine } from './engine.js';
export type { PulseEngineOptions, StatsRange } from './engine.js';
export { PulseDriver } from './driver.js';
export type { PulseDriverOptions, RealtimeCallbacks } from './driver.js';
export { PulseStore } from './store.js';
export { supabaseRpcAdapter } from './adapters/supabase-rpc.js';
export { fetchOverlayAdapter } from './adapters/overlay-fetch.js';
export { supabaseRealtimeAdapter } from './adapters/supabase-realtime.js';
export { eventSourceRealtimeAdapter } from './adapters/event-source.js';
export { RealtimePreconnect, realtimeChannelName, PRECONNECT_ADOPT_GRACE_MS, PRECONNECT_MAX_EVENTS, PRECONNECT_MAX_SITES, PRECONNECT_UNUSED_MS } from './realtime-preconnect.js';
export type { PreconnectCounters } from './realtime-preconnect.js';
export type { RpcAdapter, OverlayAdapter, RealtimeAdapter, RealtimeHandlers } from './adapters/types.js';
export type { SupabaseRealtimeClient, RealtimeChannelLike } from './adapters/supabase-realtime.js';
export type { SupabaseRpcClient } from './adapters/supabase-rpc.js';
export type { FetchOverlayOptions } from './adapters/overlay-fetch.js';
export type { EventSourceAdapterOptions } from './adapters/event-source.js';
export { manualFlag, systemClock, systemTimers } from './sources.js';
export type { Clock, Timers, FlagSource } from './sources.js';
export { relativeLabel } from './relative-label.js';
export { DEFAULT_CADENCE } from './cadence.js';
export type { PulseCadence, CadenceName } from './cadence.js';
export type { RequestOptions } from './adapters/types.js';
