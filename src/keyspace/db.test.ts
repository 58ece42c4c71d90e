import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Db, type DbHooks, type Entry } from './db.js';
import { AccessPolicy, LFU_INIT, lfuDecayed } from './access.js';
import type { Value } from './values.js';
import { xorshift32 } from '../../test/support/random.js';

/** A Db with a controllable clock; expired keys are deleted and listed in `expired`. */
function makeDb(extra: Partial<DbHooks> = {}): { db: Db; clock: { now: number }; expired: string[]; hooks: DbHooks } {
  const clock = { now: 1_000_000 };
  const expired: string[] = [];
  const hooks: DbHooks = {
    expired: (d, key) => {
      expired.push(key);
      d.delete(key);
    },
    deleteExpiredOnAccess: () => true,
    now: () => clock.now,
    beforeWrite: null,
    ...extra,
  };
  return { db: new Db(0, hooks), clock, expired, hooks };
}

/** Records what the before-write hook saw: "key=value@expiry". */
function recordingHook(log: string[]): DbHooks['beforeWrite'] {
  return (d: Db, key: string, e: Entry) => log.push(`${key}=${String(e.value as Value)}@${d.getExpire(key)}`);
}

test('db: before-write hook sees the old value and expiry before every kind of change', () => {
  const log: string[] = [];
  const { db, clock } = makeDb({ beforeWrite: recordingHook(log) });
  db.add('k', 'v1');
  assert.deepEqual(log, [], 'adding a new key has no old value');

  db.set('k', 'v2');
  assert.deepEqual(log.splice(0), ['k=v1@-1'], 'overwrite');

  db.lookupWrite('k');
  assert.deepEqual(log.splice(0), ['k=v2@-1'], 'in-place change');

  db.setExpire('k', clock.now + 5000);
  assert.deepEqual(log.splice(0), ['k=v2@-1'], 'expiry set');

  db.removeExpire('k');
  assert.deepEqual(log.splice(0), [`k=v2@${clock.now + 5000}`], 'expiry removed');
  db.removeExpire('k');
  assert.deepEqual(log.splice(0), [], 'removing a missing expiry changes nothing');

  // Rename/move: the source is deleted, the destination's old value is deleted.
  db.add('dst', 'old');
  const e = db.lookupWrite('k')!;
  log.splice(0);
  db.delete('dst');
  db.delete('k');
  db.addMoved('dst', e, -1);
  assert.deepEqual(log.splice(0), ['dst=old@-1', 'k=v2@-1'], 'rename');

  db.delete('dst');
  assert.deepEqual(log.splice(0), ['dst=v2@-1'], 'delete');

  db.add('lazy', 'x');
  db.setExpire('lazy', clock.now + 10);
  log.splice(0);
  clock.now += 10;
  assert.equal(db.lookupRead('lazy'), undefined);
  assert.deepEqual(log.splice(0), [`lazy=x@${clock.now}`], 'lazy expiry');

  db.add('active', 'y');
  db.setExpire('active', clock.now + 10);
  log.splice(0);
  clock.now += 10;
  assert.deepEqual(db.activeExpireStep(20), [1, 1]);
  assert.deepEqual(log.splice(0), [`active=y@${clock.now}`], 'active expiry');

  db.add('a', '1');
  db.add('b', '2');
  log.splice(0);
  assert.equal(db.clear(), 2);
  assert.deepEqual(log.splice(0).sort(), ['a=1@-1', 'b=2@-1'], 'flush without a whole-db hook: per key');
});

test('db: flush and swap hand the whole contents to the replace-all hook in O(1)', () => {
  const seen: [number, string[]][] = [];
  const perKey: string[] = [];
  const extra: Partial<DbHooks> = {
    beforeWrite: (_d, key) => perKey.push(key),
    beforeReplaceAll: (d, dict) => seen.push([d.id, [...dict.keys()]]),
  };
  const { hooks, db: a } = makeDb(extra);
  const b = new Db(1, hooks);
  a.add('x', '1');
  b.add('y', '2');
  b.setExpire('y', 99_000_000);
  perKey.splice(0);

  a.swapWith(b);
  assert.deepEqual(seen.splice(0), [
    [0, ['x']],
    [1, ['y']],
  ]);
  assert.equal(a.peek('y')!.value, '2');
  assert.equal(a.getExpire('y'), 99_000_000);
  assert.equal(b.peek('x')!.value, '1');

  const before = a.dict;
  a.clear();
  assert.deepEqual(seen.splice(0), [[0, ['y']]]);
  assert.equal(before.size, 1, 'the old map is left intact for whoever took it');
  assert.equal(a.size, 0);
  assert.equal(a.getExpire('y'), -1);
  assert.deepEqual(perKey, [], 'no per-key calls when the whole-db hook is set');
});

test('db: SCAN returns every key present for the whole scan, despite churn and compaction', () => {
  const { db } = makeDb();
  // xorshift32: deterministic and good enough for picking keys.
  const random = xorshift32(2463534242);
  for (let round = 0; round < 20; round++) {
    db.clear();
    const stable = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const k = `s${round}:${i}`;
      db.add(k, 'v');
      if (random(4) === 0) stable.add(k);
    }
    let temp = 0;
    const seen = new Set<string>();
    let cursor = 0;
    do {
      cursor = db.scan(cursor, 10 + random(50), (k) => seen.add(k));
      // Churn: delete unstable keys (forcing compactions) and add new ones.
      for (let j = 0; j < 80; j++) {
        const k = `s${round}:${random(3000)}`;
        if (!stable.has(k)) db.delete(k);
      }
      for (let j = 0; j < 5; j++) db.add(`t${round}:${temp++}`, 'v');
    } while (cursor !== 0);
    for (const k of stable) assert.ok(seen.has(k), `key ${k} missed in round ${round}`);
  }
});

test('db: randomKey returns live keys only, undefined when empty', () => {
  const { db } = makeDb();
  assert.equal(db.randomKey(), undefined);
  for (let i = 0; i < 2000; i++) db.add(`k${i}`, 'v');
  for (let i = 0; i < 1900; i++) db.delete(`k${i}`);
  for (let i = 0; i < 200; i++) {
    const k = db.randomKey()!;
    assert.ok(db.peek(k) !== undefined);
  }
});

test('db: lookups apply lazy expiry; lookupNoTouch does not record an access', () => {
  const { db, clock, expired } = makeDb();
  db.add('k', 'v');
  const e = db.peek('k')!;
  clock.now += 3000;
  db.lookupNoTouch('k');
  assert.equal(e.lru, 1_000_000);
  db.lookupRead('k');
  assert.equal(e.lru, clock.now);
  db.setExpire('k', clock.now + 1);
  assert.equal(db.isExpired('k'), false);
  clock.now += 1;
  assert.equal(db.isExpired('k'), true);
  assert.equal(db.lookupNoTouch('k'), undefined);
  assert.deepEqual(expired, ['k']);
  assert.equal(db.size, 0);
});

test('db: the LFU counter starts at 5, grows on access while an LFU policy is on, and decays', () => {
  const access = new AccessPolicy();
  const { db, clock } = makeDb({ access });
  db.add('k', 'v');
  const e = db.peek('k')!;
  db.lookupRead('k');
  assert.equal(e.lfuCount, LFU_INIT, 'not tracked without an LFU policy');
  access.lfu = true;
  db.lookupRead('k');
  assert.equal(e.lfuCount, LFU_INIT + 1, 'at or below 5 the counter always grows');
  for (let i = 0; i < 1000; i++) db.lookupRead('k');
  assert.ok(e.lfuCount > LFU_INIT + 1 && e.lfuCount < 255, `logarithmic growth, got ${e.lfuCount}`);
  const n = e.lfuCount;
  clock.now += 3 * 60_000;
  assert.equal(lfuDecayed(e, access, clock.now), n - 3, 'one per lfu-decay-time minute');
  access.decayMinutes = 0;
  assert.equal(lfuDecayed(e, access, clock.now), n, 'no decay when lfu-decay-time is 0');
});
