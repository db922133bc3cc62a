// One AbortController per request in flight, so the adapters can stop work
// the engine gave up on: the engine's `abort` command (a timeout, or a
// registration, site or day that is gone) and dispose() abort it; an answer
// retires it. The signal's reason is a DOMException named like the platform's
// own: `TimeoutError` for a timeout (as AbortSignal.timeout), `AbortError`
// otherwise. An answer that still arrives is dropped and counted by the
// engine (`counters().dropped.responses`), as before.
import type { AbortReason } from './types.js';

function abortReason(name: 'TimeoutError' | 'AbortError', message: string): unknown {
  if (typeof DOMException === 'function') return new DOMException(message, name);
  return Object.assign(new Error(message), { name });
}

export class RequestAborts {
  readonly #controllers = new Map<number, AbortController>();

  /** The signal for request `id` (undefined where the runtime has no AbortController). */
  signal(id: number): AbortSignal | undefined {
    if (typeof AbortController !== 'function') return undefined;
    const controller = new AbortController();
    this.#controllers.set(id, controller);
    return controller.signal;
  }

  /** Request `id` was answered: nothing left to abort. */
  done(id: number): void {
    this.#controllers.delete(id);
  }

  /** The engine gave up on request `id`. */
  abort(id: number, reason: AbortReason): void {
    const controller = this.#controllers.get(id);
    this.#controllers.delete(id);
    if (!controller) return;
    const why = reason === 'timed_out'
      ? abortReason('TimeoutError', `opsmantik-pulse: request #${id} timed out (cadence.requestTimeoutMs)`)
      : abortReason('AbortError', `opsmantik-pulse: request #${id} is no longer needed (${reason})`);
    controller.abort(why);
  }

  /** The driver was disposed: every request in flight is abandoned. */
  abortAll(): void {
    const ids = [...this.#controllers.keys()];
    for (const id of ids) {
      const controller = this.#controllers.get(id);
      this.#controllers.delete(id);
      controller?.abort(abortReason('AbortError', 'opsmantik-pulse: the driver was disposed'));
    }
  }

  /** Requests with a live controller (devtools, tests). */
  get size(): number {
    return this.#controllers.size;
  }
}
