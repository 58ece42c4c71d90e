import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Db, type DbHooks } from '../keyspace/db.js';
import { WatchRegistry, type Watcher } from './watch.js';
import { MultiState } from './multi-state.js';
import { xorshift32 } from '../../test/support/random.js';

const NOW = 1_000_000;

/** Databases with a fixed clock; expired keys stay until deleted explicitly. */
function makeDbs(n: number): Db[] {
  const hooks: DbHooks = {
    expired: () => undefined,
    deleteExpiredOnAccess: () => false,
    now: () => NOW,
    beforeWrite: null,
  };
  return Array.from({ length: n }, (_, i) => new Db(i, hooks));
}

/** Runs MULTI-less EXEC's check: would an EXEC of w abort? */
function aborts(reg: WatchRegistry, w: Watcher): boolean {
  return w.dirty || reg.anyExpired(w);
}

test('a change to a watched key dirties its watchers only', () => {
  const [db0, db1] = makeDbs(2);
  const reg = new WatchRegistry();
  const a = new MultiState();
  const b = new MultiState();
  reg.watch(a, db0!, 'k');
  reg.watch(b, db0!, 'j');
  reg.touch(db1!, 'k');
  assert.equal(a.dirty, false);
  reg.touch(db0!, 'k');
  assert.equal(a.dirty, true);
  assert.equal(b.dirty, false);
  reg.unwatchAll(a);
  assert.equal(a.dirty, false);
  reg.touch(db0!, 'k');
  assert.equal(a.dirty, false);
});

test('expiry: a key expired when watched may be deleted without effect; a live key that expires aborts', () => {
  const [db] = makeDbs(1);
  const reg = new WatchRegistry();
  const w = new MultiState();
  db!.add('old', 'v');
  db!.setExpire('old', NOW - 1);
  db!.add('live', 'v');
  reg.watch(w, db!, 'old');
  reg.watch(w, db!, 'live');
  assert.equal(aborts(reg, w), false);
  db!.delete('old');
  reg.touch(db!, 'old');
  assert.equal(aborts(reg, w), false);
  reg.touch(db!, 'old');
  assert.equal(w.dirty, true, 'after the deletion the mark is gone: a later change counts');
  reg.unwatchAll(w);
  reg.watch(w, db!, 'live');
  db!.setExpire('live', NOW - 1);
  assert.equal(aborts(reg, w), true);
});

test('flush and swap follow Redis 7.0 rules', () => {
  const [db0, db1] = makeDbs(2);
  const reg = new WatchRegistry();
  const present = new MultiState();
  const absent = new MultiState();
  db0!.add('k', 'v');
  reg.watch(present, db0!, 'k');
  reg.watch(absent, db0!, 'nokey');
  reg.touchAllInDb(db0!, null);
  assert.deepEqual([present.dirty, absent.dirty], [true, false]);
  const brought = new MultiState();
  reg.watch(brought, db0!, 'x');
  db1!.add('x', 'v');
  reg.touchAllInDb(db0!, db1!);
  reg.touchAllInDb(db1!, db0!);
  assert.equal(brought.dirty, true);
  const expiredArrives = new MultiState();
  reg.watch(expiredArrives, db0!, 'e');
  db1!.add('e', 'v');
  db1!.setExpire('e', NOW - 1);
  reg.touchAllInDb(db0!, db1!);
  assert.equal(aborts(reg, expiredArrives), false, 'an expired key arriving counts as a watch of an expired key');
});

/**
 * Property test: random watches, unwatches and touches on a few keys of two
 * dbs, checked against a model that keeps each watcher's watched keys in a
 * plain list and applies touches by scanning them.
 */
test('property: dirty marks match a list-scanning model', () => {
  const random = xorshift32(0x5eed);
  const dbs = makeDbs(2);
  const keys = ['a', 'b', 'c', 'd'];
  for (let round = 0; round < 50; round++) {
    const reg = new WatchRegistry();
    const watchers = [new MultiState(), new MultiState(), new MultiState()];
    const model = watchers.map(() => ({ watched: [] as string[], dirty: false }));
    for (let step = 0; step < 200; step++) {
      const w = random(watchers.length);
      const db = random(dbs.length);
      const key = keys[random(keys.length)]!;
      const op = random(10);
      if (op < 4) {
        reg.watch(watchers[w]!, dbs[db]!, key);
        const id = `${db}:${key}`;
        if (!model[w]!.watched.includes(id)) model[w]!.watched.push(id);
      } else if (op < 5) {
        reg.unwatchAll(watchers[w]!);
        model[w] = { watched: [], dirty: false };
      } else {
        reg.touch(dbs[db]!, key);
        for (const m of model) if (m.watched.includes(`${db}:${key}`)) m.dirty = true;
      }
      for (let i = 0; i < watchers.length; i++) {
        assert.equal(watchers[i]!.dirty, model[i]!.dirty, `round ${round} step ${step} watcher ${i}`);
        assert.equal(watchers[i]!.watches.length, model[i]!.watched.length);
      }
    }
    for (const w of watchers) reg.unwatchAll(w);
    for (const db of dbs) for (const key of keys) reg.touch(db, key);
    assert.ok(watchers.every((w) => !w.dirty && w.watches.length === 0));
  }
});
