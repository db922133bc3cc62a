// Model (b): the later upstream hooks, one adaptive loop per realtime hook:
// a tick 2 s apart for 5 ticks after start or a signal, then 10 s apart,
// 5 min apart while the tab is hidden. A tick sends the activity RPC only
// while the hook is not live (no signal in the last 5 minutes): on a busy
// site the loop keeps waking but sends nothing, which is what the issue
// measured on the real upstream code (12.8 requests/min on the busy page,
// 11.9 of them session lookups; the previous model sent on every tick and
// said 120.3). Stats hooks fetch once at mount and never refresh. The
// ads-only hooks' session lookups come from `upstream-lookups.mjs`.
import { runTimers } from './timer-model.mjs';
import { upstreamLookups } from './upstream-lookups.mjs';

const LIVE_WINDOW_MS = 5 * 60_000;
const FAST_TICKS = 5;

export function adaptiveModel({ happenings, start, end, hidden, realtimeHooks, statsHooks, latencyMs }) {
  const signals = happenings.map((x) => x.at);
  const isHidden = (t) => hidden !== null && t >= hidden[0] && t < hidden[1];
  const timers = realtimeHooks.map(() => ({
    next: start, kind: 'probe', fast: FAST_TICKS, seen: 0, lastSignal: -Infinity,
    fire(t) {
      while (this.seen < signals.length && signals[this.seen] <= t) {
        this.lastSignal = signals[this.seen++];
        this.fast = FAST_TICKS;
      }
      const step = isHidden(t) ? 5 * 60_000 : this.fast > 0 ? (this.fast--, 2000) : 10_000;
      this.next = t + step;
      return t - this.lastSignal < LIVE_WINDOW_MS ? 0 : 1;
    },
  }));
  const run = runTimers(timers, end);
  const mount = Array.from({ length: statsHooks }, () => ({ at: start, kind: 'stats' }));
  const adsHooks = realtimeHooks.filter((o) => o.adsOnly).length;
  const lookups = upstreamLookups(happenings, { hooks: adsHooks, latencyMs }).filter((t) => t < end).map((at) => ({ at, kind: 'lookup' }));
  return { wakeups: run.wakeups, requests: [...mount, ...run.requests, ...lookups] };
}
