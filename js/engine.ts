// `PulseEngine`: the sans-IO scheduler, typed. It never reads a clock: every
// method takes `nowMs`. A driver (see driver.ts) runs it against real IO;
// tests and the page benchmark run it against a simulated clock.
//
// This is the public API, so every argument is checked here (args.ts) before
// the wasm glue can coerce it, strings are measured before they are copied
// in (limits.ts), and every method after `free()` throws kind 'disposed'.
import * as wasm from '../pkg/opsmantik_pulse.js';
import {
  boolArg, countArg, handleArg, instantArg, objectFields, optionalCountArg, optionalStringArg, optionFields, readMessage, shortName, stringArg,
} from './args.js';
import { cadenceJson, DEFAULT_CADENCE, type CadenceName, type PulseCadence } from './cadence.js';
import { disposedError, pulseError } from './errors.js';
import { checkJsonSize, toJsonText, boundedJsonText } from './json-text.js';
import { capMessage, exceedsUtf8, MAX_JSON_BYTES, overPayloadLimit } from './limits.js';
import { PayloadSlotReader, SLOT_COUNT } from './payload-slots.js';
import { realtimeSnapshot } from './realtime-snapshot.js';
import type { EngineCommand, EngineCounters, EngineLogEntry, MergePolicy, RegistrationSnapshot } from './types.js';

const utf8 = new TextEncoder();

/** The core's slot buffers, viewed in its memory (views are rebuilt when the memory grows). */
interface SlotViews {
  slots: Float64Array;
  text: Uint8Array;
}

export interface PulseEngineOptions {
  /** The zone of "today" (default Europe/Istanbul). */
  timeZone?: string;
  policy?: MergePolicy;
  /** Seeds backoff jitter and dedup hashing (a non-negative whole number); pass a random value per page in production. */
  seed?: number;
  /**
   * After a gap in realtime (before the first SUBSCRIBED, a reconnect), replay the gap's calls
   * through `get_recent_intents_v2` (v1 fallback) into the callbacks (`replay` commands; the
   * driver feeds the rows through the pipeline, so duplicates are dropped). Off (default):
   * `onDataFreshness` fires instead, so the app refetches its lists.
   */
  replayCalls?: boolean;
  /** Poll, throttle, timeout and backoff intervals in ms (see `DEFAULT_CADENCE`); a bad value throws kind `invalid_cadence`. */
  cadence?: PulseCadence | null;
}

/** A stats range: today (rolls over at the zone's midnight) or `[fromMs, toMs)`. */
export type StatsRange = 'today' | { fromMs: number; toMs: number };

const RANGE_EXPECTED = "range must be 'today' or {fromMs, toMs}";

/** `[fromMs, toMs]` of a fixed range, or `undefined` for today. Both bounds are required: `{}` is not today. */
function fixedRange(range: unknown): [unknown, unknown] | undefined {
  if (range === 'today') return undefined;
  if (typeof range === 'string') throw pulseError('invalid_argument', `${RANGE_EXPECTED}, got '${range.slice(0, 40)}'`);
  const r = objectFields('range', range, ['fromMs', 'toMs']);
  if (r.fromMs === undefined || r.fromMs === null || r.toMs === undefined || r.toMs === null) {
    throw pulseError('invalid_argument', `${RANGE_EXPECTED}; both bounds are required`);
  }
  return [r.fromMs, r.toMs];
}

/** Whether RPC data is JSON `null` or `[]` as a plain value, which crosses without text. */
function emptyData(data: unknown): 'null' | 'array' | undefined {
  if (data === null || data === undefined) return 'null';
  if (!Array.isArray(data) || data.length !== 0 || Object.getPrototypeOf(data) !== Array.prototype) return undefined;
  return typeof (data as { toJSON?: unknown }).toJSON === 'function' ? undefined : 'array';
}

export class PulseEngine {
  #core: wasm.PulseEngineCore | undefined;
  readonly #reader = new PayloadSlotReader();
  #memory: WebAssembly.Memory | undefined;
  #views: SlotViews | undefined;
  /** A payload is being read into the slots (its getters run meanwhile). */
  #reading = false;
  /** Calls into the core so far (see `calls`). */
  #calls = 0;
  /** All of wasm memory as f64s, for reading a flush record (rebuilt when the memory grows). */
  #heap: Float64Array | undefined;
  /** The cadences in effect: the defaults with this engine's overrides (the core accepted them). */
  readonly cadence: Readonly<Record<CadenceName, number>>;

  constructor(options?: PulseEngineOptions | null) {
    const o = optionFields('PulseEngine options', options, ['timeZone', 'policy', 'seed', 'replayCalls', 'cadence']);
    const overrides = cadenceJson(o.cadence);
    this.#core = new wasm.PulseEngineCore(
      shortName('options.timeZone', o.timeZone, 'unknown_time_zone'),
      shortName('options.policy', o.policy),
      optionalCountArg('options.seed', o.seed),
      o.replayCalls === undefined || o.replayCalls === null ? false : boolArg('options.replayCalls', o.replayCalls),
      overrides,
    );
    this.cadence = Object.freeze({ ...DEFAULT_CADENCE, ...(overrides === undefined ? {} : (JSON.parse(overrides) as PulseCadence)) }) as Record<CadenceName, number>;
  }

  /** The page's data is complete as of `atMs` (the server snapshot's `nowMs`): each site's first SUBSCRIBED catches up from there. */
  setDataAsOf(atMs: number): void {
    this.#live.setDataAsOf(atMs);
  }

  /** The wasm instance, or kind 'disposed' after `free()`. */
  get #live(): wasm.PulseEngineCore {
    if (!this.#core) throw disposedError('PulseEngine');
    this.#calls++;
    return this.#core;
  }

  /**
   * How many calls reached the core so far: a driver running callbacks
   * between two reads compares it to know whether anything could have queued
   * more commands, instead of asking the core once more.
   */
  get calls(): number {
    return this.#calls;
  }

  registerRealtime(siteId: string, adsOnly: boolean, callbacks: boolean, nowMs: number): number {
    return this.#live.registerRealtime(shortName('siteId', siteId), boolArg('adsOnly', adsOnly), boolArg('callbacks', callbacks), nowMs);
  }

  /** `seed`: a snapshot the server rendered (raw RPC data) and when it was fetched; shown at once, not refetched while fresh. */
  registerStats(siteId: string, range: StatsRange, adsOnly: boolean, nowMs: number, seed?: { data: unknown; fetchedAtMs: number } | null): number {
    const core = this.#live;
    const fixed = fixedRange(range);
    let seedJson: string | undefined;
    let seedAtMs: number | undefined;
    if (seed !== undefined && seed !== null) {
      const s = objectFields('seed', seed, ['data', 'fetchedAtMs']);
      seedJson = boundedJsonText(s.data ?? null, 'seed.data', 'invalid_stats');
      seedAtMs = instantArg('seed.fetchedAtMs', s.fetchedAtMs);
    }
    return core.registerStats(shortName('siteId', siteId), fixed?.[0], fixed?.[1], boolArg('adsOnly', adsOnly), nowMs, seedJson, seedAtMs);
  }

  registerRelativeTime(atMs: number, nowMs: number): number {
    return this.#live.registerRelativeTime(atMs, nowMs);
  }

  unregister(handle: number, nowMs: number): void {
    this.#live.unregister(handleArg('handle', handle), nowMs);
  }

  handleTimeout(nowMs: number): void {
    this.#live.handleTimeout(nowMs);
  }

  /**
   * An RPC answer: `{data}` or `{error: {message, code?}}` (supabase-js's shape).
   * Data that cannot cross (unserializable, over 1 MiB of JSON) fails the
   * request with a message instead; error messages are cut to 512 bytes.
   */
  handleRpcResponse(requestId: number, result: { data: unknown } | { error: { message: string; code?: string } }, nowMs: number): void {
    const core = this.#live;
    const id = countArg('requestId', requestId);
    const r = objectFields('result', result, ['data', 'error']);
    if (r.error !== undefined && r.error !== null) {
      const e = objectFields('result.error', r.error, ['message', 'code']);
      const message = capMessage(stringArg('result.error.message', e.message));
      core.handleRpcResponse(id, undefined, shortName('result.error.code', optionalStringArg('result.error.code', e.code)), message, nowMs);
      return;
    }
    // `null` (or nothing) and `[]` need no text: most lookups and probes answer so.
    const empty = emptyData(r.data);
    if (empty !== undefined) {
      core.handleRpcEmptyData(id, empty === 'array', instantArg('nowMs', nowMs));
      return;
    }
    let text: string;
    try {
      text = checkJsonSize(toJsonText(r.data, 'data'), 'data', 'invalid_stats');
    } catch (err) {
      core.handleRpcResponse(id, undefined, undefined, capMessage(`unreadable response: ${readMessage(err)}`), nowMs);
      return;
    }
    core.handleRpcResponse(id, text, undefined, undefined, nowMs);
  }

  /** An overlay answer: the body as text (parsed by the core; over 1 MiB it fails the poll), or a transport error. */
  handleOverlayResponse(requestId: number, result: { body: string } | { error: string }, nowMs: number): void {
    const core = this.#live;
    const id = countArg('requestId', requestId);
    const r = objectFields('result', result, ['body', 'error']);
    if (r.error !== undefined && r.error !== null) {
      core.handleOverlayResponse(id, undefined, capMessage(stringArg('result.error', r.error)), nowMs);
      return;
    }
    const body = stringArg('result.body', r.body);
    if (exceedsUtf8(body, MAX_JSON_BYTES)) core.handleOverlayResponse(id, undefined, `overlay body is over ${MAX_JSON_BYTES} bytes`, nowMs);
    else core.handleOverlayResponse(id, body, undefined, nowMs);
  }

  /**
   * A payload as JSON text, numbered by the driver. `true` when its row must
   * be kept until a `release`. Over the 64 KiB limit it is counted as dropped
   * `oversized`; over 16x that it throws kind 'oversized' without crossing.
   */
  handlePayload(siteId: string, text: string, seq: number, nowMs: number): boolean {
    const core = this.#live;
    const site = shortName('siteId', siteId);
    const payload = stringArg('payload', text);
    const n = countArg('seq', seq);
    // Over the limit it never crosses (wasm memory never shrinks); the core still counts it.
    if (overPayloadLimit(payload)) {
      core.handleOversizedPayload(site, nowMs);
      return false;
    }
    return core.handlePayload(site, payload, n, nowMs);
  }

  /**
   * A payload object, read here into the core's slots and decided there
   * without JSON text (src/realtime/payload_view.rs): the same rules and
   * counts as `handlePayload`. `undefined` when it must go as text instead
   * (not a plain object, or not provably within the limits: see
   * payload-slots.ts); otherwise bit 0 says the row must be kept until a
   * `release` and the rest (`>>> 1`) is how many commands are queued.
   */
  handlePayloadObject(siteId: string, payload: unknown, seq: number, nowMs: number): number | undefined {
    const core = this.#live;
    const site = shortName('siteId', stringArg('siteId', siteId));
    const n = countArg('seq', seq);
    instantArg('nowMs', nowMs);
    // A getter of the payload runs during the read and may call back in: a
    // nested read would overwrite this one's slots (the outer payload then
    // decided with the inner's fields), so it takes the text path instead.
    if (this.#reading) return undefined;
    const views = this.#slotViews(core);
    this.#reading = true;
    let text: string | undefined;
    try {
      text = this.#reader.read(site, payload, views.slots);
    } finally {
      this.#reading = false;
    }
    if (text === undefined) return undefined;
    // The getter may also have freed the engine (kind 'disposed', not a
    // wasm-bindgen null pointer) or grown the memory, detaching the views.
    if (this.#slotViews(this.#live) !== views) return undefined;
    const { read: units, written } = utf8.encodeInto(text, views.text);
    if (units !== text.length) return undefined;
    return core.handlePayloadSlots(site.length, written, n, nowMs);
  }

  #slotViews(core: wasm.PulseEngineCore): SlotViews {
    // Growing the memory detaches its buffer, and a view of a detached buffer
    // has length 0: that check costs less than reading `memory.buffer` per payload.
    if (this.#views === undefined || this.#views.slots.length === 0) {
      const buffer = this.#wasmMemory(core).buffer;
      this.#views = {
        slots: new Float64Array(buffer, core.slotsPtr(), 2 * SLOT_COUNT),
        text: new Uint8Array(buffer, core.slotTextPtr(), core.slotTextCapacity()),
      };
    }
    return this.#views;
  }

  #wasmMemory(core: wasm.PulseEngineCore): WebAssembly.Memory {
    return (this.#memory ??= core.slotMemory() as WebAssembly.Memory);
  }

  /** A channel status (`SUBSCRIBED`, `CHANNEL_ERROR`, `TIMED_OUT`, `CLOSED`, `ERROR`); the message is cut to 512 bytes. */
  handleChannelStatus(siteId: string, status: string, message: string | undefined | null, nowMs: number): void {
    const core = this.#live;
    const text = optionalStringArg('message', message);
    core.handleChannelStatus(shortName('siteId', siteId), shortName('status', status), text === undefined ? undefined : capMessage(text), nowMs);
  }

  handleSocketProbe(open: boolean, nowMs: number): void {
    this.#live.handleSocketProbe(boolArg('open', open), nowMs);
  }

  setVisible(visible: boolean, nowMs: number): void {
    this.#live.setVisible(boolArg('visible', visible), nowMs);
  }

  setOnline(online: boolean, nowMs: number): void {
    this.#live.setOnline(boolArg('online', online), nowMs);
  }

  refetch(handle: number, nowMs: number): void {
    this.#live.refetch(handleArg('handle', handle), nowMs);
  }

  reconnect(handle: number, nowMs: number): void {
    this.#live.reconnect(handleArg('handle', handle), nowMs);
  }

  setPolicy(policy: MergePolicy, nowMs: number): void {
    this.#live.setPolicy(shortName('policy', policy), nowMs);
  }

  drainCommands(): EngineCommand[] {
    return JSON.parse(this.#live.drainCommandsJson());
  }

  /**
   * Every queued command in one crossing, as numbers (src/engine/command_batch.rs):
   * `[others, text units, records…]`; `takeBatchCommands()` then gives the
   * `others` commands that stay objects, `takeBatchText()` the text the
   * records' strings are cut from. Empty when nothing is queued.
   */
  drainCommandBatch(): Float64Array {
    return this.#live.drainCommandBatch();
  }

  /**
   * Everything a flush reads, in one call (src/engine/flush_output.rs): the
   * header (`FLUSH_HEADER`: length, deadline or NaN, changed entries), the
   * changed entries (`FLUSH_CHANGE_FIELDS`, a realtime snapshot's numbers
   * inline) and the command batch as `drainCommandBatch` gives it. Copied out
   * of wasm memory in one go (callbacks run while it is read, and may grow
   * the memory or write the next record), into a plain array: making a typed
   * array costs more than copying the numbers (BENCHMARKS.md, "Realtime events").
   */
  flushOutput(): number[] {
    const core = this.#live;
    const at = core.flushOutput() / Float64Array.BYTES_PER_ELEMENT;
    // As `#slotViews`: a view of a detached (grown) memory has length 0.
    if (this.#heap === undefined || this.#heap.length === 0) this.#heap = new Float64Array(this.#wasmMemory(core).buffer);
    const heap = this.#heap;
    const length = heap[at] ?? 0;
    const words = Number.isInteger(length) && length > 0 ? Math.min(length, heap.length - at) : 0;
    const out = new Array<number>(words);
    for (let i = 0; i < words; i++) out[i] = heap[at + i] ?? Number.NaN;
    return out;
  }

  /** The object commands of the last batch, in order (call once per batch whose `others` > 0). */
  takeBatchCommands(): EngineCommand[] {
    return JSON.parse(this.#live.takeBatchCommandsJson());
  }

  /** The last batch's text (call once per batch whose text units > 0). */
  takeBatchText(): string {
    return this.#live.takeBatchText();
  }

  /** Handles whose snapshot changed since the last call, with their versions: `[handle, version, …]`. */
  takeChangedVersions(): Float64Array {
    return this.#live.takeChangedVersions();
  }

  /** The one deadline to arm, or undefined. */
  pollTimeout(): number | undefined {
    return this.#live.pollTimeout();
  }

  version(handle: number): number {
    return this.#live.version(handleArg('handle', handle));
  }

  snapshot(handle: number): RegistrationSnapshot | null {
    const core = this.#live;
    const h = handleArg('handle', handle);
    // A realtime snapshot (the one that changes per event) crosses as numbers; the rest as JSON.
    return realtimeSnapshot(core.realtimeSnapshotNumbers(h)) ?? JSON.parse(core.snapshotJson(h));
  }

  counters(): EngineCounters {
    return JSON.parse(this.#live.countersJson());
  }

  log(): EngineLogEntry[] {
    return JSON.parse(this.#live.logJson());
  }

  debug(): Record<string, unknown> {
    return JSON.parse(this.#live.debugJson());
  }

  /** Handles whose snapshot changed since the last call (publish only these). */
  takeChangedHandles(): Uint32Array {
    return this.#live.takeChangedHandles();
  }

  /** Commands waiting for `drainCommands()`; 0 means a drain would return `[]`. */
  queuedCommands(): number {
    return this.#live.queuedCommands();
  }

  /** Frees the wasm memory now. Idempotent; every other method afterwards throws kind 'disposed'. */
  free(): void {
    const core = this.#core;
    this.#core = undefined;
    core?.free();
  }
}
