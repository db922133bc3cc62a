// SSR: render on the server from a snapshot taken just before Istanbul
// midnight, hydrate in jsdom with a client clock just after it. No hydration
// mismatch, and the day rolls over only after mount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { renderToString } = await import('react-dom/server');
const { hydrateRoot } = await import('react-dom/client');
const { createServerSnapshot, dayRange } = await import('opsmantik-pulse/server');
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, useRelativeTime, manualFlag } = await import('opsmantik-pulse/react');
const h = React.createElement;

const midnight = dayRange('2026-02-03').fromMs;
const SERVER_NOW = midnight - 2_000; // 23:59:58 Istanbul
const CLIENT_NOW = midnight + 3_000; // 00:00:03 the next day

function App() {
  const s = useCommandCenterP0Stats(SITE);
  const rt = useRealtimeDashboard(SITE, { onDataFreshness() {} });
  const ago = useRelativeTime(SERVER_NOW - 30_000);
  return h('main', null,
    h('p', { id: 'day' }, s.dayKey ?? '-'),
    h('p', { id: 'from' }, s.dateRange.from),
    h('p', { id: 'sealed' }, s.stats ? String(s.stats.sealed) : 'loading'),
    h('p', { id: 'status' }, rt.connectionStatus),
    h('p', { id: 'ago' }, ago ?? ''));
}

test('server render and hydration agree across Istanbul midnight; rollover after mount', async () => {
  const serverStats = { site_id: SITE, date_from: dayRange('2026-02-02').fromIso, date_to: dayRange('2026-02-02').toIso, ads_only: false, sealed: 7, queue_pending: 0, junk: 0, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0, assumed_cpc: 0, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: 7, gclid_leads: 0, avg_scroll_depth: 0, inbox_zero_now: false };
  const snapshot = createServerSnapshot(SERVER_NOW, 'Europe/Istanbul', [{ siteId: SITE, adsOnly: false, raw: [serverStats] }]);
  // The snapshot crosses to the client as JSON, as it would in a page.
  const shipped = JSON.parse(JSON.stringify(snapshot));
  const html = renderToString(h(PulseProvider, { snapshot }, h(App)));
  assert.match(html, /2026-02-02/);
  assert.match(html, />7</);
  assert.match(html, />30s ago</);

  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);
  const clock = fakeClock(CLIENT_NOW);
  const timers = fakeTimers(clock);
  const backend = fakeBackend({ sealed: 1 });
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 2 });
  const recoverable = [];
  const consoleErrors = [];
  const original = console.error;
  console.error = (...args) => consoleErrors.push(args.map(String).join(' '));
  let root;
  try {
    await act(async () => {
      root = hydrateRoot(container, h(PulseProvider, { snapshot: shipped, driver, init: async () => {} }, h(App)), {
        onRecoverableError: (e) => recoverable.push(String(e)),
      });
    });
    await act(async () => { await settle(); });
  } finally {
    console.error = original;
  }
  assert.deepEqual(recoverable, [], 'no hydration mismatch');
  assert.deepEqual(consoleErrors.filter((e) => /hydrat|did not match|server rendered/i.test(e)), []);
  // After mount the engine runs on the client's clock: the new day, its own fetch.
  assert.equal(container.querySelector('#day').textContent, '2026-02-03');
  assert.equal(container.querySelector('#from').textContent, dayRange('2026-02-03').fromIso);
  assert.equal(container.querySelector('#sealed').textContent, '1');
  assert.equal(container.querySelector('#status').textContent, 'SUBSCRIBED');
  assert.equal(container.querySelector('#ago').textContent, '35s ago');
  assert.equal(backend.calls.filter((c) => c.name === 'get_command_center_p0_stats_v2')[0].params.p_date_from, dayRange('2026-02-03').fromIso);
  await act(async () => { root.unmount(); });
});

test('a fresh server snapshot is shown at mount without a refetch until the channel subscribes; then one catch-up', async () => {
  const now = Date.UTC(2026, 1, 2, 9);
  const snapshot = createServerSnapshot(now, 'Europe/Istanbul', [{ siteId: SITE, adsOnly: false, raw: { sealed: 9, date_from: dayRange('2026-02-02').fromIso, date_to: dayRange('2026-02-02').toIso } }]);
  const html = renderToString(h(PulseProvider, { snapshot }, h(App)));
  const container = document.createElement('div');
  container.innerHTML = html;
  const clock = fakeClock(now + 1_000);
  const backend = fakeBackend({ sealed: 1 });
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true) });
  let root;
  await act(async () => { root = hydrateRoot(container, h(PulseProvider, { snapshot, driver, init: async () => {} }, h(App))); });
  await act(async () => { await settle(); });
  // Nothing would report the calls made between the server render and SUBSCRIBED, so the
  // stats are refreshed exactly once when the channel reports in (the gap-free handoff), and
  // the server's numbers are shown until that answer replaces them (no loading flash).
  const fetches = backend.calls.filter((c) => c.name === 'get_command_center_p0_stats_v2').length;
  assert.equal(fetches, 1, 'no refetch at mount; one catch-up once SUBSCRIBED');
  assert.equal(container.querySelector('#sealed').textContent, '1', 'the catch-up answer replaced the server numbers');
  await act(async () => { root.unmount(); });
});
