// npm run bench:ranges — day-range computation per call, side by side in one
// Node process on the same inputs:
//   pulse            this package (wasm), boundary crossing included
//   trt-fixed        the original: TRT as fixed UTC+3 (only valid for TRT)
//   intl-new         later upstream: iterative Intl.DateTimeFormat guess, a new formatter per call
//   intl-cached      the same algorithm with one cached formatter per zone
// Prints ns/op (median of interleaved rounds), ratios, and the wasm size.
// `--json` prints one JSON object as the last line.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dayRange } from 'opsmantik-pulse/node';

const JSON_OUT = process.argv.includes('--json');
const N = 10_000;
const ROUNDS = 7;

// Deterministic inputs.
let seed = 12345;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pad = (n, w = 2) => String(n).padStart(w, '0');
const keyOf = (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const zones = Intl.supportedValuesOf('timeZone').filter((z) => z !== 'Europe/Istanbul');
const dayMs = (y0, span) => Date.UTC(y0, 0, 1) + Math.floor(rand() * span * 365) * 86_400_000;
const otherInputs = Array.from({ length: N }, () => [keyOf(dayMs(2000, 40)), zones[Math.floor(rand() * zones.length)]]);
const trtInputs = Array.from({ length: N }, () => [keyOf(dayMs(2016, 20)), 'Europe/Istanbul']);

// --- baselines, written as a JS developer would -----------------------------
function parseKey(key) {
  const [y, m, d] = key.split('-').map(Number);
  return [y, m, d];
}

function trtFixed(key) {
  const [y, m, d] = parseKey(key);
  const from = Date.UTC(y, m - 1, d) - 3 * 3_600_000;
  const to = from + 86_400_000;
  return { dateKey: key, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString(), fromMs: from, toMs: to };
}

const FORMAT = { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };
const newFormatter = (timeZone) => new Intl.DateTimeFormat('en-US', { ...FORMAT, timeZone });
const cache = new Map();
const cachedFormatter = (timeZone) => {
  let f = cache.get(timeZone);
  if (!f) cache.set(timeZone, (f = newFormatter(timeZone)));
  return f;
};

function wallClockMs(formatter, ms) {
  const p = {};
  for (const part of formatter.formatToParts(new Date(ms))) p[part.type] = part.value;
  const hour = Number(p.hour) === 24 ? 0 : Number(p.hour);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), hour, Number(p.minute), Number(p.second));
}

// Guess the UTC instant of local midnight, then correct by the observed wall-clock error, up to 3 times.
function localMidnight(y, m, d, timeZone, getFormatter) {
  const want = Date.UTC(y, m - 1, d);
  let guess = want;
  for (let i = 0; i < 3; i++) {
    const diff = wallClockMs(getFormatter(timeZone), guess) - want;
    if (diff === 0) break;
    guess -= diff;
  }
  return guess;
}

function intlRange(key, timeZone, getFormatter) {
  const [y, m, d] = parseKey(key);
  const from = localMidnight(y, m, d, timeZone, getFormatter);
  const to = localMidnight(y, m, d + 1, timeZone, getFormatter);
  return { dateKey: key, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString(), fromMs: from, toMs: to };
}

const variants = {
  pulse: ([key, tz]) => dayRange(key, tz),
  'trt-fixed': ([key]) => trtFixed(key),
  'intl-new': ([key, tz]) => intlRange(key, tz, newFormatter),
  'intl-cached': ([key, tz]) => intlRange(key, tz, cachedFormatter),
};

// intl-new is slow; time it on a slice so a run stays short (per-op figures are comparable).
const sliceFor = (name, inputs) => (name === 'intl-new' ? inputs.slice(0, 1000) : inputs);

function timeOnce(fn, inputs) {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (const input of inputs) sink += fn(input).toMs;
  const t1 = process.hrtime.bigint();
  if (Number.isNaN(sink)) throw new Error('unreachable sink');
  return Number(t1 - t0) / inputs.length;
}

function measure(setName, inputs, names) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) timeOnce(variants[n], sliceFor(n, inputs).slice(0, 500)); // warm-up
  for (let r = 0; r < ROUNDS; r++) for (const n of names) samples[n].push(timeOnce(variants[n], sliceFor(n, inputs)));
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

// How often each JS variant disagrees with pulse (which matches the zoneinfo oracle row for row).
function disagreements(inputs, name) {
  let n = 0;
  for (const input of sliceFor(name, inputs)) {
    const a = variants[name](input), b = dayRange(input[0], input[1]);
    if (a.fromIso !== b.fromIso || a.toIso !== b.toIso) n++;
  }
  return n;
}

const results = {
  otherZones: measure('other', otherInputs, ['pulse', 'intl-new', 'intl-cached']),
  trt: measure('trt', trtInputs, ['pulse', 'trt-fixed', 'intl-new', 'intl-cached']),
};
const wasm = readFileSync(new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url));
const size = { rawBytes: wasm.length, gzipBytes: gzipSync(wasm, { level: 9 }).length };
const wrong = {
  'intl-new (of 1000 non-TRT)': disagreements(otherInputs, 'intl-new'),
  'intl-cached (of 10000 non-TRT)': disagreements(otherInputs, 'intl-cached'),
};

const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log(`node ${process.version}; ${N} random (zone, day) pairs over ${zones.length} non-TRT zones, 2000-2039; ${N} TRT days 2016-2035; median of ${ROUNDS} interleaved rounds`);
for (const [set, r] of Object.entries(results)) {
  console.log(`\n${set === 'trt' ? 'Europe/Istanbul days' : 'non-TRT zones'}:`);
  for (const [name, ns] of Object.entries(r)) {
    const ratio = name === 'pulse' ? '' : `  pulse is ${(ns / r.pulse).toFixed(1)}x ${ns >= r.pulse ? 'faster' : 'SLOWER'}`;
    console.log(`  ${name.padEnd(12)} ${fmt(ns).padStart(10)}/op${ratio}`);
  }
}
console.log(`\nJS results that differ from pulse (and the oracle): ${Object.entries(wrong).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`wasm: ${size.rawBytes} bytes raw, ${size.gzipBytes} bytes gzipped (Europe/Istanbul and UTC built in; every other zone in pkg/opsmantik_pulse_zones.bin, which the Node entry loads at import)`);
if (JSON_OUT) console.log(JSON.stringify({ nsPerOp: results, wasm: size, disagreements: wrong }));
