// Size limits checked in TS before a string crosses into wasm. Crossing
// copies the whole string into linear memory, which grows and never shrinks:
// a 100 MB argument refused only by Rust would stay on the page for good.
// The numbers mirror the core's own limits, which stay the authority.
import { pulseError } from './errors.js';

/** The core's payload limit (`MAX_PAYLOAD_BYTES`, src/realtime/payload.rs). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/**
 * Payloads up to this size still cross so the core counts them as dropped
 * `oversized`; beyond it the TS layer refuses them (kind `oversized`) rather
 * than copy them. 16x is the core's own bound for JSON replies.
 */
export const MAX_CROSSING_PAYLOAD_BYTES = 16 * MAX_PAYLOAD_BYTES;
/** JSON values (RPC data, seeds, stats, overlay bodies): the core's 1 MiB limit. */
export const MAX_JSON_BYTES = 1 << 20;
/** Error and status messages from adapters: informational, so cut rather than refused. */
export const MAX_MESSAGE_BYTES = 512;
/**
 * Names (zones, site ids, date keys, statuses), in UTF-16 units: every valid
 * one is at most 64 bytes of ASCII, so a longer string can only be an error
 * and the core never needs to see it.
 */
export const MAX_NAME_LENGTH = 64;

/**
 * Whether `text` is longer than `maxBytes` in UTF-8, counting no further than
 * needed: the UTF-16 length bounds the UTF-8 length from both sides
 * (1x to 3x), so only strings in between are walked.
 */
export function exceedsUtf8(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8Prefix(text, maxBytes) < text.length;
}

/** `message` cut to at most MAX_MESSAGE_BYTES of UTF-8 on a character boundary, marked with '…'. */
export function capMessage(message: string): string {
  if (!exceedsUtf8(message, MAX_MESSAGE_BYTES)) return message;
  return message.slice(0, utf8Prefix(message, MAX_MESSAGE_BYTES - 3)) + '…'; // '…' is 3 bytes
}

/** How many UTF-16 units of `text` fit in `maxBytes` of UTF-8 without splitting a character. */
function utf8Prefix(text: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    // A lone surrogate crosses as U+FFFD, 3 bytes.
    const size = pair ? 4 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return i;
}

/**
 * A payload's text as it may cross into wasm. Up to 16x the payload limit it
 * crosses as it is, so the core counts an over-limit one as dropped
 * `oversized`; beyond that it is refused here (kind `oversized`) and is NOT
 * counted, because counting would need an engine input that takes no text.
 */
export function payloadForCore(text: string): string {
  if (exceedsUtf8(text, MAX_CROSSING_PAYLOAD_BYTES)) {
    throw pulseError('oversized', `payload is over ${MAX_CROSSING_PAYLOAD_BYTES} bytes (${text.length} characters); the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  return text;
}
