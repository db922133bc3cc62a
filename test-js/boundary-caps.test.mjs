// Strings are measured in TS before they cross into wasm: wasm memory never
// shrinks, so a 100 MB argument copied in once would stay on the page for
// good. Over-long names, keys, payloads and JSON are refused (or turned into
// a failed request) without growing the instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dayRange, todayRange, dateKeyAt, nextDayStartMs, spanRange, normalizeP0Stats, normalizeOverlay, mergeOverlay, classifyAds,
  PulseEngine, wasmMemoryBytes,
} from 'opsmantik-pulse/node';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const T0 = Date.UTC(2026, 1, 2, 9);
// A flat string, as one read from the network is ('x'.repeat builds a rope that V8 copies on first slice).
const HUGE = Buffer.alloc(100 << 20, 'x').toString('latin1');
const kind = (k) => (err) => err instanceof Error && err.kind === k;

/** Runs `fn`, which must throw kind `k` within 50 ms without growing wasm memory. */
function refusedAtTheEdge(fn, k, label) {
  const before = wasmMemoryBytes();
  const start = process.hrtime.bigint();
  assert.throws(fn, kind(k), label);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.ok(ms < 50, `${label}: took ${ms.toFixed(1)} ms`);
  assert.equal(wasmMemoryBytes(), before, `${label}: wasm memory grew`);
}

// First in the file, while the instance's memory is still small: a copy would have to grow it.
test('JSON inputs over 1 MiB are refused before they cross (stats, overlay, seeds); RPC data over 1 MiB fails the request', () => {
  const bigObject = { sealed: 1, pad: 'z'.repeat(2 << 20) };
  const e = new PulseEngine({ seed: 1 });
  const h = e.registerStats(SITE, { fromMs: T0 - 86_400_000, toMs: T0 }, false, T0);
  const rpc = e.drainCommands().find((c) => c.type === 'rpc');
  const before = wasmMemoryBytes();
  assert.throws(() => normalizeP0Stats(bigObject), kind('invalid_stats'));
  assert.throws(() => normalizeOverlay(bigObject), kind('invalid_stats'));
  assert.throws(() => mergeOverlay(null, bigObject, { nowMs: T0 }), kind('invalid_stats'));
  assert.throws(() => e.registerStats(SITE, 'today', false, T0, { data: bigObject, fetchedAtMs: T0 }), kind('invalid_stats'));
  e.handleRpcResponse(rpc.requestId, { data: bigObject }, T0 + 10);
  assert.match(e.snapshot(h).error, /1048576|1 MiB/);
  assert.equal(wasmMemoryBytes(), before, 'wasm memory did not grow');
  e.free();
});

test('a 100 MB date key, zone or site id is refused in TS, quickly, without growing wasm memory', () => {
  refusedAtTheEdge(() => dayRange(HUGE), 'invalid_date_key', 'dayRange(huge)');
  refusedAtTheEdge(() => dayRange('2026-02-02', HUGE), 'unknown_time_zone', 'dayRange(key, huge zone)');
  refusedAtTheEdge(() => todayRange(T0, HUGE), 'unknown_time_zone', 'todayRange');
  refusedAtTheEdge(() => dateKeyAt(T0, HUGE), 'unknown_time_zone', 'dateKeyAt');
  refusedAtTheEdge(() => nextDayStartMs(T0, HUGE), 'unknown_time_zone', 'nextDayStartMs');
  refusedAtTheEdge(() => spanRange(HUGE, 7), 'invalid_date_key', 'spanRange');
  refusedAtTheEdge(() => new PulseEngine({ timeZone: HUGE }), 'unknown_time_zone', 'PulseEngine timeZone');
  const e = new PulseEngine({ seed: 1 });
  refusedAtTheEdge(() => e.registerRealtime(HUGE, false, true, T0), 'invalid_argument', 'registerRealtime siteId');
  refusedAtTheEdge(() => e.handleChannelStatus(SITE, HUGE, undefined, T0), 'invalid_argument', 'handleChannelStatus status');
  e.free();
  // A huge string where a number belongs: the core's message quotes it, which must not copy it in.
  refusedAtTheEdge(() => dateKeyAt(HUGE), 'invalid_instant', 'dateKeyAt(huge nowMs)');
  refusedAtTheEdge(() => todayRange(HUGE, 'UTC'), 'invalid_instant', 'todayRange(huge nowMs)');
  refusedAtTheEdge(() => spanRange('2026-02-02', HUGE), 'invalid_days', 'spanRange(key, huge days)');
  const e2 = new PulseEngine({ seed: 1 });
  refusedAtTheEdge(() => e2.handleTimeout(HUGE), 'invalid_instant', 'engine.handleTimeout(huge)');
  refusedAtTheEdge(() => e2.registerRelativeTime(HUGE, T0), 'invalid_instant', 'engine.registerRelativeTime(huge)');
  e2.free();
  // The usual errors for ordinary bad input still come from the core.
  assert.throws(() => dayRange('2026-02-30'), kind('invalid_date_key'));
  assert.throws(() => dayRange('2026-02-02', 'Mars/Base'), kind('unknown_time_zone'));
});

test('a payload over 64 KiB never crosses into wasm, and is still counted as an oversized drop (100 MB included)', () => {
  const e = new PulseEngine({ seed: 1 });
  e.registerRealtime(SITE, false, true, T0);
  refusedAtTheEdge(() => classifyAds(HUGE), 'invalid_payload', 'classifyAds');
  const big = JSON.stringify({ table: 'calls', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c', site_id: SITE, pad: 'y'.repeat(70_000) } });
  const before = wasmMemoryBytes();
  const start = process.hrtime.bigint();
  for (const payload of [HUGE, big]) assert.equal(e.handlePayload(SITE, payload, 2, T0), false);
  // The same as an object: the slot path's bound sends it to the text path, refused there.
  const bigObject = { table: 'calls', eventType: 'INSERT', commit_timestamp: 't', new: { id: 'c', site_id: SITE, pad: HUGE } };
  assert.equal(e.handlePayloadObject(SITE, bigObject, 3, T0), undefined, 'never read into the slots');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
  assert.equal(wasmMemoryBytes(), before, 'nothing was copied in');
  const c = e.counters();
  assert.equal(c.dropped.payloads.oversized, 2, 'both counted by the engine');
  assert.equal(c.payloads.received, 2);
  e.free();
});

