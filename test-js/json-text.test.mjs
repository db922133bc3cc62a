// toJsonText writes values for the core: JSON.stringify's text, except that
// NaN, ±Infinity and bigints travel as strings (the core reports them by
// name) and a cycle is an Error naming the value. It tries the replacer-free
// fast path first; these pin that both passes write the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJsonText } from '../dist/json-text.js';

test('plain values: JSON.stringify\'s text; undefined is null', () => {
  assert.equal(toJsonText([{ id: 'sess-7', n: 1.5, ok: true }], 'data'), '[{"id":"sess-7","n":1.5,"ok":true}]');
  assert.equal(toJsonText(undefined, 'data'), 'null');
  assert.equal(toJsonText([null, { a: null }], 'data'), '[null,{"a":null}]');
  assert.equal(toJsonText('null', 'data'), '"null"');
});

test('non-finite numbers and bigints cross as strings, beside real nulls', () => {
  assert.equal(toJsonText({ a: NaN, b: Infinity, c: -Infinity, d: null }, 'data'), '{"a":"NaN","b":"Infinity","c":"-Infinity","d":null}');
  assert.equal(toJsonText([{ big: 10n }], 'data'), '[{"big":"10"}]');
  assert.equal(toJsonText(NaN, 'data'), '"NaN"');
});

test('a cycle or a throwing getter is kind invalid_argument naming the value', () => {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(() => toJsonText(cyclic, 'result.data'), (e) => e.kind === 'invalid_argument' && /result\.data/.test(e.message));
  const getter = { get boom() { throw new Error('nope'); } };
  assert.throws(() => toJsonText(getter, 'data'), (e) => e.kind === 'invalid_argument' && /nope/.test(e.message));
});
