// The realtime pipeline for one site and mode, typed. `PulseRealtime` is the
// standalone reducer (the engine shares channels across hooks; this is the
// building block and what `npm run bench:events` measures).
//
// Arguments are checked in TS first (args.ts) and payload text is measured
// before it is copied in (limits.ts); after `free()` every method throws kind 'disposed'.
import * as wasm from '../pkg/opsmantik_pulse.js';
import { arrayArg, boolArg, countArg, objectFields, optionalBoolArg, optionalCountArg, optionalStringArg, optionFields, shortName, stringArg } from './args.js';
import { disposedError } from './errors.js';
import { boundedJsonText, toJsonText } from './json-text.js';
import { capMessage, MAX_HELD_ROWS, MAX_JSON_BYTES, MAX_PAYLOAD_BYTES, overPayloadLimit } from './limits.js';
import type { AdsDecision, ConnectionStatus, CoreRealtimeOutput, DropReason, RealtimeOutput, RealtimeState } from './types.js';

type Row = Record<string, unknown>;
const BATCH_CHUNK = 1000;

/**
 * A chunk of payloads as one JSON array, or undefined when it cannot cross
 * whole. The bound is on UTF-16 length only (at most 3 MiB of UTF-8): a
 * typical chunk is a few hundred KB, where counting exact bytes would cost
 * more than the crossing saves.
 */
function batchText(chunk: readonly unknown[]): string | undefined {
  let text: string;
  try {
    text = toJsonText(chunk, 'payloads');
  } catch {
    return undefined;
  }
  return text.length > MAX_JSON_BYTES ? undefined : text;
}

function parseRow(text: string): Row | null {
  try {
    return rowOf(JSON.parse(text));
  } catch {
    return null;
  }
}
const rowOf = (payload: unknown): Row | null => {
  const row = payload !== null && typeof payload === 'object' ? (payload as { new?: unknown }).new : undefined;
  return row !== null && typeof row === 'object' ? (row as Row) : null;
};

/** The ads decision for a postgres_changes payload (its `new` row) or a row. */
export function classifyAds(payload: unknown): AdsDecision {
  return JSON.parse(wasm.classifyAdsJson(boundedJsonText(payload, 'payload', 'invalid_payload', MAX_PAYLOAD_BYTES)));
}

export interface PulseRealtimeOptions {
  adsOnly?: boolean;
  /** Seeds the reconnect jitter (deterministic tests); a non-negative whole number. */
  seed?: number;
  /** Dedup window, default 1000 keys. */
  dedupCapacity?: number;
  /** Session → ads LRU cache, default 500 sessions. */
  cacheCapacity?: number;
}

/** `received == accepted + sum(dropped) + pending`, at every moment. */
export interface RealtimeCounters {
  received: number;
  accepted: number;
  /** Waiting on a session lookup. */
  pending: number;
  dropped: Record<DropReason, number>;
  /** Notifications pushed out of the core's queue because outputs were not drained. */
  droppedNotifications: number;
  /** Rows this wrapper forgot for the same reason (their notifications were dropped). */
  droppedRows: number;
  sizes: {
    dedup: number; dedupCapacity: number; cache: number; cacheCapacity: number;
    pendingLookups: number; waitingRows: number; queuedNotifications: number;
  };
}

/**
 * One site's realtime reducer: feed inputs, drain outputs, wake at `nextDeadline()`.
 * Rows never travel back out of wasm: each payload gets a number (`seq`), the
 * core names it in notifications, and this class attaches the row it kept.
 */
export class PulseRealtime {
  #core: wasm.PulseRealtimeCore | undefined;
  #seq = 0;
  /** Rows of payloads processed since the last drain, or waiting on a lookup. */
  readonly #rows = new Map<number, Row | string | null>();
  /** Seqs waiting on a session lookup (kept across drains until released). */
  readonly #retained = new Set<number>();
  /** Seqs to forget at the next drain. */
  #fresh: number[] = [];
  /** Rows forgotten because outputs were not drained (see `#keep`). */
  #droppedRows = 0;

  constructor(siteId: string, options?: PulseRealtimeOptions | null) {
    const o = optionFields('PulseRealtime options', options, ['adsOnly', 'seed', 'dedupCapacity', 'cacheCapacity']);
    this.#core = new wasm.PulseRealtimeCore(
      shortName('siteId', siteId),
      optionalBoolArg('options.adsOnly', o.adsOnly, false),
      optionalCountArg('options.seed', o.seed) ?? 0,
      o.dedupCapacity,
      o.cacheCapacity,
    );
  }

  /** The wasm instance, or kind 'disposed' after `free()`. */
  get #live(): wasm.PulseRealtimeCore {
    if (!this.#core) throw disposedError('PulseRealtime');
    return this.#core;
  }

  /**
   * One postgres_changes payload: an object (supabase-js) or its JSON text (SSE, as received).
   * Returns the drop reason, or null when processed or waiting on a lookup.
   * Over the 64 KiB limit it is dropped `oversized` without crossing into wasm.
   */
  handlePayload(payload: unknown, nowMs: number): DropReason | null {
    const core = this.#live;
    let text: string;
    try {
      text = typeof payload === 'string' ? payload : toJsonText(payload, 'payload');
    } catch {
      text = '"unserializable"'; // counted as malformed by the core
    }
    // Over the limit it never crosses (wasm memory never shrinks); the core still counts it.
    if (overPayloadLimit(text)) {
      core.handleOversizedPayload();
      return 'oversized';
    }
    const seq = ++this.#seq;
    const outcome = core.handlePayloadJson(text, seq, nowMs);
    if (outcome === '' || outcome === 'retained') {
      this.#keep(seq, payload, outcome === 'retained');
      return null;
    }
    return outcome as DropReason;
  }

  /**
   * Many payloads, one boundary crossing and one parse per chunk of 1000
   * (a chunk's outputs stay under the core's queue bound; drain between calls).
   * Returns how many were not dropped.
   */
  handlePayloads(payloads: readonly unknown[], nowMs: number): number {
    const core = this.#live;
    const all = arrayArg('payloads', payloads);
    let kept = 0;
    for (let start = 0; start < all.length; start += BATCH_CHUNK) {
      const chunk = all.slice(start, start + BATCH_CHUNK);
      const first = this.#seq + 1;
      this.#seq += chunk.length;
      const text = batchText(chunk);
      if (text === undefined) {
        // An element JSON cannot hold (a cycle, say), or a chunk too large to copy in whole: one call per payload.
        this.#seq = first - 1;
        for (const p of chunk) if (this.handlePayload(p, nowMs) === null) kept++;
        continue;
      }
      const outcomes = core.handlePayloadsJson(text, first, nowMs);
      for (let i = 0; i < outcomes.length; i++) {
        if (outcomes[i] === 2) continue;
        this.#keep(first + i, chunk[i], outcomes[i] === 1);
        kept++;
      }
    }
    return kept;
  }

  #keep(seq: number, payload: unknown, retained: boolean): void {
    // JSON text is parsed only if a callback ends up needing its row.
    this.#rows.set(seq, typeof payload === 'string' ? payload : rowOf(payload));
    if (retained) this.#retained.add(seq);
    else this.#fresh.push(seq);
    // Nobody drains: the core keeps its newest MAX_HELD_ROWS outputs and drops
    // the oldest, so rows older than that can never be asked for. Forget them
    // in batches (amortised O(1)) and count them, so an undrained instance
    // holds a bounded number of rows.
    if (this.#fresh.length > 2 * MAX_HELD_ROWS) {
      const stale = this.#fresh.splice(0, this.#fresh.length - MAX_HELD_ROWS);
      for (const old of stale) this.#rows.delete(old);
      this.#droppedRows += stale.length;
    }
  }

  /** A `get_session_details` result: `isAds` = it returned rows; pass `error` when it failed. */
  handleLookupResult(requestId: number, result: { isAds: boolean } | { error: string }, nowMs: number): void {
    const core = this.#live;
    const id = countArg('requestId', requestId);
    const r = objectFields('result', result, ['isAds', 'error']);
    if (r.error !== undefined && r.error !== null) core.handleLookupResult(id, false, capMessage(stringArg('result.error', r.error)), nowMs);
    else core.handleLookupResult(id, boolArg('result.isAds', r.isAds), undefined, nowMs);
  }

  /** The message is cut to 512 bytes. */
  handleChannelStatus(status: Exclude<ConnectionStatus, 'INIT' | 'STARTING' | 'RECONNECTING'>, message: string | undefined | null, nowMs: number): void {
    const core = this.#live;
    const text = optionalStringArg('message', message);
    core.handleChannelStatus(shortName('status', status), text === undefined ? undefined : capMessage(text), nowMs);
  }

  handleSocketProbe(open: boolean, nowMs: number): void {
    this.#live.handleSocketProbe(boolArg('open', open), nowMs);
  }

  reconnect(nowMs: number): void {
    this.#live.reconnect(nowMs);
  }

  handleTimeout(nowMs: number): void {
    this.#live.handleTimeout(nowMs);
  }

  close(nowMs: number): void {
    this.#live.close(nowMs);
  }

  nextDeadline(): number | undefined {
    return this.#live.nextDeadline();
  }

  /** Every queued output, oldest first, with rows attached to notifications. */
  drainOutputs(): RealtimeOutput[] {
    const raw: CoreRealtimeOutput[] = JSON.parse(this.#live.drainOutputsJson());
    const out: RealtimeOutput[] = [];
    for (const o of raw) {
      if (o.type === 'release') {
        this.#rows.delete(o.seq);
        this.#retained.delete(o.seq);
      } else if (o.type === 'notify') {
        const held = o.seq === null ? null : this.#rows.get(o.seq) ?? null;
        const row = typeof held === 'string' ? parseRow(held) : held;
        out.push({ type: 'notify', kind: o.kind, table: o.table, row, rowId: o.rowId, atMs: o.atMs });
      } else {
        out.push(o);
      }
    }
    for (const seq of this.#fresh) this.#rows.delete(seq);
    this.#fresh = [];
    return out;
  }

  /** Rows held for payloads waiting on a lookup (bounded by the core's lookup limits). */
  heldRows(): number {
    return this.#rows.size;
  }

  state(): RealtimeState {
    return JSON.parse(this.#live.stateJson());
  }

  counters(): RealtimeCounters {
    return { ...JSON.parse(this.#live.countersJson()), droppedRows: this.#droppedRows };
  }

  /**
   * Frees the wasm memory now (otherwise a FinalizationRegistry does it
   * eventually). Idempotent; every other method afterwards throws kind 'disposed'.
   */
  free(): void {
    const core = this.#core;
    this.#core = undefined;
    core?.free();
  }
}
