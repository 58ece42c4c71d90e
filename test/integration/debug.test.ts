/**
 * DEBUG over real sockets: DIGEST and DIGEST-VALUE equal a real
 * redis-server's for the same data (several dbs, binary keys, TTLs), and
 * enable-debug-command gates the command like Redis 7.0.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, withNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { serverPair } from '../support/compare.js';

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

const run = redisAvailable('DEBUG DIGEST against redis-server');

describe('DEBUG DIGEST equals Redis', { skip: !run }, () => {
  const pair = serverPair(['--enable-debug-command', 'yes'], { config: { 'enable-debug-command': 'yes' } });

  test('same dataset, same digests', async () => {
    const a = await RawClient.connect(pair.redis.port);
    const b = await RawClient.connect(pair.nodis.port);
    const binKey = Buffer.from([0, 1, 2, 255, 13, 10]).toString('latin1');
    const script: string[][] = [
      ['SELECT', '0'],
      ['SET', 'plain', 'hello'],
      ['SET', 'int', '-42'],
      ['SET', binKey, '\x00\xff'],
      ['PEXPIREAT', 'int', '99999999999999'],
      ['SELECT', '7'],
      ['SET', 'plain', 'other'],
      ['DEBUG', 'POPULATE', '50', 'pop', '30'],
      ['SELECT', '15'],
      ['SET', 'e', ''],
      ['PEXPIREAT', 'e', '99999999999999'],
    ];
    try {
      const digests: string[][] = [];
      for (const cl of [a, b]) {
        await cl.call('FLUSHALL');
        const out: string[] = [];
        out.push(JSON.stringify((await cl.call('DEBUG', 'DIGEST')).value));
        for (const argv of script) await cl.call(...argv);
        out.push(JSON.stringify((await cl.call('DEBUG', 'DIGEST')).value));
        out.push(JSON.stringify((await cl.call('DEBUG', 'DIGEST-VALUE', 'e', 'nokey')).value));
        await cl.call('SELECT', '0');
        out.push(JSON.stringify((await cl.call('DEBUG', 'DIGEST-VALUE', 'plain', 'int', binKey)).value));
        digests.push(out);
      }
      assert.deepEqual(digests[1], digests[0]);
      assert.equal(digests[0]![0], JSON.stringify({ kind: 'simple', value: '0'.repeat(40) }));
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('DEBUG OBJECT, LISTPACK and QUICKLIST of lists equal Redis', { skip: !run }, () => {
  const pair = serverPair(['--enable-debug-command', 'yes', '--save', ''], { config: { 'enable-debug-command': 'yes' } });

  test('quicklist fields with packed and plain nodes', async () => {
    const setup: string[][] = [
      ['FLUSHALL'],
      ['CONFIG', 'SET', 'rdbcompression', 'no'],
      ['RPUSH', 'one', 'a', 'bb', '12345'],
      ['RPUSH', 'many', ...Array.from({ length: 400 }, (_, i) => `element-${i}-${'p'.repeat(i % 50)}`)],
      ['CONFIG', 'SET', 'list-max-listpack-size', '3'],
      ['RPUSH', 'bycount', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10b'],
      ['RPUSH', 'plain', 'x', 'y'.repeat(10), 'z', 'w'.repeat(30)],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ['CONFIG', 'SET', 'list-compress-depth', '1'],
      ['RPUSH', 'depth', 'a'],
      ['HSET', 'h', 'f', 'v'],
    ];
    const probes: string[][] = [
      ['DEBUG', 'OBJECT', 'one'],
      ['DEBUG', 'OBJECT', 'many'],
      ['DEBUG', 'OBJECT', 'bycount'],
      ['DEBUG', 'OBJECT', 'plain'],
      ['DEBUG', 'OBJECT', 'depth'],
      ['DEBUG', 'LISTPACK', 'plain'],
      ['DEBUG', 'LISTPACK', 'h'],
      ['DEBUG', 'LISTPACK', 'nokey'],
      ['DEBUG', 'QUICKLIST', 'plain'],
      ['DEBUG', 'QUICKLIST', 'plain', '1'],
      ['DEBUG', 'QUICKLIST', 'h'],
      ['DEBUG', 'QUICKLIST'],
    ];
    const out: string[][] = [];
    for (const port of [pair.redis.port, pair.nodis.port]) {
      const c = await RawClient.connect(port);
      try {
        for (const argv of setup) await c.call(...argv);
        const replies: string[] = [];
        // The address and LRU clock differ between processes; everything else must match.
        for (const argv of probes)
          replies.push((await c.callText(...argv)).replace(/Value at:0x[0-9a-f]+ /, '').replace(/ lru:\d+ lru_seconds_idle:\d+/, ''));
        out.push(replies);
        await c.call('CONFIG', 'SET', 'list-compress-depth', '0');
        await c.call('CONFIG', 'SET', 'rdbcompression', 'yes');
      } finally {
        c.close();
      }
    }
    assert.deepEqual(out[1], out[0]);
    assert.match(out[0]![3]!, / ql_nodes:4 /);
  });
});

describe('enable-debug-command', () => {
  test('"no" refuses every subcommand', () =>
    withNodis({}, async (_srv, c) => {
      assert.deepEqual(await c.value('DEBUG', 'HELP'), { kind: 'error', value: NOT_ALLOWED });
      assert.deepEqual(await c.value('DEBUG', 'DIGEST'), { kind: 'error', value: NOT_ALLOWED });
    }));

  test('"local" allows loopback connections', () =>
    withNodis({ config: { 'enable-debug-command': 'local' } }, async (_srv, c) => {
      assert.deepEqual(await c.value('DEBUG', 'DIGEST'), { kind: 'simple', value: '0'.repeat(40) });
    }));

  test('SET-ACTIVE-EXPIRE, OBJECT and LOG', () =>
    withNodis({ config: { 'enable-debug-command': 'yes' } }, async (srv, c) => {
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      assert.equal(srv.server.cron.activeExpireEnabled, false);
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      assert.equal(srv.server.cron.activeExpireEnabled, true);
      await c.call('SET', 'k', 'hello');
      const obj = await c.value('DEBUG', 'OBJECT', 'k');
      assert.equal(obj.kind, 'simple');
      assert.match(
        (obj as { value: string }).value,
        /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+$/,
      );
      await c.call('SET', 'n', '7');
      assert.match(
        ((await c.value('DEBUG', 'OBJECT', 'n')) as { value: string }).value,
        /refcount:2147483647 encoding:int serializedlength:2 /,
      );
      assert.deepEqual(await c.value('DEBUG', 'LOG', 'hi'), { kind: 'simple', value: 'OK' });
    }));
});
