// Fault injection through the driver with fake adapters whose answers the
// test controls: errors, hangs, garbage, storms, late and out-of-order
// answers, clock jumps. No stuck state, no lost registration, backoff
// respected, recovery when the fault clears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PulseDriver, manualFlag } from 'opsmantik-pulse/node';
import { fakeClock, fakeTimers, settle, SITE } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);

/** Adapters whose every answer waits for the test: `answer(name, result)` resolves the oldest call. */
function controlledBackend() {
  const queue = [];
  const calls = [];
  const channels = [];
  const wait = (name, params) => new Promise((resolve, reject) => { calls.push(name); queue.push({ name, params, resolve, reject }); });
  return {
    calls, queue, channels,
    rpc: { rpc: (name, params) => wait(name, params) },
    overlay: { fetchOverlay: () => wait('overlay') },
    realtime: { subscribe(siteId, channel, handlers) { const c = { handlers, closed: false }; channels.push(c); return () => { c.closed = true; }; } },
    /** Answers the oldest pending call named `name` (any when undefined). */
    answer(name, fn) {
      const i = queue.findIndex((q) => name === undefined || q.name === name);
      if (i < 0) return false;
      const [q] = queue.splice(i, 1);
      fn(q);
      return true;
    },
    count: (name) => calls.filter((c) => c === name).length,
  };
}

function driverWith(backend, clock) {
  const timers = fakeTimers(clock);
  const driver = new PulseDriver({ ...backend, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 4, onError: () => {} });
  driver.start();
  return { driver, timers };
}

/** Lets time pass in small steps until `name` has been called `n` times (or `limitMs` passed). */
async function until(b, timers, name, n, limitMs = 120_000) {
  for (let waited = 0; b.count(name) < n && waited < limitMs; waited += 250) {
    timers.advanceBy(250);
    await settle(1);
  }
  await settle();
}

const statsData = (sealed) => ({ sealed, site_id: SITE, date_from: '2026-02-01T21:00:00.000Z', date_to: '2026-02-02T21:00:00.000Z' });

test('RPC errors, thrown exceptions and 500s back off, then recover', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver, timers } = driverWith(b, clock);
  const h = driver.registerStats(SITE, { fromMs: T0 - 86_400_000, toMs: T0 }, false);
  const attempts = [];
  const faults = [
    (q) => q.resolve({ data: null, error: { message: 'HTTP 500', code: '500' } }),
    (q) => q.reject(new Error('network down')),
    (q) => q.resolve({ data: null, error: { message: 'timeout', code: '57014' } }),
  ];
  for (const fault of faults) {
    await settle();
    attempts.push(clock.t);
    assert.ok(b.answer('get_command_center_p0_stats_v2', fault));
    await settle();
    assert.ok(driver.store.get(h).error, 'the error is shown');
    await until(b, timers, 'get_command_center_p0_stats_v2', attempts.length + 1);
  }
  await settle();
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  assert.ok(gaps.every((g) => g >= 1_000), `backoff between attempts: ${gaps}`);
  assert.ok(b.answer('get_command_center_p0_stats_v2', (q) => q.resolve({ data: statsData(5), error: null })));
  await settle();
  const s = driver.store.get(h);
  assert.equal(s.error, null);
  assert.equal(s.stats.sealed, 5, 'recovered');
  driver.dispose();
});

test('a hung request times out; its late answer is dropped; the key is not blocked', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver, timers } = driverWith(b, clock);
  const h = driver.registerStats(SITE, { fromMs: T0 - 86_400_000, toMs: T0 }, false);
  await settle();
  const hung = b.queue.shift();
  timers.advanceTo(T0 + 21_000);
  await settle();
  assert.equal(driver.store.get(h).error, 'request timed out');
  await until(b, timers, 'get_command_center_p0_stats_v2', 2);
  assert.equal(b.count('get_command_center_p0_stats_v2'), 2, 'retried');
  hung.resolve({ data: statsData(99), error: null }); // arrives after the engine gave up
  await settle();
  assert.notEqual(driver.store.get(h).stats?.sealed, 99);
  assert.ok(driver.engine.counters().dropped.responses >= 1);
  b.answer('get_command_center_p0_stats_v2', (q) => q.resolve({ data: statsData(3), error: null }));
  await settle();
  assert.equal(driver.store.get(h).stats.sealed, 3);
  driver.dispose();
});

test('malformed overlay JSON and _fallback replies are ignored and flagged; polling continues', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver, timers } = driverWith(b, clock);
  const h = driver.registerStats(SITE, 'today', false);
  await settle();
  b.answer('get_command_center_p0_stats_v2', (q) => q.resolve({ data: statsData(2), error: null }));
  b.answer('overlay', (q) => q.resolve('{"captured": 4, "gclid": 1, "junk": 0}'));
  await settle();
  assert.equal(driver.store.get(h).live.captured, 4);
  timers.advanceTo(clock.t + 60_000); // a quiet site polls its overlay once a minute
  await settle();
  b.answer('overlay', (q) => q.resolve('<html>502 Bad Gateway</html>'));
  await settle();
  await until(b, timers, 'overlay', 3);
  assert.equal(b.count('overlay'), 3, 'still polling after garbage');
  b.answer('overlay', (q) => q.resolve('{"captured": 0, "gclid": 0, "junk": 0, "_fallback": true}'));
  await settle();
  const s = driver.store.get(h);
  assert.equal(s.live.fallback, true);
  assert.equal(s.live.captured, 4, 'the zeros of a fallback are not shown as data');
  assert.match(s.provenance.error, /fallback/);
  driver.dispose();
});

test('channel status storms: one reconnect at a time, backoff grows, recovery resets it', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver, timers } = driverWith(b, clock);
  const h = driver.registerRealtime(SITE, false, () => ({}));
  const first = b.channels[0];
  for (let i = 0; i < 100; i++) first.handlers.onStatus(['CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED'][i % 3]);
  assert.equal(b.channels.length, 1, 'no reconnect yet: one is scheduled');
  assert.match(driver.store.get(h).error, /^Connection error: /);
  const reconnectTimes = [];
  for (let i = 0; i < 5; i++) {
    const before = b.channels.length;
    const start = clock.t;
    while (b.channels.length === before && clock.t < start + 120_000) timers.advanceTo(clock.t + 250);
    reconnectTimes.push(clock.t - start);
    b.channels.at(-1).handlers.onStatus('CHANNEL_ERROR');
  }
  assert.ok(reconnectTimes.every((t, i) => i === 0 || t >= reconnectTimes[0]), `growing waits: ${reconnectTimes}`);
  assert.ok(reconnectTimes.at(-1) <= 30_250, 'capped at 30 s');
  assert.ok(b.channels.slice(0, -1).every((c) => c.closed), 'each reconnect closed the previous channel');
  b.channels.at(-1).handlers.onStatus('SUBSCRIBED');
  assert.equal(driver.store.get(h).isConnected, true);
  assert.equal(driver.store.get(h).error, null);
  driver.dispose();
});

test('answers after unmount are dropped; registrations survive other unmounts', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver } = driverWith(b, clock);
  const a = driver.registerStats(SITE, { fromMs: T0 - 1000, toMs: T0 }, false);
  const keep = driver.registerStats(SITE, { fromMs: T0 - 2000, toMs: T0 }, false);
  await settle();
  driver.unregister(a);
  // Answer both, the unmounted one first (out of order).
  b.answer('get_command_center_p0_stats_v2', (q) => q.resolve({ data: statsData(1), error: null }));
  b.answer('get_command_center_p0_stats_v2', (q) => q.resolve({ data: statsData(2), error: null }));
  await settle();
  assert.equal(driver.store.get(a), null);
  assert.equal(driver.store.get(keep).stats.sealed, 2);
  assert.ok(driver.engine.counters().dropped.responses >= 1);
  driver.dispose();
});

test('sleep/wake and clock jumps: no burst, no stall', async () => {
  const clock = fakeClock(T0);
  const b = controlledBackend();
  const { driver, timers } = driverWith(b, clock);
  driver.registerStats(SITE, 'today', false);
  await settle();
  while (b.answer(undefined, (q) => q.resolve(q.name === 'overlay' ? '{"captured":0,"gclid":0,"junk":0}' : { data: statsData(1), error: null })));
  await settle();
  const before = b.calls.length;
  clock.t += 3 * 3_600_000; // the laptop slept three hours: wall clock jumps, then the timer fires
  timers.advanceBy(10_000);
  await settle();
  assert.ok(b.calls.length - before <= 2, `one round of catch-up, got ${b.calls.length - before}`);
  while (b.answer(undefined, (q) => q.resolve(q.name === 'overlay' ? '{"captured":0,"gclid":0,"junk":0}' : { data: statsData(1), error: null })));
  await settle();
  clock.t -= 2 * 3_600_000; // and the clock was then corrected backwards
  const n = b.calls.length;
  timers.advanceBy(61_000); // the slowest cadence (a quiet overlay poll), not two hours
  await settle();
  assert.ok(b.calls.length > n, 'still polling after the clock moved back');
  driver.dispose();
});
