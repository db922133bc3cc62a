// The TS layer's ISO formatter must be byte-identical to Date.prototype.toISOString.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toIsoString } from 'opsmantik-pulse/node';

test('toIsoString equals toISOString on edges and 200k random instants', () => {
  const edges = [0, -1, 1, 8.64e15, -8.64e15, 253402300799999, 253402300800000, -62167219200000, -62167219200001, 951782400000, 1709164800000];
  for (const ms of edges) assert.equal(toIsoString(ms), new Date(ms).toISOString(), String(ms));
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 200_000; i++) {
    const ms = i % 2 ? Math.floor((rand() * 2 - 1) * 8.64e15) : Math.floor(rand() * 4.1e12);
    const want = new Date(ms).toISOString();
    if (toIsoString(ms) !== want) assert.fail(`${ms}: ${toIsoString(ms)} != ${want}`);
  }
});
