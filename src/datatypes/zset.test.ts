import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AddOutcome, ZSet, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX } from './zset.js';
import { xorshift32 } from '../../test/support/random.js';
import type { LexRange, ScoreRange } from './skiplist.js';

const LIMITS = { entries: 16, value: 8 };

/** The model: a plain member → score map; order is derived by sorting. */
type Model = Map<string, number>;

function sorted(model: Model): [string, number][] {
  return [...model].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Checks every observable of z against the model: order both ways, ranks, access by rank, lookups. */
function verify(z: ZSet, model: Model): void {
  const want = sorted(model);
  assert.equal(z.size, want.length);
  assert.equal(z.list.length, want.length);
  const forward: [string, number][] = [];
  for (let n = z.list.first; n !== null; n = n.next[0] ?? null) forward.push([n.member, n.score]);
  assert.deepEqual(forward, want);
  const backward: [string, number][] = [];
  for (let n = z.list.tail; n !== null; n = n.backward) backward.push([n.member, n.score]);
  assert.deepEqual(backward.reverse(), want);
  want.forEach(([m, s], i) => {
    assert.equal(z.score(m), s);
    assert.equal(z.rank(m, false), i);
    assert.equal(z.rank(m, true), want.length - 1 - i);
    assert.equal(z.at(i)?.member, m);
  });
  assert.equal(z.at(want.length), null);
  assert.equal(z.at(-1), null);
}

const inScore = (s: number, r: ScoreRange) => (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);

function inLex(m: string, r: LexRange): boolean {
  const lo = r.min.inf !== 0 ? r.min.inf < 0 : r.min.exclusive ? m > r.min.value : m >= r.min.value;
  const hi = r.max.inf !== 0 ? r.max.inf > 0 : r.max.exclusive ? m < r.max.value : m <= r.max.value;
  return lo && hi;
}

describe('ZSet against a model', () => {
  for (const seed of [1, 7, 42, 1234, 99991]) {
    test(`random operations, seed ${seed}`, () => {
      const rnd = xorshift32(seed);
      const z = new ZSet(true);
      const model: Model = new Map();
      const member = () => String.fromCharCode(97 + rnd(6)) + (rnd(3) === 0 ? '' : String.fromCharCode(rnd(256)));
      const score = () => [-Infinity, Infinity, 0, -0.5][rnd(20)] ?? rnd(10) - 5;
      const scoreRange = (): ScoreRange => {
        const a = score();
        const b = score();
        return { min: Math.min(a, b), max: Math.max(a, b), minex: rnd(2) === 0, maxex: rnd(2) === 0 };
      };
      const lexBound = () => {
        const k = rnd(8);
        return k === 0
          ? { inf: -1 as const, value: '', exclusive: false }
          : k === 1
            ? { inf: 1 as const, value: '', exclusive: false }
            : { inf: 0 as const, value: member(), exclusive: rnd(2) === 0 };
      };
      for (let step = 0; step < 3000; step++) {
        const op = rnd(100);
        if (op < 45) {
          const flags = [0, ZADD_NX, ZADD_XX, ZADD_GT, ZADD_LT, ZADD_INCR, ZADD_INCR | ZADD_GT][rnd(7)]!;
          const m = member();
          const s = score();
          const cur = model.get(m);
          const outcome = z.add(m, s, flags, LIMITS);
          let want: AddOutcome;
          const next = (flags & ZADD_INCR) !== 0 && cur !== undefined ? cur + s : s;
          if (cur === undefined) want = (flags & ZADD_XX) !== 0 ? AddOutcome.Refused : AddOutcome.Added;
          else if ((flags & ZADD_NX) !== 0) want = AddOutcome.Refused;
          else if (Number.isNaN(next)) want = AddOutcome.NaN;
          else if (((flags & ZADD_GT) !== 0 && next <= cur) || ((flags & ZADD_LT) !== 0 && next >= cur)) want = AddOutcome.Refused;
          else want = next === cur ? AddOutcome.Unchanged : AddOutcome.Updated;
          assert.equal(outcome, want, `add ${m} ${s} flags ${flags}`);
          if (want === AddOutcome.Added || want === AddOutcome.Updated) model.set(m, next);
          if (want === AddOutcome.Added || want === AddOutcome.Updated || want === AddOutcome.Unchanged) assert.equal(z.lastScore, next);
        } else if (op < 60) {
          const m = member();
          assert.equal(z.remove(m), model.delete(m));
        } else if (op < 68) {
          const r = scoreRange();
          const gone = [...model].filter(([, s]) => inScore(s, r));
          assert.equal(z.countScoreRange(r), gone.length);
          const first = z.list.firstInScoreRange(r);
          const last = z.list.lastInScoreRange(r);
          const inOrder = sorted(model).filter(([, s]) => inScore(s, r));
          assert.equal(first?.member, inOrder[0]?.[0]);
          assert.equal(last?.member, inOrder.at(-1)?.[0]);
          if (rnd(2) === 0) {
            assert.equal(z.removeScoreRange(r), gone.length);
            for (const [m] of gone) model.delete(m);
          }
        } else if (op < 74) {
          // Lexical ranges are defined on members of equal score: use the members scored 0.
          const r: LexRange = { min: lexBound(), max: lexBound() };
          const zero = new ZSet(true);
          const zeroModel: Model = new Map();
          for (const [m, s] of model)
            if (s === 0) {
              zero.insert(m, 0, LIMITS);
              zeroModel.set(m, 0);
            }
          const inside = [...zeroModel.keys()].filter((m) => inLex(m, r));
          assert.equal(zero.countLexRange(r), inside.length);
          assert.equal(zero.removeLexRange(r), inside.length);
          for (const m of inside) zeroModel.delete(m);
          verify(zero, zeroModel);
        } else if (op < 80) {
          const len = model.size;
          if (len > 0) {
            const start = rnd(len);
            const end = start + rnd(len - start);
            const gone = sorted(model).slice(start, end + 1);
            assert.equal(z.removeRankRange(start, end), gone.length);
            for (const [m] of gone) model.delete(m);
          }
        } else if (op < 88) {
          const max = rnd(2) === 0;
          const count = rnd(4);
          const order = sorted(model);
          const want = (max ? order.reverse() : order).slice(0, count);
          const popped = z.pop(max, count);
          assert.deepEqual(
            popped.members,
            want.map(([m]) => m),
          );
          assert.deepEqual(
            popped.scores,
            want.map(([, s]) => s),
          );
          for (const [m] of want) model.delete(m);
        } else {
          const copy = z.clone();
          verify(copy, model);
          assert.equal(copy.encoding(), z.encoding());
          assert.equal(copy.memoryUsage(), z.memoryUsage(), 'the running byte total matches a fresh count');
        }
        if (step % 50 === 0) verify(z, model);
      }
      verify(z, model);
    });
  }
});

describe('ZSet encodings', () => {
  test('a set turns into a skiplist past either limit and stays one', () => {
    const limits = { entries: 2, value: 3 };
    const z = ZSet.forFirstMember(1, limits);
    z.add('a', 1, 0, limits);
    z.add('b', 2, 0, limits);
    assert.equal(z.encoding(), 'listpack');
    z.add('b', 5, 0, limits);
    assert.equal(z.encoding(), 'listpack');
    z.add('c', 3, 0, limits);
    assert.equal(z.encoding(), 'skiplist');
    z.remove('c');
    z.remove('b');
    assert.equal(z.encoding(), 'skiplist');
    const long = ZSet.forFirstMember(1, limits);
    long.add('abcd', 1, 0, limits);
    assert.equal(long.encoding(), 'skiplist');
    assert.equal(ZSet.forFirstMember(4, limits).encoding(), 'skiplist');
    assert.equal(ZSet.forFirstMember(1, { entries: 0, value: 64 }).encoding(), 'skiplist');
  });

  test('built results are listpacks exactly when they fit', () => {
    const limits = { entries: 2, value: 3 };
    assert.equal(
      ZSet.fromEntries(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        limits,
      ).encoding(),
      'listpack',
    );
    assert.equal(
      ZSet.fromEntries(
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
        limits,
      ).encoding(),
      'skiplist',
    );
    assert.equal(ZSet.fromEntries(new Map([['abcd', 1]]), limits).encoding(), 'skiplist');
  });
});
