/**
 * RDB interop with a real Redis 7.0, both ways: a dump.rdb Redis saved
 * loads into nodis (in-process and as the nodis-server process), and one
 * nodis saved (SAVE and BGSAVE) loads into Redis and passes
 * redis-check-rdb, with the writer's rdbcompression and rdbchecksum on and
 * off; DUMP payloads RESTORE across in both directions. "Equal" means the
 * same DEBUG DIGEST and, per key, the same type, OBJECT ENCODING and
 * PEXPIRETIME (see test/support/rdb-dataset.ts for the data).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisAvailable, startNodis, startNodisProcess, startRedis } from '../support/servers.js';
import { RawClient, strings } from '../support/raw-client.js';
import { waitFor } from '../support/wait.js';
import {
  DATASET_DBS,
  DEBUG,
  assertRedisCheckPasses,
  assertSameFacts,
  buildDataset,
  datasetFacts,
  inTempDir,
  mustCall,
  nodisLoading,
  redisArgs,
  redisLoading,
  withClient,
  type DatasetFacts,
} from '../support/rdb-dataset.js';

/** A writer-side option set: as nodis config and as redis-server arguments. */
interface WriterOptions {
  name: string;
  config: Record<string, string>;
}

const WRITERS: WriterOptions[] = [
  { name: 'defaults', config: {} },
  { name: 'rdbcompression no', config: { rdbcompression: 'no' } },
  { name: 'rdbchecksum no', config: { rdbchecksum: 'no' } },
];

/** Every type:encoding pair Redis 7.0 has for the types nodis supports (lists are always quicklists in 7.0). */
const EVERY_ENCODING = new Set([
  'string:int',
  'string:embstr',
  'string:raw',
  'list:quicklist',
  'set:intset',
  'set:hashtable',
  'hash:listpack',
  'hash:hashtable',
  'zset:listpack',
  'zset:skiplist',
]);

/** Waits until INFO persistence reports no background save in progress, then checks it succeeded. */
async function waitBgsave(c: RawClient): Promise<void> {
  let info = '';
  const done = async () =>
    (info = ((await mustCall(c, 'INFO', 'persistence')) as { value: string }).value).includes('rdb_bgsave_in_progress:0');
  await waitFor('the background save to end', done, () => info);
  assert.match(info, /rdb_last_bgsave_status:ok/);
}

const run = redisAvailable('RDB interop with redis-server', 'redis-check-rdb');

describe('RDB files from Redis 7.0 load into nodis', { skip: !run }, () => {
  for (const w of WRITERS) {
    test(`Redis SAVE (${w.name}) → nodis`, () =>
      inTempDir(async (dir) => {
        const redis = await startRedis(redisArgs(w.config));
        let expected: DatasetFacts;
        try {
          expected = await withClient(redis.port, async (c) => {
            await buildDataset(c);
            await mustCall(c, 'SAVE');
            return datasetFacts(c);
          });
          copyFileSync(join(redis.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
        } finally {
          await redis.stop();
        }
        const loadedByRedis = await redisLoading(dir);
        assert.equal(loadedByRedis.digest, expected.digest);
        assertSameFacts(await nodisLoading(dir), loadedByRedis);
        if (w.name !== 'defaults') return;
        assert.deepEqual(
          new Set(expected.keys.map((k) => `${k.type}:${k.encoding}`)),
          EVERY_ENCODING,
          'the dataset reaches every encoding',
        );
        const proc = await startNodisProcess(['--dir', dir, ...redisArgs({})]);
        try {
          assertSameFacts(await withClient(proc.port, (c) => datasetFacts(c)), loadedByRedis);
        } finally {
          await proc.stop();
        }
      }));
  }
});

describe('RDB files from nodis load into Redis 7.0', { skip: !run }, () => {
  for (const w of WRITERS) {
    for (const how of ['SAVE', 'BGSAVE'] as const) {
      test(`nodis ${how} (${w.name}) → Redis`, () =>
        inTempDir(async (dir) => {
          const srv = await startNodis({ config: { ...DEBUG, ...w.config, dir } });
          let live: DatasetFacts;
          try {
            live = await withClient(srv.port, async (c) => {
              await buildDataset(c);
              if (how === 'SAVE') await mustCall(c, 'SAVE');
              else {
                await mustCall(c, 'BGSAVE');
                await waitBgsave(c);
              }
              return datasetFacts(c);
            });
          } finally {
            await srv.stop();
          }
          assertRedisCheckPasses(join(dir, 'dump.rdb'));
          const loadedByRedis = await redisLoading(dir);
          assert.equal(loadedByRedis.digest, live.digest);
          assertSameFacts(await nodisLoading(dir), loadedByRedis);
        }));
    }
  }
});

describe('DUMP and RESTORE between Redis 7.0 and nodis', { skip: !run }, () => {
  /** A db the dataset leaves empty, where a payload is also RESTOREd on its own server for comparison. */
  const SCRATCH_DB = '9';

  /**
   * Builds the dataset on `from`, then DUMPs every key there and RESTOREs
   * it on `to` (REPLACE, with its absolute expiry via ABSTTL). Each key's
   * DEBUG DIGEST-VALUE and PEXPIRETIME on `to` must equal the source's,
   * and its OBJECT ENCODING must equal what `from` gives the same payload
   * RESTOREd into SCRATCH_DB (a restored value's encoding may differ from
   * the live one it was dumped from, on Redis too). Finally the two
   * servers' dataset facts must agree. Returns the payloads by "db/key".
   */
  async function transfer(from: RawClient, to: RawClient): Promise<Map<string, string>> {
    await buildDataset(from);
    const payloads = new Map<string, string>();
    for (const db of DATASET_DBS) {
      await mustCall(to, 'SELECT', String(db));
      await mustCall(from, 'SELECT', String(db));
      const keys = (await mustCall(from, 'KEYS', '*')) as { items: { value: string }[] };
      for (const { value: key } of keys.items) {
        const where = `${db}/${JSON.stringify(key)}`;
        const payload = ((await mustCall(from, 'DUMP', key)) as { value: string }).value;
        payloads.set(`${db}/${key}`, payload);
        const at = ((await mustCall(from, 'PEXPIRETIME', key)) as { value: bigint }).value;
        const ttl = at > 0n ? [String(at), payload, 'REPLACE', 'ABSTTL'] : ['0', payload, 'REPLACE'];
        await mustCall(to, 'RESTORE', key, ...ttl);
        for (const probe of [
          ['DEBUG', 'DIGEST-VALUE', key],
          ['PEXPIRETIME', key],
        ]) {
          assert.deepEqual(await to.value(...probe), await from.value(...probe), `${probe[0]} ${probe[1]} of ${where}`);
        }
        await mustCall(from, 'SELECT', SCRATCH_DB);
        await mustCall(from, 'RESTORE', key, ...ttl);
        assert.deepEqual(
          await to.value('OBJECT', 'ENCODING', key),
          await from.value('OBJECT', 'ENCODING', key),
          `OBJECT ENCODING of ${where}`,
        );
        await mustCall(from, 'DEL', key);
        await mustCall(from, 'SELECT', String(db));
      }
    }
    await mustCall(from, 'SELECT', '0');
    await mustCall(to, 'SELECT', '0');
    const [a, b] = [await datasetFacts(to), await datasetFacts(from)];
    assert.equal(a.digest, b.digest);
    assert.deepEqual(
      a.keys.map(({ encoding, ...rest }) => rest),
      b.keys.map(({ encoding, ...rest }) => rest),
    );
    return payloads;
  }

  /** Runs fn with a client of a fresh Redis and one of a fresh nodis, both with DEBUG enabled. */
  async function withPair(fn: (redis: RawClient, nodis: RawClient) => Promise<void>): Promise<void> {
    const redis = await startRedis(redisArgs({}));
    const srv = await startNodis({ config: DEBUG });
    try {
      await withClient(redis.port, (a) => withClient(srv.port, (b) => fn(a, b)));
    } finally {
      await srv.stop();
      await redis.stop();
    }
  }

  test('DUMP on Redis → RESTORE on nodis', () => withPair(async (redis, nodis) => void (await transfer(redis, nodis))));

  test('DUMP on nodis → RESTORE on Redis', () => withPair(async (redis, nodis) => void (await transfer(nodis, redis))));

  /** hex of a and b around their first difference, or null when equal. */
  function firstDifference(a: Buffer, b: Buffer): string | null {
    if (a.equals(b)) return null;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const window = (x: Buffer) => x.subarray(Math.max(0, i - 8), i + 16).toString('hex');
    return `lengths ${a.length}/${b.length}, first difference at byte ${i}: ${window(a)} vs ${window(b)}`;
  }

  test("DUMP payloads equal Redis's byte for byte (rdbcompression off; hashtables aside)", () =>
    withPair(async (redis, nodis) => {
      for (const c of [redis, nodis]) {
        await buildDataset(c);
        await mustCall(c, 'CONFIG', 'SET', 'rdbcompression', 'no');
      }
      let compared = 0;
      for (const db of DATASET_DBS) {
        for (const c of [redis, nodis]) await mustCall(c, 'SELECT', String(db));
        for (const key of strings(await mustCall(redis, 'KEYS', '*'))) {
          if (((await redis.value('OBJECT', 'ENCODING', key)) as { value: string }).value === 'hashtable') continue;
          const [a, b] = [await mustCall(nodis, 'DUMP', key), await mustCall(redis, 'DUMP', key)] as { value: string }[];
          const diff = firstDifference(Buffer.from(a!.value, 'latin1'), Buffer.from(b!.value, 'latin1'));
          assert.equal(diff, null, `DUMP of ${db}/${JSON.stringify(key)} (nodis vs Redis): ${diff}`);
          compared++;
        }
      }
      assert.ok(compared > 30, `compared ${compared} payloads`);
    }));

  test('ZADD -0.0 into a skiplist keeps the negative zero, as in Redis', () =>
    withPair(async (redis, nodis) => {
      const replies: string[][] = [];
      for (const c of [redis, nodis]) {
        await mustCall(c, 'ZADD', 'z', ...Array.from({ length: 130 }, (_, i) => [String(i + 1), `m${i}`]).flat(), '-0.0', 'zero');
        replies.push([await c.callText('ZSCORE', 'z', 'zero'), await c.callText('DEBUG', 'DIGEST-VALUE', 'z')]);
      }
      assert.deepEqual(replies[1], replies[0]);
    }));
});
