// The 3-tab side of bench:page: the same dashboard page (the real hooks under
// React 19 + jsdom) open in several tabs, each tab its own PulseProvider and
// PulseDriver, the tabs joined by the in-process Web Locks and
// BroadcastChannel of test-js/helpers/tab-fabric.mjs, all over one counting
// backend and one simulated clock. Optionally the leader tab is closed at an
// instant (its locks and channels go at once, as a crashed tab's do).
// Counts requests at the backend, connections opened and open at once, and
// each tab's onCallCreated rows (to find missed and duplicated callbacks).
import { installDom } from '../../test-js/helpers/dom.mjs';
import { tabFabric } from '../../test-js/helpers/tab-fabric.mjs';
import { pageBackend } from './backend.mjs';
import { simTime } from './sim-time.mjs';
import { runSimulated } from './run-loop.mjs';
import { SITE } from './traffic.mjs';

installDom();
const React = await import('react');
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node');
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, manualFlag } = await import('opsmantik-pulse/react');
const { act } = React;
const h = React.createElement;

/** Messages between tabs and lock grants are tasks: let enough of them run. */
async function settle(rounds = 12) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

function Dashboard({ created }) {
  useRealtimeDashboard(SITE, { onCallCreated: (row) => created.push(row.id) }, { adsOnly: false });
  useRealtimeDashboard(SITE, {}, { adsOnly: true });
  useCommandCenterP0Stats(SITE);
  return null;
}

/** The backend, answering the catch-up replay (recent intents, more than one row) from the calls it holds. */
function withReplay(backend, traffic, sim) {
  const rpc = backend.rpc.rpc;
  backend.rpc.rpc = (name, params) => {
    if (!name.startsWith('get_recent_intents') || params.p_limit === 1) return rpc(name, params);
    backend.requests.push({ at: sim.clock.now(), kind: 'replay', name });
    const from = Date.parse(params.p_date_from), to = Date.parse(params.p_date_to);
    const rows = traffic.happenings
      .filter((x) => x.table === 'calls' && x.eventType === 'INSERT' && x.at <= sim.clock.now())
      .map((x) => x.payload.new)
      .filter((r) => Date.parse(r.created_at) >= from && Date.parse(r.created_at) < to)
      .reverse();
    return Promise.resolve({ data: rows, error: null });
  };
}

/** `alone`: the baseline, one tab as today (`crossTab: false`). */
export async function runTabsPage({ traffic, start, end, drainMs, visible, latencyMs, subscribeMs, closeLeaderAt = null, alone = false }) {
  const sim = simTime(start);
  const backend = pageBackend({ sim, traffic, latencyMs, subscribeMs });
  withReplay(backend, traffic, sim);
  const fabric = tabFabric();
  const tabs = visible.map((v, i) => {
    const fabricTab = fabric.tab(`t${i}`);
    const driver = new PulseDriver({
      rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock: sim.clock, timers: sim.timers,
      visibility: manualFlag(v), online: manualFlag(true), seed: i + 1, replay: true, dataAsOfMs: start,
      crossTab: alone ? false : { environment: fabricTab.environment, tabId: `t${i}` },
    });
    return { driver, fabricTab, created: [], root: createRoot(document.createElement('div')), closed: false };
  });
  for (const t of tabs) {
    await act(async () => { t.root.render(h(PulseProvider, { driver: t.driver, init: async () => {} }, h(Dashboard, { created: t.created }))); await settle(); });
  }

  const inputs = traffic.happenings.map((x) => ({ at: x.at, apply: () => backend.deliver(x.payload) }));
  let closedAt = null;
  let reopenedAfterMs = null;
  let openedBeforeClose = 0;
  if (closeLeaderAt !== null) {
    inputs.push({
      at: closeLeaderAt,
      apply: () => {
        const leader = tabs.find((t) => t.driver.crossTab.role === 'leader');
        closedAt = sim.clock.now();
        openedBeforeClose = backend.channels.length;
        leader.closed = true;
        leader.fabricTab.close();
        leader.driver.dispose(); // its socket goes with the tab
      },
    });
  }
  inputs.sort((a, b) => a.at - b.at);

  let maxOpen = 0;
  await runSimulated({
    sim, inputs, until: end + drainMs, act, settle,
    afterStep: () => {
      maxOpen = Math.max(maxOpen, backend.channels.filter((c) => c.open).length);
      if (closedAt !== null && reopenedAfterMs === null && backend.channels.length > openedBeforeClose) reopenedAfterMs = sim.clock.now() - closedAt;
    },
  });

  const expected = traffic.happenings.filter((x) => x.table === 'calls' && x.eventType === 'INSERT' && x.at < end).map((x) => x.payload.new.id);
  const survivors = tabs.filter((t) => !t.closed);
  const missed = survivors.reduce((n, t) => n + expected.filter((id) => !t.created.includes(id)).length, 0);
  const duplicated = survivors.reduce((n, t) => n + (t.created.length - new Set(t.created).size), 0);
  const roles = tabs.map((t) => (t.closed ? 'closed' : t.driver.crossTab?.role ?? 'alone'));
  for (const t of tabs) {
    await act(async () => { t.root.unmount(); });
    t.driver.dispose();
  }
  return { requests: backend.requests, opened: backend.channels.length, maxOpen, roles, reopenedAfterMs, missed, duplicated, calls: expected.length };
}
