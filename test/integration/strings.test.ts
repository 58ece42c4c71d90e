/**
 * String and bit commands over real sockets, side by side with a real
 * Redis: the replicated effects of every write (nodis's effects stream
 * against Redis's AOF, which receives the same commands), keyspace
 * hits/misses, the proto-max-bulk-len limits, and values too big for a JS
 * string.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, startNodis } from '../support/servers.js';
import { startTargets, stopTargets, type Target } from '../support/targets.js';
import { RawClient } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, maskNow, runSteps, serverPair, type Step } from '../support/compare.js';
import type { RunningServer } from '../../src/index.js';

const run = redisAvailable('strings integration');
const FAR_S = '4102444800';
const FAR_MS = '4102444800123';

/** Every kind of string/bit write, including no-ops, which must replicate exactly as Redis's do. */
const WRITES: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
  ['SET', 'a', '1', 'EX', '100'],
  ['SET', 'a', '2', 'PX', '100000', 'NX'],
  ['SET', 'b', '2', 'PXAT', FAR_MS, 'GET'],
  ['SET', 'c', '3', 'GET'],
  ['SET', 'c', '4', 'get', 'XX', 'keepttl', 'GET'],
  ['SET', 'c', '5', 'EXAT', FAR_S],
  ['SETEX', 'd', '100', 'x'],
  ['PSETEX', 'e', '100000', 'y'],
  ['SET', 'f', '1', 'EXAT', '1'],
  ['GET', 'f'],
  ['SET', 'f', '1', 'PX', '1'],
  20,
  ['SET', 'f', '2', 'KEEPTTL'],
  ['GETSET', 'g', 'z'],
  ['GETEX', 'g', 'EX', '100'],
  ['GETEX', 'g', 'PXAT', FAR_MS],
  ['GETEX', 'g', 'EXAT', FAR_S],
  ['GETEX', 'g', 'PERSIST'],
  ['GETEX', 'g', 'PERSIST'],
  ['GETEX', 'g'],
  ['GETEX', 'g', 'EXAT', '1'],
  ['GETEX', 'g', 'EX', '1'],
  ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'],
  ['SET', 'g', '1'],
  ['GETEX', 'g', 'PXAT', '1'],
  ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no'],
  ['SET', 'h', '1'],
  ['GETDEL', 'h'],
  ['GETDEL', 'h'],
  ['INCRBYFLOAT', 'h', '1.5'],
  ['INCRBYFLOAT', 'h', 'x'],
  ['INCR', 'i'],
  ['INCRBY', 'i', '5'],
  ['DECR', 'i'],
  ['DECRBY', 'i', '2'],
  ['INCRBY', 'i', '9223372036854775807'],
  ['SETNX', 'j', '1'],
  ['SETNX', 'j', '2'],
  ['MSET', 'k', '1', 'l', '2'],
  ['MSETNX', 'k', '1', 'm', '2'],
  ['MSETNX', 'm', '1', 'n', '2'],
  ['APPEND', 'o', 'x'],
  ['APPEND', 'o', ''],
  ['SETRANGE', 'o', '0', ''],
  ['SETRANGE', 'o', '3', 'ab'],
  ['SETRANGE', 'p', '0', ''],
  ['SETBIT', 'q', '0', '0'],
  ['SETBIT', 'q', '0', '0'],
  ['SETBIT', 'q', '0', '1'],
  ['SETBIT', 'q', '100', '0'],
  ['SETBIT', 'q', '7', '0'],
  ['BITFIELD', 'r', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '10'],
  ['BITFIELD', 'r', 'SET', 'u2', '0', '1'],
  ['BITFIELD', 'r', 'SET', 'u2', '0', '1'],
  ['BITFIELD', 'r', 'INCRBY', 'u2', '0', '1', 'GET', 'u2', '0'],
  ['BITFIELD_RO', 'r', 'GET', 'u2', '0'],
  ['BITFIELD', 'r', 'SET', 'u2', '0', '2', 'SET', 'u2', '0', '3', 'SET', 'u2', '0', '3'],
  ['BITFIELD', 'r2', 'SET', 'u2', '0', '0', 'SET', 'u2', '0', '0'],
  ['BITOP', 'AND', 's', 'nokey'],
  ['SET', 's', '1'],
  ['BITOP', 'AND', 's', 'nokey'],
  ['BITOP', 'OR', 't', 'q', 'r'],
  ['BITOP', 'NOT', 't', 'nokey'],
  ['GET', 'a'],
  ['MGET', 'a', 'b'],
  ['STRLEN', 'a'],
  ['GETRANGE', 'a', '0', '1'],
  ['LCS', 'a', 'b'],
  ['BITCOUNT', 'q'],
  ['BITPOS', 'q', '1'],
  ['GETBIT', 'q', '0'],
  ['SELECT', '3'],
  ['SET', 'x', '1', 'PX', '100000'],
  ['INCRBYFLOAT', 'x', '2'],
  ['SELECT', '0'],
  ['DEL', 'x'],
];

describe('strings: replicated effects match Redis', { skip: !run }, () => {
  const pair = serverPair([...AOF_ALWAYS, '--enable-debug-command', 'yes'], { config: { 'enable-debug-command': 'yes' } });

  test('SET/SETEX → SET PXAT, GETEX → PEXPIREAT/PERSIST/DEL, GETDEL → DEL, INCRBYFLOAT → SET KEEPTTL, no-ops silent', async () => {
    const r = await effectsOnBoth(pair, WRITES);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    const got = commandsOf(r.effects).map(maskNow);
    assert.ok(got.length >= 50, `the script replicates many effects (${got.length})`);
    assert.deepEqual(got, commandsOf(r.aof).map(maskNow));
  });

  test('the effects carry exact absolute times', async () => {
    const effects: Buffer[] = [];
    const sink = (buf: Buffer) => effects.push(buf);
    const { nodis } = pair;
    nodis.server.propagation.addSink(sink);
    const c = await RawClient.connect(nodis.port);
    try {
      const before = Date.now();
      await c.call('SET', 'tk', 'v', 'EX', '100');
      await c.call('GETEX', 'tk', 'PX', '5000');
      await c.call('SET', 'tk', 'v', 'EXAT', '9223372036854775');
      const after = Date.now();
      const s = Buffer.concat(effects).toString('latin1');
      const times = [...s.matchAll(/\$(\d+)\r\n(\d+)\r\n/g)].map((m) => m[2]!).filter((t) => t.length >= 13);
      assert.equal(times.length, 3, s);
      assert.ok(Number(times[0]) >= before + 100_000 && Number(times[0]) <= after + 100_000);
      assert.ok(Number(times[1]) >= before + 5000 && Number(times[1]) <= after + 5000);
      assert.equal(times[2], '9223372036854775000');
    } finally {
      nodis.server.propagation.removeSink(sink);
      c.close();
    }
  });
});

/** Reads keyspace_hits and keyspace_misses from INFO stats. */
async function hitsAndMisses(c: RawClient): Promise<[number, number]> {
  const info = (await c.call('INFO', 'stats')).value as { value: string };
  const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info.value)![1]);
  return [field('keyspace_hits'), field('keyspace_misses')];
}

describe('strings: keyspace hits and misses and limits, side by side with Redis', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(run, { 'proto-max-bulk-len': '1048576' });
  });
  after(() => stopTargets(targets));

  test('reads count hits and misses as Redis does; writes do not', async () => {
    const steps: string[][] = [
      ['SET', 's', 'abc'],
      ['SET', 'n', '1'],
      ['GET', 's'],
      ['GET', 'nokey'],
      ['MGET', 's', 'nokey', 'n'],
      ['STRLEN', 's'],
      ['GETRANGE', 's', '0', '1'],
      ['GETRANGE', 's', 'x', '1'],
      ['SUBSTR', 'nokey', '0', '1'],
      ['GETBIT', 's', '1'],
      ['GETBIT', 's', 'x'],
      ['BITCOUNT', 's'],
      ['BITCOUNT', 'nokey', 'bad'],
      ['BITPOS', 's', '1'],
      ['BITPOS', 'nokey', '0'],
      ['BITPOS', 's', '5'],
      ['BITFIELD', 's', 'GET', 'u8', '0'],
      ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
      ['BITFIELD', 's', 'SET', 'u8', '0', '1'],
      ['LCS', 's', 'nokey'],
      ['BITOP', 'AND', 'd', 's', 'nokey', 'n'],
      ['GETEX', 's'],
      ['GETEX', 'nokey', 'EX', '5'],
      ['GETDEL', 'nokey'],
      ['GETSET', 'n', '2'],
      ['SET', 'n', '3', 'GET'],
      ['SET', 'n', '3', 'NX'],
      ['SETNX', 'n', '4'],
      ['INCR', 'n'],
      ['INCRBYFLOAT', 'n', '1'],
      ['APPEND', 'n', '1'],
      ['SETRANGE', 'n', '0', 'x'],
      ['SETBIT', 'n', '0', '1'],
      ['MSETNX', 'n', '1'],
      ['GETDEL', 'n'],
    ];
    const results: [number, number][] = [];
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        for (const s of steps) await c.call(...s);
        results.push(await hitsAndMisses(c));
      } finally {
        c.close();
      }
    }
    if (results.length === 2) assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[results.length - 1], [16, 10]);
  });

  test('writes past proto-max-bulk-len are refused with Redis errors', async () => {
    const steps: string[][] = [
      ['SETRANGE', 'k', '1048576', 'x'],
      ['SETRANGE', 'k', '1048575', 'x'],
      ['STRLEN', 'k'],
      ['APPEND', 'k', 'y'],
      ['SETBIT', 'b', '8388608', '1'],
      ['SETBIT', 'b', '8388607', '1'],
      ['STRLEN', 'b'],
      ['GETBIT', 'b', '8388608'],
      ['BITFIELD', 'f', 'SET', 'u8', '#1048576', '1'],
      ['BITFIELD', 'f', 'SET', 'u8', '#1048575', '1'],
      ['STRLEN', 'f'],
      ['SET', 'x', 'x'.repeat(600)],
      ['SET', 'y', 'y'.repeat(600)],
      ['LCS', 'x', 'y', 'LEN'],
      ['SET', 'y', 'y'.repeat(400)],
      ['LCS', 'x', 'y', 'LEN'],
    ];
    const replies: string[][] = [];
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        replies.push(await runSteps(c, steps));
      } finally {
        c.close();
      }
    }
    if (replies.length === 2) assert.deepEqual(replies[1], replies[0]);
    const mine = replies[replies.length - 1]!;
    assert.equal(mine[0], '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
    assert.equal(mine[3], '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
    assert.equal(mine[4], '-ERR bit offset is not an integer or out of range\r\n');
  });
});

describe('strings: big values', () => {
  let nodis: RunningServer;

  before(async () => {
    nodis = await startNodis({ config: { 'proto-max-bulk-len': '2gb' } });
  });
  after(() => nodis.stop());

  test('a bitmap beyond the longest JS string (2^29 chars) works as Buffers', async () => {
    const c = await RawClient.connect(nodis.port);
    try {
      const offset = String(2 ** 32 + 7); // byte 2^29: the string is 2^29 + 1 bytes long
      assert.equal((await c.call('SETBIT', 'big', offset, '1')).value.kind, 'int');
      assert.deepEqual((await c.call('STRLEN', 'big')).raw.toString(), `:${2 ** 29 + 1}\r\n`);
      assert.deepEqual((await c.call('GETBIT', 'big', offset)).raw.toString(), ':1\r\n');
      assert.deepEqual((await c.call('BITCOUNT', 'big')).raw.toString(), ':1\r\n');
      assert.deepEqual((await c.call('BITPOS', 'big', '1')).raw.toString(), `:${offset}\r\n`);
      assert.deepEqual((await c.call('APPEND', 'big', 'xy')).raw.toString(), `:${2 ** 29 + 3}\r\n`);
      assert.deepEqual((await c.call('GETRANGE', 'big', '-3', '-1')).raw.toString('latin1'), '$3\r\n\x01xy\r\n');
      assert.deepEqual((await c.call('BITFIELD', 'big', 'GET', 'u8', `#${2 ** 29}`)).raw.toString(), '*1\r\n:1\r\n');
      await c.call('DEL', 'big');
    } finally {
      c.close();
    }
  });

  test('many APPENDs grow in place', async () => {
    const c = await RawClient.connect(nodis.port);
    try {
      for (let i = 0; i < 2000; i++) await c.call('APPEND', 'log', 'entry-' + i + ';');
      let expected = 0;
      for (let i = 0; i < 2000; i++) expected += ('entry-' + i + ';').length;
      assert.deepEqual((await c.call('STRLEN', 'log')).raw.toString(), `:${expected}\r\n`);
      assert.deepEqual((await c.call('GETRANGE', 'log', '0', '8')).raw.toString(), '$9\r\nentry-0;e\r\n');
      assert.deepEqual((await c.call('OBJECT', 'ENCODING', 'log')).raw.toString(), '$3\r\nraw\r\n');
    } finally {
      c.close();
    }
  });
});
