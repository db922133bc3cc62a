// The `{signal}` a request's adapter gets: its AbortController is made only
// when the adapter reads `signal`, and a signal read after the engine gave the
// request up is already aborted, with the reason it would have had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestAborts } from '../dist/request-aborts.js';

/** Runs `fn` with AbortController counting how many are made. */
function countingControllers(fn) {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    fn(() => made);
  } finally {
    globalThis.AbortController = Original;
  }
}

test('no AbortController is made for a request whose adapter never reads signal', () => {
  countingControllers((made) => {
    const aborts = new RequestAborts();
    for (let id = 1; id <= 100; id++) aborts.options(id);
    for (let id = 1; id <= 50; id++) aborts.done(id);
    aborts.abort(51, 'superseded');
    aborts.abortAll();
    assert.equal(made(), 0);
    assert.equal(aborts.size, 0);
  });
});

test('a signal read before the request is given up aborts then, with the reason', () => {
  const aborts = new RequestAborts();
  const { signal } = aborts.options(7);
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, false);
  const other = aborts.options(8);
  assert.equal(other.signal, other.signal, 'each read of one options object is one signal');
  aborts.abort(7, 'timed_out');
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason.name, 'TimeoutError');
});

test('a signal read after the request was given up is already aborted, with the same reason', () => {
  const aborts = new RequestAborts();
  const late = aborts.options(3);
  const disposed = aborts.options(4);
  aborts.abort(3, 'superseded');
  aborts.abortAll();
  assert.equal(late.signal.aborted, true);
  assert.equal(late.signal.reason.name, 'AbortError');
  assert.match(late.signal.reason.message, /request #3 is no longer needed \(superseded\)/);
  assert.equal(disposed.signal.aborted, true);
  assert.match(disposed.signal.reason.message, /disposed/);
  assert.equal(late.signal, late.signal, 'the same signal on every read');
});

test('an answered request never aborts its signal', () => {
  const aborts = new RequestAborts();
  const options = aborts.options(9);
  aborts.done(9);
  aborts.abort(9, 'timed_out');
  aborts.abortAll();
  assert.equal(options.signal.aborted, false);
});
