/**
 * Dual-channel full sync (issue 6, item 2), the overload case it exists
 * for, over real processes: a nodis master holding 1M keys with
 * `client-output-buffer-limit replica 8mb 4mb 5`, and a client writing
 * about 12.5 MB/s of 16 KB values until the sync under test is over. A
 * classic replica's sync is cut by the output buffer limit and starts over
 * (the master's log says "overcoming of output buffer limits", sync_full
 * grows at least twice); a dual-channel replica (replica-full-sync-buffer-limit
 * 1gb) needs exactly one full sync, the master never cuts it, its log shows
 * the stream it buffered, and its data equals the master's.
 *
 * A file of its own: on a busy machine it takes most of run-tests.mjs's
 * per-file time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client.js';
import { DEADLINE_MS, sleep } from '../support/wait.js';
import { mustCall } from '../support/rdb-dataset.js';
import {
  assertConverged,
  describeLink,
  infoField,
  replicate,
  startNode,
  startRequests,
  stopNodes,
  syncStats,
  text,
  waitFor,
  waitInSync,
  type ReplNode,
  type Writer,
} from '../support/replication.js';

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
    await waitFor(
      what,
      async () => reached(await fullSyncs()),
      () => describeLink(master, replica),
      3 * DEADLINE_MS,
    );
  } finally {
    await writes.stop();
  }
  return fullSyncs();
}

describe('dual-channel full sync under overload', () => {
  test('1M keys under heavy writes, replica output buffer 8mb: classic loops, dual-channel syncs in one attempt', async () => {
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
      // Stopped as it is (it may be loading yet another RDB, when REPLICAOF NO ONE gets -LOADING).
      await stopNodes(classic);
      classic = undefined;

      dual = await startNode('nodis', { ...DUAL, 'replica-full-sync-buffer-limit': '1gb' });
      // The writes go on until the dual-channel replica has loaded the RDB (it then applies the stream it buffered meanwhile).
      const d = dual;
      const loaded = async () => /applying \d+ bytes of the master's stream buffered during the dual-channel sync/.test(d.logTail(200));
      const fullSyncs = await followUnderHeavyWrites(
        master,
        dual,
        'the dual-channel replica to load the RDB under the writes',
        loaded,
        () => replicaBehind(m),
      );
      await waitInSync(master, dual);
      assert.equal(fullSyncs, 1, `one full sync with dual-channel:\n${master.logTail(30)}\n${dual.logTail(40)}`);
      assert.equal(logCount(master, OVERFLOW), overflows, `the master never cut the dual-channel replica:\n${master.logTail(30)}`);
      assert.match(dual.logTail(200), /applying \d+ bytes of the master's stream buffered during the dual-channel sync/);
      assert.ok(
        Number(await infoField(dual, 'replication', 'replicas_repl_buffer_peak')) > 8 * 1024 * 1024,
        'the replica buffered more than the master could have',
      );
      await assertConverged(master, dual);
    } finally {
      await stopNodes(master, classic, dual);
    }
  });
});
