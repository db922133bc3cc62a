// The driver: owns one PulseEngine for a page (or provider), carries out its
// commands through the adapters, feeds results and payloads back with the
// time they happened, and arms exactly one timer at the engine's deadline.
import { PulseEngine, type StatsRange } from './engine.js';
import { PulseStore } from './store.js';
import { browserOnline, documentVisibility, systemClock, systemTimers, type Clock, type FlagSource, type Timers } from './sources.js';
import type { OverlayAdapter, RealtimeAdapter, RpcAdapter } from './adapters/types.js';
import type { EngineCommand, MergePolicy, NotificationKind } from './types.js';

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
  /** Called when a callback or an adapter throws (default: console.error). */
  onError?: (error: unknown) => void;
}

const CALLBACK_OF: Record<Exclude<NotificationKind, 'data_freshness'>, keyof RealtimeCallbacks> = {
  call_created: 'onCallCreated',
  call_updated: 'onCallUpdated',
  event_created: 'onEventCreated',
};

interface HeldPayload {
  payload: unknown;
  row?: Record<string, unknown> | null;
}

export class PulseDriver {
  readonly engine: PulseEngine;
  readonly store = new PulseStore();
  readonly #options: PulseDriverOptions;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #visibility: FlagSource;
  readonly #online: FlagSource;
  readonly #callbacks = new Map<number, () => RealtimeCallbacks | undefined>();
  readonly #handles = new Set<number>();
  readonly #channels = new Map<string, () => void>();
  readonly #held = new Map<string, HeldPayload>();
  readonly #retained = new Set<string>();
  #fresh: string[] = [];
  #seq = 0;
  #timer: unknown = undefined;
  #armedAt: number | undefined = undefined;
  #detach: Array<() => void> = [];
  #started = false;
  #disposed = false;
  #flushing = false;

  constructor(options: PulseDriverOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    this.#visibility = options.visibility ?? documentVisibility;
    this.#online = options.online ?? browserOnline;
    // A page seed keeps dedup hashes unguessable; Math.random is enough for that and for jitter.
    this.engine = new PulseEngine({ timeZone: options.timeZone, policy: options.policy, seed: options.seed ?? Math.floor(Math.random() * 2 ** 48) });
  }

  /** Starts listening to visibility and connectivity (call after mount). */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    const now = this.#clock.now();
    if (!this.#visibility.get()) this.engine.setVisible(false, now);
    if (!this.#online.get()) this.engine.setOnline(false, now);
    this.#detach.push(this.#visibility.subscribe(() => this.#input((t) => this.engine.setVisible(this.#visibility.get(), t))));
    this.#detach.push(this.#online.subscribe(() => this.#input((t) => this.engine.setOnline(this.#online.get(), t))));
    this.#flush();
  }

  get started(): boolean {
    return this.#started;
  }

  registerRealtime(siteId: string, adsOnly: boolean, callbacks?: () => RealtimeCallbacks | undefined): number {
    const handle = this.engine.registerRealtime(siteId, adsOnly, callbacks !== undefined, this.#clock.now());
    this.#handles.add(handle);
    if (callbacks) this.#callbacks.set(handle, callbacks);
    this.#flush();
    return handle;
  }

  registerStats(siteId: string, range: StatsRange, adsOnly: boolean, seed?: { data: unknown; fetchedAtMs: number }): number {
    const handle = this.engine.registerStats(siteId, range, adsOnly, this.#clock.now(), seed);
    this.#handles.add(handle);
    this.#flush();
    return handle;
  }

  registerRelativeTime(atMs: number): number {
    const handle = this.engine.registerRelativeTime(atMs, this.#clock.now());
    this.#handles.add(handle);
    this.#flush();
    return handle;
  }

  unregister(handle: number): void {
    if (this.#disposed) return;
    this.#callbacks.delete(handle);
    this.#handles.delete(handle);
    this.engine.unregister(handle, this.#clock.now());
    this.store.delete(handle);
    this.#flush();
  }

  refetch(handle: number): void {
    this.#input((t) => this.engine.refetch(handle, t));
  }

  reconnect(handle: number): void {
    this.#input((t) => this.engine.reconnect(handle, t));
  }

  setPolicy(policy: MergePolicy): void {
    this.#input((t) => this.engine.setPolicy(policy, t));
  }

  /** Stops everything: channels closed, timer cleared, listeners removed, wasm memory freed. */
  dispose(): void {
    if (this.#disposed) return;
    for (const close of this.#channels.values()) this.#safely(close);
    this.#channels.clear();
    for (const d of this.#detach) d();
    this.#detach = [];
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#disposed = true;
    this.engine.free();
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

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      (this.#options.onError ?? ((e: unknown) => console.error('[opsmantik-pulse]', e)))(err);
    }
  }

  /** Carries out every queued command, publishes changed snapshots, re-arms the timer. */
  #flush(): void {
    if (this.#disposed || this.#flushing) return;
    this.#flushing = true;
    try {
      for (let commands = this.engine.drainCommands(); commands.length > 0; commands = this.engine.drainCommands()) {
        for (const c of commands) this.#execute(c);
      }
      for (const key of this.#fresh) if (!this.#retained.has(key)) this.#held.delete(key);
      this.#fresh = [];
      this.#publish();
      this.#arm();
    } finally {
      this.#flushing = false;
    }
  }

  #publish(): void {
    for (const handle of this.#liveHandles()) {
      const v = this.engine.version(handle);
      if (v !== this.store.version(handle)) this.store.set(handle, v, this.engine.snapshot(handle));
    }
  }

  #liveHandles(): Iterable<number> {
    return this.#handles;
  }

  #arm(): void {
    const deadline = this.engine.pollTimeout();
    if (deadline === this.#armedAt) return;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = deadline;
    if (deadline === undefined) return;
    const delay = Math.max(0, deadline - this.#clock.now());
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#armedAt = undefined;
      this.#input((t) => this.engine.handleTimeout(t));
    }, delay);
  }

  #execute(c: EngineCommand): void {
    switch (c.type) {
      case 'rpc': {
        const id = c.request_id;
        Promise.resolve()
          .then(() => this.#options.rpc.rpc(c.name, c.params))
          .then(
            (res) => this.#input((t) => this.engine.handleRpcResponse(id, res.error ? { error: res.error } : { data: res.data }, t)),
            (err: unknown) => this.#input((t) => this.engine.handleRpcResponse(id, { error: { message: err instanceof Error ? err.message : String(err) } }, t)),
          );
        return;
      }
      case 'fetch_overlay': {
        const id = c.request_id;
        Promise.resolve()
          .then(() => this.#options.overlay.fetchOverlay(c.site_id))
          .then(
            (body) => this.#input((t) => this.engine.handleOverlayResponse(id, { body }, t)),
            (err: unknown) => this.#input((t) => this.engine.handleOverlayResponse(id, { error: err instanceof Error ? err.message : String(err) }, t)),
          );
        return;
      }
      case 'subscribe': {
        const site = c.site_id;
        this.#channels.get(site)?.();
        this.#safely(() => {
          const close = this.#options.realtime.subscribe(site, c.channel, {
            onPayload: (payload) => this.#payload(site, payload),
            onStatus: (status, message) => this.#input((t) => this.engine.handleChannelStatus(site, normalizeStatus(status), message, t)),
          });
          this.#channels.set(site, close);
        });
        return;
      }
      case 'unsubscribe': {
        const close = this.#channels.get(c.site_id);
        this.#channels.delete(c.site_id);
        if (close) this.#safely(close);
        return;
      }
      case 'notify': {
        const row = c.seq === null ? null : this.#row(`${c.site_id}:${c.seq}`);
        for (const handle of c.handles) {
          const callbacks = this.#callbacks.get(handle)?.();
          if (!callbacks) continue;
          if (c.kind === 'data_freshness') {
            if (callbacks.onDataFreshness) this.#safely(() => callbacks.onDataFreshness?.());
          } else {
            const fn = callbacks[CALLBACK_OF[c.kind]] as ((row: Record<string, unknown>) => void) | undefined;
            if (fn && row) this.#safely(() => fn(row));
          }
        }
        return;
      }
      case 'release': {
        const key = `${c.site_id}:${c.seq}`;
        this.#retained.delete(key);
        this.#held.delete(key);
        return;
      }
    }
  }

  #payload(siteId: string, payload: unknown): void {
    if (this.#disposed) return;
    const seq = ++this.#seq;
    const key = `${siteId}:${seq}`;
    let text: string;
    try {
      text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    } catch {
      text = '"unserializable"';
    }
    this.#held.set(key, { payload });
    this.#fresh.push(key);
    const retained = this.engine.handlePayload(siteId, text, seq, this.#clock.now());
    if (retained) this.#retained.add(key);
    this.#flush();
  }

  /** The row of a held payload, parsing JSON text only when a callback needs it. */
  #row(key: string): Record<string, unknown> | null {
    const held = this.#held.get(key);
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

/** supabase-js reports statuses as `SUBSCRIBED`, `CHANNEL_ERROR`, `TIMED_OUT`, `CLOSED`; anything else is an error. */
function normalizeStatus(status: string): string {
  return ['SUBSCRIBED', 'CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED', 'ERROR'].includes(status) ? status : 'ERROR';
}
