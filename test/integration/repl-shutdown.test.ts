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
 *   everything ("1 of 1 …", with a shutdown-timeout of an hour), and it
 *   holds the last write;
 * - SHUTDOWN NOW does not wait; SIGTERM waits like SHUTDOWN (nodis).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client.js';
import { redisAvailable } from '../support/servers.js';
import { waitFor } from '../support/wait.js';
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

/**
 * Waits until n clients of master show `cmd=<cmd>` in CLIENT LIST — their
 * command reached the server and is being held — then asserts that none
 * of them got a reply meanwhile (clients).
 */
async function waitHeld(master: ReplNode, cmd: string, clients: RawClient[], what: string): Promise<void> {
  const held = async () =>
    (text(await mustCall(master.admin, 'CLIENT', 'LIST')).match(new RegExp(` cmd=${cmd} `, 'g')) ?? []).length === clients.length;
  await waitFor(`${what} to be held by ${master.name}`, held, () => master.logTail());
  // Nothing arrived: a short read that must time out (a check that something does NOT happen).
  for (const c of clients) await assert.rejects(c.read(50), /timed out/, `${what} should wait`);
}

/** Waits until master's log says it waits for its replicas before shutting down. */
async function waitShutdownWaits(master: ReplNode): Promise<void> {
  await waitFor(
    `${master.name} to wait for its replicas`,
    () => master.logTail(20).includes('Waiting for replicas before shutting down.'),
    () => master.logTail(),
  );
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
        await waitShutdownWaits(master);
        await waitHeld(master, 'shutdown', [c], 'SHUTDOWN');
        const left = Number(await infoField(master, 'server', 'shutdown_in_milliseconds'));
        assert.ok(left > 0 && left <= 10000, `INFO shutdown_in_milliseconds during the wait (shutdown-timeout 10): ${left}`);
        const second = await RawClient.connect(master.port);
        send(second, 'SHUTDOWN', 'NOW');
        await waitHeld(master, 'shutdown', [c, second], 'a second SHUTDOWN (it joins the wait)');
        send(writer, 'SET', 'k', '2');
        await waitHeld(master, 'set', [writer], 'a write during the wait');
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

    test(
      `${kind} master: gives up after shutdown-timeout; exits once the replica caught up`,
      { skip: kind === 'redis' && !withRedis },
      async () => {
        const first = await pair(kind, { 'shutdown-timeout': '1' });
        try {
          first.replica.pause();
          await mustCall(first.master.admin, 'SET', 'k', '1');
          const start = Date.now();
          send(first.c, 'SHUTDOWN', 'NOSAVE');
          await first.c.waitClosed();
          assert.ok(Date.now() - start >= 900, 'waited about shutdown-timeout');
          const log = first.master.logTail(10);
          assert.match(log, /Lagging replica 127\.0\.0\.1:\d+ reported offset \d+ behind master, lag=\d+, state=online\./);
          assert.match(log, /0 of 1 replicas are in sync when shutting down\./);
        } finally {
          first.replica.resume();
          first.c.close();
          await stopNodes(first.master, first.replica);
        }

        // A shutdown-timeout no test waits for: the master can only exit because the replica caught up.
        const { master, replica, c } = await pair(kind, { 'shutdown-timeout': '3600' });
        try {
          replica.pause();
          await mustCall(master.admin, 'SET', 'last', 'write');
          send(c, 'SHUTDOWN', 'NOSAVE');
          await waitShutdownWaits(master);
          await waitHeld(master, 'shutdown', [c], 'SHUTDOWN');
          replica.resume();
          await c.waitClosed();
          assert.match(master.logTail(10), /1 of 1 replicas are in sync when shutting down\./);
          assert.equal(text(await replica.admin.value('GET', 'last')), 'write');
        } finally {
          replica.resume();
          c.close();
          await stopNodes(master, replica);
        }
      },
    );
  }

  test('SHUTDOWN NOW does not wait; SIGTERM waits like SHUTDOWN', async () => {
    const now = await pair('nodis');
    try {
      now.replica.pause();
      await mustCall(now.master.admin, 'SET', 'k', '1');
      send(now.c, 'SHUTDOWN', 'NOW', 'NOSAVE');
      await now.c.waitClosed();
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
      await waitShutdownWaits(master);
      assert.equal(c.isClosed, false, 'still running while the replica lags');
      replica.resume();
      await c.waitClosed();
      assert.match(master.logTail(10), /1 of 1 replicas are in sync when shutting down\./);
      assert.equal(await infoField(replica, 'replication', 'master_link_status'), 'down');
    } finally {
      replica.resume();
      c.close();
      await stopNodes(master, replica);
    }
  });
});
