// The driver's timeline (devtools): every request from start to reply with why
// it went out, channel statuses and page visibility, bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);

test('requests carry their reason and outcome; channel and page states are recorded', async () => {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  const visibility = manualFlag(true);
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers: fakeTimers(clock), visibility, online: manualFlag(true), seed: 1 });
  driver.start();
  const stats = driver.registerStats(SITE, 'today', false);
  driver.registerRealtime(SITE, false, () => ({}));
  await settle();
  const requests = driver.timeline().filter((e) => e.type === 'request');
  const first = requests.find((e) => e.name === 'get_command_center_p0_stats_v2');
  assert.equal(first.reason, 'startup');
  assert.equal(first.outcome, 'ok');
  assert.ok(first.endMs >= first.startMs);
  assert.ok(requests.some((e) => e.kind === 'overlay' && e.reason === 'startup' && e.outcome === 'ok'));
  assert.ok(driver.timeline().some((e) => e.type === 'channel' && e.status === 'SUBSCRIBED'));
  clock.t += 10_000;
  driver.refetch(stats);
  await settle();
  assert.ok(driver.timeline().some((e) => e.type === 'request' && e.reason === 'manual'), 'refetch() shows as manual');
  visibility.set(false);
  assert.deepEqual(driver.timeline().at(-1), { type: 'page', visible: false, online: true, atMs: clock.t });
  driver.clearTimeline();
  assert.deepEqual(driver.timeline(), []);
  driver.dispose();
});

test('a request that never answers shows as timed out; the timeline stays bounded', async () => {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  backend.rpc.rpc = () => new Promise(() => {});
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1 });
  driver.start();
  driver.registerStats(SITE, 'today', false);
  await settle();
  clock.t += 25_000;
  const hung = driver.timeline().find((e) => e.type === 'request' && e.name === 'get_command_center_p0_stats_v2');
  assert.equal(hung.outcome, 'timeout');
  for (let i = 0; i < 3_000; i++) backend.channels.length && backend.channels[0].handlers.onStatus(i % 2 ? 'SUBSCRIBED' : 'CHANNEL_ERROR');
  driver.registerRealtime(SITE, false, () => ({}));
  for (let i = 0; i < 3_000; i++) backend.channels[0].handlers.onStatus(i % 2 ? 'SUBSCRIBED' : 'CHANNEL_ERROR');
  assert.ok(driver.timeline().length <= 500);
  driver.dispose();
});

test('the timeline times requests out at the driver\'s cadence.requestTimeoutMs, when the engine aborts them', async () => {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const backend = fakeBackend();
  backend.rpc.rpc = () => new Promise(() => {});
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1, cadence: { requestTimeoutMs: 3_000 } });
  driver.start();
  driver.registerStats(SITE, 'today', false);
  await settle();
  const stats = () => driver.timeline().find((e) => e.type === 'request' && e.name === 'get_command_center_p0_stats_v2');
  timers.advanceBy(2_999);
  assert.equal(stats().outcome, null, 'still in flight');
  timers.advanceBy(1);
  assert.deepEqual([stats().outcome, stats().endMs], ['timeout', T0 + 3_000]);
  driver.dispose();
});
