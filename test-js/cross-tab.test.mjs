// Several tabs of one origin, each with its own PulseDriver, over the
// in-memory lock/broadcast fabric, one counting backend and one simulated
// clock: the goals of cross-tab coordination, measured deterministically.
// Requests and connections are counted at the backend, callbacks per tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'opsmantik-pulse/node'; // instantiates the wasm for this process
import { PulseDriver, manualFlag } from 'opsmantik-pulse/react';
import { SITE, fakeBackend, fakeClock, fakeTimers, settle } from './helpers/fakes.mjs';
import { tabFabric } from './helpers/tab-fabric.mjs';

const T0 = Date.UTC(2026, 1, 2, 9);
const MINUTES = 10;

/** A backend that also answers the catch-up replay from the calls it has stored. */
function backendWithCalls() {
  const backend = fakeBackend();
  const created = [];
  const rpc = backend.rpc.rpc;
  backend.rpc.rpc = async (name, params) => {
    if (name === 'get_recent_intents_v2' && params.p_limit > 1) {
      backend.calls.push({ name: 'replay', params });
      const from = Date.parse(params.p_date_from), to = Date.parse(params.p_date_to);
      return { data: created.filter((r) => Date.parse(r.created_at) >= from && Date.parse(r.created_at) < to).reverse(), error: null };
    }
    return rpc(name, params);
  };
  backend.created = created;
  backend.open = () => backend.channels.filter((c) => !c.closed);
  return backend;
}

/**
 * Opens `visible.length` tabs (in that order) showing the dashboard page: two
 * realtime hooks (all traffic, ads only) and one stats hook of one site.
 * `crossTab: false` is today's behaviour, the baseline.
 */
async function openTabs(visible, { crossTab = true, backend = backendWithCalls() } = {}) {
  const clock = fakeClock(T0);
  const timers = fakeTimers(clock);
  const fabric = tabFabric();
  const errors = [];
  const tabs = [];
  for (let i = 0; i < visible.length; i++) {
    const fabricTab = fabric.tab(`t${i}`);
    const visibility = manualFlag(visible[i]);
    const seen = { created: [], fresh: 0 };
    const onError = (e) => { if (!fabricTab.closed) errors.push(e); };
    const driver = new PulseDriver({
      rpc: backend.rpc, overlay: backend.overlay, realtime: backend.realtime, clock, timers, visibility, online: manualFlag(true),
      seed: i + 1, replay: true, onError, crossTab: crossTab ? { environment: fabricTab.environment, tabId: `t${i}` } : false,
    });
    driver.start();
    driver.registerRealtime(SITE, false, () => ({ onCallCreated: (r) => seen.created.push(r.id), onDataFreshness: () => seen.fresh++ }));
    driver.registerRealtime(SITE, true, () => ({}));
    const stats = driver.registerStats(SITE, 'today', false);
    tabs.push({ driver, fabricTab, visibility, seen, stats });
    await settle(10);
  }
  await settle(10);
  return { clock, timers, fabric, backend, tabs, errors };
}

const row = (id, at) => ({ id, site_id: SITE, status: 'answered', created_at: new Date(at).toISOString() });
const insert = (r) => ({ schema: 'public', table: 'calls', commit_timestamp: r.created_at, eventType: 'INSERT', new: r, old: {}, errors: null });

/**
 * Lets `minutes` pass a second at a time; every `every` seconds a call is
 * created and, if a channel is open at the backend, reported on it.
 * `during(second)` runs before each step (closing a tab, hiding one).
 */
async function traffic(page, { minutes = MINUTES, every = 20, during } = {}) {
  const { timers, clock, backend } = page;
  let n = 0;
  let maxOpen = 0;
  for (let s = 1; s <= minutes * 60; s++) {
    if (during) await during(s);
    timers.advanceBy(1_000);
    if (s % every === 0) {
      const r = row(`call-${++n}`, clock.t);
      backend.created.push(r);
      for (const c of backend.open()) c.handlers.onPayload(insert(r));
    }
    await settle(6);
    maxOpen = Math.max(maxOpen, backend.open().length);
  }
  return { created: backend.created.map((r) => r.id), maxOpen };
}

const requests = (backend) => backend.calls.length;
const dispose = (page) => { for (const t of page.tabs) t.driver.dispose(); };

/** What one tab alone (today's behaviour) sends under the same traffic. */
async function oneTabRequests() {
  const one = await openTabs([true], { crossTab: false });
  await traffic(one);
  dispose(one);
  return requests(one.backend);
}

test('3 visible tabs: one realtime connection, requests within 1.15x of one tab, every tab sees every call once', async () => {
  const base = await oneTabRequests();

  const three = await openTabs([true, true, true]);
  const { created, maxOpen } = await traffic(three);
  const total = requests(three.backend);
  console.log(`# 3 visible tabs: ${total} requests vs ${base} for one tab (${(total / base).toFixed(3)}x), max ${maxOpen} connection(s), shared ${JSON.stringify(three.tabs[0].driver.crossTab.info().shared)}`);
  assert.ok(base > 10, `the baseline does work (${base})`);
  assert.ok(total <= 1.15 * base, `${total} requests <= 1.15 x ${base}`);
  assert.equal(maxOpen, 1);
  assert.equal(three.backend.channels.length, 1, 'opened once');
  for (const t of three.tabs) assert.deepEqual(t.seen.created, created, `${t.driver.crossTab.tabId} saw every call once, in order`);
  const roles = three.tabs.map((t) => t.driver.crossTab.role);
  assert.deepEqual(roles, ['leader', 'follower', 'follower']);
  // Every tab shows the same stats, from its own engine.
  const shown = three.tabs.map((t) => t.driver.store.get(t.stats)?.stats?.sealed);
  assert.deepEqual(shown, [3, 3, 3]);
  assert.deepEqual(three.errors, []);
  dispose(three);
});

test('1 visible + 2 hidden: the visible tab leads (a hidden leader hands over), one connection, requests within 1.15x', async () => {
  const base = await oneTabRequests();
  // The first tab gets the lock while hidden; it hands leadership to the visible one.
  const page = await openTabs([false, true, false]);
  assert.deepEqual(page.tabs.map((t) => t.driver.crossTab.role), ['follower', 'leader', 'follower']);
  const { created, maxOpen } = await traffic(page);
  const total = requests(page.backend);
  console.log(`# 1 visible + 2 hidden: ${total} requests vs ${base} (${(total / base).toFixed(3)}x), max ${maxOpen} connection(s) open, ${page.backend.channels.length} opened`);
  assert.ok(total <= 1.15 * base, `${total} <= 1.15 x ${base}`);
  assert.equal(maxOpen, 1);
  for (const t of page.tabs) assert.deepEqual(t.seen.created, created);
  dispose(page);
});

test('every tab hidden: not one request in 10 minutes of traffic', async () => {
  const page = await openTabs([false, false, false]);
  await traffic(page);
  assert.equal(requests(page.backend), 0);
  assert.ok(page.backend.open().length <= 1);
  // One becomes visible: it leads, and requests flow again (through it).
  page.tabs[2].visibility.set(true);
  await settle(10);
  page.timers.advanceBy(1_000);
  await settle(10);
  assert.equal(page.tabs[2].driver.crossTab.role, 'leader');
  assert.ok(requests(page.backend) > 0);
  dispose(page);
});

test('the leader closed at random moments under traffic: a new connection at once, 0 missed, 0 duplicated callbacks', async () => {
  // Deterministic "random" crash seconds (a seeded LCG), mid-traffic.
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647);
  for (let round = 0; round < 4; round++) {
    const crashAt = 60 + (next() % 300);
    const page = await openTabs([true, true, true]);
    let crashedAtMs;
    let reopenedAfterMs;
    const during = async (s) => {
      if (s === crashAt) {
        // A call reaches the leader's channel and the tab dies in the same task,
        // before its broadcast left: only the catch-up can deliver it.
        const r = row(`lost-${round}`, page.clock.t);
        page.backend.created.push(r);
        for (const c of page.backend.open()) c.handlers.onPayload(insert(r));
        const leader = page.tabs.find((t) => t.driver.crossTab.role === 'leader');
        const opened = page.backend.channels.length;
        crashedAtMs = page.clock.t;
        leader.fabricTab.close(); // locks released, channel gone, as a crashed tab
        leader.driver.dispose(); // its socket drops with it
        leader.crashed = true;
        // A call created while no tab listens.
        const gap = row(`gap-${round}`, page.clock.t);
        page.backend.created.push(gap);
        await settle(10);
        if (page.backend.channels.length > opened) reopenedAfterMs = page.clock.t - crashedAtMs;
      }
    };
    await traffic(page, { minutes: 7, during });
    const created = page.backend.created.map((r) => r.id).sort();
    const survivors = page.tabs.filter((t) => !t.crashed);
    assert.equal(survivors.length, 2);
    assert.ok(reopenedAfterMs !== undefined && reopenedAfterMs <= 1_000, `round ${round}: new connection ${reopenedAfterMs} ms after the crash`);
    assert.equal(page.backend.open().length, 1, 'one connection after the handover');
    for (const t of survivors) {
      const seen = [...t.seen.created].sort();
      assert.deepEqual(seen, created, `round ${round} ${t.driver.crossTab.tabId}: every call once (crash at ${crashAt}s)`);
    }
    console.log(`# crash round ${round} at ${crashAt}s: new connection after ${reopenedAfterMs} ms (simulated), ${created.length} calls, 0 missed, 0 duplicated in ${survivors.length} tabs`);
    assert.deepEqual(page.errors, []);
    dispose(page);
  }
});

test("a follower's refetch and reconnect go through the leader", async () => {
  const page = await openTabs([true, true]);
  const [leader, follower] = page.tabs;
  const stats = () => page.backend.count('get_command_center_p0_stats_v2');
  const before = stats();
  follower.driver.refetch(follower.stats);
  await settle(10);
  assert.equal(stats(), before + 1, 'the refetch reached the backend once, through the leader');
  assert.equal(follower.driver.crossTab.info().messages.sent.req > 0, true);
  // The leader's channel fails; the follower's reconnect makes the leader reopen it.
  const opened = page.backend.channels.length;
  page.backend.open()[0].handlers.onStatus('CHANNEL_ERROR');
  await settle(10);
  const realtimeHandle = 1;
  follower.driver.reconnect(realtimeHandle);
  await settle(10);
  assert.equal(page.backend.channels.length, opened + 1, 'reopened once');
  assert.equal(page.backend.open().length, 1);
  assert.equal(follower.driver.store.get(realtimeHandle).connectionStatus, 'SUBSCRIBED');
  assert.equal(leader.driver.store.get(realtimeHandle).connectionStatus, 'SUBSCRIBED');
  dispose(page);
});

test('foreign and other-version messages are dropped and counted; a tab of another version runs alone', async () => {
  const page = await openTabs([true, true]);
  page.fabric.inject('opsmantik-pulse/default', { p: 'opsmantik-pulse', v: 99, t: 'leader', from: 'old' });
  page.fabric.inject('opsmantik-pulse/default', { p: 'opsmantik-pulse', v: 1, t: 'payload', from: 't0' }); // no site, no text
  page.fabric.inject('opsmantik-pulse/default', 'noise');
  await settle(10);
  for (const t of page.tabs) assert.deepEqual(t.driver.crossTab.info().messages.dropped, { foreign: 1, version: 1, malformed: 1, oversized: 0 });
  assert.deepEqual(page.tabs.map((t) => t.driver.crossTab.role), ['leader', 'follower']);
  dispose(page);
});

test('devtools facts: role, peers and message counts', async () => {
  const page = await openTabs([true, true, true]);
  const info = page.tabs[0].driver.crossTab.info();
  assert.equal(info.role, 'leader');
  assert.deepEqual(info.peers.map((p) => p.tabId).sort(), ['t1', 't2']);
  assert.ok(info.messages.sent.payload === undefined || info.messages.sent.payload >= 0);
  assert.ok(info.messages.received.hello >= 2);
  assert.deepEqual(info.realChannels, [SITE]);
  assert.equal(page.tabs[1].driver.crossTab.info().leader, 't0');
  dispose(page);
});

test('crossTab: false runs alone even with an environment around', async () => {
  const page = await openTabs([true, true], { crossTab: false });
  assert.equal(page.tabs[0].driver.crossTab, undefined);
  assert.equal(page.backend.open().length, 2);
  dispose(page);
});
