// A shortened soak (the full 1,000,000-payload run is `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soak } from '../bench/soak.mjs';

test('200,000 payloads through the engine: flat memory, counters agree with an independent implementation', () => {
  const { result, checks } = soak(200_000);
  for (const [name, ok] of Object.entries(checks)) assert.ok(ok, `${name}: ${JSON.stringify(result)}`);
  assert.ok(result.memory.growthBytes < 1 << 20);
});

test('a driver that stops draining: the queue stays bounded, every dropped command is counted, memory flat', async () => {
  const { undrained } = await import('../bench/soak.mjs');
  const { result, checks } = undrained(60_000);
  for (const [name, ok] of Object.entries(checks)) assert.ok(ok, `${name}: ${JSON.stringify(result)}`);
  assert.ok(result.droppedCommands.notify > 0, 'the phase really overflowed the queue');
});

test('register/unregister churn with lookups in flight: every held row released, counters add up, memory flat', async () => {
  const { churn } = await import('../bench/soak.mjs');
  const { result, checks } = churn(5_000);
  for (const [name, ok] of Object.entries(checks)) assert.ok(ok, `${name}: ${JSON.stringify(result)}`);
});
