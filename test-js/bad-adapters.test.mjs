// The driver against adapters that break their contract: garbage results,
// throwing getters, synchronous throws, dispose() from inside callbacks. Each
// fault must become an error state on the right handle, call onError once,
// and never surface as an unhandled rejection (fatal in Node) or a throw
// into the adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PulseDriver, manualFlag } from 'opsmantik-pulse/node';
import { wasmMemoryBytes } from 'opsmantik-pulse/node';
import { fakeBackend, fakeClock, fakeTimers, settle, SITE } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);
const RANGE = { fromMs: T0 - 86_400_000, toMs: T0 };

let unhandled = 0;
process.on('unhandledRejection', () => unhandled++);

function driverWith(adapters) {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const errors = [];
  const driver = new PulseDriver({
    ...fakeBackend(), ...adapters, clock, timers, visibility: manualFlag(true), online: manualFlag(true), seed: 3,
    onError: (err) => errors.push(err),
  });
  driver.start();
  return { driver, errors, clock, timers };
}

const throwingGetter = (key) => Object.defineProperty({}, key, { get() { throw new Error(`${key} getter`); }, enumerable: true });
const unreadableError = () => { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('message getter'); } }); return e; };

const RPC_GARBAGE = {
  'resolves undefined': () => Promise.resolve(undefined),
  'resolves null': () => Promise.resolve(null),
  'resolves a number': () => Promise.resolve(42),
  'resolves a string': () => Promise.resolve('{"data": []}'),
  'resolves {data, error} with a string error': () => Promise.resolve({ data: null, error: 'boom' }),
  'resolves an error whose message is a number': () => Promise.resolve({ data: null, error: { message: 500 } }),
  'resolves an error whose message getter throws': () => Promise.resolve({ data: null, error: throwingGetter('message') }),
  'resolves an object whose error getter throws': () => Promise.resolve(throwingGetter('error')),
  'rejects with an error whose message getter throws': () => Promise.reject(unreadableError()),
  'rejects with an object whose toString throws': () => Promise.reject({ toString() { throw new Error('no'); } }),
  'throws synchronously': () => { throw new Error('sync throw'); },
  'returns undefined instead of a promise': () => undefined,
};

for (const [name, rpc] of Object.entries(RPC_GARBAGE)) {
  test(`an RPC adapter that ${name}: the stats request fails with a message, onError once, no unhandled rejection`, async () => {
    unhandled = 0;
    const { driver, errors } = driverWith({ rpc: { rpc } });
    const h = driver.registerStats(SITE, RANGE, false);
    await settle(10);
    const snap = driver.store.get(h);
    assert.ok(snap, 'the handle has a snapshot');
    assert.equal(typeof snap.error, 'string', `error state, got ${JSON.stringify(snap)}`);
    assert.ok(snap.error.length > 0 && snap.error.length <= 512);
    assert.equal(snap.loading, false, 'not loading until the timeout');
    assert.equal(errors.length, 1, `onError once, got ${errors.length}`);
    assert.ok(errors[0] instanceof Error);
    assert.equal(unhandled, 0, 'no unhandled rejection');
    driver.dispose();
  });
}

test('a well-formed RPC error is an error state but not an adapter fault (onError stays quiet)', async () => {
  unhandled = 0;
  const { driver, errors } = driverWith({ rpc: { rpc: async () => ({ data: null, error: { message: 'HTTP 500', code: '500' } }) } });
  const h = driver.registerStats(SITE, RANGE, false);
  await settle(10);
  assert.equal(driver.store.get(h).error, 'HTTP 500');
  assert.equal(errors.length, 0);
  assert.equal(unhandled, 0);
  driver.dispose();
});

for (const [name, body] of Object.entries({ 'a number': 5, undefined, 'an object': { captured: 1 }, null: null })) {
  test(`an overlay adapter that resolves ${name}: onError once, polling goes on, no unhandled rejection`, async () => {
    unhandled = 0;
    let polls = 0;
    const { driver, errors, timers } = driverWith({ overlay: { fetchOverlay: async () => { polls++; return body; } } });
    const h = driver.registerStats(SITE, 'today', false);
    await settle(10);
    assert.equal(errors.length, 1, `onError once, got ${errors.length}`);
    assert.match(String(driver.store.get(h).provenance?.error ?? errors[0].message), /overlay/);
    timers.advanceBy(60_000);
    await settle(10);
    assert.ok(polls >= 2, 'the poll backs off and retries');
    assert.equal(unhandled, 0);
    driver.dispose();
  });
}

test('realtime garbage: non-payloads, non-string statuses and messages are faults, never throws into the adapter', async () => {
  unhandled = 0;
  let handlers;
  const { driver, errors } = driverWith({ realtime: { subscribe(_s, _c, h) { handlers = h; return () => {}; } } });
  const h = driver.registerRealtime(SITE, false, () => ({}));
  handlers.onStatus('SUBSCRIBED');
  const faults = [
    () => handlers.onPayload(5), () => handlers.onPayload(undefined), () => handlers.onPayload(Symbol('p')), () => handlers.onPayload(10n),
    () => handlers.onStatus(42), () => handlers.onStatus('CHANNEL_ERROR', { message: 'x' }), () => handlers.onStatus(throwingGetter('x')),
  ];
  for (const [i, fault] of faults.entries()) {
    assert.doesNotThrow(fault, `fault ${i}`);
    assert.equal(errors.length, i + 1, `onError once for fault ${i}`);
  }
  assert.ok(driver.engine.counters().dropped.payloads.malformed >= 4, 'non-payloads are counted as malformed');
  assert.match(driver.store.get(h).error, /Connection error/);
  await settle();
  assert.equal(unhandled, 0);
  driver.dispose();
});

test('a realtime adapter whose subscribe throws: onError once and the handle shows a connection error', async () => {
  const { driver, errors } = driverWith({ realtime: { subscribe() { throw new Error('socket refused'); } } });
  const h = driver.registerRealtime(SITE, false, () => ({}));
  await settle();
  assert.equal(errors.length, 1);
  assert.equal(typeof driver.store.get(h).error, 'string');
  assert.notEqual(driver.store.get(h).connectionStatus, 'STARTING');
  driver.dispose();
});

test('dispose() from inside a callback, a store listener and onError is safe', async () => {
  unhandled = 0;
  let handlers;
  const { driver, errors } = driverWith({ realtime: { subscribe(_s, _c, h) { handlers = h; return () => {}; } } });
  driver.registerRealtime(SITE, false, () => ({ onCallCreated: () => driver.dispose(), onDataFreshness: () => driver.dispose() }));
  handlers.onStatus('SUBSCRIBED');
  assert.doesNotThrow(() => handlers.onPayload({ table: 'calls', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c1', site_id: SITE } }));
  assert.equal(driver.disposed, true);
  assert.doesNotThrow(() => handlers.onPayload({ table: 'calls', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c2', site_id: SITE } }));
  assert.doesNotThrow(() => handlers.onStatus('CLOSED'));
  assert.deepEqual(errors, []);

  const second = driverWith({});
  const h = second.driver.registerStats(SITE, RANGE, false);
  second.driver.store.subscribe(h, () => second.driver.dispose());
  await settle(10);
  assert.equal(second.driver.disposed, true);
  assert.deepEqual(second.errors, []);

  const thirdErrors = [];
  const clock = fakeClock(T0);
  const third = new PulseDriver({
    ...fakeBackend(), rpc: { rpc: async () => undefined }, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true),
    onError: (e) => { thirdErrors.push(e); third.dispose(); },
  });
  third.start();
  third.registerStats(SITE, RANGE, false);
  await settle(10);
  assert.equal(third.disposed, true);
  assert.equal(thirdErrors.length, 1);
  assert.equal(unhandled, 0);
});

test('dispose() from inside the adapter’s subscribe closes that channel; twice is harmless', async () => {
  unhandled = 0;
  const closed = [];
  let driver;
  ({ driver } = driverWith({ realtime: { subscribe(site) { driver.dispose(); return () => closed.push(site); } } }));
  assert.doesNotThrow(() => driver.registerRealtime(SITE, false, () => ({})));
  assert.equal(driver.disposed, true);
  assert.deepEqual(closed, [SITE], 'the channel opened during dispose is closed, not leaked');
  driver.dispose();
  await settle();
  assert.equal(unhandled, 0);
});

test('a 32 MiB error message is cut to 512 bytes before it reaches the engine; wasm memory does not grow', async () => {
  unhandled = 0;
  const huge = 'é'.repeat(16 << 20);
  const { driver, errors } = driverWith({ rpc: { rpc: async () => ({ data: null, error: { message: huge } }) }, realtime: { subscribe() { throw new Error(huge); } } });
  const before = wasmMemoryBytes();
  const h = driver.registerStats(SITE, RANGE, false);
  const r = driver.registerRealtime(SITE, false);
  await settle(10);
  const message = driver.store.get(h).error;
  assert.ok(Buffer.byteLength(message) <= 512, `${Buffer.byteLength(message)} bytes`);
  assert.ok(message.endsWith('…'));
  assert.ok(message.startsWith('éé'), 'cut on a character boundary');
  assert.ok(Buffer.byteLength(driver.store.get(r).error) <= 600);
  assert.ok(wasmMemoryBytes() - before < 1 << 20, `wasm memory grew by ${wasmMemoryBytes() - before}`);
  assert.ok(errors.length >= 1);
  assert.equal(unhandled, 0);
  driver.dispose();
});
