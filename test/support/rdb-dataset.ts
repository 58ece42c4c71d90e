/**
 * A dataset for RDB interop tests: a command script that, run on an empty
 * Redis 7.0 or nodis, builds keys of every type in every encoding Redis
 * 7.0 has (and so every serialization path of its RDB writer), spread over
 * dbs 0, 3 and 15, with binary keys and values and far-future expiries.
 * Random bytes come from a seeded PRNG, so every run builds the same data.
 * Also what two servers holding the same data must agree on (datasetFacts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodis, startRedis } from './servers.js';
import { xorshift32 } from './random.js';
import { RawClient, strings } from './raw-client.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

/** The dbs the dataset writes to. */
export const DATASET_DBS: readonly number[] = [0, 3, 15];

/** A far-future absolute expiry in ms (2100-01-01), so TTLs never fire during a test. */
export const FAR_MS = '4102444800123';

/** A binary string of n bytes from rnd (latin1, one char per byte). */
function randomBytes(rnd: (n: number) => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rnd(256));
  return s;
}

/** cmd, key, then args in chunks of at most `chunk`, one command per chunk (keeps requests small). */
function chunked(cmd: string, key: string, args: string[], chunk = 500): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i += chunk) out.push([cmd, key, ...args.slice(i, i + chunk)]);
  return out;
}

/** n strings made by f(i). */
const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** Strings: every integer width, non-canonical numbers, embstr, raw, LZF-compressible, random, empty, modified in place. */
function stringKeys(rnd: (n: number) => number): string[][] {
  return [
    ['SET', 's:int8', '100'],
    ['SET', 's:int8neg', '-128'],
    ['SET', 's:int16', '30000'],
    ['SET', 's:int32', '-2000000000'],
    ['SET', 's:int64', '9000000000000'],
    ['SET', 's:int64max', '9223372036854775807'],
    ['SET', 's:int64min', '-9223372036854775808'],
    ['SET', 's:beyond64', '18446744073709551616'],
    ['SET', 's:007', '007'],
    ['SET', 's:+1', '+1'],
    ['SET', 's:-0', '-0'],
    ['SET', 's:embstr', 'hello world'],
    ['SET', 's:raw', 'r'.repeat(20) + randomBytes(rnd, 30)],
    ['SET', 's:lzf', 'compress me please '.repeat(20)],
    ['SET', 's:lzf21', 'a'.repeat(21)],
    ['SET', 's:random300', randomBytes(rnd, 300)],
    ['SET', 's:empty', ''],
    ['SET', '\x00\xff\r\n', '\x00\xff\r\nbinary'],
    ['SET', 's:setrange', 'abc'],
    ['SETRANGE', 's:setrange', '10', 'xyz'],
    ['SETBIT', 's:setbit', '1001', '1'],
    ['SET', 's:append', '12'],
    ['APPEND', 's:append', '34'],
    ['SET', 's:ttl', 'expires'],
    ['PEXPIREAT', 's:ttl', FAR_MS],
    ['SET', 's:ttlint', '77'],
    ['PEXPIREAT', 's:ttlint', FAR_MS],
  ];
}

/** Lists: small, integers, 3000 elements (several quicklist nodes), one 20 KB element, binary elements. */
function lists(rnd: (n: number) => number): string[][] {
  return [
    ['RPUSH', 'l:small', 'a', 'b', 'c'],
    [
      'RPUSH',
      'l:ints',
      '0',
      '12',
      '13',
      '-1',
      '127',
      '-128',
      '255',
      '32767',
      '-32768',
      '8388607',
      '-8388608',
      '2147483647',
      '4294967296',
      '-9223372036854775808',
      '9223372036854775807',
      '007',
    ],
    ...chunked(
      'RPUSH',
      'l:big',
      range(3000, (i) => (i % 3 === 0 ? String(i * 7919) : `element-${i}`)),
    ),
    ['RPUSH', 'l:huge', 'before', randomBytes(rnd, 20 * 1024), 'after'],
    ['RPUSH', 'l:bin\x00', '\x00', '\xff\xfe', '\r\n', '', randomBytes(rnd, 70), 'x'.repeat(5000)],
    ['PEXPIREAT', 'l:small', FAR_MS],
  ];
}

/** Sets: intsets of 16-, 32- and 64-bit members, hashtables, 600 integers (past set-max-intset-entries). */
function sets(rnd: (n: number) => number): string[][] {
  return [
    ['SADD', 'set:i16', '1', '2', '-3', '100', '-32768', '32767'],
    ['SADD', 'set:i32', '1', '70000', '-2147483648', '2147483647'],
    ['SADD', 'set:i64', '5', '5000000000', '-9223372036854775808', '9223372036854775807'],
    ['SADD', 'set:ht', 'a', 'b', 'c', '1'],
    ['SADD', 'set:bin', '\x00', '\xff', '\r\n', randomBytes(rnd, 40)],
    ...chunked(
      'SADD',
      'set:600',
      range(600, (i) => String(i * 3 - 900)),
    ),
    ['PEXPIREAT', 'set:i16', FAR_MS],
  ];
}

/** Hashes: listpack, hashtable by count, hashtable by a long value, integer-looking fields and values. */
function hashes(rnd: (n: number) => number): string[][] {
  return [
    ['HSET', 'h:lp', 'f1', 'v1', 'f2', '', '', 'empty field', '\x00\xff', '\r\n'],
    ['HSET', 'h:ints', '1', '12', '-2', '9000000000', '100000', '-1', '007', '+5'],
    ['HSET', 'h:count', ...range(200, (i) => `field-${i}|${i * 13}`).flatMap((s) => s.split('|'))],
    ['HSET', 'h:longval', 'short', 'v', 'long', randomBytes(rnd, 100)],
    ['PEXPIREAT', 'h:lp', FAR_MS],
  ];
}

/** Sorted sets: listpack with integer, float, ±inf, 1e300 and -0 scores; skiplist by count; skiplist by a long member. */
function zsets(rnd: (n: number) => number): string[][] {
  return [
    [
      'ZADD',
      'z:lp',
      '1',
      'one',
      '1.5',
      'onehalf',
      'inf',
      'posinf',
      '-inf',
      'neginf',
      '1e300',
      'huge',
      '-0.0',
      'negzero',
      '-3',
      'minus3',
      '0.1',
      'tenth',
    ],
    ['ZADD', 'z:count', ...range(200, (i) => `${((i * 37) % 101) / 4}|member-${i}`).flatMap((s) => s.split('|'))],
    ['ZADD', 'z:longmember', '1', 'short', '2', randomBytes(rnd, 100), '-inf', 'neginf', '3.25', '\x00'],
    [
      'ZADD',
      'z:skipinf',
      ...range(150, (i) => `${i - 75}|m${i}`).flatMap((s) => s.split('|')),
      'inf',
      'top',
      '-inf',
      'bottom',
      '1e300',
      'big',
      '-0.0',
      'negzero',
    ],
    ['PEXPIREAT', 'z:count', FAR_MS],
  ];
}

/**
 * The whole dataset: db 0 holds every case; db 3 and db 15 hold a few
 * more keys (some sharing names with db 0's, with different values).
 */
export function rdbDataset(seed = 20240707): string[][] {
  const rnd = xorshift32(seed);
  return [
    ['SELECT', '0'],
    ...stringKeys(rnd),
    ...lists(rnd),
    ...sets(rnd),
    ...hashes(rnd),
    ...zsets(rnd),
    ['SELECT', '3'],
    ['SET', 's:embstr', 'db three'],
    ['RPUSH', 'l:small', '3', 'x'],
    ['HSET', 'h:lp', 'db', '3'],
    ['PEXPIREAT', 'h:lp', FAR_MS],
    ['SADD', 'set:i16', '3'],
    ['ZADD', 'z:lp', '3', 'three'],
    ['SELECT', '15'],
    ['SET', '\xff', randomBytes(rnd, 64)],
    ['PEXPIREAT', '\xff', FAR_MS],
    ...chunked(
      'SADD',
      'set:600',
      range(600, (i) => `m${i}`),
    ),
    ['SELECT', '0'],
  ];
}

/** What two servers holding "the same data" must agree on, for one key. */
export interface KeyFacts {
  db: number;
  key: string;
  type: string;
  encoding: string;
  /** DEBUG DIGEST-VALUE: the value's digest. */
  digest: string;
  /** PEXPIRETIME: the absolute expiry in ms, or -1. */
  expireAt: string;
}

/** One server's view of its whole dataset: DEBUG DIGEST and every key's facts. */
export interface DatasetFacts {
  digest: string;
  keys: KeyFacts[];
}

/** A reply's text (simple, bulk, error or integer), for comparisons. */
function text(v: RespValue): string {
  if (v.kind === 'int') return String(v.value);
  if ('value' in v) return String(v.value);
  return v.kind;
}

/** Runs argv on c and fails the test if the reply is an error. */
export async function mustCall(c: RawClient, ...argv: string[]): Promise<RespValue> {
  const v = await c.value(...argv);
  assert.notEqual(
    v.kind,
    'error',
    `${argv
      .slice(0, 2)
      .map((a) => JSON.stringify(a.slice(0, 40)))
      .join(' ')}: ${text(v)}`,
  );
  return v;
}

/** Runs the dataset's script on c (which should be empty). */
export async function buildDataset(c: RawClient): Promise<void> {
  for (const argv of rdbDataset()) await mustCall(c, ...argv);
}

/**
 * The digest and, for every key of `dbs` (sorted by db then key), its
 * type, OBJECT ENCODING, DEBUG DIGEST-VALUE and PEXPIRETIME. Leaves c in db 0.
 */
export async function datasetFacts(c: RawClient, dbs: readonly number[] = DATASET_DBS): Promise<DatasetFacts> {
  const digest = text(await mustCall(c, 'DEBUG', 'DIGEST'));
  const keys: KeyFacts[] = [];
  for (const db of dbs) {
    await mustCall(c, 'SELECT', String(db));
    const names = strings(await mustCall(c, 'KEYS', '*')).sort();
    for (const key of names) {
      keys.push({
        db,
        key,
        type: text(await mustCall(c, 'TYPE', key)),
        encoding: text(await mustCall(c, 'OBJECT', 'ENCODING', key)),
        digest: strings(await mustCall(c, 'DEBUG', 'DIGEST-VALUE', key))[0]!,
        expireAt: text(await mustCall(c, 'PEXPIRETIME', key)),
      });
    }
  }
  await mustCall(c, 'SELECT', '0');
  return { digest, keys };
}

/** Both servers run with DEBUG enabled (DIGEST, DIGEST-VALUE). */
export const DEBUG = { 'enable-debug-command': 'yes' };

/** redis-server arguments for config plus enable-debug-command. */
export const redisArgs = (config: Record<string, string>) => Object.entries({ ...DEBUG, ...config }).flatMap(([k, v]) => [`--${k}`, v]);

/** Runs fn with a fresh temp dir, removed afterwards. */
export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-rdb-interop-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Connects to port, runs fn, closes the client. */
export async function withClient<T>(port: number, fn: (c: RawClient) => Promise<T>): Promise<T> {
  const c = await RawClient.connect(port);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/** The facts of a real Redis started on dir/dump.rdb (it must load the file). */
export async function redisLoading(dir: string): Promise<DatasetFacts> {
  const redis = await startRedis([...redisArgs({}), '--dir', dir, '--dbfilename', 'dump.rdb']);
  try {
    return await withClient(redis.port, (c) => datasetFacts(c));
  } finally {
    await redis.stop();
  }
}

/** The facts of an in-process nodis started on dir/dump.rdb. */
export async function nodisLoading(dir: string): Promise<DatasetFacts> {
  const srv = await startNodis({ config: { ...DEBUG, dir } });
  try {
    return await withClient(srv.port, (c) => datasetFacts(c));
  } finally {
    await srv.stop();
  }
}

/** redis-check-rdb's verdict on file: exits 0. */
export function assertRedisCheckPasses(file: string): void {
  const r = spawnSync('redis-check-rdb', [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `redis-check-rdb ${file} failed:\n${r.stdout}${r.stderr}`);
}

/** Asserts that two servers' facts agree, key by key first (so a failure names the key), then the digest. */
export function assertSameFacts(actual: DatasetFacts, expected: DatasetFacts): void {
  const names = (f: DatasetFacts) => f.keys.map((k) => `${k.db}/${k.key}`);
  assert.deepEqual(names(actual), names(expected), 'the same keys');
  expected.keys.forEach((k, i) => assert.deepEqual(actual.keys[i], k, `key ${k.db}/${JSON.stringify(k.key)}`));
  assert.equal(actual.digest, expected.digest, 'DEBUG DIGEST');
}
