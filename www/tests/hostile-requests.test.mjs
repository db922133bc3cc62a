// The demo server against a hostile client (issue 11 item 12): oversized
// bodies, prototype names as RPC names, malformed and mistyped input. Each gets
// a small 4xx that names what was wrong; afterwards the page and the RPCs still
// work and the process's memory never grew with the input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rawPost } from './raw-post.mjs';
import { startDemo } from './servers.mjs';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const MB = 1024 * 1024;
const SMALL = 1024; // an answer never carries the request back, so it stays under this
const TIMEOUT = { timeout: 60_000 };

const STATS = '/api/rpc/get_command_center_p0_stats_v2';
const V2 = '/api/rpc/get_recent_intents_v2';
const V1 = '/api/rpc/get_recent_intents_v1';
const SESSION = '/api/rpc/get_session_details';
const RANGE = { p_site_id: SITE, p_date_from: '2026-02-02T21:00:00.000Z', p_date_to: '2026-02-03T21:00:00.000Z' };
/** A valid parameter set per RPC; the hostile cases each spoil one parameter. */
const GOOD = {
  [STATS]: { ...RANGE, p_ads_only: false },
  [V2]: { ...RANGE, p_limit: 8, p_ads_only: false },
  [V1]: { p_site_id: SITE, p_since: null, p_minutes_lookback: 5, p_limit: 1, p_ads_only: true },
  [SESSION]: { p_site_id: SITE, p_session_id: 'sess-1' },
};

let demo;
before(async () => {
  demo = await startDemo();
});
after(() => demo?.stop());

const post = (path, body, options) =>
  rawPost(`${demo.base}${path}`, typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), options);

/** JSON of `params` with `key` set to a string of `bytes` x's, built without a giant JS string. */
function withHuge(params, key, bytes) {
  const [head, tail] = JSON.stringify({ ...params, [key]: 'HUGE' }).split('"HUGE"');
  return Buffer.concat([Buffer.from(`${head}"`), Buffer.alloc(bytes, 'x'), Buffer.from(`"${tail}`)]);
}

/** Asserts a small JSON answer with `status` and returns it parsed. */
function small(res, status, what = '') {
  assert.equal(res.status, status, `${what}: ${res.text.slice(0, 200)}`);
  assert.ok(res.text.length < SMALL, `${what}: the answer is ${res.text.length} chars`);
  return JSON.parse(res.text);
}

test('a 100 MB p_date_from with a declared length: 413 at once, nothing read', TIMEOUT, async () => {
  const res = await post(STATS, withHuge(GOOD[STATS], 'p_date_from', 100 * MB));
  const body = small(res, 413, '100 MB');
  assert.equal(body.data, null);
  assert.equal(body.error.code, 'PGRST102');
  assert.ok(res.ms < 5_000, `answered after ${res.ms} ms`);
});

test('a 10 MB p_date_from sent chunked (no declared length): cut off at the cap with 413', TIMEOUT, async () => {
  const res = await post(STATS, withHuge(GOOD[STATS], 'p_date_from', 10 * MB), { chunked: true });
  assert.equal(small(res, 413, '10 MB chunked').error.code, 'PGRST102');
  assert.ok(res.ms < 5_000, `answered after ${res.ms} ms`);
});

test('eight 10 MB chunked bodies at once, on both POST routes: all 413', TIMEOUT, async () => {
  const huge = withHuge(GOOD[STATS], 'p_site_id', 10 * MB);
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, i) => post(i % 2 ? '/api/demo/simulate' : STATS, huge, { chunked: true })),
  );
  answers.forEach((res, i) => small(res, 413, `request ${i}`));
});

test('prototype property names are unknown RPCs: 404 PGRST202', TIMEOUT, async () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
    const body = small(await post(`/api/rpc/${name}`, GOOD[STATS]), 404, name);
    assert.equal(body.data, null);
    assert.equal(body.error.code, 'PGRST202');
    assert.ok(body.error.message.includes(name), body.error.message);
  }
  const long = small(await post(`/api/rpc/${'f'.repeat(4_000)}`, GOOD[STATS]), 404, 'a 4,000-char name');
  assert.ok(long.error.message.length <= 300, long.error.message);
});

test('malformed, non-UTF-8 or non-object bodies: 400 PGRST102 / 22023', TIMEOUT, async () => {
  for (const text of ['{', '{"p_site_id":', '{"a":1}}', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
    assert.equal(small(await post(STATS, text), 400, String(text)).error.code, 'PGRST102');
  }
  for (const text of ['null', '[]', '42', '"x"', 'true']) {
    const body = small(await post(STATS, text), 400, text);
    assert.equal(body.error.code, '22023');
    assert.match(body.error.message, /object/);
  }
});

test('the valid parameter sets answer 200 (so the cases below fail for their one bad parameter)', TIMEOUT, async () => {
  for (const [path, params] of Object.entries(GOOD)) {
    const body = small(await post(path, params), 200, path);
    assert.equal(body.error, null, path);
  }
});

const BAD_PARAMS = [
  [STATS, { p_site_id: 42 }, 'p_site_id'],
  [STATS, { p_site_id: 'x&y=1' }, 'p_site_id'],
  [STATS, { p_site_id: undefined }, 'p_site_id'], // absent: JSON.stringify drops it
  [STATS, { p_date_from: 1770076800000 }, 'p_date_from'],
  [STATS, { p_date_from: '2026-02-30T00:00:00Z' }, 'p_date_from'],
  [STATS, { p_date_from: '2026-02-03' }, 'p_date_from'],
  [STATS, { p_date_from: '2026-02-03T00:00:00' }, 'p_date_from'], // no zone: not an instant
  [STATS, { p_date_from: 'x'.repeat(10_000) }, 'p_date_from'],
  [STATS, { p_date_to: null }, 'p_date_to'],
  [STATS, { p_date_to: ['2026-02-03T00:00:00Z'] }, 'p_date_to'],
  [STATS, { p_ads_only: 'false' }, 'p_ads_only'],
  [STATS, { p_evil: 1 }, 'p_evil'],
  [STATS, { ['__proto__']: { p_ads_only: true } }, '__proto__'], // an own "__proto__" key, as JSON.parse makes it
  [V2, { p_limit: 1.5 }, 'p_limit'],
  [V2, { p_limit: -1 }, 'p_limit'],
  [V2, { p_limit: 1e9 }, 'p_limit'],
  [V2, { p_limit: '8' }, 'p_limit'],
  [V1, { p_minutes_lookback: 'x' }, 'p_minutes_lookback'],
  [V1, { p_since: 'yesterday' }, 'p_since'],
  [SESSION, { p_session_id: {} }, 'p_session_id'],
  [SESSION, { p_session_id: 's'.repeat(5_000) }, 'p_session_id'],
];

test('one bad parameter per RPC: 400 whose short message names it', TIMEOUT, async () => {
  for (const [path, spoil, name] of BAD_PARAMS) {
    const what = `${path} ${name}=${JSON.stringify(spoil[name])?.slice(0, 40)}`;
    const body = small(await post(path, { ...GOOD[path], ...spoil }), 400, what);
    assert.equal(body.data, null, what);
    assert.equal(body.error.code, '22023', what);
    assert.ok(body.error.message.startsWith(name), `${what}: ${body.error.message}`);
    assert.ok(body.error.message.length <= 200, `${what}: ${body.error.message.length} chars`);
  }
});

const SIMULATE_BAD = [
  ['null', 422, 'body'],
  ['[]', 422, 'body'],
  ['"visit"', 422, 'body'],
  [{ visit: true }, 422, 'visit'],
  [{ call: null }, 422, 'call'],
  [{ call: 'x' }, 422, 'call'],
  [{ call: {} }, 422, 'call.id'],
  [{ call: { id: 42 } }, 422, 'call.id'],
  [{ call: { id: 'x'.repeat(9_000) } }, 422, 'call.id'],
  [{ call: { id: 'hostile-a', status: 7 } }, 422, 'call.status'],
  [{ call: { id: 'hostile-b', extra: 1 } }, 422, 'call.extra'],
  // A row over pg_notify's 8000-byte payload used to fail in the trigger, as a 500.
  [{ call: { id: 'hostile-c', phone: '5'.repeat(7_990) } }, 422, 'call.phone'],
  [{ call: { id: 'hostile-d', status: 'é'.repeat(3_000) } }, 422, 'call.status'],
  ['{"call": {"id": "a"', 400, 'JSON'],
];

test('/api/demo/simulate: bad shapes are 4xx naming the field, a duplicate id is 409', TIMEOUT, async () => {
  for (const [body, status, name] of SIMULATE_BAD) {
    const what = typeof body === 'string' ? body : JSON.stringify(body).slice(0, 60);
    const answer = small(await post('/api/demo/simulate', body), status, what);
    assert.equal(answer.ok, false, what);
    assert.ok(answer.error.includes(name), `${what}: ${answer.error}`);
  }
  const id = `hostile-dup-${Date.now()}`;
  assert.equal(small(await post('/api/demo/simulate', { call: { id } }), 200, 'first').id, id);
  const again = small(await post('/api/demo/simulate', { call: { id, status: 'intent' } }), 409, 'duplicate');
  assert.match(again.error, /call\.id/);
  assert.equal(small(await post('/api/demo/simulate', ''), 200, 'empty body: one random visit').ok, true);
});

test('GET routes take exactly one valid siteId, else 400', TIMEOUT, async () => {
  const queries = ['', 'siteId=', `siteId=${'a'.repeat(5_000)}`, `siteId=${SITE}&siteId=${SITE}`, 'siteId=x%26y%3D1', 'siteId=%E0%A4%A'];
  for (const path of ['/api/stats/realtime', '/api/realtime']) {
    for (const query of queries) {
      const res = await fetch(`${demo.base}${path}?${query}`);
      if (res.status === 200) await res.body?.cancel(); // an event stream never ends by itself
      assert.equal(res.status, 400, `${path}?${query.slice(0, 60)}`);
      assert.ok((await res.text()).length < SMALL);
    }
  }
});

test('the test-only stream drop is not there without PULSE_DEMO_TEST_HOOKS=1: 404, and an open stream stays open', TIMEOUT, async () => {
  const stream = await fetch(`${demo.base}/api/realtime?siteId=${SITE}`);
  assert.equal(stream.status, 200);
  const reader = stream.body.getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /connected/);
  const refused = small(await post('/api/realtime/close', ''), 404, 'close');
  assert.equal(refused.ok, false);
  // The stream is still open: nothing ends it within a second (keep-alives come every 15 s).
  const next = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r('open'), 1_000))]);
  assert.equal(next, 'open', 'the stream ended');
  await reader.cancel();
});

/** The highest resident set size the process has had, in bytes (Linux). */
function peakRss(pid) {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(kb, 'VmHWM is in /proc/<pid>/status');
  return Number(kb[1]) * 1024;
}

test('afterwards the page and a normal RPC still work, and the peak memory stayed under 1.5 GB', TIMEOUT, async (t) => {
  const page = await fetch(`${demo.base}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /data-testid="day-key"/);
  const stats = small(await post(STATS, GOOD[STATS]), 200, 'stats');
  assert.equal(stats.error, null);
  assert.equal(typeof stats.data.sealed, 'number');
  assert.doesNotMatch(demo.log(), /\[demo\]|⨯|out of memory/i, 'no route threw');
  const peak = peakRss(demo.pid);
  t.diagnostic(`server peak RSS ${Math.round(peak / MB)} MB`);
  assert.ok(peak < 1.5 * 1024 * MB, `peak RSS ${Math.round(peak / MB)} MB`);
});
