// The cross-tab protocol's reader and the in-memory lock/broadcast fabric the
// multi-tab tests stand on: if the fabric were not faithful (a lock granted
// twice, a message echoed to its sender), the goal tests would prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMessage, envelope, PROTOCOL, PROTOCOL_VERSION } from '../dist/cross-tab/protocol.js';
import { requestKey, requestKind, SharedRequests, PACE_MS } from '../dist/cross-tab/shared-requests.js';
import { tabFabric } from './helpers/tab-fabric.mjs';
import { settle } from './helpers/fakes.mjs';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';

test('a well-formed message reads back as itself, with only its known fields', () => {
  const sent = envelope({ t: 'payload', from: 'a', site: SITE, text: '{"x":1}' });
  const read = readMessage({ ...sent, extra: 'ignored' });
  assert.deepEqual(read, { ok: true, message: { t: 'payload', from: 'a', site: SITE, text: '{"x":1}' } });
  const req = readMessage(envelope({ t: 'req', from: 'a', id: 3, kind: 'stats', site: SITE, name: 'get_command_center_p0_stats_v2', params: '{}', fresh: false }));
  assert.equal(req.ok, true);
});

test('foreign, other-version, malformed and oversized messages are dropped with their reason', () => {
  assert.deepEqual(readMessage('hello'), { ok: false, reason: 'foreign' });
  assert.deepEqual(readMessage({ t: 'hello', from: 'a', visible: true }), { ok: false, reason: 'foreign' });
  assert.deepEqual(readMessage({ p: PROTOCOL, v: PROTOCOL_VERSION + 1, t: 'hello', from: 'a', visible: true }), { ok: false, reason: 'version' });
  const bad = [
    { t: 'hello', from: 'a' },
    { t: 'hello', from: '', visible: true },
    { t: 'hello', from: 'x'.repeat(65), visible: true },
    { t: 'nope', from: 'a' },
    { t: 'req', from: 'a', id: -1, kind: 'stats', site: SITE, name: 'n', params: '{}', fresh: false },
    { t: 'req', from: 'a', id: 1, kind: 'bogus', site: SITE, name: 'n', params: '{}', fresh: false },
    { t: 'ans', from: 'a', id: 1, answer: { ok: true, text: '1' } }, // no `to`
    { t: 'ans', from: 'a', to: 'b', id: 1, answer: { ok: 'yes' } },
    { t: 'payload', from: 'a', site: SITE, text: { new: {} } },
    { t: 'status', from: 'a', site: 'x'.repeat(65), status: 'SUBSCRIBED' },
  ];
  for (const m of bad) assert.deepEqual(readMessage({ p: PROTOCOL, v: PROTOCOL_VERSION, ...m }), { ok: false, reason: 'malformed' }, JSON.stringify(m));
  const huge = envelope({ t: 'payload', from: 'a', site: SITE, text: 'x'.repeat(70_000) });
  assert.deepEqual(readMessage(huge), { ok: false, reason: 'oversized' });
  assert.deepEqual(readMessage(envelope({ t: 'req', from: 'a', id: 1, kind: 'stats', site: SITE, name: 'n', params: 'x'.repeat(5000), fresh: false })), { ok: false, reason: 'oversized' });
});

test('fabric: an exclusive lock goes to waiters in order, and to the next when its holder tab closes', async () => {
  const fabric = tabFabric();
  const [a, b, c] = [fabric.tab('a'), fabric.tab('b'), fabric.tab('c')];
  const order = [];
  const hold = () => new Promise(() => {});
  a.locks.request('L', {}, () => { order.push('a'); return hold(); });
  b.locks.request('L', {}, () => { order.push('b'); return hold(); });
  c.locks.request('L', {}, () => { order.push('c'); return hold(); });
  await settle();
  assert.deepEqual(order, ['a']);
  a.close();
  await settle();
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(fabric.holder('L'), 'b');
});

test('fabric: steal takes the lock and rejects the holder with AbortError; an aborted waiter leaves the queue', async () => {
  const fabric = tabFabric();
  const [a, b, c] = [fabric.tab('a'), fabric.tab('b'), fabric.tab('c')];
  const held = a.locks.request('L', {}, () => new Promise(() => {}));
  const rejected = held.catch((e) => e.name);
  const ctl = new AbortController();
  const waiting = c.locks.request('L', { signal: ctl.signal }, () => 'c got it').catch((e) => e.name);
  await settle();
  b.locks.request('L', { steal: true }, () => new Promise(() => {}));
  await settle();
  assert.equal(await rejected, 'AbortError');
  assert.equal(fabric.holder('L'), 'b');
  ctl.abort();
  assert.equal(await waiting, 'AbortError');
  b.close();
  await settle();
  assert.equal(fabric.holder('L'), null, 'the aborted waiter never got it');
});

test('fabric: a message is a clone delivered to every other open channel of its name, never to the sender', async () => {
  const fabric = tabFabric();
  const [a, b, c] = [fabric.tab('a'), fabric.tab('b'), fabric.tab('c')];
  const got = { a: [], b: [], c: [] };
  const ca = new a.BroadcastChannel('n'), cb = new b.BroadcastChannel('n'), cc = new c.BroadcastChannel('other');
  ca.onmessage = (e) => got.a.push(e.data);
  cb.onmessage = (e) => got.b.push(e.data);
  cc.onmessage = (e) => got.c.push(e.data);
  const sent = { x: 1 };
  ca.postMessage(sent);
  sent.x = 2;
  await settle();
  assert.deepEqual(got, { a: [], b: [{ x: 1 }], c: [] });
  a.close();
  cb.postMessage('after');
  await settle();
  assert.deepEqual(got.a, []);
});

test('request kinds and keys: a probe is keyed without its time bounds, a replay keeps them', () => {
  const probe = (from) => ({ p_site_id: SITE, p_date_from: from, p_date_to: from, p_limit: 1, p_ads_only: false });
  assert.equal(requestKind('get_recent_intents_v2', probe('a')), 'probe');
  assert.equal(requestKey('probe', SITE, 'get_recent_intents_v2', probe('a')), requestKey('probe', SITE, 'get_recent_intents_v2', probe('b')));
  const replay = (from) => ({ ...probe(from), p_limit: 500 });
  assert.equal(requestKind('get_recent_intents_v2', replay('a')), 'replay');
  assert.notEqual(requestKey('replay', SITE, 'get_recent_intents_v2', replay('a')), requestKey('replay', SITE, 'get_recent_intents_v2', replay('b')));
  assert.equal(requestKey('stats', SITE, 'n', { b: 1, a: 2 }), requestKey('stats', SITE, 'n', { a: 2, b: 1 }));
});

test('shared requests: joined in flight, reused while paced and nothing happened, fresh after a row', async () => {
  const shared = new SharedRequests();
  let calls = 0;
  const call = () => Promise.resolve({ ok: true, value: ++calls });
  const ask = (own, nowMs, extra = {}) => shared.run({ key: 'k', kind: 'overlay', site: SITE, own, fresh: false, nowMs, ...extra }, call);
  const [x, y] = await Promise.all([ask(true, 0), ask(false, 1)]);
  assert.deepEqual([x.value, y.value, calls], [1, 1, 1], 'joined in flight');
  assert.equal((await ask(false, 30_000)).value, 1, 'a follower within the pace gets the kept answer');
  assert.equal((await ask(true, 30_000)).value, 2, "the leader's own ask always goes out");
  shared.changed(SITE);
  assert.equal((await ask(false, 31_000)).value, 3, 'a row since the call: not reused');
  assert.equal((await ask(false, 31_000 + PACE_MS)).value, 4, 'older than the pace: not reused');
  assert.equal((await ask(false, 31_500, { fresh: true })).value, 5, 'a refetch is never answered from a kept answer');
  const failing = new SharedRequests();
  await failing.run({ key: 'k', kind: 'stats', site: SITE, own: true, fresh: false, nowMs: 0 }, () => Promise.resolve({ ok: false, message: 'x' }));
  let again = 0;
  await failing.run({ key: 'k', kind: 'stats', site: SITE, own: false, fresh: false, nowMs: 1 }, () => Promise.resolve({ ok: true, value: ++again }));
  assert.equal(again, 1, 'an error is never kept');
});
