/**
 * nodis as the replica of a real Redis 7.0 master: the link's life.
 * Partial resync after CLIENT KILL TYPE master while the master keeps
 * writing, continuing in the db the stream had selected; masterauth against requirepass; READONLY and MASTERDOWN;
 * REPLICAOF NO ONE (writes allowed, the old replid kept as replid2);
 * REPLICAOF replies and errors; ROLE; INFO replication's fields in the
 * same order as a real Redis replica's; logically expired keys kept until
 * the master's DEL; WAIT on the master; chained replication;
 * repl-timeout against a master stopped with SIGSTOP;
 * replicaof in the configuration; switching to a promoted master by PSYNC,
 * and being the promoted one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { redisAvailable, startNodis, startNodisProcess, startRedis, freePort, type ExternalServer } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { sleep } from '../support/wait.js';
import { DEBUG, buildDataset, mustCall, redisArgs } from '../support/rdb-dataset.js';
import type { RunningServer } from '../../src/index.js';
import { assertSameData, info, infoFieldNames, waitFor, waitInSync } from './repl-replica-helpers.js';

const DBS = [0, 3, 15];

/** A Redis master (diskless, no delay) and a nodis replica of it, in sync; fn runs with clients to both. */
async function withPair(
  opts: { redis?: Record<string, string>; nodis?: Record<string, string | number> },
  fn: (m: RawClient, r: RawClient, ctx: { redis: ExternalServer; nodis: RunningServer }) => Promise<void>,
): Promise<void> {
  const redis = await startRedis(redisArgs({ 'repl-diskless-sync-delay': '0', ...opts.redis }));
  const nodis = await startNodis({ config: { ...DEBUG, ...opts.nodis } });
  const m = await RawClient.connect(redis.port);
  const r = await RawClient.connect(nodis.port);
  try {
    if (opts.redis?.requirepass !== undefined) await mustCall(m, 'AUTH', opts.redis.requirepass);
    await fn(m, r, { redis, nodis });
  } finally {
    m.close();
    r.close();
    await nodis.stop();
    await redis.stop();
  }
}

async function replicaOf(r: RawClient, port: number): Promise<void> {
  assert.equal(await r.callText('REPLICAOF', '127.0.0.1', String(port)), '+OK\r\n');
}

describe('replica of a real Redis 7.0: the link', { skip: !redisAvailable('repl-replica-link') }, () => {
  test('CLIENT KILL TYPE master while the master writes: back by +CONTINUE, data equal', async () => {
    await withPair({}, async (m, r, { redis }) => {
      await buildDataset(m);
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      const before = await info(m, 'stats');
      let writing = true;
      let written = 0;
      const writer = (async () => {
        const w = await RawClient.connect(redis.port);
        for (; writing; written++) await mustCall(w, 'RPUSH', 'during', String(written));
        w.close();
      })();
      for (let i = 0; i < 3; i++) {
        const target = written + 20;
        await waitFor('writes on the master while the link is up', () => written >= target);
        assert.deepEqual(await r.value('CLIENT', 'KILL', 'TYPE', 'master'), { kind: 'int', value: 1n });
        await waitFor('the link to come back', async () => (await info(r, 'replication')).get('master_link_status') === 'up');
      }
      writing = false;
      await writer;
      await waitInSync(m, r);
      const after = await info(m, 'stats');
      assert.equal(Number(after.get('sync_partial_ok')), Number(before.get('sync_partial_ok')) + 3);
      assert.equal(after.get('sync_full'), before.get('sync_full'));
      await assertSameData(r, m, DBS);
      const list = String(((await r.value('CLIENT', 'LIST', 'TYPE', 'master')) as { value: string }).value);
      assert.match(list, /flags=M /);
    });
  });

  test('a partial resync continues in the db the stream had selected (no new SELECT)', async () => {
    await withPair({}, async (m, r, { redis }) => {
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      await mustCall(m, 'SELECT', '3');
      await mustCall(m, 'SET', 'a', '1'); // the stream now has SELECT 3
      await waitInSync(m, r);
      const before = await info(m, 'stats');
      assert.equal(await r.callText('CLIENT', 'KILL', 'TYPE', 'master'), ':1\r\n');
      await mustCall(m, 'SET', 'b', '2'); // in the backlog, after the SELECT 3 already sent
      await waitInSync(m, r);
      assert.equal(Number((await info(m, 'stats')).get('sync_partial_ok')), Number(before.get('sync_partial_ok')) + 1);
      await mustCall(r, 'SELECT', '3');
      assert.equal(await r.callText('GET', 'b'), '$1\r\n2\r\n');
      await mustCall(r, 'SELECT', '0');
      assert.equal(await r.callText('DBSIZE'), ':0\r\n');
    });
  });

  test("WAIT on the master is satisfied by the replica's ACKs", async () => {
    await withPair({}, async (m, r, { redis }) => {
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      for (let i = 0; i < 3; i++) {
        await mustCall(m, 'INCR', 'n');
        assert.equal(await m.callText('WAIT', '1', '5000'), ':1\r\n');
      }
      assert.equal((await info(r, 'replication')).get('slave_repl_offset'), (await info(m, 'replication')).get('master_repl_offset'));
    });
  });

  test("chained: Redis → nodis → Redis gets the master's stream byte for byte", async () => {
    await withPair({ nodis: { 'repl-diskless-sync-delay': 0 } }, async (m, r, { redis, nodis }) => {
      const leaf = await startRedis(redisArgs({}));
      const l = await RawClient.connect(leaf.port);
      try {
        await buildDataset(m);
        await replicaOf(r, redis.port);
        await waitInSync(m, r);
        assert.equal(await l.callText('REPLICAOF', '127.0.0.1', String(nodis.port)), '+OK\r\n');
        await waitInSync(r, l);
        await mustCall(m, 'SELECT', '3');
        for (let i = 0; i < 50; i++) await mustCall(m, 'RPUSH', 'chain', String(i));
        await waitInSync(m, r);
        await waitInSync(r, l);
        const mi = await info(m, 'replication');
        const li = await info(l, 'replication');
        assert.equal(li.get('master_replid'), mi.get('master_replid'));
        assert.equal(li.get('master_repl_offset'), mi.get('master_repl_offset'));
        await assertSameData(l, m, DBS);
      } finally {
        l.close();
        await leaf.stop();
      }
    });
  });

  test("failover: nodis promoted with REPLICAOF NO ONE serves the old master's other replica by PSYNC", async () => {
    await withPair({}, async (m, r, { redis, nodis }) => {
      const other = await startRedis(redisArgs({}));
      const o = await RawClient.connect(other.port);
      try {
        await buildDataset(m);
        await replicaOf(r, redis.port);
        await replicaOf(o, redis.port);
        await waitInSync(m, r);
        await waitInSync(m, o);
        for (let i = 0; i < 20; i++) await mustCall(m, 'HSET', 'before', `f${i}`, 'v');
        await waitInSync(m, r);
        await waitInSync(m, o);
        assert.equal(await r.callText('REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
        await mustCall(r, 'SET', 'promoted', 'yes');
        assert.equal(await o.callText('REPLICAOF', '127.0.0.1', String(nodis.port)), '+OK\r\n');
        await waitInSync(r, o);
        const stats = await info(r, 'stats');
        assert.deepEqual([stats.get('sync_full'), stats.get('sync_partial_ok')], ['0', '1']);
        await mustCall(r, 'SELECT', '3');
        await mustCall(r, 'RPUSH', 'after', 'x');
        await mustCall(r, 'SELECT', '0');
        await waitInSync(r, o);
        await assertSameData(o, r, DBS);
      } finally {
        o.close();
        await other.stop();
      }
    });
  });

  test('masterauth against a master with requirepass', async () => {
    await withPair({ redis: { requirepass: 's3cret' }, nodis: { masterauth: 's3cret' } }, async (m, r, { redis }) => {
      await mustCall(m, 'SET', 'k', 'v');
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      assert.deepEqual(await r.value('GET', 'k'), { kind: 'bulk', value: 'v' });
    });
  });

  test('a wrong masterauth keeps the link down; fixing it brings it up', async () => {
    await withPair({ redis: { requirepass: 's3cret' }, nodis: { masterauth: 'wrong' } }, async (m, r, { redis }) => {
      await replicaOf(r, redis.port);
      // The master refused the password, and the replica went back to state connect (it retries once a second).
      const refused = async () =>
        /^errorstat_WRONGPASS:count=\d+/m.test(String(((await m.value('INFO', 'errorstats')) as { value: string }).value));
      await waitFor('the master to refuse the AUTH', refused);
      const expected = {
        kind: 'array',
        items: [
          { kind: 'bulk', value: 'slave' },
          { kind: 'bulk', value: '127.0.0.1' },
          { kind: 'int', value: BigInt(redis.port) },
          { kind: 'bulk', value: 'connect' },
          { kind: 'int', value: -1n },
        ],
      };
      await waitFor('ROLE to show state connect', async () => isDeepStrictEqual(await r.value('ROLE'), expected));
      assert.equal((await info(r, 'replication')).get('master_link_status'), 'down');
      await mustCall(r, 'CONFIG', 'SET', 'masterauth', 's3cret');
      await waitInSync(m, r);
    });
  });

  test('READONLY for writes, MASTERDOWN while the link is down, REPLICAOF NO ONE', async () => {
    await withPair({}, async (m, r, { redis }) => {
      await mustCall(m, 'SET', 'k', 'v');
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      assert.equal(await r.callText('SET', 'k', 'x'), "-READONLY You can't write against a read only replica.\r\n");
      assert.equal(await r.callText('MULTI'), '+OK\r\n');
      assert.equal(await r.callText('INCR', 'n'), "-READONLY You can't write against a read only replica.\r\n");
      assert.equal(await r.callText('EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
      assert.equal(await r.callText('GET', 'k'), '$1\r\nv\r\n');
      await mustCall(r, 'CONFIG', 'SET', 'replica-serve-stale-data', 'no');
      assert.equal(await r.callText('GET', 'k'), '$1\r\nv\r\n', 'served while the link is up');

      // Point it at a port where nothing listens: the link stays down.
      const nowhere = await freePort();
      await replicaOf(r, nowhere);
      const down = "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n";
      assert.equal(await r.callText('GET', 'k'), down);
      assert.equal(await r.callText('DBSIZE'), down);
      assert.equal(await r.callText('PING'), down, 'PING has no stale flag (as in Redis 7.0)');
      assert.equal((await r.value('INFO', 'replication')).kind, 'bulk');
      assert.equal(await r.callText('MULTI'), '+OK\r\n');
      assert.equal(await r.callText('GET', 'k'), down);
      assert.equal(await r.callText('EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
      await mustCall(r, 'CONFIG', 'SET', 'replica-serve-stale-data', 'yes');
      assert.equal(await r.callText('GET', 'k'), '$1\r\nv\r\n');

      const old = await info(r, 'replication');
      assert.equal(await r.callText('REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
      assert.equal(await r.callText('SET', 'k', 'mine'), '+OK\r\n');
      const now = await info(r, 'replication');
      assert.equal(now.get('role'), 'master');
      assert.equal(now.get('master_replid2'), old.get('master_replid'));
      assert.equal(now.get('second_repl_offset'), String(Number(old.get('master_repl_offset')) + 1));
      assert.notEqual(now.get('master_replid'), old.get('master_replid'));
      assert.equal(await r.callText('REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
    });
  });

  test('REPLICAOF replies and errors, ROLE, INFO fields as a Redis replica has them', async () => {
    // INFO replication's fields without nodis's documented extension (README, "Lag").
    const redisFieldsOf = async (c: RawClient) => (await infoFieldNames(c, 'replication')).filter((f) => f !== 'replication_lag_ms');
    await withPair({}, async (m, r, { redis }) => {
      const twin = await startRedis(redisArgs({}));
      const t = await RawClient.connect(twin.port);
      try {
        for (const bad of ['abc', '70000', '-1']) {
          assert.equal(await r.callText('REPLICAOF', '127.0.0.1', bad), '-ERR Invalid master port\r\n');
          assert.equal(await t.callText('REPLICAOF', '127.0.0.1', bad), '-ERR Invalid master port\r\n');
        }
        assert.equal(await r.callText('ROLE'), await t.callText('ROLE'));
        assert.deepEqual(await redisFieldsOf(r), await infoFieldNames(t, 'replication'));
        await replicaOf(r, redis.port);
        await replicaOf(t, redis.port);
        assert.equal(await r.callText('REPLICAOF', '127.0.0.1', String(redis.port)), '+OK Already connected to specified master\r\n');
        await waitInSync(m, r);
        await waitInSync(m, t);
        assert.deepEqual(await redisFieldsOf(r), await infoFieldNames(t, 'replication'));
        assert.equal(await r.callText('ROLE'), await t.callText('ROLE'));
        await mustCall(m, 'SET', 'k', 'v');
        await waitInSync(m, r);
        await waitInSync(m, t);
        assert.equal(await r.callText('ROLE'), await t.callText('ROLE'));
        const ri = await info(r, 'replication');
        const ti = await info(t, 'replication');
        for (const f of ['slave_repl_offset', 'slave_read_repl_offset', 'master_repl_offset', 'master_replid', 'master_link_status']) {
          assert.equal(ri.get(f), ti.get(f), f);
        }
        // Link down: both report since when.
        await redis.stop();
        await waitFor('the link to drop', async () => (await info(r, 'replication')).get('master_link_status') === 'down');
        await waitFor('the twin to notice', async () => (await info(t, 'replication')).get('master_link_status') === 'down');
        assert.deepEqual(await redisFieldsOf(r), await infoFieldNames(t, 'replication'));
      } finally {
        t.close();
        await twin.stop();
      }
    });
  });

  test('a logically expired key stays on the replica until the master deletes it', async () => {
    await withPair({}, async (m, r, { redis }) => {
      await mustCall(m, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      await mustCall(m, 'SET', 'k', 'v', 'PX', '50');
      await waitInSync(m, r);
      await sleep(80); // time passing on purpose: the 50 ms TTL runs out
      assert.equal(await r.callText('GET', 'k'), '$-1\r\n');
      assert.equal(await r.callText('DBSIZE'), ':1\r\n');
      // A cron tick or more during which the key must NOT go away: replicas have no active expiry.
      await sleep(150);
      assert.equal(await r.callText('DBSIZE'), ':1\r\n');
      await mustCall(m, 'GET', 'k'); // the master expires it and sends DEL
      await waitInSync(m, r);
      assert.equal(await r.callText('DBSIZE'), ':0\r\n');
    });
  });

  test('repl-timeout: a master stopped with SIGSTOP is dropped, then resumed by PSYNC', async () => {
    // The master PINGs every second, so only the stop makes the replica's 2 s repl-timeout fire.
    await withPair({ redis: { 'repl-ping-replica-period': '1' }, nodis: { 'repl-timeout': 2 } }, async (m, r, { redis }) => {
      await mustCall(m, 'SET', 'k', 'v');
      await replicaOf(r, redis.port);
      await waitInSync(m, r);
      const before = await info(m, 'stats');
      redis.proc.kill('SIGSTOP');
      try {
        await waitFor('the link to time out', async () => (await info(r, 'replication')).get('master_link_status') === 'down');
      } finally {
        redis.proc.kill('SIGCONT');
      }
      await waitInSync(m, r);
      await mustCall(m, 'SET', 'k', 'after');
      await waitInSync(m, r);
      assert.equal(await r.callText('GET', 'k'), '$5\r\nafter\r\n');
      assert.equal((await info(m, 'stats')).get('sync_full'), before.get('sync_full'));
    });
  });

  /**
   * Starts a Redis master holding k=v and a nodis replica of it configured
   * with `replicaof` (startReplica gets the master's port), waits until it
   * is in sync, runs check with the replica's connection; stops both.
   */
  async function withConfiguredReplica(
    startReplica: (masterPort: number) => Promise<{ port: number; stop(): Promise<void> }>,
    check: (r: RawClient, masterPort: number) => Promise<void>,
  ): Promise<void> {
    const redis = await startRedis(redisArgs({ 'repl-diskless-sync-delay': '0' }));
    const m = await RawClient.connect(redis.port);
    await mustCall(m, 'SET', 'k', 'v');
    const nodis = await startReplica(redis.port);
    const r = await RawClient.connect(nodis.port);
    try {
      await waitInSync(m, r);
      assert.equal(await r.callText('GET', 'k'), '$1\r\nv\r\n');
      await check(r, redis.port);
    } finally {
      m.close();
      r.close();
      await nodis.stop();
      await redis.stop();
    }
  }

  test('replicaof on the nodis-server command line starts the link after loading', async () => {
    let output = () => '';
    const start = async (port: number) => {
      const n = await startNodisProcess(['--save', '', '--replicaof', `127.0.0.1 ${port}`]);
      output = n.output;
      return n;
    };
    await withConfiguredReplica(start, async (r, port) => {
      assert.deepEqual(strings(await r.value('CONFIG', 'GET', 'replicaof')), ['replicaof', `127.0.0.1 ${port}`]);
      assert.match(output(), /:S .* \* MASTER <-> REPLICA sync: Finished with success/);
    });
  });

  test('replicaof in the configuration starts the link', async () => {
    await withConfiguredReplica(
      (port) => startNodis({ config: { replicaof: `127.0.0.1 ${port}` } }),
      async () => undefined,
    );
  });

  test('switching to a promoted replica of the same master continues by PSYNC (PSYNC2)', async () => {
    await withPair({}, async (m, r, { redis }) => {
      const other = await startRedis(redisArgs({ 'repl-diskless-sync-delay': '0' }));
      const o = await RawClient.connect(other.port);
      try {
        await buildDataset(m);
        await replicaOf(r, redis.port);
        await replicaOf(o, redis.port);
        await waitInSync(m, r);
        await waitInSync(m, o);
        const oldId = (await info(m, 'replication')).get('master_replid');
        assert.equal(await o.callText('REPLICAOF', 'NO', 'ONE'), '+OK\r\n');
        await mustCall(o, 'SET', 'promoted', 'yes');
        const before = await info(o, 'stats');
        await replicaOf(r, other.port);
        await waitInSync(o, r);
        const after = await info(o, 'stats');
        assert.equal(Number(after.get('sync_partial_ok')), Number(before.get('sync_partial_ok')) + 1);
        assert.equal(after.get('sync_full'), before.get('sync_full'));
        const ri = await info(r, 'replication');
        assert.equal(ri.get('master_replid'), (await info(o, 'replication')).get('master_replid'));
        assert.equal(ri.get('master_replid2'), oldId);
        await assertSameData(r, o, DBS);
      } finally {
        o.close();
        await other.stop();
      }
    });
  });
});
