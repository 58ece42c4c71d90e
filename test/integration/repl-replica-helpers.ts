/**
 * Shared pieces of the replica-side replication tests (repl-replica*.test.ts):
 * polling for a condition, INFO fields, waiting until a replica has
 * processed everything its master produced, and a write workload touching
 * every write family nodis has (run on the master while a replica follows).
 */
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client.js';
import { sleep, waitFor } from '../support/wait.js';
import { assertSameFacts, datasetFacts, mustCall, type DatasetFacts } from '../support/rdb-dataset.js';

export { waitFor } from '../support/wait.js';

/** INFO section parsed into a map of field → value. */
export async function info(c: RawClient, section: string): Promise<Map<string, string>> {
  const v = await c.value('INFO', section);
  assert.equal(v.kind, 'bulk');
  const out = new Map<string, string>();
  for (const line of String((v as { value: string }).value).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** The field names of an INFO section, in order. */
export async function infoFieldNames(c: RawClient, section: string): Promise<string[]> {
  return [...(await info(c, section)).keys()];
}

/** Waits until the replica's link is up and it has processed all the master produced. */
export async function waitInSync(master: RawClient, replica: RawClient): Promise<void> {
  await waitFor('the replica to catch up', async () => {
    const r = await info(replica, 'replication');
    if (r.get('master_link_status') !== 'up') return false;
    const m = await info(master, 'replication');
    return m.get('master_repl_offset') === r.get('slave_repl_offset');
  });
}

/**
 * Writes of every family on c (a master): strings, keys, expiry (relative
 * and absolute, and keys left to expire), lists (blocking pops included),
 * hashes, sets (SPOP), sorted sets, bits, transactions, several dbs,
 * SWAPDB and FLUSHDB, binary keys. Leaves c in db 0.
 */
export async function writeEveryFamily(c: RawClient, tag: string): Promise<void> {
  const k = (name: string) => `${tag}:${name}`;
  const script: string[][] = [
    ['SELECT', '0'],
    ['SET', k('s'), 'hello'],
    ['APPEND', k('s'), ' world'],
    ['SETRANGE', k('s'), '3', 'XY'],
    ['INCR', k('n')],
    ['INCRBY', k('n'), '41'],
    ['DECR', k('n')],
    ['INCRBYFLOAT', k('f'), '1.5'],
    ['SET', k('ex'), 'v', 'EX', '1000'],
    ['SETEX', k('setex'), '1000', 'v'],
    ['PSETEX', k('psetex'), '1000000', 'v'],
    ['GETSET', k('s2'), 'x'],
    ['GETDEL', k('s2')],
    ['SET', k('getex'), 'v'],
    ['GETEX', k('getex'), 'PX', '900000'],
    ['MSET', k('m1'), '1', k('m2'), '2'],
    ['MSETNX', k('m3'), '3'],
    ['SETNX', k('nx'), '1'],
    ['SET', `${tag}:\x00\xff\r\n`, '\x01\x02\x00'],
    ['EXPIRE', k('m1'), '5000'],
    ['PEXPIRE', k('m2'), '5000000'],
    ['EXPIREAT', k('m3'), '4102444800'],
    ['PERSIST', k('m3')],
    ['SET', k('short'), 'v', 'PX', '30'],
    ['RENAME', k('nx'), k('renamed')],
    ['COPY', k('s'), k('copy')],
    ['DEL', k('copy')],
    ['UNLINK', k('m3')],
    ['RPUSH', k('l'), 'a', 'b', 'c', 'd', 'e'],
    ['LPUSH', k('l'), 'z'],
    ['LSET', k('l'), '1', 'A'],
    ['LINSERT', k('l'), 'BEFORE', 'c', 'bb'],
    ['LTRIM', k('l'), '0', '5'],
    ['LPOP', k('l')],
    ['RPOPLPUSH', k('l'), k('l2')],
    ['LMOVE', k('l'), k('l2'), 'LEFT', 'RIGHT'],
    ['BLPOP', k('l'), '1'],
    ['LREM', k('l'), '0', 'zz'],
    ['HSET', k('h'), 'a', '1', 'b', '2', 'c', '3'],
    ['HINCRBY', k('h'), 'a', '10'],
    ['HINCRBYFLOAT', k('h'), 'b', '0.25'],
    ['HDEL', k('h'), 'c'],
    ['HSETNX', k('h'), 'd', '4'],
    ['SADD', k('set'), '1', '2', '3', '4', '5', 'x'],
    ['SREM', k('set'), '5'],
    ['SPOP', k('set')],
    ['SMOVE', k('set'), k('set2'), 'x'],
    ['SADD', k('set3'), '2', '3', '9'],
    ['SINTERSTORE', k('inter'), k('set'), k('set3')],
    ['SUNIONSTORE', k('union'), k('set'), k('set3')],
    ['ZADD', k('z'), '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['ZINCRBY', k('z'), '2.5', 'a'],
    ['ZREM', k('z'), 'd'],
    ['ZPOPMIN', k('z')],
    ['ZUNIONSTORE', k('zu'), '1', k('z')],
    ['ZREMRANGEBYSCORE', k('zu'), '0', '2'],
    ['BZPOPMAX', k('z'), '1'],
    ['SETBIT', k('bits'), '77', '1'],
    ['BITOP', 'NOT', k('bits2'), k('bits')],
    ['BITFIELD', k('bf'), 'INCRBY', 'u8', '0', '200'],
    ['MULTI'],
    ['INCR', k('tx')],
    ['LPUSH', k('txl'), 'q'],
    ['EXEC'],
    ['SELECT', '5'],
    ['SET', k('db5'), 'five'],
    ['HSET', k('db5h'), 'f', 'v'],
    ['MOVE', k('db5'), '6'],
    ['SELECT', '7'],
    ['SET', k('gone'), 'x'],
    ['FLUSHDB'],
    ['SELECT', '8'],
    ['SET', k('swap'), 'eight'],
    ['SWAPDB', '8', '9'],
    ['SELECT', '0'],
  ];
  for (const argv of script) await mustCall(c, ...argv);
  // Time passing on purpose: the short TTL runs out; then the master expires the key (its DEL is replicated).
  await sleep(60);
  await mustCall(c, 'GET', k('short'));
}

/**
 * Asserts that a replica holds the master's data: DEBUG DIGEST and, per key
 * of dbs, type, value digest and expiry. (Encodings may differ: a replica
 * builds its values from the RDB, as a Redis replica does, not by the
 * master's history of commands.)
 */
export async function assertSameData(replica: RawClient, master: RawClient, dbs: readonly number[]): Promise<void> {
  const withoutEncoding = (f: DatasetFacts): DatasetFacts => ({ digest: f.digest, keys: f.keys.map((k) => ({ ...k, encoding: '' })) });
  assertSameFacts(withoutEncoding(await datasetFacts(replica, dbs)), withoutEncoding(await datasetFacts(master, dbs)));
}
