/**
 * FAILOVER (Redis 7.0) across implementations, over real processes:
 *
 * - under a write load, FAILOVER swaps the roles of a master and its
 *   replica: the old master follows the new one with a partial resync
 *   (the promoted side counts sync_partial_ok, never sync_full), the
 *   digests are equal, and every write the old master acknowledged is on
 *   the new one (a counter incremented by acknowledged INCRs only);
 *   master_failover_state is back to no-failover on both;
 * - with two replicas, FAILOVER TO picks the named one; the other keeps
 *   following the old master (now a replica of the new one: a chain);
 * - TIMEOUT with a frozen replica aborts (writes resume on the master),
 *   FORCE fails over anyway (to the replica as it is once it is back: no
 *   catch-up is promised), ABORT while waiting releases paused writes
 *   (REPLICAOF and CLIENT UNPAUSE are refused / do not);
 * - the error replies are Redis's (compared with a real Redis master when
 *   one is installed).
 *
 * Pairs: nodis>nodis, nodis>redis (a Redis replica promoted by a nodis
 * master) and redis>nodis (a nodis replica promoted by a Redis master).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mustCall } from '../support/rdb-dataset.js';
import { sleep } from '../support/wait.js';
import { RawClient } from '../support/raw-client.js';
import { redisAvailable } from '../support/servers.js';
import {
  assertConverged,
  infoField,
  kindChains,
  replicate,
  settleRandomWrites,
  startNode,
  startWriter,
  stopNodes,
  syncStats,
  text,
  waitFor,
  waitInSync,
  waitWrites,
  type NodeKind,
  type ReplNode,
} from '../support/replication.js';

const PAIRS = kindChains('repl-failover', 'NODIS_REPL_PAIRS', 'nodis>nodis,nodis>redis,redis>nodis') as [NodeKind, NodeKind][];

const failoverState = (n: ReplNode) => infoField(n, 'replication', 'master_failover_state');
const role = (n: ReplNode) => infoField(n, 'replication', 'role');

/** Starts a master and replicas, each in sync; stopped by the returned list. */
async function cluster(kinds: NodeKind[]): Promise<ReplNode[]> {
  const nodes: ReplNode[] = [];
  try {
    for (const k of kinds) nodes.push(await startNode(k));
    for (const r of nodes.slice(1)) await replicate(r, nodes[0]!);
    for (const r of nodes.slice(1)) await waitInSync(nodes[0]!, r);
    return nodes;
  } catch (e) {
    await stopNodes(...nodes);
    throw e;
  }
}

/**
 * INCRs a counter on its own connection until stopped, counting the
 * acknowledged ones (a -READONLY after the switch is not acknowledged).
 */
async function startCounter(node: ReplNode): Promise<{ acked: () => number; stop: () => Promise<number> }> {
  const c = await RawClient.connect(node.port);
  let acked = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const v = await c.value('INCR', 'acked-counter');
      if (v.kind === 'int') acked++;
      else await sleep(5);
    }
  })();
  return {
    acked: () => acked,
    stop: async () => {
      stopping = true;
      await loop;
      c.close();
      return acked;
    },
  };
}

/** Waits until the failover is over on node (no-failover) and node is a replica. */
async function waitDemoted(node: ReplNode): Promise<void> {
  await waitFor(
    `${node.name} to finish the failover`,
    async () => (await failoverState(node)) === 'no-failover' && (await role(node)) === 'slave',
    () => node.logTail(),
  );
}

describe('FAILOVER swaps roles under a write load', () => {
  for (const [mk, rk] of PAIRS) {
    test(`${mk} master, ${rk} replica`, async () => {
      const [master, replica] = await cluster([mk, rk]);
      try {
        const writer = await startWriter(master!, 7, 1);
        const counter = await startCounter(master!);
        await waitWrites(writer, 100);
        await waitFor('INCRs acknowledged before the failover', () => counter.acked() >= 20);
        const before = await syncStats(replica!);
        assert.equal(text(await master!.admin.value('FAILOVER')), 'OK');
        await waitDemoted(master!);
        assert.equal(await role(replica!), 'master');
        assert.equal(await failoverState(replica!), 'no-failover');
        await waitInSync(replica!, master!);
        await writer.stop().catch(() => undefined);
        const acked = await counter.stop();
        const after = await syncStats(replica!);
        assert.equal(after.full, before.full, 'no full sync');
        assert.equal(after.partialOk, before.partialOk + 1, 'one partial resync');
        assert.ok(acked > 0);
        assert.equal(
          text(await replica!.admin.value('GET', 'acked-counter')),
          String(acked),
          'every acknowledged INCR is on the new master',
        );
        await settleRandomWrites(replica!);
        await assertConverged(replica!, master!);
      } finally {
        await stopNodes(master, replica);
      }
    });
  }
});

describe('FAILOVER TO one of two replicas', () => {
  test('nodis master, nodis and nodis replicas', async () => {
    const [master, a, b] = await cluster(['nodis', 'nodis', 'nodis']);
    try {
      await mustCall(master!.admin, 'SET', 'k', 'v');
      assert.equal(text(await master!.admin.value('FAILOVER', 'TO', '127.0.0.1', String(b!.port))), 'OK');
      await waitDemoted(master!);
      assert.equal(await role(b!), 'master');
      assert.equal(await role(a!), 'slave');
      assert.equal(await infoField(master!, 'replication', 'master_port'), String(b!.port));
      await mustCall(b!.admin, 'SET', 'after', '1');
      await waitInSync(b!, master!);
      await waitInSync(b!, a!);
      assert.equal(text(await a!.admin.value('GET', 'after')), '1');
      assert.equal((await syncStats(b!)).full, 0, 'the promoted replica served no full sync');
    } finally {
      await stopNodes(master, a, b);
    }
  });
});

describe('FAILOVER TIMEOUT, FORCE and ABORT', () => {
  // Freezing needs a process; the replica kind is the one whose promotion is tested.
  for (const [mk, rk] of PAIRS) {
    test(`${mk} master, ${rk} replica`, async () => {
      const [master, replica] = await cluster([mk, rk]);
      try {
        const m = master!.admin;
        replica!.pause();
        await mustCall(m, 'SET', 'x', '1');
        assert.equal(text(await m.value('FAILOVER', 'TIMEOUT', '300')), 'OK');
        assert.equal(await failoverState(master!), 'waiting-for-sync');
        assert.equal(text(await m.value('FAILOVER')), 'ERR FAILOVER already in progress.');
        await waitFor('the timeout to abort', async () => (await failoverState(master!)) === 'no-failover');
        assert.equal(await role(master!), 'master');
        assert.equal(text(await m.value('SET', 'y', '1')), 'OK', 'writes go on after the abort');

        assert.equal(text(await m.value('FAILOVER')), 'OK');
        // A write waits for the failover to end; ABORT (on another connection) releases it.
        const writer = await RawClient.connect(master!.port);
        let answered = false;
        const pending = writer.value('SET', 'z', '1').then((v) => ((answered = true), v));
        // Neither REPLICAOF nor CLIENT UNPAUSE may end it.
        assert.equal(text(await m.value('REPLICAOF', 'NO', 'ONE')), 'ERR REPLICAOF not allowed while failing over.');
        assert.equal(text(await m.value('CLIENT', 'UNPAUSE')), 'OK');
        // The write reached the master and waits (a blocked client running SET), and has no answer.
        const held = async () => / flags=b [^\n]* cmd=set /.test(text(await m.value('CLIENT', 'LIST')));
        await waitFor('the write to be held', held, () => master!.logTail());
        assert.equal(answered, false, 'the write waits');
        assert.equal(text(await m.value('FAILOVER', 'ABORT')), 'OK');
        assert.equal(text(await pending), 'OK');
        writer.close();
        assert.equal(await failoverState(master!), 'no-failover');

        assert.equal(text(await m.value('FAILOVER', 'TO', '127.0.0.1', String(replica!.port), 'TIMEOUT', '200', 'FORCE')), 'OK');
        // FORCE: once the 200 ms timeout passed, the master fails over without waiting for the frozen replica.
        await waitFor(
          'the forced failover to start',
          async () => (await failoverState(master!)) === 'failover-in-progress',
          () => master!.logTail(),
        );
        replica!.resume();
        await waitDemoted(master!);
        assert.equal(await role(replica!), 'master');
        // FORCE does not wait for the replica: whatever it promoted with, both end with its data.
        await assertConverged(replica!, master!);
      } finally {
        replica?.resume();
        await stopNodes(master, replica);
      }
    });
  }
});

describe('FAILOVER errors', () => {
  /** The replies of the error cases on a master with one online replica, and on that replica. */
  async function errorReplies(kind: NodeKind): Promise<string[]> {
    const alone = await startNode(kind);
    const out: string[] = [];
    const ask = async (n: ReplNode, ...argv: string[]) =>
      out.push(`${argv.join(' ')} => ${text(await n.admin.value('FAILOVER', ...argv))}`);
    try {
      for (const argv of [
        [],
        ['ABORT'],
        ['TIMEOUT', '0'],
        ['TIMEOUT', '-1'],
        ['TIMEOUT', 'x'],
        ['TO', 'h'],
        ['TO', 'h', 'x'],
        ['ABORT', 'TIMEOUT', '1'],
        ['foo'],
        ['FORCE'],
        ['TIMEOUT', '1', 'TIMEOUT', '2'],
      ]) {
        await ask(alone, ...argv);
      }
    } finally {
      await stopNodes(alone);
    }
    const [master, replica] = await cluster([kind, kind]);
    try {
      await ask(replica!);
      await ask(replica!, 'ABORT');
      await ask(master!, 'TO', '127.0.0.1', '1');
      await ask(master!, 'TO', '127.0.0.1', String(replica!.port), 'FORCE');
      await ask(master!, 'TIMEOUT', '100', 'FORCE');
      await ask(master!, 'ABORT');
    } finally {
      await stopNodes(master, replica);
    }
    return out;
  }

  test('match Redis 7.0', async () => {
    const actual = await errorReplies('nodis');
    const expected = redisAvailable('repl-failover')
      ? await errorReplies('redis')
      : [
          ' => ERR FAILOVER requires connected replicas.',
          'ABORT => ERR No failover in progress.',
          'TIMEOUT 0 => ERR FAILOVER timeout must be greater than 0',
          'TIMEOUT -1 => ERR FAILOVER timeout must be greater than 0',
          'TIMEOUT x => ERR value is not an integer or out of range',
          'TO h => ERR syntax error',
          'TO h x => ERR value is not an integer or out of range',
          'ABORT TIMEOUT 1 => ERR syntax error',
          'foo => ERR syntax error',
          'FORCE => ERR FAILOVER requires connected replicas.',
          'TIMEOUT 1 TIMEOUT 2 => ERR syntax error',
          ' => ERR FAILOVER is not valid when server is a replica.',
          'ABORT => ERR No failover in progress.',
          'TO 127.0.0.1 1 => ERR FAILOVER target HOST and PORT is not a replica.',
          'TO 127.0.0.1 PORT FORCE => ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
          'TIMEOUT 100 FORCE => ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
          'ABORT => ERR No failover in progress.',
        ];
    const normalize = (lines: string[]) => lines.map((l) => l.replace(/ \d{4,5} FORCE/, ' PORT FORCE'));
    assert.deepEqual(normalize(actual), normalize(expected));
  });
});
