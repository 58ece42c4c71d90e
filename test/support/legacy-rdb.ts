/**
 * A test-only writer of the RDB forms Redis 7.0 still loads but no longer
 * writes: the zipmap (type 9), ziplists (types 10, 12, 13), quicklists of
 * ziplists (14), the plain LIST (1), the ZSET with text scores (3),
 * EXPIRETIME in seconds (opcode 253) and files of versions below 10
 * (no CRC-64 at all before version 5). Written from the published format
 * descriptions, checked against the truth: real Redis 7.0 loads what it
 * writes. Clarity over speed: it builds a few small files per test run.
 */
import { Crc64 } from '../../src/persistence/rdb/crc64.js';

/**
 * Type bytes and opcodes this writer emits, written out here rather than
 * taken from src/persistence/rdb/constants.ts on purpose: a wrong constant
 * there must not be able to hide by being used on both sides of a test.
 */
export const LegacyType = {
  String: 0,
  List: 1,
  Set: 2,
  Zset: 3,
  Hash: 4,
  Zset2: 5,
  HashZipmap: 9,
  ListZiplist: 10,
  SetIntset: 11,
  ZsetZiplist: 12,
  HashZiplist: 13,
  ListQuicklist: 14,
} as const;

const OP_AUX = 250;
const OP_RESIZEDB = 251;
const OP_EXPIRETIME_MS = 252;
const OP_EXPIRETIME = 253;
const OP_SELECTDB = 254;
const OP_EOF = 255;

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** An RDB length: 6-bit, 14-bit (big-endian), or 0x80 + 32-bit big-endian. */
export function rdbLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

/** An RDB string in its plain form (length then bytes). */
export function rdbString(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? latin1(s) : s;
  return Buffer.concat([rdbLength(b.length), b]);
}

/** The int64 s stands for when it is one in canonical form (what a ziplist stores as an integer), else null. */
function canonicalInt(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : null;
}

/** A ziplist entry's encoding and data for s: the smallest integer form, else a 6-, 14- or 32-bit string length. */
function ziplistPayload(s: string): Buffer {
  const v = canonicalInt(s);
  if (v !== null) {
    const n = Number(v);
    if (v >= 0n && v <= 12n) return Buffer.from([0xf1 + n]);
    if (v >= -128n && v <= 127n) return Buffer.from([0xfe, n & 0xff]);
    const b = Buffer.alloc(9);
    if (v >= -32768n && v <= 32767n) {
      b[0] = 0xc0;
      b.writeInt16LE(n, 1);
      return b.subarray(0, 3);
    }
    if (v >= -8388608n && v <= 8388607n) {
      b[0] = 0xf0;
      b.writeIntLE(n, 1, 3);
      return b.subarray(0, 4);
    }
    if (v >= -2147483648n && v <= 2147483647n) {
      b[0] = 0xd0;
      b.writeInt32LE(n, 1);
      return b.subarray(0, 5);
    }
    b[0] = 0xe0;
    b.writeBigInt64LE(v, 1);
    return b;
  }
  const data = latin1(s);
  const n = data.length;
  let head: Buffer;
  if (n < 64) head = Buffer.from([n]);
  else if (n < 16384) head = Buffer.from([0x40 | (n >> 8), n & 0xff]);
  else {
    head = Buffer.alloc(5);
    head[0] = 0x80;
    head.writeUInt32BE(n, 1);
  }
  return Buffer.concat([head, data]);
}

/** A ziplist prevlen field: one byte below 254, else 0xfe and 4 bytes little-endian. */
function prevlen(n: number): Buffer {
  if (n < 254) return Buffer.from([n]);
  const b = Buffer.alloc(5);
  b[0] = 0xfe;
  b.writeUInt32LE(n, 1);
  return b;
}

/**
 * A ziplist of items: zlbytes, zltail (offset of the last entry), zllen
 * (count, or 65535 when it does not fit) as little-endian header, then
 * entries of prevlen, encoding and data, then 0xff.
 */
export function ziplist(items: readonly string[]): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  let offset = 10;
  let tail = 10;
  for (const s of items) {
    const e = Buffer.concat([prevlen(prev), ziplistPayload(s)]);
    entries.push(e);
    tail = offset;
    offset += e.length;
    prev = e.length;
  }
  const header = Buffer.alloc(10);
  header.writeUInt32LE(offset + 1, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(Math.min(items.length, 65535), 8);
  return Buffer.concat([header, ...entries, Buffer.from([0xff])]);
}

/** A zipmap length: one byte below 254, else 254 and 4 bytes little-endian. */
function zipmapLength(n: number): Buffer {
  if (n < 254) return Buffer.from([n]);
  const b = Buffer.alloc(5);
  b[0] = 254;
  b.writeUInt32LE(n, 1);
  return b;
}

/**
 * A zipmap of [field, value] pairs: a count byte (254 when it does not
 * fit), then per pair the field's length and bytes, the value's length, a
 * free-byte count and the value followed by that many unused bytes; then
 * 0xff. `free` gives each value that many trailing unused bytes.
 */
export function zipmap(pairs: readonly (readonly [string, string])[], free = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([Math.min(pairs.length, 254)])];
  for (const [f, v] of pairs) {
    parts.push(zipmapLength(f.length), latin1(f), zipmapLength(v.length), Buffer.from([free]), latin1(v), Buffer.alloc(free, 0x2a));
  }
  parts.push(Buffer.from([0xff]));
  return Buffer.concat(parts);
}

/** An intset of integer members: encoding width (2, 4 or 8), count, then the members ascending, all little-endian. */
export function intset(members: readonly bigint[]): Buffer {
  const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fits = (w: bigint) => sorted.every((m) => m >= -(1n << (w - 1n)) && m < 1n << (w - 1n));
  const width = fits(16n) ? 2 : fits(32n) ? 4 : 8;
  const b = Buffer.alloc(8 + width * sorted.length);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(sorted.length, 4);
  sorted.forEach((m, i) => {
    if (width === 8) b.writeBigInt64LE(m, 8 + i * 8);
    else b.writeIntLE(Number(m), 8 + i * width, width);
  });
  return b;
}

/** A score as the old ZSET stores it: a length byte then ASCII, or 253/254/255 for NaN/+inf/-inf. */
export function textDouble(d: number): Buffer {
  if (Number.isNaN(d)) return Buffer.from([253]);
  if (d === Infinity) return Buffer.from([254]);
  if (d === -Infinity) return Buffer.from([255]);
  const text = Object.is(d, -0) ? '-0' : String(d);
  return Buffer.concat([Buffer.from([text.length]), latin1(text)]);
}

/** A score as ZSET_2 stores it: 8 bytes little-endian IEEE 754. */
export function binaryDouble(d: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d, 0);
  return b;
}

/** Value bodies (what follows the type byte and key) for each legacy type. */
export const body = {
  string: (s: string) => rdbString(s),
  list: (items: readonly string[]) => Buffer.concat([rdbLength(items.length), ...items.map((s) => rdbString(s))]),
  set: (members: readonly string[]) => body.list(members),
  hash: (pairs: readonly (readonly [string, string])[]) =>
    Buffer.concat([rdbLength(pairs.length), ...pairs.flatMap(([f, v]) => [rdbString(f), rdbString(v)])]),
  zsetText: (entries: readonly (readonly [string, number])[]) =>
    Buffer.concat([rdbLength(entries.length), ...entries.flatMap(([m, s]) => [rdbString(m), textDouble(s)])]),
  zsetBinary: (entries: readonly (readonly [string, number])[]) =>
    Buffer.concat([rdbLength(entries.length), ...entries.flatMap(([m, s]) => [rdbString(m), binaryDouble(s)])]),
  ziplist: (items: readonly string[]) => rdbString(ziplist(items)),
  zipmap: (pairs: readonly (readonly [string, string])[], free = 0) => rdbString(zipmap(pairs, free)),
  intset: (members: readonly bigint[]) => rdbString(intset(members)),
  /** A quicklist of ziplists: node count, then each node's ziplist as a string. */
  quicklist: (nodes: readonly (readonly string[])[]) =>
    Buffer.concat([rdbLength(nodes.length), ...nodes.map((n) => rdbString(ziplist(n)))]),
  /** Pairs flattened into a ziplist (hash fields and values, zset members and score texts). */
  pairsZiplist: (pairs: readonly (readonly [string, string])[]) => rdbString(ziplist(pairs.flat())),
};

/**
 * Builds an RDB file of a given version piece by piece: "REDIS" and the
 * version as four digits, then opcodes and keys in call order, then EOF
 * and (version 5 on) the CRC-64 of everything before it.
 */
export class LegacyRdbWriter {
  private readonly parts: Buffer[];
  /** How many keys have been written. */
  keys = 0;

  constructor(readonly version: number) {
    this.parts = [latin1(`REDIS${String(version).padStart(4, '0')}`)];
  }

  aux(name: string, value: string): this {
    this.parts.push(Buffer.from([OP_AUX]), rdbString(name), rdbString(value));
    return this;
  }

  selectDb(db: number): this {
    this.parts.push(Buffer.from([OP_SELECTDB]), rdbLength(db));
    return this;
  }

  resizeDb(keys: number, expires: number): this {
    this.parts.push(Buffer.from([OP_RESIZEDB]), rdbLength(keys), rdbLength(expires));
    return this;
  }

  /** EXPIRETIME (seconds, 4 bytes little-endian) for the next key. */
  expireSeconds(s: number): this {
    const b = Buffer.alloc(5);
    b[0] = OP_EXPIRETIME;
    b.writeUInt32LE(s, 1);
    this.parts.push(b);
    return this;
  }

  /** EXPIRETIME_MS (8 bytes little-endian) for the next key. */
  expireMs(ms: number): this {
    const b = Buffer.alloc(9);
    b[0] = OP_EXPIRETIME_MS;
    b.writeBigUInt64LE(BigInt(ms), 1);
    this.parts.push(b);
    return this;
  }

  key(type: number, key: string, valueBody: Buffer): this {
    this.parts.push(Buffer.from([type]), rdbString(key), valueBody);
    this.keys++;
    return this;
  }

  /**
   * The finished file. From version 5 on it ends with the CRC-64, or with
   * eight zero bytes when `checksum` is false (what a writer with
   * rdbchecksum off leaves, and loaders accept without checking).
   */
  finish(checksum = true): Buffer {
    const file = Buffer.concat([...this.parts, Buffer.from([OP_EOF])]);
    if (this.version < 5) return file;
    if (!checksum) return Buffer.concat([file, Buffer.alloc(8)]);
    const crc = new Crc64();
    crc.update(file);
    return Buffer.concat([file, crc.bytes()]);
  }
}
