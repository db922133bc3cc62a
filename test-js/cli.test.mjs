// The `opsmantik-pulse range` CLI as a script would call it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('today at a given instant, in Istanbul by default', () => {
  const r = run('range', 'today', '--now', '2026-02-02T21:00:00Z');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    dateKey: '2026-02-03', timeZone: 'Europe/Istanbul',
    fromIso: '2026-02-02T21:00:00.000Z', toIso: '2026-02-03T21:00:00.000Z',
    fromMs: 1770066000000, toMs: 1770152400000,
  });
});

test('yesterday, another zone, and an N-day span', () => {
  const y = JSON.parse(run('range', 'yesterday', '--tz', 'America/Santiago', '--now', '2024-09-09T12:00:00Z').stdout);
  assert.equal(y.dateKey, '2024-09-08');
  assert.equal(y.toMs - y.fromMs, 23 * 3600_000);
  const span = JSON.parse(run('range', '2026-02-07', '--days', '7').stdout);
  assert.equal(span.startDateKey, '2026-02-01');
  assert.equal(span.endDateKey, '2026-02-07');
});

test('no arguments besides range means today now', () => {
  const r = run('range');
  assert.equal(r.status, 0, r.stderr);
  const today = JSON.parse(r.stdout);
  assert.ok(today.fromMs <= Date.now() && Date.now() < today.toMs + 1000);
});

for (const args of [
  ['range', '2026-02-30'], ['range', '--tz', 'Mars/Base'], ['range', '--days', '0'], ['range', '--days', 'x'],
  ['range', '--now', 'yesterday'], ['range', '--tz'], ['range', 'a', 'b'], ['range', '--frobnicate'], ['rnage'], [],
]) {
  test(`bad arguments exit non-zero with a one-line error: ${args.join(' ') || '(none)'}`, () => {
    const r = run(...args);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^opsmantik-pulse: \S/);
  });
}
