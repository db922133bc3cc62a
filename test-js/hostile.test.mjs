// Every export of the wasm module, every method of its classes, and every
// public function and method of the TS layer, called with hostile JS values:
// each returns, or throws a JS Error, and never aborts the wasm instance (a
// Rust panic would surface as a WebAssembly.RuntimeError and kill every hook
// on the page). Errors from the public API must also carry a string `kind`,
// so callers can branch on it instead of parsing TypeError messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from 'opsmantik-pulse/node';
import * as server from 'opsmantik-pulse/server';
import * as react from 'opsmantik-pulse/react';
import * as raw from '../pkg/opsmantik_pulse.js';
import { fakeBackend, fakeClock, fakeTimers, SITE } from './helpers/fakes.mjs';

let deep = {};
for (let i = 0; i < 5_000; i++) deep = { a: deep, new: deep };
const cyclic = {};
cyclic.self = cyclic;
const polluted = JSON.parse('{"__proto__": {"sealed": 1, "table": "calls"}, "constructor": {"prototype": {"x": 1}}}');
const throwing = new Proxy({}, { get() { throw new Error('hostile getter'); }, has() { throw new Error('hostile has'); } });
const HOSTILE = [
  undefined, null, NaN, Infinity, -Infinity, -0, 1.9, 1e300, -1, 2 ** 53 + 2, '', 'x'.repeat(1 << 20), '\u0000\uffff', '{"table":"calls"', 'true',
  {}, [], deep, cyclic, polluted, throwing, () => 1, 10n, Symbol('hostile'), true,
];

function alive() {
  assert.equal(api.dateKeyAt(0, 'UTC'), '1970-01-01', 'the wasm instance still works');
}

const show = (args) => args.map((a) => (typeof a === 'symbol' ? 'Symbol' : typeof a === 'string' ? `'${a.slice(0, 12)}'` : typeof a === 'object' && a !== null ? typeof a : String(a))).join(', ');

/**
 * Calls `fn(...args)`: it must return or throw an Error, never trap the
 * instance. With `kinded`, a thrown Error must carry a string `kind`; misses
 * are collected in `misses` so one run reports all of them. A returned
 * promise is checked the same way once it settles.
 */
function makeCaller(misses, pending) {
  const check = (label, args, err, kinded) => {
    if (err instanceof WebAssembly.RuntimeError) throw new Error(`wasm trap (a panic) from ${label}(${show(args)}): ${err.message}`);
    if (!(err instanceof Error)) misses.push(`${label}(${show(args)}) threw a non-Error: ${typeof err}`);
    else if (kinded && typeof err.kind !== 'string') misses.push(`${label}(${show(args)}): ${err.constructor.name}: ${err.message.slice(0, 80)}`);
  };
  return (label, fn, args, kinded = true) => {
    try {
      const out = fn(...args);
      if (out && typeof out.then === 'function') pending.push(Promise.resolve(out).then(() => {}, (err) => check(label, args, err, kinded)));
    } catch (err) {
      check(label, args, err, kinded);
    }
  };
}

const methodsOf = (obj) => {
  const names = new Set();
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  for (const n of Object.keys(obj)) names.add(n);
  return [...names].filter((m) => m !== 'constructor' && typeof obj[m] === 'function');
};

test('every raw wasm function export survives hostile arguments with kinded errors', async () => {
  const misses = [], pending = [];
  const call = makeCaller(misses, pending);
  const fns = Object.entries(raw).filter(([name, v]) => typeof v === 'function' && !/^[A-Z]/.test(name) && !['default', 'initSync'].includes(name));
  assert.ok(fns.length >= 10, `found ${fns.length} exports`);
  for (const [name, fn] of fns) {
    for (const v of HOSTILE) {
      call(name, fn, [v, v, v, v, v, v, v]);
      call(name, fn, ['2026-02-02', v, v]);
    }
    alive();
  }
  await Promise.all(pending);
  assert.deepEqual(misses, [], `${misses.length} calls threw without a kind`);
});

// The raw classes are internal glue (not in the package's exports map): their
// numeric and boolean parameters are converted by wasm-bindgen's JS before
// Rust sees them, so a Symbol there is a TypeError. Only "never a trap" is
// checked here; the public wrappers below validate first and always throw kinded errors.
test('every method of the raw classes survives hostile arguments; the instance stays usable', () => {
  const call = makeCaller([], []);
  for (const Cls of [raw.PulseEngineCore]) {
    for (const v of HOSTILE) call(Cls.name, (...a) => new Cls(...a).free(), [v, v, v, v, v], false);
    const instance = new Cls(undefined, undefined, 1);
    const methods = Object.getOwnPropertyNames(Cls.prototype).filter((m) => m !== 'constructor' && m !== 'free' && m !== '__destroy_into_raw' && typeof instance[m] === 'function');
    assert.ok(methods.length >= 8, `${Cls.name}: ${methods.length} methods`);
    for (const m of methods) {
      for (const v of HOSTILE) {
        call(m, instance[m].bind(instance), [v, v, v, v, v, v, v], false);
        call(m, instance[m].bind(instance), ['site-aaa', v, v, 1_770_000_000_000, v, v, v], false);
      }
    }
    alive();
    // Still a working instance after all that.
    const h = instance.registerRealtime('site-aaa', false, true, 1_770_000_000_000);
    assert.ok(h > 0);
    assert.equal(JSON.parse(instance.snapshotJson(h)).type, 'realtime');
    assert.equal(instance.handlePayload('site-aaa', '{"table":"calls","eventType":"INSERT","commit_timestamp":"t","new":{"id":1,"site_id":"site-aaa"}}', 1, 1_770_000_000_001), false);
    instance.free();
  }
});

test('every public function of the node, server and react entries throws only kinded Errors', async () => {
  const misses = [], pending = [];
  const call = makeCaller(misses, pending);
  const entries = { ...api, ...server, ...Object.fromEntries(Object.entries(react).filter(([n]) => !/^use|^Pulse|^init/.test(n))) };
  const fns = Object.entries(entries).filter(([name, v]) => typeof v === 'function' && /^[a-z]/.test(name));
  assert.ok(fns.length >= 20, `found ${fns.length} functions`);
  for (const [name, fn] of fns) {
    for (const v of HOSTILE) {
      call(name, fn, [v, v, v]);
      call(name, fn, [1_770_000_000_000, v, v]);
    }
  }
  alive();
  await Promise.all(pending);
  assert.deepEqual(misses, [], `${misses.length} calls threw without a kind`);
});

/** One instance of each public class (and the objects the factories return) with working fakes. */
function instances() {
  const clock = fakeClock(1_770_000_000_000);
  const backend = fakeBackend();
  const fakeFetch = async () => ({ ok: true, status: 200, text: async () => '{}' });
  const channel = { on() { return channel; }, subscribe() { return channel; } };
  class FakeEventSource { close() {} }
  return {
    engine: new api.PulseEngine({ seed: 1 }),
    driver: new api.PulseDriver({ ...backend, clock, timers: fakeTimers(clock), visibility: api.manualFlag(true), online: api.manualFlag(true), seed: 1, onError: () => {} }),
    store: new api.PulseStore(),
    flag: api.manualFlag(true),
    clock: api.systemClock,
    timers: api.systemTimers,
    rpcAdapter: api.supabaseRpcAdapter({ rpc: async () => ({ data: null, error: null }) }),
    overlayAdapter: api.fetchOverlayAdapter({ fetch: fakeFetch }),
    supabaseRealtime: api.supabaseRealtimeAdapter({ channel: () => channel, removeChannel() {} }),
    eventSource: api.eventSourceRealtimeAdapter({ EventSource: FakeEventSource }),
  };
}

test('every method of the public classes and adapter objects throws only kinded Errors', async () => {
  const misses = [], pending = [];
  const call = makeCaller(misses, pending);
  for (const Cls of [api.PulseEngine, api.PulseDriver]) {
    for (const v of HOSTILE) call(`new ${Cls.name}`, (...a) => { const x = new Cls(...a); x.free?.(); x.dispose?.(); }, [v, v, v]);
  }
  const all = instances();
  for (const [label, obj] of Object.entries(all)) {
    for (const m of methodsOf(obj).filter((n) => !['free', 'dispose'].includes(n))) {
      for (const v of HOSTILE) {
        call(`${label}.${m}`, obj[m].bind(obj), [v, v, v, v, v]);
        call(`${label}.${m}`, obj[m].bind(obj), [SITE, v, v, 1_770_000_000_000, v]);
      }
    }
  }
  alive();
  // After free()/dispose(), the wrappers say so with kind 'disposed' (or stay documented no-ops).
  all.engine.free();
  all.driver.dispose();
  for (const label of ['engine', 'driver']) {
    const obj = all[label];
    for (const m of methodsOf(obj)) for (const v of HOSTILE.slice(0, 8)) call(`${label}.${m} after free`, obj[m].bind(obj), [v, v, v, v, v]);
  }
  await Promise.all(pending);
  assert.deepEqual(misses, [], `${misses.length} calls threw without a kind`);
});

test('no eval, new Function or innerHTML anywhere in the package', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|js|mjs)$/.test(name)) files.push(p);
    }
  };
  walk(join(root, 'js'));
  walk(join(root, 'dist'));
  walk(join(root, 'www', 'app'));
  walk(join(root, 'www', 'lib'));
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\.innerHTML\b|dangerouslySetInnerHTML/, f);
  }
  assert.ok(files.length > 20);
});
