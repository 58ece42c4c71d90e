/**
 * Keyspace notifications compared with a real redis-server: a subscriber
 * to `__key*__:*` on each server records the messages a script of string,
 * bit and key commands produces under several notify-keyspace-events
 * settings; the two message streams must be identical. A final PUBLISH to
 * a channel the pattern also matches marks the end of each stream.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { serverPair, sleep, type Step } from '../support/compare.js';

const run = redisAvailable('notifications integration');

const END = '__keyend__:end';

const STRINGS: Step[] = [
  ['SET', 'a', '1'],
  ['SET', 'a', '2', 'EX', '100'],
  ['SETNX', 'b', '1'],
  ['SETNX', 'b', '1'],
  ['SETEX', 'c', '10', 'v'],
  ['PSETEX', 'c2', '1000', 'v'],
  ['GETEX', 'a', 'PERSIST'],
  ['GETEX', 'a', 'EX', '100'],
  ['GETEX', 'a', 'PXAT', '1'],
  ['SET', 'a', '1'],
  ['GETDEL', 'a'],
  ['GETDEL', 'a'],
  ['GETSET', 'g', '1'],
  ['GETSET', 'g', '2'],
  ['MSET', 'm1', '1', 'm2', '2'],
  ['MSETNX', 'm3', '1', 'm4', '2'],
  ['MSETNX', 'm3', '1', 'm5', '2'],
  ['APPEND', 'ap', 'x'],
  ['APPEND', 'ap', 'y'],
  ['SETRANGE', 'sr', '0', ''],
  ['SETRANGE', 'sr', '2', 'x'],
  ['SETRANGE', 'sr', '0', 'y'],
  ['INCR', 'i'],
  ['DECR', 'i'],
  ['INCRBY', 'i', '5'],
  ['DECRBY', 'i', '5'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCR', 'ap'],
  ['SET', 'k', 'v', 'GET'],
  ['SET', 'k', 'v', 'NX'],
  ['SET', 'k', 'w', 'XX', 'KEEPTTL'],
  ['SET', 'nn', 'v', 'XX'],
  ['GET', 'missing'],
  ['MGET', 'a', 'missing', 'm1'],
  ['STRLEN', 'zz'],
  ['GETRANGE', 'zz', '0', '1'],
  ['LCS', 'zz', 'yy'],
  ['GETEX', 'zz'],
  ['SET', 'kb', 'v', 'GET', 'EX', '10'],
  ['SET', 'short', 'v', 'PX', '1'],
  20,
  ['GET', 'short'],
];

const BITS: Step[] = [
  ['SETBIT', 'b', '3', '1'],
  ['SETBIT', 'b', '3', '1'],
  ['SETBIT', 'b', '3', '0'],
  ['SETBIT', 'b', '100', '0'],
  ['SET', 's', 'foo'],
  ['BITOP', 'AND', 'd', 'b', 's'],
  ['BITOP', 'OR', 'd', 'nx1', 'nx2'],
  ['BITOP', 'OR', 'd', 'nx1', 'nx2'],
  ['BITFIELD', 'bf', 'GET', 'u8', '0'],
  ['BITFIELD', 'bf', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'bf', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1'],
  ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '300'],
  ['BITFIELD_RO', 'bf', 'GET', 'u8', '0'],
  ['GETBIT', 'nx', '1'],
  ['BITCOUNT', 'nx'],
  ['BITPOS', 'nx', '1'],
  ['BITFIELD', 'nx', 'GET', 'u8', '0'],
];

const KEYS: Step[] = [
  ['SET', 'a', '1'],
  ['SET', 'b', '2'],
  ['DEL', 'a', 'b', 'c'],
  ['UNLINK', 'x'],
  ['SET', 'a', '1'],
  ['UNLINK', 'a'],
  ['EXISTS', 'q'],
  ['TOUCH', 'q'],
  ['TYPE', 'q'],
  ['SET', 'r', '1'],
  ['RENAME', 'r', 'r2'],
  ['SET', 'r3', 'x'],
  ['RENAME', 'r2', 'r3'],
  ['RENAMENX', 'r3', 'r4'],
  ['SET', 'r5', '1'],
  ['RENAMENX', 'r4', 'r5'],
  ['RENAME', 'r4', 'r4'],
  ['RENAME', 'nosuch', 'x'],
  ['SET', 'm', '1'],
  ['MOVE', 'm', '1'],
  ['MOVE', 'm', '1'],
  ['SELECT', '1'],
  ['MOVE', 'm', '0'],
  ['SELECT', '0'],
  ['COPY', 'm', 'm2'],
  ['COPY', 'm', 'm2'],
  ['COPY', 'm', 'm2', 'REPLACE'],
  ['COPY', 'm', 'm3', 'DB', '2'],
  ['COPY', 'nosuch', 'z'],
  ['EXPIRE', 'm', '100'],
  ['EXPIRE', 'nosuch', '100'],
  ['PEXPIRE', 'm', '100000'],
  ['EXPIREAT', 'm', '9999999999'],
  ['PEXPIREAT', 'm', '99999999999'],
  ['EXPIRE', 'm', '100', 'NX'],
  ['TTL', 'm'],
  ['PTTL', 'nosuch'],
  ['EXPIRETIME', 'nosuch'],
  ['PERSIST', 'm'],
  ['PERSIST', 'm'],
  ['PERSIST', 'nosuch'],
  ['EXPIRE', 'm2', '-1'],
  ['SET', 'e', '1'],
  ['PEXPIREAT', 'e', '1'],
  ['OBJECT', 'ENCODING', 'nosuch'],
  ['OBJECT', 'FREQ', 'nosuch'],
  ['DBSIZE'],
  ['SWAPDB', '0', '1'],
  ['SWAPDB', '0', '1'],
  ['FLUSHDB'],
  ['SET', 'f', '1'],
  ['FLUSHALL'],
  ['TYPE', 'gone'],
  ['SCAN', '0'],
  ['KEYS', '*'],
];

const FLAGS = ['KEA', 'KEn', 'KEm', 'Kg', 'E$x', 'A', 'KA', 'Eg$lshzxetdnm'];

/**
 * Runs script on a server with notify-keyspace-events = flags and returns
 * the "<channel> <payload>" messages a pattern subscriber received.
 */
async function messages(port: number, flags: string, script: readonly Step[]): Promise<string[]> {
  const ctl = await RawClient.connect(port);
  const sub = await RawClient.connect(port);
  try {
    await ctl.call('FLUSHALL');
    await ctl.call('CONFIG', 'SET', 'notify-keyspace-events', flags);
    await sub.call('PSUBSCRIBE', '__key*__:*');
    for (const s of script) {
      if (typeof s === 'number') await sleep(s);
      else await ctl.call(...s);
    }
    await ctl.call('PUBLISH', END, 'end');
    const out: string[] = [];
    for (;;) {
      const m = (await sub.read()).value;
      assert.ok(m.kind === 'array' || m.kind === 'push');
      const [, , channel, payload] = m.items.map((x) => (x.kind === 'bulk' ? x.value : ''));
      if (channel === END) break;
      out.push(`${channel} ${payload}`);
    }
    await ctl.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    return out;
  } finally {
    ctl.close();
    sub.close();
  }
}

describe('keyspace notifications: nodis vs redis-server', { skip: !run }, () => {
  const pair = serverPair();
  for (const [name, script] of [
    ['strings', STRINGS],
    ['bits', BITS],
    ['keys', KEYS],
  ] as const) {
    for (const flags of FLAGS) {
      test(`${name} with '${flags}'`, async () => {
        const redis = await messages(pair.redis.port, flags, script);
        const nodis = await messages(pair.nodis.port, flags, script);
        assert.deepEqual(nodis, redis);
      });
    }
  }

  test('RESP3 client notified of its own write: push before the reply', async () => {
    const transcript = async (port: number) => {
      const c = await RawClient.connect(port);
      try {
        await c.call('HELLO', '3');
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        await c.call('SUBSCRIBE', '__keyspace@0__:k');
        const out = [await c.callText('SET', 'k', 'v'), await c.readText(), await c.callText('DEL', 'k'), await c.readText()];
        await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        return out;
      } finally {
        c.close();
      }
    };
    assert.deepEqual(await transcript(pair.nodis.port), await transcript(pair.redis.port));
  });
});
