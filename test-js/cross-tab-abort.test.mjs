// The AbortSignal through cross-tab coordination (on by default in browsers):
// the leader's real call is aborted when every ask waiting on it gave up, and
// not while another tab's ask still shares it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { SITE, fakeClock, fakeTimers, heldBackend, settle } from './helpers/fakes.mjs';
import { tabFabric } from './helpers/tab-fabric.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);
const DAY = { fromMs: Date.UTC(2026, 0, 30, 21), toMs: Date.UTC(2026, 0, 31, 21) };

async function openTabs(n) {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const fabric = tabFabric();
  const backend = heldBackend();
  const drivers = [];
  for (let i = 0; i < n; i++) {
    const tab = fabric.tab(`t${i}`);
    const driver = new PulseDriver({
      rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true),
      seed: i + 1, crossTab: { environment: tab.environment, tabId: `t${i}` },
    });
    driver.start();
    drivers.push(driver);
    await settle(10);
  }
  return { timers, backend, drivers };
}

test('a leader alone: its timed-out request\'s real call is aborted', async () => {
  const { timers, backend, drivers } = await openTabs(1);
  assert.equal(drivers[0].crossTab.role, 'leader');
  drivers[0].registerStats(SITE, DAY, false);
  await settle(10);
  assert.equal(backend.held.length, 1);
  const { signal } = backend.held[0];
  assert.ok(signal instanceof AbortSignal);
  timers.advanceBy(20_000);
  await settle(10);
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason.name, 'TimeoutError');
  drivers[0].dispose();
});

test('a call another tab joined is not aborted when the leader gives up on it (a follower cannot withdraw its ask)', async () => {
  const { backend, drivers } = await openTabs(2);
  assert.deepEqual(drivers.map((d) => d.crossTab.role), ['leader', 'follower']);
  const mine = drivers[0].registerStats(SITE, DAY, false);
  const theirs = drivers[1].registerStats(SITE, DAY, false);
  await settle(20);
  assert.equal(backend.held.length, 1, 'one call for both tabs');
  assert.equal(drivers[0].crossTab.info().shared.joined, 1);
  const { signal } = backend.held[0];
  drivers[0].unregister(mine);
  await settle(10);
  assert.equal(signal.aborted, false, 'the follower still waits on it');
  // A follower's ask cannot be withdrawn (its engine is in another tab): the call runs on.
  drivers[1].unregister(theirs);
  await settle(10);
  assert.equal(signal.aborted, false);
  for (const d of drivers) d.dispose();
});
