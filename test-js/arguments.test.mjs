// Argument validation of the public wrappers: no silent coercion (a string
// 'true' is not a boolean, 1.9 is not a handle), every error an Error with a
// `kind`, and use after free()/dispose() is kind 'disposed'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PulseEngine, PulseDriver, PulseStore, manualFlag } from 'opsmantik-pulse/node';
import { createServerSnapshot } from 'opsmantik-pulse/server';
import { fakeBackend, fakeClock, fakeTimers, settle, SITE } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);
const kind = (k) => (err) => err instanceof Error && err.kind === k;

test('unregister(1.9) throws invalid_argument and does not remove handle 1', () => {
  const e = new PulseEngine({ seed: 1 });
  const h = e.registerRealtime(SITE, false, true, T0);
  assert.equal(h, 1);
  assert.throws(() => e.unregister(1.9, T0), kind('invalid_argument'));
  assert.notEqual(e.snapshot(h), null, 'handle 1 is still registered');
  e.drainCommands();
  e.unregister(h, T0);
  // The activity probe in flight is nobody's any more: aborted, then the channel closes.
  assert.deepEqual(e.drainCommands().map((c) => c.type), ['abort', 'unsubscribe'], 'and a real unregister still works');
  for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 53, '1', null, undefined, 1n, Symbol('h'), {}]) {
    assert.throws(() => e.refetch(bad, T0), kind('invalid_argument'), `refetch(${String(bad)})`);
    assert.throws(() => e.snapshot(bad), kind('invalid_argument'), `snapshot(${String(bad)})`);
    assert.throws(() => e.version(bad), kind('invalid_argument'), `version(${String(bad)})`);
  }
  e.free();
});

test("registerRealtime(site, 'true') and other non-booleans throw instead of running all-traffic", () => {
  const e = new PulseEngine({ seed: 1 });
  for (const bad of ['true', 'false', 1, 0, null, undefined, {}]) {
    assert.throws(() => e.registerRealtime(SITE, bad, true, T0), kind('invalid_argument'), `adsOnly ${String(bad)}`);
    assert.throws(() => e.registerStats(SITE, 'today', bad, T0), kind('invalid_argument'), `stats adsOnly ${String(bad)}`);
    assert.throws(() => e.setVisible(bad, T0), kind('invalid_argument'));
    assert.throws(() => e.setOnline(bad, T0), kind('invalid_argument'));
    assert.throws(() => e.handleSocketProbe(bad, T0), kind('invalid_argument'));
  }
  assert.equal(e.counters().requests.stats, 0, 'nothing was registered');
  e.free();
});

test("new PulseEngine({seed: '1'}) throws instead of coercing; bad options are named", () => {
  assert.throws(() => new PulseEngine({ seed: '1' }), (err) => kind('invalid_argument')(err) && /seed/.test(err.message));
  assert.throws(() => new PulseEngine({ timeZone: 5 }), (err) => kind('invalid_argument')(err) && /timeZone/.test(err.message));
  assert.throws(() => new PulseEngine(42), (err) => kind('invalid_argument')(err) && /options/.test(err.message));
  // Absent, undefined and null options are the defaults.
  for (const options of [undefined, null, {}]) {
    new PulseEngine(options).free();
  }
});

test('hostile values where the engine wants objects, ids or seqs are kinded errors, not TypeErrors', () => {
  const e = new PulseEngine(null);
  const bad = (fn, k = 'invalid_argument') => assert.throws(fn, kind(k), fn.toString());
  bad(() => e.handleRpcResponse(1, null, T0));
  bad(() => e.handleRpcResponse(1, 'x', T0));
  bad(() => e.handleRpcResponse(1, { error: 'boom' }, T0));
  bad(() => e.handleRpcResponse(1, { error: { message: 5 } }, T0));
  bad(() => e.handleRpcResponse(-1, { data: [] }, T0));
  bad(() => e.handleRpcResponse(1.5, { data: [] }, T0));
  bad(() => e.handleRpcResponse(Symbol('id'), { data: [] }, T0));
  bad(() => e.handleRpcResponse(1n, { data: [] }, T0));
  bad(() => e.handleOverlayResponse(1, null, T0));
  bad(() => e.handleOverlayResponse(1, { body: 5 }, T0));
  bad(() => e.handleOverlayResponse(1, { error: {} }, T0));
  bad(() => e.handlePayload(SITE, { table: 'calls' }, 1, T0));
  bad(() => e.handlePayload(SITE, '{}', -1, T0));
  bad(() => e.handlePayload(SITE, '{}', 0.5, T0));
  bad(() => e.registerStats(SITE, null, false, T0));
  bad(() => e.registerStats(SITE, 'yesterday', false, T0));
  bad(() => e.registerStats(SITE, 'today', false, T0, 'seed'));
  bad(() => e.handleChannelStatus(SITE, 5, undefined, T0));
  bad(() => e.handleChannelStatus(SITE, 'ERROR', 5, T0));
  bad(() => e.setPolicy('max', T0));
  bad(() => e.handlePayloadObject(SITE, {}, -1, T0));
  bad(() => e.handlePayloadObject(SITE, {}, 0.5, T0));
  bad(() => e.handlePayloadObject(5, {}, 1, T0));
  bad(() => e.handlePayloadObject(SITE, {}, 1, Symbol('now')), 'invalid_instant');
  bad(() => e.handlePayloadObject(SITE, {}, 1, '5'), 'invalid_instant');
  bad(() => e.handleSocketProbe('true', T0));
  e.free();
});

test("createServerSnapshot(t, 'UTC', null) is the no-stats snapshot; bad stats entries are named", () => {
  const s = createServerSnapshot(T0, 'UTC', null);
  assert.deepEqual(s.stats, {});
  assert.equal(s.timeZone, 'UTC');
  assert.equal(createServerSnapshot(T0, null).timeZone, 'Europe/Istanbul');
  assert.throws(() => createServerSnapshot(T0, 'UTC', 'stats'), kind('invalid_argument'));
  assert.throws(() => createServerSnapshot(T0, 'UTC', [null]), kind('invalid_argument'));
  assert.throws(() => createServerSnapshot(T0, 'UTC', [{ siteId: SITE, adsOnly: 'no', raw: null }]), kind('invalid_argument'));
});

test('after free(), every engine method throws kind disposed; free() twice is harmless', () => {
  const e = new PulseEngine({ seed: 1 });
  e.free();
  e.free();
  const calls = [
    () => e.registerRealtime(SITE, false, true, T0), () => e.registerStats(SITE, 'today', false, T0), () => e.registerRelativeTime(T0, T0),
    () => e.unregister(1, T0), () => e.handleTimeout(T0), () => e.handleRpcResponse(1, { data: [] }, T0),
    () => e.handleOverlayResponse(1, { body: '{}' }, T0), () => e.handlePayload(SITE, '{}', 1, T0),
    () => e.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, T0), () => e.handleSocketProbe(true, T0), () => e.setVisible(true, T0),
    () => e.setOnline(true, T0), () => e.refetch(1, T0), () => e.reconnect(1, T0), () => e.setPolicy('db-truth', T0),
    () => e.drainCommands(), () => e.pollTimeout(), () => e.version(1), () => e.snapshot(1), () => e.counters(), () => e.log(), () => e.debug(),
    () => e.handlePayloadObject(SITE, {}, 1, T0), () => e.drainCommandBatch(), () => e.takeBatchCommands(), () => e.takeChangedVersions(),
  ];
  for (const c of calls) assert.throws(c, kind('disposed'), c.toString());
});

test('after dispose(), registering throws kind disposed; unregister/refetch/reconnect stay no-ops (React unmount order)', async () => {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  const driver = new PulseDriver({ ...backend, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1 });
  driver.start();
  const h = driver.registerStats(SITE, 'today', false);
  await settle();
  driver.dispose();
  driver.dispose();
  assert.throws(() => driver.registerRealtime(SITE, false), kind('disposed'));
  assert.throws(() => driver.registerStats(SITE, 'today', false), kind('disposed'));
  assert.throws(() => driver.registerRelativeTime(T0), kind('disposed'));
  driver.unregister(h);
  driver.refetch(h);
  driver.reconnect(h);
  driver.setPolicy('legacy-max');
  driver.start();
  // Arguments are still checked: a bad handle is a programming error whatever the state.
  assert.throws(() => driver.unregister(1.9), kind('invalid_argument'));
  assert.throws(() => driver.engine.counters(), kind('disposed'));
});

test('the driver and the store validate their arguments too', () => {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  assert.throws(() => new PulseDriver(null), kind('invalid_argument'));
  assert.throws(() => new PulseDriver({ ...backend, rpc: null }), (err) => kind('invalid_argument')(err) && /rpc/.test(err.message));
  assert.throws(() => new PulseDriver({ ...backend, onError: 'log' }), (err) => kind('invalid_argument')(err) && /onError/.test(err.message));
  const driver = new PulseDriver({ ...backend, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1 });
  assert.throws(() => driver.registerRealtime(SITE, 'true'), kind('invalid_argument'));
  assert.throws(() => driver.registerRealtime(SITE, false, 'callbacks'), kind('invalid_argument'));
  assert.throws(() => driver.refetch(Symbol('h')), kind('invalid_argument'));
  driver.dispose();
  const store = new PulseStore();
  assert.throws(() => store.subscribe(1, 'listener'), kind('invalid_argument'));
  assert.throws(() => store.get(1.5), kind('invalid_argument'));
  assert.throws(() => manualFlag('true'), kind('invalid_argument'));
});
