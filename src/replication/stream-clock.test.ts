import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamClock } from './stream-clock.js';

describe('StreamClock', () => {
  test('answers when an offset was reached, one sample per millisecond', () => {
    const c = new StreamClock();
    assert.equal(c.reachedAt(1), null);
    c.note(10, 1000);
    c.note(20, 1000); // same millisecond: extends the sample
    c.note(30, 1005);
    assert.equal(c.reachedAt(1), 1000);
    assert.equal(c.reachedAt(20), 1000);
    assert.equal(c.reachedAt(21), 1005);
    assert.equal(c.reachedAt(30), 1005);
    assert.equal(c.reachedAt(31), null);
    c.clear();
    assert.equal(c.reachedAt(1), null);
  });

  test('a full ring keeps the newest samples; older offsets answer the oldest time kept', () => {
    const c = new StreamClock();
    const n = 20000;
    for (let i = 1; i <= n; i++) c.note(i * 10, i);
    assert.equal(c.reachedAt(n * 10), n);
    assert.equal(c.reachedAt(n * 10 - 15), n - 1);
    const oldest = c.reachedAt(1)!;
    assert.ok(oldest > 1 && oldest < n, `oldest ${oldest}`);
    assert.equal(c.reachedAt(oldest * 10), oldest);
  });
});
