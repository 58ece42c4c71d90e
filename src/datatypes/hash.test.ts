import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HashValue } from './hash.js';

const LIMITS = { entries: 4, value: 8 };

describe('HashValue', () => {
  test('listpack until a long field or value, or too many fields, is stored', () => {
    const h = new HashValue();
    h.set('a', '1', LIMITS);
    h.set('b', '12345678', LIMITS);
    assert.equal(h.encoding(), 'listpack');
    h.set('c', '123456789', LIMITS);
    assert.equal(h.encoding(), 'hashtable');
    h.delete('c');
    assert.equal(h.encoding(), 'hashtable');
    const g = new HashValue();
    for (const f of ['a', 'b', 'c', 'd']) g.set(f, 'v', LIMITS);
    assert.equal(g.encoding(), 'listpack');
    g.set('a', 'w', LIMITS);
    assert.equal(g.encoding(), 'listpack');
    g.set('e', 'v', LIMITS);
    assert.equal(g.encoding(), 'hashtable');
    const k = new HashValue();
    k.set('long-field-name', 'v', LIMITS);
    assert.equal(k.encoding(), 'hashtable');
  });

  test('insertion order with in-place updates; clone is deep', () => {
    const h = new HashValue();
    for (const [f, v] of [
      ['z', '1'],
      ['a', '2'],
      ['m', '3'],
    ] as const)
      h.set(f, v, LIMITS);
    h.set('a', '9', LIMITS);
    h.delete('z');
    h.set('z', '0', LIMITS);
    const seen: string[] = [];
    h.forEach((f, v) => seen.push(`${f}=${v}`));
    assert.deepEqual(seen, ['a=9', 'm=3', 'z=0']);
    const copy = h.clone();
    copy.set('new', 'x', LIMITS);
    assert.ok(!h.has('new'));
    assert.equal(copy.encoding(), h.encoding());
  });

  test('a listpack scan returns everything at once with cursor 0', () => {
    const h = new HashValue();
    h.set('a', '1', LIMITS);
    h.set('b', '2', LIMITS);
    const got: string[] = [];
    assert.equal(
      h.scan(0, 1, (f, v) => got.push(f, v)),
      0,
    );
    assert.deepEqual(got, ['a', '1', 'b', '2']);
  });
});

describe('HashValue memory estimate', () => {
  test('the running byte total matches a fresh count after updates and deletes', () => {
    const h = new HashValue();
    for (let i = 0; i < 50; i++) h.set(`f${i % 17}`, 'v'.repeat(i % 5), LIMITS);
    for (let i = 0; i < 17; i += 3) h.delete(`f${i}`);
    const fresh = new HashValue();
    fresh.set('a-field-too-long-for-a-listpack', 'x', LIMITS);
    fresh.delete('a-field-too-long-for-a-listpack');
    h.forEach((f, v) => fresh.set(f, v, LIMITS));
    assert.equal(h.encoding(), 'hashtable');
    assert.equal(fresh.encoding(), 'hashtable');
    assert.equal(h.memoryUsage(), fresh.memoryUsage());
    const small = new HashValue();
    small.set('a', '1', LIMITS);
    assert.ok(small.memoryUsage() < h.memoryUsage());
  });
});
