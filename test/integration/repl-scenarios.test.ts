/**
 * Replication scenarios across implementations, over real processes:
 *
 * - partial resync after the link is killed from either side while writes
 *   go on (+CONTINUE: the master's sync_partial_ok +1, sync_full
 *   unchanged), after pointing the replica away and back (it offers its
 *   cached master), and a full resync when the writes made meanwhile
 *   overflowed a small backlog (the replica frozen with SIGSTOP, or
 *   pointed away);
 * - a diskless full sync cut by the master in the middle (the replica
 *   frozen, so the transfer cannot have finished) is done again;
 * - repl-timeout: a frozen master (SIGSTOP) is dropped by its replica,
 *   and a frozen replica by its master; the link continues partially once
 *   the frozen side is back;
 * - WAIT: what it acknowledged is on the replica even when the link dies
 *   right after;
 * - failover: A → B, C; B promoted with REPLICAOF NO ONE; C and then A
 *   pointed at B both continue partially (PSYNC2: B's replid2), but an A
 *   written after the promotion needs a full resync; and a chain
 *   A → B → C where C's offset equals A's;
 * - a master turning into a replica ends the waits of its blocked clients
 *   (BLPOP, BZPOPMIN, WAIT) with an UNBLOCKED error and closes them, so
 *   the new master's stream cannot serve them (Redis issue #2473: a
 *   served BLPOP on a replica is a silent divergence);
 * - WAIT, min-replicas-to-write (NOREPLICAS), replica-read-only,
 *   replica-serve-stale-data no (MASTERDOWN), masterauth with requirepass.
 *
 * Every case runs for combinations of kinds with nodis on at least one
 * side; NODIS_REPL_PAIRS / NODIS_REPL_TRIPLES (e.g. "redis>redis") run
 * others, which is how the tests themselves are validated on Redis.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDataset, mustCall } from '../support/rdb-dataset.js';
import { RawClient, strings } from '../support/raw-client.js';
import {
  assertConverged,
  describeLink,
  infoField,
  killLink,
  kindChains,
  promote,
  replicate,
  settleRandomWrites,
  startNode,
  startWriter,
  stopNodes,
  syncStats,
  text,
  unusedPort,
  waitFor,
  waitInSync,
  waitWrites,
  waitLinkUp,
  waitResynced,
  withReplication,
  writeBulk,
  writeEveryFamily,
  type NodeKind,
  type ReplNode,
} from '../support/replication.js';

const PAIRS = kindChains('repl-scenarios', 'NODIS_REPL_PAIRS', 'nodis>nodis,redis>nodis,nodis>redis') as [NodeKind, NodeKind][];
const TRIPLES = kindChains('repl-scenarios', 'NODIS_REPL_TRIPLES', 'nodis>nodis>nodis,redis>nodis>redis,nodis>redis>nodis') as [
  NodeKind,
  NodeKind,
  NodeKind,
][];
/** For cases about replica-side options: the pairs with a nodis replica (or every pair asked for by name). */
const NODIS_REPLICA = process.env.NODIS_REPL_PAIRS !== undefined ? PAIRS : PAIRS.filter(([, r]) => r !== 'redis');
const SEED = Number(process.env.NODIS_REPL_SEED ?? 20261125);

/** Cases of a describe block run this many at a time (each has its own servers and ports). */
const CONCURRENCY = 3;

/** A small backlog: Redis's minimum (16 KB). */
const SMALL_BACKLOG = '16384';

/** Asserts the master's sync stats moved by exactly (full, partialOk) since before. */
async function assertSyncs(
  master: ReplNode,
  before: { full: number; partialOk: number },
  full: number,
  partialOk: number,
  what: string,
): Promise<void> {
  const now = await syncStats(master);
  assert.deepEqual(
    { full: now.full - before.full, partialOk: now.partialOk - before.partialOk },
    { full, partialOk },
    `${what}: ${master.name}'s sync_full / sync_partial_ok increments`,
  );
}

describe('partial resync', { concurrency: CONCURRENCY }, () => {
  for (const [mk, rk] of PAIRS) {
    test(`${mk} → ${rk}: links killed from both sides while writes go on continue with +CONTINUE`, async () => {
      await withReplication(mk, [rk], {}, async (master, [replica]) => {
        const writer = await startWriter(master, SEED, 1);
        try {
          for (const [node, type] of [
            [replica!, 'master'],
            [master, 'replica'],
          ] as const) {
            await waitWrites(writer, 50);
            const before = await syncStats(master);
            assert.equal(await killLink(node, type), 1, `CLIENT KILL TYPE ${type} on ${node.name}`);
            await waitResynced(master, replica!, before);
            await assertSyncs(master, before, 0, 1, `killed by CLIENT KILL TYPE ${type}`);
          }
        } finally {
          await writer.stop();
        }
        await settleRandomWrites(master);
        await assertConverged(master, replica!);
      });
    });

    test(`${mk} → ${rk}: CONFIG RESETSTAT zeroes the master's sync_full and sync_partial_ok`, async () => {
      await withReplication(mk, [rk], {}, async (master, [replica]) => {
        const before = await syncStats(master);
        assert.equal(await killLink(master, 'replica'), 1);
        await waitResynced(master, replica!, before);
        const after = await syncStats(master);
        assert.deepEqual([after.full, after.partialOk], [1, 1]);
        await mustCall(master.admin, 'CONFIG', 'RESETSTAT');
        assert.deepEqual(await syncStats(master), { full: 0, partialOk: 0, partialErr: 0 });
      });
    });

    test(`${mk} → ${rk}: pointed away and back, within the backlog: +CONTINUE; beyond it: full resync`, async () => {
      await withReplication(mk, [rk], { master: { 'repl-backlog-size': SMALL_BACKLOG } }, async (master, [replica]) => {
        for (const [bytes, full, partial] of [
          [4000, 0, 1],
          [200_000, 1, 0],
        ] as const) {
          await replicate(replica!, await unusedPort());
          await writeBulk(master, `away${bytes}`, bytes / 1000, 1000);
          const before = await syncStats(master);
          await replicate(replica!, master);
          await waitResynced(master, replica!, before);
          await assertSyncs(master, before, full, partial, `${bytes} bytes written while away`);
          await assertConverged(master, replica!);
        }
      });
    });

    test(`${mk} → ${rk}: replica frozen (SIGSTOP) while its link is killed and the backlog overflows: full resync`, async () => {
      await withReplication(mk, [rk], { master: { 'repl-backlog-size': SMALL_BACKLOG } }, async (master, [replica]) => {
        const before = await syncStats(master);
        replica!.pause();
        try {
          assert.equal(await killLink(master, 'replica'), 1);
          await writeBulk(master, 'frozen', 200, 1000);
        } finally {
          replica!.resume();
        }
        await waitResynced(master, replica!, before);
        await assertSyncs(master, before, 1, 0, 'backlog overflowed while the replica was frozen');
        await assertConverged(master, replica!);
      });
    });

    test(`${mk} → ${rk}: a diskless full sync cut in the middle is discarded and done again`, async () => {
      const master = await startNode(mk, { 'repl-diskless-sync-delay': '1', rdbcompression: 'no' });
      const replica = await startNode(rk);
      try {
        // About 20 MB of RDB: more than the socket buffers hold while the replica is frozen.
        await mustCall(master.admin, 'DEBUG', 'POPULATE', '20000', 'mid', '1000');
        await replicate(replica, master);
        const waiting = async () => /^slave0:.*state=wait_bgsave/m.test(text(await master.admin.value('INFO', 'replication')));
        await waitFor(`${master.name} to hold the replica for the diskless delay`, waiting, () => describeLink(master, replica));
        replica.pause();
        try {
          const started = 'Starting BGSAVE for SYNC with target: replicas sockets';
          await waitFor(
            `${master.name} to log "${started}"`,
            () => master.logTail(30).includes(started),
            () => master.logTail(),
          );
          // Cut in the middle: some of the RDB (more than the handshake's bytes) has left the master; the frozen replica cannot take all 20 MB.
          const sending = async () => Number(await infoField(master, 'stats', 'total_net_repl_output_bytes')) > 64 * 1024;
          await waitFor(`${master.name} to send part of the RDB`, sending, () => describeLink(master, replica));
          assert.equal(await killLink(master, 'replica'), 1);
        } finally {
          replica.resume();
        }
        await waitFor(
          `a second full sync`,
          async () => (await syncStats(master)).full === 2,
          () => describeLink(master, replica),
        );
        await assertConverged(master, replica);
      } finally {
        await stopNodes(replica, master);
      }
    });

    test(`${mk} → ${rk}: repl-timeout drops a frozen replica; it continues once it is back`, async () => {
      await withReplication(mk, [rk], { master: { 'repl-timeout': '2' } }, async (master, [replica]) => {
        const before = await syncStats(master);
        replica!.pause();
        try {
          await mustCall(master.admin, 'SET', 'while-frozen', '1');
          const dropped = async () => (await infoField(master, 'replication', 'connected_slaves')) === '0';
          await waitFor(`${master.name} to drop its frozen replica`, dropped, () => master.logTail());
        } finally {
          replica!.resume();
        }
        await waitResynced(master, replica!, before);
        await assertSyncs(master, before, 0, 1, 'after the replica came back');
        await assertConverged(master, replica!);
      });
    });

    test(`${mk} → ${rk}: repl-timeout drops a frozen master; the replica continues once it is back`, async () => {
      const config = { master: { 'repl-ping-replica-period': '1' }, replica: { 'repl-timeout': '2' } };
      await withReplication(mk, [rk], config, async (master, [replica]) => {
        await mustCall(master.admin, 'SET', 'before-freeze', '1');
        await waitInSync(master, replica!);
        const before = await syncStats(master);
        master.pause();
        try {
          const down = async () => (await infoField(replica!, 'replication', 'master_link_status')) === 'down';
          await waitFor(`${replica!.name} to drop its frozen master`, down, () => replica!.logTail());
        } finally {
          master.resume();
        }
        await waitResynced(master, replica!, before);
        await assertSyncs(master, before, 0, 1, 'after the master came back');
        await mustCall(master.admin, 'SET', 'after-freeze', '1');
        await assertConverged(master, replica!);
      });
    });
  }
});

/** Keeps the old master from adding a PING to its stream while its replicas move to the promoted one. */
const NO_PINGS = { 'repl-ping-replica-period': '3600', 'repl-timeout': '3600' };

describe('failover and chains', { concurrency: CONCURRENCY }, () => {
  for (const [ak, bk, ck] of TRIPLES) {
    test(`A ${ak} → B ${bk}, C ${ck}: B promoted, C and A follow it with partial resyncs`, async () => {
      await withReplication(ak, [bk, ck], { master: NO_PINGS, replica: NO_PINGS }, async (a, [b, c]) => {
        await writeEveryFamily(a, 'before');
        await assertConverged(a, b!, c!);
        const before = await syncStats(b!);
        await promote(b!);
        await replicate(c!, b!);
        await replicate(a, b!);
        await waitInSync(b!, c!);
        await waitInSync(b!, a);
        await assertSyncs(b!, before, 0, 2, 'C and A moved to the promoted B');
        assert.equal(await infoField(b!, 'replication', 'connected_slaves'), '2');
        await writeEveryFamily(b!, 'after');
        await assertConverged(b!, a, c!);
      });
    });

    test(`chain A ${ak} → B ${bk} → C ${ck}: C's offset is A's, data equal on all three, C continues with B`, async () => {
      const nodes: ReplNode[] = [];
      try {
        for (const kind of [ak, bk, ck]) nodes.push(await startNode(kind));
        const [a, b, c] = nodes as [ReplNode, ReplNode, ReplNode];
        await buildDataset(a.admin);
        await replicate(b, a);
        await replicate(c, b);
        await waitInSync(a, c);
        await writeEveryFamily(a, 'chained');
        await assertConverged(a, b, c);
        const offsets = await Promise.all([a, b, c].map((n) => infoField(n, 'replication', 'master_repl_offset')));
        assert.deepEqual(new Set(offsets).size, 1, `offsets A, B, C: ${offsets.join(' ')}`);
        assert.equal(await infoField(c, 'replication', 'master_replid'), await infoField(a, 'replication', 'master_replid'));

        const before = await syncStats(b);
        assert.equal(await killLink(c, 'master'), 1);
        await waitResynced(b, c, before);
        await assertSyncs(b, before, 0, 1, 'C killed its link to B');
        await mustCall(a.admin, 'SET', 'after-kill', 'x');
        await waitInSync(a, c);
        await assertConverged(a, b, c);
      } finally {
        await stopNodes(...nodes);
      }
    });
  }
});

describe('failover: an old master that went on writing', { concurrency: CONCURRENCY }, () => {
  for (const [ak, bk] of PAIRS) {
    test(`A ${ak} → B ${bk}: A written after B's promotion gets a full resync from B and loses those writes`, async () => {
      await withReplication(ak, [bk], { master: NO_PINGS, replica: NO_PINGS }, async (a, [b]) => {
        await promote(b!);
        await mustCall(a.admin, 'SET', 'diverged', 'only on the old master');
        await mustCall(b!.admin, 'SET', 'promoted', 'on the new master');
        const before = await syncStats(b!);
        await replicate(a, b!);
        await waitResynced(b!, a, before);
        await assertSyncs(b!, before, 1, 0, "A's history went past B's second_repl_offset");
        await assertConverged(b!, a);
        assert.equal(text(await a.admin.value('EXISTS', 'diverged')), '0');
      });
    });
  }
});

describe('WAIT, min-replicas-to-write, read-only and stale replicas, masterauth', { concurrency: CONCURRENCY }, () => {
  for (const [mk, rk] of PAIRS) {
    test(`${mk} → ${rk} ×2: WAIT counts the replicas that acknowledged`, async () => {
      await withReplication(mk, [rk, rk], {}, async (master, [r1, r2]) => {
        await mustCall(master.admin, 'SET', 'w', '1');
        assert.equal(text(await master.admin.value('WAIT', '2', '5000')), '2');
        assert.equal(text(await master.admin.value('WAIT', '3', '200')), '2', 'WAIT times out with the count it has');
        await promote(r2!);
        await waitFor(
          `${master.name} to see one replica`,
          async () => (await infoField(master, 'replication', 'connected_slaves')) === '1',
        );
        await mustCall(master.admin, 'SET', 'w', '2');
        assert.equal(text(await master.admin.value('WAIT', '2', '200')), '1');
        await waitInSync(master, r1!);
        assert.equal(text(await r1!.admin.value('GET', 'w')), '2');
      });
    });

    test(`${mk} → ${rk}: a write acknowledged by WAIT survives the link dying right after`, async () => {
      await withReplication(mk, [rk], {}, async (master, [replica]) => {
        const writer = await startWriter(master, SEED + 7);
        try {
          for (let i = 0; i < 5; i++) {
            await mustCall(master.admin, 'SET', `acked:${i}`, String(i));
            assert.equal(text(await master.admin.value('WAIT', '1', '5000')), '1');
            const before = await syncStats(master);
            assert.equal(await killLink(master, 'replica'), 1);
            assert.equal(text(await replica!.admin.value('GET', `acked:${i}`)), String(i), `acked:${i} on ${replica!.name}`);
            await waitResynced(master, replica!, before);
          }
        } finally {
          await writer.stop();
        }
        await settleRandomWrites(master);
        await assertConverged(master, replica!);
      });
    });

    test(`${mk} → ${rk}: min-replicas-to-write refuses writes with NOREPLICAS while the replica is gone`, async () => {
      await withReplication(mk, [rk], {}, async (master, [replica]) => {
        await mustCall(master.admin, 'CONFIG', 'SET', 'min-replicas-to-write', '1');
        await mustCall(master.admin, 'CONFIG', 'SET', 'min-replicas-max-lag', '10');
        const setReply = async () => text(await master.admin.value('SET', 'mr', 'x'));
        await waitFor(
          `${master.name} to count a good replica`,
          async () => (await setReply()) === 'OK',
          () => describeLink(master, replica!),
        );
        await promote(replica!);
        await waitFor(
          `${master.name} to refuse writes`,
          async () => (await setReply()) !== 'OK',
          () => describeLink(master, replica!),
        );
        assert.equal(await setReply(), 'NOREPLICAS Not enough good replicas to write.');
        assert.equal(text(await master.admin.value('GET', 'mr')), 'x', 'reads are served');
        await replicate(replica!, master);
        await waitFor(
          `${master.name} to accept writes again`,
          async () => (await setReply()) === 'OK',
          () => describeLink(master, replica!),
        );
      });
    });

    test(`${mk} → ${rk}: masterauth against a master with requirepass`, async () => {
      const master = await startNode(mk, { requirepass: 'sekret' });
      const replica = await startNode(rk);
      try {
        await mustCall(master.admin, 'SET', 'auth', 'ok');
        await replicate(replica, master);
        const refused = 'MASTER aborted replication with an error: NOAUTH Authentication required.';
        await waitFor(
          `${replica.name} to log "${refused}"`,
          () => replica.logTail(50).includes(refused),
          () => describeLink(master, replica),
        );
        assert.equal(await infoField(replica, 'replication', 'master_link_status'), 'down', 'no link without masterauth');
        await mustCall(replica.admin, 'CONFIG', 'SET', 'masterauth', 'sekret');
        await waitLinkUp(master, replica);
        await assertConverged(master, replica);
        assert.equal(text(await replica.admin.value('GET', 'auth')), 'ok');
      } finally {
        await stopNodes(replica, master);
      }
    });
  }

  for (const [mk, rk] of NODIS_REPLICA) {
    test(`${mk} → ${rk}: the replica's proto-max-bulk-len limits its clients, not its master's stream`, async () => {
      await withReplication(mk, [rk], { replica: { 'proto-max-bulk-len': '1mb' } }, async (master, [replica]) => {
        const big = 'x'.repeat(2 * 1024 * 1024);
        const before = await syncStats(master);
        await mustCall(master.admin, 'SET', 'big1', big);
        await waitInSync(master, replica!);
        // CONFIG SET reaches connected clients: not the master's link either.
        await mustCall(replica!.admin, 'CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
        await mustCall(master.admin, 'SET', 'big2', big);
        await waitInSync(master, replica!);
        for (const key of ['big1', 'big2']) assert.equal(text(await replica!.admin.value('STRLEN', key)), String(big.length));
        assert.deepEqual(await syncStats(master), before, 'the link never dropped (no new sync)');
        const client = await RawClient.connect(replica!.port);
        try {
          assert.match(text(await client.value('SET', 'mine', big)), /^ERR Protocol error: invalid bulk length/);
        } finally {
          client.close();
        }
      });
    });

    test(`${mk} → ${rk}: replica-read-only and replica-serve-stale-data`, async () => {
      await withReplication(mk, [rk], {}, async (master, [replica]) => {
        const r = replica!.admin;
        assert.equal(text(await r.value('SET', 'k', 'v')), "READONLY You can't write against a read only replica.");
        await mustCall(r, 'CONFIG', 'SET', 'replica-read-only', 'no');
        assert.equal(text(await r.value('SET', 'local', 'v')), 'OK', 'a writable replica takes local writes');
        await mustCall(r, 'DEL', 'local');

        await mustCall(r, 'CONFIG', 'SET', 'replica-serve-stale-data', 'no');
        await mustCall(master.admin, 'SET', 'fresh', '1');
        await waitInSync(master, replica!);
        assert.equal(text(await r.value('GET', 'fresh')), '1', 'served while the link is up');
        await replicate(replica!, await unusedPort());
        assert.equal(
          text(await r.value('GET', 'fresh')),
          "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        );
        assert.match(text(await r.value('INFO', 'replication')), /master_link_status:down/, 'INFO is served');
        await mustCall(r, 'CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
        assert.equal(text(await r.value('GET', 'fresh')), '1', 'stale data served again');
      });
    });
  }
});

describe('INFO persistence of a master producing the RDB of a full sync', { concurrency: CONCURRENCY }, () => {
  const masters = [...new Set(PAIRS.map(([m]) => m))];
  for (const mk of masters) {
    for (const diskless of ['no', 'yes']) {
      test(`${mk} master, repl-diskless-sync ${diskless}: reported as a background save; BGSAVE refused meanwhile`, async () => {
        const master = await startNode(mk, { 'repl-diskless-sync': diskless, save: '' });
        const replica = await startNode('nodis');
        try {
          await mustCall(master.admin, 'MSET', ...Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v']).flat());
          // 10 ms per key: the snapshot lasts about a second.
          await mustCall(master.admin, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000');
          await replicate(replica, master);
          const saving = async () => (await infoField(master, 'persistence', 'rdb_bgsave_in_progress')) === '1';
          await waitFor(`${master.name} to report the sync's snapshot`, saving, () => describeLink(master, replica));
          assert.ok(Number(await infoField(master, 'persistence', 'rdb_current_bgsave_time_sec')) >= 0);
          assert.equal(text(await master.admin.value('BGSAVE')), 'ERR Background save already in progress');
          await mustCall(master.admin, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
          await waitLinkUp(master, replica);
          await waitFor(`${master.name} to end the snapshot`, async () => !(await saving()));
          assert.equal(await infoField(master, 'persistence', 'rdb_current_bgsave_time_sec'), '-1');
          // A disk-based sync wrote dump.rdb: its changes count as saved, as after a BGSAVE.
          const changes = await infoField(master, 'persistence', 'rdb_changes_since_last_save');
          assert.equal(changes === '0', diskless === 'no', `rdb_changes_since_last_save ${changes}`);
        } finally {
          await stopNodes(replica, master);
        }
      });
    }
  }
});

/** The error a client blocked on a master gets when the master turns into a replica. */
const ROLE_CHANGE_UNBLOCKED = 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)';

describe('blocked clients around a role change', { concurrency: CONCURRENCY }, () => {
  for (const [bk, ak] of PAIRS) {
    test(`B ${bk} → A ${ak}, then A promoted and B its replica: B's blocked clients are ended, data equal (#2473)`, async () => {
      await withReplication(bk, [ak], { master: NO_PINGS, replica: NO_PINGS }, async (b, [a]) => {
        const blocked: RawClient[] = [];
        try {
          for (const argv of [
            ['BLPOP', 'foo', '0'],
            ['BZPOPMIN', 'zfoo', '0'],
            ['WAIT', '5', '0'],
          ]) {
            const c = await RawClient.connect(b.port);
            blocked.push(c);
            c.write(RawClient.encode(argv));
          }
          const waiting = async () => (await infoField(b, 'clients', 'blocked_clients')) === '3';
          await waitFor(`${b.name} to count 3 blocked clients`, waiting);
          await promote(a!);
          await replicate(b, a!);
          await waitLinkUp(a!, b);
          for (const c of blocked) {
            assert.equal(text((await c.read()).value), ROLE_CHANGE_UNBLOCKED);
            await c.waitClosed();
          }
          await mustCall(a!.admin, 'RPUSH', 'foo', 'a', 'b', 'c');
          await mustCall(a!.admin, 'ZADD', 'zfoo', '1', 'm');
          await assertConverged(a!, b);
          assert.deepEqual(strings(await mustCall(b.admin, 'LRANGE', 'foo', '0', '-1')), ['a', 'b', 'c']);
          assert.equal(await infoField(b, 'clients', 'blocked_clients'), '0');
        } finally {
          for (const c of blocked) c.close();
        }
      });
    });
  }
});
