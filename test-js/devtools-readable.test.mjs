// window.__PULSE__ prints readable times: every instant also as ISO 8601 in
// the site's zone with its offset, no Rust debug text, and help() lists
// every member. Plus the driver's simulate() seam the devtools controls use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { HELP_LINES, installDevtools, isInstantField, withReadableTimes, zonedIso } from 'opsmantik-pulse/devtools';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 10, 25, 11, 2, 11, 320); // 14:02:11.320 in Istanbul

test('zonedIso: the zone wall clock with its offset, across DST and at the edges', () => {
  assert.equal(zonedIso(T0, 'Europe/Istanbul'), '2026-11-25T14:02:11.320+03:00');
  assert.equal(zonedIso(T0, 'UTC'), '2026-11-25T11:02:11.320+00:00');
  assert.equal(zonedIso(Date.UTC(2026, 0, 15, 12), 'America/Santiago'), '2026-01-15T09:00:00.000-03:00'); // summer time
  assert.equal(zonedIso(Date.UTC(2026, 6, 15, 12), 'America/Santiago'), '2026-07-15T08:00:00.000-04:00');
  assert.equal(zonedIso(Date.UTC(2026, 6, 15, 12), 'Asia/Kolkata'), '2026-07-15T17:30:00.000+05:30');
  assert.equal(zonedIso(Date.UTC(2026, 6, 15, 12), 'Australia/Lord_Howe'), '2026-07-15T22:30:00.000+10:30');
  // Midnight is 00, not 24; fractions truncate like Date; the epoch's negative side keeps its millis.
  assert.equal(zonedIso(Date.UTC(2026, 10, 24, 21), 'Europe/Istanbul'), '2026-11-25T00:00:00.000+03:00');
  assert.equal(zonedIso(T0 + 0.9, 'Europe/Istanbul'), '2026-11-25T14:02:11.320+03:00');
  assert.equal(zonedIso(-1, 'UTC'), '1969-12-31T23:59:59.999+00:00');
  for (const bad of [NaN, Infinity, 8.64e15 + 1, '5', null, undefined]) assert.equal(zonedIso(bad, 'UTC'), null, String(bad));
});

test('withReadableTimes: a …Local text beside each instant, durations and other numbers left alone', () => {
  const out = withReadableTimes({
    lastEventAt: T0, receivedAtMs: T0, atMs: T0, snapshotAgeMs: 1500, eventCount: 7, now: T0,
    dateRange: { from: '2026-11-24T21:00:00.000Z', to: '2026-11-25T21:00:00.000Z' }, lastSignalAt: null,
    timers: [{ atMs: T0, wake: { kind: 'probe' } }], format: 5,
  }, 'Europe/Istanbul');
  assert.equal(out.lastEventAt, T0, 'the ms stay for scripts');
  assert.equal(out.lastEventAtLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(out.receivedAtLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(out.atLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(out.nowLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(out.dateRange.fromLocal, '2026-11-25T00:00:00.000+03:00');
  assert.equal(out.dateRange.toLocal, '2026-11-26T00:00:00.000+03:00');
  assert.equal(out.timers[0].atLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(out.lastSignalAtLocal, undefined, 'null is not an instant');
  assert.equal('snapshotAgeLocal' in out, false, 'a duration is not an instant');
  assert.equal('eventCountLocal' in out || 'formatLocal' in out, false);
  for (const name of ['lastEventAt', 'fetchedAtMs', 'atMs', 'nextAt', 'fromMs', 'toMs', 'startMs', 'endMs', 'now', 'date_from']) assert.ok(isInstantField(name), name);
  for (const name of ['snapshotAgeMs', 'overlayAgeMs', 'eventCount', 'format', 'chat', 'timeoutMs']) assert.ok(!isInstantField(name), name);
});

function driverAt(t) {
  const clock = fakeClock(t);
  const backend = fakeBackend();
  const timers = fakeTimers(clock);
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 1, timeZone: 'Europe/Istanbul', crossTab: false });
  driver.start();
  return { clock, timers, backend, driver };
}

test('__PULSE__.snapshot(), log(), debug(), timeline(): readable times in the site zone, no Rust debug text', async () => {
  const { driver } = driverAt(T0);
  driver.registerStats(SITE, 'today', false);
  driver.registerStats(SITE, { fromMs: Date.parse('2026-11-20T21:00:00.000Z'), toMs: Date.parse('2026-11-21T21:00:00.000Z') }, true);
  driver.registerRealtime(SITE, false, () => ({}));
  await settle();
  const uninstall = installDevtools(driver);
  const tools = globalThis.__PULSE__;
  assert.equal(tools.timeZone(), 'Europe/Istanbul');
  const snap = tools.snapshot();
  const stats = snap.find((s) => s.type === 'stats');
  assert.equal(stats.fetchedAtLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(stats.dateRange.fromLocal, '2026-11-25T00:00:00.000+03:00');
  const text = JSON.stringify([snap, tools.debug(), tools.log(), tools.timeline()]);
  assert.doesNotMatch(text, /Some\(|StatsKey|Fixed \{|Realtime \{|Today\b|[a-z]_[a-z]+: /, 'no Rust debug text');
  const debug = tools.debug();
  assert.equal(debug.policy, 'db-truth');
  assert.deepEqual(debug.registrations.map((r) => r.kind).sort(), ['realtime', 'stats', 'stats']);
  assert.deepEqual(debug.registrations.find((r) => r.range?.kind === 'fixed').range, { kind: 'fixed', fromMs: Date.parse('2026-11-20T21:00:00.000Z'), toMs: Date.parse('2026-11-21T21:00:00.000Z'), fromLocal: '2026-11-21T00:00:00.000+03:00', toLocal: '2026-11-22T00:00:00.000+03:00' });
  assert.equal(tools.log()[0].atLocal, '2026-11-25T14:02:11.320+03:00');
  assert.equal(tools.timeline()[0].startLocal, '2026-11-25T14:02:11.320+03:00');
  const exported = JSON.parse(tools.exportLog());
  assert.equal(exported.timeZone, 'Europe/Istanbul');
  assert.ok(exported.timeline.every((e) => (e.type === 'request' ? e.startLocal : e.atLocal).endsWith('+03:00')));
  uninstall();
  driver.dispose();
});

test('help() lists every member of __PULSE__, and nothing that is not there', () => {
  const uninstall = installDevtools(null);
  const tools = globalThis.__PULSE__;
  assert.deepEqual(Object.keys(HELP_LINES).sort(), Object.keys(tools).sort());
  const help = tools.help.call(null);
  for (const name of Object.keys(tools)) assert.match(help, new RegExp(`^  ${name}[ (]`, 'm'), name);
  uninstall();
});

test('the console controls drive the engine: simulateHidden/Offline stop requests, refetch and reconnect name what they touched', async () => {
  const { timers, backend, driver } = driverAt(T0);
  const stats = driver.registerStats(SITE, 'today', false);
  driver.registerRealtime(SITE, false, () => ({}));
  await settle();
  const uninstall = installDevtools(driver);
  const tools = globalThis.__PULSE__;
  assert.deepEqual(tools.refetch(), [stats]);
  await settle();
  assert.ok(driver.timeline().some((e) => e.type === 'request' && e.reason === 'manual'));
  const channels = backend.channels.length;
  assert.deepEqual(tools.reconnect(), [SITE]);
  await settle();
  assert.ok(backend.channels.length > channels, 'a new channel');
  for (const [on, what] of [[tools.simulateHidden, 'hidden'], [tools.simulateOffline, 'offline']]) {
    on(true);
    assert.equal(driver.simulated()[what], true);
    assert.equal(driver.engine.debug()[what === 'hidden' ? 'visible' : 'online'], false, `${what}: the engine sees it`);
    const before = backend.calls.length;
    for (let i = 0; i < 12; i++) {
      timers.advanceBy(10_000);
      await settle();
    }
    assert.equal(backend.calls.length, before, `${what}: no requests while simulated`);
    on(false);
    await settle();
    assert.equal(driver.simulated()[what], false);
    assert.ok(backend.calls.length > before, `${what}: requests again once off`);
  }
  assert.throws(() => driver.simulate('asleep', true), { kind: 'invalid_argument' });
  assert.throws(() => driver.simulate('hidden', 'yes'), { kind: 'invalid_argument' });
  uninstall();
  driver.dispose();
});
