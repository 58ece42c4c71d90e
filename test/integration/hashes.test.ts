/**
 * Hash commands over real sockets, side by side with a real Redis: the
 * replicated effects (HINCRBYFLOAT → HSET), keyspace notifications, and
 * replies of large hashtable-encoded hashes, whose order depends on the
 * hash table and is therefore compared sorted. Also HSCAN's guarantee
 * under concurrent changes and the shape of HRANDFIELD's random replies.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, type Step } from '../support/compare.js';
import { eventsOnBoth } from '../support/notifications.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const run = redisAvailable('hashes integration');

/** Field/value pairs of a flat list, sorted by field. */
function pairs(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}=${flat[i + 1]}`);
  return out.sort();
}

/** Deterministic writes of every kind, no-ops and errors included. */
const WRITES: Step[] = [
  ['HSET', 'h', 'a', '1', 'b', '2'],
  ['HSET', 'h', 'a', '1'],
  ['HMSET', 'h', 'c', '3'],
  ['HSETNX', 'h', 'a', '9'],
  ['HSETNX', 'h', 'd', '4'],
  ['HINCRBY', 'h', 'a', '5'],
  ['HINCRBY', 'h', 'x', '-2'],
  ['HINCRBY', 'h', 'a', 'nan'],
  ['HINCRBYFLOAT', 'h', 'f', '1.5'],
  ['HINCRBYFLOAT', 'h', 'f', '0.1'],
  ['HINCRBYFLOAT', 'h', 'f', '1e400'],
  ['HDEL', 'h', 'nope'],
  ['HDEL', 'h', 'a', 'b'],
  ['HDEL', 'h', 'c', 'd', 'x', 'f'],
  ['HGET', 'h', 'a'],
  ['HRANDFIELD', 'h'],
  ['EXISTS', 'h'],
  ['SELECT', '3'],
  ['HINCRBYFLOAT', 'k', 'f', '2.5e3'],
  ['SELECT', '0'],
];

describe('hashes: effects and notifications match Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('writes replicate as Redis does: no-ops silent, HINCRBYFLOAT as HSET', async () => {
    const r = await effectsOnBoth(pair, [['FLUSHALL'], ...WRITES]);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    assert.deepEqual(commandsOf(r.effects), commandsOf(r.aof));
  });

  test('keyspace notifications: hset hincrby hincrbyfloat hdel del', async () => {
    const r = await eventsOnBoth(pair, [['FLUSHALL'], ...WRITES]);
    assert.ok(r.redis.length > 8, r.redis.join('\n'));
    assert.deepEqual(
      r.nodis.filter((l) => !l.includes('flush')),
      r.redis.filter((l) => !l.includes('flush')),
    );
  });
});

describe('hashes: hashtable-encoded hashes compared sorted with Redis', { skip: !run }, () => {
  const pair = serverPair();
  const fields = Array.from({ length: 400 }, (_, i) => [`f${i}`, `v${i * 7}`]).flat();

  test('HGETALL HKEYS HVALS HMGET and the digest on a large hash', async () => {
    const a = await RawClient.connect(pair.redis.port);
    const b = await RawClient.connect(pair.nodis.port);
    try {
      for (const cl of [a, b]) {
        await cl.call('FLUSHALL');
        await cl.call('HSET', 'h', ...fields);
        await cl.call('HSET', 'long', 'f', 'x'.repeat(100));
      }
      for (const cmd of [
        ['HKEYS', 'h'],
        ['HVALS', 'h'],
      ]) {
        assert.deepEqual(strings(await b.value(...cmd)).sort(), strings(await a.value(...cmd)).sort(), cmd.join(' '));
      }
      assert.deepEqual(pairs(strings(await b.value('HGETALL', 'h'))), pairs(strings(await a.value('HGETALL', 'h'))));
      for (const cmd of [
        ['OBJECT', 'ENCODING', 'h'],
        ['OBJECT', 'ENCODING', 'long'],
        ['HLEN', 'h'],
        ['HMGET', 'h', 'f0', 'f399', 'nope'],
        ['DEBUG', 'DIGEST'],
      ]) {
        assert.deepEqual((await b.call(...cmd)).raw, (await a.call(...cmd)).raw, cmd.join(' '));
      }
    } finally {
      a.close();
      b.close();
    }
  });

  test('HRANDFIELD picks fields of the hash, distinct for positive counts, pairs in RESP3', async () => {
    const c = await RawClient.connect(pair.nodis.port);
    try {
      await c.call('FLUSHALL');
      await c.call('HSET', 'h', ...fields);
      const all = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) all.set(fields[i]!, fields[i + 1]!);
      const picked = strings(await c.value('HRANDFIELD', 'h', '50'));
      assert.equal(new Set(picked).size, 50);
      assert.ok(picked.every((f) => all.has(f)));
      const flat = strings(await c.value('HRANDFIELD', 'h', '-30', 'WITHVALUES'));
      assert.equal(flat.length, 60);
      for (let i = 0; i < flat.length; i += 2) assert.equal(all.get(flat[i]!), flat[i + 1]);
      await c.call('HELLO', '3');
      const v = (await c.value('HRANDFIELD', 'h', '350', 'WITHVALUES')) as { items: RespValue[] };
      assert.equal(v.items.length, 350);
      const names = new Set<string>();
      for (const p of v.items) {
        const [f, val] = strings(p);
        assert.equal(all.get(f!), val);
        names.add(f!);
      }
      assert.equal(names.size, 350);
    } finally {
      c.close();
    }
  });

  test('HSCAN returns every field present for the whole scan while others come and go', async () => {
    const c = await RawClient.connect(pair.nodis.port);
    try {
      await c.call('FLUSHALL');
      await c.call('HSET', 'h', ...fields);
      const seen = new Map<string, string>();
      let cursor = '0';
      let round = 0;
      do {
        const v = (await c.value('HSCAN', 'h', cursor, 'COUNT', '15')) as { items: RespValue[] };
        cursor = (v.items[0] as { value: string }).value;
        const flat = strings(v.items[1]!);
        for (let i = 0; i < flat.length; i += 2) seen.set(flat[i]!, flat[i + 1]!);
        await c.call('HDEL', 'h', `f${((round * 3) % 200) + 200}`);
        await c.call('HSET', 'h', `new${round++}`, 'x');
      } while (cursor !== '0');
      for (let i = 0; i < 200; i++) assert.equal(seen.get(`f${i}`), `v${i * 7}`);
    } finally {
      c.close();
    }
  });
});
