// npm run bench:events — µs per realtime event, side by side in one Node
// process on the same 100k payloads (10% duplicates, 1% other site):
//   pulse (per event)  one wasm call per payload + draining its outputs
//   pulse (batched)    250 payloads per wasm call, outputs drained per batch
//   pulse (text in)    one call per payload given as the JSON text SSE delivers (no stringify)
//   pulse (driver)     the hooks' path: PulseDriver fed payload objects by its realtime
//                      adapter, callbacks registered, lookups answered by its rpc adapter
//                      (one payload per microtask turn, as a websocket delivers them)
//   js                 a plain-JS implementation of the same rules, on objects
//   js (text in)       the same, parsing the SSE text first (the fair match for "pulse (text in)")
// Prints µs/event (median of interleaved rounds) and the ratios. Events reach
// callbacks only through a session lookup: every variant answers them at once
// with the same `sessionHasRows`.
import { PulseDriver, PulseRealtime } from 'opsmantik-pulse/node';
import { JsRealtime } from './baselines/realtime-js.mjs';
import { SITE, payloadStream, sessionHasRows } from './payloads.mjs';

const N = 100_000;
const ROUNDS = 5;
// A batch's lookups are answered after it, and at most 256 sessions wait at once.
const BATCH = 250;
const payloads = [...payloadStream(N, { seed: 7 })];
const texts = payloads.map((p) => JSON.stringify(p)); // as an SSE transport receives them
const NOW = Date.UTC(2026, 1, 2, 12);
// Callbacks fired (the first drain also holds the channel's subscribe command).
const countNotify = (outputs) => outputs.reduce((n, o) => n + (o.type === 'notify' ? 1 : 0), 0);
/** Drains pulse, answering its session lookups; returns the callbacks fired. */
function drainPulse(rt, now) {
  let fired = 0;
  for (let outputs = rt.drainOutputs(); outputs.length > 0; outputs = rt.drainOutputs()) {
    fired += countNotify(outputs);
    for (const o of outputs) if (o.type === 'lookup_session') rt.handleLookupResult(o.request_id, { isAds: sessionHasRows(o.session_id) }, now);
  }
  return fired;
}

/** The hooks' path: a driver whose adapters deliver payload objects and answer lookups. */
async function runDriver() {
  let fired = 0;
  let handlers;
  const count = () => { fired++; };
  const driver = new PulseDriver({
    rpc: { rpc: async (name, params) => ({ data: name === 'get_session_details' && sessionHasRows(params.p_session_id) ? [{ id: params.p_session_id }] : [], error: null }) },
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
    handlers.onPayload(payloads[i]);
    await Promise.resolve(); // the end of the websocket message's task: the driver flushes
  }
  for (let k = 0; k < 10; k++) await new Promise((r) => setImmediate(r)); // the last lookups' answers
  const usPerEvent = Number(process.hrtime.bigint() - t0) / 1000 / N;
  driver.dispose();
  return { usPerEvent, fired };
}

/** Row callbacks only (the JS baseline's data freshness is not a row callback). */
const countRowNotify = (outputs) => outputs.reduce((n, o) => n + (o.type === 'notify' && o.kind !== 'data_freshness' ? 1 : 0), 0);

async function run(name) {
  if (name === 'pulse (driver)') return runDriver();
  let fired = 0;
  const t0 = process.hrtime.bigint();
  if (name === 'js (text in)') {
    const rt = new JsRealtime(SITE, { sessionHasRows });
    for (let i = 0; i < N; i++) { rt.handlePayload(JSON.parse(texts[i]), NOW + i); fired += countNotify(rt.drainOutputs()); }
  } else if (name === 'js') {
    const rt = new JsRealtime(SITE, { sessionHasRows });
    for (let i = 0; i < N; i++) { rt.handlePayload(payloads[i], NOW + i); fired += countNotify(rt.drainOutputs()); }
  } else if (name === 'pulse (text in)') {
    const rt = new PulseRealtime(SITE);
    for (let i = 0; i < N; i++) { rt.handlePayload(texts[i], NOW + i); fired += drainPulse(rt, NOW + i); }
    rt.free();
  } else if (name === 'pulse (per event)') {
    const rt = new PulseRealtime(SITE);
    for (let i = 0; i < N; i++) { rt.handlePayload(payloads[i], NOW + i); fired += drainPulse(rt, NOW + i); }
    rt.free();
  } else {
    const rt = new PulseRealtime(SITE);
    for (let i = 0; i < N; i += BATCH) { rt.handlePayloads(payloads.slice(i, i + BATCH), NOW + i); fired += drainPulse(rt, NOW + i); }
    rt.free();
  }
  return { usPerEvent: Number(process.hrtime.bigint() - t0) / 1000 / N, fired };
}

const names = ['pulse (driver)', 'pulse (per event)', 'pulse (text in)', 'pulse (batched)', 'js', 'js (text in)'];
const samples = Object.fromEntries(names.map((n) => [n, []]));
const fired = {};
for (const n of names) await run(n); // warm-up
for (let r = 0; r < ROUNDS; r++) for (const n of names) { const res = await run(n); samples[n].push(res.usPerEvent); fired[n] = res.fired; }
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = Object.fromEntries(names.map((n) => [n, median(samples[n])]));

console.log(`node ${process.version}; ${N} payloads (10% duplicates, 1% other site); median of ${ROUNDS} interleaved rounds`);
for (const n of names) console.log(`  ${n.padEnd(18)} ${result[n].toFixed(3).padStart(7)} µs/event  callbacks ${fired[n]}`);
console.log(`  the hooks' path (driver) vs js: ${(result['pulse (driver)'] / result.js).toFixed(1)}x slower`);
console.log(`  vs js: per event ${(result['pulse (per event)'] / result.js).toFixed(1)}x, batched ${(result['pulse (batched)'] / result.js).toFixed(1)}x slower; text in vs js text in: ${(result['pulse (text in)'] / result['js (text in)']).toFixed(1)}x slower`);
// The driver counts row callbacks; the other variants count every notification (freshness included).
const rowCallbacks = (() => { const rt = new JsRealtime(SITE, { sessionHasRows }); let n = 0; for (let i = 0; i < N; i++) { rt.handlePayload(payloads[i], NOW + i); n += countRowNotify(rt.drainOutputs()); } return n; })();
if (fired['pulse (driver)'] !== rowCallbacks) {
  console.log(`  WARNING: the driver fired ${fired['pulse (driver)']} row callbacks, the JS reference ${rowCallbacks}`);
  process.exitCode = 1;
}
if (names.some((n) => n !== 'pulse (driver)' && fired[n] !== fired.js)) {
  console.log('  WARNING: implementations disagree on the callbacks fired');
  process.exitCode = 1;
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ usPerEvent: result, outputs: fired }));
