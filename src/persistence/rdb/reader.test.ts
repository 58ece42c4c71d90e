/**
 * The RDB reader on bad input: every truncation of a small file and random
 * ones of a larger file, random byte flips and garbage spans (refused by
 * the CRC when it is checked; refused or parsed, never crashing, hanging
 * or allocating hugely when it is not), lengths that lie, and the specific
 * errors with the offsets they name. Valid files come from a server's own
 * snapshot (every type and encoding nodis writes) and from a hand-built
 * version-9 file holding the legacy encodings (ziplist, zipmap, intset,
 * quicklist of ziplists, text-score ZSET, plain lists).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRdb, type RdbVisitor } from './reader.js';
import { RdbError } from './errors.js';
import { RdbOutput } from './output.js';
import { Crc64 } from './crc64.js';
import { encodeListpack } from './listpack.js';
import { limitsFromConfig } from './limits.js';
import { loadRdb } from '../load.js';
import { Config } from '../../config/config.js';
import type { Value } from '../../keyspace/values.js';
import type { RunningServer } from '../../index.js';
import { startNodis } from '../../../test/support/servers.js';
import { RawClient } from '../../../test/support/raw-client.js';
import { mulberry32 } from '../../../test/support/random.js';

const HEADER = 9;
const LIMITS = limitsFromConfig(new Config());
const CHECKED = { limits: LIMITS, checksum: true };
const UNCHECKED = { limits: LIMITS, checksum: false };
/** Allocations above this while reading a file of at most a few hundred KB count as "huge". */
const HUGE_ALLOCATION = 64 * 1024 * 1024;

/** A visitor that records the keys (value null for a skipped empty aggregate). */
function collector(): RdbVisitor & { keys: Map<string, Value | null> } {
  const keys = new Map<string, Value | null>();
  return { keys, aux: () => undefined, selectDb: () => undefined, resizeDb: () => undefined, key: (k, v) => keys.set(k, v) };
}

const ignore: RdbVisitor = { aux: () => undefined, selectDb: () => undefined, resizeDb: () => undefined, key: () => undefined };

/** The RdbError readRdb throws on buf (failing the test when it parses or throws anything else). */
function rdbError(buf: Buffer, opts = CHECKED): RdbError {
  try {
    readRdb(buf, ignore, opts);
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw new Error(`expected an RdbError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an RdbError, the file parsed');
}

/**
 * Runs fn with Buffer.alloc/allocUnsafe/allocUnsafeSlow spied on; returns
 * the largest size requested meanwhile.
 */
function largestAllocation(fn: () => void): number {
  const originals = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow };
  let max = 0;
  const spy = <F>(f: F): F =>
    ((size: number, ...rest: unknown[]) => {
      max = Math.max(max, size);
      return (f as (...a: unknown[]) => Buffer).call(Buffer, size, ...rest);
    }) as F;
  Buffer.alloc = spy(originals.alloc);
  Buffer.allocUnsafe = spy(originals.allocUnsafe);
  Buffer.allocUnsafeSlow = spy(originals.allocUnsafeSlow);
  try {
    fn();
  } finally {
    Object.assign(Buffer, originals);
  }
  return max;
}

/** The body written by `write`; mark() gives the file offset (header included) of what comes next. */
function body(write: (o: RdbOutput, mark: () => number) => void, compress = false): Buffer {
  const o = new RdbOutput(compress, false);
  write(o, () => HEADER + o.pending);
  return o.take();
}

/** A whole file: "REDIS" + version, body, EOF, and (version 5 on) the CRC-64 of it all. */
function rdbFile(b: Buffer, version: number | string = 10): Buffer {
  const head = Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1');
  const data = Buffer.concat([head, b, Buffer.from([0xff])]);
  if (typeof version === 'number' && version < 5) return data;
  const crc = new Crc64();
  crc.update(data);
  return Buffer.concat([data, crc.bytes()]);
}

/** A file holding only key with a body of the given type, raw bytes after the key. */
function oneKey(type: number, key: string, value: number[] | Buffer): Buffer {
  return rdbFile(
    body((o) => {
      o.byte(type);
      o.string(key);
      o.raw(Buffer.from(value));
    }),
  );
}

/** A ziplist of short strings (< 64 bytes) and small integers (-32768..32767). */
function ziplist(items: (string | number)[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  let offset = 10;
  let tail = 10;
  for (const item of items) {
    let data: number[];
    if (typeof item === 'string') data = [item.length, ...Buffer.from(item, 'latin1')];
    else if (item >= 0 && item <= 12) data = [0xf1 + item];
    else data = [0xc0, item & 0xff, (item >> 8) & 0xff];
    const entry = Buffer.from([prev, ...data]);
    tail = offset;
    offset += entry.length;
    prev = entry.length;
    entries.push(entry);
  }
  const head = Buffer.alloc(10);
  head.writeUInt32LE(offset + 1, 0);
  head.writeUInt32LE(tail, 4);
  head.writeUInt16LE(items.length, 8);
  return Buffer.concat([head, ...entries, Buffer.from([0xff])]);
}

/** A zipmap of short fields and values (no free bytes). */
function zipmap(pairs: [string, string][]): Buffer {
  const bytes: number[] = [pairs.length];
  for (const [f, v] of pairs) bytes.push(f.length, ...Buffer.from(f, 'latin1'), v.length, 0, ...Buffer.from(v, 'latin1'));
  bytes.push(0xff);
  return Buffer.from(bytes);
}

/** An intset blob of width 2, 4 or 8 bytes holding the (sorted) values. */
function intset(width: number, values: number[]): Buffer {
  const b = Buffer.alloc(8 + width * values.length);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(values.length, 4);
  values.forEach((v, i) => (width === 8 ? b.writeBigInt64LE(BigInt(v), 8 + i * 8) : b.writeIntLE(v, 8 + i * width, width)));
  return b;
}

/** A version-9 file with the legacy encodings Redis 7.0 still loads (and some compressed strings). */
function legacyFile(): Buffer {
  return rdbFile(
    body((o) => {
      o.byte(250);
      o.string('redis-ver');
      o.string('6.2.14');
      o.byte(254);
      o.length(0);
      o.byte(251);
      o.length(14);
      o.length(2);
      o.byte(0);
      o.string('str');
      o.string('x'.repeat(80) + 'tail');
      o.byte(253);
      o.raw(Buffer.from([0xff, 0xff, 0xff, 0x7f]));
      o.byte(0);
      o.string('int');
      o.string('-123456');
      o.byte(1);
      o.string('plainlist');
      o.length(3);
      for (const s of ['a', '12', 'y'.repeat(40)]) o.string(s);
      o.byte(2);
      o.string('plainset');
      o.length(3);
      for (const s of ['m1', 'm2', '3']) o.string(s);
      o.byte(3);
      o.string('zsettext');
      o.length(3);
      o.string('a');
      o.raw(Buffer.from([3, ...Buffer.from('1.5')]));
      o.string('b');
      o.byte(254);
      o.string('c');
      o.byte(255);
      o.byte(4);
      o.string('plainhash');
      o.length(2);
      for (const s of ['f1', 'v1', 'f2', 'z'.repeat(30)]) o.string(s);
      o.byte(252);
      o.u64le(4102444800000);
      o.byte(5);
      o.string('zset2');
      o.length(2);
      o.string('p');
      o.binaryDouble(-0.5);
      o.string('q');
      o.binaryDouble(1e300);
      o.byte(9);
      o.string('zipmap');
      o.string(
        zipmap([
          ['a', '1'],
          ['bb', 'hello'],
        ]),
      );
      o.byte(10);
      o.string('ziplist');
      o.string(ziplist(['a', 7, 300, 'hello', -2]));
      o.byte(11);
      o.string('intset');
      o.string(intset(2, [-3, 1, 2, 300]));
      o.byte(11);
      o.string('intset64');
      o.string(intset(8, [-5000000000, 7]));
      o.byte(12);
      o.string('zsetzl');
      o.string(ziplist(['a', 1, 'b', '2.5']));
      o.byte(13);
      o.string('hashzl');
      o.string(ziplist(['f', 'v', 'g', 12, 'h'.repeat(25), 'w'.repeat(25)]));
      o.byte(14);
      o.string('quicklist');
      o.length(2);
      o.string(ziplist(['n1', 'n2', 'r'.repeat(30)]));
      o.string(ziplist([1, 2, 3]));
    }, true),
    9,
  );
}

/** Sends the commands pipelined and waits for every reply, failing on an error reply. */
async function run(c: RawClient, cmds: string[][]): Promise<void> {
  c.write(Buffer.concat(cmds.map((argv) => RawClient.encode(argv))));
  for (const argv of cmds) {
    const { value } = await c.read();
    if (value.kind === 'error') assert.fail(`${argv.join(' ')}: ${value.value}`);
  }
}

/** The server's whole dataset as an RDB file, from its own snapshot. */
function snapshotOf(srv: RunningServer): Buffer {
  const snap = srv.server.persistence.snapshot(false);
  const parts: Buffer[] = [];
  while (!snap.finished) parts.push(snap.step(64 * 1024));
  parts.push(snap.checksum());
  return Buffer.concat(parts);
}

/** Small compact-encoding limits, so small values hit both encodings of each type. */
const SMALL_LIMITS = {
  'list-max-listpack-size': 4,
  'hash-max-listpack-entries': 4,
  'zset-max-listpack-entries': 4,
  'set-max-intset-entries': 8,
};

/** A ~2 KB file: every type and encoding nodis writes, expiries, IDLE, two dbs. */
async function smallFile(): Promise<Buffer> {
  const srv = await startNodis({ config: { ...SMALL_LIMITS, 'maxmemory-policy': 'allkeys-lru' } });
  try {
    await fillSmall(srv);
    return snapshotOf(srv);
  } finally {
    await srv.stop();
  }
}

/** Fills srv with the small file's data. */
async function fillSmall(srv: RunningServer): Promise<void> {
  const c = await RawClient.connect(srv.port);
  try {
    const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
    await run(c, [
      ['SET', 'str', 'hello'],
      ['SET', 'int', '123456'],
      ['SET', 'neg', '-5'],
      ['SET', 'bin', '\x00\x01\xff\r\n'],
      ['SET', 'long', 'x'.repeat(60) + 'abc'],
      ['SET', 'big64', '12345678901234567890'],
      ['RPUSH', 'list', 'a', 'b', 'c', '1', '-2', '300000'],
      ['RPUSH', 'biglist', ...range(10, String)],
      ['SADD', 'ints16', '1', '2', '3'],
      ['SADD', 'ints32', '70000', '-70000'],
      ['SADD', 'ints64', '5000000000', '-1'],
      ['SADD', 'strset', 'a', 'b', 'c'],
      ['SADD', 'bigints', ...range(10, String)],
      ['HSET', 'hsmall', 'f1', 'v1', 'f2', '2'],
      ['HSET', 'hbig', ...range(12, (i) => `f${i >> 1}${i & 1 ? 'v' : ''}`)],
      ['ZADD', 'zsmall', '1', 'a', '2.5', 'b', '-3', 'c'],
      ['ZADD', 'zbig', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', 'inf', 'f', '-inf', 'g'],
      ['SET', 'ttl', 'v', 'PX', '100000000'],
      ['PEXPIRE', 'hsmall', '100000000'],
      ...range(30, (i) => ['SET', `pad:${i}`, `value number ${i} ${'#'.repeat(i)}`]),
      ['SELECT', '5'],
      ['SET', 'other', 'x'],
      ['RPUSH', 'l5', 'q'],
    ]);
  } finally {
    c.close();
  }
}

/** A file of ~250 KB of random keys of every type, with FREQ data. */
async function largeFile(seed: number): Promise<Buffer> {
  const srv = await startNodis({ config: { 'maxmemory-policy': 'allkeys-lfu' } });
  try {
    await fillLarge(srv, seed);
    return snapshotOf(srv);
  } finally {
    await srv.stop();
  }
}

/** Fills srv with 250 random keys (seeded), moving between dbs. */
async function fillLarge(srv: RunningServer, seed: number): Promise<void> {
  const c = await RawClient.connect(srv.port);
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const text = () => {
    const kind = int(4);
    if (kind === 0) return String(int(2000000) - 1000000);
    const n = int(kind === 3 ? 300 : 20);
    if (kind === 2) return 'abc'.repeat(n);
    return String.fromCharCode(...Array.from({ length: n }, () => int(256)));
  };
  const many = (n: number) => Array.from({ length: n }, text);
  const cmds: string[][] = [];
  for (let i = 0; i < 250; i++) {
    const key = `k${i}:${text().slice(0, 8)}`;
    switch (int(6)) {
      case 0:
        cmds.push(['SET', key, text()]);
        break;
      case 1:
        cmds.push(['RPUSH', key, ...many(1 + int(100))]);
        break;
      case 2:
        cmds.push(['SADD', key, ...(int(2) ? many(1 + int(50)) : Array.from({ length: 1 + int(600) }, () => String(int(1e6))))]);
        break;
      case 3:
        cmds.push(['HSET', key, ...many(2 * (1 + int(int(2) ? 10 : 100)))]);
        break;
      case 4:
        cmds.push(['ZADD', key, ...many(1 + int(int(2) ? 10 : 100)).flatMap((m) => [String(rnd() * 1000 - 500), m])]);
        break;
      default:
        cmds.push(['SET', key, text(), 'PX', String(1e8 + int(1e6))]);
    }
    if (i % 50 === 49) cmds.push(['SELECT', String(int(16))]);
  }
  try {
    await run(c, cmds);
  } finally {
    c.close();
  }
}

describe('RDB reader: truncated files', () => {
  let small: Buffer;
  let large: Buffer;
  let srv: RunningServer;
  before(async () => {
    srv = await startNodis();
    [small, large] = await Promise.all([smallFile(), largeFile(7)]);
  });
  after(() => srv.stop());

  const emptyDbs = () => srv.server.dbs.every((db) => db.size === 0);

  test('the test files themselves are valid and sized as intended', () => {
    assert.ok(small.length > 1500 && small.length < 4000, `small file is ${small.length} bytes`);
    assert.ok(large.length > 50000, `large file is ${large.length} bytes`);
    for (const f of [small, large, legacyFile()]) readRdb(f, ignore, CHECKED);
    const legacy = collector();
    readRdb(legacyFile(), legacy, CHECKED);
    assert.equal(legacy.keys.size, 14);
    assert.ok([...legacy.keys.values()].every((v) => v !== null));
  });

  test('every truncation of the small and legacy files: an RdbError, and loadRdb loads nothing', () => {
    for (const file of [small, legacyFile()]) {
      for (let n = 0; n < file.length; n++) {
        const cut = file.subarray(0, n);
        const e = rdbError(cut);
        assert.ok(e.offset >= 0 && e.offset <= n, `truncation at ${n}: offset ${e.offset}`);
        rdbError(cut, UNCHECKED);
        assert.throws(() => loadRdb(srv.server, cut), RdbError);
        assert.ok(emptyDbs(), `truncation at ${n} left keys behind`);
      }
    }
  });

  test('300 random truncations of the large file: an RdbError, and loadRdb loads nothing', () => {
    const rnd = mulberry32(11);
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(rnd() * large.length);
      const cut = large.subarray(0, n);
      assert.ok(rdbError(cut).offset <= n);
      assert.throws(() => loadRdb(srv.server, cut), RdbError);
      assert.ok(emptyDbs(), `truncation at ${n} left keys behind`);
    }
    assert.ok(loadRdb(srv.server, large).loaded > 0);
  });
});

/**
 * A copy of file with one random mutation: a flipped byte, a span of
 * random bytes, or a lying length (a 32- or 64-bit length prefix with a
 * huge value) written over the data.
 */
function mutate(file: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(file);
  const int = (n: number) => Math.floor(rnd() * n);
  const pos = int(out.length);
  const kind = int(4);
  if (kind === 0) {
    out[pos]! ^= 1 + int(255);
    return out;
  }
  const span =
    kind === 1
      ? Array.from({ length: 2 + int(15) }, () => int(256))
      : kind === 2
        ? [0x80, 0xff, 0xff, 0xff, int(256)]
        : [0x81, 0, 0, 0, int(256), int(256), int(256), int(256), int(256)];
  for (let i = 0; i < span.length && pos + i < out.length; i++) out[pos + i] = span[i]!;
  if (out.equals(file)) out[pos]! ^= 0xff;
  return out;
}

describe('RDB reader: random corruption', () => {
  let files: Buffer[];
  let srv: RunningServer;
  before(async () => {
    srv = await startNodis();
    files = [await smallFile(), legacyFile(), await largeFile(3)];
  });
  after(() => srv.stop());

  test('~2000 flips, garbage spans and lying lengths: refused with the CRC on (loading nothing); refused or parsed with it off, within bounded memory', () => {
    // A key the failed loads must leave alone, and nothing else.
    srv.server.dbs[0]!.add('untouched', 'v');
    const untouched = () => srv.server.dbs.every((db, i) => db.size === (i === 0 ? 1 : 0));
    const rnd = mulberry32(2024);
    let refusedUnchecked = 0;
    const runs = [800, 800, 400];
    for (const [f, file] of files.entries()) {
      for (let i = 0; i < runs[f]!; i++) {
        const bad = mutate(file, rnd);
        assert.throws(() => loadRdb(srv.server, bad), RdbError);
        assert.ok(untouched(), `mutation ${i} of file ${f} changed the dataset`);
        const biggest = largestAllocation(() => {
          try {
            readRdb(bad, ignore, UNCHECKED);
          } catch (e) {
            if (!(e instanceof RdbError)) throw e;
            refusedUnchecked++;
          }
        });
        assert.ok(biggest < HUGE_ALLOCATION, `mutation ${i}: allocated ${biggest} bytes`);
      }
    }
    // Most corruption is caught by parsing alone.
    assert.ok(refusedUnchecked > 1000, `only ${refusedUnchecked} refused without the CRC`);
  });
});

describe('RDB reader: lengths that lie fail fast', () => {
  const huge32 = [0x80, 0xff, 0xff, 0xff, 0xff];
  const len2p32 = [0x81, 0, 0, 0, 1, 0, 0, 0, 0];
  const cases: [string, Buffer][] = [
    ['a list claiming 2^32 elements', oneKey(1, 'l', [...len2p32, 1, 0x61, 1, 0x62])],
    ['a set claiming 2^32 members', oneKey(2, 's', [...len2p32, 1, 0x61])],
    ['a hash claiming 2^32-1 pairs', oneKey(4, 'h', [...huge32, 1, 0x61, 1, 0x62])],
    ['a ZSET_2 claiming 2^32 members', oneKey(5, 'z', [...len2p32, 1, 0x61, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f])],
    ['a quicklist claiming 2^32 nodes', oneKey(18, 'q', [...len2p32, 2, 10, ...encodeListpack(['a'])])],
    ['a string claiming 4 GB', oneKey(0, 's', [...huge32, 0x61, 0x62])],
    ['a string claiming 2^40 bytes (64-bit length)', oneKey(0, 's', [0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0x61])],
    ['a 64-bit length beyond 2^53', oneKey(0, 's', [0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x61])],
    ['an LZF string claiming a 2 GB expansion', oneKey(0, 's', [0xc3, 4, 0x80, 0x7f, 0xff, 0xff, 0xff, 2, 0x61, 0x62, 0x63])],
    ['an LZF string claiming a 4 GB expansion', oneKey(0, 's', [0xc3, 4, ...huge32, 2, 0x61, 0x62, 0x63])],
    ['an LZF string whose compressed length is 4 GB', oneKey(0, 's', [0xc3, ...huge32, 10, 2, 0x61, 0x62, 0x63])],
    [
      'a listpack entry claiming a 4 GB string',
      oneKey(16, 'h', [15, 15, 0, 0, 0, 0xff, 0xff, 0xf0, 0xff, 0xff, 0xff, 0xff, 0x61, 0x61, 6, 0xff]),
    ],
    ['an intset claiming 2^32-1 members', oneKey(11, 'i', [10, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0])],
    ['a ziplist claiming 4 GB', oneKey(10, 'z', [11, 0xff, 0xff, 0xff, 0xff, 10, 0, 0, 0, 0, 0, 0xff])],
  ];
  for (const [name, file] of cases) {
    test(name, () => {
      for (const opts of [CHECKED, UNCHECKED]) {
        let e: RdbError | undefined;
        const biggest = largestAllocation(() => (e = rdbError(file, opts)));
        assert.ok(biggest < 1024 * 1024, `allocated ${biggest} bytes`);
        assert.ok(e!.offset >= HEADER && e!.offset < file.length, `offset ${e!.offset}`);
      }
    });
  }
});

describe('RDB reader: specific errors and their offsets', () => {
  const at = (file: Buffer, offset: number, reason: RegExp | string) => {
    const e = rdbError(file);
    if (typeof reason === 'string') assert.equal(e.reason, reason);
    else assert.match(e.reason, reason);
    assert.equal(e.offset, offset, `${e.message}: expected offset ${offset}`);
    assert.equal(e.message, `${e.reason} at offset ${e.offset}`);
  };
  const valid = () => rdbFile(body((o) => (o.byte(0), o.string('k'), o.string('v'))));

  test('wrong magic, unsupported versions', () => {
    const bad = valid();
    bad.write('REDIX', 0, 'latin1');
    at(bad, 0, 'Wrong signature trying to load DB from file');
    at(Buffer.from('REDIS'), 0, /too short/);
    for (const v of ['0012', '0000', 'abcd', '010 ']) {
      const f = valid();
      f.write(v, 5, 'latin1');
      at(f, 5, `Can't handle RDB format version ${v}`);
    }
  });

  test('unknown value types and opcodes name the type byte', () => {
    for (const type of [0x20, 8, 22, 0xf0, 0xf4]) {
      let typeAt = 0;
      const f = rdbFile(
        body((o, mark) => {
          o.byte(0);
          o.string('before');
          o.string('v');
          typeAt = mark();
          o.byte(type);
          o.string('key');
          o.string('value');
        }),
      );
      at(f, typeAt, `Unknown RDB value type ${type}`);
    }
  });

  test('stream and module values name the key and the type, at the type byte', () => {
    for (const [type, name] of [
      [15, 'stream'],
      [19, 'stream'],
      [21, 'stream'],
      [7, 'module'],
      [6, 'module'],
    ] as const) {
      let typeAt = 0;
      const f = rdbFile(
        body((o, mark) => {
          o.byte(250);
          o.string('redis-ver');
          o.string('7.0.15');
          typeAt = mark();
          o.byte(type);
          o.string('my\x01key');
          o.raw(Buffer.from([1, 2, 3, 4]));
        }),
      );
      at(f, typeAt, `Key 'my\\x01key' holds a ${name} value (RDB type ${type}), which nodis does not support`);
    }
  });

  test('module aux data and function libraries are refused at their opcode', () => {
    for (const [op, what] of [
      [0xf7, /module AUX/],
      [0xf5, /function library/],
      [0xf6, /function library/],
    ] as const) {
      let opAt = 0;
      const f = rdbFile(
        body((o, mark) => {
          o.byte(0);
          o.string('k');
          o.string('v');
          opAt = mark();
          o.byte(op);
          o.raw(Buffer.from([2, 0x61, 0x62, 0, 0, 0]));
        }),
      );
      at(f, opAt, what);
    }
  });

  test('a missing EOF, a bad or missing checksum', () => {
    const good = valid();
    const noEof = good.subarray(0, good.length - 9);
    at(noEof, noEof.length, 'Unexpected end of data reading a type or opcode');
    const flipped = Buffer.from(good);
    flipped[HEADER + 2]! ^= 0x20;
    at(flipped, good.length - 8, 'RDB CRC error');
    const badCrc = Buffer.from(good);
    badCrc[good.length - 1]! ^= 1;
    at(badCrc, good.length - 8, 'RDB CRC error');
    at(good.subarray(0, good.length - 3), good.length - 8, 'Unexpected end of data reading the checksum');
    // A zero checksum is a file saved with rdbchecksum off; versions before 5 have none.
    const zero = Buffer.from(good);
    zero.fill(0, good.length - 8);
    readRdb(zero, ignore, CHECKED);
    readRdb(
      rdbFile(
        body((o) => (o.byte(0), o.string('k'), o.string('v'))),
        4,
      ),
      ignore,
      CHECKED,
    );
  });

  test('SELECTDB beyond `databases` and a duplicate key fail at their record when loading', async () => {
    const srv = await startNodis();
    try {
      let selectAt = 0;
      const select = rdbFile(
        body((o, mark) => {
          o.byte(0);
          o.string('k');
          o.string('v');
          selectAt = mark();
          o.byte(254);
          o.length(16);
          o.byte(0);
          o.string('k2');
          o.string('v');
        }),
      );
      readRdb(select, ignore, CHECKED);
      const e1 = assertLoadFails(srv, select);
      assert.equal(e1.offset, selectAt);
      assert.match(e1.reason, /more than 16 databases/);

      let dupAt = 0;
      const dup = rdbFile(
        body((o, mark) => {
          o.byte(254);
          o.length(3);
          o.byte(0);
          o.string('k');
          o.string('v');
          o.byte(252);
          o.u64le(4102444800000);
          dupAt = mark();
          o.byte(0);
          o.string('k');
          o.string('w');
        }),
      );
      const e2 = assertLoadFails(srv, dup);
      assert.equal(e2.offset, dupAt);
      assert.equal(e2.reason, "RDB has duplicated key 'k' in DB 3");
    } finally {
      await srv.stop();
    }
  });

  test('duplicate members, fields and NaN scores fail inside the value that holds them', () => {
    const cases: [string, number, (o: RdbOutput) => void][] = [
      ['Duplicate set members detected', 2, (o) => (o.length(3), o.string('a'), o.string('b'), o.string('a'))],
      ['Invalid intset', 11, (o) => o.string(intset(2, [1, 1]))],
      ['Duplicate hash fields detected', 4, (o) => (o.length(2), o.string('f'), o.string('1'), o.string('f'), o.string('2'))],
      ['Duplicate hash fields detected', 16, (o) => o.string(encodeListpack(['f', '1', 'f', '2']))],
      ['Duplicate hash fields detected', 13, (o) => o.string(ziplist(['f', 1, 'f', 2]))],
      [
        'Duplicate hash fields detected',
        9,
        (o) =>
          o.string(
            zipmap([
              ['f', '1'],
              ['f', '2'],
            ]),
          ),
      ],
      ['Duplicate zset fields detected', 5, (o) => (o.length(2), o.string('m'), o.binaryDouble(1), o.string('m'), o.binaryDouble(2))],
      ['Duplicate zset fields detected', 17, (o) => o.string(encodeListpack(['m', '1', 'm', '2']))],
      ['Zset with NAN score detected', 5, (o) => (o.length(2), o.string('m'), o.binaryDouble(1), o.string('n'), o.binaryDouble(NaN))],
      ['Zset with NAN score detected', 3, (o) => (o.length(1), o.string('m'), o.byte(253))],
    ];
    for (const [reason, type, write] of cases) {
      let start = 0;
      let end = 0;
      const f = rdbFile(
        body((o, mark) => {
          start = mark();
          o.byte(type);
          o.string('key');
          write(o);
          end = mark();
        }),
      );
      const e = rdbError(f);
      assert.match(e.reason, new RegExp(reason), `type ${type}: ${e.message}`);
      assert.ok(e.offset >= start && e.offset < end, `type ${type}: offset ${e.offset} outside [${start}, ${end})`);
    }
  });

  test('empty aggregates are skipped, not an error', async () => {
    const f = rdbFile(
      body((o) => {
        const empty: [number, (o: RdbOutput) => void][] = [
          [1, (o) => o.length(0)],
          [2, (o) => o.length(0)],
          [3, (o) => o.length(0)],
          [4, (o) => o.length(0)],
          [5, (o) => o.length(0)],
          [10, (o) => o.string(ziplist([]))],
          [11, (o) => o.string(intset(2, []))],
          [12, (o) => o.string(ziplist([]))],
          [13, (o) => o.string(ziplist([]))],
          [14, (o) => o.length(0)],
          [16, (o) => o.string(encodeListpack([]))],
          [17, (o) => o.string(encodeListpack([]))],
          [18, (o) => o.length(0)],
          [18, (o) => (o.length(1), o.length(2), o.string(encodeListpack([])))],
        ];
        empty.forEach(([type, write], i) => {
          o.byte(type);
          o.string(`empty${i}`);
          write(o);
        });
        o.byte(0);
        o.string('real');
        o.string('v');
      }),
    );
    const seen = collector();
    readRdb(f, seen, CHECKED);
    assert.equal(seen.keys.size, 15);
    assert.equal([...seen.keys.values()].filter((v) => v === null).length, 14);
    const srv = await startNodis();
    try {
      assert.equal(loadRdb(srv.server, f).loaded, 1);
      assert.deepEqual([...srv.server.dbs[0]!.dict.keys()], ['real']);
    } finally {
      await srv.stop();
    }
  });
});

/** loadRdb's RdbError on file, after checking the dbs were left empty. */
function assertLoadFails(srv: RunningServer, file: Buffer): RdbError {
  let err: RdbError | undefined;
  assert.throws(
    () => loadRdb(srv.server, file),
    (e) => {
      err = e as RdbError;
      return e instanceof RdbError;
    },
  );
  assert.ok(srv.server.dbs.every((db) => db.size === 0));
  return err!;
}
