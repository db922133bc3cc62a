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
import { SLOT_COUNT } from '../dist/payload-slots.js';
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
    preconnect: new api.RealtimePreconnect(backend.realtime),
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

const T1 = 1_770_000_000_000;
const isKind = (k) => (err) => err instanceof Error && err.kind === k;
const change = (table, id, row = {}) => ({ table, eventType: 'INSERT', commit_timestamp: `t-${id}`, new: { id, site_id: SITE, ...row } });

/** A raw core with one realtime registration, and views of its slot buffers. */
function rawCore() {
  const core = new raw.PulseEngineCore(undefined, undefined, 1, false);
  core.registerRealtime(SITE, false, true, T1);
  core.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, T1);
  core.drainCommandsJson();
  const memory = core.slotMemory();
  const views = () => ({
    slots: new Float64Array(memory.buffer, core.slotsPtr(), 2 * SLOT_COUNT),
    text: new Uint8Array(memory.buffer, core.slotTextPtr(), core.slotTextCapacity()),
  });
  return { core, views };
}

test('the raw slot export: every count it takes is checked (kind invalid_argument), garbage in the buffers is a counted drop', () => {
  const { core, views } = rawCore();
  const site = new TextEncoder().encode(SITE);
  views().text.set(site);
  const cap = core.slotTextCapacity();
  const bad = (args, why) => assert.throws(() => core.handlePayloadSlots(...args), isKind('invalid_argument'), why);
  for (const v of [NaN, -1, 0.5, Infinity, 1e300, cap + 1]) {
    bad([site.length, v, 1, T1], `textBytes ${v}`);
    bad([v, site.length, 1, T1], `siteUnits ${v}`);
  }
  for (const v of [NaN, -1, 0.5, Infinity, 2 ** 53]) bad([site.length, site.length, v, T1], `seq ${v}`);
  for (const v of [NaN, Infinity, -1e300]) assert.throws(() => core.handlePayloadSlots(site.length, site.length, 1, v), isKind('invalid_instant'), `nowMs ${v}`);
  bad([site.length + 1, site.length, 1, T1], 'a site id longer than the text written');
  views().text.set([0xff, 0xfe, 0x80], site.length);
  bad([site.length, site.length + 3, 1, T1], 'text that is not UTF-8');
  // The buffers themselves: unknown tags, lengths that are not counts or run past the text.
  const cases = [[99, 0], [NaN, 0], [-1, 0], [2.5, 0], [2, NaN], [2, -1], [2, 1e300], [2, 3], [3, 0.5], [1e300, 0]];
  let seq = 0;
  for (const [tag, value] of cases) {
    const v = views();
    v.slots.fill(0);
    v.slots.set([tag, value], 2);
    assert.equal(core.handlePayloadSlots(site.length, site.length, ++seq, T1) & 1, 0, `tag ${tag}, value ${value}`);
  }
  const counts = JSON.parse(core.countersJson()).payloads;
  assert.equal(counts.dropped.malformed, cases.length, 'every inconsistent buffer counted as malformed');
  assert.equal(counts.received, counts.accepted + Object.values(counts.dropped).reduce((a, n) => a + n, 0) + counts.pending);
  core.free();
  assert.throws(() => core.handlePayloadSlots(site.length, site.length, 1, T1), Error, 'after free(): an Error, not a trap');
  alive();
});

test("a payload's getters cannot corrupt the slot read: nested calls take the text path, free() is kind disposed", () => {
  const e = new api.PulseEngine({ seed: 1 });
  e.registerRealtime(SITE, false, true, T1);
  e.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, T1);
  e.drainCommands();
  // The outer payload's table is not one the rules take; its getter feeds a session in meanwhile.
  const inner = change('sessions', 's9', { gclid: 'g' });
  const outer = { table: 'users', eventType: 'INSERT', commit_timestamp: 't',
    get new() { if (e.handlePayloadObject(SITE, inner, 2, T1 + 1) === undefined) e.handlePayload(SITE, JSON.stringify(inner), 2, T1 + 1); return { id: 'c1', site_id: SITE }; } };
  assert.notEqual(e.handlePayloadObject(SITE, outer, 1, T1 + 2), undefined, 'the outer read completes');
  const counts = e.counters().payloads;
  assert.equal(counts.accepted, 1, 'the session only: before, the outer payload was decided with the inner one\'s fields');
  assert.equal(counts.dropped.unknown_table, 1);
  e.free();
  const f = new api.PulseEngine({ seed: 1 });
  f.registerRealtime(SITE, false, true, T1);
  assert.throws(() => f.handlePayloadObject(SITE, { table: 'calls', get eventType() { f.free(); return 'INSERT'; } }, 1, T1), isKind('disposed'));
  // Memory grown by a getter detaches the views: the payload takes the text path, still counted once.
  const g = new api.PulseEngine({ seed: 1 });
  g.registerRealtime(SITE, false, true, T1);
  const others = [];
  const grow = change('calls', 'c2');
  Object.defineProperty(grow.new, 'gclid', { enumerable: true, get() { for (let i = 0; i < 100; i++) others.push(new api.PulseEngine({ seed: i })); return 'g'; } });
  assert.equal(g.handlePayloadObject(SITE, grow, 1, T1), undefined);
  for (const o of others) o.free();
  g.free();
  alive();
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
