/**
 * Old RDB forms that Redis 7.0 no longer writes but still loads (zipmap,
 * ziplists, quicklists of ziplists, the plain LIST, ZSET with text scores,
 * EXPIRETIME in seconds, versions 4, 6 and 9), written by the test-only
 * encoder in test/support/legacy-rdb.ts. Each file is proved against the
 * truth first (redis-check-rdb passes, redis-server loads every key), then
 * nodis must load it with the same DEBUG DIGEST and, per key, the same
 * type, OBJECT ENCODING and PEXPIRETIME.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisAvailable } from '../support/servers.js';
import { xorshift32 } from '../support/random.js';
import { LegacyRdbWriter, LegacyType as T, body } from '../support/legacy-rdb.js';
import { assertRedisCheckPasses, assertSameFacts, inTempDir, nodisLoading, redisLoading } from '../support/rdb-dataset.js';

/** EXPIRETIME holds a signed 32-bit count of seconds: 2033-05-18 fits, 2100-01-01 reads as a time long past. */
const FAR_S = 2000000000;
const WRAPS_NEGATIVE_S = 4102444800;
const FAR_MS = 4102444800123;

/** n strings made by f(i). */
const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));
const pairsOf = (n: number, f: (i: number) => [string, string]): [string, string][] => Array.from({ length: n }, (_, i) => f(i));

/** Ziplist items exercising every entry encoding: immediates, int8/16/24/32/64, 6/14/32-bit string lengths. */
function everyZiplistEntry(seed: number): string[] {
  const rnd = xorshift32(seed);
  const bytes = (n: number) => Array.from({ length: n }, () => String.fromCharCode(rnd(256))).join('');
  return [
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
    '-2147483648',
    '4294967296',
    '-9223372036854775808',
    '9223372036854775807',
    '9223372036854775808',
    '007',
    '-0',
    '+1',
    '',
    'short',
    '\x00\xff\r\n',
    bytes(63),
    bytes(64),
    bytes(300),
    bytes(16383),
    bytes(16384),
    'tail',
  ];
}

/** A legacy file with the number of keys a master loads from it (expired ones are dropped). */
interface LegacyFile {
  name: string;
  file: Buffer;
  keys: number;
}

/** Version 4 (no checksum): plain LIST/SET/HASH, ZSET with text scores, zipmaps, ziplist lists and zsets, intsets, EXPIRETIME in seconds. */
function version4(): LegacyFile {
  const w = new LegacyRdbWriter(4)
    .selectDb(0)
    .key(T.String, 'str', body.string('hello'))
    .expireSeconds(FAR_S)
    .key(T.String, 'ttl:seconds', body.string('12345'))
    .key(T.List, 'plain:list', body.list(['a', '1', '', 'x'.repeat(100), '-7']))
    .key(T.Set, 'plain:set:ints', body.set(['1', '2', '-3', '70000']))
    .key(T.Set, 'plain:set:strings', body.set(['a', 'b', '\x00']))
    .key(T.Set, 'plain:set:600', body.set(range(600, (i) => String(i))))
    .key(
      T.Hash,
      'plain:hash',
      body.hash([
        ['f', 'v'],
        ['n', '1'],
        ['', 'empty'],
      ]),
    )
    .key(T.Hash, 'plain:hash:long', body.hash([['f', 'v'.repeat(65)]]))
    .expireSeconds(FAR_S)
    .key(
      T.Zset,
      'text:zset',
      body.zsetText([
        ['inf', Infinity],
        ['neginf', -Infinity],
        ['a', 1.5],
        ['negzero', -0],
        ['huge', 1e300],
        ['tenth', 0.1],
        ['neg', -3],
      ]),
    )
    .key(T.Zset, 'text:zset:200', body.zsetText(range(200, (i) => `m${i}`).map((m, i) => [m, i / 8 - 10] as const)))
    .key(
      T.HashZipmap,
      'zipmap',
      body.zipmap([
        ['f1', 'v1'],
        ['int', '42'],
        ['', ''],
        ['bin\x00', '\xff\r\n'],
      ]),
    )
    .key(
      T.HashZipmap,
      'zipmap:free',
      body.zipmap(
        [
          ['a', 'x'],
          ['b', 'yy'],
        ],
        3,
      ),
    )
    .key(T.HashZipmap, 'zipmap:300', body.zipmap(pairsOf(300, (i) => [`field${i}`, i === 7 ? 'L'.repeat(300) : String(i)])))
    .expireSeconds(FAR_S)
    .key(T.ListZiplist, 'ziplist:list', body.ziplist(everyZiplistEntry(4)))
    .key(T.SetIntset, 'intset:16', body.intset([5n, -5n, 32767n]))
    .key(T.SetIntset, 'intset:32', body.intset([5n, 70000n, -2147483648n]))
    .key(T.SetIntset, 'intset:64', body.intset([5n, 5000000000n, -9223372036854775808n, 9223372036854775807n]))
    .key(
      T.ZsetZiplist,
      'ziplist:zset',
      body.pairsZiplist([
        ['neginf', '-inf'],
        ['a', '-3'],
        ['b', '0'],
        ['c', '1.5'],
        ['d', '100000'],
        ['posinf', 'inf'],
      ]),
    )
    .selectDb(15)
    .key(T.String, 'str', body.string('db fifteen'));
  return { name: 'version 4, no checksum', file: w.finish(), keys: w.keys };
}

/**
 * Version 6: ziplist hashes (up to the listpack limits, as Redis 6 wrote
 * them), big ziplists, a ziplist zset past the entry limit, a "-0" score
 * text, EXPIRETIME_MS, an expired key. (Ziplists past Redis 6's own
 * limits are left out: Redis 7.0 loads those inconsistently, e.g. a hash
 * ziplist of 500 pairs stays a listpack.)
 */
function version6(checksum = true): LegacyFile {
  const w = new LegacyRdbWriter(6)
    .selectDb(0)
    .key(
      T.HashZiplist,
      'ziplist:hash',
      body.pairsZiplist([
        ['f', 'v'],
        ['1', '2'],
        ['neg', '-9000000000'],
        ['', '\x00'],
      ]),
    )
    .expireMs(FAR_MS)
    .key(T.HashZiplist, 'ziplist:hash:128', body.pairsZiplist(pairsOf(128, (i) => [`f${i}`, i === 5 ? 'z'.repeat(64) : String(i * 1000)])))
    .key(T.ListZiplist, 'ziplist:list:big', body.ziplist([...everyZiplistEntry(6), ...range(1000, (i) => (i % 2 ? String(i) : `e${i}`))]))
    .key(T.ZsetZiplist, 'ziplist:zset:200', body.pairsZiplist(pairsOf(200, (i) => [`m${i}`, String(i - 100)])))
    .key(
      T.ZsetZiplist,
      'ziplist:zset:negzero',
      body.pairsZiplist([
        ['short', '-0'],
        ['y'.repeat(64), '2.5'],
      ]),
    )
    .selectDb(3)
    .expireSeconds(FAR_S)
    .key(T.HashZipmap, 'zipmap', body.zipmap([['x', 'y']]))
    .expireSeconds(WRAPS_NEGATIVE_S)
    .key(T.String, 'expired', body.string('dropped'));
  return { name: checksum ? 'version 6' : 'version 6, zero checksum', file: w.finish(checksum), keys: w.keys - 1 };
}

/** Version 9: AUX fields, RESIZEDB, quicklists of ziplists, ZSET_2, binary keys, both expiry opcodes, three dbs. */
function version9(): LegacyFile {
  const w = new LegacyRdbWriter(9)
    .aux('redis-ver', '6.2.14')
    .aux('redis-bits', '64')
    .aux('ctime', '1700000000')
    .selectDb(0)
    .resizeDb(5, 2)
    .key(T.ListQuicklist, 'quicklist', body.quicklist([['a', 'b', '1'], everyZiplistEntry(9), range(200, (i) => `n${i}`)]))
    .expireMs(FAR_MS)
    .key(T.ListQuicklist, 'quicklist:one', body.quicklist([['only']]))
    .key(
      T.Zset2,
      'zset2',
      body.zsetBinary([
        ['a', 1],
        ['b', -Infinity],
        ['c', Infinity],
        ['d', 0.1],
        ['e', -0],
      ]),
    )
    .expireSeconds(FAR_S)
    .key(
      T.ZsetZiplist,
      'bin\x00\xff',
      body.pairsZiplist([
        ['\r\n', '1'],
        ['\x00', '2'],
      ]),
    )
    .key(T.HashZiplist, 'h\r\n', body.pairsZiplist([['\xff', '\x00']]))
    .selectDb(3)
    .key(T.Zset2, 'zset2:200', body.zsetBinary(range(200, (i) => `z${i}`).map((m, i) => [m, i * 1.25] as const)))
    .selectDb(15)
    .key(T.List, 'plain:list', body.list(['x']));
  return { name: 'version 9', file: w.finish(), keys: w.keys };
}

const run = redisAvailable('legacy RDB interop with redis-server', 'redis-check-rdb');

describe('legacy RDB forms: Redis 7.0 loads them, nodis loads them the same way', { skip: !run }, () => {
  for (const legacy of [version4(), version6(), version6(false), version9()]) {
    test(legacy.name, () =>
      inTempDir(async (dir) => {
        const path = join(dir, 'dump.rdb');
        writeFileSync(path, legacy.file);
        assertRedisCheckPasses(path);
        const truth = await redisLoading(dir);
        assert.equal(truth.keys.length, legacy.keys, 'Redis loaded every key');
        assertSameFacts(await nodisLoading(dir), truth);
      }),
    );
  }
});
