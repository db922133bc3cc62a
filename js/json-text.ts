// Structured values cross the wasm boundary as JSON text (V8's JSON is fast
// and serde_json bounds nesting). NaN and ±Infinity would silently become
// null in JSON, so they travel as strings and the core reports them by name.
import type { PulseError } from './types.js';

/** A thrown Error with the package's `kind` property. */
export function pulseError(kind: PulseError['kind'], message: string): PulseError {
  return Object.assign(new Error(message), { kind });
}

const keepNonFinite = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value)
  : typeof value === 'bigint' ? String(value)
  : value;

/** `value` as JSON text for the core; `undefined` is `null`. Throws an Error naming `name` for cycles. */
export function toJsonText(value: unknown, name: string): string {
  try {
    return JSON.stringify(value === undefined ? null : value, keepNonFinite) ?? 'null';
  } catch (err) {
    throw pulseError('invalid_argument', `${name} cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
