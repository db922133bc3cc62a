// The production adapters against fakes with the real shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { supabaseRealtimeAdapter, supabaseRpcAdapter, fetchOverlayAdapter, eventSourceRealtimeAdapter, relativeLabel, PulseEngine, PulseDriver, manualFlag } from 'opsmantik-pulse/node';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';

/** A RealtimeChannel-shaped fake: records `.on` bindings, lets the test emit payloads and statuses. */
function fakeSupabase() {
  const removed = [];
  const channels = [];
  return {
    removed,
    channels,
    channel(name) {
      const ch = {
        name, bindings: [], statusCb: null,
        on(type, filter, cb) { this.bindings.push({ type, filter, cb }); return this; },
        subscribe(cb) { this.statusCb = cb; return this; },
        emit(table, eventType, payload) {
          for (const b of this.bindings) if (b.filter.table === table && b.filter.event === eventType) b.cb(payload);
        },
      };
      channels.push(ch);
      return ch;
    },
    removeChannel(ch) { removed.push(ch.name); return Promise.resolve('ok'); },
  };
}

test('supabase realtime adapter: the original postgres_changes bindings, statuses, close', () => {
  const client = fakeSupabase();
  const got = [];
  const close = supabaseRealtimeAdapter(client).subscribe(SITE, `dashboard_updates:${SITE}`, {
    onPayload: (p) => got.push(['payload', p.table]),
    onStatus: (s, m) => got.push(['status', s, m]),
  });
  const ch = client.channels[0];
  assert.equal(ch.name, `dashboard_updates:${SITE}`);
  assert.deepEqual(ch.bindings.map((b) => [b.type, b.filter]), [
    ['postgres_changes', { event: 'INSERT', schema: 'public', table: 'calls', filter: `site_id=eq.${SITE}` }],
    ['postgres_changes', { event: 'UPDATE', schema: 'public', table: 'calls', filter: `site_id=eq.${SITE}` }],
    ['postgres_changes', { event: 'INSERT', schema: 'public', table: 'sessions', filter: `site_id=eq.${SITE}` }],
    ['postgres_changes', { event: 'INSERT', schema: 'public', table: 'events' }],
  ]);
  ch.statusCb('SUBSCRIBED');
  ch.statusCb('CHANNEL_ERROR', new Error('socket closed'));
  ch.emit('calls', 'INSERT', { schema: 'public', table: 'calls', commit_timestamp: '2026-02-02T12:00:00Z', eventType: 'INSERT', new: { id: 1 }, old: {}, errors: null });
  assert.deepEqual(got, [['status', 'SUBSCRIBED', undefined], ['status', 'CHANNEL_ERROR', 'socket closed'], ['payload', 'calls']]);
  close();
  assert.deepEqual(client.removed, [`dashboard_updates:${SITE}`]);
});

test('the supabase adapters drive a real engine end to end', async () => {
  const client = fakeSupabase();
  client.rpc = async (name) => ({ data: name.startsWith('get_recent') ? [] : null, error: null });
  let t = Date.UTC(2026, 1, 2, 9);
  const fired = [];
  const driver = new PulseDriver({
    rpc: supabaseRpcAdapter(client), overlay: { fetchOverlay: async () => '{"captured":0,"gclid":0,"junk":0}' },
    realtime: supabaseRealtimeAdapter(client), clock: { now: () => t }, timers: { setTimeout: () => 0, clearTimeout() {} },
    visibility: manualFlag(true), online: manualFlag(true),
  });
  driver.start();
  const h = driver.registerRealtime(SITE, false, () => ({ onCallCreated: (row) => fired.push(row.id) }));
  const ch = client.channels[0];
  ch.statusCb('SUBSCRIBED');
  t += 100;
  ch.emit('calls', 'INSERT', { schema: 'public', table: 'calls', commit_timestamp: 'ts1', eventType: 'INSERT', new: { id: 'c9', site_id: SITE, status: 'intent' }, old: {}, errors: null });
  assert.deepEqual(fired, [], 'payloads of one task share one flush, at the end of the task');
  await Promise.resolve();
  assert.deepEqual(fired, ['c9']);
  assert.equal(driver.store.get(h).isConnected, true);
  ch.statusCb('TIMED_OUT');
  assert.equal(driver.store.get(h).error, 'Connection error: TIMED_OUT');
  driver.unregister(h);
  assert.deepEqual(client.removed, [`dashboard_updates:${SITE}`]);
  driver.dispose();
});

test('overlay adapter: URL-encoded site id, base URL, HTTP errors reject', async () => {
  const urls = [];
  const fetch = async (url) => { urls.push(url); return url.includes('bad') ? { ok: false, status: 500, text: async () => '' } : { ok: true, status: 200, text: async () => '{"captured":1}' }; };
  const adapter = fetchOverlayAdapter({ baseUrl: 'https://dash.example', fetch });
  assert.equal(await adapter.fetchOverlay('a b&c=1'), '{"captured":1}');
  assert.equal(urls[0], 'https://dash.example/api/stats/realtime?siteId=a%20b%26c%3D1');
  await assert.rejects(adapter.fetchOverlay('bad'), /HTTP 500/);
});

test('event-source adapter: open, message text, error, close', () => {
  const made = [];
  class FakeES { constructor(url) { this.url = url; this.readyState = 0; made.push(this); } close() { this.closed = true; } }
  const got = [];
  const close = eventSourceRealtimeAdapter({ EventSource: FakeES }).subscribe(SITE, 'x', { onPayload: (p) => got.push(p), onStatus: (s) => got.push(s) });
  const es = made[0];
  assert.equal(es.url, `/api/realtime?siteId=${SITE}`);
  es.onopen();
  es.onmessage({ data: '{"table":"events"}' });
  es.onerror();
  es.readyState = 2;
  es.onerror();
  close();
  assert.deepEqual(got, ['SUBSCRIBED', '{"table":"events"}', 'CHANNEL_ERROR', 'CLOSED']);
  assert.equal(es.closed, true);
});

test('the TS relative label (hydration fallback) matches the engine label', () => {
  const engine = new PulseEngine();
  const now = Date.UTC(2026, 1, 2, 9);
  for (const age of [0, 1, 9_999, 10_000, 12_345, 59_999, 60_000, 61_000, 3_599_999, 3_600_000, 7_200_001, 90_000_000, -5_000]) {
    const h = engine.registerRelativeTime(now - age, now);
    assert.equal(relativeLabel(now, now - age), engine.snapshot(h).label, `age ${age}`);
  }
});
