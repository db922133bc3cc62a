// What the driver did, for devtools: every request from start to reply with
// why it went out, channel status changes, and visibility/online changes.
// A bounded ring (the newest TIMELINE_CAPACITY entries), so a page open for a
// week keeps a fixed amount; times are the driver's clock, epoch ms.
import { DEFAULT_CADENCE } from './cadence.js';
import type { RequestKind, RequestReason } from './types.js';

/** Entries kept. */
export const TIMELINE_CAPACITY = 500;
export type RequestOutcome = 'ok' | 'error' | 'timeout';

export type TimelineEntry =
  | {
      type: 'request';
      id: number;
      kind: RequestKind | 'overlay';
      siteId: string;
      name: string;
      reason: RequestReason;
      startMs: number;
      endMs: number | null;
      outcome: RequestOutcome | null;
    }
  | { type: 'channel'; siteId: string; status: string; atMs: number }
  | { type: 'page'; visible: boolean; online: boolean; atMs: number };

export class Timeline {
  #entries: TimelineEntry[] = [];
  #open = new Map<number, Extract<TimelineEntry, { type: 'request' }>>();
  /** A request unanswered this long was failed by the engine (its `cadence.requestTimeoutMs`). */
  readonly #timedOutAfterMs: number;

  constructor(timedOutAfterMs: number = DEFAULT_CADENCE.requestTimeoutMs) {
    this.#timedOutAfterMs = timedOutAfterMs;
  }

  #push(entry: TimelineEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > 2 * TIMELINE_CAPACITY) {
      for (const old of this.#entries.splice(0, this.#entries.length - TIMELINE_CAPACITY)) {
        if (old.type === 'request') this.#open.delete(old.id);
      }
    }
  }

  requestStarted(id: number, kind: RequestKind | 'overlay', siteId: string, name: string, reason: RequestReason, atMs: number): void {
    const entry = { type: 'request' as const, id, kind, siteId, name, reason, startMs: atMs, endMs: null, outcome: null };
    this.#open.set(id, entry);
    this.#push(entry);
  }

  requestEnded(id: number, ok: boolean, atMs: number): void {
    const entry = this.#open.get(id);
    if (!entry) return;
    this.#open.delete(id);
    entry.endMs = atMs;
    entry.outcome = atMs - entry.startMs >= this.#timedOutAfterMs ? 'timeout' : ok ? 'ok' : 'error';
  }

  channel(siteId: string, status: string, atMs: number): void {
    this.#push({ type: 'channel', siteId, status, atMs });
  }

  page(visible: boolean, online: boolean, atMs: number): void {
    this.#push({ type: 'page', visible, online, atMs });
  }

  /** A copy, oldest first; a request still open past the engine's timeout shows as `timeout`. */
  entries(nowMs: number): TimelineEntry[] {
    return this.#entries.slice(-TIMELINE_CAPACITY).map((e) =>
      e.type === 'request' && e.endMs === null && nowMs - e.startMs >= this.#timedOutAfterMs ? { ...e, outcome: 'timeout' as const } : { ...e },
    );
  }

  clear(): void {
    this.#entries = [];
    this.#open.clear();
  }
}
