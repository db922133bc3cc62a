// The realtime pipeline for one site and mode, typed. `PulseRealtime` is the
// standalone reducer (the engine shares channels across hooks; this is the
// building block and what `npm run bench:events` measures).
import * as wasm from '../pkg/opsmantik_pulse.js';
import { toJsonText } from './json-text.js';
import type { AdsDecision, ConnectionStatus, CoreRealtimeOutput, DropReason, RealtimeOutput, RealtimeState } from './types.js';

type Row = Record<string, unknown>;
const BATCH_CHUNK = 1000;

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
  return JSON.parse(wasm.classifyAdsJson(toJsonText(payload, 'payload')));
}

export interface PulseRealtimeOptions {
  adsOnly?: boolean;
  /** Seeds the reconnect jitter (deterministic tests). */
  seed?: number;
  /** Dedup window, default 1000 keys. */
  dedupCapacity?: number;
  /** Session → ads LRU cache, default 500 sessions. */
  cacheCapacity?: number;
}

export interface RealtimeCounters {
  accepted: number;
  dropped: Record<DropReason, number>;
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
  readonly #core: wasm.PulseRealtimeCore;
  #seq = 0;
  /** Rows of payloads processed since the last drain, or waiting on a lookup. */
  readonly #rows = new Map<number, Row | string | null>();
  /** Seqs waiting on a session lookup (kept across drains until released). */
  readonly #retained = new Set<number>();
  /** Seqs to forget at the next drain. */
  #fresh: number[] = [];

  constructor(siteId: string, options: PulseRealtimeOptions = {}) {
    this.#core = new wasm.PulseRealtimeCore(siteId, options.adsOnly ?? false, options.seed ?? 0, options.dedupCapacity, options.cacheCapacity);
  }

  /**
   * One postgres_changes payload: an object (supabase-js) or its JSON text (SSE, as received).
   * Returns the drop reason, or null when processed or waiting on a lookup.
   */
  handlePayload(payload: unknown, nowMs: number): DropReason | null {
    let text: string;
    try {
      text = typeof payload === 'string' ? payload : toJsonText(payload, 'payload');
    } catch {
      text = '"unserializable"'; // counted as malformed by the core
    }
    const seq = ++this.#seq;
    const outcome = this.#core.handlePayloadJson(text, seq, nowMs);
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
    let kept = 0;
    for (let start = 0; start < payloads.length; start += BATCH_CHUNK) {
      const chunk = payloads.slice(start, start + BATCH_CHUNK);
      const first = this.#seq + 1;
      this.#seq += chunk.length;
      let outcomes: Uint8Array;
      try {
        outcomes = this.#core.handlePayloadsJson(toJsonText(chunk, 'payloads'), first, nowMs);
      } catch {
        // An element JSON cannot hold (a cycle, say): fall back to one call per payload.
        this.#seq = first - 1;
        for (const p of chunk) if (this.handlePayload(p, nowMs) === null) kept++;
        continue;
      }
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
  }

  /** A `get_session_details` result: `isAds` = it returned rows; pass `error` when it failed. */
  handleLookupResult(requestId: number, result: { isAds: boolean } | { error: string }, nowMs: number): void {
    const error = 'error' in result ? String(result.error) : undefined;
    this.#core.handleLookupResult(requestId, 'isAds' in result ? result.isAds : false, error, nowMs);
  }

  handleChannelStatus(status: Exclude<ConnectionStatus, 'INIT' | 'STARTING' | 'RECONNECTING'>, message: string | undefined, nowMs: number): void {
    this.#core.handleChannelStatus(status, message, nowMs);
  }

  handleSocketProbe(open: boolean, nowMs: number): void {
    this.#core.handleSocketProbe(open, nowMs);
  }

  reconnect(nowMs: number): void {
    this.#core.reconnect(nowMs);
  }

  handleTimeout(nowMs: number): void {
    this.#core.handleTimeout(nowMs);
  }

  close(nowMs: number): void {
    this.#core.close(nowMs);
  }

  nextDeadline(): number | undefined {
    return this.#core.nextDeadline();
  }

  /** Every queued output, oldest first, with rows attached to notifications. */
  drainOutputs(): RealtimeOutput[] {
    const raw: CoreRealtimeOutput[] = JSON.parse(this.#core.drainOutputsJson());
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
    return JSON.parse(this.#core.stateJson());
  }

  counters(): RealtimeCounters {
    return JSON.parse(this.#core.countersJson());
  }

  /** Frees the wasm memory now (otherwise a FinalizationRegistry does it eventually). */
  free(): void {
    this.#core.free();
  }
}
