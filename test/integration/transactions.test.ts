/**
 * MULTI/EXEC and WATCH over real sockets: the effects of transactions in
 * the replication stream compared with a real Redis's AOF, WATCH
 * invalidated (or not) by other clients, and the transaction state seen by
 * CLIENT LIST, RESET and disconnection.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, withNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { waitFor } from '../support/wait.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, type Step } from '../support/compare.js';

const run = redisAvailable('transactions integration');

/** Transactions whose effects must reach the stream exactly as Redis appends them to its AOF. */
const PROPAGATION_SCRIPT: Step[] = [
  ['SET', 'before', '1'],
  ['MULTI'],
  ['SET', 'one', '1'],
  ['GET', 'one'],
  ['EXEC'],
  ['MULTI'],
  ['SET', 'a', '1'],
  ['INCR', 'a'],
  ['RPUSH', 'l', 'x', 'y'],
  ['EXEC'],
  ['MULTI'],
  ['GET', 'a'],
  ['PING'],
  ['EXEC'],
  ['MULTI'],
  ['INCR', 'l'],
  ['DEL', 'nokey'],
  ['EXEC'],
  ['MULTI'],
  ['INCR', 'l'],
  ['INCR', 'a'],
  ['SELECT', '3'],
  ['SET', 'b', '2'],
  ['SELECT', '0'],
  ['EXEC'],
  ['MULTI'],
  ['SET', 'x', '1'],
  ['DISCARD'],
  ['MULTI'],
  ['SET', 'x', '1'],
  ['NOSUCHCMD'],
  ['EXEC'],
  ['SET', 'after', '1'],
];

describe('transactions: replication stream matches Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('EXEC propagates its effects once, wrapped in MULTI/EXEC only when several', async () => {
    const r = await effectsOnBoth(pair, PROPAGATION_SCRIPT);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    assert.deepEqual(commandsOf(r.effects), commandsOf(r.aof));
  });
});

/** Runs MULTI, PING, EXEC on c and returns EXEC's raw reply. */
async function execPing(c: RawClient): Promise<string> {
  await c.call('MULTI');
  await c.call('PING');
  return c.callText('EXEC');
}

describe('transactions: several clients', () => {
  test("WATCH is invalidated by another client's write to the key, not to other keys", async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        await a.call('WATCH', 'k', 'j');
        await b.call('SET', 'other', '1');
        assert.equal(await execPing(a), '*1\r\n+PONG\r\n');
        await a.call('WATCH', 'k');
        await b.call('SET', 'k', '1');
        assert.equal(await execPing(a), '*-1\r\n');
        await a.call('WATCH', 'k');
        await b.call('SELECT', '1');
        await b.call('SET', 'k', '1');
        assert.equal(await execPing(a), '*1\r\n+PONG\r\n', 'same key in another db');
      } finally {
        b.close();
      }
    });
  });

  test('queued commands see the data as of EXEC, not as of queueing', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        await a.call('MULTI');
        assert.equal(await a.callText('GET', 'k'), '+QUEUED\r\n');
        await b.call('SET', 'k', 'late');
        assert.equal(await a.callText('EXEC'), '*1\r\n$4\r\nlate\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('CLIENT LIST shows MULTI (x), a dirty watch (d) and the queue length', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        const line = async () => ((await a.value('CLIENT', 'INFO')) as { value: string }).value.split(' ');
        assert.ok((await line()).includes('multi=-1'));
        await a.call('WATCH', 'k');
        await b.call('SET', 'k', '1');
        assert.ok((await line()).includes('flags=d'));
        await a.call('MULTI');
        await a.call('SET', 'x', 'yz');
        await a.call('CLIENT', 'INFO');
        const exec = (await a.value('EXEC')) as { kind: string };
        assert.equal(exec.kind, 'null');
        await a.call('MULTI');
        await a.call('SET', 'x', 'yz');
        const all = (await b.value('CLIENT', 'LIST')) as { value: string };
        const list = all.value.split('\n').find((l) => !l.includes('cmd=client'))!;
        assert.match(list, / flags=x /);
        assert.match(list, / multi=1 /);
        assert.match(list, / multi-mem=6 /);
      } finally {
        b.close();
      }
    });
  });

  test('RESET leaves MULTI and drops the watches; a closed client leaves no watch behind', async () => {
    await withNodis({}, async (srv, a) => {
      await a.call('WATCH', 'k');
      await a.call('MULTI');
      await a.call('SET', 'k', '1');
      assert.equal(await a.callText('RESET'), '+RESET\r\n');
      assert.equal(await a.callText('EXEC'), '-ERR EXEC without MULTI\r\n');
      assert.equal(await a.callText('GET', 'k'), '$-1\r\n');
      const b = await RawClient.connect(srv.port);
      await b.call('WATCH', 'k', 'j');
      b.close();
      await a.call('SET', 'k', '2');
      await waitFor('the server to drop the closed client', () => srv.server.clients.size === 1);
      const c = await RawClient.connect(srv.port);
      try {
        await c.call('WATCH', 'k');
        assert.equal(await execPing(c), '*1\r\n+PONG\r\n');
      } finally {
        c.close();
      }
    });
  });
});
