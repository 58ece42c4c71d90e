/**
 * nodis as the replica of a real Redis 7.0 master: full synchronization
 * of a dataset with every type and encoding, several dbs, binary keys and
 * TTLs, over Redis's disk-based (`$<len>`) and diskless (`$EOF:`) transfers,
 * into nodis with repl-diskless-load disabled (through dump.rdb) and swapdb
 * (memory only); then live writes of every write family applied from the
 * stream. "Equal" is DEBUG DIGEST and per-key type, value digest and
 * expiry (assertSameData).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAvailable, startNodis, startRedis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { DEBUG, buildDataset, mustCall, redisArgs } from '../support/rdb-dataset.js';
import { assertSameData, info, waitInSync, writeEveryFamily } from './repl-replica-helpers.js';

/** The dataset's dbs and the ones the live workload writes to. */
const DBS = [0, 3, 5, 6, 8, 9, 15];

describe('replica of a real Redis 7.0: full sync and the stream', { skip: !redisAvailable('repl-replica-sync') }, () => {
  for (const disklessSync of ['yes', 'no']) {
    for (const disklessLoad of ['disabled', 'swapdb']) {
      test(`repl-diskless-sync ${disklessSync} on Redis, repl-diskless-load ${disklessLoad} on nodis`, async () => {
        const redis = await startRedis(redisArgs({ 'repl-diskless-sync': disklessSync, 'repl-diskless-sync-delay': '0' }));
        const dir = mkdtempSync(join(tmpdir(), 'nodis-repl-replica-'));
        const nodis = await startNodis({ config: { ...DEBUG, dir, 'repl-diskless-load': disklessLoad } });
        const m = await RawClient.connect(redis.port);
        const r = await RawClient.connect(nodis.port);
        try {
          await buildDataset(m);
          await mustCall(r, 'SET', 'stale', 'replaced by the sync');
          assert.equal((await r.value('REPLICAOF', '127.0.0.1', String(redis.port))).kind, 'simple');
          await waitInSync(m, r);
          await assertSameData(r, m, DBS);
          assert.deepEqual(await r.value('EXISTS', 'stale'), { kind: 'int', value: 0n });
          const files = readdirSync(dir);
          if (disklessLoad === 'disabled') {
            assert.ok(existsSync(join(dir, 'dump.rdb')), 'the RDB was written to dir/dbfilename');
          } else {
            assert.ok(!files.includes('dump.rdb'), 'swapdb loads from memory only');
          }
          assert.ok(!files.some((f) => f.startsWith('temp-')), `no temp file left: ${files.join(' ')}`);
          const ri = await info(r, 'replication');
          assert.equal(ri.get('master_replid'), (await info(m, 'replication')).get('master_replid'));

          await writeEveryFamily(m, 'live');
          await waitInSync(m, r);
          await assertSameData(r, m, DBS);
          const after = await info(r, 'replication');
          assert.equal(after.get('slave_read_repl_offset'), after.get('slave_repl_offset'));
          assert.equal(after.get('master_repl_offset'), after.get('slave_repl_offset'));
        } finally {
          m.close();
          r.close();
          await nodis.stop();
          await redis.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});
