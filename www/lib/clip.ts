// Error text that goes back to a client or into the log is clipped: messages
// can quote their input (PGlite echoes a bad value whole), and the input may be
// anything the client sent.

export const MESSAGE_LIMIT = 200;

/** At most `limit` characters of `text`, saying how many were cut. */
export function clip(text: string, limit = MESSAGE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more chars)`;
}

/** An error's message, clipped; never throws, whatever was thrown. */
export function errorText(err: unknown): string {
  try {
    return clip(err instanceof Error ? err.message : String(err));
  } catch {
    return 'unprintable error';
  }
}
