// The leader's one-request-for-all-tabs rule. Every tab keeps its own engine,
// and the engines see the same signals (the leader broadcasts every row and
// status), so they ask the same questions: the same stats key after the same
// call INSERT, the same overlay poll at the same cadence, the same session
// lookup. The leader answers them with one call:
//
// - an identical request (same key) while one is in flight joins it;
// - a follower's request is answered from the latest successful answer for
//   its key while nothing new happened on its site since that call started
//   (a row or a status bumps the site's generation), and the answer is
//   younger than the pace: 60 s when the leader's own engine asks for the
//   same key (its cadence is every tab's cadence, so the answer is as fresh
//   as the follower's own call would have been), else 2 s (near-simultaneous
//   asks only). Engine timers of different tabs run at different phases; this
//   is what turns three tabs' polls into one.
// - the leader's own requests and `fresh` ones (a follower's refetch) always
//   go to the network (or join one in flight), so the pace is real;
// - a catch-up replay is only ever joined in flight (its window is the tab's own).
//
// Lookups do not depend on the generation (a session's verdict does not
// change with new rows). Errors are never kept: only waiters in flight share one.
//
// Aborts: a call is aborted only when every ask waiting on it has given up.
// The leader's own asks carry their engine's signal; a follower's ask has
// none (the follower's engine cannot withdraw it), so a call it joined runs
// to its answer.
import type { RequestKind } from '../types.js';

export type Answer = { ok: true; value: unknown } | { ok: false; message: string; code?: string };

export const PACE_MS = 60_000;
export const NEAR_MS = 2_000;
const MAX_ENTRIES = 512;

interface Entry {
  site: string;
  generation: number;
  startedAt: number;
  promise: Promise<Answer>;
  answer?: Answer;
  /** Aborts the real call; undefined where the runtime has no AbortController. */
  controller?: AbortController;
  /** Asks still waiting on the call (one without a signal never stops). */
  holds: number;
}

export interface SharedAsk {
  key: string;
  kind: RequestKind;
  site: string;
  /** The leader's own engine asked (it paces the key). */
  own: boolean;
  /** Bypass kept answers (a refetch). */
  fresh: boolean;
  nowMs: number;
}

export interface SharedCounts {
  calls: number;
  joined: number;
  reused: number;
}

export class SharedRequests {
  readonly #entries = new Map<string, Entry>();
  readonly #generation = new Map<string, number>();
  readonly #pacedAt = new Map<string, number>();
  readonly counts: SharedCounts = { calls: 0, joined: 0, reused: 0 };

  /** Something happened on the site (a row, a status): answers started before it are not reused. */
  changed(site: string): void {
    this.#generation.set(site, (this.#generation.get(site) ?? 0) + 1);
  }

  run(ask: SharedAsk, call: (signal: AbortSignal | undefined) => Promise<Answer>, signal?: AbortSignal): Promise<Answer> {
    const generation = this.#generation.get(ask.site) ?? 0;
    if (ask.own) this.#pacedAt.set(ask.key, ask.nowMs);
    const entry = this.#entries.get(ask.key);
    if (entry && (ask.kind === 'lookup' || entry.generation === generation)) {
      if (entry.answer === undefined && !entry.controller?.signal.aborted) {
        this.counts.joined++;
        hold(entry, signal);
        return entry.promise;
      }
      if (entry.answer?.ok && !ask.own && !ask.fresh && ask.kind !== 'replay' && ask.nowMs - entry.startedAt < this.#pace(ask)) {
        this.counts.reused++;
        return Promise.resolve(entry.answer);
      }
      // An aborted call still unanswered: nobody waits on it any more; a new call replaces it.
    }
    this.counts.calls++;
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const fresh: Entry = { site: ask.site, generation, startedAt: ask.nowMs, promise: Promise.resolve() as unknown as Promise<Answer>, controller, holds: 0 };
    hold(fresh, signal);
    fresh.promise = call(controller?.signal).then((answer) => {
      fresh.answer = answer;
      return answer;
    });
    this.#entries.delete(ask.key); // re-inserted last: the map's order is age order for pruning
    this.#entries.set(ask.key, fresh);
    this.#prune(ask.nowMs);
    return fresh.promise;
  }

  #pace(ask: SharedAsk): number {
    const paced = this.#pacedAt.get(ask.key);
    return paced !== undefined && ask.nowMs - paced < PACE_MS ? PACE_MS : NEAR_MS;
  }

  /** Answers older than the pace are useless; the maps stay bounded whatever the traffic. */
  #prune(nowMs: number): void {
    for (const [key, e] of this.#entries) {
      if (this.#entries.size <= MAX_ENTRIES && nowMs - e.startedAt < PACE_MS) break;
      if (e.answer !== undefined || this.#entries.size > MAX_ENTRIES) this.#entries.delete(key);
    }
    for (const [key, at] of this.#pacedAt) {
      if (this.#pacedAt.size <= MAX_ENTRIES && nowMs - at < PACE_MS) break;
      this.#pacedAt.delete(key);
    }
  }
}

/** One more ask waits on `entry`'s call; when its signal aborts and it was the last, the call is aborted. */
function hold(entry: Entry, signal: AbortSignal | undefined): void {
  entry.holds++;
  if (!signal) return;
  const release = () => {
    entry.holds--;
    if (entry.holds === 0 && entry.answer === undefined) entry.controller?.abort(signal.reason);
  };
  if (signal.aborted) release();
  else signal.addEventListener('abort', release, { once: true });
}

/** Which engine request a call is (the adapters are not told; the names and params say it). */
export function requestKind(name: string, params: Record<string, unknown>): RequestKind {
  if (name === 'get_command_center_p0_stats_v2') return 'stats';
  if (name === 'get_session_details') return 'lookup';
  if (name.startsWith('get_recent_intents')) return params.p_limit === 1 ? 'probe' : 'replay';
  return 'stats';
}

/**
 * The key requests share. A probe asks "anything in the last 5 minutes?" with
 * bounds taken from now, so its time bounds are not part of the question.
 */
export function requestKey(kind: RequestKind, site: string, name: string, params: Record<string, unknown>): string {
  if (kind === 'overlay') return `overlay ${site}`;
  let p = params;
  if (kind === 'probe') {
    const { p_date_from: _from, p_date_to: _to, p_since: _since, ...rest } = params;
    p = rest;
  }
  return `${name} ${stableJson(p)}`;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}
