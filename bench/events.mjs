// npm run bench:events — µs per realtime event on the hooks' path, side by side
// in one Node process on the same 100k payloads (10% duplicates, 1% other site):
//   pulse (driver)          a PulseDriver fed payload objects by its realtime adapter,
//                           one per microtask turn (as a websocket delivers them),
//                           callbacks registered, session lookups answered by its rpc adapter
//   pulse (driver, text in) the same, payloads as the JSON text an SSE transport delivers
//   js                      a plain-JS implementation of the same rules, on objects
//   js (text in)            the same, parsing the SSE text first
//   js (async lookups)      the same rules with the lookups made as the driver makes them: through
//                           the same async rpc adapter, an LRU of 500 answers, one request per
//                           session in flight, one payload per microtask turn (a diagnostic:
//                           how much of the gap the async lookups are; the ratio is against js)
//   slot walk alone         the driver's first step on each payload and nothing else: the
//                           PayloadSlotReader walk and the one encodeInto into the core's buffer
//                           (a diagnostic: what the TS edge costs before the core does anything)
// Prints µs/event (median of interleaved rounds) and the ratios. Events reach
// callbacks only through a session lookup: every variant answers them with the
// same `sessionHasRows` (pulse through its async rpc adapter, JS synchronously).
// The native cost of the core alone: `npm run bench:events:native`.
// PULSE_BASELINE=<another build's dist/node.js> adds "pulse (driver, baseline)": that
// build's driver on the same objects, interleaved, to measure a change side by side
// (several: `label=path,label=path`, each "pulse (driver, label)").
import { PulseDriver } from 'opsmantik-pulse/node';
import { JsRealtime } from './baselines/realtime-js.mjs';
import { JsRealtimeAsyncLookups } from './baselines/realtime-js-async.mjs';
import { SITE, payloadStream, sessionHasRows } from './payloads.mjs';
import { PayloadSlotReader, SLOT_COUNT } from '../dist/payload-slots.js';

const N = 100_000;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const payloads = [...payloadStream(N, { seed: 7 })];
const texts = payloads.map((p) => JSON.stringify(p)); // as an SSE transport receives them
const NOW = Date.UTC(2026, 1, 2, 12);
/** The rpc adapter both the driver and the async JS baseline are given. */
const rpc = async (name, params) => ({ data: name === 'get_session_details' && sessionHasRows(params.p_session_id) ? [{ id: params.p_session_id }] : [], error: null });


/** The hooks' path: a driver whose adapters deliver payloads and answer lookups. */
async function runDriver(inputs, Driver = PulseDriver) {
  let fired = 0;
  let handlers;
  const count = () => { fired++; };
  const driver = new Driver({
    rpc: { rpc },
    overlay: { fetchOverlay: async () => '{"captured":0,"gclid":0,"junk":0}' },
    realtime: { subscribe(_site, _channel, h) { handlers = h; return () => {}; } },
    clock: { now: () => NOW }, timers: { setTimeout: () => 0, clearTimeout() {} }, seed: 1,
    visibility: { get: () => true, subscribe: () => () => {} }, online: { get: () => true, subscribe: () => () => {} },
  });
  driver.start();
  driver.registerRealtime(SITE, false, () => ({ onCallCreated: count, onCallUpdated: count, onEventCreated: count }));
  handlers.onStatus('SUBSCRIBED');
  await Promise.resolve();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    handlers.onPayload(inputs[i]);
    await Promise.resolve(); // the end of the websocket message's task: the driver flushes
  }
  for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r)); // the last lookups' answers
  const usPerEvent = Number(process.hrtime.bigint() - t0) / 1000 / N;
  const { payloads: counts } = driver.engine.counters();
  driver.dispose();
  return { usPerEvent, fired, counts };
}

/** Row callbacks (the driver's count; data freshness is not a row callback). */
const countRows = (outputs) => outputs.reduce((n, o) => n + (o.type === 'notify' && o.kind !== 'data_freshness' ? 1 : 0), 0);

function runJs(parse) {
  let fired = 0;
  const rt = new JsRealtime(SITE, { sessionHasRows });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    rt.handlePayload(parse ? JSON.parse(texts[i]) : payloads[i], NOW + i);
    fired += countRows(rt.drainOutputs());
  }
  return { usPerEvent: Number(process.hrtime.bigint() - t0) / 1000 / N, fired };
}

async function runJsAsync() {
  let fired = 0;
  const rt = new JsRealtimeAsyncLookups(SITE, { rpc });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    rt.handlePayload(payloads[i], NOW + i);
    await Promise.resolve(); // as the driver's loop: a websocket message per task
    fired += countRows(rt.drainOutputs());
  }
  for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r)); // the last lookups' answers
  fired += countRows(rt.drainOutputs());
  return { usPerEvent: Number(process.hrtime.bigint() - t0) / 1000 / N, fired };
}

/** What `PulseEngine.handlePayloadObject` does before calling the core, on every payload. */
function runSlotWalk() {
  const reader = new PayloadSlotReader();
  const slots = new Float64Array(2 * SLOT_COUNT);
  const text = new Uint8Array(64 * 1024);
  const utf8 = new TextEncoder();
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) bytes += utf8.encodeInto(reader.read(SITE, payloads[i], slots) ?? '', text).written;
  if (bytes === 0) throw new Error('the slot walk read nothing');
  return { usPerEvent: Number(process.hrtime.bigint() - t0) / 1000 / N, fired: null };
}

const baselines = [];
for (const entry of (process.env.PULSE_BASELINE ?? '').split(',').filter(Boolean)) {
  const [label, path] = entry.includes('=') ? entry.split('=') : ['baseline', entry];
  baselines.push([`pulse (driver, ${label})`, (await import(path)).PulseDriver]);
}
const variants = {
  'pulse (driver)': () => runDriver(payloads),
  ...Object.fromEntries(baselines.map(([name, Driver]) => [name, () => runDriver(payloads, Driver)])),
  'pulse (driver, text in)': () => runDriver(texts),
  js: () => runJs(false),
  'js (text in)': () => runJs(true),
  'js (async lookups)': () => runJsAsync(),
  'slot walk alone': () => runSlotWalk(),
};
/** Parts of a path, not paths: no callbacks to compare. */
const diagnostics = new Set(['slot walk alone']);
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((n) => [n, []]));
const fired = {};
let counts;
for (const n of names) await variants[n](); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  // Each round starts with another variant, so no variant always runs first (or right after another's garbage).
  for (const n of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
    const res = await variants[n]();
    samples[n].push(res.usPerEvent);
    fired[n] = res.fired;
    if (n === 'pulse (driver)') counts = res.counts;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = Object.fromEntries(names.map((n) => [n, median(samples[n])]));

console.log(`node ${process.version}; ${N} payloads (10% duplicates, 1% other site); median of ${ROUNDS} interleaved rounds`);
for (const n of names) console.log(`  ${n.padEnd(28)} ${result[n].toFixed(3).padStart(7)} µs/event  ${diagnostics.has(n) ? `${(result[n] / result['js (async lookups)']).toFixed(2)}x js (async lookups)` : `row callbacks ${fired[n]}`}`);
console.log(`  the hooks' path vs js: ${(result['pulse (driver)'] / result.js).toFixed(1)}x; text in vs js text in: ${(result['pulse (driver, text in)'] / result['js (text in)']).toFixed(1)}x`);
console.log(`  the hooks' path vs js (async lookups): ${(result['pulse (driver)'] / result['js (async lookups)']).toFixed(1)}x (a diagnostic; the goal is against js)`);
for (const [name] of baselines) console.log(`  ${name} vs js: ${(result[name] / result.js).toFixed(1)}x; this build is ${(result[name] / result['pulse (driver)']).toFixed(2)}x faster`);
const dropped = Object.values(counts.dropped).reduce((a, b) => a + b, 0);
console.log(`  engine counters: received ${counts.received} = accepted ${counts.accepted} + dropped ${dropped} + pending ${counts.pending}`);
if (names.some((n) => !diagnostics.has(n) && fired[n] !== fired.js)) {
  console.log('  WARNING: implementations disagree on the row callbacks fired');
  process.exitCode = 1;
}
if (counts.received !== N || counts.received !== counts.accepted + dropped + counts.pending) {
  console.log('  WARNING: the engine did not account for every payload');
  process.exitCode = 1;
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ usPerEvent: result, rowCallbacks: fired }));
