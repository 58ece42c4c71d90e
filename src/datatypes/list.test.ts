import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { List, normalizeRange, positions, setPackedThreshold } from './list.js';
import { xorshift32 } from '../../test/support/random.js';

/** The model's LREM: removes matches of v as List.removeMatching documents. */
function modelRemove(arr: string[], v: string, count: number): number {
  const idx: number[] = [];
  for (let i = 0; i < arr.length; i++) if (arr[i] === v) idx.push(i);
  const chosen = count === 0 ? idx : count > 0 ? idx.slice(0, count) : idx.slice(Math.max(0, idx.length + count));
  for (let k = chosen.length - 1; k >= 0; k--) arr.splice(chosen[k]!, 1);
  return chosen.length;
}

/** The model's LPOS. */
function modelPositions(arr: string[], v: string, rank: number, count: number, maxlen: number): number[] {
  const order = arr.map((_, i) => i);
  if (rank < 0) order.reverse();
  const scanned = maxlen === 0 ? order : order.slice(0, maxlen);
  const matches = scanned.filter((i) => arr[i] === v).slice(Math.abs(rank) - 1);
  return count === 0 ? matches : matches.slice(0, count);
}

describe('List', () => {
  test('pushes and pops at both ends, wrapping around the ring', () => {
    const l = new List();
    for (let i = 0; i < 5; i++) l.pushHead(`h${i}`);
    for (let i = 0; i < 5; i++) l.pushTail(`t${i}`);
    assert.deepEqual(l.toArray(), ['h4', 'h3', 'h2', 'h1', 'h0', 't0', 't1', 't2', 't3', 't4']);
    assert.equal(l.popHead(), 'h4');
    assert.equal(l.popTail(), 't4');
    assert.equal(l.length, 8);
    assert.equal(l.at(0), 'h3');
    assert.equal(l.at(7), 't3');
    assert.equal(l.encoding(), 'quicklist');
  });

  test('insertAt, setAt, indexOf, trim, clear and clone', () => {
    const l = List.from(['a', 'b', 'c']);
    l.insertAt(0, 'x');
    l.insertAt(4, 'y');
    l.insertAt(2, 'z');
    assert.deepEqual(l.toArray(), ['x', 'a', 'z', 'b', 'c', 'y']);
    l.setAt(1, 'A');
    assert.equal(l.indexOf('A'), 1);
    assert.equal(l.indexOf('nope'), -1);
    const copy = l.clone();
    l.trim(1, 3);
    assert.deepEqual(l.toArray(), ['A', 'z', 'b']);
    assert.deepEqual(copy.toArray(), ['x', 'A', 'z', 'b', 'c', 'y']);
    l.clear();
    assert.equal(l.length, 0);
    l.pushTail('again');
    assert.deepEqual(l.toArray(), ['again']);
  });

  test('normalizeRange follows LRANGE/LTRIM index rules', () => {
    assert.deepEqual(normalizeRange(0, -1, 5), [0, 4]);
    assert.deepEqual(normalizeRange(-100, 100, 5), [0, 4]);
    assert.deepEqual(normalizeRange(-2, -1, 5), [3, 4]);
    assert.equal(normalizeRange(3, 1, 5), null);
    assert.equal(normalizeRange(5, 10, 5), null);
    assert.equal(normalizeRange(-100, -6, 5), null);
    assert.equal(normalizeRange(0, -1, 0), null);
  });

  test('matches a plain array under random operations (seeded)', () => {
    const rnd = xorshift32(20260425);
    const l = new List();
    const model: string[] = [];
    const alphabet = ['a', 'bb', '', 'dddd'];
    for (let step = 0; step < 20000; step++) {
      const op = rnd(11);
      const v = alphabet[rnd(alphabet.length)]!;
      if (op === 0 || op === 1) {
        // Bursts grow the ring past several capacities.
        const n = 1 + rnd(op === 0 ? 3 : 40);
        for (let k = 0; k < n; k++) {
          l.pushHead(v);
          model.unshift(v);
        }
      } else if (op === 2) {
        l.pushTail(v);
        model.push(v);
      } else if (op === 3 && model.length > 0) {
        const n = 1 + rnd(30);
        for (let k = 0; k < n && model.length > 0; k++) assert.equal(l.popHead(), model.shift());
      } else if (op === 4 && model.length > 0) {
        assert.equal(l.popTail(), model.pop());
      } else if (op === 5) {
        const i = rnd(model.length + 1);
        l.insertAt(i, v);
        model.splice(i, 0, v);
      } else if (op === 6 && model.length > 0) {
        const i = rnd(model.length);
        l.setAt(i, v);
        model[i] = v;
      } else if (op === 7) {
        const count = rnd(7) - 3;
        assert.equal(l.removeMatching(v, count), modelRemove(model, v, count));
      } else if (op === 8 && model.length > 0) {
        const a = rnd(model.length);
        const b = a + rnd(model.length - a);
        l.trim(a, b);
        model.splice(b + 1);
        model.splice(0, a);
      } else if (op === 9) {
        const rank = (rnd(3) + 1) * (rnd(2) === 0 ? 1 : -1);
        const count = rnd(3);
        const maxlen = rnd(2) === 0 ? 0 : rnd(model.length + 2);
        assert.deepEqual(positions(l, v, { rank, count, maxlen }), modelPositions(model, v, rank, count, maxlen));
      } else if (op === 10) {
        const a = rnd(model.length + 2) - 1;
        const b = rnd(model.length + 2) - 1;
        assert.deepEqual(l.slice(a, b), model.slice(Math.max(0, a), b + 1));
      }
      assert.equal(l.length, model.length);
    }
    assert.deepEqual(l.toArray(), model);
    const bytes = model.reduce((n, v) => n + v.length, 0);
    assert.equal(l.memoryUsage(), List.from(model).memoryUsage(), 'the running byte total matches a fresh count');
    assert.ok(l.memoryUsage() >= bytes);
  });

  test('plain flags: set by the threshold when an element is stored, kept through moves (seeded)', () => {
    const rnd = xorshift32(20261207);
    const l = new List();
    // The model: each element with whether it was large when stored.
    const model: [string, boolean][] = [];
    let threshold = 4;
    setPackedThreshold(threshold);
    try {
      for (let step = 0; step < 20000; step++) {
        if (rnd(50) === 0) {
          threshold = 2 + rnd(5);
          setPackedThreshold(threshold);
        }
        const v = 'abcdefgh'.slice(0, rnd(8));
        const entry: [string, boolean] = [v, v.length >= threshold];
        const op = rnd(8);
        if (op === 0) {
          l.pushHead(v);
          model.unshift(entry);
        } else if (op === 1) {
          l.pushTail(v);
          model.push(entry);
        } else if (op === 2 && model.length > 0) {
          l.popHead();
          model.shift();
        } else if (op === 3 && model.length > 0) {
          l.popTail();
          model.pop();
        } else if (op === 4) {
          const i = rnd(model.length + 1);
          l.insertAt(i, v);
          model.splice(i, 0, entry);
        } else if (op === 5 && model.length > 0) {
          const i = rnd(model.length);
          l.setAt(i, v);
          model[i] = entry;
        } else if (op === 6) {
          const count = rnd(5) - 2;
          const matches = model.flatMap((e, i) => (e[0] === v ? [i] : []));
          const chosen = new Set(
            count === 0 ? matches : count > 0 ? matches.slice(0, count) : matches.slice(Math.max(0, matches.length + count)),
          );
          assert.equal(l.removeMatching(v, count), chosen.size);
          model.splice(0, model.length, ...model.filter((_, i) => !chosen.has(i)));
        } else if (op === 7 && model.length > 0) {
          const a = rnd(model.length);
          const b = a + rnd(model.length - a);
          l.trim(a, b);
          model.splice(b + 1);
          model.splice(0, a);
        }
        assert.equal(l.length, model.length);
        for (let i = 0; i < model.length; i++) assert.equal(l.isPlain(i), model[i]![1], `step ${step} index ${i}`);
      }
      const copy = l.clone();
      for (let i = 0; i < model.length; i++) assert.equal(copy.isPlain(i), model[i]![1]);
    } finally {
      setPackedThreshold(0);
    }
  });

  test('a million elements: O(1) ends and indexes near either end', () => {
    const l = new List();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) l.pushTail(String(i));
    assert.equal(l.at(0), '0');
    assert.equal(l.at(n - 1), String(n - 1));
    assert.equal(l.at(n >> 1), String(n >> 1));
    for (let i = 0; i < n / 2; i++) l.popHead();
    assert.equal(l.length, n / 2);
    assert.equal(l.at(0), String(n / 2));
    while (l.length > 0) l.popTail();
    assert.equal(l.length, 0);
  });
});
