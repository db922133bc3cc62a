// classifyAds and the realtime pipeline through the built package. There is
// one realtime API, the engine's: payloads reach the pipeline as objects
// (read into the core's slots) or as JSON text, and both paths must decide
// and count every payload alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from 'opsmantik-pulse/node';
import { runPayloads } from './helpers/payload-paths.mjs';

const { classifyAds, PulseEngine } = api;
const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const T0 = Date.UTC(2026, 1, 2, 9);
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

test('one realtime API: PulseRealtime is gone from every entry, the engine is the realtime reducer', () => {
  assert.equal(api.PulseRealtime, undefined);
  assert.equal(typeof api.PulseEngine, 'function');
});

class Point {
  constructor() { this.table = 'calls'; this.eventType = 'INSERT'; this.commit_timestamp = 't'; this.new = { id: 'k1', site_id: SITE }; }
}

/** Payloads of every kind: ordinary ones (the slot path) and hostile ones (most take the text path). */
function corpus() {
  const cyclic = change('calls', 'INSERT', 'cy', 't', {});
  cyclic.new.self = cyclic;
  let deep = {};
  for (let i = 0; i < 200; i++) deep = { a: deep };
  const within = (n) => { let v = 1; for (let i = 0; i < n; i++) v = [v]; return v; };
  const withGetter = change('calls', 'INSERT', 'g1', 't', {});
  Object.defineProperty(withGetter.new, 'gclid', { enumerable: true, get() { throw new Error('getter'); } });
  return [
    change('calls', 'INSERT', 'c1', 't1', { status: 'intent' }),
    change('calls', 'INSERT', 'c1', 't2', { status: 'intent' }), // an INSERT is once per row: duplicate
    change('calls', 'UPDATE', 'c1', 't3', {}),
    change('calls', 'UPDATE', 'c1', 't3', {}), // same commit: duplicate
    change('calls', 'INSERT', 'c2', 't', { site_id: 'other-site' }),
    change('calls', 'INSERT', 'c3', 't', { site_id: SITE.toUpperCase() }), // UUIDs compare case-insensitively
    change('calls', 'INSERT', 42, 't', {}), // a numeric id
    change('calls', 'INSERT', 2 ** 60, 't', {}), // printed as JSON prints it
    change('calls', 'INSERT', 1e21, 't', {}),
    change('calls', 'INSERT', NaN, 't', {}), // JSON null: no id
    change('calls', 'INSERT', '   ', 't', {}),
    change('sessions', 'INSERT', 's1', 't', { metadata: { utm_medium: ' CPC ' } }),
    change('sessions', 'UPDATE', 's2', 't', {}),
    change('calls', 'DELETE', 'c4', 't', {}),
    change('users', 'INSERT', 'u1', 't', {}),
    { ...change('calls', 'INSERT', 'c5', 't', {}), errors: ['boom'] },
    { ...change('calls', 'INSERT', 'c6', 't', {}), errors: [] },
    { ...change('calls', 'INSERT', 'c7', 't', {}), errors: {} },
    { ...change('calls', 'INSERT', 'c8', 't', {}), commit_timestamp: 5 },
    { ...change('calls', 'INSERT', 'c9', 'x'.repeat(65), {}) },
    { ...change('calls', 'INSERT', 'c10', 't', {}), new: null },
    { ...change('calls', 'INSERT', 'c11', 't', {}), new: ['c11'] },
    { table: 'calls', eventType: 'INSERT' },
    { table: ['calls'], eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c12' } },
    { table: ' calls ', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c13' } }, // trimmed, as on the text path
    { table: 'calls', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c14', undefinedField: undefined, when: undefined } },
    change('events', 'INSERT', 'e1', 't', { blob: 'x'.repeat(70_000) }), // oversized
    change('events', 'INSERT', 'e2', 't', { blob: 'é'.repeat(11_000) }), // over the slot bound, within the limit
    change('calls', 'INSERT', 'c15', 't', { note: within(13) }), // 16 levels: within
    change('calls', 'INSERT', 'c16', 't', { note: within(14) }), // 17 levels: too deep
    change('calls', 'INSERT', 'c17', 't', { note: deep }),
    change('calls', 'INSERT', 'c18', 't', { note: '\uD800 lone surrogate' }),
    change('calls', 'INSERT', 'c18\uDC00', 't', {}), // in a field the rules read
    change('sessions', 'INSERT', 's3', 't', { gclid: '\uD83D' }),
    change('calls', 'INSERT', 'c19', 't', { when: new Date(0) }), // toJSON: the text path
    change('calls', 'INSERT', 'c20', 't', { big: 10n }), // JSON cannot hold it: malformed
    change('calls', 'INSERT', 'c21', 't', { fn() {} }),
    change('calls', 'INSERT', 'c22', 't', { id: { toJSON: () => 'c22' } }),
    new Point(),
    Object.assign(Object.create(null), change('calls', 'INSERT', 'c23', 't', {})),
    JSON.parse('{"table":"calls","eventType":"INSERT","commit_timestamp":"t","new":{"id":"c24"},"__proto__":{"x":1}}'),
    ['calls', 'INSERT', 't', { id: 'c25' }, null], // an array: JSON text decides what it is
    cyclic,
    withGetter,
    'not json', JSON.stringify(change('calls', 'INSERT', 'c26', 't', {})), 42, null, undefined,
    change('events', 'INSERT', 'e3', 't', { session_id: ' sess-7 ', metadata: { utm_medium: 'email' } }),
    change('events', 'INSERT', 'e4', 't', {}), // no session: nothing proves it is the site's
    change('calls', 'INSERT', 'c27', 't', { matched_session_id: 'sess-8', gclid: ' g ', meta: { utm_source: 'x' } }),
  ];
}

const run = (payloads, viaObjects) => runPayloads(SITE, T0, payloads, viaObjects);

test('object and text paths decide and count every payload alike, hostile ones included', () => {
  const viaText = run(corpus(), false);
  const viaObjects = run(corpus(), true);
  assert.ok(viaObjects.slots >= 30, `most payloads took the slot path (${viaObjects.slots})`);
  assert.ok(viaObjects.slots < corpus().length, 'and the hostile ones the text path');
  assert.deepEqual(viaObjects.outcomes, viaText.outcomes);
  assert.deepEqual(viaObjects.counters, viaText.counters);
  assert.deepEqual(viaObjects.snapshots, viaText.snapshots);
  const c = viaObjects.counters;
  const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  assert.equal(c.received, c.accepted + dropped + c.pending, 'received = accepted + dropped + pending');
  assert.equal(c.received, 2 * corpus().length, 'two pipelines, every payload counted by each');
  for (const reason of ['duplicate', 'cross_site', 'malformed', 'oversized', 'too_deep', 'unknown_table', 'unsupported_event', 'server_errors', 'no_session']) {
    assert.ok(c.dropped[reason] > 0, `${reason} counted`);
  }
});

test('the slot path proves the limits: 64 KiB and 16 levels hold exactly as on the text path', () => {
  const e = new PulseEngine({ seed: 1 });
  e.registerRealtime(SITE, false, true, T0);
  // A long ASCII note within the limit goes by slots; the bound is conservative, so more goes by text.
  assert.notEqual(e.handlePayloadObject(SITE, change('calls', 'INSERT', 'a', 't', { note: 'x'.repeat(9_000) }), 1, T0), undefined);
  assert.equal(e.handlePayloadObject(SITE, change('calls', 'INSERT', 'b', 't', { note: 'x'.repeat(20_000) }), 2, T0), undefined);
  const nest = (n) => { let v = 1; for (let i = 0; i < n; i++) v = [v]; return v; };
  assert.notEqual(e.handlePayloadObject(SITE, change('calls', 'INSERT', 'c', 't', { note: nest(14) }), 3, T0), undefined, '16 levels');
  assert.equal(e.handlePayloadObject(SITE, change('calls', 'INSERT', 'c', 't', { note: nest(15) }), 3, T0), undefined, '17 levels');
  assert.throws(() => e.handlePayloadObject(SITE, change('calls', 'INSERT', 'd', 't', {}), 1.5, T0), (err) => err.kind === 'invalid_argument');
  assert.throws(() => e.handlePayloadObject('x'.repeat(65), change('calls', 'INSERT', 'd', 't', {}), 4, T0), (err) => err.kind === 'invalid_argument');
  e.free();
});

test('a realtime snapshot read as numbers is the JSON snapshot, in every state', async () => {
  const raw = await import('../pkg/opsmantik_pulse.js');
  const { realtimeSnapshot } = await import('../dist/realtime-snapshot.js');
  const core = new raw.PulseEngineCore(undefined, undefined, 3, false);
  const h = core.registerRealtime(SITE, false, true, T0);
  const ads = core.registerRealtime(SITE, true, true, T0);
  const seen = [];
  const check = (label) => {
    for (const handle of [h, ads]) {
      const json = JSON.parse(core.snapshotJson(handle));
      const numbers = core.realtimeSnapshotNumbers(handle);
      if (json.error === null) assert.deepEqual(realtimeSnapshot(numbers), json, label);
      else assert.equal(numbers.length, 0, `${label}: an error shows through JSON`);
      seen.push(json.connectionStatus);
    }
  };
  check('before the channel reports');
  core.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, T0 + 1);
  check('subscribed');
  core.handlePayload(SITE, JSON.stringify(change('sessions', 'INSERT', 's1', 't', { gclid: 'g' })), 1, T0 + 2);
  core.handlePayload(SITE, JSON.stringify(change('calls', 'INSERT', 'c1', 't', {})), 2, T0 + 3);
  check('after a session and a call');
  core.handleTimeout(T0 + 6 * 60_000);
  check('no longer live');
  core.handleChannelStatus(SITE, 'TIMED_OUT', undefined, T0 + 7 * 60_000);
  check('an error');
  core.handleTimeout(T0 + 8 * 60_000);
  check('reconnecting');
  assert.ok(new Set(seen).size >= 3, `statuses seen: ${[...new Set(seen)]}`);
  core.free();
});
