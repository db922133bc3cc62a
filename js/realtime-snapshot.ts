// A realtime registration's snapshot, rebuilt from the numbers the core
// writes for it (src/realtime/session.rs, `RealtimeState::to_numbers`): it
// changes with every event, and numbers cross without JSON text. The fields,
// their order and how each is numbered are core facts (core-facts.ts).
import { CHANNEL_STATUSES, REALTIME_STATE_FIELDS, TABLES } from './generated/core-facts.js';
import type { RegistrationSnapshot } from './types.js';

type How = (typeof REALTIME_STATE_FIELDS)[number][1];

function decode(how: How, n: number): unknown {
  switch (how) {
    case 'boolean':
      return n === 1;
    case 'status':
      return CHANNEL_STATUSES[n] ?? null;
    case 'time':
      return Number.isNaN(n) ? null : n;
    case 'table':
      return Number.isNaN(n) ? null : (TABLES[n] ?? null);
    case 'count':
      return n;
    case 'text':
      return null; // the core sends numbers only while there is no text to show
  }
}

/**
 * The snapshot of the `count` numbers at `numbers[from…]` (one per field,
 * `REALTIME_STATE_FIELDS` order; all of `numbers` by default), or `undefined` if they do not fit.
 */
export function realtimeSnapshot(numbers: ArrayLike<number>, from = 0, count = numbers.length - from): RegistrationSnapshot | undefined {
  if (count !== REALTIME_STATE_FIELDS.length || from + count > numbers.length) return undefined;
  const out: Record<string, unknown> = { type: 'realtime' };
  for (let i = 0; i < REALTIME_STATE_FIELDS.length; i++) {
    const field = REALTIME_STATE_FIELDS[i];
    if (field) out[field[0]] = decode(field[1], numbers[from + i] ?? Number.NaN);
  }
  return out as unknown as RegistrationSnapshot;
}
