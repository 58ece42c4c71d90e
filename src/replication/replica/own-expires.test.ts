import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../keyspace/db.js';
import { ReplicaOwnExpires } from './own-expires.js';

/** A stand-in Db: only what the cycle reads (its id and getExpire). */
function fakeDb(id: number, expires: Map<string, number>): Db {
  return { id, getExpire: (key: string) => expires.get(key) ?? -1 } as unknown as Db;
}

test('expires the remembered keys past their TTL, forgets those without one, keeps the rest', () => {
  const e0 = new Map([
    ['a', 100],
    ['b', 500],
    ['c', 50],
  ]);
  const e1 = new Map([['a', 400]]);
  const dbs = [fakeDb(0, e0), fakeDb(1, e1)];
  const own = new ReplicaOwnExpires();
  for (const [db, key] of [
    [0, 'a'],
    [0, 'b'],
    [0, 'c'],
    [1, 'a'],
    [0, 'gone'],
  ] as const)
    own.remember(dbs[db]!, key);
  e0.delete('c'); // PERSIST: no TTL any more
  assert.equal(own.count, 4);
  const expired: string[] = [];
  own.cycle(dbs, 200, 10, (db, key) => expired.push(`${db.id}:${key}`));
  assert.deepEqual(expired, ['0:a']);
  assert.equal(own.count, 2, 'a (db 1) and b are still to expire');
  own.cycle(dbs, 1000, 10, (db, key) => expired.push(`${db.id}:${key}`));
  assert.deepEqual(expired.sort(), ['0:a', '0:b', '1:a']);
  assert.equal(own.count, 0);
  own.remember(dbs[0]!, 'b');
  own.clear();
  assert.equal(own.count, 0);
});
