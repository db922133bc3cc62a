// The driver: owns one PulseEngine for a page (or provider), carries out its
// commands through the adapters, feeds results and payloads back with the
// time they happened, and arms exactly one timer at the engine's deadline.
//
// Adapters are user code and may misbehave: their answers are read by
// adapter-answers.ts, every path from an adapter, a timer or a source back
// into the driver is guarded (nothing throws into the adapter, nothing
// becomes an unhandled rejection), and each fault reaches onError once.
// dispose() may be called from anywhere, including from inside a callback or
// an adapter's subscribe: a flush in progress stops and frees the engine as it unwinds.
import {
  overlayFailed, readOverlayAnswer, readPayload, readRpcAnswer, readStatus, rpcFailed, settle, type Read,
} from './adapter-answers.js';
import { boolArg, handleArg, methodsArg, objectFields, optionalFunctionArg, optionalMethodsArg, readMessage } from './args.js';
import { PulseEngine, type PulseEngineOptions, type StatsRange } from './engine.js';
import { disposedError, pulseError } from './errors.js';
import { capMessage } from './limits.js';
import { PulseStore } from './store.js';
import { browserOnline, documentVisibility, systemClock, systemTimers, type Clock, type FlagSource, type Timers } from './sources.js';
import type { OverlayAdapter, RealtimeAdapter, RealtimeHandlers, RpcAdapter } from './adapters/types.js';
import { Timeline, type TimelineEntry } from './timeline.js';
import { simulatedFlag, type SimulatedFlag } from './simulated-flag.js';
import type { PulseCadence } from './cadence.js';
import { RequestAborts } from './request-aborts.js';
import { quietRejection, RefetchWaiters } from './refetch-waiters.js';
import { replayPayloads } from './replay.js';
import { attachCrossTab, type CrossTabOption } from './cross-tab/attach.js';
import type { CrossTabLink } from './cross-tab/link.js';
import {
  BATCH_RECORD_FIELDS, BATCH_RECORDS, FLUSH_CHANGE_FIELDS, FLUSH_HEADER, NOTIFICATION_KINDS, REQUEST_REASONS, SESSION_LOOKUP_PARAMS, SESSION_LOOKUP_RPC,
} from './generated/core-facts.js';
import { realtimeSnapshot } from './realtime-snapshot.js';
import type { CommandCenterP0Stats, EngineCommand, MergePolicy, NotificationKind } from './types.js';

/** The original hook's callbacks. Rows are the payload's `new` object. */
export interface RealtimeCallbacks {
  onIntentCreated?: (row: Record<string, unknown>) => void;
  onIntentUpdated?: (row: Record<string, unknown>) => void;
  onCallCreated?: (row: Record<string, unknown>) => void;
  onCallUpdated?: (row: Record<string, unknown>) => void;
  onEventCreated?: (row: Record<string, unknown>) => void;
  onDataFreshness?: () => void;
}

export interface PulseDriverOptions {
  rpc: RpcAdapter;
  overlay: OverlayAdapter;
  realtime: RealtimeAdapter;
  timeZone?: string;
  policy?: MergePolicy;
  /** Seeds jitter and dedup hashing (default: random per driver). */
  seed?: number;
  clock?: Clock;
  timers?: Timers;
  visibility?: FlagSource;
  online?: FlagSource;
  /**
   * Called once per fault: a callback that throws, or an adapter that broke
   * its contract (garbage answers, synchronous throws, unreadable errors).
   * An ordinary failed request (a rejection, `{error}`) is not a fault: it
   * shows as the handle's `error`. Default: console.error.
   */
  onError?: (error: unknown) => void;
  /**
   * Replay the calls created during a realtime gap (before the first SUBSCRIBED, a reconnect)
   * through `get_recent_intents_v2` into the callbacks, instead of `onDataFreshness`. The rows
   * go through the pipeline like live changes; callbacks must upsert by id (a replayed row may
   * be one the app already loaded).
   */
  replay?: boolean;
  /** The instant the page's data is complete as of (the server snapshot's `nowMs`). */
  dataAsOfMs?: number;
  /**
   * One tab of the origin does the IO for all (js/cross-tab/): on by default where
   * `navigator.locks` and `BroadcastChannel` exist; `false` runs this tab alone.
   */
  crossTab?: CrossTabOption;
  /**
   * Poll, throttle, timeout and backoff intervals in ms, each defaulting to
   * `DEFAULT_CADENCE` (checked by the core: a bad one throws kind `invalid_cadence` naming it).
   */
  cadence?: PulseCadence | null;
}

const OPTION_KEYS = ['rpc', 'overlay', 'realtime', 'timeZone', 'policy', 'seed', 'clock', 'timers', 'visibility', 'online', 'onError', 'replay', 'dataAsOfMs', 'crossTab', 'cadence'] as const;
const FLAG_METHODS = ['get', 'subscribe'];
const defaultOnError = (e: unknown) => console.error('[opsmantik-pulse]', e);
/** Queued commands at which a payload flushes at once instead of at the end of the task (the engine keeps 8,192). */
const FLUSH_NOW_AT = 1024;

const CALLBACK_OF: Record<Exclude<NotificationKind, 'data_freshness'>, keyof RealtimeCallbacks> = {
  call_created: 'onCallCreated',
  call_updated: 'onCallUpdated',
  event_created: 'onEventCreated',
};

interface HeldPayload {
  payload: unknown;
  row?: Record<string, unknown> | null;
}

/** A number of a numeric batch; past its end, -1 (which names no record, kind or handle). */
const word = (batch: ArrayLike<number>, i: number): number => batch[i] ?? -1;

type BatchRecordName = keyof typeof BATCH_RECORD_FIELDS;
type BatchLayout<R extends BatchRecordName> = Record<(typeof BATCH_RECORD_FIELDS)[R][number], number> & { size: number };
/** A batch record's field offsets from its number, and its size, from the core's layout (generated). */
function batchLayout<R extends BatchRecordName>(record: R): BatchLayout<R> {
  const fields: readonly string[] = BATCH_RECORD_FIELDS[record];
  return { ...Object.fromEntries(fields.map((f, n) => [f, n + 1])), size: fields.length + 1 } as BatchLayout<R>;
}
/** Field offsets of a flush record's header and of its changed entries (src/engine/flush_output.rs, generated). */
const offsets = <F extends string>(fields: readonly F[]) => Object.fromEntries(fields.map((f, n) => [f, n])) as Record<F, number>;
const HEADER = { ...offsets(FLUSH_HEADER), size: FLUSH_HEADER.length };
const CHANGE = { ...offsets(FLUSH_CHANGE_FIELDS), size: FLUSH_CHANGE_FIELDS.length };
const NOTIFY = batchLayout('notify');
const RELEASE = batchLayout('release');
const LOOKUP = batchLayout('lookup');

export class PulseDriver {
  readonly engine: PulseEngine;
  readonly store = new PulseStore();
  readonly #rpc: RpcAdapter;
  readonly #overlay: OverlayAdapter;
  readonly #realtime: RealtimeAdapter;
  /** The cross-tab link this driver's IO runs through (role, peers, messages for devtools), if any. */
  readonly crossTab: CrossTabLink | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #visibility: SimulatedFlag;
  readonly #online: SimulatedFlag;
  readonly #callbacks = new Map<number, () => RealtimeCallbacks | undefined>();
  readonly #handles = new Set<number>();
  readonly #channels = new Map<string, () => void>();
  /** Payloads by their number (unique per driver), until the flush after them or their release. */
  readonly #held = new Map<number, HeldPayload>();
  readonly #retained = new Set<number>();
  #fresh: number[] = [];
  #seq = 0;
  #timer: unknown = undefined;
  #armedAt: number | undefined = undefined;
  #detach: Array<() => void> = [];
  #started = false;
  #disposed = false;
  #flushing = false;
  readonly #timeline: Timeline;
  readonly #aborts = new RequestAborts();
  readonly #refetches = new RefetchWaiters();
  /** The highest request id carried out so far (ids only grow): what a refetch must come after. */
  #lastRequestId = 0;
  #flushQueued = false;

  constructor(options: PulseDriverOptions) {
    // Only the known keys are read: the provider passes its whole props object.
    const o = objectFields('PulseDriver options', options, OPTION_KEYS);
    this.#rpc = methodsArg('options.rpc', o.rpc, ['rpc']);
    this.#overlay = methodsArg('options.overlay', o.overlay, ['fetchOverlay']);
    this.#realtime = methodsArg('options.realtime', o.realtime, ['subscribe']);
    this.#onError = optionalFunctionArg('options.onError', o.onError) ?? defaultOnError;
    this.#clock = optionalMethodsArg('options.clock', o.clock, ['now']) ?? systemClock;
    this.#timers = optionalMethodsArg('options.timers', o.timers, ['setTimeout', 'clearTimeout']) ?? systemTimers;
    // Wrapped so devtools can simulate a hidden tab or being offline (simulate()).
    this.#visibility = simulatedFlag(optionalMethodsArg<FlagSource>('options.visibility', o.visibility, FLAG_METHODS) ?? documentVisibility);
    this.#online = simulatedFlag(optionalMethodsArg<FlagSource>('options.online', o.online, FLAG_METHODS) ?? browserOnline);
    // A page seed keeps dedup hashes unguessable; Math.random is enough for that and for jitter.
    const seed = o.seed ?? Math.floor(Math.random() * 2 ** 48);
    // Cross-tab seam: the engine's commands run through the link's adapters, which reach
    // the real ones on the leader tab and the leader's broadcasts on the others.
    this.crossTab = attachCrossTab(o.crossTab, { rpc: this.#rpc, overlay: this.#overlay, realtime: this.#realtime, clock: this.#clock, visibility: this.#visibility, onError: this.#onError });
    if (this.crossTab) ({ rpc: this.#rpc, overlay: this.#overlay, realtime: this.#realtime } = this.crossTab);
    this.engine = new PulseEngine({ timeZone: o.timeZone, policy: o.policy, seed, replayCalls: o.replay ?? false, cadence: o.cadence } as PulseEngineOptions);
    if (o.dataAsOfMs !== undefined && o.dataAsOfMs !== null) this.engine.setDataAsOf(o.dataAsOfMs as number);
    this.#timeline = new Timeline(this.engine.cadence.requestTimeoutMs);
  }

  /** Starts listening to visibility and connectivity (call after mount). A no-op once disposed. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.crossTab?.start();
    this.#input((t) => {
      if (!this.#visibility.get()) this.engine.setVisible(false, t);
      if (!this.#online.get()) this.engine.setOnline(false, t);
    });
    this.#watch(this.#visibility, (visible, t) => this.engine.setVisible(visible, t));
    this.#watch(this.#online, (online, t) => this.engine.setOnline(online, t));
  }

  /** What the driver did (requests with why and how they ended, channel and page states), oldest first, bounded. */
  timeline(): TimelineEntry[] {
    return this.#timeline.entries(this.#clock.now());
  }

  clearTimeline(): void {
    this.#timeline.clear();
  }

  /**
   * Devtools: makes the engine see the tab as hidden (`'hidden'`) or the page
   * as offline (`'offline'`) while `on`, through the same sources the driver
   * listens to; `false` follows the browser again.
   */
  simulate(what: 'hidden' | 'offline', on: boolean): void {
    const flag = what === 'hidden' ? this.#visibility : what === 'offline' ? this.#online : null;
    if (!flag) throw pulseError('invalid_argument', `what must be 'hidden' or 'offline', got ${typeof what === 'string' ? `'${what.slice(0, 64)}'` : typeof what}`);
    flag.force(boolArg('on', on) ? false : null);
  }

  /** Which simulations are on. */
  simulated(): { hidden: boolean; offline: boolean } {
    return { hidden: this.#visibility.forced() === false, offline: this.#online.forced() === false };
  }

  /** Feeds a flag source's changes to the engine; a source that misbehaves is a fault, not a crash. */
  #watch(source: FlagSource, apply: (value: boolean, nowMs: number) => void): void {
    this.#safely(() => {
      const detach = source.subscribe(() =>
        this.#safely(() =>
          this.#input((t) => {
            apply(source.get(), t);
            this.#timeline.page(this.#visibility.get(), this.#online.get(), t);
          }),
        ),
      );
      if (typeof detach === 'function') this.#detach.push(detach);
    });
  }

  get started(): boolean {
    return this.#started;
  }

  /** Registrations throw kind 'disposed' after `dispose()`. */
  registerRealtime(siteId: string, adsOnly: boolean, callbacks?: () => RealtimeCallbacks | undefined): number {
    const latest = optionalFunctionArg<() => RealtimeCallbacks | undefined>('callbacks', callbacks);
    return this.#register((t) => this.engine.registerRealtime(siteId, adsOnly, latest !== undefined, t), latest);
  }

  registerStats(siteId: string, range: StatsRange, adsOnly: boolean, seed?: { data: unknown; fetchedAtMs: number } | null): number {
    return this.#register((t) => this.engine.registerStats(siteId, range, adsOnly, t, seed));
  }

  registerRelativeTime(atMs: number): number {
    return this.#register((t) => this.engine.registerRelativeTime(atMs, t));
  }

  #register(register: (nowMs: number) => number, callbacks?: () => RealtimeCallbacks | undefined): number {
    if (this.#disposed) throw disposedError('PulseDriver');
    const handle = register(this.#clock.now());
    this.#handles.add(handle);
    if (callbacks) this.#callbacks.set(handle, callbacks);
    this.#flush();
    return handle;
  }

  /**
   * After `dispose()`, `unregister`, `refetch`, `reconnect`, `setPolicy` and
   * `start` are no-ops: React runs a provider's cleanup (which disposes)
   * before its children's (which unregister), and a stale `refetch` closure
   * may fire after unmount. Handles are still checked: a bad one is a
   * programming error whatever the driver's state.
   */
  unregister(handle: number): void {
    handleArg('handle', handle);
    if (this.#disposed) return;
    this.#callbacks.delete(handle);
    this.#handles.delete(handle);
    this.#refetches.cancel(handle, 'the hook unmounted (or changed its range) before its refetch was answered');
    this.engine.unregister(handle, this.#clock.now());
    this.store.delete(handle);
    this.#flush();
  }

  /**
   * Refetches a stats registration now, throttle permitting (`cadence.refetchThrottleMs`:
   * within it the request goes out on the trailing edge). Resolves with the stats of the
   * first answer to a request sent after this call; rejects with kind `request_failed`
   * (the request failed or timed out), `cancelled` (unregistered or disposed first) or
   * `invalid_argument` (not a stats registration). Refetches before the answer share one
   * promise. While the tab is hidden or offline the request, and so the promise, waits.
   * Nobody has to handle the promise: an ignored rejection is not an unhandled one.
   */
  refetch(handle: number): Promise<CommandCenterP0Stats | null> {
    handleArg('handle', handle);
    if (this.#disposed) return quietRejection(pulseError('cancelled', 'the driver was disposed'));
    if (this.store.get(handle)?.type !== 'stats') return quietRejection(pulseError('invalid_argument', `handle ${handle} is not a stats registration`));
    this.crossTab?.freshNext(); // a refetch is not answered from what the leader kept
    const answer = this.#refetches.wait(handle, this.#lastRequestId);
    this.#input((t) => this.engine.refetch(handle, t));
    return answer;
  }

  reconnect(handle: number): void {
    handleArg('handle', handle);
    this.#input((t) => this.engine.reconnect(handle, t));
  }

  setPolicy(policy: MergePolicy): void {
    this.#input((t) => this.engine.setPolicy(policy, t));
  }

  /**
   * Stops everything: channels closed, timer cleared, listeners removed, wasm
   * memory freed. Idempotent, and safe from anywhere: from inside a callback,
   * a store listener, onError or an adapter's subscribe, the flush on the
   * stack stops at once and frees the engine as it unwinds.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const channels = [...this.#channels.values()];
    this.#channels.clear();
    for (const close of channels) this.#safely(close);
    if (this.crossTab) this.#safely(() => this.crossTab?.dispose());
    const detach = this.#detach;
    this.#detach = [];
    for (const d of detach) this.#safely(d);
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer !== undefined) this.#safely(() => this.#timers.clearTimeout(timer));
    this.#safely(() => this.#aborts.abortAll());
    this.#refetches.cancelAll('the driver was disposed');
    if (!this.#flushing) this.engine.free();
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Rows held for payloads (devtools; bounded by the engine's lookup limits). */
  heldRows(): number {
    return this.#held.size;
  }

  #input(apply: (nowMs: number) => void): void {
    if (this.#disposed) return;
    apply(this.#clock.now());
    this.#flush();
  }

  /** Runs `fn`; what it throws goes to onError instead of up into an adapter, a timer or a callback's caller. */
  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#report(err);
    }
  }

  #report(err: unknown): void {
    try {
      this.#onError(err);
    } catch {
      // An onError that throws has nowhere left to report to; the driver goes on.
    }
  }

  /**
   * Carries out every queued command, publishes changed snapshots, re-arms
   * the timer: one core call (`flushOutput`) when the callbacks it runs do
   * not reach the engine, one more per round in which they do.
   */
  #flush(): void {
    if (this.#disposed || this.#flushing) return;
    this.#flushing = true;
    try {
      // Callbacks and releases come as numbers; only requests and channel commands as objects.
      let out = this.engine.flushOutput();
      const records = [out];
      while (!this.#executeBatch(out, this.#changesEnd(out))) {
        if (this.#disposed) return;
        out = this.engine.flushOutput();
        records.push(out);
      }
      if (this.#disposed) return;
      for (const key of this.#fresh) if (!this.#retained.has(key)) this.#held.delete(key);
      this.#fresh = [];
      for (let k = 0; k < records.length; k++) this.#publish(records, k);
      if (!this.#disposed) this.#arm(word(out, HEADER.deadline));
    } finally {
      this.#flushing = false;
      // dispose() ran inside this flush and left the engine to us.
      if (this.#disposed) this.engine.free();
    }
  }

  /** Where a flush record's changed entries end (its command batch starts). */
  #changesEnd(out: readonly number[]): number {
    let i = HEADER.size;
    for (let n = word(out, HEADER.changed); n > 0 && i < out.length; n--) i += CHANGE.size + Math.max(0, word(out, i + CHANGE.numbers));
    return i;
  }

  /**
   * Publishes the snapshots the flush's record `k` says changed: the cost
   * follows the change, not the page's size. A realtime snapshot comes inline
   * as numbers; another is asked for. An entry a later record of the flush
   * also holds is left to it, so a handle is published once per flush.
   */
  #publish(records: readonly (readonly number[])[], k: number): void {
    const out = records[k];
    if (!out) return;
    const later = (handle: number) => records.some((r, j) => j > k && this.#changes(r, handle));
    const end = this.#changesEnd(out);
    for (let i = HEADER.size; i < end; ) {
      if (this.#disposed) return; // a store listener disposed the driver
      const handle = word(out, i + CHANGE.handle);
      const v = word(out, i + CHANGE.version);
      const numbers = Math.max(0, word(out, i + CHANGE.numbers));
      const start = i + CHANGE.size;
      i = start + numbers;
      if (!this.#handles.has(handle) || v === this.store.version(handle) || (records.length > k + 1 && later(handle))) continue;
      const snapshot = (numbers > 0 ? realtimeSnapshot(out, start, numbers) : undefined) ?? this.engine.snapshot(handle);
      this.store.set(handle, v, snapshot);
      this.#refetches.published(handle, snapshot);
    }
  }

  /** Whether a flush record's changed entries name `handle`. */
  #changes(out: readonly number[], handle: number): boolean {
    const end = this.#changesEnd(out);
    for (let i = HEADER.size; i < end; i += CHANGE.size + Math.max(0, word(out, i + CHANGE.numbers))) if (word(out, i + CHANGE.handle) === handle) return true;
    return false;
  }

  /**
   * One command batch (src/engine/command_batch.rs) starting at `from`, in
   * order; stops if a callback disposed the driver. `true` when nothing it ran
   * called the engine, so nothing more can be queued.
   */
  #executeBatch(batch: readonly number[], from: number): boolean {
    const others = word(batch, from) > 0 ? this.engine.takeBatchCommands() : [];
    const text = word(batch, from + 1) > 0 ? this.engine.takeBatchText() : '';
    const calls = this.engine.calls;
    let next = 0;
    let at = 0;
    const cut = (units: number): string => text.slice(at, (at += units));
    for (let i = from + 2; i < batch.length && !this.#disposed; ) {
      const record = BATCH_RECORDS[word(batch, i)];
      if (record === 'command') {
        const c = others[next++];
        if (c) this.#execute(c);
        i += 1;
      } else if (record === 'notify') {
        const kind = NOTIFICATION_KINDS[word(batch, i + NOTIFY.kind)];
        const seq = word(batch, i + NOTIFY.seq);
        const count = word(batch, i + NOTIFY.handleCount);
        if (kind) this.#notify(kind, seq < 0 ? null : seq, batch, i + NOTIFY.size, count);
        i += NOTIFY.size + count;
      } else if (record === 'release') {
        this.#release(word(batch, i + RELEASE.seq));
        i += RELEASE.size;
      } else if (record === 'lookup') {
        const site = cut(word(batch, i + LOOKUP.siteUnits));
        const session = cut(word(batch, i + LOOKUP.sessionUnits));
        const [siteParam, sessionParam] = SESSION_LOOKUP_PARAMS;
        const reason = REQUEST_REASONS[word(batch, i + LOOKUP.reason)] ?? 'session_lookup';
        this.#execute({
          type: 'rpc', requestId: word(batch, i + LOOKUP.requestId), kind: 'lookup', reason, siteId: site, name: SESSION_LOOKUP_RPC,
          params: { [siteParam]: site, [sessionParam]: session },
        });
        i += LOOKUP.size;
      } else {
        break; // not a record this driver knows: a core and a driver from different builds
      }
    }
    return this.engine.calls === calls;
  }

  /** Fires `kind` for the `count` handles at `handles[from…]` (a batch's numbers: no view made per notify). */
  #notify(kind: NotificationKind, seq: number | null, handles: ArrayLike<number>, from = 0, count = handles.length): void {
    const row = seq === null ? null : this.#row(seq);
    for (let i = from; i < from + count; i++) {
      if (this.#disposed) return; // an earlier callback disposed the driver
      try {
        this.#fire(kind, row, word(handles, i));
      } catch (err) {
        this.#report(err); // a callback that throws is a fault, not the end of the flush
      }
    }
  }

  #fire(kind: NotificationKind, row: Record<string, unknown> | null, handle: number): void {
    const callbacks = this.#callbacks.get(handle)?.();
    if (!callbacks) return;
    if (kind === 'data_freshness') {
      callbacks.onDataFreshness?.();
    } else {
      const fn = callbacks[CALLBACK_OF[kind]] as ((row: Record<string, unknown>) => void) | undefined;
      if (fn && row) fn(row);
    }
  }

  #release(seq: number): void {
    this.#retained.delete(seq);
    this.#held.delete(seq);
  }

  /** Arms the one timer at the engine's deadline (NaN: none). */
  #arm(at: number): void {
    const deadline = Number.isNaN(at) ? undefined : at;
    if (deadline === this.#armedAt) return;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = deadline;
    if (deadline === undefined) return;
    const delay = Math.max(0, deadline - this.#clock.now());
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#armedAt = undefined;
      this.#safely(() => this.#input((t) => this.engine.handleTimeout(t)));
    }, delay);
  }

  /**
   * Runs one adapter request off the current stack and delivers its answer
   * with the time it arrived. Nothing it runs can reject or throw past it;
   * once disposed, the adapter is not called and late answers are dropped.
   * Three microtask turns from the command to the answer for an adapter that
   * resolves at once (a chain of `then`s adopting the adapter's promise took
   * six, and two more promises per request: about one lookup per two events).
   */
  #request<T>(adapter: string, call: () => unknown, read: (value: unknown) => Read<T>, failed: (message: string) => T, deliver: (answer: T, nowMs: number) => void): void {
    const arrived = (result: Read<T>): void => {
      if (this.#disposed) return;
      this.#safely(() => this.#input((t) => deliver(result.answer, t)));
      if (result.fault) this.#report(result.fault);
    };
    queueMicrotask(() => {
      if (this.#disposed) return;
      const settled = settle(adapter, call, read, failed);
      if (settled instanceof Promise) settled.then(arrived, (err: unknown) => this.#disposed || this.#report(err));
      else arrived(settled);
    });
  }

  #execute(c: EngineCommand): void {
    switch (c.type) {
      case 'rpc': {
        const id = c.requestId;
        const site = c.siteId;
        this.#timeline.requestStarted(id, c.kind, site, c.name, c.reason, this.#clock.now());
        const options = this.#aborts.options(id);
        this.#lastRequestId = Math.max(this.#lastRequestId, id);
        this.#request('rpc', () => this.#rpc.rpc(c.name, c.params, options), readRpcAnswer, rpcFailed, (answer, t) => {
          this.#aborts.done(id);
          this.#timeline.requestEnded(id, 'data' in answer, t);
          if (c.kind === 'replay' && 'data' in answer) {
            // The rows first, through the pipeline like live changes; then the request is done.
            const payloads = replayPayloads(answer.data);
            for (const p of payloads) this.#payload(site, p);
            this.engine.handleRpcResponse(id, { data: payloads.length }, this.#clock.now());
            return;
          }
          this.engine.handleRpcResponse(id, answer, t);
        });
        return;
      }
      case 'fetch_overlay': {
        const id = c.requestId;
        this.#timeline.requestStarted(id, 'overlay', c.siteId, 'fetch_overlay', c.reason, this.#clock.now());
        const options = this.#aborts.options(id);
        this.#request('overlay', () => this.#overlay.fetchOverlay(c.siteId, options), readOverlayAnswer, overlayFailed, (answer, t) => {
          this.#aborts.done(id);
          this.#timeline.requestEnded(id, 'body' in answer, t);
          this.engine.handleOverlayResponse(id, answer, t);
        });
        return;
      }
      case 'abort':
        // A timeout ends the request's bar now, as the engine decided; a superseded one ends
        // when its adapter settles. An adapter's abort listener is user code: it must not break the flush.
        if (c.reason === 'timed_out') this.#timeline.requestEnded(c.requestId, false, this.#clock.now());
        this.#safely(() => this.#aborts.abort(c.requestId, c.reason));
        return;
      case 'subscribe':
        this.#subscribe(c.siteId, c.channel);
        return;
      case 'unsubscribe': {
        const close = this.#channels.get(c.siteId);
        this.#channels.delete(c.siteId);
        if (close) this.#safely(close);
        return;
      }
      case 'notify':
        this.#notify(c.kind, c.seq, c.handles);
        return;
      case 'release':
        this.#release(c.seq);
        return;
    }
  }

  /**
   * Opens a site's channel. A subscribe that throws is a fault and a channel
   * error (the engine reconnects with backoff); one that disposed the driver
   * from inside gets its channel closed at once rather than leaked.
   */
  #subscribe(site: string, channel: string): void {
    const previous = this.#channels.get(site);
    this.#channels.delete(site);
    if (previous) this.#safely(previous);
    const handlers = {
      onPayload: (payload: unknown) => this.#safely(() => this.#payload(site, payload)),
      onStatus: (status: unknown, message?: unknown) => this.#safely(() => this.#status(site, status, message)),
    };
    let close: unknown;
    try {
      close = this.#realtime.subscribe(site, channel, handlers as RealtimeHandlers);
    } catch (err) {
      const message = capMessage(`realtime adapter subscribe threw: ${readMessage(err) ?? 'an unreadable error'}`);
      this.#report(pulseError('invalid_argument', message));
      if (!this.#disposed) this.engine.handleChannelStatus(site, 'CHANNEL_ERROR', message, this.#clock.now());
      return;
    }
    if (typeof close !== 'function') {
      this.#report(pulseError('invalid_argument', 'realtime adapter subscribe returned no close function'));
      return;
    }
    if (this.#disposed) this.#safely(close as () => void);
    else this.#channels.set(site, close as () => void);
  }

  #status(site: string, status: unknown, message: unknown): void {
    const read = readStatus(status, message);
    this.#input((t) => {
      this.#timeline.channel(site, read.answer.status, t);
      this.engine.handleChannelStatus(site, read.answer.status, read.answer.message, t);
    });
    if (read.fault) this.#report(read.fault);
  }

  #payload(siteId: string, payload: unknown): void {
    if (this.#disposed) return;
    const seq = ++this.#seq;
    this.#held.set(seq, { payload });
    this.#fresh.push(seq);
    const now = this.#clock.now();
    // An object is read into the core's slots (no JSON text); anything else crosses as text.
    const packed = this.engine.handlePayloadObject(siteId, payload, seq, now);
    let retained: boolean;
    let queued: number;
    if (packed === undefined) {
      const read = readPayload(payload);
      if (read.fault) this.#report(read.fault);
      retained = this.engine.handlePayload(siteId, read.answer, seq, now);
      queued = this.engine.queuedCommands();
    } else {
      retained = (packed & 1) === 1;
      queued = packed >>> 1;
    }
    if (retained) this.#retained.add(seq);
    // Payloads arriving in one task share one flush (one drain, one publish),
    // unless enough are queued that waiting could overflow the engine's queue.
    if (queued >= FLUSH_NOW_AT) this.#flush();
    else this.#flushSoon();
  }

  #flushSoon(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#flush();
    });
  }

  /** The row of a held payload, parsing JSON text only when a callback needs it. */
  #row(seq: number): Record<string, unknown> | null {
    const held = this.#held.get(seq);
    if (!held) return null;
    if (held.row === undefined) {
      let payload = held.payload;
      if (typeof payload === 'string') {
        try {
          payload = JSON.parse(payload);
        } catch {
          payload = null;
        }
      }
      const row = payload !== null && typeof payload === 'object' ? (payload as { new?: unknown }).new : undefined;
      held.row = row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : null;
    }
    return held.row;
  }
}
