/**
 * Today's Redis-family servers (Valkey 8.0.1, Redis 7.2.6; built by
 * ../shared/peers/build.sh) and nodis: the all-types dataset written by the
 * peer (RDB version 11) loads into nodis from a file (SAVE) and over
 * replication (a nodis replica's full sync, disk and diskless), and a peer
 * replica of a nodis master syncs, follows live writes and continues with a
 * partial resync after its link is cut; every key's type, value and expiry
 * equal. Encodings are not compared: nodis chooses Redis 7.0's when it loads
 * (7.2 and Valkey 8 have listpack sets and lists, and a loaded string that
 * looks like an integer is int-encoded whatever it was in the peer's memory).
 * Sorted sets are compared by content (members and scores as numbers): 7.2
 * and Valkey 8 print scores in their shortest form, also inside DEBUG
 * DIGEST, so their zset digests (and the dataset's) differ from 7.0's for
 * the same data.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodis, startRedis } from '../support/servers.js';
import { peersAvailable, type Peer } from '../support/peers.js';
import { waitFor } from '../support/wait.js';
import {
  buildDataset,
  datasetFacts,
  DEBUG,
  inTempDir,
  mustCall,
  redisArgs,
  withClient,
  type DatasetFacts,
} from '../support/rdb-dataset.js';
import { info } from '../support/replication.js';
import { RawClient, strings } from '../support/raw-client.js';

const peers = peersAvailable('RDB 11 interop with Valkey 8 and Redis 7.2');

/** What a server holds: its facts, and every sorted set's members with their scores as numbers. */
interface Holdings {
  facts: DatasetFacts;
  zsets: Map<string, [string, number][]>;
}

/** The holdings of the server c is connected to (leaves c in db 0). */
async function holdings(c: RawClient): Promise<Holdings> {
  const facts = await datasetFacts(c);
  const zsets = new Map<string, [string, number][]>();
  for (const k of facts.keys.filter((f) => f.type === 'zset')) {
    await mustCall(c, 'SELECT', String(k.db));
    const flat = strings(await mustCall(c, 'ZRANGE', k.key, '0', '-1', 'WITHSCORES'));
    const pairs: [string, number][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, Number(flat[i + 1])]);
    zsets.set(`${k.db}/${k.key}`, pairs);
  }
  await mustCall(c, 'SELECT', '0');
  return { facts, zsets };
}

/** Asserts that nodis holds what the peer holds (see the file comment for what is compared how). */
function assertSameData(nodis: Holdings, peer: Holdings): void {
  const comparable = (h: Holdings) => h.facts.keys.map((k) => ({ ...k, encoding: '', digest: k.type === 'zset' ? '' : k.digest }));
  const expected = comparable(peer);
  const actual = comparable(nodis);
  assert.deepEqual(
    actual.map((k) => `${k.db}/${k.key}`),
    expected.map((k) => `${k.db}/${k.key}`),
    'the same keys',
  );
  expected.forEach((k, i) => assert.deepEqual(actual[i], k, `key ${k.db}/${JSON.stringify(k.key)}`));
  assert.deepEqual(nodis.zsets, peer.zsets, 'sorted sets: members and scores');
}

/** Starts peer with DEBUG enabled and extra args, runs fn with its port, stops it. */
async function withPeer<T>(peer: Peer, args: string[], fn: (port: number) => Promise<T>): Promise<T> {
  const server = await startRedis([...redisArgs({}), ...args], peer.binary);
  try {
    return await fn(server.port);
  } finally {
    await server.stop();
  }
}

describe('RDB 11 from Valkey 8 and Redis 7.2', () => {
  for (const peer of peers) {
    test(`${peer.name} SAVE: nodis loads the file`, async () => {
      await inTempDir(async (dir) => {
        const held = await withPeer(peer, ['--dir', dir, '--dbfilename', 'dump.rdb'], (port) =>
          withClient(port, async (c) => {
            await buildDataset(c);
            const h = await holdings(c);
            await mustCall(c, 'SAVE');
            return h;
          }),
        );
        const nodis = await startNodis({ config: { ...DEBUG, dir } });
        try {
          assertSameData(await withClient(nodis.port, holdings), held);
        } finally {
          await nodis.stop();
        }
      });
    });

    for (const diskless of ['yes', 'no']) {
      test(`${peer.name} master (repl-diskless-sync ${diskless}), nodis replica: the full sync loads`, async () => {
        await withPeer(peer, ['--repl-diskless-sync', diskless, '--repl-diskless-sync-delay', '0'], async (port) => {
          const held = await withClient(port, async (c) => {
            await buildDataset(c);
            return holdings(c);
          });
          const replica = await startNodis({ config: { ...DEBUG } });
          try {
            await withClient(replica.port, async (r) => {
              await mustCall(r, 'REPLICAOF', '127.0.0.1', String(port));
              await waitFor(`nodis to sync with ${peer.name}`, async () => {
                const repl = await info(r, 'replication');
                return repl.get('master_link_status') === 'up' && repl.get('master_sync_in_progress') === '0';
              });
              assertSameData(await holdings(r), held);
            });
          } finally {
            await replica.stop();
          }
        });
      });
    }
  }

  for (const peer of peers) {
    for (const diskless of ['yes', 'no']) {
      test(`nodis master (repl-diskless-sync ${diskless}), ${peer.name} replica: full sync, live writes, partial resync`, async () => {
        const master = await startNodis({ config: { ...DEBUG, 'repl-diskless-sync': diskless, 'repl-diskless-sync-delay': '0' } });
        try {
          await withClient(master.port, async (m) => {
            await buildDataset(m);
            await withPeer(peer, [], async (port) => {
              await withClient(port, async (r) => {
                const synced = async () => {
                  const [mi, ri] = [await info(m, 'replication'), await info(r, 'replication')];
                  return ri.get('master_link_status') === 'up' && mi.get('master_repl_offset') === ri.get('slave_repl_offset');
                };
                await mustCall(r, 'REPLICAOF', '127.0.0.1', String(master.port));
                await waitFor(`${peer.name} to sync with nodis`, synced);
                assertSameData(await holdings(r), await holdings(m));
                // The link is cut; writes go on; the replica continues where it stopped.
                const partialBefore = Number((await info(m, 'stats')).get('sync_partial_ok'));
                await mustCall(m, 'CLIENT', 'KILL', 'TYPE', 'replica');
                await mustCall(m, 'SET', 'after-cut', 'v');
                await mustCall(m, 'ZADD', 'z:after', '0.1', 'a');
                await waitFor(`${peer.name} to continue with nodis`, async () => {
                  const partial = Number((await info(m, 'stats')).get('sync_partial_ok'));
                  return partial > partialBefore && (await synced());
                });
                assertSameData(await holdings(r), await holdings(m));
              });
            });
          });
        } finally {
          await master.stop();
        }
      });
    }
  }

  // Valkey 8 has dual-channel replication (Redis 7.2 has not).
  for (const peer of peers.filter((p) => p.name.startsWith('valkey'))) {
    test(`${peer.name} master, nodis replica, dual-channel on both: a refused exchange falls back to the classic sync at once`, async () => {
      await withPeer(peer, ['--dual-channel-replication-enabled', 'yes', '--repl-diskless-sync-delay', '0'], async (port) => {
        const held = await withClient(port, async (c) => {
          await buildDataset(c);
          return holdings(c);
        });
        const replica = await startNodis({ config: { ...DEBUG, 'dual-channel-replication-enabled': 'yes' }, log: true });
        const lines: string[] = [];
        replica.server.logger.raw = (line: string) => void lines.push(line);
        try {
          await withClient(replica.port, async (r) => {
            await mustCall(r, 'REPLICAOF', '127.0.0.1', String(port));
            await waitFor(`nodis to sync with ${peer.name}`, async () => {
              const repl = await info(r, 'replication');
              return repl.get('master_link_status') === 'up' && repl.get('master_sync_in_progress') === '0';
            });
            assertSameData(await holdings(r), held);
            const stats = await info(r, 'replication');
            assert.equal(stats.get('master_link_status'), 'up');
          });
          // Valkey 8 speaks dual-channel its own way: nodis gives it up once, then syncs classically.
          const refusals = lines.filter((l) => l.includes('falling back to the classic sync with this master'));
          assert.ok(refusals.length <= 1, `at most one refused attempt:\n${lines.join('')}`);
        } finally {
          await replica.stop();
        }
      });
    });
  }
});
