// Fake adapters, clock and timers for driving PulseDriver deterministically.
export const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';

export function fakeClock(start) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** Timers that only fire when the test says so. */
export function fakeTimers(clock) {
  const pending = new Map();
  let id = 0;
  return {
    pending,
    setTimeout(fn, ms) { pending.set(++id, { fn, at: clock.t + ms }); return id; },
    clearTimeout(i) { pending.delete(i); },
    /** Moves the clock to `t`, firing due timers in order. */
    advanceTo(t) {
      for (;;) {
        const due = [...pending.entries()].filter(([, v]) => v.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        clock.t = Math.max(clock.t, due[1].at);
        due[1].fn();
      }
      clock.t = t;
    },
    armed() { return pending.size; },
  };
}

export function fakeBackend({ sealed = 3 } = {}) {
  const calls = [];
  const channels = [];
  const backend = {
    calls,
    channels,
    sealed,
    overlayCaptured: 0,
    rpc: {
      async rpc(name, params) {
        calls.push({ name, params });
        if (name === 'get_command_center_p0_stats_v2') {
          return { data: { site_id: params.p_site_id, date_from: params.p_date_from, date_to: params.p_date_to, ads_only: params.p_ads_only, queue_pending: 1, sealed: backend.sealed, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: backend.sealed, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false }, error: null };
        }
        if (name === 'get_session_details') return { data: [{ id: params.p_session_id }], error: null };
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
