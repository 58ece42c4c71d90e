/**
 * Expiry on a live server: keys nobody reads are reclaimed by the active
 * cycle (and replicated as DELs), lazy expiry on access, and millisecond
 * TTL arithmetic. Waits poll with a generous deadline; nothing asserts on
 * how fast things happen.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { waitFor } from '../support/wait.js';
import type { RunningServer } from '../../src/index.js';

/** Sends many commands in one write and reads all their replies. */
async function pipeline(c: RawClient, commands: string[][]): Promise<void> {
  c.write(Buffer.concat(commands.map((argv) => RawClient.encode(argv))));
  for (let i = 0; i < commands.length; i++) await c.read();
}

describe('expiry', () => {
  let nodis: RunningServer;
  let c: RawClient;

  before(async () => {
    nodis = await startNodis({ config: { hz: 50 } });
    c = await RawClient.connect(nodis.port);
  });
  after(async () => {
    c?.close();
    await nodis?.stop();
  });

  test('the active cycle reclaims keys with short TTLs that nobody reads, replicating DELs', async () => {
    const server = nodis.server;
    await c.call('FLUSHALL');
    const deleted = new Set<string>();
    const sink = (bytes: Buffer) => {
      for (const m of bytes.toString('latin1').matchAll(/\$3\r\nDEL\r\n\$\d+\r\n(tmp:\d+)\r\n/g)) deleted.add(m[1]!);
    };
    server.propagation.addSink(sink);
    const before = server.stats.expiredKeys;
    try {
      const cmds: string[][] = [];
      for (let i = 0; i < 5000; i++) cmds.push(['SET', `tmp:${i}`, 'v'], ['PEXPIRE', `tmp:${i}`, String(1 + (i % 50))]);
      for (let i = 0; i < 100; i++) cmds.push(['SET', `keep:${i}`, 'v']);
      await pipeline(c, cmds);
      await waitFor('the active expiry cycle to reclaim 5000 keys', () => server.dbs[0]!.size === 100);
      assert.equal(server.stats.expiredKeys - before, 5000);
      assert.equal(deleted.size, 5000);
      assert.deepEqual(await c.value('DBSIZE'), { kind: 'int', value: 100n });
      assert.deepEqual(await c.value('EXISTS', 'keep:0', 'keep:99'), { kind: 'int', value: 2n });
    } finally {
      server.propagation.removeSink(sink);
    }
  });

  test('lazy expiry: an expired key read before the cycle runs is gone and counted', async () => {
    const server = nodis.server;
    server.cron.activeExpireEnabled = false;
    try {
      await c.call('SET', 'lazy', 'v');
      await c.call('PEXPIRE', 'lazy', '5');
      const before = server.stats.expiredKeys;
      await waitFor('the TTL to pass', () => Date.now() > server.dbs[0]!.getExpire('lazy'));
      assert.equal(server.dbs[0]!.size > 0, true, 'still stored until touched');
      assert.deepEqual(await c.value('GET', 'lazy'), { kind: 'null' });
      assert.equal(server.stats.expiredKeys - before, 1);
      assert.equal(server.dbs[0]!.peek('lazy'), undefined);
    } finally {
      server.cron.activeExpireEnabled = true;
    }
  });

  test('millisecond TTLs: PTTL never exceeds what was set, TTL rounds to the nearest second', async () => {
    await c.call('SET', 'k', 'v');
    await c.call('PEXPIRE', 'k', '100000');
    const pttl = await c.value('PTTL', 'k');
    assert.equal(pttl.kind, 'int');
    const ms = Number((pttl as { value: bigint }).value);
    assert.ok(ms > 0 && ms <= 100000, `PTTL ${ms}`);
    await c.call('PEXPIRE', 'k', '1499');
    const ttl = Number(((await c.value('TTL', 'k')) as { value: bigint }).value);
    assert.ok(ttl === 1 || ttl === 0, `TTL ${ttl}`);
    const abs = Number(((await c.value('PEXPIRETIME', 'k')) as { value: bigint }).value);
    assert.equal(abs, nodis.server.dbs[0]!.getExpire('k'));
    assert.deepEqual(await c.value('EXPIRETIME', 'k'), { kind: 'int', value: BigInt(Math.floor((abs + 500) / 1000)) });
  });
});
