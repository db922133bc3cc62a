// classifyAds and the realtime reducer through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAds, PulseRealtime } from 'opsmantik-pulse/node';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const change = (table, eventType, id, ts, row) => ({
  schema: 'public', table, commit_timestamp: ts, eventType, new: { id, site_id: SITE, ...row }, old: {}, errors: null,
});

test('classifyAds: every branch with the original reasons', () => {
  const cases = [
    [{ new: { gclid: 'g' } }, 'ads', 'click_id_present'],
    [{ new: { metadata: { wbraid: 'w' } } }, 'ads', 'click_id_present'],
    [{ new: { metadata: null, meta: { gbraid: 'b' } } }, 'ads', 'click_id_present'],
    [{ new: { utm_medium: ' PPC ' } }, 'ads', 'utm_medium=ppc'],
    [{ new: { attribution_source: 'Google Ads' } }, 'ads', 'attribution_source=google ads'],
    [{ new: { attribution_source: 'Organic' } }, 'non_ads', 'attribution_source=organic'],
    [{ new: { utm_source: 'newsletter' } }, 'non_ads', 'utm_present_no_paid_signal'],
    [{ new: { id: 1 } }, 'unknown', 'insufficient_payload_fields'],
    [{ gclid: 'row itself' }, 'ads', 'click_id_present'],
    [null, 'unknown', 'insufficient_payload_fields'],
    [{ new: { gclid: 42 } }, 'unknown', 'insufficient_payload_fields'],
  ];
  for (const [payload, kind, reason] of cases) assert.deepEqual(classifyAds(payload), { kind, reason }, JSON.stringify(payload));
});

test('the reducer: subscribe, callbacks, dedup, cross-site, state', () => {
  const rt = new PulseRealtime(SITE, { seed: 1 });
  assert.deepEqual(rt.drainOutputs(), [{ type: 'subscribe', channel: `dashboard_updates:${SITE}`, site_id: SITE }]);
  rt.handleChannelStatus('SUBSCRIBED', undefined, 1000);
  const p = change('calls', 'INSERT', 'c1', '2026-02-02T12:00:00Z', { status: 'intent' });
  assert.equal(rt.handlePayload(p, 1001), null);
  assert.equal(rt.handlePayload(p, 1002), 'duplicate');
  assert.equal(rt.handlePayload({ ...p, new: { ...p.new, id: 'c2', site_id: 'other-site' } }, 1003), 'cross_site');
  assert.equal(rt.handlePayload({ eventType: 'INSERT' }, 1004), 'malformed');
  assert.equal(rt.handlePayload({ ...p, table: 'users' }, 1004), 'unknown_table');
  const out = rt.drainOutputs();
  assert.deepEqual(out.map((o) => o.kind), ['call_created'], 'an intent is a call; a call fires its callback alone');
  assert.equal(out[0].row.id, 'c1');
  const st = rt.state();
  assert.deepEqual(st, {
    isConnected: true, connectionStatus: 'SUBSCRIBED', isLive: true, adsLive: false, lastEventAt: 1001,
    lastSignalAt: 1001, lastSignalType: 'calls', eventCount: 1, error: null,
  });
  const c = rt.counters();
  assert.equal(c.dropped.duplicate, 1);
  assert.equal(c.dropped.cross_site, 1);
  assert.equal(c.accepted, 1);
  rt.free();
});

test('ads-only: one lookup per session, results decide, batch input', () => {
  const rt = new PulseRealtime(SITE, { adsOnly: true });
  rt.drainOutputs();
  const calls = [1, 2, 3].map((i) => change('calls', 'INSERT', `c${i}`, `t${i}`, { matched_session_id: 'sess-1' }));
  assert.equal(rt.handlePayloads(calls, 10), 3);
  const lookups = rt.drainOutputs();
  assert.deepEqual(lookups, [{ type: 'lookup_session', request_id: 1, site_id: SITE, session_id: 'sess-1' }]);
  rt.handleLookupResult(1, { isAds: true }, 20);
  assert.deepEqual(rt.drainOutputs().map((o) => o.kind), ['call_created', 'call_created', 'call_created']);
  assert.equal(rt.state().adsLive, true);
  rt.handlePayload(change('calls', 'INSERT', 'c9', 't9', { matched_session_id: 'sess-2' }), 30);
  rt.drainOutputs();
  rt.handleLookupResult(2, { error: 'rpc failed' }, 31);
  assert.deepEqual(rt.drainOutputs().map((o) => o.kind), ['data_freshness']);
});

test('status storm, backoff deadline, reconnect, close', () => {
  const rt = new PulseRealtime(SITE, { seed: 5 });
  rt.drainOutputs();
  rt.handleChannelStatus('TIMED_OUT', undefined, 0);
  assert.equal(rt.state().error, 'Connection error: TIMED_OUT');
  const at = rt.nextDeadline();
  assert.ok(at >= 500 && at <= 1000, String(at));
  for (let i = 0; i < 20; i++) rt.handleChannelStatus('CHANNEL_ERROR', undefined, i);
  assert.equal(rt.nextDeadline(), at);
  rt.handleTimeout(at);
  assert.deepEqual(rt.drainOutputs().map((o) => o.type), ['unsubscribe', 'subscribe']);
  assert.equal(rt.state().connectionStatus, 'RECONNECTING');
  assert.throws(() => rt.handleChannelStatus('JOINED', undefined, 1), /unknown channel status 'JOINED'/);
  rt.close(5);
  assert.deepEqual(rt.drainOutputs().map((o) => o.type), ['unsubscribe']);
  assert.equal(rt.nextDeadline(), undefined);
});

test('a site id is validated before it reaches a channel filter', () => {
  for (const bad of ['', 'a b', 'x&y=1', 'id,site_id.eq.2', null, 42]) {
    assert.throws(() => new PulseRealtime(bad), (e) => e instanceof Error && /siteId/.test(e.message), String(bad));
  }
});

test('hostile payloads are counted, never thrown, and the instance stays usable', () => {
  const rt = new PulseRealtime(SITE);
  const cyclic = {}; cyclic.self = cyclic;
  let deep = {}; for (let i = 0; i < 200; i++) deep = { a: deep }; // deeper than the 16-level limit: too_deep on every path (was malformed through serde's recursion limit)
  const huge = change('events', 'INSERT', 'e1', 't', { blob: 'x'.repeat(70_000) });
  const reasons = [cyclic, deep, huge, 'str', 42, undefined, { __proto__: { table: 'calls' } }].map((p) => rt.handlePayload(p, 1));
  assert.deepEqual(reasons, ['malformed', 'too_deep', 'oversized', 'malformed', 'malformed', 'malformed', 'malformed']);
  assert.equal(rt.handlePayload(change('calls', 'INSERT', 'c2', 't', {}), 2), null);
});
