// Size limits checked in TS before a string crosses into wasm. Crossing
// copies the whole string into linear memory, which grows and never shrinks:
// a 100 MB argument refused only by Rust would stay on the page for good.
// The numbers mirror the core's own limits, which stay the authority.
import { pulseError } from './errors.js';

import { MAX_JSON_BYTES, MAX_PAYLOAD_BYTES } from './generated/core-facts.js';

// The core's own limits, generated from it (js/generated/core-facts.ts).
export { MAX_JSON_BYTES, MAX_PAYLOAD_BYTES };
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
 * Whether a payload's text is over the core's 64 KiB limit. Such a payload
 * never crosses into wasm (its memory never shrinks): the caller tells the
 * core to count it as dropped `oversized` through an input that takes no text.
 */
export function overPayloadLimit(text: string): boolean {
  return exceedsUtf8(text, MAX_PAYLOAD_BYTES);
}
