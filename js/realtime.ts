// The realtime pipeline for one site and mode, typed. `PulseRealtime` is the
// standalone reducer (the engine shares channels across hooks; this is the
// building block and what `npm run bench:events` measures).
import * as wasm from '../pkg/opsmantik_pulse.js';
import { toJsonText } from './json-text.js';
import type { AdsDecision, ConnectionStatus, DropReason, RealtimeOutput, RealtimeState } from './types.js';

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

/** One site's realtime reducer: feed inputs, drain outputs, wake at `nextDeadline()`. */
export class PulseRealtime {
  readonly #core: wasm.PulseRealtimeCore;

  constructor(siteId: string, options: PulseRealtimeOptions = {}) {
    this.#core = new wasm.PulseRealtimeCore(siteId, options.adsOnly ?? false, options.seed ?? 0, options.dedupCapacity, options.cacheCapacity);
  }

  /** One postgres_changes payload. Returns the drop reason, or null when accepted. */
  handlePayload(payload: unknown, nowMs: number): DropReason | null {
    let text: string;
    try {
      text = toJsonText(payload, 'payload');
    } catch {
      text = '"unserializable"'; // counted as malformed by the core
    }
    return (this.#core.handlePayloadJson(text, nowMs) || null) as DropReason | null;
  }

  /** Many payloads in one boundary crossing. Returns how many were accepted. */
  handlePayloads(payloads: readonly unknown[], nowMs: number): number {
    return this.#core.handlePayloadsJson(toJsonText(payloads, 'payloads'), nowMs);
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

  drainOutputs(): RealtimeOutput[] {
    return JSON.parse(this.#core.drainOutputsJson());
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
