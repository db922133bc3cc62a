// One AbortController per request in flight, so the adapters can stop work
// the engine gave up on: the engine's `abort` command (a timeout, or a
// registration, site or day that is gone) and dispose() abort it; an answer
// retires it. The controller is made when an adapter first reads `signal`
// (one made for every session lookup was 8% of the hooks' path, BENCHMARKS.md):
// read after the request was given up, the signal is already aborted, with the
// same reason. The signal's reason is a DOMException named like the platform's
// own: `TimeoutError` for a timeout (as AbortSignal.timeout), `AbortError`
// otherwise. An answer that still arrives is dropped and counted by the
// engine (`counters().dropped.responses`), as before.
import type { AbortReason } from './types.js';

function abortReason(name: 'TimeoutError' | 'AbortError', message: string): unknown {
  if (typeof DOMException === 'function') return new DOMException(message, name);
  return Object.assign(new Error(message), { name });
}

/** A request's signal: made on first read; `reason` once the request was given up. */
interface LazySignal {
  controller: AbortController | undefined;
  reason: unknown;
}

/** The `{signal}` an adapter gets with request `id`. */
export interface RequestSignal {
  readonly signal: AbortSignal | undefined;
}

export class RequestAborts {
  readonly #signals = new Map<number, LazySignal>();

  /** The `{signal}` for request `id` (`signal` undefined where the runtime has no AbortController). */
  options(id: number): RequestSignal {
    if (typeof AbortController !== 'function') return { signal: undefined };
    const lazy: LazySignal = { controller: undefined, reason: undefined };
    this.#signals.set(id, lazy);
    return {
      get signal(): AbortSignal {
        if (!lazy.controller) {
          lazy.controller = new AbortController();
          if (lazy.reason !== undefined) lazy.controller.abort(lazy.reason);
        }
        return lazy.controller.signal;
      },
    };
  }

  /** Request `id` was answered: nothing left to abort. */
  done(id: number): void {
    this.#signals.delete(id);
  }

  /** The engine gave up on request `id`. */
  abort(id: number, reason: AbortReason): void {
    const why = reason === 'timed_out'
      ? () => abortReason('TimeoutError', `opsmantik-pulse: request #${id} timed out (cadence.requestTimeoutMs)`)
      : () => abortReason('AbortError', `opsmantik-pulse: request #${id} is no longer needed (${reason})`);
    this.#giveUp(id, why);
  }

  /** The driver was disposed: every request in flight is abandoned. */
  abortAll(): void {
    const ids = [...this.#signals.keys()];
    for (const id of ids) this.#giveUp(id, () => abortReason('AbortError', 'opsmantik-pulse: the driver was disposed'));
  }

  #giveUp(id: number, why: () => unknown): void {
    const lazy = this.#signals.get(id);
    this.#signals.delete(id);
    if (!lazy) return;
    lazy.reason = why();
    lazy.controller?.abort(lazy.reason);
  }

  /** Requests whose signal can still abort (devtools, tests). */
  get size(): number {
    return this.#signals.size;
  }
}
