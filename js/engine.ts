// `PulseEngine`: the sans-IO scheduler, typed. It never reads a clock: every
// method takes `nowMs`. A driver (see driver.ts) runs it against real IO;
// tests and the page benchmark run it against a simulated clock.
import * as wasm from '../pkg/opsmantik_pulse.js';
import type { EngineCommand, EngineCounters, EngineLogEntry, MergePolicy, RegistrationSnapshot } from './types.js';

export interface PulseEngineOptions {
  /** The zone of "today" (default Europe/Istanbul). */
  timeZone?: string;
  policy?: MergePolicy;
  /** Seeds backoff jitter and dedup hashing; pass a random value per page in production. */
  seed?: number;
}

/** A stats range: today (rolls over at the zone's midnight) or `[fromMs, toMs)`. */
export type StatsRange = 'today' | { fromMs: number; toMs: number };

export class PulseEngine {
  readonly #core: wasm.PulseEngineCore;

  constructor(options: PulseEngineOptions = {}) {
    this.#core = new wasm.PulseEngineCore(options.timeZone, options.policy, options.seed);
  }

  registerRealtime(siteId: string, adsOnly: boolean, callbacks: boolean, nowMs: number): number {
    return this.#core.registerRealtime(siteId, adsOnly, callbacks, nowMs);
  }

  /** `seed`: a snapshot the server rendered (raw RPC data) and when it was fetched; shown at once, not refetched while fresh. */
  registerStats(siteId: string, range: StatsRange, adsOnly: boolean, nowMs: number, seed?: { data: unknown; fetchedAtMs: number }): number {
    const fixed = range === 'today' ? undefined : range;
    const seedJson = seed === undefined ? undefined : JSON.stringify(seed.data ?? null);
    return this.#core.registerStats(siteId, fixed?.fromMs, fixed?.toMs, adsOnly, nowMs, seedJson, seed?.fetchedAtMs);
  }

  registerRelativeTime(atMs: number, nowMs: number): number {
    return this.#core.registerRelativeTime(atMs, nowMs);
  }

  unregister(handle: number, nowMs: number): void {
    this.#core.unregister(handle, nowMs);
  }

  handleTimeout(nowMs: number): void {
    this.#core.handleTimeout(nowMs);
  }

  /** An RPC answer: `{data}` or `{error: {message, code?}}` (supabase-js's shape). */
  handleRpcResponse(requestId: number, result: { data: unknown } | { error: { message: string; code?: string } }, nowMs: number): void {
    if ('error' in result && result.error) {
      this.#core.handleRpcResponse(requestId, undefined, result.error.code, String(result.error.message), nowMs);
    } else {
      let text: string;
      try {
        text = JSON.stringify((result as { data: unknown }).data ?? null);
      } catch (err) {
        this.#core.handleRpcResponse(requestId, undefined, undefined, `unreadable response: ${String(err)}`, nowMs);
        return;
      }
      this.#core.handleRpcResponse(requestId, text, undefined, undefined, nowMs);
    }
  }

  /** An overlay answer: the body as text (parsed by the core), or a transport error. */
  handleOverlayResponse(requestId: number, result: { body: string } | { error: string }, nowMs: number): void {
    if ('error' in result) this.#core.handleOverlayResponse(requestId, undefined, result.error, nowMs);
    else this.#core.handleOverlayResponse(requestId, result.body, undefined, nowMs);
  }

  /** A payload as JSON text, numbered by the driver. `true` when its row must be kept until a `release`. */
  handlePayload(siteId: string, text: string, seq: number, nowMs: number): boolean {
    return this.#core.handlePayload(siteId, text, seq, nowMs);
  }

  handleChannelStatus(siteId: string, status: string, message: string | undefined, nowMs: number): void {
    this.#core.handleChannelStatus(siteId, status, message, nowMs);
  }

  handleSocketProbe(open: boolean, nowMs: number): void {
    this.#core.handleSocketProbe(open, nowMs);
  }

  setVisible(visible: boolean, nowMs: number): void {
    this.#core.setVisible(visible, nowMs);
  }

  setOnline(online: boolean, nowMs: number): void {
    this.#core.setOnline(online, nowMs);
  }

  refetch(handle: number, nowMs: number): void {
    this.#core.refetch(handle, nowMs);
  }

  reconnect(handle: number, nowMs: number): void {
    this.#core.reconnect(handle, nowMs);
  }

  setPolicy(policy: MergePolicy, nowMs: number): void {
    this.#core.setPolicy(policy, nowMs);
  }

  drainCommands(): EngineCommand[] {
    return JSON.parse(this.#core.drainCommandsJson());
  }

  /** The one deadline to arm, or undefined. */
  pollTimeout(): number | undefined {
    return this.#core.pollTimeout();
  }

  version(handle: number): number {
    return this.#core.version(handle);
  }

  snapshot(handle: number): RegistrationSnapshot | null {
    return JSON.parse(this.#core.snapshotJson(handle));
  }

  counters(): EngineCounters {
    return JSON.parse(this.#core.countersJson());
  }

  log(): EngineLogEntry[] {
    return JSON.parse(this.#core.logJson());
  }

  debug(): Record<string, unknown> {
    return JSON.parse(this.#core.debugJson());
  }

  /** Handles whose snapshot changed since the last call (publish only these). */
  takeChangedHandles(): Uint32Array {
    return this.#core.takeChangedHandles();
  }

  /** Commands waiting for `drainCommands()`; 0 means a drain would return `[]`. */
  queuedCommands(): number {
    return this.#core.queuedCommands();
  }

  /** A payload the edge refused before crossing (over the size limit): counted as `oversized`. */
  handleOversizedPayload(siteId: string, nowMs: number): void {
    this.#core.handleOversizedPayload(siteId, nowMs);
  }

  free(): void {
    this.#core.free();
  }
}
