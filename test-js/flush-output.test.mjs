// The driver's flush reads the engine through one call (src/engine/flush_output.rs):
// the deadline, the changed snapshots (a realtime one inline as numbers) and the
// command batch. These tests hold it to that, and to what the old drain loop did:
// what a callback queues is carried out in the same flush, and every snapshot
// published is the engine's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PulseDriver, manualFlag } from 'opsmantik-pulse/node';
import { fakeBackend, fakeClock, fakeTimers, settle, SITE } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);

const call = (id) => ({
  eventType: 'INSERT', table: 'calls', schema: 'public', commit_timestamp: '2026-02-02T09:00:00Z',
  new: { id, site_id: SITE, status: 'intent' }, old: {},
});

/** A driver with one realtime registration whose channel is SUBSCRIBED; `callbacks` run for its rows. */
async function subscribed(callbacks) {
  const backend = fakeBackend();
  const clock = fakeClock(T0);
  const driver = new PulseDriver({ ...backend, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 5, onError: (e) => { throw e; } });
  driver.start();
  const handle = driver.registerRealtime(SITE, false, () => callbacks);
  await settle();
  const channel = backend.channels.at(-1);
  assert.ok(channel, 'the driver subscribed');
  return { backend, driver, handle, channel };
}

test('a flush whose callbacks leave the engine alone is one call into the core', async () => {
  const rows = [];
  const { driver, channel } = await subscribed({ onCallCreated: (row) => rows.push(row.id) });
  channel.handlers.onPayload(call('c-1'));
  const before = driver.engine.calls; // the payload's own calls are behind us; the flush is queued
  await Promise.resolve();
  assert.deepEqual(rows, ['c-1'], 'the callback fired in that flush');
  assert.equal(driver.engine.calls - before, 1, 'one flushOutput: no second drain, no changed-versions, snapshot or deadline call');
  driver.dispose();
});

test('what a callback queues is carried out in the same flush', async () => {
  let handle = 0;
  const { driver, channel } = await subscribed({ onCallCreated: () => driver.unregister(handle) });
  handle = driver.store.handles()[0] ?? 0;
  assert.ok(handle > 0);
  channel.handlers.onPayload(call('c-2'));
  await Promise.resolve();
  assert.equal(channel.closed, true, "the last registration left: its channel's unsubscribe ran in the callback's flush");
  driver.dispose();
});

test('each published snapshot is the one the engine reports, read inline or asked for', async () => {
  const { driver, handle, channel } = await subscribed({ onCallCreated: () => {} });
  const stats = driver.registerStats(SITE, 'today', false);
  await settle();
  for (let i = 0; i < 5; i++) {
    channel.handlers.onPayload(call(`c-${i}`));
    await Promise.resolve();
    assert.deepEqual(driver.store.get(handle), driver.engine.snapshot(handle));
    assert.equal(driver.store.version(handle), driver.engine.version(handle));
  }
  await settle();
  assert.deepEqual(driver.store.get(stats), driver.engine.snapshot(stats), 'a stats snapshot (no numbers inline) is asked for');
  assert.equal(driver.store.get(handle)?.eventCount, 5);
  driver.dispose();
});
