// Every POST route reads its JSON body through here, never `request.json()`:
// that buffers whatever the client sends, and one 100 MB body was enough to
// exhaust the heap. The cap is enforced while reading: a declared length over
// it is refused before a byte is read (Node then discards the upload), and a
// chunked body is dropped at the first chunk that crosses it.

/** The most any demo route needs is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

export type BodyResult =
  | { ok: true; value: unknown } // `undefined` for an empty body
  | { ok: false; status: 400 | 413; message: string };

const tooLarge = (limit: number): BodyResult => ({ ok: false, status: 413, message: `request body exceeds ${limit} bytes` });

export async function readJsonBody(request: Request, limit = BODY_LIMIT_BYTES): Promise<BodyResult> {
  if (Number(request.headers.get('content-length')) > limit) return tooLarge(limit);
  const bytes = await readCapped(request, limit);
  if (bytes === null) return tooLarge(limit);
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 are a malformed body, not something to repair
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, status: 400, message: 'request body is not UTF-8' };
  }
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'request body is not JSON' };
  }
}

/** The body's bytes, or null as soon as they pass `limit`. */
async function readCapped(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading rather than cancel: cancelling destroys the socket before
      // the 413 is written. The rest stays unread (the socket is paused, so it
      // costs no memory) until the client hangs up or Node's requestTimeout.
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
