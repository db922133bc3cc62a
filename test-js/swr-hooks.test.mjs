// What users of SWR / TanStack Query expect, through the real hooks (React 19
// in jsdom, the built package): idle hooks, isFetching and dataUpdatedAt, the
// previous data kept while a new range loads, refetch() as a promise, an
// AbortSignal for abandoned requests, and provider-level cadences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import { SITE, STATS, fakeBackend, fakeClock, fakeTimers, heldBackend, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node'); // instantiates the wasm for this process
const pulse = await import('opsmantik-pulse/react');
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, usePulseStatus, manualFlag, DEFAULT_CADENCE, supabaseRpcAdapter, fetchOverlayAdapter } = pulse;
const h = React.createElement;

const T0 = Date.UTC(2026, 1, 2, 9); // 12:00 Istanbul
const OTHER_SITE = 'site-b';
const DAY_A = { from: '2026-01-30T21:00:00.000Z', to: '2026-01-31T21:00:00.000Z' };
const DAY_B = { from: '2026-01-31T21:00:00.000Z', to: '2026-02-01T21:00:00.000Z' };

function setup(options = {}) {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = heldBackend();
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1, ...options });
  return { clock, timers, backend, driver };
}

/** Renders `element` under a provider for `driver`; `latest.stats` / `latest.realtime` are the hooks' latest results. */
async function mount(driver, element) {
  const root = createRoot(document.getElementById('root'));
  const render = async (el) => act(async () => { root.render(h(PulseProvider, { driver, init: async () => {} }, el)); });
  await render(element);
  await act(async () => { await settle(); });
  return { render, unmount: () => act(async () => root.unmount()) };
}

const latest = {};
function Stats({ siteId, range, options }) {
  latest.stats = useCommandCenterP0Stats(siteId, range, options);
  return null;
}
function Realtime({ siteId, options }) {
  latest.realtime = useRealtimeDashboard(siteId, {}, options);
  return null;
}

test('enabled: false and a null site id keep the hooks idle (no registration, no request, no error); enabling starts them', async () => {
  const { backend, driver } = setup();
  backend.hold = false;
  const page = (siteId, enabled) => [h(Stats, { key: 's', siteId, options: { enabled } }), h(Realtime, { key: 'r', siteId, options: { enabled } })];
  const { render, unmount } = await mount(driver, page(null, undefined));
  for (const [siteId, enabled] of [[null, undefined], [undefined, true], [SITE, false]]) {
    await render(page(siteId, enabled));
    await act(async () => { await settle(); });
    assert.deepEqual(backend.calls, [], `no request (${siteId}, ${enabled})`);
    assert.equal(backend.channels.length, 0, 'no channel');
    assert.equal(driver.engine.debug().registrations.length, 0, 'no registration');
    const s = latest.stats;
    assert.deepEqual([s.loading, s.error, s.stats, s.isFetching, s.dataUpdatedAt], [false, null, null, false, null]);
    assert.deepEqual([latest.realtime.connectionStatus, latest.realtime.error], ['INIT', null]);
  }
  await render(page(SITE, true));
  await act(async () => { await settle(); });
  assert.equal(backend.count(STATS), 1);
  assert.equal(latest.stats.stats.sealed, 3);
  assert.equal(latest.realtime.connectionStatus, 'SUBSCRIBED');
  // Back to disabled: the registrations leave, the channel closes.
  await render(page(SITE, false));
  await act(async () => { await settle(); });
  assert.equal(driver.engine.debug().registrations.length, 0);
  assert.equal(backend.channels[0].closed, true);
  // A non-boolean `enabled` is a named error, not a silent default.
  await render(page(SITE, 'yes'));
  await act(async () => { await settle(); });
  assert.match(latest.stats.error, /options\.enabled must be a boolean/);
  await unmount();
  driver.dispose();
});

test('isFetching is a request in flight (first load and background refetch), loading only the first; dataUpdatedAt is the answer\'s engine time', async () => {
  const { backend, driver, clock } = setup();
  const { unmount } = await mount(driver, h(Stats, { siteId: SITE, range: DAY_A }));
  let s = latest.stats;
  assert.deepEqual([s.loading, s.isFetching, s.dataUpdatedAt], [true, true, null]);
  clock.t = T0 + 400;
  await act(async () => { backend.release(5); await settle(); });
  s = latest.stats;
  assert.deepEqual([s.loading, s.isFetching, s.dataUpdatedAt, s.stats.sealed], [false, false, T0 + 400, 5]);
  clock.t = T0 + 10_000;
  await act(async () => { s.refetch(); await settle(); });
  s = latest.stats;
  assert.deepEqual([s.loading, s.isFetching, s.dataUpdatedAt, s.stats.sealed], [false, true, T0 + 400, 5], 'a background refetch: data stays, fetching');
  clock.t = T0 + 10_250;
  await act(async () => { backend.release(6); await settle(); });
  s = latest.stats;
  assert.deepEqual([s.loading, s.isFetching, s.dataUpdatedAt, s.stats.sealed], [false, false, T0 + 10_250, 6]);
  await unmount();
  driver.dispose();
});

test('a new range of the same site shows the previous data as placeholder until its first answer; another site does not', async () => {
  const { backend, driver } = setup();
  const seen = [];
  // One component throughout: the previous data is the hook instance's own.
  function Watch(props) {
    const s = useCommandCenterP0Stats(props.siteId, props.range, props.options);
    latest.stats = s;
    seen.push([s.stats?.sealed ?? null, s.loading, s.isPlaceholderData]);
    return null;
  }
  const { render, unmount } = await mount(driver, h(Watch, { siteId: SITE, range: DAY_A }));
  await act(async () => { backend.release(5); await settle(); });
  assert.equal(latest.stats.stats.sealed, 5);
  seen.length = 0;
  await render(h(Watch, { siteId: SITE, range: DAY_B }));
  await act(async () => { await settle(); });
  let s = latest.stats;
  assert.deepEqual([s.stats.sealed, s.isPlaceholderData, s.loading, s.isFetching], [5, true, false, true]);
  assert.deepEqual(s.dateRange, DAY_B, 'the range is the one being loaded');
  assert.ok(!seen.some(([sealed]) => sealed === null), `never empty in between: ${JSON.stringify(seen)}`);
  await act(async () => { backend.release(7); await settle(); });
  s = latest.stats;
  assert.deepEqual([s.stats.sealed, s.isPlaceholderData, s.loading], [7, false, false]);
  // A new range whose first request fails: the error ends the placeholder.
  await render(h(Watch, { siteId: SITE, range: DAY_A }));
  await act(async () => { await settle(); });
  assert.equal(latest.stats.isPlaceholderData, true);
  await act(async () => { backend.release(0, 'permission denied'); await settle(); });
  assert.deepEqual([latest.stats.stats, latest.stats.isPlaceholderData, latest.stats.error], [null, false, 'permission denied']);
  await render(h(Watch, { siteId: SITE, range: DAY_B }));
  await act(async () => { await settle(); });
  // keepPreviousData: false shows the first load as such.
  await render(h(Watch, { siteId: SITE, range: DAY_A, options: { keepPreviousData: false } }));
  await act(async () => { await settle(); });
  assert.deepEqual([latest.stats.stats, latest.stats.loading, latest.stats.isPlaceholderData], [null, true, false]);
  await act(async () => { backend.release(5); await settle(); });
  // Another site's numbers are no placeholder for this one.
  await render(h(Watch, { siteId: OTHER_SITE, range: DAY_A }));
  await act(async () => { await settle(); });
  assert.deepEqual([latest.stats.stats, latest.stats.loading, latest.stats.isPlaceholderData], [null, true, false]);
  await unmount();
  driver.dispose();
});

test('refetch() resolves with the answer of a request sent after it, shares one promise while coalesced, waits out the throttle, rejects typed', async () => {
  const { backend, driver, clock, timers } = setup();
  let unhandled = 0;
  const onUnhandled = () => unhandled++;
  process.on('unhandledRejection', onUnhandled);
  const { render, unmount } = await mount(driver, h(Stats, { siteId: SITE, range: DAY_A }));
  // A refetch while the first load is in flight is settled by the trailing request, not that load.
  const a = latest.stats.refetch();
  const b = latest.stats.refetch();
  assert.equal(a, b, 'coalesced refetches share one promise');
  let settled = null;
  a.then((v) => { settled = v; });
  clock.t = T0 + 100;
  await act(async () => { backend.release(5); await settle(); });
  assert.equal(settled, null, 'the load in flight before refetch() does not settle it');
  assert.equal(backend.held.length, 0, 'the trailing request waits out the 2.5 s throttle');
  await act(async () => { timers.advanceTo(T0 + 2_500); await settle(); });
  assert.equal(backend.held.length, 1);
  await act(async () => { backend.release(9); await settle(); });
  assert.equal(settled?.sealed, 9);
  // A failed refetch rejects with kind request_failed and the message.
  clock.t = T0 + 60_000;
  const failing = latest.stats.refetch();
  await act(async () => { await settle(); backend.release(0, 'permission denied'); await settle(); });
  await assert.rejects(failing, (e) => e.kind === 'request_failed' && /permission denied/.test(e.message));
  // Unmounted before the answer: kind cancelled. Ignored promises are not unhandled rejections.
  clock.t = T0 + 120_000;
  const orphan = latest.stats.refetch();
  latest.stats.refetch();
  await render(null);
  await assert.rejects(orphan, (e) => e.kind === 'cancelled');
  await settle();
  assert.equal(unhandled, 0);
  process.off('unhandledRejection', onUnhandled);
  await unmount();
  driver.dispose();
});

test('the adapters get an AbortSignal: aborted (TimeoutError) at the request timeout, (AbortError) when superseded; a late answer stays dropped and counted', async () => {
  const { backend, driver, timers } = setup();
  const { render, unmount } = await mount(driver, h(Stats, { siteId: SITE, range: DAY_A }));
  const first = backend.held[0];
  assert.ok(first.signal instanceof AbortSignal, 'the rpc adapter got a signal');
  await act(async () => { timers.advanceBy(19_999); await settle(); });
  assert.equal(first.signal.aborted, false);
  await act(async () => { timers.advanceBy(1); await settle(); });
  assert.equal(first.signal.aborted, true, 'aborted when the engine timed the request out');
  assert.equal(first.signal.reason.name, 'TimeoutError');
  assert.equal(latest.stats.error, 'request timed out');
  const dropped = driver.engine.counters().dropped.responses;
  await act(async () => { backend.release(5); await settle(); });
  assert.equal(driver.engine.counters().dropped.responses, dropped + 1, 'the late answer is dropped and counted');
  assert.equal(latest.stats.stats, null);
  // Superseded: the hook moves to another range while its request is in flight.
  await act(async () => { timers.advanceBy(5_000); await settle(); });
  const retry = backend.held.at(-1);
  assert.equal(retry.signal.aborted, false);
  await render(h(Stats, { siteId: SITE, range: DAY_B }));
  await act(async () => { await settle(); });
  assert.equal(retry.signal.aborted, true, 'the old range\'s request is aborted');
  assert.equal(retry.signal.reason.name, 'AbortError');
  // Dispose aborts what is left.
  const last = backend.held.at(-1);
  assert.equal(last.signal.aborted, false);
  await unmount();
  driver.dispose();
  assert.equal(last.signal.aborted, true, 'dispose aborts the requests in flight');
});

test('the built-in adapters pass the signal on: supabase-js .abortSignal(signal) on the rpc builder, fetch({signal})', async () => {
  const builders = [];
  const client = {
    rpc(name, params) {
      const b = { name, params, signal: undefined, abortSignal(s) { b.signal = s; return b; }, then(res) { res({ data: [], error: null }); } };
      builders.push(b);
      return b;
    },
  };
  const fetches = [];
  const fetch = async (url, init) => { fetches.push({ url, init }); return { ok: true, status: 200, text: async () => '{"captured":0,"gclid":0,"junk":0}' }; };
  const rpc = supabaseRpcAdapter(client);
  const overlay = fetchOverlayAdapter({ fetch });
  const controller = new AbortController();
  await rpc.rpc('get_recent_intents_v2', { p_site_id: SITE }, { signal: controller.signal });
  await overlay.fetchOverlay(SITE, { signal: controller.signal });
  assert.equal(builders[0].signal, controller.signal);
  assert.equal(fetches[0].init.signal, controller.signal);
  // Without a signal (older callers) nothing changes.
  await rpc.rpc('get_recent_intents_v2', { p_site_id: SITE });
  await overlay.fetchOverlay(SITE);
  assert.equal(builders[1].signal, undefined);
  assert.equal('signal' in fetches[1].init, false);
  assert.throws(() => rpc.rpc('x', {}, { signal: 'stop' }), (e) => e.kind === 'invalid_argument' && /options\.signal/.test(e.message));
  // Through a driver: the timed-out overlay poll's fetch is aborted.
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = fakeBackend();
  const hung = [];
  const driver = new PulseDriver({
    rpc: backend.rpc, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1,
    overlay: fetchOverlayAdapter({ fetch: (url, init) => { hung.push(init.signal); return new Promise(() => {}); } }),
  });
  driver.registerStats(SITE, 'today', false);
  await settle();
  assert.equal(hung.length, 1);
  timers.advanceBy(20_000);
  assert.equal(hung[0].aborted, true);
  driver.dispose();
});

test('cadence: defaults are today\'s values; a provider prop sets them; every bad value is kind invalid_cadence naming the field', async () => {
  assert.deepEqual(
    [DEFAULT_CADENCE.overlayPollFastMs, DEFAULT_CADENCE.overlayPollSlowMs, DEFAULT_CADENCE.refetchThrottleMs, DEFAULT_CADENCE.requestTimeoutMs],
    [10_000, 60_000, 2_500, 20_000],
  );
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = heldBackend();
  const base = { rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1 };
  const bad = [
    [{ requestTimeoutMs: 10 }, /cadence\.requestTimeoutMs must be between 1000 and 600000 ms, got 10/],
    [{ requestTimeoutMs: NaN }, /cadence\.requestTimeoutMs must be a whole number of ms, got number NaN/],
    [{ requestTimeoutMs: '5000' }, /cadence\.requestTimeoutMs must be a whole number of ms, got string/],
    [{ refetchThrottleMs: 1.5 }, /cadence\.refetchThrottleMs must be a whole number/],
    [{ overlayPollFast: 1000 }, /cadence\.overlayPollFast is not a cadence/],
    [{ overlayPollFastMs: 90_000 }, /cadence\.overlayPollFastMs \(90000 ms\) must not exceed cadence\.overlayPollSlowMs/],
    [{ probeSlowMs: Symbol('x') }, /cadence\.probeSlowMs must be a whole number of ms, got symbol/],
    ['fast', /cadence must be an object/],
  ];
  for (const [cadence, message] of bad) {
    assert.throws(() => new PulseDriver({ ...base, cadence }), (e) => e.kind === 'invalid_cadence' && message.test(e.message), String(message));
  }
  // Through PulseProvider: the provider creates the driver with the prop.
  let status;
  function Status() {
    status = usePulseStatus();
    return null;
  }
  const root = createRoot(document.getElementById('root'));
  const provider = (cadence) => h(PulseProvider, { ...base, cadence, init: async () => {}, onError: () => {} }, h(Stats, { siteId: SITE, range: DAY_A }), h(Status));
  await act(async () => { root.render(provider({ requestTimeoutMs: 3_000 })); });
  await act(async () => { await settle(); });
  const held = backend.held[0];
  await act(async () => { timers.advanceBy(2_999); await settle(); });
  assert.equal(held.signal.aborted, false);
  await act(async () => { timers.advanceBy(1); await settle(); });
  assert.equal(held.signal.aborted, true, 'timed out after 3 s, as the prop said');
  assert.equal(latest.stats.error, 'request timed out');
  await act(async () => root.unmount());
  // A bad prop: the hooks say why, usePulseStatus has the typed error.
  const root2 = createRoot(document.getElementById('root'));
  await act(async () => { root2.render(provider({ overlayPollSlowMs: 0 })); });
  await act(async () => { await settle(); });
  assert.equal(status.status, 'error');
  assert.equal(status.error.kind, 'invalid_cadence');
  assert.match(latest.stats.error, /cadence\.overlayPollSlowMs must be between/);
  assert.equal(latest.stats.loading, false);
  await act(async () => root2.unmount());
});
