// The hooks under React 19 in jsdom, with the adapters faked and the clock and
// timers under the test's control.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node'); // instantiates the wasm for this process
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, useRelativeTime, manualFlag } = await import('opsmantik-pulse/react');
const h = React.createElement;

const T0 = Date.UTC(2026, 1, 2, 9); // 12:00 Istanbul

function setup() {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = fakeBackend();
  const visibility = manualFlag(true);
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility, online: manualFlag(true), seed: 1 });
  return { clock, timers, backend, visibility, driver };
}

test('4 realtime + 3 stats hooks: one channel, the engine request pattern, callbacks, refetch, unmount', async () => {
  const { timers, backend, driver, clock } = setup();
  const seen = { calls: [], fresh: 0, versions: [] };
  let results = [];
  let statsResult;
  function Realtime({ i, tag }) {
    // New callback objects every render: they must be used without resubscribing.
    const state = useRealtimeDashboard(SITE, { onCallCreated: (row) => seen.calls.push(`${tag}:${i}:${row.id}`), onDataFreshness: () => seen.fresh++ });
    results[i] = state;
    return h('span', null, state.connectionStatus);
  }
  function Stats({ i }) {
    const s = useCommandCenterP0Stats(SITE);
    if (i === 0) statsResult = s;
    return h('span', null, s.stats ? String(s.stats.sealed) : 'loading');
  }
  const page = (tag) => h(PulseProvider, { driver, init: async () => {} },
    [0, 1, 2, 3].map((i) => h(Realtime, { key: `r${i}`, i, tag })),
    [0, 1, 2].map((i) => h(Stats, { key: `s${i}`, i })));
  const root = createRoot(document.getElementById('root'));
  await act(async () => { root.render(page('a')); });
  await act(async () => { await settle(); });

  assert.equal(backend.channels.length, 1, 'one subscription for 4 hooks');
  assert.equal(backend.channels[0].channel, `dashboard_updates:${SITE}`);
  assert.equal(backend.count('get_command_center_p0_stats_v2'), 1, 'one stats request for 3 hooks');
  assert.equal(backend.count('overlay'), 1);
  assert.ok(backend.count('get_recent_intents_v2') <= 1);
  assert.equal(results[0].connectionStatus, 'SUBSCRIBED');
  assert.equal(results[3].isConnected, true);
  assert.equal(statsResult.stats.sealed, 3);
  assert.equal(statsResult.loading, false);
  assert.equal(statsResult.dayKey, '2026-02-02');
  assert.equal(timers.armed(), 1, 'exactly one timer armed');

  // Re-render with new callbacks: no resubscription, the new callbacks are called.
  await act(async () => { root.render(page('b')); });
  await act(async () => {
    backend.channels[0].handlers.onPayload({ schema: 'public', table: 'calls', commit_timestamp: 't1', eventType: 'INSERT', new: { id: 'c1', site_id: SITE }, old: {}, errors: null });
    await settle();
  });
  assert.equal(backend.channels.length, 1);
  assert.deepEqual(seen.calls.sort(), ['b:0:c1', 'b:1:c1', 'b:2:c1', 'b:3:c1']);
  // 4 when the channel first reported SUBSCRIBED (the load gap's catch-up); a call fires its
  // own callback only, as the original did.
  assert.equal(seen.fresh, 4);
  assert.equal(results[1].eventCount, 1);
  assert.equal(results[1].isLive, true);

  // refetch() goes out (the freshness refetch may already have: compare with a count).
  const before = backend.count('get_command_center_p0_stats_v2');
  clock.t += 10_000;
  await act(async () => { statsResult.refetch(); await settle(); });
  assert.equal(backend.count('get_command_center_p0_stats_v2'), before + 1);

  // The overlay poll runs from the one timer, every 10 s.
  const polls = backend.count('overlay');
  await act(async () => { timers.advanceTo(clock.t + 10_000); await settle(); });
  assert.equal(backend.count('overlay'), polls + 1);
  assert.equal(timers.armed(), 1);

  await act(async () => { root.unmount(); });
  assert.equal(backend.channels[0].closed, true, 'unmounting every hook closes the channel');
  assert.equal(timers.armed(), 0, 'and disarms the timer');
});

test('hidden tab: no requests; visible again: one catch-up', async () => {
  const { timers, backend, driver, clock, visibility } = setup();
  function Stats() {
    const s = useCommandCenterP0Stats(SITE);
    return h('span', null, s.stats ? String(s.stats.sealed) : '-');
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, h(Stats))); await settle(); });
  const base = backend.calls.length;
  await act(async () => { visibility.set(false); });
  await act(async () => { timers.advanceTo(clock.t + 5 * 60_000); await settle(); });
  assert.equal(backend.calls.length, base, 'nothing while hidden');
  await act(async () => { visibility.set(true); await settle(); });
  assert.deepEqual(backend.calls.slice(base).map((c) => c.name), ['overlay', 'get_command_center_p0_stats_v2']);
  await act(async () => { root.unmount(); });
});

test('useRelativeTime ticks from the shared clock', async () => {
  const { timers, driver, clock } = setup();
  let label;
  function Label() {
    label = useRelativeTime(T0 - 5_000);
    return h('span', null, label);
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, h(Label))); await settle(); });
  assert.equal(label, 'Just now');
  await act(async () => { timers.advanceTo(clock.t + 20_000); await settle(); });
  assert.equal(label, '25s ago');
  await act(async () => { timers.advanceTo(clock.t + 3 * 60_000); await settle(); });
  assert.equal(label, '3m ago');
  await act(async () => { root.unmount(); });
});

test('a bad site id is an error in the hook, not a crash', async () => {
  const { driver } = setup();
  let state;
  function Bad() {
    state = useRealtimeDashboard('x&y=1');
    return null;
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, h(Bad))); await settle(); });
  assert.match(state.error, /siteId 'x&y=1'/);
  await act(async () => { root.unmount(); });
});

test('an RPC adapter resolving undefined: the stats hook shows an error, not loading until the timeout; bad hook arguments are errors too', async () => {
  let unhandled = 0;
  const onUnhandled = () => unhandled++;
  process.on('unhandledRejection', onUnhandled);
  const clock = fakeClock(T0);
  const errors = [];
  const backend = fakeBackend();
  const driver = new PulseDriver({
    ...backend, rpc: { rpc: async () => undefined }, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1,
    onError: (e) => errors.push(e),
  });
  let stats, badStats, badRealtime;
  function Page() {
    stats = useCommandCenterP0Stats(SITE, { from: '2026-02-01T21:00:00.000Z', to: '2026-02-02T21:00:00.000Z' });
    badStats = useCommandCenterP0Stats(SITE, null, { adsOnly: 'true' });
    badRealtime = useRealtimeDashboard(Symbol('site'));
    return null;
  }
  const root = createRoot(document.createElement('div'));
  await act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, h(Page))); await settle(10); });
  assert.equal(stats.loading, false);
  assert.match(stats.error, /rpc adapter resolved undefined/);
  assert.equal(errors.length, 1, 'onError once');
  assert.match(badStats.error, /adsOnly must be a boolean/);
  assert.equal(badStats.loading, false);
  assert.match(badRealtime.error, /siteId/);
  await act(async () => { root.unmount(); });
  await settle();
  process.off('unhandledRejection', onUnhandled);
  assert.equal(unhandled, 0);
});

test('the provider keeps its context value across renders: consumers do not re-render for nothing', async () => {
  const { driver } = setup();
  const { usePulseContext } = await import('opsmantik-pulse/react');
  let renders = 0;
  const Consumer = React.memo(function Consumer() {
    usePulseContext();
    renders++;
    return null;
  });
  const root = createRoot(document.createElement('div'));
  const consumer = h(Consumer);
  const page = (n) => h(PulseProvider, { driver, init: async () => {} }, consumer, h('i', null, String(n)));
  await act(async () => { root.render(page(0)); await settle(); });
  const settled = renders;
  for (let i = 1; i <= 3; i++) await act(async () => { root.render(page(i)); });
  assert.equal(renders, settled, 'the provider re-rendered three times; its consumer did not');
  await act(async () => { root.unmount(); });
  driver.dispose();
});
