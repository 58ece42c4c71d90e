/**
 * Set commands over real sockets, side by side with a real Redis: the
 * replicated effects (nodis's effects stream against Redis's AOF, SPOP's
 * rewriting into SREM/DEL), keyspace notifications, and replies of large
 * hashtable-encoded sets, whose order depends on the hash table and is
 * therefore compared sorted. Also SSCAN's guarantee under concurrent
 * changes and the shape of random replies.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, stepsOnBoth, type Step } from '../support/compare.js';
import { eventsOnBoth } from '../support/notifications.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const run = redisAvailable('sets integration');

const sorted = (xs: string[]) => xs.slice().sort();
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

/** Deterministic writes of every kind, no-ops included. */
const WRITES: Step[] = [
  ['SADD', 's', '1', '2', '3'],
  ['SADD', 's', '1'],
  ['SADD', 's', 'x'],
  ['SREM', 's', 'nope'],
  ['SREM', 's', 'x', '1'],
  ['SMOVE', 's', 'd', '2'],
  ['SMOVE', 's', 'd', '9'],
  ['SMOVE', 'nokey', 'd', '2'],
  ['SMOVE', 's', 's', '3'],
  ['SADD', 'a', '1', '2', '3'],
  ['SADD', 'b', '2', '3', '4'],
  ['SINTERSTORE', 'i', 'a', 'b'],
  ['SUNIONSTORE', 'u', 'a', 'b'],
  ['SDIFFSTORE', 'f', 'a', 'b'],
  ['SINTERSTORE', 'none', 'a', 'nokey'],
  ['SINTERSTORE', 'i', 'a', 'nokey'],
  ['SADD', 'one', 'm'],
  ['SPOP', 'one'],
  ['SADD', 'all', '1', '2'],
  ['SPOP', 'all', '5'],
  ['SPOP', 'all', '5'],
  ['SPOP', 'a', '0'],
  ['CONFIG', 'SET', 'lazyfree-lazy-server-del', 'yes'],
  ['SADD', 'all', '1', '2'],
  ['SPOP', 'all', '2'],
  ['CONFIG', 'SET', 'lazyfree-lazy-server-del', 'no'],
  ['SREM', 'b', '2', '3', '4'],
  ['SCARD', 'a'],
  ['SMEMBERS', 'a'],
];

describe('sets: effects and notifications match Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('writes replicate as Redis does: no-ops silent, SPOP as SREM or DEL', async () => {
    const r = await effectsOnBoth(pair, [['FLUSHALL'], ...WRITES]);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    assert.deepEqual(commandsOf(r.effects), commandsOf(r.aof));
  });

  test('SPOP with a count smaller than the set replicates one SREM per popped member in MULTI/EXEC', async () => {
    const effects: Buffer[] = [];
    const sink = (b: Buffer) => effects.push(b);
    pair.nodis.server.propagation.addSink(sink);
    const c = await RawClient.connect(pair.nodis.port);
    try {
      await c.call('SELECT', '2');
      await c.call('SADD', 'p', ...range(10, String));
      effects.length = 0;
      const popped = strings(await c.value('SPOP', 'p', '3'));
      assert.equal(new Set(popped).size, 3);
      const cmds = commandsOf(Buffer.concat(effects)).filter((a) => a[0] !== 'SELECT');
      assert.deepEqual(cmds, [['MULTI'], ...popped.map((m) => ['SREM', 'p', m]), ['EXEC']]);
      effects.length = 0;
      const one = strings(await c.value('SPOP', 'p', '1'));
      assert.deepEqual(commandsOf(Buffer.concat(effects)), [['SREM', 'p', one[0]!]]);
      assert.equal(((await c.value('SCARD', 'p')) as { value: bigint }).value, 6n);
    } finally {
      pair.nodis.server.propagation.removeSink(sink);
      c.close();
    }
  });

  test('keyspace notifications: sadd srem spop smove *store del', async () => {
    const r = await eventsOnBoth(pair, [['FLUSHALL'], ...WRITES, ['SADD', 'q', 'a', 'b'], ['SPOP', 'q'], ['SPOP', 'q']]);
    assert.ok(r.redis.length > 15, r.redis.join('\n'));
    assert.deepEqual(
      r.nodis.filter((l) => !l.includes('flush')),
      r.redis.filter((l) => !l.includes('flush')),
    );
  });

  test('SMOVE touches a watched destination only when the member was added to it', async () => {
    const outcomes: string[][] = [];
    for (const port of [pair.redis.port, pair.nodis.port]) {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      try {
        await a.call('FLUSHALL');
        await a.call('SADD', 'src', 'a', 'b');
        await a.call('SADD', 'dst', 'a');
        const out: string[] = [];
        for (const [member, expected] of [
          ['a', 'unchanged'],
          ['b', 'added'],
        ]) {
          await a.call('WATCH', 'dst');
          await a.call('MULTI');
          await a.call('SCARD', 'dst');
          out.push(`${expected}: SMOVE ${await b.callText('SMOVE', 'src', 'dst', member!)}`);
          out.push(`${expected}: EXEC ${await a.callText('EXEC')}`);
        }
        outcomes.push(out);
      } finally {
        a.close();
        b.close();
      }
    }
    assert.deepEqual(outcomes[1], outcomes[0]);
    assert.deepEqual(outcomes[0], [
      'unchanged: SMOVE :1\r\n',
      'unchanged: EXEC *1\r\n:1\r\n',
      'added: SMOVE :1\r\n',
      'added: EXEC *-1\r\n',
    ]);
  });
});

describe('sets and hashes: keyspace hits and misses as in Redis', { skip: !run }, () => {
  const pair = serverPair();

  test('read commands and the STORE forms count hits and misses; writes do not', async () => {
    const stats: Step[] = [['INFO', 'stats']];
    const steps: Step[] = [
      ['FLUSHALL'],
      ['SADD', 's', '1', '2'],
      ['HSET', 'h', 'a', '1'],
      ['CONFIG', 'RESETSTAT'],
      ['SMEMBERS', 's'],
      ['SMEMBERS', 'nokey'],
      ['SINTER', 's', 'nokey'],
      ['SINTERSTORE', 'd', 's', 'nokey'],
      ['SUNIONSTORE', 'd', 's', 's'],
      ['SDIFFSTORE', 'e', 'nokey', 's'],
      ['SINTERCARD', '2', 's', 'nokey'],
      ['SMOVE', 's', 't', '1'],
      ['SPOP', 'nokey'],
      ['SRANDMEMBER', 's'],
      ['SISMEMBER', 's', '1'],
      ['SMISMEMBER', 'nokey', '1'],
      ['SSCAN', 's', '0'],
      ['SSCAN', 'nokey', '0'],
      ['SCARD', 's'],
      ['SREM', 's', '9'],
      ['HGET', 'h', 'a'],
      ['HGET', 'nokey', 'a'],
      ['HMGET', 'h', 'a'],
      ['HGETALL', 'h'],
      ['HRANDFIELD', 'nokey', '2'],
      ['HSCAN', 'h', '0'],
      ['HINCRBY', 'h', 'x', '1'],
      ['HSETNX', 'h', 'a', '1'],
      ['HDEL', 'nokey', 'a'],
      ['HEXISTS', 'h', 'a'],
      ['HSTRLEN', 'nokey', 'a'],
      ['HLEN', 'h'],
    ];
    const r = await stepsOnBoth(pair, [...steps, ...stats]);
    const counters = (info: string) => info.match(/keyspace_(hits|misses):\d+/g);
    assert.deepEqual(counters(r.nodis.at(-1)!), counters(r.redis.at(-1)!));
  });
});

describe('sets: hashtable-encoded sets compared sorted with Redis', { skip: !run }, () => {
  const pair = serverPair();
  const big = range(700, (i) => `m${i}`);
  const ints = range(900, (i) => String(i * 3));

  test('SMEMBERS SINTER SUNION SDIFF and STORE forms', async () => {
    const setup: Step[] = [
      ['FLUSHALL'],
      ['SADD', 'a', ...big],
      ['SADD', 'b', ...big.filter((_, i) => i % 3 === 0), 'extra'],
      ['SADD', 'n', ...ints],
      ['SADD', 'm', ...range(300, (i) => String(i * 5))],
    ];
    const reads: string[][] = [
      ['SMEMBERS', 'a'],
      ['SINTER', 'a', 'b'],
      ['SUNION', 'a', 'b', 'n'],
      ['SDIFF', 'a', 'b'],
      ['SDIFF', 'n', 'm'],
      ['SINTER', 'n', 'm'],
      ['SRANDMEMBER', 'a', '700'],
    ];
    const stores: string[][] = [
      ['SINTERSTORE', 'x', 'b', 'a'],
      ['SUNIONSTORE', 'y', 'a', 'n'],
      ['SDIFFSTORE', 'z', 'n', 'm'],
    ];
    const a = await RawClient.connect(pair.redis.port);
    const b = await RawClient.connect(pair.nodis.port);
    try {
      for (const s of setup) assert.deepEqual((await b.call(...(s as string[]))).raw, (await a.call(...(s as string[]))).raw);
      for (const cmd of reads) {
        assert.deepEqual(sorted(strings(await b.value(...cmd))), sorted(strings(await a.value(...cmd))), cmd.join(' '));
      }
      for (const cmd of stores) {
        assert.deepEqual((await b.call(...cmd)).raw, (await a.call(...cmd)).raw, cmd.join(' '));
        const key = cmd[1]!;
        assert.deepEqual(sorted(strings(await b.value('SMEMBERS', key))), sorted(strings(await a.value('SMEMBERS', key))));
        assert.deepEqual(await b.value('OBJECT', 'ENCODING', key), await a.value('OBJECT', 'ENCODING', key));
      }
      assert.deepEqual(
        (await b.call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '50')).raw,
        (await a.call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '50')).raw,
      );
      assert.deepEqual((await b.call('DEBUG', 'DIGEST')).raw, (await a.call('DEBUG', 'DIGEST')).raw);
    } finally {
      a.close();
      b.close();
    }
  });

  test('a full SSCAN returns every member; random picks are members, distinct for positive counts', async () => {
    const r = await stepsOnBoth(pair, [['FLUSHALL'], ['SADD', 'a', ...big]]);
    assert.deepEqual(r.nodis, r.redis);
    const c = await RawClient.connect(pair.nodis.port);
    try {
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const v = (await c.value('SSCAN', 'a', cursor, 'COUNT', '50')) as { items: RespValue[] };
        cursor = (v.items[0] as { value: string }).value;
        for (const m of strings(v.items[1]!)) seen.add(m);
      } while (cursor !== '0');
      assert.deepEqual(sorted([...seen]), sorted(big));
      const members = new Set(big);
      const picked = strings(await c.value('SRANDMEMBER', 'a', '100'));
      assert.equal(new Set(picked).size, 100);
      assert.ok(picked.every((m) => members.has(m)));
      const repeated = strings(await c.value('SRANDMEMBER', 'a', '-1000'));
      assert.equal(repeated.length, 1000);
      assert.ok(repeated.every((m) => members.has(m)));
      const popped = strings(await c.value('SPOP', 'a', '600'));
      assert.equal(new Set(popped).size, 600);
      const rest = strings(await c.value('SMEMBERS', 'a'));
      assert.deepEqual(sorted([...popped, ...rest]), sorted(big));
    } finally {
      c.close();
    }
  });

  test('SSCAN returns every member present for the whole scan while others come and go', async () => {
    const c = await RawClient.connect(pair.nodis.port);
    try {
      await c.call('FLUSHALL');
      await c.call('SADD', 's', ...big);
      const seen = new Set<string>();
      let cursor = '0';
      let round = 0;
      do {
        const v = (await c.value('SSCAN', 's', cursor, 'COUNT', '20')) as { items: RespValue[] };
        cursor = (v.items[0] as { value: string }).value;
        for (const m of strings(v.items[1]!)) seen.add(m);
        await c.call('SREM', 's', `m${((round * 7) % 350) + 350}`);
        await c.call('SADD', 's', `new${round++}`);
      } while (cursor !== '0');
      for (let i = 0; i < 350; i++) assert.ok(seen.has(`m${i}`), `m${i}`);
    } finally {
      c.close();
    }
  });
});
