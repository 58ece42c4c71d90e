/**
 * The replication interop matrix: {nodis→nodis, redis→nodis, nodis→redis}
 * × {disk-based, diskless} full sync of a dataset with every type and
 * encoding, several dbs, binary keys and TTLs; then live writes of every
 * write family applied from the stream; then DEBUG DIGEST equal on both
 * sides once the replica's offset equals the master's. Also a big dataset
 * whose transfer overlaps writes, two replicas syncing at once, and a
 * seeded random workload with random link breaks (CLIENT KILL from either
 * side, REPLICAOF away and back), all partial resyncs, ending with equal
 * data.
 *
 * nodis runs as a nodis-server process, as a user would run it. Setting
 * NODIS_REPL_PAIRS (e.g. "redis>redis,nodis>nodis") runs other pairs — the
 * Redis↔Redis pair validates the tests themselves — and NODIS_REPL_SEED
 * other random workloads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataset, mustCall } from '../support/rdb-dataset.js';
import { mulberry32 } from '../support/random.js';
import { sleep } from '../support/compare.js';
import {
  assertConverged,
  kindChains,
  killLink,
  replicate,
  settleRandomWrites,
  startNode,
  startWriter,
  stopNodes,
  syncStats,
  unusedPort,
  waitLinkUp,
  waitResynced,
  withReplication,
  writeEveryFamily,
  type NodeKind,
  type ReplNode,
} from '../support/replication.js';

/** Cases of a describe block run this many at a time (each has its own servers and ports). */
const CONCURRENCY = 3;

/** The size of the big dataset (DEBUG POPULATE) whose transfer overlaps writes. */
const BIG_KEYS = 50_000;

/** How long the random workload runs per pair (kills included). */
const RANDOM_RUN_MS = 4000;

/** The random workload's seed (pair i uses SEED + i); NODIS_REPL_SEED replays another. */
const SEED = Number(process.env.NODIS_REPL_SEED ?? 20261125);

/** [master kind, replica kind] pairs to run. */
const PAIRS = kindChains('repl-matrix', 'NODIS_REPL_PAIRS', 'nodis>nodis,redis>nodis,nodis>redis') as [NodeKind, NodeKind][];

/** How the full sync travels: the master's repl-diskless-sync, and how a replica loads a diskless transfer. */
const MODES: { name: string; master: Record<string, string>; replica: Record<string, string> }[] = [
  { name: 'disk-based sync', master: { 'repl-diskless-sync': 'no' }, replica: {} },
  { name: 'diskless sync', master: { 'repl-diskless-sync': 'yes' }, replica: {} },
  {
    name: 'diskless sync loaded with repl-diskless-load swapdb',
    master: { 'repl-diskless-sync': 'yes' },
    replica: { 'repl-diskless-load': 'swapdb' },
  },
];

describe('replication matrix: full sync and the stream', { concurrency: CONCURRENCY }, () => {
  for (const [masterKind, replicaKind] of PAIRS) {
    for (const mode of MODES) {
      test(`${masterKind} → ${replicaKind}, ${mode.name}`, async () => {
        let master: ReplNode | undefined;
        let replica: ReplNode | undefined;
        try {
          master = await startNode(masterKind, mode.master);
          replica = await startNode(replicaKind, mode.replica);
          await buildDataset(master.admin);
          await replica.admin.value('SET', 'stale', 'replaced by the sync');
          // Writes go on while the snapshot is made and sent: they must follow it.
          const writer = await startWriter(master, SEED);
          try {
            await replicate(replica, master);
            await waitLinkUp(master, replica);
          } finally {
            await writer.stop();
          }
          await settleRandomWrites(master);
          await assertConverged(master, replica);
          // (A replica that was a master first offers its own history: Redis counts that as sync_partial_err.)
          const stats = await syncStats(master);
          assert.deepEqual([stats.full, stats.partialOk], [1, 0], 'one full sync');

          await writeEveryFamily(master, 'live');
          await assertConverged(master, replica);
        } finally {
          await stopNodes(replica, master);
        }
      });
    }
  }

  for (const [masterKind, replicaKind] of PAIRS) {
    test(`${masterKind} → ${replicaKind}: ${BIG_KEYS} keys, diskless, writes during the transfer`, async () => {
      let master: ReplNode | undefined;
      let replica: ReplNode | undefined;
      try {
        master = await startNode(masterKind);
        replica = await startNode(replicaKind);
        await mustCall(master.admin, 'DEBUG', 'POPULATE', String(BIG_KEYS), 'big', '100');
        const writer = await startWriter(master, SEED + 100);
        try {
          await replicate(replica, master);
          await waitLinkUp(master, replica);
        } finally {
          await writer.stop();
        }
        await settleRandomWrites(master);
        await assertConverged(master, replica);
      } finally {
        await stopNodes(replica, master);
      }
    });
  }

  for (const masterKind of new Set(PAIRS.map(([m]) => m))) {
    const replicaKinds = [...new Set(PAIRS.filter(([m]) => m === masterKind).map(([, r]) => r))];
    if (replicaKinds.length === 1) replicaKinds.push(replicaKinds[0]!);
    for (const diskless of ['yes', 'no']) {
      test(`${masterKind} → ${replicaKinds.join(' + ')} at once, repl-diskless-sync ${diskless}, delay 1 s`, async () => {
        const nodes: ReplNode[] = [];
        try {
          const master = await startNode(masterKind, { 'repl-diskless-sync': diskless, 'repl-diskless-sync-delay': '1' });
          nodes.push(master);
          for (const kind of replicaKinds) nodes.push(await startNode(kind));
          const replicas = nodes.slice(1);
          await buildDataset(master.admin);
          await Promise.all(replicas.map((r) => replicate(r, master)));
          await writeEveryFamily(master, 'during');
          await assertConverged(master, ...replicas);
          assert.equal((await syncStats(master)).full, replicas.length);
          await writeEveryFamily(master, 'after');
          await assertConverged(master, ...replicas);
        } finally {
          await stopNodes(...nodes);
        }
      });
    }
  }
});

describe('replication matrix: random writes and random link breaks', { concurrency: CONCURRENCY }, () => {
  PAIRS.forEach(([masterKind, replicaKind], i) => {
    const seed = SEED + i;
    test(`${masterKind} → ${replicaKind}, seed ${seed}`, async () => {
      const rnd = mulberry32(seed);
      await withReplication(masterKind, [replicaKind], { master: { 'repl-backlog-size': '64mb' } }, async (master, [replica]) => {
        const writer = await startWriter(master, seed);
        const end = Date.now() + RANDOM_RUN_MS;
        let breaks = 0;
        try {
          for (; Date.now() < end; breaks++) {
            await sleep(150 + Math.floor(rnd() * 500)); // a random spell of writes between breaks (no state is asserted after it)
            const before = await syncStats(master);
            await breakLink(master, replica!, rnd);
            // Let the replica come back before the next break, with writes going on.
            await waitResynced(master, replica!, before);
          }
        } finally {
          await writer.stop();
        }
        assert.ok(writer.count() > 0);
        await settleRandomWrites(master);
        await assertConverged(master, replica!);
        const stats = await syncStats(master);
        assert.equal(stats.full, 1, 'every reconnection was a partial resync');
        assert.equal(stats.partialOk, breaks);
      });
    });
  });
});

/**
 * Breaks the link between master and replica one of three ways, chosen
 * by rnd: CLIENT KILL TYPE master on the replica, CLIENT KILL TYPE replica
 * on the master, or the replica pointed at a port where nothing listens
 * for a moment and back (it then offers its cached master).
 */
async function breakLink(master: ReplNode, replica: ReplNode, rnd: () => number): Promise<void> {
  const way = Math.floor(rnd() * 3);
  if (way === 2) {
    await replicate(replica, await unusedPort());
    await sleep(Math.floor(rnd() * 300)); // away for a random moment
    await replicate(replica, master);
    return;
  }
  const [node, type] = way === 0 ? [replica, 'master' as const] : [master, 'replica' as const];
  assert.equal(await killLink(node, type), 1, `CLIENT KILL TYPE ${type} on ${node.name}`);
}
