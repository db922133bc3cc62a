// Structured values cross the wasm boundary as JSON text (V8's JSON is fast
// and serde_json bounds nesting). NaN and ±Infinity would silently become
// null in JSON, so they travel as strings and the core reports them by name.
import { readMessage } from './args.js';
import { pulseError } from './errors.js';
import { exceedsUtf8, MAX_JSON_BYTES } from './limits.js';
import type { PulseErrorKind } from './types.js';

const keepNonFinite = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value)
  : typeof value === 'bigint' ? String(value)
  : value;

/** `value` as JSON text for the core; `undefined` is `null`. Throws an Error naming `name` for cycles. */
export function toJsonText(value: unknown, name: string): string {
  const v = value === undefined ? null : value;
  // A replacer takes V8 off its fast path (about 3 µs for a one-row lookup answer). Without
  // one, a non-finite number would be written `null` and a bigint would throw: text with no
  // `null` in it had neither, so only text that has one (or a throw) is written again with it.
  try {
    const plain = JSON.stringify(v);
    if (typeof plain === 'string' && !plain.includes('null')) return plain;
  } catch {
    // a bigint, a cycle or a getter that throws: the replacer's pass below says which
  }
  try {
    return JSON.stringify(v, keepNonFinite) ?? 'null';
  } catch (err) {
    throw pulseError('invalid_argument', `${name} cannot be read as JSON: ${readMessage(err) ?? 'a getter threw'}`);
  }
}

/**
 * `toJsonText`, refused with `kind` (the core's own kind for the value) when
 * the text is over `maxBytes`, so it is never copied into wasm.
 */
export function boundedJsonText(value: unknown, name: string, kind: PulseErrorKind, maxBytes = MAX_JSON_BYTES): string {
  // A string's JSON is at least as long as the string: refuse it before stringify copies and escapes it.
  if (typeof value === 'string' && value.length > maxBytes) return checkJsonSize(value, name, kind, maxBytes);
  return checkJsonSize(toJsonText(value, name), name, kind, maxBytes);
}

/** `text` itself, or an Error of `kind` when it is over `maxBytes` of UTF-8. */
export function checkJsonSize(text: string, name: string, kind: PulseErrorKind, maxBytes = MAX_JSON_BYTES): string {
  if (exceedsUtf8(text, maxBytes)) throw pulseError(kind, `${name} is over ${maxBytes} bytes of JSON (${text.length} characters); the limit is ${maxBytes}`);
  return text;
}
