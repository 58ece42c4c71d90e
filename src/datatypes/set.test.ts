import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dict } from './dict.js';
import { compareIntTexts, intsetAdd, intsetRemove, intsetSearch, isIntsetValue } from './intset.js';
import { SetValue, difference, intersect, setFrom, union } from './set.js';
import { mulberry32 } from '../../test/support/random.js';

const numericSort = (xs: string[]) => xs.slice().sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

describe('intset', () => {
  test('compareIntTexts orders canonical int64 texts numerically, exactly beyond 2^53', () => {
    const values = [
      '-9223372036854775808',
      '-100',
      '-99',
      '-1',
      '0',
      '1',
      '9',
      '10',
      '9007199254740992',
      '9007199254740993',
      '9223372036854775807',
    ];
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        assert.equal(Math.sign(compareIntTexts(values[i]!, values[j]!)), Math.sign(i - j), `${values[i]} vs ${values[j]}`);
      }
    }
  });

  test('isIntsetValue accepts only canonical int64 texts', () => {
    for (const ok of ['0', '-1', '12', '9223372036854775807', '-9223372036854775808']) assert.ok(isIntsetValue(ok), ok);
    for (const bad of ['', '01', '-0', '+1', ' 1', '1.0', 'a', '9223372036854775808', '-9223372036854775809'])
      assert.ok(!isIntsetValue(bad), bad);
  });

  test('add/remove/search keep the array sorted and distinct (property, against a Set model)', () => {
    const rnd = mulberry32(42);
    const ints: string[] = [];
    const model = new Set<string>();
    for (let step = 0; step < 5000; step++) {
      const v = String(Math.floor(rnd() * 400) - 200);
      if (rnd() < 0.6) {
        assert.equal(intsetAdd(ints, v), !model.has(v));
        model.add(v);
      } else assert.equal(intsetRemove(ints, v), model.delete(v));
      assert.equal(intsetSearch(ints, v) >= 0, model.has(v));
    }
    assert.deepEqual(ints, numericSort([...model]));
  });
});

describe('Dict', () => {
  test('keeps insertion order with in-place updates, across compactions (property, against a Map model)', () => {
    const rnd = mulberry32(7);
    const d = new Dict<number>();
    const model = new Map<string, number>();
    for (let step = 0; step < 20000; step++) {
      const k = `k${Math.floor(rnd() * 300)}`;
      const r = rnd();
      if (r < 0.5) {
        assert.equal(d.set(k, step), !model.has(k));
        model.set(k, step);
      } else if (r < 0.9) assert.equal(d.delete(k), model.delete(k));
      else assert.equal(d.get(k), model.get(k));
      assert.equal(d.size, model.size);
    }
    const entries: [string, number][] = [];
    d.forEach((k, v) => entries.push([k, v]));
    assert.deepEqual(entries, [...model.entries()]);
  });

  test('randomKey returns live keys and reaches all of them', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 200; i++) d.set(`k${i}`, i);
    for (let i = 0; i < 190; i++) d.delete(`k${i}`);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(d.randomKey());
    assert.deepEqual([...seen].sort(), Array.from({ length: 10 }, (_, i) => `k${190 + i}`).sort());
  });

  test('a scan returns every key present throughout, despite inserts, deletes and compactions', () => {
    const rnd = mulberry32(3);
    const d = new Dict<number>();
    for (let i = 0; i < 1000; i++) d.set(`s${i}`, i);
    const seen = new Set<string>();
    let cursor = 0;
    let round = 0;
    do {
      cursor = d.scan(cursor, 25, (k) => seen.add(k));
      for (let i = 0; i < 40; i++) d.delete(`s${500 + Math.floor(rnd() * 500)}`);
      d.set(`n${round++}`, 0);
    } while (cursor !== 0);
    for (let i = 0; i < 500; i++) assert.ok(seen.has(`s${i}`), `s${i}`);
  });
});

describe('SetValue', () => {
  test('stays an intset for integers, sorted, and converts on a non-integer or past the limit', () => {
    const s = new SetValue();
    for (const m of ['5', '-3', '10', '5']) s.add(m, 4);
    assert.equal(s.encoding(), 'intset');
    assert.deepEqual(s.members(), ['-3', '5', '10']);
    s.add('x', 4);
    assert.equal(s.encoding(), 'hashtable');
    assert.deepEqual(s.members(), ['-3', '5', '10', 'x']);
    s.remove('x');
    assert.equal(s.encoding(), 'hashtable');
    const t = setFrom(['1', '2', '3', '4'], 4);
    assert.equal(t.encoding(), 'intset');
    t.add('0', 4);
    assert.equal(t.encoding(), 'hashtable');
    assert.equal(t.size, 5);
  });

  test('random operations agree with a Set model and clone is deep (property)', () => {
    const rnd = mulberry32(11);
    const s = new SetValue();
    const model = new Set<string>();
    for (let step = 0; step < 5000; step++) {
      const m = rnd() < 0.9 ? String(Math.floor(rnd() * 100)) : `m${Math.floor(rnd() * 50)}`;
      if (rnd() < 0.55) {
        assert.equal(s.add(m, 64), !model.has(m));
        model.add(m);
      } else assert.equal(s.remove(m), model.delete(m));
      if (s.size > 0 && step % 50 === 0) {
        const p = s.pop();
        assert.ok(model.delete(p));
      }
      assert.equal(s.size, model.size);
      assert.equal(s.has(m), model.has(m));
    }
    const fresh = setFrom(['not-an-integer'], 64);
    fresh.remove('not-an-integer');
    for (const m of s.members()) fresh.add(m, 64);
    assert.equal(s.encoding(), 'hashtable');
    assert.equal(s.memoryUsage(), fresh.memoryUsage(), 'the running byte total matches a fresh count');
    const copy = s.clone();
    copy.add('only-in-copy', 64);
    assert.ok(!s.has('only-in-copy'));
    assert.deepEqual(s.members().sort(), [...model].sort());
  });

  test('set algebra', () => {
    const a = setFrom(['1', '2', '3', 'x'], 512);
    const b = setFrom(['2', '3', '4'], 512);
    assert.deepEqual(intersect([a, b], 0), ['2', '3']);
    assert.deepEqual(intersect([a, b], 1), ['2']);
    assert.deepEqual(intersect([a, null], 0), []);
    assert.deepEqual([...union([a, null, b])], ['1', '2', '3', 'x', '4']);
    assert.deepEqual([...difference([a, b, null])], ['1', 'x']);
    assert.deepEqual([...difference([null, a])], []);
  });
});
