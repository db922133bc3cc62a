// Property test of the realtime boundary: thousands of generated payload
// objects, hostile shapes included, fed once as objects (the slot path, which
// falls back to text for what it cannot prove) and once as JSON text. Both
// must decide, count and snapshot alike. Seeded: a failure names its seed and
// batch, and the same seed makes the same payloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, ROW_FIELDS, META_FIELDS } from '../dist/generated/core-facts.js';
import { runPayloads } from './helpers/payload-paths.mjs';
import { seededRandom } from '../bench/page/random.mjs';

const SITE = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
const T0 = Date.UTC(2026, 1, 2, 9);
const BATCHES = 50;
const PER_BATCH = 100;

/** The benchmark's seeded source, with the two draws the generator uses besides `pick`. */
function rng(seed) {
  const r = seededRandom(seed);
  return { ...r, int: r.below, chance: (p) => r.next() < p };
}

const STRINGS = ['', ' ', 'c1', ' c1 ', '42', ' 7 ', '1e21', '-0', 'NaN', 'true', 'null', 'calls', 'sessions', 'events', 'INSERT', 'UPDATE',
  'é', '\u{1F600}', 'ş\u0130', '\uD800', 'a\uDC00', '\uDBFF\uDFFF', '\u0000', '\n\t"\\', 'cpc', ' PPC ', 'Google Ads', 'organic', 'g', SITE, SITE.toUpperCase()];
const NUMBERS = [0, -0, 1, 42, -1, 0.5, -0.5, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity];

/** Mostly what a row holds; now and then anything at all. */
const ordinary = (r, depth) => (r.chance(0.8) ? r.pick(r.chance(0.5) ? STRINGS.slice(0, 12) : NUMBERS.slice(0, 9)) : value(r, depth));

/** A leaf or a small container, any JSON-ish or not-JSON-at-all value. */
function value(r, depth) {
  switch (r.int(depth > 3 ? 9 : 12)) {
    case 0: case 1: return r.pick(STRINGS);
    case 2: return r.pick(NUMBERS);
    case 3: return r.chance(0.5);
    case 4: return null;
    case 5: return undefined;
    case 6: return `sess-${r.int(20)}`;
    case 7: return r.pick([() => 10n, () => Symbol('s'), () => () => 1, () => new Date(0), () => r.pick(STRINGS).repeat(1 + r.int(3000))])();
    case 8: return hugeString(r);
    case 9: { const a = new Array(r.int(5)); for (let i = 0; i < a.length; i++) if (r.chance(0.6)) a[i] = value(r, depth + 1); return a; }
    case 10: return nested(r, MAX_PAYLOAD_DEPTH - 4 + r.int(6));
    default: return object(r, depth + 1, []);
  }
}

/** A string near a limit: the core's 64 KiB, or the slot path's conservative bound. */
function hugeString(r) {
  const unit = r.pick(['x', 'é', '\u{1F600}', '\u0001']);
  const budget = r.chance(0.5) ? MAX_PAYLOAD_BYTES : Math.floor(MAX_PAYLOAD_BYTES / 6);
  const bytes = new TextEncoder().encode(unit).length;
  return unit.repeat(Math.max(0, Math.floor(budget / (unit === '\u0001' ? 6 : bytes)) - 300 + r.int(600)));
}

/** `n` levels of arrays and objects, around the depth limit. */
function nested(r, n) {
  let v = r.pick([1, 'x', null]);
  for (let i = 0; i < n; i++) v = r.chance(0.5) ? [v] : { a: v };
  return v;
}

/** A plain object with some of `fields` and some other keys, made hostile now and then. */
function object(r, depth, fields) {
  const o = r.chance(0.05) ? Object.create(null) : {};
  for (const f of fields) if (r.chance(0.6)) o[f] = ordinary(r, depth);
  if (r.chance(0.3)) for (let i = r.int(3); i > 0; i--) o[r.pick(['x', 'note', '__proto__', 'constructor', 'toJSON', 'prototype', 'é', '\uD800k', ''])] = value(r, depth);
  return hostile(r, o);
}

function hostile(r, o) {
  switch (r.int(40)) {
    case 0: Object.defineProperty(o, r.pick(['gclid', 'id', 'x']), { enumerable: true, get() { throw new Error('getter'); } }); return o;
    case 1: Object.defineProperty(o, r.pick(['gclid', 'utm_medium', 'x']), { enumerable: true, get: () => 'g' }); return o;
    case 2: return new Proxy(o, {});
    case 3: return new Proxy(o, { ownKeys() { throw new Error('ownKeys'); } });
    case 4: return new Proxy(o, { getPrototypeOf() { throw new Error('proto'); } });
    case 5: o.self = o; return o; // a cycle
    case 6: Object.defineProperty(o, '__proto__', { value: { gclid: 'g' }, enumerable: true, writable: true, configurable: true }); return o;
    case 7: Object.setPrototypeOf(o, { inherited: 'x' }); return o;
    case 8: o[Symbol('k')] = 'hidden'; return o;
    case 9: Object.defineProperty(o, 'hidden', { value: 'x', enumerable: false }); return o;
    case 10: return Object.freeze(o);
    default: return o;
  }
}

/** One payload: mostly change-shaped, fields from the core's tables, values from anywhere. */
function payload(r) {
  if (r.chance(0.03)) return value(r, 0);
  const p = {};
  if (r.chance(0.9)) p.table = r.chance(0.8) ? r.pick(['calls', 'sessions', 'events']) : value(r, 1);
  if (r.chance(0.9)) p.eventType = r.chance(0.8) ? r.pick(['INSERT', 'UPDATE', 'DELETE']) : value(r, 1);
  if (r.chance(0.9)) p.commit_timestamp = r.chance(0.7) ? `t${r.int(8)}` : value(r, 1);
  if (r.chance(0.5)) p.errors = r.chance(0.5) ? null : value(r, 1);
  if (r.chance(0.3)) p.schema = 'public';
  if (r.chance(0.92)) {
    const row = r.chance(0.85) ? object(r, 2, ROW_FIELDS) : value(r, 1);
    if (row && typeof row === 'object' && !Array.isArray(row) && Object.isExtensible(row)) {
      try {
        if (r.chance(0.7)) row.id = r.chance(0.7) ? `row-${r.int(6)}` : value(r, 2);
        if (r.chance(0.7)) row.site_id = r.chance(0.85) ? SITE : value(r, 2);
        if (r.chance(0.5)) row[r.pick(['matched_session_id', 'session_id'])] = `sess-${r.int(12)}`;
        for (const m of ['metadata', 'meta']) if (r.chance(0.3)) row[m] = object(r, 3, META_FIELDS);
      } catch {} // a proxy whose traps throw, or a getter-only key
    }
    p.new = row;
  }
  if (r.chance(0.2)) p.old = {};
  return hostile(r, p);
}

const batch = (seed) => { const r = rng(seed); return Array.from({ length: PER_BATCH }, () => payload(r)); };

test(`generated payloads (${BATCHES * PER_BATCH}, seeded): the slot and text paths agree on commands, counters and snapshots`, () => {
  let slots = 0;
  const reasons = new Set();
  for (let b = 0; b < BATCHES; b++) {
    const seed = 0x5107 + b;
    const viaText = runPayloads(SITE, T0, batch(seed), false);
    const viaObjects = runPayloads(SITE, T0, batch(seed), true);
    const where = `seed ${seed}`;
    assert.deepEqual(viaObjects.outcomes, viaText.outcomes, where);
    assert.deepEqual(viaObjects.counters, viaText.counters, where);
    assert.deepEqual(viaObjects.snapshots, viaText.snapshots, where);
    const c = viaObjects.counters;
    const dropped = Object.values(c.dropped).reduce((a, n) => a + n, 0);
    assert.equal(c.received, c.accepted + dropped + c.pending, `${where}: received = accepted + dropped + pending`);
    assert.equal(c.received, 2 * PER_BATCH, `${where}: two pipelines, every payload counted by each`);
    slots += viaObjects.slots;
    for (const [reason, n] of Object.entries(c.dropped)) if (n > 0) reasons.add(reason);
    if (c.accepted > 0) reasons.add('accepted');
  }
  // The generator reaches both paths and most outcomes (else it proves little).
  assert.ok(slots > BATCHES * PER_BATCH * 0.4 && slots < BATCHES * PER_BATCH, `slot path taken ${slots} times`);
  for (const r of ['accepted', 'duplicate', 'malformed', 'oversized', 'too_deep', 'unknown_table', 'unsupported_event', 'server_errors', 'cross_site']) {
    assert.ok(reasons.has(r), `${r} reached (${[...reasons]})`);
  }
});

test('an enumerable key added to Object.prototype (the walk uses for…in) changes no decision: those payloads cross as text', () => {
  const seed = 0x5107;
  const viaText = runPayloads(SITE, T0, batch(seed), false);
  // `gclid` is a field the rules read: walked as the row's own key, it would make every row ads.
  Object.defineProperty(Object.prototype, 'gclid', { value: 'polluted', enumerable: true, configurable: true, writable: true });
  let viaObjects;
  try {
    viaObjects = runPayloads(SITE, T0, batch(seed), true);
  } finally {
    delete Object.prototype.gclid;
  }
  assert.deepEqual(viaObjects.outcomes, viaText.outcomes);
  assert.deepEqual(viaObjects.counters, viaText.counters);
  assert.deepEqual(viaObjects.snapshots, viaText.snapshots);
  assert.equal(viaObjects.slots, 0, 'no payload took the slot path while Object.prototype enumerates');
});
