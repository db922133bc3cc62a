// A POST over node:http for the hostile tests. fetch() would hide what they
// check: it always declares a length for a string body, and it rejects when
// the server answers before the upload is finished and then hangs up.
import http from 'node:http';

/**
 * POSTs `body` (string or Buffer) to `url`: with a Content-Length, or chunked
 * in `chunkBytes` pieces with no declared length. Resolves with the answer as
 * soon as it has arrived (the rest of the upload is dropped), and its timing.
 */
export function rawPost(url, body, { chunked = false, chunkBytes = 64 * 1024, headers = {} } = {}) {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': data.length }), ...headers },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode, headers: res.headers, text, ms: Date.now() - t0 });
        req.destroy();
      });
      res.on('error', (err) => reject(err));
    });
    // After the answer, a broken upload is the server declining the rest: fine.
    req.on('error', (err) => { if (!answered) reject(err); });
    let offset = 0;
    const pump = () => {
      while (offset < data.length && !req.destroyed) {
        const piece = data.subarray(offset, offset + chunkBytes);
        offset += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
