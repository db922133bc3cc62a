// The devtools panel mounted in a page without React (jsdom): closed behind a
// toggle, styles only inside its shadow root, a bar with its reason per
// request, controls that change what the engine does, gone on unmount.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './helpers/dom.mjs';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { mountPulseDevtools } from 'opsmantik-pulse/devtools';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

const dom = installDom();
globalThis.Element = dom.window.Element;
const T0 = Date.UTC(2026, 10, 25, 11, 2, 11, 320);

async function setup() {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  const timers = fakeTimers(clock);
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1, crossTab: false });
  driver.start();
  const stats = driver.registerStats(SITE, 'today', false);
  driver.registerRealtime(SITE, false, () => ({}));
  await settle();
  return { clock, timers, backend, driver, stats };
}

// A failed assertion must not leave a panel's refresh timer keeping the process alive.
const panels = [];
const mount = (...args) => {
  const p = mountPulseDevtools(...args);
  panels.push(p);
  return p;
};
afterEach(() => panels.splice(0).forEach((p) => p.unmount()));

const q = (root, id) => root.querySelector(`[data-testid="${id}"]`);

test('floating: a toggle opens the sheet; bars carry the reason of each request; times in the zone, labelled', async () => {
  const { clock, driver } = await setup();
  const panel = mount(document.body, driver, { now: () => clock.t });
  const host = document.querySelector('[data-pulse-devtools="floating"]');
  const root = host.shadowRoot;
  assert.ok(root, 'an open shadow root');
  assert.equal(document.querySelectorAll('style').length, 0, 'no style in the host document');
  assert.equal(root.querySelectorAll('style').length, 1);
  const sheet = root.querySelector('.sheet');
  assert.equal(sheet.hidden, true, 'closed at mount');
  const toggle = q(root, 'dt-toggle');
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  toggle.click();
  assert.equal(sheet.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  const bars = [...root.querySelectorAll('[data-testid="dt-bar"]')];
  const requests = driver.timeline().filter((e) => e.type === 'request');
  assert.ok(requests.length >= 2);
  assert.deepEqual(bars.map((b) => Number(b.dataset.requestId)).sort(), requests.map((e) => e.id).sort(), 'one bar per request');
  for (const b of bars) assert.equal(b.dataset.reason, 'startup');
  assert.match(bars[0].title, /first load; 14:02:11\.320, ok in 0 ms/, 'why and when, on the zone clock');
  assert.equal(q(root, 'dt-zone').textContent, 'Times in Istanbul time (Europe/Istanbul, UTC+03:00)');
  assert.match(q(root, 'dt-next-wake').textContent, /in \d/);
  const lanes = [...root.querySelectorAll('[data-testid="dt-lane"]')].map((l) => l.querySelector('.lane-label').textContent);
  assert.deepEqual(lanes.slice(0, 2), ['Online', 'Tab visible'], 'visible/online lanes even before any change');
  assert.ok(lanes.some((l) => l.startsWith('Realtime')) && lanes.some((l) => l.startsWith('Stats')));
  assert.doesNotMatch(root.querySelector('.sheet').textContent.replace(/Raw engine state.*$/s, ''), /\b1\d{12}\b/, 'no epoch ms');
  // The list is rebuilt when the timeline changes, not on every tick.
  const newest = q(root, 'dt-requests-list').firstElementChild;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(q(root, 'dt-requests-list').firstElementChild, newest, 'unchanged timeline: the same elements');
  driver.refetch(driver.engine.debug().registrations.find((r) => r.kind === 'stats').handle);
  await settle();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(q(root, 'dt-requests-list').firstElementChild.dataset.reason, 'manual', 'a new request: listed first');
  q(root, 'dt-close').click();
  assert.equal(sheet.hidden, true);
  panel.open();
  q(root, 'dt-pause').dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  assert.equal(sheet.hidden, true, 'Escape closes the sheet');
  assert.equal(root.activeElement, toggle, 'and focus goes back to the toggle');
  panel.unmount();
  panel.unmount();
  assert.equal(document.querySelector('[data-pulse-devtools]'), null, 'gone on unmount');
  driver.dispose();
});

test('controls change what the engine does: simulate hidden/offline, refetch a key, reconnect a site, policy, pause, clear', async () => {
  const { clock, timers, backend, driver, stats } = await setup();
  const panel = mount(document.body, driver, { mode: 'inline', now: () => clock.t });
  const root = document.querySelector('[data-pulse-devtools="inline"]').shadowRoot;
  assert.equal(root.querySelector('.sheet').hidden, false, 'inline is always open');
  assert.equal(q(root, 'dt-toggle'), null);

  q(root, 'dt-hidden').click();
  assert.equal(driver.engine.debug().visible, false);
  const before = backend.calls.length;
  for (let i = 0; i < 12; i++) {
    timers.advanceBy(10_000);
    await settle();
  }
  assert.equal(backend.calls.length, before, 'hidden: no requests');
  panel.close(); // inline: ignored
  panel.open();
  await new Promise((r) => setTimeout(r, 300)); // one refresh
  assert.equal(q(root, 'dt-hidden').getAttribute('aria-pressed'), 'true');
  assert.equal(q(root, 'dt-page').textContent, 'hidden · online');
  assert.equal(q(root, 'dt-page').nextElementSibling.textContent, 'simulated');
  q(root, 'dt-hidden').click();
  await settle();
  assert.ok(backend.calls.length > before, 'visible again: requests');
  q(root, 'dt-offline').click();
  assert.equal(driver.engine.debug().online, false);
  q(root, 'dt-offline').click();
  assert.equal(driver.engine.debug().online, true);

  const select = q(root, 'dt-stats-key');
  assert.deepEqual([...select.options].map((o) => o.value), ['*', String(stats)]);
  select.value = String(stats);
  select.dispatchEvent(new dom.window.Event('change'));
  q(root, 'dt-refetch').click();
  await settle();
  assert.ok(driver.timeline().some((e) => e.type === 'request' && e.reason === 'manual'), 'refetch: a manual request');
  const channels = backend.channels.length;
  q(root, 'dt-reconnect').click();
  await settle();
  assert.ok(backend.channels.length > channels, 'reconnect: a new channel');

  root.querySelector('[data-testid="dt-policy-legacy-max"]').click();
  assert.equal(driver.engine.debug().policy, 'legacy-max');
  assert.equal(root.querySelector('[data-testid="dt-policy-legacy-max"]').getAttribute('aria-pressed'), 'true');
  root.querySelector('[data-testid="dt-policy-db-truth"]').click();
  assert.equal(driver.engine.debug().policy, 'db-truth');

  q(root, 'dt-pause').click();
  const frozen = q(root, 'dt-requests-list').children.length;
  driver.refetch(stats);
  await settle();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(q(root, 'dt-requests-list').children.length, frozen, 'paused: the list does not move');
  q(root, 'dt-pause').click();
  assert.ok(q(root, 'dt-requests-list').children.length > frozen);
  q(root, 'dt-clear').click();
  assert.equal(q(root, 'dt-requests-list').children.length, 0);
  assert.deepEqual(driver.timeline(), []);
  panel.unmount();
  driver.dispose();
});

test('bad arguments are errors with a kind, not a broken page', async () => {
  const { driver } = await setup();
  assert.throws(() => mountPulseDevtools(null, driver), { kind: 'invalid_argument' });
  assert.throws(() => mountPulseDevtools(document.body, {}), { kind: 'invalid_argument' });
  assert.throws(() => mountPulseDevtools(document.body, driver, { mode: 'popup' }), { kind: 'invalid_argument' });
  assert.equal(document.querySelector('[data-pulse-devtools]'), null);
  driver.dispose();
});
