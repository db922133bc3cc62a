// Every export of the wasm module, and every method of its classes, called
// with hostile JS values: each returns, or throws a JS Error, and never
// aborts the wasm instance (a Rust panic would surface as a
// WebAssembly.RuntimeError and kill every hook on the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from 'opsmantik-pulse/node';
import * as raw from '../pkg/opsmantik_pulse.js';

let deep = {};
for (let i = 0; i < 5_000; i++) deep = { a: deep, new: deep };
const cyclic = {};
cyclic.self = cyclic;
const polluted = JSON.parse('{"__proto__": {"sealed": 1, "table": "calls"}, "constructor": {"prototype": {"x": 1}}}');
const HOSTILE = [undefined, null, NaN, Infinity, -Infinity, -0, 1e300, -1, 2 ** 53 + 2, '', 'x'.repeat(1 << 20), '\u0000\uffff', '{"table":"calls"', {}, [], deep, cyclic, polluted, () => 1, 10n, true];

function alive() {
  assert.equal(api.dateKeyAt(0, 'UTC'), '1970-01-01', 'the wasm instance still works');
}

function call(fn, args) {
  try {
    fn(...args);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw new Error(`wasm trap (a panic) from ${fn.name}(${args.map(String).join(', ').slice(0, 80)}): ${err.message}`);
    assert.ok(err instanceof Error || typeof err === 'object', `throws an Error, got ${typeof err}`);
  }
}

test('every raw wasm export survives hostile arguments', () => {
  const fns = Object.entries(raw).filter(([name, v]) => typeof v === 'function' && !/^[A-Z]/.test(name) && !['default', 'initSync'].includes(name));
  assert.ok(fns.length >= 10, `found ${fns.length} exports`);
  for (const [, fn] of fns) {
    for (const v of HOSTILE) {
      call(fn, [v, v, v, v, v, v, v]);
      call(fn, ['2026-02-02', v, v]);
    }
    alive();
  }
});

test('every method of the exported classes survives hostile arguments; the instance stays usable', () => {
  for (const Cls of [raw.PulseEngineCore, raw.PulseRealtimeCore]) {
    for (const v of HOSTILE) call((...a) => new Cls(...a).free(), [v, v, v, v, v]);
    const instance = Cls === raw.PulseEngineCore ? new Cls(undefined, undefined, 1) : new Cls('site-aaa', false, 1, undefined, undefined);
    const methods = Object.getOwnPropertyNames(Cls.prototype).filter((m) => m !== 'constructor' && m !== 'free' && m !== '__destroy_into_raw' && typeof instance[m] === 'function');
    assert.ok(methods.length >= 8, `${Cls.name}: ${methods.length} methods`);
    for (const m of methods) {
      for (const v of HOSTILE) {
        call(instance[m].bind(instance), [v, v, v, v, v, v, v]);
        call(instance[m].bind(instance), ['site-aaa', v, v, 1_770_000_000_000, v, v, v]);
      }
    }
    alive();
    // Still a working instance after all that.
    if (Cls === raw.PulseEngineCore) {
      const h = instance.registerRealtime('site-aaa', false, true, 1_770_000_000_000);
      assert.ok(h > 0);
      assert.equal(JSON.parse(instance.snapshotJson(h)).type, 'realtime');
    } else {
      assert.equal(instance.handlePayloadJson('{"table":"calls","eventType":"INSERT","commit_timestamp":"t","new":{"id":1,"site_id":"site-aaa"}}', 1, 1), '');
    }
    instance.free();
  }
});

test('the typed TS API survives hostile arguments too', () => {
  const fns = Object.entries(api).filter(([name, v]) => typeof v === 'function' && /^[a-z]/.test(name));
  for (const [, fn] of fns) {
    for (const v of HOSTILE) call(fn, [v, v, v]);
  }
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
