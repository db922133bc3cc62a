// Model (a): the original hooks, each with its own timers, as section 6 of
// the design describes them. Per realtime hook a 500 ms connectivity poll
// (a wakeup, no request) and a 2 s activity RPC until the hook has seen a
// signal (any delivered change); per stats hook a 10 s overlay poll and one
// stats fetch at mount (never refetched). A hidden tab changes nothing. The
// ads-only hooks' session lookups come from `upstream-lookups.mjs`.
import { runTimers } from './timer-model.mjs';
import { upstreamLookups } from './upstream-lookups.mjs';

export function originalModel({ happenings, start, end, realtimeHooks, statsHooks, latencyMs }) {
  const firstSignal = happenings.length > 0 ? happenings[0].at : Infinity;
  const timers = [];
  for (let h = 0; h < realtimeHooks.length; h++) {
    timers.push({ next: start, kind: null, fire(t) { this.next = t + 500; return 0; } });
    timers.push({ next: start, kind: 'probe', fire(t) { this.next = t + 2000 < firstSignal ? t + 2000 : null; return 1; } });
  }
  for (let h = 0; h < statsHooks; h++) {
    timers.push({ next: start, kind: 'overlay', fire(t) { this.next = t + 10_000; return 1; } });
  }
  const run = runTimers(timers, end);
  const mount = Array.from({ length: statsHooks }, () => ({ at: start, kind: 'stats' }));
  const adsHooks = realtimeHooks.filter((o) => o.adsOnly).length;
  const lookups = upstreamLookups(happenings, { hooks: adsHooks, latencyMs }).filter((t) => t < end).map((at) => ({ at, kind: 'lookup' }));
  return { wakeups: run.wakeups, requests: [...mount, ...run.requests, ...lookups] };
}
