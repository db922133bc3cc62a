// The built package in Node: every oracle row, JS Date agreement, and bad
// input errors that name the input. Imports go through the package's own
// exports map, exactly as a consumer's would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dayRange, todayRange, yesterdayRange, dateKeyAt, nextDayStartMs, spanRange, lastDaysRange } from 'opsmantik-pulse/node';
import { createServerSnapshot } from 'opsmantik-pulse/server';

const vectors = readFileSync(new URL('../tests/vectors/day-ranges.tsv', import.meta.url), 'utf8')
  .trim().split('\n').slice(1).map((line) => line.split('\t'));

test('every oracle row of day-ranges.tsv matches through the wasm build', () => {
  assert.ok(vectors.length > 17000);
  let checked = 0;
  for (const [zone, key, fromIso, toIso] of vectors) {
    const r = dayRange(key, zone);
    if (r.fromIso !== fromIso || r.toIso !== toIso) assert.fail(`${zone} ${key}: got ${r.fromIso} ${r.toIso}, want ${fromIso} ${toIso}`);
    if (r.fromMs !== Date.parse(fromIso) || r.toMs !== Date.parse(toIso)) assert.fail(`${zone} ${key}: ms differ from Date.parse`);
    checked++;
  }
  assert.equal(checked, vectors.length);
});

test('ISO strings are byte-identical to toISOString across the whole range', () => {
  // A deterministic walk over instants from year 0 to 9999 plus the edges.
  const zones = ['Europe/Istanbul', 'UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Santiago', 'Australia/Lord_Howe'];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 3000; i++) {
    const now = Math.floor(-62_000_000_000_000 + rand() * 315_000_000_000_000);
    const zone = zones[i % zones.length];
    const r = todayRange(now, zone);
    assert.equal(r.fromIso, new Date(r.fromMs).toISOString());
    assert.equal(r.toIso, new Date(r.toMs).toISOString());
    assert.ok(r.fromMs <= now && now < r.toMs, `${zone} ${now}`);
    assert.equal(nextDayStartMs(now, zone), r.toMs);
    assert.equal(dateKeyAt(now, zone), r.dateKey);
  }
});

test('default zone is Europe/Istanbul and aliases work', () => {
  const now = Date.UTC(2026, 1, 2, 20, 59, 59, 999); // 23:59:59.999 in Istanbul
  assert.equal(dateKeyAt(now), '2026-02-02');
  assert.equal(dateKeyAt(now + 1), '2026-02-03');
  for (const zone of ['Turkey', 'Asia/Istanbul', 'Europe/Istanbul', undefined, null]) {
    const r = todayRange(now, zone);
    assert.equal(r.fromIso, '2026-02-01T21:00:00.000Z', String(zone));
  }
  assert.equal(yesterdayRange(now).dateKey, '2026-02-01');
  assert.equal(nextDayStartMs(now), now + 1);
  const week = lastDaysRange(now, 7);
  assert.equal(week.startDateKey, '2026-01-27');
  assert.equal(week.toMs - week.fromMs, 7 * 86_400_000);
  assert.deepEqual(spanRange('2026-02-02', 7), week);
});

const badCalls = [
  ['2026-02-30', () => dayRange('2026-02-30'), "'2026-02-30'", 'invalid_date_key'],
  ['2026-2-3', () => dayRange('2026-2-3'), "'2026-2-3'", 'invalid_date_key'],
  ['20260203', () => dayRange('20260203'), "'20260203'", 'invalid_date_key'],
  ['2026-02-03T00:00', () => dayRange('2026-02-03T00:00'), "'2026-02-03T00:00'", 'invalid_date_key'],
  ['empty string', () => dayRange(''), "''", 'invalid_date_key'],
  ['null key', () => dayRange(null), 'dateKey must be', 'invalid_argument'],
  ['undefined key', () => dayRange(undefined), 'got undefined', 'invalid_argument'],
  ['number key', () => dayRange(20260203), 'number 20260203', 'invalid_argument'],
  ['Mars/Base', () => dayRange('2026-02-03', 'Mars/Base'), "'Mars/Base'", 'unknown_time_zone'],
  ['number zone', () => todayRange(0, 3), 'timeZone must be', 'invalid_argument'],
  ['NaN now', () => todayRange(NaN), 'NaN', 'invalid_instant'],
  ['Infinity now', () => dateKeyAt(Infinity), 'Infinity', 'invalid_instant'],
  ['-Infinity now', () => nextDayStartMs(-Infinity), '-Infinity', 'invalid_instant'],
  ['now beyond 8.64e15', () => todayRange(8.64e15 + 1), 'outside', 'invalid_instant'],
  ['now below -8.64e15', () => yesterdayRange(-8.64e15 - 1), 'outside', 'invalid_instant'],
  ['string now', () => todayRange('1700000000000'), 'nowMs must be', 'invalid_instant'],
  ['null now', () => todayRange(null), 'got null', 'invalid_instant'],
  ['undefined now', () => dateKeyAt(undefined), 'got undefined', 'invalid_instant'],
  ['year beyond 9999', () => todayRange(8.64e15), 'outside years 0000-9999', 'out_of_range'],
  ['zero days', () => spanRange('2026-02-02', 0), 'days must be', 'invalid_days'],
  ['fractional days', () => lastDaysRange(0, 1.5), 'days must be', 'invalid_days'],
];

for (const [name, call, needle, kind] of badCalls) {
  test(`bad input is a thrown Error naming it: ${name}`, () => {
    assert.throws(call, (err) => {
      assert.ok(err instanceof Error, 'an Error instance');
      assert.ok(err.message.includes(needle), `${JSON.stringify(err.message)} should contain ${needle}`);
      assert.equal(err.kind, kind);
      return true;
    });
    // The instance survived: a good call still works.
    assert.equal(dayRange('2026-02-03').dateKey, '2026-02-03');
  });
}

test('server snapshot is plain JSON computed from the given clock', () => {
  const now = Date.UTC(2026, 1, 2, 20, 59, 59, 999);
  const snap = createServerSnapshot(now);
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  assert.equal(snap.dayKey, '2026-02-02');
  assert.equal(snap.rolloverAtMs, now + 1);
  assert.equal(snap.yesterday.toMs, snap.today.fromMs);
});
