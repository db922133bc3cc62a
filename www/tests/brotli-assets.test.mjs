// The demo server's build assets (www/server.mjs): brotli to a client that
// accepts it, byte-identical to what `next start` serves once decoded, and
// exactly `next start`'s answers otherwise (no brotli in Accept-Encoding,
// PULSE_BROTLI=0, a path the build does not have, a traversal attempt).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startDemo } from './servers.mjs';

const TIMEOUT = { timeout: 60_000 };
const WASM = readFileSync(new URL('../../pkg/opsmantik_pulse_bg.wasm', import.meta.url));

/** A raw GET (no automatic decoding): status, headers and the bytes as sent. */
function rawGet(url, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, method }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d)).on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
  });
}

const decode = (r) => (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body);

let demo;
let plain;
let assets;
before(async () => {
  [demo, plain] = await Promise.all([startDemo(), startDemo({ PULSE_BROTLI: '0' })]);
  // The pages' own asset URLs, as the browser finds them in the server HTML (/devtools
  // names its wasm in a preload link: `wasmHintInHead`; the dashboard leaves it out).
  const html = (await rawGet(`${demo.base}/devtools`, { 'accept-encoding': 'identity' })).body.toString('utf8');
  assets = {
    wasm: html.match(/href="(\/_next\/static\/[^"]+\.wasm)"/)?.[1],
    script: html.match(/src="(\/_next\/static\/chunks\/[^"]+\.js)"/)?.[1],
  };
  assert.ok(assets.wasm && assets.script, `the page names its wasm and a chunk: ${JSON.stringify(assets)}`);
}, TIMEOUT);
after(() => {
  demo?.stop();
  plain?.stop();
});

test('the wasm and the JS go out brotli-compressed, and decode to the same bytes next start serves', TIMEOUT, async () => {
  for (const path of [assets.wasm, assets.script]) {
    const br = await rawGet(demo.base + path, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await rawGet(plain.base + path, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200, path);
    assert.equal(br.headers['content-encoding'], 'br', `${path} brotli`);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.match(br.headers['cache-control'], /immutable/);
    assert.equal(gz.headers['content-encoding'], 'gzip', `${path}: PULSE_BROTLI=0 serves what next start serves`);
    assert.equal(br.headers['content-type'].split(';')[0], gz.headers['content-type'].split(';')[0], `${path}: same type`);
    assert.ok(decode(br).equals(decode(gz)), `${path}: the same bytes`);
    assert.ok(br.body.length < gz.body.length, `${path}: brotli ${br.body.length} B < gzip ${gz.body.length} B`);
  }
  const wasm = await rawGet(demo.base + assets.wasm, { 'accept-encoding': 'br' });
  assert.ok(decode(wasm).equals(WASM), 'the package wasm, byte for byte');
});

test('a client without brotli, a HEAD, an unknown asset and a traversal get next start\'s answers', TIMEOUT, async () => {
  const gz = await rawGet(demo.base + assets.wasm, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(decode(gz).equals(WASM));
  const head = await rawGet(demo.base + assets.wasm, { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers['content-length']), (await rawGet(demo.base + assets.wasm, { 'accept-encoding': 'br' })).body.length);
  for (const path of ['/_next/static/chunks/not-in-this-build.js', '/_next/static/../../package.json', '/_next/static/%2e%2e/%2e%2e/package.json']) {
    const ours = await rawGet(demo.base + path, { 'accept-encoding': 'br' });
    const theirs = await rawGet(plain.base + path, { 'accept-encoding': 'br' });
    assert.equal(ours.status, theirs.status, `${path}: status as next start`);
    assert.notEqual(ours.headers['content-encoding'], 'br', path);
    assert.ok(!ours.body.toString('utf8').includes('"opsmantik-pulse-demo"'), `${path} does not leak package.json`);
  }
});
