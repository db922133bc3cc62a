// Simulated time for the page benchmark: one clock and one queue of pending
// callbacks that the run loop jumps through, earliest first, so ten minutes
// take a second. Two kinds of callback share the queue: the page's timers
// (what the driver arms; each firing is a wakeup the page pays for) and the
// network's (answers arriving after their latency, which cost the page
// nothing until they land). Keeping them apart is what lets the benchmark
// count wakeups without counting the network.

export function simTime(start) {
  let now = start;
  let order = 0;
  const pending = new Map();
  let maxPageTimers = 0;
  const add = (kind, ms, fn) => {
    const id = ++order;
    // Ties fire in the order they were set, as a browser's timers do.
    pending.set(id, { at: now + Math.max(0, ms), order: id, kind, fn });
    if (kind === 'page') maxPageTimers = Math.max(maxPageTimers, pageTimers());
    return id;
  };
  const pageTimers = () => [...pending.values()].filter((p) => p.kind === 'page').length;
  return {
    clock: { now: () => now },
    /** The `timers` source handed to the driver. */
    timers: {
      setTimeout: (fn, ms) => add('page', ms, fn),
      clearTimeout: (id) => { pending.delete(id); },
    },
    /** Runs `fn` after `ms` of simulated network latency. */
    afterLatency: (ms, fn) => add('net', ms, fn),
    /** When the earliest pending callback is due (Infinity when none). */
    nextAt() {
      let at = Infinity;
      for (const p of pending.values()) at = Math.min(at, p.at);
      return at;
    },
    /** Moves the clock to `t` (never backwards) without firing anything. */
    moveTo(t) { now = Math.max(now, t); },
    /** Fires the earliest pending callback; returns its kind. */
    fireNext() {
      let first = null;
      for (const p of pending.values()) if (!first || p.at < first.at || (p.at === first.at && p.order < first.order)) first = p;
      if (!first) return null;
      pending.delete(first.order);
      now = Math.max(now, first.at);
      first.fn();
      return first.kind;
    },
    /** The most page timers ever armed at once (the driver promises one). */
    get maxPageTimers() { return maxPageTimers; },
  };
}
