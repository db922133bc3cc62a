// Channels opened before the wasm is there (issue 14, live sooner): the
// provider opens a realtime hook's channel at hydration through the app's
// adapter and keeps what arrives; the engine adopts that channel when it
// subscribes, gets what was kept in order, and nothing is opened twice, lost
// or kept without a bound.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installDom } from './helpers/dom.mjs';
import { fakeBackend, settle, SITE } from './helpers/fakes.mjs';

installDom();
const React = await import('react');
const { act } = React;
const { createRoot } = await import('react-dom/client');
const { PulseProvider, useRealtimeDashboard, initSync, RealtimePreconnect, realtimeChannelName, PRECONNECT_ADOPT_GRACE_MS, PRECONNECT_MAX_EVENTS, PRECONNECT_MAX_SITES, PRECONNECT_UNUSED_MS } = await import('../dist/react.js').then(async (react) => ({ ...react, ...(await import('../dist/index.js')) }));
const h = React.createElement;
const wasm = readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url));

/** An adapter that records every subscribe and lets the test push statuses and payloads. */
function manualAdapter() {
  const opened = [];
  return {
    opened,
    subscribe(siteId, channel, handlers) {
      const entry = { siteId, channel, handlers, closed: false };
      opened.push(entry);
      return () => {
        entry.closed = true;
      };
    },
  };
}

const call = (id) => ({ schema: 'public', table: 'calls', commit_timestamp: '2026-02-02T09:00:00.000000Z', eventType: 'INSERT', new: { id, site_id: SITE }, old: {}, errors: null });

test('an open channel is adopted: one subscribe, what was kept first and in order, then the live feed', async () => {
  const inner = manualAdapter();
  const early = new RealtimePreconnect(inner);
  early.open(SITE);
  early.open(SITE); // a second hook for the same site
  assert.equal(inner.opened.length, 1);
  assert.equal(inner.opened[0].channel, realtimeChannelName(SITE));
  const feed = inner.opened[0].handlers;
  feed.onStatus('SUBSCRIBED');
  feed.onPayload(call('a'));
  feed.onPayload(call('b'));
  const seen = [];
  const close = early.subscribe(SITE, realtimeChannelName(SITE), {
    onStatus: (s) => seen.push(s),
    onPayload: (p) => seen.push(p.new.id),
  });
  assert.equal(inner.opened.length, 1, 'adopted, not opened again');
  assert.deepEqual(seen, [], 'handed over after subscribe returned');
  feed.onPayload(call('c')); // arrives before the hand-over: kept behind the others
  await settle(1);
  feed.onPayload(call('d'));
  assert.deepEqual(seen, ['SUBSCRIBED', 'a', 'b', 'c', 'd']);
  close();
  assert.equal(inner.opened[0].closed, true);
  feed.onPayload(call('e'));
  assert.deepEqual(seen, ['SUBSCRIBED', 'a', 'b', 'c', 'd'], 'nothing after close');
  // The engine reconnecting opens a fresh channel through the app's adapter.
  early.subscribe(SITE, realtimeChannelName(SITE), { onStatus() {}, onPayload() {} });
  assert.equal(inner.opened.length, 2);
  assert.deepEqual(early.counters(), { opened: 1, adopted: 1, closedUnused: 0, refusedTooMany: 0, failedToOpen: 0, overflowed: 0, droppedPayloads: 0 });
});

test('bounded: a full buffer closes the channel and counts what it held; too many sites are refused; unused ones close', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const inner = manualAdapter();
    const early = new RealtimePreconnect(inner);
    early.open(SITE);
    const feed = inner.opened[0].handlers;
    feed.onStatus('SUBSCRIBED');
    for (let i = 0; i < PRECONNECT_MAX_EVENTS; i++) feed.onPayload(call(`r${i}`));
    assert.equal(inner.opened[0].closed, true, 'closed when full');
    assert.equal(early.counters().overflowed, 1);
    assert.equal(early.counters().droppedPayloads, PRECONNECT_MAX_EVENTS - 1, 'every kept payload counted');
    const got = [];
    early.subscribe(SITE, realtimeChannelName(SITE), { onStatus: (s) => got.push(s), onPayload: () => got.push('p') });
    assert.equal(inner.opened.length, 2, 'the engine opens a fresh channel (and catches up on the gap)');
    await settle(1);
    assert.deepEqual(got, []);

    for (let i = 0; i < PRECONNECT_MAX_SITES + 3; i++) early.open(`site-${i}`);
    assert.equal(early.counters().refusedTooMany, 3);
    assert.equal(early.counters().opened, 1 + PRECONNECT_MAX_SITES);
    mock.timers.tick(PRECONNECT_UNUSED_MS);
    assert.equal(early.counters().closedUnused, PRECONNECT_MAX_SITES);
    assert.ok(inner.opened.slice(2).every((c) => c.closed), 'every unadopted channel closed');
  } finally {
    mock.timers.reset();
  }
});

test('a subscribe that throws or returns no close function is counted, and dispose closes only unadopted channels', () => {
  const early = new RealtimePreconnect({ subscribe: () => { throw new Error('no socket'); } });
  early.open(SITE);
  assert.equal(early.counters().failedToOpen, 1);
  const none = new RealtimePreconnect({ subscribe: () => undefined });
  none.open(SITE);
  assert.equal(none.counters().failedToOpen, 1);

  const inner = manualAdapter();
  const mixed = new RealtimePreconnect(inner);
  mixed.open('a');
  mixed.open('b');
  mixed.subscribe('a', realtimeChannelName('a'), { onStatus() {}, onPayload() {} });
  mixed.dispose();
  assert.deepEqual(inner.opened.map((c) => c.closed), [false, true], 'the adopted one belongs to the engine');
  mixed.open('c');
  assert.equal(inner.opened.length, 2, 'nothing opens after dispose');
});

test('once the engine runs, a channel it did not adopt within the grace closes (a follower tab never subscribes)', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const inner = manualAdapter();
    const early = new RealtimePreconnect(inner);
    early.open('a');
    early.open('b');
    early.engineStarted();
    early.subscribe('a', realtimeChannelName('a'), { onStatus() {}, onPayload() {} });
    mock.timers.tick(PRECONNECT_ADOPT_GRACE_MS - 1);
    assert.deepEqual(inner.opened.map((c) => c.closed), [false, false]);
    mock.timers.tick(1);
    assert.deepEqual(inner.opened.map((c) => c.closed), [false, true], "'b' closed, the adopted 'a' kept");
    assert.equal(early.counters().closedUnused, 1);
  } finally {
    mock.timers.reset();
  }
});

async function earlyChannelAdopted(hookSiteId) {
  const backend = fakeBackend();
  const inner = manualAdapter();
  let loaded;
  const wasmArrives = new Promise((resolve) => (loaded = resolve));
  const created = [];
  let state;
  function Live() {
    state = useRealtimeDashboard(hookSiteId, { onCallCreated: (row) => created.push(row.id) });
    return null;
  }
  const root = createRoot(document.getElementById('root'));
  await act(async () => {
    root.render(h(PulseProvider, { rpc: backend.rpc, overlay: backend.overlay, realtime: inner, crossTab: false, init: async () => { await wasmArrives; initSync(wasm); } }, h(Live)));
    await settle();
  });
  assert.equal(inner.opened.length, 1, 'opened before the wasm is there');
  assert.equal(inner.opened[0].channel, realtimeChannelName(SITE));
  assert.equal(state.connectionStatus, 'INIT');
  inner.opened[0].handlers.onStatus('SUBSCRIBED');
  inner.opened[0].handlers.onPayload(call('early-1'));
  await act(async () => {
    loaded();
    await settle(10);
  });
  assert.equal(inner.opened.length, 1, 'the engine adopted the open channel');
  assert.equal(state.connectionStatus, 'SUBSCRIBED');
  assert.deepEqual(created, ['early-1'], 'the payload that came before the engine reached the callback');
  inner.opened[0].handlers.onPayload(call('live-1'));
  await act(async () => settle(5));
  assert.deepEqual(created, ['early-1', 'live-1']);
  await act(async () => root.unmount());
  assert.equal(inner.opened[0].closed, true, 'closed with the provider');
}

test('PulseProvider: the channel opens while the wasm loads, the engine adopts it, and kept payloads reach the hook', () => earlyChannelAdopted(SITE));

test('PulseProvider: a hook given the UUID in upper case gets the channel the engine adopts (the engine spells it in lower case)', () => earlyChannelAdopted(SITE.toUpperCase()));

test('canonicalSiteId: a UUID in lower case, any other id unchanged', async () => {
  const { canonicalSiteId } = await import('../dist/site-id.js');
  assert.equal(canonicalSiteId('3F2B6C1E-9A4D-4C1E-8F00-00000000000A'), '3f2b6c1e-9a4d-4c1e-8f00-00000000000a');
  assert.equal(canonicalSiteId('Demo-Site'), 'Demo-Site');
  assert.equal(canonicalSiteId('3F2B6C1E-9A4D-4C1E-8F00-00000000000G'), '3F2B6C1E-9A4D-4C1E-8F00-00000000000G', 'not hex: not a UUID');
  assert.equal(canonicalSiteId('3F2B6C1E9A4D-4C1E-8F00-00000000000A0'), '3F2B6C1E9A4D-4C1E-8F00-00000000000A0', 'dashes elsewhere: not a UUID');
});

test('PulseProvider: a tab whose scope already has a leader opens nothing early (that tab talks for it)', async () => {
  const backend = fakeBackend();
  const inner = manualAdapter();
  const held = [{ name: 'opsmantik-pulse/v1/default/leader' }];
  const { leaderLockName, DEFAULT_SCOPE } = await import('../dist/cross-tab/names.js');
  held[0].name = leaderLockName(DEFAULT_SCOPE);
  const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { ...globalThis.navigator, locks: { query: async () => ({ held }), request: () => new Promise(() => {}) } } });
  try {
    function Live() {
      useRealtimeDashboard(SITE);
      return null;
    }
    const root = createRoot(document.getElementById('root'));
    await act(async () => {
      root.render(h(PulseProvider, { rpc: backend.rpc, overlay: backend.overlay, realtime: inner, init: () => new Promise(() => {}) }, h(Live)));
      await settle();
    });
    assert.equal(inner.opened.length, 0, 'led elsewhere: nothing opened');
    held.length = 0;
    const root2 = createRoot(document.body.appendChild(document.createElement('div')));
    await act(async () => {
      root2.render(h(PulseProvider, { rpc: backend.rpc, overlay: backend.overlay, realtime: inner, init: () => new Promise(() => {}) }, h(Live)));
      await settle();
    });
    assert.equal(inner.opened.length, 1, 'no leader yet: this tab opens it');
    await act(async () => {
      root.unmount();
      root2.unmount();
    });
    assert.equal(inner.opened[0].closed, true, 'unadopted and the provider gone: closed');
  } finally {
    if (navigatorBefore) Object.defineProperty(globalThis, 'navigator', navigatorBefore);
    else delete globalThis.navigator;
  }
});
