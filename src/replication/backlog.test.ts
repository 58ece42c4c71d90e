import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Backlog } from './backlog.js';
import { xorshift32 } from '../../test/support/random.js';

describe('Backlog', () => {
  test('offsets and what it can serve', () => {
    const b = new Backlog(8, 100);
    assert.equal(b.offset, 100);
    assert.equal(b.firstByteOffset, 101);
    assert.ok(b.canServe(100));
    assert.equal(b.bytesAfter(100).length, 0);
    b.append(Buffer.from('abcde'));
    assert.equal(b.offset, 105);
    assert.equal(b.firstByteOffset, 101);
    assert.equal(b.bytesAfter(102).toString(), 'cde');
    b.append(Buffer.from('fghij'));
    assert.equal(b.histlen, 8);
    assert.equal(b.firstByteOffset, 103);
    assert.ok(!b.canServe(101));
    assert.ok(b.canServe(102));
    assert.ok(!b.canServe(111));
    assert.equal(b.bytesAfter(102).toString(), 'cdefghij');
  });

  test('matches a plain model for random appends, reads and resizes', () => {
    const rand = xorshift32(5);
    let size = 64;
    const b = new Backlog(size, 0);
    let stream = Buffer.alloc(0);
    for (let i = 0; i < 2000; i++) {
      const chunk = Buffer.alloc(rand(100), rand(256));
      b.append(chunk);
      stream = Buffer.concat([stream, chunk]);
      if (rand(50) === 0) {
        size = 1 + rand(200);
        b.resize(size);
      }
      const held = Math.min(b.histlen, stream.length);
      assert.equal(b.offset, stream.length);
      assert.ok(b.histlen <= size);
      const from = b.offset - rand(held + 1);
      assert.ok(b.canServe(from));
      assert.deepEqual(b.bytesAfter(from), stream.subarray(from));
    }
  });
});
