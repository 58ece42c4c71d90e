/**
 * SORT and SORT_RO over real sockets, side by side with a real Redis: the
 * replicated effects (nodis's effects stream against Redis's AOF),
 * keyspace notifications, keyspace hits and misses, sorts of large
 * hashtable-encoded sets and skiplist sorted sets (fully determined orders
 * compared exactly, unsorted ones compared sorted), and SORT … STORE waking
 * a blocked client and invalidating a WATCH.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, stepsOnBoth, type Step } from '../support/compare.js';
import { eventsOnBoth } from '../support/notifications.js';

const run = redisAvailable('sort integration');

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/** SORT writes of every kind: stores, empty results deleting (or not) the destination, errors. */
const WRITES: Step[] = [
  ['RPUSH', 'l', '3', '1', '2'],
  ['MSET', 'w_1', '9', 'w_2', '8', 'n_3', 'three'],
  ['SORT', 'l', 'STORE', 'd'],
  ['SORT', 'l', 'BY', 'w_*', 'GET', 'n_*', 'GET', '#', 'STORE', 'd'],
  ['SORT', 'nokey', 'STORE', 'd'],
  ['SORT', 'nokey', 'STORE', 'd'],
  ['SORT', 'l', 'LIMIT', '9', '1', 'STORE', 'l2'],
  ['SADD', 's', 'b', 'c', 'a'],
  ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'],
  ['SORT', 'l', 'STORE', 'l'],
  ['SET', 'str', 'x'],
  ['SORT', 'str', 'STORE', 'd'],
  ['SORT', 's', 'STORE', 'd'],
  ['SORT_RO', 'l'],
  ['SORT', 'l', 'DESC'],
  ['ZADD', 'z', '1', 'x', '2', 'y'],
  ['SORT', 'z', 'BY', 'nosort', 'DESC', 'STORE', 'str'],
];

describe('sort: effects and notifications match Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('SORT … STORE replicates as sent when it changed the dataset; reads and no-ops do not', async () => {
    const r = await effectsOnBoth(pair, [['FLUSHALL'], ...WRITES]);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    assert.deepEqual(commandsOf(r.effects), commandsOf(r.aof));
  });

  test('keyspace notifications: sortstore, del', async () => {
    const r = await eventsOnBoth(pair, [['FLUSHALL'], ...WRITES]);
    assert.ok(
      r.redis.some((l) => l.includes('sortstore')),
      r.redis.join('\n'),
    );
    assert.deepEqual(
      r.nodis.filter((l) => !l.includes('flush')),
      r.redis.filter((l) => !l.includes('flush')),
    );
  });
});

describe('sort: keyspace hits and misses as in Redis', { skip: !run }, () => {
  const pair = serverPair();

  test('the source and BY/GET lookups count, with or without STORE', async () => {
    const steps: Step[] = [
      ['FLUSHALL'],
      ['RPUSH', 'l', '1', '2', '3'],
      ['MSET', 'w_1', '3', 'n_2', 'x'],
      ['HSET', 'h_1', 'f', 'v'],
      ['CONFIG', 'RESETSTAT'],
      ['SORT', 'l'],
      ['SORT', 'nokey'],
      ['SORT', 'l', 'BY', 'w_*'],
      ['SORT', 'l', 'BY', 'nosort', 'GET', 'n_*', 'GET', '#', 'GET', 'h_*->f'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', 'n_*', 'STORE', 'd'],
      ['SORT_RO', 'l', 'GET', 'nostar', 'BY', 'h_*->f'],
      ['SORT', 'l', 'BY', 'n_*'],
      ['SORT', 'l', 'FOO'],
      ['INFO', 'stats'],
    ];
    const r = await stepsOnBoth(pair, steps);
    assert.deepEqual(r.nodis.slice(0, -1), r.redis.slice(0, -1));
    const counters = (info: string) => info.match(/keyspace_(hits|misses):\d+/g);
    assert.deepEqual(counters(r.nodis.at(-1)!), counters(r.redis.at(-1)!));
  });
});

describe('sort: large sets and sorted sets compared with Redis', { skip: !run }, () => {
  const pair = serverPair();
  const words = range(600, (i) => `m${(i * 7919) % 600}`);
  const nums = range(700, (i) => String(((i * 104729) % 1400) - 700));

  test('determined orders are identical; BY nosort on a hashtable set has the same members', async () => {
    const setup: string[][] = [
      ['FLUSHALL'],
      ['SADD', 'a', ...words],
      ['SADD', 'n', ...nums, 'x'],
      ['SREM', 'n', 'x'],
      ['ZADD', 'z', ...words.flatMap((w, i) => [String(i % 17), w])],
      ['MSET', ...words.flatMap((w, i) => [`w_${w}`, String(i % 5)])],
    ];
    const exact: string[][] = [
      ['SORT', 'a', 'ALPHA'],
      ['SORT', 'n'],
      ['SORT', 'n', 'DESC', 'LIMIT', '100', '50'],
      ['SORT', 'a', 'BY', 'w_*'],
      ['SORT', 'a', 'BY', 'w_*', 'DESC', 'LIMIT', '10', '30', 'GET', 'w_*', 'GET', '#'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '50', '20'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC'],
      ['SORT', 'z', 'ALPHA', 'DESC'],
      ['OBJECT', 'ENCODING', 'z'],
      ['SORT', 'a', 'BY', 'nosort', 'STORE', 'st'],
      ['LRANGE', 'st', '0', '-1'],
      ['SORT', 'n', 'STORE', 'st2'],
      ['DEBUG', 'DIGEST'],
    ];
    const a = await RawClient.connect(pair.redis.port);
    const b = await RawClient.connect(pair.nodis.port);
    try {
      for (const cmd of [...setup, ...exact]) {
        assert.deepEqual(
          (await b.call(...cmd)).raw.toString('latin1'),
          (await a.call(...cmd)).raw.toString('latin1'),
          cmd.slice(0, 4).join(' '),
        );
      }
      const unsorted = ['SORT', 'a', 'BY', 'nosort'];
      assert.deepEqual(strings(await b.value(...unsorted)).sort(), strings(await a.value(...unsorted)).sort());
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('sort: STORE wakes blocked clients and touches watched keys', { skip: !run }, () => {
  const pair = serverPair();

  test('BLPOP on the destination is served by SORT … STORE; a WATCH on it fails EXEC', async () => {
    const c = await RawClient.connect(pair.nodis.port);
    const blocked = await RawClient.connect(pair.nodis.port);
    try {
      await c.call('RPUSH', 'src', '2', '1');
      const pending = blocked.value('BLPOP', 'dst', '0');
      while (!(await c.call('CLIENT', 'LIST')).raw.toString('latin1').includes('cmd=blpop')) await new Promise((r) => setTimeout(r, 5));
      assert.equal((await c.call('SORT', 'src', 'STORE', 'dst')).raw.toString('latin1'), ':2\r\n');
      assert.deepEqual(strings(await pending), ['dst', '1']);
      assert.deepEqual(strings(await c.value('LRANGE', 'dst', '0', '-1')), ['2']);
      await c.call('WATCH', 'dst');
      await blocked.call('SORT', 'nokey', 'STORE', 'dst');
      await c.call('MULTI');
      await c.call('PING');
      assert.equal((await c.call('EXEC')).raw.toString('latin1'), '*-1\r\n');
    } finally {
      c.close();
      blocked.close();
    }
  });
});
