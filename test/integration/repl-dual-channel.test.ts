/**
 * Dual-channel full sync (issue 6, item 2), over real processes:
 *
 * - the overload case it exists for: a nodis master holding 1M keys with
 *   `client-output-buffer-limit replica 8mb 4mb 5`, and a client writing
 *   about 12.5 MB/s of 16 KB values until the sync under test is over. A classic replica's
 *   sync is cut by the output buffer limit and starts over (the master's
 *   log says "overcoming of output buffer limits", sync_full grows at
 *   least twice); a dual-channel replica (replica-full-sync-buffer-limit
 *   1gb) needs exactly one full sync, the master never cuts it, its log
 *   shows the stream it buffered, and its data equals the master's;
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
import { DEADLINE_MS, sleep } from '../support/wait.js';
import { mustCall } from '../support/rdb-dataset.js';
import {
  assertConverged,
  describeLink,
  info,
  infoField,
  promote,
  replicate,
  startNode,
  startWriter,
  settleRandomWrites,
  startRequests,
  stopNodes,
  syncStats,
  text,
  waitFor,
  waitInSync,
  type NodeKind,
  type ReplNode,
  type Writer,
} from '../support/replication.js';

const withRedis = redisAvailable('repl-dual-channel');
const DUAL = { 'dual-channel-replication-enabled': 'yes' };
const SMALL_BUFFER = { 'client-output-buffer-limit': 'replica 8mb 4mb 5' };
const OVERFLOW = 'overcoming of output buffer limits';
const BIG_VALUE = 'v'.repeat(16 * 1024);
const TICK_MS = 10;

/** Occurrences of text in node's whole log. */
function logCount(node: ReplNode, needle: string): number {
  return node.logTail(1_000_000).split(needle).length - 1;
}

/**
 * A client writing SETs of 16 KB values to master, `perTick` of them
 * pipelined every TICK_MS (about 12.5 MB/s of stream), until stopped:
 * far more than a classic sync's 8 MB output buffer holds during a 1M-key
 * transfer, while a stalled event loop on the replica (a major GC during
 * its load) still has over half a second before that buffer would fill.
 */
async function heavyWrites(node: ReplNode, holdWhile: () => Promise<boolean> = async () => false, perTick = 8): Promise<Writer> {
  let n = 0;
  let next = Date.now();
  let nextCheck = 0;
  const request = () => Array.from({ length: perTick }, () => ['SET', `big:${n++ % 1000}`, BIG_VALUE]);
  const pace = async () => {
    next += TICK_MS;
    if (Date.now() >= nextCheck) {
      while (await holdWhile()) await sleep(50);
      nextCheck = Date.now() + 100;
      next = Math.max(next, Date.now());
    }
    await sleep(Math.max(0, next - Date.now()));
  };
  return startRequests(await RawClient.connect(node.port), request, pace);
}

/**
 * Whether the master holds more than 2 MB for a replica's main channel
 * (not for an RDB channel, the connection whose command was SYNC, which
 * carries the RDB itself): a dual-channel replica reads its main channel
 * even while it loads the RDB,
 * but one starved of CPU (a busy machine) can fall behind for a moment; the
 * writes then wait, since a replica too slow for the stream would be cut
 * by Redis too and that is not what the test is about.
 */
async function replicaBehind(master: ReplNode): Promise<boolean> {
  const list = text(await mustCall(master.admin, 'CLIENT', 'LIST', 'TYPE', 'replica'));
  return list.split('\n').some((line) => !line.includes(' cmd=sync ') && Number(/ omem=(\d+) /.exec(line)?.[1] ?? 0) > 2 * 1024 * 1024);
}

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

/**
 * Makes replica follow master under heavy writes that go on until reached()
 * holds (what says what it waits for); returns the master's full syncs
 * meanwhile.
 */
async function followUnderHeavyWrites(
  master: ReplNode,
  replica: ReplNode,
  what: string,
  reached: (fullSyncs: number) => Promise<boolean>,
  holdWhile?: () => Promise<boolean>,
): Promise<number> {
  const before = (await syncStats(master)).full;
  const fullSyncs = async () => (await syncStats(master)).full - before;
  const writes = await heavyWrites(master, holdWhile);
  try {
    await replicate(replica, master);
    await waitFor(what, async () => reached(await fullSyncs()), () => describeLink(master, replica), 3 * DEADLINE_MS);
  } finally {
    await writes.stop();
  }
  return fullSyncs();
}

describe('dual-channel full sync', () => {
  // Longer than run-tests.mjs's 2 minutes: 1M keys synced (at least) three times on a machine that may be busy.
  test('1M keys under heavy writes, replica output buffer 8mb: classic loops, dual-channel syncs in one attempt', { timeout: 10 * 60_000 }, async () => {
    let master: ReplNode | undefined;
    let classic: ReplNode | undefined;
    let dual: ReplNode | undefined;
    try {
      master = await startNode('nodis', { ...DUAL, ...SMALL_BUFFER });
      await mustCall(master.admin, 'DEBUG', 'POPULATE', '1000000');
      classic = await startNode('nodis');
      // The classic sync is cut by the output buffer limit and starts over (the writes go on until it has).
      const m = master;
      const startedOver = async (fullSyncs: number) => fullSyncs >= 2 && logCount(m, OVERFLOW) >= 1;
      await followUnderHeavyWrites(master, classic, 'the classic sync to be cut by the output buffer limit and start over', startedOver);
      const overflows = logCount(master, OVERFLOW);
      await promote(classic);
      await stopNodes(classic);
      classic = undefined;

      dual = await startNode('nodis', { ...DUAL, 'replica-full-sync-buffer-limit': '1gb' });
      // The writes go on until the dual-channel replica has loaded the RDB (it then applies the stream it buffered meanwhile).
      const d = dual;
      const loaded = async () => /applying \d+ bytes of the master's stream buffered during the dual-channel sync/.test(d.logTail(200));
      const fullSyncs = await followUnderHeavyWrites(master, dual, 'the dual-channel replica to load the RDB under the writes', loaded, () => replicaBehind(m));
      await waitInSync(master, dual);
      assert.equal(fullSyncs, 1, `one full sync with dual-channel:\n${master.logTail(30)}\n${dual.logTail(40)}`);
      assert.equal(logCount(master, OVERFLOW), overflows, `the master never cut the dual-channel replica:\n${master.logTail(30)}`);
      assert.match(dual.logTail(200), /applying \d+ bytes of the master's stream buffered during the dual-channel sync/);
      assert.ok(Number(await infoField(dual, 'replication', 'replicas_repl_buffer_peak')) > 8 * 1024 * 1024, 'the replica buffered more than the master could have');
      await assertConverged(master, dual);
    } finally {
      await stopNodes(master, classic, dual);
    }
  });

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
        assert.equal(m.get('connected_slaves'), '1', `the RDB channel is not listed as a replica\n${master.logTail(30)}\n${replica.logTail(30)}`);
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
      assert.match(replica.logTail(200), /The RDB channel was closed by the master before the RDB was complete|I\/O error on the RDB channel/);
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
