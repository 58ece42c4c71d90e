import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendBytes, newWritableString, replySafeBytes, writableString } from './mutable-string.js';

describe('mutable strings', () => {
  test('a latin1 string is copied into a zero-padded buffer', () => {
    const b = writableString('ab', 4);
    assert.deepEqual([...b], [97, 98, 0, 0]);
  });

  test('appends reuse owned storage and leave earlier views intact', () => {
    let v = appendBytes('x', 'y');
    const first = v;
    v = appendBytes(v, 'z');
    assert.equal(v.toString('latin1'), 'xyz');
    assert.equal(v.buffer, first.buffer, 'grown in place');
    assert.equal(first.toString('latin1'), 'xy');
    for (let i = 0; i < 1000; i++) v = appendBytes(v, '0123456789');
    assert.equal(v.length, 10003);
  });

  test('foreign buffers are never written past their end', () => {
    const pool = Buffer.from('abcdef', 'latin1');
    const view = pool.subarray(0, 2);
    const grown = writableString(view, 4);
    assert.notEqual(grown.buffer, pool.buffer);
    assert.equal(pool.toString('latin1'), 'abcdef');
  });

  test('growing owned storage zero-fills the new bytes', () => {
    const b = newWritableString(2);
    b.fill(0xff);
    const g = writableString(b, 3);
    assert.deepEqual([...g], [0xff, 0xff, 0]);
  });
});

describe('reply-safe bytes', () => {
  test('big views of mutable storage are copied; everything else is not', () => {
    const big = newWritableString(20000);
    const copy = replySafeBytes(big.subarray(10));
    assert.notEqual((copy as Buffer).buffer, big.buffer);
    assert.equal(copy.length, 19990);
    const small = newWritableString(10);
    assert.equal(replySafeBytes(small), small);
    const foreign = Buffer.alloc(20000);
    assert.equal(replySafeBytes(foreign), foreign);
    assert.equal(replySafeBytes('abc'), 'abc');
  });
});
