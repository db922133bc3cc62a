// npm run bench:sites — an agency overview page with many sites, through the
// path the hooks take (PulseDriver over the real wasm engine), for 100, 1,000
// and 10,000 sites, each with a realtime hook and a "today" stats hook.
// Measures, per size: registering everything, one payload, one timer wakeup
// with nothing due, one with one site's poll due, and unregistering
// everything. The backend never answers (requests stay in flight), so only
// the engine and the driver are timed. Prints per-op times and the ratio of
// each per-op time to the 100-site one: flat ratios mean O(log n) per op.
// `--json`: the last line is one JSON object.
import { PulseDriver } from 'opsmantik-pulse/node';

const T0 = Date.UTC(2026, 1, 2, 9); // 12:00 Istanbul
const SIZES = [100, 1_000, 10_000];

const siteId = (i) => `site-${String(i).padStart(6, '0')}`;

function run(n) {
  const clock = { t: T0, now() { return this.t; } };
  let armed = null;
  const timers = {
    setTimeout(fn, delay) { armed = { fn, at: clock.t + delay }; return armed; },
    clearTimeout(handle) { if (armed === handle) armed = null; },
  };
  const listeners = new Map();
  const never = () => new Promise(() => {});
  const driver = new PulseDriver({
    rpc: { rpc: never },
    overlay: { fetchOverlay: never },
    realtime: { subscribe(site, _channel, handlers) { listeners.set(site, handlers); handlers.onStatus('SUBSCRIBED'); return () => listeners.delete(site); } },
    clock, timers, seed: 1,
    visibility: { get: () => true, subscribe: () => () => {} },
    online: { get: () => true, subscribe: () => () => {} },
  });
  driver.start();
  const handles = [];
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    handles.push(driver.registerRealtime(siteId(i), false, () => ({ onCallCreated() {} })));
    handles.push(driver.registerStats(siteId(i), 'today', false));
  }
  const registerMs = performance.now() - t;

  // One payload to one site, repeated (distinct ids: no dedup shortcut).
  const PAYLOADS = 2_000;
  t = performance.now();
  for (let k = 0; k < PAYLOADS; k++) {
    const handlers = listeners.get(siteId(k % n));
    handlers.onPayload({ table: 'calls', eventType: 'INSERT', commit_timestamp: `t${k}`, new: { id: k, site_id: siteId(k % n) } });
  }
  const payloadUs = ((performance.now() - t) * 1000) / PAYLOADS;

  // A wakeup with nothing due (a timer that fired early), then the real next one.
  const WAKES = 2_000;
  t = performance.now();
  for (let k = 0; k < WAKES; k++) driver.engine.handleTimeout(clock.t);
  const idleWakeUs = ((performance.now() - t) * 1000) / WAKES;
  // Requests time out 20 s after they went out: every site's are due at once
  // here, so time the wakeup a quiet page sees instead, one label later.
  const label = driver.registerRelativeTime(T0);
  clock.t = T0 + 10_000;
  t = performance.now();
  driver.engine.handleTimeout(clock.t);
  const oneDueUs = (performance.now() - t) * 1000;
  driver.unregister(label);

  t = performance.now();
  for (const h of handles) driver.unregister(h);
  const unregisterMs = performance.now() - t;
  driver.dispose();
  return { sites: n, registerMs, registerUsPerSite: (registerMs * 1000) / n, payloadUs, idleWakeUs, oneDueUs, unregisterMs };
}

const fmt = (x, d = 2) => x.toFixed(d).padStart(10);
// V8 runs wasm on its baseline compiler first and optimises hot functions a
// little later, and the first run grows the wasm memory page by page: warm
// both up, then report the best of three runs per size (the machine is shared).
run(1_000);
run(1_000);
const best = (runs) => Object.fromEntries(Object.keys(runs[0]).map((k) => [k, Math.min(...runs.map((r) => r[k]))]));
const rows = SIZES.map((n) => best([run(n), run(n), run(n)]));
console.log('sites     register(ms)  per site(µs)  payload(µs)  idle wake(µs)  label wake(µs)  unregister(ms)');
for (const r of rows) {
  console.log(`${String(r.sites).padStart(6)} ${fmt(r.registerMs)}   ${fmt(r.registerUsPerSite)}   ${fmt(r.payloadUs)}  ${fmt(r.idleWakeUs)}    ${fmt(r.oneDueUs)}     ${fmt(r.unregisterMs)}`);
}
const base = rows[0];
console.log('\nper-op time relative to 100 sites (1.0 = flat):');
for (const r of rows.slice(1)) {
  console.log(`${String(r.sites).padStart(6)}  register/site x${(r.registerUsPerSite / base.registerUsPerSite).toFixed(2)}  payload x${(r.payloadUs / base.payloadUs).toFixed(2)}  idle wake x${(r.idleWakeUs / base.idleWakeUs).toFixed(2)}  unregister/site x${((r.unregisterMs / r.sites) / (base.unregisterMs / base.sites)).toFixed(2)}`);
}
const at1000 = rows.find((r) => r.sites === 1_000);
const at10000 = rows.find((r) => r.sites === 10_000);
console.log(`\ngoals: 1,000 sites register in ${at1000.registerMs.toFixed(1)} ms (goal < 50), a wakeup at 10,000 sites takes ${(Math.max(at10000.idleWakeUs, at10000.oneDueUs) / 1000).toFixed(3)} ms (goal < 1)`);
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
