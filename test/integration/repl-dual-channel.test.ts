/**
 * Dual-channel full sync (issue 6, item 2), over real processes:
 *
 * - (the overload case it exists for is in repl-dual-channel-overload.test.ts);
 * - the exchange itself: +DUALCHANNELSYNC on the main channel, `$ENDOFF`
 *   on the RDB channel, REPLCONF rdb-client-id and +CONTINUE; INFO shows
 *   one replica (the RDB channel is not listed), replicas_repl_buffer_*;
 *   a master writing the RDB to disk (repl-diskless-sync no) works too;
 * - failures: the RDB channel killed mid-transfer (the replica starts
 *   over and converges); an rdb-client-id the master does not know gets
 *   an ordinary PSYNC answer;
 * - interoperation with peers lacking the capability: a dual-channel
 *   nodis replica of a Redis 7.0 master, a Redis 7.0 replica of a
 *   dual-channel nodis master, and a dual-channel replica of a nodis
 *   master with the option off all use the classic sync.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client.js';
import { redisAvailable } from '../support/servers.js';
import { mustCall } from '../support/rdb-dataset.js';
import {
  assertConverged,
  info,
  replicate,
  startNode,
  startWriter,
  settleRandomWrites,
  stopNodes,
  syncStats,
  text,
  waitFor,
  waitInSync,
  type NodeKind,
  type ReplNode,
} from '../support/replication.js';

const withRedis = redisAvailable('repl-dual-channel');
const DUAL = { 'dual-channel-replication-enabled': 'yes' };
/**
 * Starts a replica of master (keys POPULATE keys) under random writes,
 * waits until it is in sync, stops the writes and asserts equal data.
 */
async function syncUnderRandomWrites(master: ReplNode, replica: ReplNode, keys: number, seed: number): Promise<void> {
  await mustCall(master.admin, 'DEBUG', 'POPULATE', String(keys));
  const writer = await startWriter(master, seed);
  try {
    await replicate(replica, master);
    await waitInSync(master, replica);
  } finally {
    await writer.stop();
  }
  await settleRandomWrites(master);
  await assertConverged(master, replica);
}

describe('dual-channel full sync', () => {
  for (const diskless of ['yes', 'no']) {
    test(`the exchange, INFO and data under random writes (repl-diskless-sync ${diskless})`, async () => {
      let master: ReplNode | undefined;
      let replica: ReplNode | undefined;
      try {
        master = await startNode('nodis', { ...DUAL, 'repl-diskless-sync': diskless });
        replica = await startNode('nodis', DUAL);
        await syncUnderRandomWrites(master, replica, 50000, 61);
        const stats = await syncStats(master);
        assert.equal(stats.full, 1, `${master.logTail(30)}\n${replica.logTail(30)}`);
        await waitInSync(master, replica);
        const log = replica.logTail(60);
        assert.match(log, /the master asks for a dual-channel sync; opening the RDB channel/);
        assert.match(log, /Full resync from master: [0-9a-f]{40}:\d+ \(RDB channel client id #\d+, dual-channel sync\)/);
        assert.match(log, /main channel accepted; buffering/);
        assert.match(master.logTail(60), /main channel streaming from offset \d+ while the RDB channel \(client id #\d+\) sends the RDB/);
        const m = await info(master.admin, 'replication');
        assert.equal(
          m.get('connected_slaves'),
          '1',
          `the RDB channel is not listed as a replica\n${master.logTail(30)}\n${replica.logTail(30)}`,
        );
        assert.match(m.get('slave0') ?? '', /state=online/);
        const r = await info(replica.admin, 'replication');
        assert.equal(r.get('replicas_repl_buffer_size'), '0');
        assert.ok(r.has('replicas_repl_buffer_peak'));
      } finally {
        await stopNodes(master, replica);
      }
    });
  }

  test('the RDB channel killed mid-transfer: the replica starts over and converges', async () => {
    let master: ReplNode | undefined;
    let replica: ReplNode | undefined;
    try {
      master = await startNode('nodis', DUAL);
      replica = await startNode('nodis', DUAL);
      await mustCall(master.admin, 'DEBUG', 'POPULATE', '400000');
      const writer = await startWriter(master, 62, 2);
      try {
        await replicate(replica, master);
        // The RDB channel is the replica connection whose last command was SYNC (it exists while the RDB is sent).
        let id: string | undefined;
        const rdbChannel = async () => {
          const list = text(await mustCall(master!.admin, 'CLIENT', 'LIST', 'TYPE', 'replica'));
          id = /id=(\d+) [^\n]*cmd=sync/.exec(list)?.[1];
          return id !== undefined;
        };
        await waitFor('an RDB channel to be sending the RDB', rdbChannel);
        await mustCall(master.admin, 'CLIENT', 'KILL', 'ID', id!);
        await waitFor('a second full sync', async () => (await syncStats(master!)).full >= 2);
        await waitInSync(master, replica);
      } finally {
        await writer.stop();
      }
      await settleRandomWrites(master);
      await assertConverged(master, replica);
      assert.match(
        replica.logTail(200),
        /The RDB channel was closed by the master before the RDB was complete|I\/O error on the RDB channel/,
      );
    } finally {
      await stopNodes(master, replica);
    }
  });

  test('an rdb-client-id the master does not know gets an ordinary PSYNC answer', async () => {
    let master: ReplNode | undefined;
    try {
      master = await startNode('nodis', DUAL);
      await mustCall(master.admin, 'SET', 'k', 'v');
      const c = await RawClient.connect(master.port);
      try {
        assert.equal(text(await c.value('REPLCONF', 'capa', 'eof', 'capa', 'psync2', 'capa', 'dual-channel')), 'OK');
        assert.equal(text(await c.value('REPLCONF', 'rdb-channel', '2')), 'ERR value is out of range, value must between 0 and 1');
        assert.equal(text(await c.value('REPLCONF', 'rdb-client-id', 'x')), 'ERR value is not an integer or out of range');
        assert.equal(text(await c.value('REPLCONF', 'rdb-client-id', '999999')), 'OK');
        // No such RDB channel and no history to continue: the full sync is offered over an RDB channel.
        assert.equal(text(await c.value('PSYNC', '?', '-1')), 'DUALCHANNELSYNC');
      } finally {
        c.close();
      }
      assert.match(master.logTail(20), /named RDB channel client id #999999, which is not in a full sync/);
    } finally {
      await stopNodes(master);
    }
  });

  const fallbacks: [string, NodeKind, Record<string, string>, NodeKind, Record<string, string>][] = [
    ['a nodis master with the option off', 'nodis', {}, 'nodis', DUAL],
    ['a Redis 7.0 master', 'redis', {}, 'nodis', DUAL],
    ['a dual-channel nodis master, Redis 7.0 replica', 'nodis', DUAL, 'redis', {}],
  ];
  for (const [name, masterKind, masterConfig, replicaKind, replicaConfig] of fallbacks) {
    const needsRedis = masterKind === 'redis' || replicaKind === 'redis';
    test(`falls back to the classic sync with ${name}`, { skip: needsRedis && !withRedis }, async () => {
      let master: ReplNode | undefined;
      let replica: ReplNode | undefined;
      try {
        master = await startNode(masterKind, masterConfig);
        replica = await startNode(replicaKind, replicaConfig);
        await syncUnderRandomWrites(master, replica, 20000, 63);
        assert.equal((await syncStats(master)).full, 1);
        const log = (replicaKind === 'nodis' ? replica : master).logTail(80);
        assert.doesNotMatch(log, /dual-channel/);
      } finally {
        await stopNodes(master, replica);
      }
    });
  }
});
