// toIsoString must be new Date(ms).toISOString() byte for byte for every
// number Date accepts, and throw where Date throws (an Error with kind
// 'invalid_instant' instead of Date's RangeError), non-numbers included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toIsoString } from 'opsmantik-pulse/node';

const MAX = 8.64e15;

/** What Date does with `ms`: its text, or null where it throws. */
function dateIso(ms) {
  try {
    return new Date(ms).toISOString();
  } catch (err) {
    assert.ok(err instanceof RangeError, `Date threw ${err} for ${String(ms)}`);
    return null;
  }
}

/** toIsoString agrees with Date on `ms`: same text, or an invalid_instant Error where Date throws. */
function agrees(ms) {
  const want = dateIso(ms);
  let got;
  try {
    got = toIsoString(ms);
  } catch (err) {
    if (want !== null) return `${Object.is(ms, -0) ? '-0' : String(ms)}: threw ${err?.message}, Date gives ${want}`;
    if (!(err instanceof Error) || err.kind !== 'invalid_instant') return `${String(ms)}: threw ${err} without kind invalid_instant`;
    return null;
  }
  if (want === null) return `${String(ms)}: returned ${got} where Date throws`;
  return got === want ? null : `${Object.is(ms, -0) ? '-0' : String(ms)}: ${got} != ${want}`;
}

test('toIsoString equals toISOString on edges: fractions, -0, the ±8.64e15 limits, NaN, ±Infinity', () => {
  const edges = [
    0, -0, 1, -1, 0.5, -0.5, 0.999, -0.999, 1.5, -1.5, 999.9, -999.9, 1e-300, -1e-300, Number.MIN_VALUE, -Number.MIN_VALUE,
    MAX, -MAX, MAX - 1, -MAX + 1, MAX + 1, -MAX - 1, MAX + 2, 9.007199254740992e15, 1e300, -1e300,
    NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE,
    253402300799999, 253402300800000, -62167219200000, -62167219200001, -62167219200000.5, 951782400000, 1709164800000,
  ];
  const failures = edges.map(agrees).filter(Boolean);
  assert.deepEqual(failures, []);
});

test('toIsoString equals toISOString on 100k random doubles (whole, fractional, negative, near the limits, beyond)', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const makers = [
    () => Math.floor((rand() * 2 - 1) * MAX),
    () => (rand() * 2 - 1) * MAX, // fractional where the magnitude allows
    () => (rand() * 2 - 1) * 4.1e12,
    () => (rand() * 2 - 1) * 2000, // tiny, fractional, both signs around the epoch
    () => (rand() < 0.5 ? -1 : 1) * (MAX + Math.floor((rand() * 2 - 1) * 4)), // straddling ±8.64e15
    () => (rand() * 2 - 1) * 1e17, // mostly beyond the range
    () => {
      // any bit pattern: NaNs, infinities, subnormals, huge and tiny magnitudes
      u32[0] = Math.floor(rand() * 2 ** 32);
      u32[1] = Math.floor(rand() * 2 ** 32);
      return f64[0];
    },
  ];
  const failures = [];
  for (let i = 0; i < 100_000 && failures.length < 5; i++) {
    const failure = agrees(makers[i % makers.length]());
    if (failure) failures.push(failure);
  }
  assert.deepEqual(failures, []);
});

test('non-numbers throw kind invalid_instant (Date would coerce them; the package does not)', () => {
  for (const v of [undefined, null, '0', '2026-02-02', true, {}, [], [0], 10n, Symbol('t'), () => 0, new Number(5), new Date(0)]) {
    assert.throws(() => toIsoString(v), (err) => err instanceof Error && err.kind === 'invalid_instant', `${typeof v}`);
  }
});
