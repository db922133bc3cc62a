// npm run bench:page — 10 simulated minutes of the dashboard page of section 6
// (4 realtime hooks + 3 stats hooks, one site) under three loads:
//   quiet   no activity
//   busy    an event every 5 s
//   hidden  quiet, tab hidden from minute 2.5 to 7.5
// for (a) the original per-hook timers, (b) the later upstream adaptive loop
// per hook, (c) PulseEngine: the real engine build, driven with a simulated
// clock and an instant fake backend. Prints requests and wakeups per minute,
// the ratios, and (pulse) how long stats took to refresh after activity.
// `--json`: the last line is one JSON object.
import { PulseEngine } from 'opsmantik-pulse/node';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const T0 = Date.UTC(2026, 1, 2, 9); // 12:00 Istanbul
const MIN = 60_000;
const DURATION = 10 * MIN;
const SCENARIOS = {
  quiet: { events: false, hidden: null },
  busy: { events: true, hidden: null },
  hidden: { events: false, hidden: [2.5 * MIN, 7.5 * MIN] },
};

/** Runs timers `{next, fire}` in time order; returns wakeups and requests. */
function runTimers(timers, until) {
  let wakeups = 0, requests = 0;
  for (;;) {
    let t = null;
    for (const timer of timers) if (timer.next !== null && (t === null || timer.next < t.next)) t = timer;
    if (t === null || t.next >= until) break;
    wakeups++;
    requests += t.fire(t.next);
  }
  return { wakeups, requests };
}

const eventTimes = (s) => (s.events ? Array.from({ length: DURATION / 5000 }, (_, i) => T0 + 2500 + i * 5000) : []);
const isHidden = (s, t) => s.hidden !== null && t >= T0 + s.hidden[0] && t < T0 + s.hidden[1];

// (a) The original: per realtime hook a 500 ms connectivity poll and a 2 s
// activity RPC until the site is live; per stats hook a 10 s overlay poll.
// Hidden tabs change nothing. A busy site is live after its first event.
function original(s) {
  const events = eventTimes(s);
  const liveAt = events.length ? events[0] : Infinity;
  const timers = [];
  for (let h = 0; h < 4; h++) {
    timers.push({ next: T0, fire(t) { this.next = t + 500; return 0; } });
    timers.push({ next: T0, fire(t) { this.next = t + 2000 < liveAt ? t + 2000 : null; return 1; } });
  }
  for (let h = 0; h < 3; h++) timers.push({ next: T0, fire(t) { this.next = t + 10_000; return 1; } });
  const r = runTimers(timers, T0 + DURATION);
  return { ...r, requests: r.requests + 3 /* initial stats fetches */ };
}

// (b) Later upstream: one adaptive loop per hook: 2 s for 5 ticks after start
// or a signal, then 10 s; 5 min while the tab is hidden. Stats hooks fetch
// once and never refresh.
function upstream(s) {
  const events = eventTimes(s);
  const timers = [];
  for (let h = 0; h < 4; h++) {
    timers.push({
      next: T0, fast: 5, seen: 0,
      fire(t) {
        while (this.seen < events.length && events[this.seen] <= t) { this.seen++; this.fast = 5; }
        const step = isHidden(s, t) ? 5 * MIN : this.fast > 0 ? (this.fast--, 2000) : 10_000;
        this.next = t + step;
        return 1;
      },
    });
  }
  const r = runTimers(timers, T0 + DURATION);
  return { ...r, requests: r.requests + 3 };
}

// (c) The real engine, driven like the TS driver drives it: drain commands,
// answer them at once, arm one timer at pollTimeout().
function pulse(s) {
  const engine = new PulseEngine({ seed: 1 });
  let now = T0, captured = 0, eventSeq = 0, wakeups = 0;
  const events = eventTimes(s);
  const stats = [];
  const statFetches = [];
  let requestsWhileHidden = 0;
  const answer = () => {
    for (const c of engine.drainCommands()) {
      if ((c.type === 'rpc' || c.type === 'fetch_overlay') && isHidden(s, now)) requestsWhileHidden++;
      if (c.type === 'rpc') {
        if (c.kind === 'stats') statFetches.push(now);
        const data = c.kind === 'stats'
          ? { site_id: SITE, date_from: c.params.p_date_from, date_to: c.params.p_date_to, ads_only: false, sealed: captured, queue_pending: 0, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: captured, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false }
          : c.kind === 'probe' ? (eventSeq > 0 ? [{ id: 'i' }] : []) : [];
        engine.handleRpcResponse(c.request_id, { data }, now);
      } else if (c.type === 'fetch_overlay') {
        engine.handleOverlayResponse(c.request_id, { body: JSON.stringify({ captured, gclid: 0, junk: 0 }) }, now);
      } else if (c.type === 'subscribe') {
        engine.handleChannelStatus(c.site_id, 'SUBSCRIBED', undefined, now);
      }
    }
  };
  for (let h = 0; h < 4; h++) engine.registerRealtime(SITE, false, true, now);
  for (let h = 0; h < 3; h++) stats.push(engine.registerStats(SITE, 'today', false, now));
  answer();
  const inputs = events.map((t) => ({ t, kind: 'event' }));
  if (s.hidden) inputs.push({ t: T0 + s.hidden[0], kind: 'hide' }, { t: T0 + s.hidden[1], kind: 'show' });
  inputs.sort((a, b) => a.t - b.t);
  let i = 0;
  for (;;) {
    const deadline = engine.pollTimeout();
    const nextInput = i < inputs.length ? inputs[i].t : Infinity;
    const t = Math.min(deadline ?? Infinity, nextInput);
    if (t >= T0 + DURATION) break;
    now = t;
    if (t === nextInput) {
      const input = inputs[i++];
      if (input.kind === 'event') {
        eventSeq++;
        captured++;
        const text = JSON.stringify({ schema: 'public', table: 'events', commit_timestamp: `2026-02-02T09:00:${eventSeq}Z`, eventType: 'INSERT', new: { id: `e${eventSeq}`, site_id: SITE }, old: {}, errors: null });
        engine.handlePayload(SITE, text, eventSeq, now);
      } else {
        engine.setVisible(input.kind === 'show', now);
      }
    } else {
      wakeups++;
      engine.handleTimeout(now);
    }
    answer();
  }
  const c = engine.counters();
  // Staleness: for each event, how long until a stats fetch started after it.
  let worstRefreshMs = 0;
  for (const t of events.filter((t) => t < T0 + DURATION - 10_000)) {
    const next = statFetches.find((f) => f >= t);
    worstRefreshMs = Math.max(worstRefreshMs, next === undefined ? Infinity : next - t);
  }
  engine.free();
  return { requests: c.requests.stats + c.requests.overlay + c.requests.probe + c.requests.lookup, wakeups, byKind: c.requests, timersArmed: c.timersArmed, worstRefreshMs, requestsWhileHidden };
}

const perMin = (n) => Math.round((n / (DURATION / MIN)) * 10) / 10;
const out = {};
for (const [name, s] of Object.entries(SCENARIOS)) {
  const a = original(s), b = upstream(s), c = pulse(s);
  out[name] = {
    original: { requestsPerMin: perMin(a.requests), wakeupsPerMin: perMin(a.wakeups) },
    upstream: { requestsPerMin: perMin(b.requests), wakeupsPerMin: perMin(b.wakeups) },
    pulse: { requestsPerMin: perMin(c.requests), wakeupsPerMin: perMin(c.wakeups), requestsByKind: c.byKind, worstStatsRefreshAfterEventMs: s.events ? c.worstRefreshMs : null, requestsWhileHidden: s.hidden ? c.requestsWhileHidden : null },
  };
}
const ratio = (x, y) => (y === 0 ? (x === 0 ? '1.0' : '∞') : (x / y).toFixed(1));
console.log(`10 simulated minutes, 4 realtime + 3 stats hooks on one site; pulse = the engine build itself (${process.version})`);
for (const [name, r] of Object.entries(out)) {
  console.log(`\n${name}:`);
  for (const v of ['original', 'upstream', 'pulse']) console.log(`  ${v.padEnd(9)} ${String(r[v].requestsPerMin).padStart(6)} requests/min  ${String(r[v].wakeupsPerMin).padStart(6)} wakeups/min`);
  console.log(`  original/pulse: ${ratio(r.original.requestsPerMin, r.pulse.requestsPerMin)}x requests, ${ratio(r.original.wakeupsPerMin, r.pulse.wakeupsPerMin)}x wakeups; upstream/pulse: ${ratio(r.upstream.requestsPerMin, r.pulse.requestsPerMin)}x requests`);
  if (r.pulse.worstStatsRefreshAfterEventMs !== null) console.log(`  pulse: stats refetch started at most ${r.pulse.worstStatsRefreshAfterEventMs} ms after an event`);
  if (r.pulse.requestsWhileHidden !== null) console.log(`  pulse: ${r.pulse.requestsWhileHidden} requests while hidden (${r.pulse.requestsByKind.stats} stats requests in all, catch-up included)`);
}
if (process.argv.includes('--json')) {
  const slim = Object.fromEntries(Object.entries(out).map(([k, r]) => [k, Object.fromEntries(['original', 'upstream', 'pulse'].map((v) => [v, { requestsPerMin: r[v].requestsPerMin, wakeupsPerMin: r[v].wakeupsPerMin }]))]));
  console.log(JSON.stringify(slim));
}
