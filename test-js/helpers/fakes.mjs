// Fake adapters, clock and timers for driving PulseDriver deterministically.
export const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
export const STATS = 'get_command_center_p0_stats_v2';

export function fakeClock(start) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/**
 * Timers that only fire when the test says so. Like real timers they count
 * elapsed time, not wall-clock time: moving `clock.t` by hand (a clock jump)
 * does not make them fire early or late.
 */
export function fakeTimers(clock) {
  const pending = new Map();
  let id = 0;
  let mono = 0;
  const timers = {
    pending,
    setTimeout(fn, ms) { pending.set(++id, { fn, due: mono + Math.max(0, ms) }); return id; },
    clearTimeout(i) { pending.delete(i); },
    /** Lets `ms` pass: the clock moves with it and due timers fire in order. */
    advanceBy(ms) {
      const target = mono + ms;
      for (;;) {
        const next = [...pending.entries()].filter(([, v]) => v.due <= target).sort((a, b) => a[1].due - b[1].due)[0];
        if (!next) break;
        pending.delete(next[0]);
        clock.t += next[1].due - mono;
        mono = next[1].due;
        next[1].fn();
      }
      clock.t += target - mono;
      mono = target;
    },
    /** Lets time pass until the wall clock reads `t`. */
    advanceTo(t) { timers.advanceBy(Math.max(0, t - clock.t)); },
    armed() { return pending.size; },
  };
  return timers;
}

export function fakeBackend({ sealed = 3 } = {}) {
  const calls = [];
  const channels = [];
  const backend = {
    calls,
    channels,
    sealed,
    overlayCaptured: 0,
    /** Answers `get_session_details`; tests replace it (rows = ads, `[]` = not ads or not this site's). */
    sessionDetails: (params) => ({ data: [{ id: params.p_session_id }], error: null }),
    rpc: {
      async rpc(name, params) {
        calls.push({ name, params });
        if (name === 'get_command_center_p0_stats_v2') {
          return { data: { site_id: params.p_site_id, date_from: params.p_date_from, date_to: params.p_date_to, ads_only: params.p_ads_only, queue_pending: 1, sealed: backend.sealed, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: backend.sealed, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false }, error: null };
        }
        if (name === 'get_session_details') return backend.sessionDetails(params);
        return { data: [], error: null };
      },
    },
    overlay: {
      async fetchOverlay(siteId) {
        calls.push({ name: 'overlay', siteId });
        return JSON.stringify({ captured: backend.overlayCaptured, gclid: 0, junk: 0 });
      },
    },
    realtime: {
      subscribe(siteId, channel, handlers) {
        const entry = { siteId, channel, handlers, closed: false };
        channels.push(entry);
        queueMicrotask(() => handlers.onStatus('SUBSCRIBED'));
        return () => { entry.closed = true; };
      },
    },
    count(name) { return calls.filter((c) => c.name === name).length; },
  };
  return backend;
}

/** Lets promise chains (adapter answers) settle. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/**
 * The fake backend, with stats requests held until the test answers them;
 * every request's signal is kept.
 */
export function heldBackend() {
  const backend = fakeBackend();
  const answer = backend.rpc.rpc;
  const held = [];
  backend.hold = true;
  backend.held = held;
  backend.signals = [];
  backend.rpc = {
    rpc(name, params, options) {
      backend.signals.push({ name, params, signal: options?.signal });
      if (name !== STATS || !backend.hold) return answer(name, params);
      backend.calls.push({ name, params });
      return new Promise((resolve) => held.push({ params, signal: options?.signal, resolve }));
    },
  };
  /** Answers the oldest held stats request with `sealed` (or `error`). */
  backend.release = (sealed, error) => {
    const r = held.shift();
    if (!r) throw new Error('no held stats request to answer');
    r.resolve(error ? { data: null, error: { message: error } } : { data: { sealed, date_from: r.params.p_date_from, date_to: r.params.p_date_to, site_id: r.params.p_site_id }, error: null });
  };
  return backend;
}
