/**
 * SHUTDOWN's wait for lagging replicas (Redis 7.0), on a nodis master and,
 * side by side, a Redis master (same replies, same log lines), each with
 * a nodis replica that the test freezes (SIGSTOP) to make it lag:
 *
 * - SHUTDOWN blocks while the replica lags, a second SHUTDOWN joins the
 *   wait, writes from other clients wait meanwhile, SHUTDOWN ABORT cancels it (+OK; the waiting SHUTDOWN
 *   gets "-ERR Errors trying to SHUTDOWN. Check logs."; the held write
 *   then runs); INFO shows shutdown_in_milliseconds during the wait
 *   only; CLIENT UNBLOCK cannot end the wait (nodis: it answers 0;
 *   Redis 7.0.15 crashes on it, so that step is nodis-only); ABORT
 *   without a shutdown in progress is an error;
 * - a replica that never catches up: the master exits after
 *   shutdown-timeout seconds, logging the lagging replica and
 *   "0 of 1 replicas are in sync when shutting down.";
 * - a replica that catches up: the master exits as soon as it acknowledged
 *   everything ("1 of 1 …"), and it holds the last write;
 * - SHUTDOWN NOW does not wait; SIGTERM waits like SHUTDOWN (nodis).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client.js';
import { redisAvailable } from '../support/servers.js';
import { sleep } from '../support/compare.js';
import { mustCall } from '../support/rdb-dataset.js';
import { infoField, replicate, startNode, stopNodes, text, waitInSync, type NodeKind, type ReplNode } from '../support/replication.js';

const withRedis = redisAvailable('repl-shutdown');
const FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';

/** A master of kind with a nodis replica in sync, and a connection of the test's own for SHUTDOWN. */
async function pair(kind: NodeKind, config: Record<string, string> = {}): Promise<{ master: ReplNode; replica: ReplNode; c: RawClient }> {
  const master = await startNode(kind, { save: '', ...config });
  const replica = await startNode('nodis');
  await replicate(replica, master);
  await waitInSync(master, replica);
  return { master, replica, c: await RawClient.connect(master.port) };
}

/** Sends argv on c without waiting for its reply. */
function send(c: RawClient, ...argv: string[]): void {
  c.write(RawClient.encode(argv));
}

/** Asserts that nothing arrives on c for ms (the command is held). */
async function assertHeld(c: RawClient, ms: number, what: string): Promise<void> {
  await assert.rejects(c.read(ms), /timeout|timed out/i, `${what} should wait`);
}

const KINDS: NodeKind[] = ['nodis', 'redis'];

describe('SHUTDOWN waits for lagging replicas', () => {
  for (const kind of KINDS) {
    test(`${kind} master: the wait blocks SHUTDOWN and writes; ABORT cancels it`, { skip: kind === 'redis' && !withRedis }, async () => {
      const { master, replica, c } = await pair(kind);
      const writer = await RawClient.connect(master.port);
      try {
        assert.equal(text(await master.admin.value('SHUTDOWN', 'ABORT')), 'ERR No shutdown in progress.');
        replica.pause();
        await mustCall(master.admin, 'SET', 'k', '1');
        assert.equal(await infoField(master, 'server', 'shutdown_in_milliseconds'), '', 'no shutdown in progress yet');
        send(c, 'SHUTDOWN', 'NOSAVE');
        await assertHeld(c, 300, 'SHUTDOWN');
        const left = Number(await infoField(master, 'server', 'shutdown_in_milliseconds'));
        assert.ok(left > 0 && left <= 10000, `INFO shutdown_in_milliseconds during the wait (shutdown-timeout 10): ${left}`);
        const second = await RawClient.connect(master.port);
        send(second, 'SHUTDOWN', 'NOW');
        await assertHeld(second, 200, 'a second SHUTDOWN (it joins the wait)');
        send(writer, 'SET', 'k', '2');
        await assertHeld(writer, 300, 'a write during the wait');
        assert.equal(text(await master.admin.value('GET', 'k')), '1', 'reads are served');
        if (kind === 'nodis') {
          // Redis 7.0.15 crashes here ("Unknown btype in replyToBlockedClientTimedOut()"); nodis refuses.
          const id = text(await mustCall(master.admin, 'CLIENT', 'LIST')).match(/id=(\d+) [^\n]*cmd=shutdown/)?.[1];
          assert.ok(id !== undefined);
          assert.equal(text(await master.admin.value('CLIENT', 'UNBLOCK', id)), '0', 'CLIENT UNBLOCK cannot end the wait');
        }
        assert.equal(text(await master.admin.value('SHUTDOWN', 'ABORT')), 'OK');
        assert.equal(await infoField(master, 'server', 'shutdown_in_milliseconds'), '', 'not after ABORT');
        assert.equal(text((await c.read()).value), FAILED);
        assert.equal(text((await second.read()).value), FAILED);
        second.close();
        assert.equal(text((await writer.read()).value), 'OK');
        const log = master.logTail(10);
        assert.equal(log.split('User requested shutdown...').length - 1, 1, 'the joining SHUTDOWN logs nothing');
        assert.match(log, /Waiting for replicas before shutting down\./);
        assert.match(log, /Shutdown manually aborted\./);
        replica.resume();
        await waitInSync(master, replica);
      } finally {
        replica.resume();
        c.close();
        writer.close();
        await stopNodes(master, replica);
      }
    });

    test(`${kind} master: gives up after shutdown-timeout; exits once the replica caught up`, { skip: kind === 'redis' && !withRedis }, async () => {
      const first = await pair(kind, { 'shutdown-timeout': '1' });
      try {
        first.replica.pause();
        await mustCall(first.master.admin, 'SET', 'k', '1');
        const start = Date.now();
        send(first.c, 'SHUTDOWN', 'NOSAVE');
        await first.c.waitClosed(5000);
        assert.ok(Date.now() - start >= 900, 'waited about shutdown-timeout');
        const log = first.master.logTail(10);
        assert.match(log, /Lagging replica 127\.0\.0\.1:\d+ reported offset \d+ behind master, lag=\d+, state=online\./);
        assert.match(log, /0 of 1 replicas are in sync when shutting down\./);
      } finally {
        first.replica.resume();
        first.c.close();
        await stopNodes(first.master, first.replica);
      }

      const { master, replica, c } = await pair(kind);
      try {
        replica.pause();
        await mustCall(master.admin, 'SET', 'last', 'write');
        send(c, 'SHUTDOWN', 'NOSAVE');
        await assertHeld(c, 300, 'SHUTDOWN');
        replica.resume();
        const start = Date.now();
        await c.waitClosed(5000);
        assert.ok(Date.now() - start < 3000, 'the master exits once the replica acknowledged, well before shutdown-timeout (10 s)');
        assert.match(master.logTail(10), /1 of 1 replicas are in sync when shutting down\./);
        assert.equal(text(await replica.admin.value('GET', 'last')), 'write');
      } finally {
        replica.resume();
        c.close();
        await stopNodes(master, replica);
      }
    });
  }

  test('SHUTDOWN NOW does not wait; SIGTERM waits like SHUTDOWN', async () => {
    const now = await pair('nodis');
    try {
      now.replica.pause();
      await mustCall(now.master.admin, 'SET', 'k', '1');
      send(now.c, 'SHUTDOWN', 'NOW', 'NOSAVE');
      await now.c.waitClosed(2000);
      assert.doesNotMatch(now.master.logTail(10), /Waiting for replicas/);
    } finally {
      now.replica.resume();
      now.c.close();
      await stopNodes(now.master, now.replica);
    }

    const { master, replica, c } = await pair('nodis');
    try {
      replica.pause();
      await mustCall(master.admin, 'SET', 'k', '1');
      process.kill(Number(await infoField(master, 'server', 'process_id')), 'SIGTERM');
      await sleep(300);
      assert.match(master.logTail(10), /Waiting for replicas before shutting down\./);
      assert.equal(c.isClosed, false, 'still running while the replica lags');
      replica.resume();
      await c.waitClosed(5000);
      assert.match(master.logTail(10), /1 of 1 replicas are in sync when shutting down\./);
      assert.equal(await infoField(replica, 'replication', 'master_link_status'), 'down');
    } finally {
      replica.resume();
      c.close();
      await stopNodes(master, replica);
    }
  });
});
