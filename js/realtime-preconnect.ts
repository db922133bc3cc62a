// A site's realtime channel opened before the wasm is there. On a slow link the
// page's engine comes up when the last byte of the wasm arrives; the channel's
// own round trip (subscribe → SUBSCRIBED) then came after it. The provider
// opens the channel of every site a realtime hook asks for at hydration,
// through the app's own adapter, and keeps what arrives (statuses and
// payloads, in order, bounded); when the engine subscribes to that channel it
// adopts the open one and gets what was kept first, in order, then the live
// feed. Nothing arriving in between is lost: the engine counts every payload
// it is handed, and what this buffer could not keep is counted here by reason
// (`counters()`) and the channel is closed, so the engine opens a fresh one and
// catches up on the gap as after any reconnect.
//
// Bounded: at most PRECONNECT_MAX_SITES channels, PRECONNECT_MAX_EVENTS kept
// per channel, and a channel nobody adopted within PRECONNECT_UNUSED_MS (the
// engine never came, or another tab leads and this one never subscribes) is
// closed, and so is one the engine did not adopt within PRECONNECT_ADOPT_GRACE_MS
// of starting.
import { methodsArg, shortName, stringArg } from './args.js';
import { HANDLER_METHODS, type RealtimeAdapter, type RealtimeHandlers } from './adapters/types.js';
import { REALTIME_CHANNEL_PREFIX } from './generated/core-facts.js';
import { canonicalSiteId } from './site-id.js';

export const PRECONNECT_MAX_SITES = 16;
export const PRECONNECT_MAX_EVENTS = 2_000;
export const PRECONNECT_UNUSED_MS = 30_000;
/** After the engine started: time for it to subscribe (a leader tab) before the rest close (a follower tab never subscribes). */
export const PRECONNECT_ADOPT_GRACE_MS = 3_000;

/**
 * The channel the engine subscribes a site to (`channel_name` in the core), with the site id
 * spelled as the engine spells it (a UUID in lower case), so a hook given `3F2B…` opens the
 * channel the engine then adopts.
 */
export function realtimeChannelName(siteId: string): string {
  return REALTIME_CHANNEL_PREFIX + canonicalSiteId(shortName('siteId', stringArg('siteId', siteId)));
}

type Kept = { status: string; message?: string } | { payload: unknown };

interface Preconnection {
  close: () => void;
  kept: Kept[];
  /** The engine's subscribe took it (what was kept is handed over on the next microtask). */
  adopted: boolean;
  /** Set once what was kept was handed over: where events go from then on. */
  handlers: RealtimeHandlers | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What happened to early channels, by reason (devtools: `__PULSE__.preconnect()`). */
export interface PreconnectCounters {
  opened: number;
  adopted: number;
  /** Closed unadopted after PRECONNECT_UNUSED_MS or when the provider went away. */
  closedUnused: number;
  /** Not opened: PRECONNECT_MAX_SITES channels were already open. */
  refusedTooMany: number;
  /** Not opened: the adapter's subscribe threw or returned no close function. */
  failedToOpen: number;
  /** Channels closed because their buffer filled up before the engine came. */
  overflowed: number;
  /** Payloads those channels had kept, which the engine never saw (it catches up on the gap instead). */
  droppedPayloads: number;
}

/**
 * The app's realtime adapter with early channels: `open(siteId)` before the
 * engine exists; the driver then uses this object as its adapter, and its
 * `subscribe` adopts an open channel of the same name.
 */
export class RealtimePreconnect implements RealtimeAdapter {
  readonly #inner: RealtimeAdapter;
  readonly #open = new Map<string, Preconnection>();
  readonly #counters: PreconnectCounters = { opened: 0, adopted: 0, closedUnused: 0, refusedTooMany: 0, failedToOpen: 0, overflowed: 0, droppedPayloads: 0 };
  #disposed = false;

  constructor(inner: RealtimeAdapter) {
    this.#inner = methodsArg<RealtimeAdapter>('realtime', inner, ['subscribe']);
  }

  /** Opens the site's channel now unless it is open; the engine's later subscribe adopts it. */
  open(siteId: string): void {
    if (this.#disposed) return;
    const channel = realtimeChannelName(siteId);
    if (this.#open.has(channel)) return;
    if (this.#open.size >= PRECONNECT_MAX_SITES) {
      this.#counters.refusedTooMany++;
      return;
    }
    const entry: Preconnection = { close: () => {}, kept: [], adopted: false, handlers: null, timer: undefined };
    const keep = (event: Kept, isPayload: boolean) => {
      if (this.#open.get(channel) !== entry) return; // closed: an adapter that still calls is not heard
      if (entry.handlers) return isPayload ? entry.handlers.onPayload((event as { payload: unknown }).payload) : entry.handlers.onStatus((event as { status: string }).status, (event as { message?: string }).message);
      entry.kept.push(event);
      if (!entry.adopted && entry.kept.length >= PRECONNECT_MAX_EVENTS) this.#overflow(channel, entry);
    };
    let close: unknown;
    try {
      // As the engine will ask for it: the site id in its spelling, the channel of that name.
      close = this.#inner.subscribe(canonicalSiteId(siteId), channel, {
        onPayload: (payload) => keep({ payload }, true),
        onStatus: (status, message) => keep(message === undefined ? { status } : { status, message }, false),
      });
    } catch {
      close = undefined;
    }
    if (typeof close !== 'function') {
      // The engine's own subscribe will meet the same adapter and report why.
      this.#counters.failedToOpen++;
      return;
    }
    entry.close = close as () => void;
    entry.timer = setTimeout(() => {
      if (this.#open.get(channel) === entry && !entry.adopted) this.#closeUnused(channel, entry);
    }, PRECONNECT_UNUSED_MS);
    this.#open.set(channel, entry);
    this.#counters.opened++;
  }

  /** The adapter method: adopts the open channel of this name, else opens one as the app's adapter does. */
  subscribe(siteId: string, channel: string, handlers: RealtimeHandlers): () => void {
    stringArg('siteId', siteId);
    stringArg('channel', channel);
    methodsArg('handlers', handlers, HANDLER_METHODS);
    const entry = this.#open.get(channel);
    if (!entry || entry.adopted) return this.#inner.subscribe(siteId, channel, handlers);
    entry.adopted = true;
    clearTimeout(entry.timer);
    this.#counters.adopted++;
    let closed = false;
    // Handed over after subscribe returned, as a real channel answers: the
    // driver is not re-entered while it is still opening the channel.
    queueMicrotask(() => {
      if (closed) return;
      for (const event of entry.kept.splice(0)) {
        if (closed) return;
        if ('payload' in event) handlers.onPayload(event.payload);
        else handlers.onStatus(event.status, event.message);
      }
      if (!closed) entry.handlers = handlers;
    });
    return () => {
      if (closed) return;
      closed = true;
      if (this.#open.get(channel) === entry) this.#open.delete(channel);
      entry.handlers = null;
      entry.kept.length = 0;
      entry.close();
    };
  }

  counters(): PreconnectCounters {
    return { ...this.#counters };
  }

  /**
   * The engine runs: channels it has not adopted within PRECONNECT_ADOPT_GRACE_MS are not
   * its (another tab leads, or no hook registered after all) and close.
   */
  engineStarted(): void {
    for (const [channel, entry] of this.#open) {
      if (entry.adopted) continue;
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        if (this.#open.get(channel) === entry && !entry.adopted) this.#closeUnused(channel, entry);
      }, PRECONNECT_ADOPT_GRACE_MS);
    }
  }

  /** Closes every channel nobody adopted (the provider went away); adopted ones belong to the engine. */
  dispose(): void {
    this.#disposed = true;
    for (const [channel, entry] of [...this.#open]) if (!entry.adopted) this.#closeUnused(channel, entry);
  }

  #closeUnused(channel: string, entry: Preconnection): void {
    this.#counters.closedUnused++;
    this.#drop(channel, entry);
  }

  #overflow(channel: string, entry: Preconnection): void {
    this.#counters.overflowed++;
    this.#counters.droppedPayloads += entry.kept.filter((e) => 'payload' in e).length;
    this.#drop(channel, entry);
  }

  #drop(channel: string, entry: Preconnection): void {
    clearTimeout(entry.timer);
    this.#open.delete(channel);
    entry.kept.length = 0;
    try {
      entry.close();
    } catch {
      // a close that throws has nothing left to close
    }
  }
}
