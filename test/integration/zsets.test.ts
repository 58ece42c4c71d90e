/**
 * Sorted sets over real sockets, side by side with a real Redis: the
 * replicated effects of every kind of write (nodis's effects stream against
 * Redis's AOF), the keyspace notifications each write emits, and behaviour
 * on sets too large for the listpack (ZSCAN's guarantee, ranks and ranges
 * on a big skiplist, ZRANDMEMBER's distinctness).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, startNodis } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, stepsOnBoth, type Step } from '../support/compare.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const run = redisAvailable('zsets integration');

/** Every kind of sorted set write, including no-ops, which must replicate exactly as Redis's do. */
const WRITES: Step[] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', 'XX', '5', 'nope'],
  ['ZADD', 'z', 'NX', 'CH', '9', 'a', '4', 'd'],
  ['ZADD', 'z', 'GT', '0', 'a'],
  ['ZADD', 'z', 'INCR', '2.5', 'a'],
  ['ZADD', 'z', 'INCR', '0', 'a'],
  ['ZINCRBY', 'z', '-1', 'b'],
  ['ZADD', 'z', 'INCR', 'inf', 'inf'],
  ['ZADD', 'z', 'INCR', '-inf', 'inf'],
  ['ZADD', 'nokey', 'XX', '1', 'a'],
  ['ZREM', 'z', 'x'],
  ['ZREM', 'z', 'a', 'x'],
  ['ZREMRANGEBYRANK', 'z', '10', '20'],
  ['ZREMRANGEBYRANK', 'z', '0', '0'],
  ['ZREMRANGEBYSCORE', 'z', '100', '200'],
  ['ZREMRANGEBYSCORE', 'z', '(3', '+inf'],
  ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c'],
  ['ZREMRANGEBYLEX', 'l', '[a', '(b'],
  ['ZREMRANGEBYLEX', 'l', '-', '+'],
  ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZPOPMIN', 'p'],
  ['ZPOPMAX', 'p', '0'],
  ['ZPOPMAX', 'p', '1'],
  ['ZPOPMIN', 'nokey', '5'],
  ['ZMPOP', '2', 'nokey', 'p', 'MAX', 'COUNT', '10'],
  ['ZMPOP', '1', 'p', 'MIN'],
  ['ZADD', 'q', '1', 'a', '2', 'b'],
  ['ZMPOP', '1', 'q', 'MIN', 'COUNT', '1'],
  ['ZADD', 'u1', '1', 'a', '2', 'b'],
  ['ZADD', 'u2', '3', 'b', '4', 'c'],
  ['ZUNIONSTORE', 'dst', '2', 'u1', 'u2'],
  ['ZINTERSTORE', 'dst', '2', 'u1', 'u2', 'WEIGHTS', '2', '3'],
  ['ZDIFFSTORE', 'dst', '2', 'u1', 'u2'],
  ['ZINTERSTORE', 'dst', '2', 'u1', 'nokey'],
  ['ZINTERSTORE', 'dst', '2', 'u1', 'nokey'],
  ['ZRANGESTORE', 'dst', 'u2', '0', '-1'],
  ['ZRANGESTORE', 'dst', 'u2', '5', '6'],
  ['ZRANGESTORE', 'dst', 'u2', '5', '6'],
  ['ZRANGE', 'u1', '0', '-1'],
  ['ZRANDMEMBER', 'u1', '5'],
  ['ZSCORE', 'u1', 'a'],
  ['SELECT', '2'],
  ['ZADD', 'other', '1', 'x'],
  ['ZPOPMIN', 'other'],
  ['SELECT', '0'],
];

describe('zsets: replicated effects match Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('writes replicate as Redis appends them (ZMPOP → ZPOPMIN/ZPOPMAX), no-ops stay silent', async () => {
    const r = await effectsOnBoth(pair, WRITES);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    const got = commandsOf(r.effects);
    assert.ok(got.length >= 25, `the script replicates many effects (${got.length})`);
    assert.deepEqual(got, commandsOf(r.aof));
  });
});

/** The keyspace notifications a script triggers, as [channel, message] pairs. */
async function notificationsOf(port: number, steps: readonly string[][]): Promise<string[][]> {
  const sub = await RawClient.connect(port);
  const c = await RawClient.connect(port);
  try {
    await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    await sub.call('PSUBSCRIBE', '__key*__:*', 'done');
    for (const argv of steps) await c.call(...argv);
    await c.call('PUBLISH', 'done', '1');
    const out: string[][] = [];
    for (;;) {
      const { value } = await sub.read();
      const items = (value as { items: { value: string }[] }).items.map((i) => i.value);
      if (items[2] === 'done') break;
      out.push(items.slice(2));
    }
    return out;
  } finally {
    await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    sub.close();
    c.close();
  }
}

describe('zsets: keyspace notifications match Redis', { skip: !run }, () => {
  const pair = serverPair();

  test('each write emits Redis\'s events, with "del" when a set empties', async () => {
    const steps = (WRITES.filter((s) => Array.isArray(s)) as string[][]).filter((s) => s[0] !== 'SELECT');
    const [redis, nodis] = [await notificationsOf(pair.redis.port, steps), await notificationsOf(pair.nodis.port, steps)];
    assert.ok(redis.length > 40, `many events (${redis.length})`);
    assert.deepEqual(nodis, redis);
  });
});

/** Every read and write form, with hits and misses, for the keyspace_hits/keyspace_misses comparison. */
const LOOKUPS: string[][] = [
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['ZADD', 'y', '1', 'a'],
  ['ZCARD', 'z'],
  ['ZCARD', 'no'],
  ['ZSCORE', 'z', 'a'],
  ['ZMSCORE', 'no', 'a'],
  ['ZRANK', 'z', 'a'],
  ['ZREVRANK', 'no', 'a'],
  ['ZCOUNT', 'z', '0', '1'],
  ['ZLEXCOUNT', 'no', '-', '+'],
  ['ZRANGE', 'z', '0', '-1'],
  ['ZRANGEBYSCORE', 'no', '0', '1'],
  ['ZREVRANGEBYLEX', 'z', '+', '-'],
  ['ZRANGESTORE', 'd', 'z', '0', '0'],
  ['ZRANGESTORE', 'd', 'no', '0', '0'],
  ['ZUNION', '2', 'z', 'no'],
  ['ZINTER', '2', 'z', 'y'],
  ['ZDIFF', '2', 'no', 'z'],
  ['ZINTERCARD', '2', 'z', 'no'],
  ['ZUNIONSTORE', 'd', '2', 'z', 'no'],
  ['ZDIFFSTORE', 'd', '2', 'z', 'y'],
  ['ZRANDMEMBER', 'z', '5'],
  ['ZRANDMEMBER', 'no', '2'],
  ['ZSCAN', 'z', '0'],
  ['ZSCAN', 'no', '0'],
  ['ZINCRBY', 'z', '1', 'a'],
  ['ZREM', 'no', 'a'],
  ['ZPOPMIN', 'no'],
  ['ZMPOP', '2', 'no', 'y', 'MIN'],
  ['ZREMRANGEBYRANK', 'z', '5', '6'],
  ['INFO', 'stats'],
];

describe('zsets: keyspace hits and misses match Redis', { skip: !run }, () => {
  const pair = serverPair();

  test('reads (STORE sources included) count hits and misses as Redis does; writes do not', async () => {
    const r = await stepsOnBoth(pair, LOOKUPS);
    const field = (info: string, name: string) => new RegExp(`${name}:(\\d+)`).exec(info)![1];
    const [a, b] = [r.redis.at(-1)!, r.nodis.at(-1)!];
    assert.equal(field(b, 'keyspace_hits'), field(a, 'keyspace_hits'));
    assert.equal(field(b, 'keyspace_misses'), field(a, 'keyspace_misses'));
    assert.deepEqual(r.nodis.slice(0, -1), r.redis.slice(0, -1));
  });
});

describe('zsets: large sets', () => {
  test('ZSCAN over a skiplist returns every member present throughout, despite changes', async () => {
    const s = await startNodis();
    const c = await RawClient.connect(s.port);
    try {
      const argv = ['ZADD', 'z'];
      for (let i = 0; i < 1000; i++) argv.push(String(i % 7), `m${i}`);
      await c.call(...argv);
      assert.equal(((await c.value('OBJECT', 'ENCODING', 'z')) as { value: string }).value, 'skiplist');
      const seen = new Set<string>();
      let cursor = '0';
      let round = 0;
      do {
        const [next, items] = ((await c.value('ZSCAN', 'z', cursor, 'COUNT', '25')) as { items: RespValue[] }).items;
        const flat = strings(items!);
        for (let i = 0; i < flat.length; i += 2) seen.add(flat[i]!);
        cursor = (next as { value: string }).value;
        // Churn: drop members that are not part of the stable half, add new ones.
        await c.call('ZREM', 'z', `m${500 + round}`);
        await c.call('ZADD', 'z', '3', `new${round++}`);
      } while (cursor !== '0');
      for (let i = 0; i < 500; i++) assert.ok(seen.has(`m${i}`), `m${i} returned`);
      const matched = strings(((await c.value('ZSCAN', 'z', '0', 'MATCH', 'm1?', 'COUNT', '100000')) as { items: RespValue[] }).items[1]!);
      assert.deepEqual(matched.filter((_, i) => i % 2 === 0).sort(), Array.from({ length: 10 }, (_, i) => `m1${i}`).sort());
    } finally {
      c.close();
      await s.stop();
    }
  });

  test('ranks and ranges on 200k members stay consistent', async () => {
    const s = await startNodis();
    const c = await RawClient.connect(s.port);
    try {
      const n = 200_000;
      for (let base = 0; base < n; base += 10_000) {
        const argv = ['ZADD', 'big'];
        for (let i = base; i < base + 10_000; i++) argv.push(String(i), `m${i}`);
        await c.call(...argv);
      }
      for (const i of [0, 1, 99_999, 123_456, n - 1]) {
        assert.equal(((await c.value('ZRANK', 'big', `m${i}`)) as { value: bigint }).value, BigInt(i));
        assert.equal(((await c.value('ZREVRANK', 'big', `m${i}`)) as { value: bigint }).value, BigInt(n - 1 - i));
      }
      assert.deepEqual(strings(await c.value('ZRANGE', 'big', '150000', '150002')), ['m150000', 'm150001', 'm150002']);
      assert.deepEqual(strings(await c.value('ZRANGE', 'big', '(199997', '+inf', 'BYSCORE')), ['m199998', 'm199999']);
      assert.equal(((await c.value('ZCOUNT', 'big', '1000', '(2000')) as { value: bigint }).value, 1000n);
      assert.equal(((await c.value('ZREMRANGEBYRANK', 'big', '0', '99999')) as { value: bigint }).value, 100_000n);
      assert.equal(((await c.value('ZRANK', 'big', 'm100000')) as { value: bigint }).value, 0n);
      const distinct = strings(await c.value('ZRANDMEMBER', 'big', '1000'));
      assert.equal(new Set(distinct).size, 1000);
      const repeated = strings(await c.value('ZRANDMEMBER', 'big', '-1000'));
      assert.equal(repeated.length, 1000);
    } finally {
      c.close();
      await s.stop();
    }
  });
});
