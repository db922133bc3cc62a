// `refetch()` as a promise. A refetch is settled by the first answer (or
// failure, or timeout) of a request the engine sent after it: request ids
// only grow, so that is the first `settledRequestId` above the last id the
// driver had seen when refetch() was called (an answer already in flight
// then is older than the ask and does not count). The engine
// coalesces refetches (one in flight per key, throttled), so refetches
// asked before the answer share one promise. A waiter's hook unmounting, or
// the driver's dispose(), rejects it with kind `cancelled`. Every promise
// handed out has a handler attached, so an ignored `refetch()` (an onClick)
// never becomes an unhandled rejection; an awaited one still rejects.
import { pulseError } from './errors.js';
import type { CommandCenterP0Stats, RegistrationSnapshot } from './types.js';

interface Waiter {
  /** The last request id issued before the refetch. */
  afterId: number;
  promise: Promise<CommandCenterP0Stats | null>;
  resolve: (stats: CommandCenterP0Stats | null) => void;
  reject: (error: Error) => void;
}

/** A rejected promise nobody has to handle. */
export function quietRejection<T>(error: Error): Promise<T> {
  const p = Promise.reject(error);
  p.catch(() => {});
  return p;
}

export class RefetchWaiters {
  readonly #waiting = new Map<number, Waiter>();

  /** The promise of `handle`'s refetch asked after request `afterId`; one still unsettled is shared. */
  wait(handle: number, afterId: number): Promise<CommandCenterP0Stats | null> {
    const existing = this.#waiting.get(handle);
    if (existing) return existing.promise;
    let resolve!: Waiter['resolve'];
    let reject!: Waiter['reject'];
    const promise = new Promise<CommandCenterP0Stats | null>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    this.#waiting.set(handle, { afterId, promise, resolve, reject });
    return promise;
  }

  /** A snapshot of `handle` was published: settles its waiter when it carries the refetch's answer. */
  published(handle: number, snap: RegistrationSnapshot | null): void {
    const w = this.#waiting.get(handle);
    if (!w || snap?.type !== 'stats' || snap.settledRequestId === null || snap.settledRequestId <= w.afterId) return;
    this.#waiting.delete(handle);
    if (snap.error !== null) w.reject(pulseError('request_failed', snap.error));
    else w.resolve(snap.stats);
  }

  /** The handle left (or the driver went) before the answer. */
  cancel(handle: number, why: string): void {
    const w = this.#waiting.get(handle);
    this.#waiting.delete(handle);
    w?.reject(pulseError('cancelled', why));
  }

  cancelAll(why: string): void {
    for (const handle of [...this.#waiting.keys()]) this.cancel(handle, why);
  }
}
