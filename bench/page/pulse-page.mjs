// The pulse side of the page benchmark: the page of section 6 mounted under
// React 19 in jsdom through the package's real hooks and provider: 4
// `useRealtimeDashboard` (2 all-traffic, 2 ads-only, as the dashboard mounts
// them) and 3 `useCommandCenterP0Stats` on one site, one PulseDriver over the
// counting fake backend. Simulated time jumps from one pending callback (the
// driver's one timer, a network answer) or traffic input to the next; every
// step runs inside `act` so React commits what the store published, and the
// stats each hook shows are recorded when they are committed.
import { installDom } from '../../test-js/helpers/dom.mjs';
import { pageBackend } from './backend.mjs';
import { simTime } from './sim-time.mjs';
import { runSimulated } from './run-loop.mjs';
import { SITE } from './traffic.mjs';

installDom();
const React = await import('react');
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node'); // instantiates the wasm for this process
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, manualFlag } = await import('opsmantik-pulse/react');
const { act, useLayoutEffect } = React;
const h = React.createElement;

export const REALTIME_HOOKS = [{ adsOnly: false }, { adsOnly: false }, { adsOnly: true }, { adsOnly: true }];
export const STATS_HOOKS = 3;

/** Lets the promise chains an input started (adapter calls, answers) run to the end. */
async function settle(rounds = 4) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

function RealtimeHook({ adsOnly, fired }) {
  // The dashboard's callbacks only count here; a new object every render, as a page writes them.
  const count = (name) => () => { fired[name] = (fired[name] ?? 0) + 1; };
  const state = useRealtimeDashboard(SITE, {
    onCallCreated: count('onCallCreated'), onCallUpdated: count('onCallUpdated'), onIntentCreated: count('onIntentCreated'),
    onIntentUpdated: count('onIntentUpdated'), onEventCreated: count('onEventCreated'), onDataFreshness: count('onDataFreshness'),
  }, { adsOnly });
  return h('span', null, `${state.connectionStatus} ${state.eventCount}`);
}

function StatsHook({ index, onShown }) {
  const result = useCommandCenterP0Stats(SITE);
  // A layout effect runs when React has committed: the instant the page shows these stats.
  useLayoutEffect(() => { if (result.stats) onShown(index, result.stats); }, [result.stats]);
  return h('span', { 'data-stats': index }, result.stats ? `${result.stats.total_leads} leads, ${result.stats.sealed} sealed` : 'loading');
}

/**
 * Runs one scenario: `traffic` delivered at its instants, the tab hidden over
 * `hidden` ([from, to) instants) if given, until `end`, then `drainMs` more
 * with no input so the last changes can show. Returns the backend's request
 * log, the instants of the page's wakeups (timer firings), every stats commit, and the engine's
 * counters and log for cross-checks and diagnosis.
 */
export async function runPulsePage({ traffic, start, end, drainMs, hidden = null, latencyMs, subscribeMs }) {
  const sim = simTime(start);
  const backend = pageBackend({ sim, traffic, latencyMs, subscribeMs });
  const visibility = manualFlag(true);
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock: sim.clock, timers: sim.timers, visibility, online: manualFlag(true), seed: 1 });
  const shown = [];
  const fired = {};
  const onShown = (index, stats) => shown.push({ index, at: sim.clock.now(), totalLeads: stats.total_leads, sealed: stats.sealed });

  const inputs = traffic.happenings.map((x) => ({ at: x.at, apply: () => backend.deliver(x.payload) }));
  if (hidden) inputs.push({ at: hidden[0], apply: () => visibility.set(false) }, { at: hidden[1], apply: () => visibility.set(true) });
  inputs.sort((a, b) => a.at - b.at);

  const container = document.createElement('div');
  const root = createRoot(container);
  const page = h(PulseProvider, { driver, init: async () => {} },
    REALTIME_HOOKS.map((o, i) => h(RealtimeHook, { key: `r${i}`, adsOnly: o.adsOnly, fired })),
    Array.from({ length: STATS_HOOKS }, (_, i) => h(StatsHook, { key: `s${i}`, index: i, onShown })));
  await act(async () => { root.render(page); await settle(); });

  const wakeups = [];
  await runSimulated({ sim, inputs, until: end + drainMs, act, settle, onWakeup: (at) => wakeups.push(at) });

  const text = [...container.querySelectorAll('[data-stats]')].map((el) => el.textContent);
  const counters = driver.engine.counters();
  const log = driver.engine.log();
  await act(async () => { root.unmount(); });
  driver.dispose();
  return { requests: backend.requests, wakeups, maxPageTimers: sim.maxPageTimers, shown, text, counters, log, fired };
}
