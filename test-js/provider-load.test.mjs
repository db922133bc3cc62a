// A wasm that fails to load (issue 13 item 5): the hooks stop saying
// `loading: true, error: null` and show the typed error, the provider retries
// with backoff, and when the load succeeds the hooks run normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
await import('opsmantik-pulse/node');
const { PulseProvider, PulseDriver, useRealtimeDashboard, useCommandCenterP0Stats, usePulseStatus, manualFlag, WASM_RETRY_MS } = await import('opsmantik-pulse/react');
const h = React.createElement;

test('a failed load reaches every hook as a typed error, is retried with backoff, then the hooks run', async () => {
  const clock = fakeClock(Date.UTC(2026, 1, 2, 9));
  const backend = fakeBackend();
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1 });
  const attempts = [];
  const reported = [];
  const init = async () => {
    attempts.push(Date.now());
    if (attempts.length <= 2) throw new TypeError('Failed to fetch');
  };
  let seen;
  function Probe() {
    seen = { stats: useCommandCenterP0Stats(SITE), realtime: useRealtimeDashboard(SITE), status: usePulseStatus() };
    return null;
  }
  const root = createRoot(document.getElementById('root'));
  await act(async () => {
    root.render(h(PulseProvider, { driver, init, onError: (e) => reported.push(e) }, h(Probe)));
    await settle();
  });
  assert.equal(attempts.length, 1);
  assert.equal(seen.status.status, 'error');
  assert.equal(seen.status.error.kind, 'wasm_load_failed');
  assert.match(seen.status.error.message, /Failed to fetch/);
  assert.equal(seen.stats.loading, false);
  assert.equal(seen.stats.error, seen.status.error.message);
  assert.equal(seen.realtime.error, seen.status.error.message);
  assert.equal(seen.realtime.connectionStatus, 'ERROR');
  assert.equal(reported.length, 1, 'onError once, not once per retry');

  // Retries after 1 s, then 2 s (real timers: the provider's backoff is not the engine's clock).
  await act(async () => { await new Promise((r) => setTimeout(r, WASM_RETRY_MS.first + 150)); await settle(); });
  assert.equal(attempts.length, 2);
  assert.equal(seen.status.status, 'error');
  await act(async () => { await new Promise((r) => setTimeout(r, 2 * WASM_RETRY_MS.first + 150)); await settle(); });
  assert.equal(attempts.length, 3);
  assert.ok(attempts[2] - attempts[1] >= attempts[1] - attempts[0], 'backoff grows');
  assert.equal(seen.status.status, 'ready');
  assert.equal(seen.stats.error, null);
  assert.equal(seen.realtime.error, null);
  assert.notEqual(seen.realtime.connectionStatus, 'ERROR');
  assert.equal(reported.length, 1);
  await act(async () => root.unmount());
  driver.dispose();
});
