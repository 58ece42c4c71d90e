/**
 * nodis as the master of real Redis 7.0 replicas: full syncs (diskless
 * with the replica loading to disk, swapdb or on-empty-db; disk-based;
 * two replicas sharing one diskless snapshot), partial resync after
 * CLIENT KILL TYPE replica while writes go on, a full resync once the
 * replica missed more than the backlog holds, WAIT and
 * min-replicas-to-write with a real replica, a replica frozen with
 * SIGSTOP dropped after repl-timeout while the master keeps serving, and
 * INFO replication's fields in the order a Redis master prints them.
 * (The nodis → redis row of the replication matrix covers the every-type
 * dataset and every write family in both transfer modes.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { buildDataset, mustCall } from '../support/rdb-dataset.js';
import {
  assertConverged,
  describeLink,
  info,
  infoField,
  killLink,
  replicate,
  startNode,
  startWriter,
  settleRandomWrites,
  stopNodes,
  syncStats,
  text,
  waitFor,
  waitInSync,
  waitWrites,
  waitLinkUp,
  writeBulk,
  writeEveryFamily,
  type ReplNode,
} from '../support/replication.js';

/** A nodis master (in-process) and Redis replicas of it, in sync; fn runs with them; all stopped after. */
async function withReplicas(
  opts: { master?: Record<string, string>; replica?: Record<string, string>; replicas?: number },
  fn: (master: ReplNode, replicas: ReplNode[]) => Promise<void>,
): Promise<void> {
  const nodes: ReplNode[] = [];
  try {
    const master = await startNode('nodis-inproc', opts.master);
    nodes.push(master);
    await buildDataset(master.admin);
    const replicas: ReplNode[] = [];
    for (let i = 0; i < (opts.replicas ?? 1); i++) {
      const r = await startNode('redis', opts.replica);
      nodes.push(r);
      replicas.push(r);
    }
    for (const r of replicas) await replicate(r, master);
    await assertConverged(master, ...replicas);
    await fn(master, replicas);
  } finally {
    await stopNodes(...nodes);
  }
}

/** Whether the master's log has a line containing s. */
function logged(node: ReplNode, s: string): boolean {
  return node.logTail(10000).includes(s);
}

describe('nodis master, Redis replicas', { skip: !redisAvailable('repl-master') }, () => {
  for (const [name, opts] of [
    ['diskless, replica loads from a temp file', { master: {}, replica: {} }],
    ['diskless, replica loads with swapdb', { master: {}, replica: { 'repl-diskless-load': 'swapdb' } }],
    ['disk-based, replica loads on-empty-db', { master: { 'repl-diskless-sync': 'no' }, replica: { 'repl-diskless-load': 'on-empty-db' } }],
  ] as const) {
    test(`full sync (${name}), then live writes of every family`, async () => {
      await withReplicas(opts, async (master, [replica]) => {
        assert.ok(logged(master, `Synchronization with replica 127.0.0.1:${replica!.port} succeeded`), master.logTail());
        await writeEveryFamily(master, 'live');
        await assertConverged(master, replica!);
        const stats = await syncStats(master);
        // The replica first offers its own history as a master (PSYNC <its replid>): Redis counts that as sync_partial_err.
        assert.deepEqual([stats.full, stats.partialOk, stats.partialErr], [1, 0, 1]);
      });
    });
  }

  test('two replicas share one diskless snapshot (repl-diskless-sync-max-replicas 2)', async () => {
    const master = { 'repl-diskless-sync-delay': '60', 'repl-diskless-sync-max-replicas': '2' };
    await withReplicas({ master, replicas: 2 }, async (master, replicas) => {
      assert.equal(master.logTail(10000).split('Starting BGSAVE for SYNC with target: replicas sockets').length - 1, 1, master.logTail(40));
      assert.equal((await info(master.admin, 'replication')).get('connected_slaves'), '2');
      await writeEveryFamily(master, 'two');
      await assertConverged(master, ...replicas);
    });
  });

  test('disk-based: a replica arriving while the RDB file is written joins that sync (or the next one)', async () => {
    let master: ReplNode | undefined;
    const replicas: ReplNode[] = [];
    try {
      master = await startNode('nodis-inproc', { 'repl-diskless-sync': 'no' });
      await mustCall(master.admin, 'DEBUG', 'POPULATE', '200000');
      for (let i = 0; i < 2; i++) replicas.push(await startNode('redis'));
      await Promise.all(replicas.map((r) => replicate(r, master!)));
      await writeEveryFamily(master, 'joined');
      await assertConverged(master, ...replicas);
      assert.equal((await syncStats(master)).full, 2);
      const starts = master.logTail(10000).split('Starting BGSAVE for SYNC with target: disk').length - 1;
      assert.equal(starts + (logged(master, 'Waiting for end of BGSAVE for SYNC') ? 1 : 0), 2, master.logTail(30));
    } finally {
      await stopNodes(...replicas, master);
    }
  });

  test('CLIENT KILL TYPE replica while writes go on: the replica continues by PSYNC', async () => {
    await withReplicas({}, async (master, [replica]) => {
      const writer = await startWriter(master, 7, 2);
      try {
        for (let i = 0; i < 3; i++) {
          await waitWrites(writer, 50);
          const before = await syncStats(master);
          assert.equal(await killLink(master, 'replica'), 1);
          await waitFor(
            'the partial resync',
            async () => (await syncStats(master)).partialOk === before.partialOk + 1,
            () => describeLink(master, replica!),
          );
          await waitLinkUp(master, replica!);
        }
      } finally {
        await writer.stop();
      }
      await settleRandomWrites(master);
      await assertConverged(master, replica!);
      const stats = await syncStats(master);
      assert.deepEqual([stats.full, stats.partialOk], [1, 3]);
      assert.ok(logged(master, 'Partial resynchronization request from 127.0.0.1:'), master.logTail());
    });
  });

  test('a replica that missed more than the backlog holds gets a full resync', async () => {
    await withReplicas({ master: { 'repl-backlog-size': '16384' } }, async (master, [replica]) => {
      replica!.pause();
      try {
        assert.equal(await killLink(master, 'replica'), 1);
        await writeBulk(master, 'overflow', 200, 200);
      } finally {
        replica!.resume();
      }
      await waitFor(
        'the full resync',
        async () => (await syncStats(master)).full === 2,
        () => describeLink(master, replica!),
      );
      await assertConverged(master, replica!);
      const stats = await syncStats(master);
      assert.deepEqual([stats.full, stats.partialOk, stats.partialErr], [2, 0, 2]);
      assert.ok(logged(master, 'for lack of backlog'), master.logTail());
    });
  });

  test('WAIT counts replicas that acknowledged; min-replicas-to-write refuses writes once the replica is gone', async () => {
    await withReplicas({}, async (master, [replica]) => {
      const c = master.admin;
      await mustCall(c, 'SET', 'w', '1');
      assert.equal(text(await c.value('WAIT', '1', '5000')), '1');
      assert.equal(text(await c.value('WAIT', '2', '100')), '1');
      await mustCall(c, 'CONFIG', 'SET', 'min-replicas-to-write', '1');
      await mustCall(c, 'CONFIG', 'SET', 'min-replicas-max-lag', '10');
      assert.equal((await info(c, 'replication')).get('min_slaves_good_slaves'), '1');
      await mustCall(c, 'SET', 'w', '2');
      assert.equal(text(await replica!.admin.value('REPLICAOF', 'NO', 'ONE')), 'OK');
      await waitFor('the replica to leave', async () => (await infoField(master, 'replication', 'connected_slaves')) === '0');
      assert.equal(text(await c.value('SET', 'w', '3')), 'NOREPLICAS Not enough good replicas to write.');
      assert.equal(text(await c.value('GET', 'w')), '2');
      assert.equal(text(await c.value('WAIT', '1', '50')), '0');
    });
  });

  test('a replica frozen by SIGSTOP is dropped after repl-timeout; the master keeps serving', async () => {
    await withReplicas({ master: { 'repl-timeout': '2' } }, async (master, [replica]) => {
      replica!.pause();
      try {
        await waitFor('the frozen replica to be dropped', async () => (await infoField(master, 'replication', 'connected_slaves')) === '0');
        assert.equal(text(await master.admin.value('PING')), 'PONG');
        await mustCall(master.admin, 'SET', 'after', 'drop');
      } finally {
        replica!.resume();
      }
      assert.ok(logged(master, `Disconnecting timedout replica (streaming sync): 127.0.0.1:${replica!.port}`), master.logTail());
      await waitInSync(master, replica!);
      assert.equal(text(await replica!.admin.value('GET', 'after')), 'drop');
    });
  });

  test("INFO replication: a Redis master's fields, in its order", async () => {
    let redisMaster: ReplNode | undefined;
    let redisReplica: ReplNode | undefined;
    try {
      redisMaster = await startNode('redis');
      redisReplica = await startNode('redis');
      await replicate(redisReplica, redisMaster);
      await waitInSync(redisMaster, redisReplica);
      const names = async (n: ReplNode) => [...(await info(n.admin, 'replication')).keys()];
      await withReplicas({}, async (master, [replica]) => {
        assert.deepEqual(await names(master), await names(redisMaster!));
        const m = await info(master.admin, 'replication');
        assert.equal(m.get('role'), 'master');
        assert.equal(m.get('connected_slaves'), '1');
        // Redis's fields, then nodis's lag extensions (README, "Lag").
        assert.match(
          m.get('slave0')!,
          new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica!.port},state=online,offset=\\d+,lag=\\d+,lag_bytes=\\d+,lag_ms=\\d+$`),
        );
        assert.equal(m.get('repl_backlog_active'), '1');
        assert.equal((await info(replica!.admin, 'replication')).get('master_replid'), m.get('master_replid'));
      });
    } finally {
      await stopNodes(redisReplica, redisMaster);
    }
  });
});
