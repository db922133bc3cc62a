// The gap-free handoff through the driver: calls created while realtime was
// not reporting (between the server render and SUBSCRIBED, during a
// reconnect) reach the callbacks exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);
const row = (id, at) => ({ id, site_id: SITE, status: 'answered', created_at: new Date(at).toISOString() });
const live = (r, stamp) => ({ schema: 'public', table: 'calls', commit_timestamp: stamp, eventType: 'INSERT', new: r, old: {}, errors: null });

function setup({ replay }) {
  const clock = fakeClock(T0);
  const backend = fakeBackend();
  const replayed = [];
  const rpc = backend.rpc.rpc;
  // The server's recent intents: what was created in the asked range, newest first.
  const created = [];
  backend.rpc.rpc = async (name, params) => {
    if (name === 'get_recent_intents_v2' && params.p_limit > 1) {
      replayed.push(params);
      const from = Date.parse(params.p_date_from), to = Date.parse(params.p_date_to);
      return { data: created.filter((r) => Date.parse(r.created_at) >= from && Date.parse(r.created_at) < to).reverse(), error: null };
    }
    return rpc(name, params);
  };
  const driver = new PulseDriver({ rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers: fakeTimers(clock), visibility: manualFlag(true), online: manualFlag(true), seed: 1, replay, dataAsOfMs: T0 - 2_000 });
  const seen = { calls: [], fresh: 0 };
  driver.start();
  driver.registerRealtime(SITE, false, () => ({ onCallCreated: (r) => seen.calls.push(r.id), onDataFreshness: () => seen.fresh++ }));
  return { clock, backend, driver, seen, created, replayed };
}

test('replay: calls created between the server render and SUBSCRIBED fire onCallCreated once, oldest first', async () => {
  const { backend, driver, seen, created, replayed } = setup({ replay: true });
  created.push(row('before-render', T0 - 60_000), row('gap-1', T0 - 1_500), row('gap-2', T0 - 500));
  await settle(); // SUBSCRIBED arrives (a microtask in the fake), the catch-up replay goes out and is answered
  assert.equal(replayed.length, 1);
  assert.equal(replayed[0].p_date_from, new Date(T0 - 2_000 - 5_000).toISOString(), 'from the server render, minus the margin');
  assert.deepEqual(seen.calls, ['gap-1', 'gap-2']);
  // The same calls also arrive live (another commit timestamp): no second callback.
  backend.channels[0].handlers.onPayload(live(row('gap-2', T0 - 500), '2026-02-02T09:00:00.123456+00:00'));
  backend.channels[0].handlers.onPayload(live(row('after', T0 + 100), '2026-02-02T09:00:00.200000+00:00'));
  await settle();
  assert.deepEqual(seen.calls, ['gap-1', 'gap-2', 'after']);
  driver.dispose();
});

test('replay: a reconnect replays what was created while the channel was down', async () => {
  const { clock, backend, driver, seen, created } = setup({ replay: true });
  await settle();
  clock.t = T0 + 60_000;
  backend.channels[0].handlers.onStatus('CHANNEL_ERROR');
  created.push(row('while-down', T0 + 61_000));
  clock.t = T0 + 63_000;
  backend.channels[backend.channels.length - 1].handlers.onStatus('SUBSCRIBED');
  await settle();
  assert.deepEqual(seen.calls, ['while-down']);
  driver.dispose();
});

test('no replay source: SUBSCRIBED after a gap fires onDataFreshness once, so the app refetches its lists', async () => {
  const { clock, backend, driver, seen, replayed } = setup({ replay: false });
  await settle();
  assert.equal(seen.fresh, 1);
  assert.equal(replayed.length, 0);
  clock.t = T0 + 60_000;
  backend.channels[0].handlers.onStatus('TIMED_OUT');
  backend.channels[0].handlers.onStatus('SUBSCRIBED');
  await settle();
  assert.equal(seen.fresh, 2);
  driver.dispose();
});
