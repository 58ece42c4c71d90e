/**
 * Redis 7.0's listpack, the compact encoding of small lists, hashes, sets
 * and sorted sets (and of each node of a quicklist).
 *
 * Layout: total bytes (u32 LE), entry count (u16 LE; 65535 means "count
 * them"), the entries, then 0xFF. Each entry is an encoding byte (with its
 * data) followed by its "backlen": the size of encoding + data written in
 * 1 to 5 bytes of 7 bits, most significant first, every byte but the first
 * having its top bit set, so it can be parsed right to left.
 *
 * Encodings (first byte):
 *   0xxxxxxx            7-bit unsigned integer
 *   10LLLLLL            string of up to 63 bytes
 *   110xxxxx xxxxxxxx   13-bit signed integer (big-endian across the two bytes)
 *   1110LLLL LLLLLLLL   string of up to 4095 bytes
 *   0xF0 + u32 LE       string of any length
 *   0xF1/F2/F3/F4       16/24/32/64-bit signed little-endian integer
 * Integers are decoded to their decimal text; strings are latin1.
 *
 * The int64 helpers at the end are shared with the ziplist and intset codecs.
 */
import { BlobError } from './errors.js';
import { latin1Of, writeLatin1 } from '../../util/bytes.js';
import { parseLL } from '../../util/numbers.js';

const HEADER = 6;
const UNKNOWN_COUNT = 65535;
const EOF_BYTE = 0xff;

/** Decimal texts of 0..127, made once: most listpack integers are small. */
const SMALL_INTS: readonly string[] = Array.from({ length: 128 }, (_, i) => String(i));

/**
 * Scratch space encodeListpack builds into, results copied out. It grows on
 * demand but is not kept above SCRATCH_KEEP bytes, so one huge listpack does
 * not pin its memory.
 */
const SCRATCH_INITIAL = 4096;
const SCRATCH_KEEP = 1 << 20;
let scratch = Buffer.allocUnsafe(SCRATCH_INITIAL);

/** The entries of a listpack blob, in order, as latin1 strings. Validates header length, every entry's bounds and backlen, the count (unless 65535), and the end byte. */
export function listpackEntries(blob: Buffer, start = 0, end = blob.length): string[] {
  if (start < 0 || end > blob.length || end - start < HEADER + 1) throw new BlobError('listpack is shorter than its header');
  const total = readU32(blob, start);
  if (total !== end - start) throw new BlobError(`listpack header says ${total} bytes but the blob has ${end - start}`);
  if (blob[end - 1] !== EOF_BYTE) throw new BlobError('listpack has bad end marker');
  const count = blob[start + 4]! | (blob[start + 5]! << 8);
  const out: string[] = [];
  const last = end - 1;
  let p = start + HEADER;
  while (p < last) {
    // Each branch sets `next` to the end of the entry's encoding and data, checks it, then decodes.
    const b = blob[p]!;
    let next: number;
    let value: string;
    if (b < 0x80) {
      next = p + 1;
      value = SMALL_INTS[b]!;
    } else if (b < 0xc0) {
      next = p + 1 + (b & 0x3f);
      if (next > last) throw overrun();
      value = latin1Of(blob, p + 1, next);
    } else if (b < 0xe0) {
      next = p + 2;
      if (next > last) throw overrun();
      const v = ((b & 0x1f) << 8) | blob[p + 1]!;
      value = String(v >= 4096 ? v - 8192 : v);
    } else if (b < 0xf0) {
      if (p + 2 > last) throw overrun();
      next = p + 2 + (((b & 0x0f) << 8) | blob[p + 1]!);
      if (next > last) throw overrun();
      value = latin1Of(blob, p + 2, next);
    } else if (b === 0xf0) {
      if (p + 5 > last) throw overrun();
      next = p + 5 + readU32(blob, p + 1);
      if (next > last) throw overrun();
      value = latin1Of(blob, p + 5, next);
    } else if (b === 0xf1) {
      next = p + 3;
      if (next > last) throw overrun();
      value = String(((blob[p + 1]! | (blob[p + 2]! << 8)) << 16) >> 16);
    } else if (b === 0xf2) {
      next = p + 4;
      if (next > last) throw overrun();
      value = String(((blob[p + 1]! | (blob[p + 2]! << 8) | (blob[p + 3]! << 16)) << 8) >> 8);
    } else if (b === 0xf3) {
      next = p + 5;
      if (next > last) throw overrun();
      value = String(readI32(blob, p + 1));
    } else if (b === 0xf4) {
      next = p + 9;
      if (next > last) throw overrun();
      value = int64Text(blob, p + 1);
    } else {
      throw new BlobError(`listpack entry has invalid encoding byte 0x${b.toString(16)}`);
    }
    p = checkBacklen(blob, next, next - p, last);
    out.push(value);
  }
  if (p !== last) throw overrun();
  if (count !== UNKNOWN_COUNT && count !== out.length) {
    throw new BlobError(`listpack header says ${count} entries but it holds ${out.length}`);
  }
  return out;
}

/**
 * Checks that the backlen at blob[at] encodes entryLen and lies before `last`
 * (the end byte); returns the position after it.
 */
function checkBacklen(blob: Buffer, at: number, entryLen: number, last: number): number {
  const size = backlenSize(entryLen);
  if (at + size > last) throw overrun();
  let v = blob[at]!;
  if (v & 0x80) throw badBacklen();
  for (let i = 1; i < size; i++) {
    const c = blob[at + i]!;
    if (!(c & 0x80)) throw badBacklen();
    v = v * 128 + (c & 0x7f);
  }
  if (v !== entryLen) throw badBacklen();
  return at + size;
}

function overrun(): BlobError {
  return new BlobError('listpack entry runs past the end of the blob');
}

function badBacklen(): BlobError {
  return new BlobError('listpack entry has a backlen that does not match its size');
}

/** Bytes the backlen of an entry of entryLen bytes takes (1..5). */
function backlenSize(entryLen: number): number {
  if (entryLen < 128) return 1;
  if (entryLen < 16384) return 2;
  if (entryLen < 2097152) return 3;
  return entryLen < 268435456 ? 4 : 5;
}

/** Bytes of a string entry's encoding header for a string of len bytes: 6-bit, 12-bit or 32-bit length. */
function stringHeaderSize(len: number): number {
  return len < 64 ? 1 : len < 4096 ? 2 : 5;
}

/** Bytes of the smallest integer encoding (header and data) that holds n: 7-bit, 13, 16, 24, 32 or 64-bit. */
function intBodySize(n: number): number {
  if (n >= 0 && n < 128) return 1;
  if (n >= -4096 && n < 4096) return 2;
  if (n >= -32768 && n < 32768) return 3;
  if (n >= -8388608 && n < 8388608) return 4;
  return n >= -2147483648 && n < 2147483648 ? 5 : 9;
}

/** The integer value of s when a listpack stores it as an integer (a canonical int64 text, string2ll's rule), else null. */
function listpackInt(s: string): number | null {
  return s.length <= 20 ? parseLL(s) : null;
}

/** The bytes s takes as a listpack entry (encoding, data and backlen), with encodeListpack's choice of encoding. */
export function listpackEntryBytes(s: string): number {
  const n = listpackInt(s);
  const body = n === null ? stringHeaderSize(s.length) + s.length : intBodySize(n);
  return body + backlenSize(body);
}

/**
 * A listpack holding items (latin1 strings) with Redis's choice of encodings:
 * a canonical int64 text (string2ll's rule) gets the smallest integer
 * encoding, any other string the smallest string-length encoding. The count
 * field saturates at 65535 for longer lists, as in Redis.
 */
export function encodeListpack(items: readonly string[]): Buffer {
  let buf = scratch;
  let p = HEADER;
  for (let i = 0; i < items.length; i++) {
    const s = items[i]!;
    const need = p + s.length + 16;
    if (need > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(grown, 0, 0, p);
      buf = scratch = grown;
    }
    const entryStart = p;
    const n = listpackInt(s);
    if (n === null) {
      const len = s.length;
      switch (stringHeaderSize(len)) {
        case 1:
          buf[p++] = 0x80 | len;
          break;
        case 2:
          buf[p++] = 0xe0 | (len >>> 8);
          buf[p++] = len & 0xff;
          break;
        default:
          buf[p++] = 0xf0;
          writeU32(buf, p, len);
          p += 4;
      }
      p += writeLatin1(buf, s, p);
    } else {
      switch (intBodySize(n)) {
        case 1:
          buf[p++] = n;
          break;
        case 2:
          buf[p++] = 0xc0 | ((n >>> 8) & 0x1f);
          buf[p++] = n & 0xff;
          break;
        case 3:
          buf[p++] = 0xf1;
          buf[p++] = n & 0xff;
          buf[p++] = (n >> 8) & 0xff;
          break;
        case 4:
          buf[p++] = 0xf2;
          buf[p++] = n & 0xff;
          buf[p++] = (n >> 8) & 0xff;
          buf[p++] = (n >> 16) & 0xff;
          break;
        case 5:
          buf[p++] = 0xf3;
          writeU32(buf, p, n);
          p += 4;
          break;
        default:
          buf[p++] = 0xf4;
          writeInt64(buf, p, s, n);
          p += 8;
      }
    }
    p = writeBacklen(buf, p, p - entryStart);
  }
  buf[p++] = EOF_BYTE;
  writeU32(buf, 0, p);
  const count = Math.min(items.length, UNKNOWN_COUNT);
  buf[4] = count & 0xff;
  buf[5] = count >>> 8;
  const out = Buffer.allocUnsafe(p);
  buf.copy(out, 0, 0, p);
  if (buf.length > SCRATCH_KEEP) scratch = Buffer.allocUnsafe(SCRATCH_INITIAL);
  return out;
}

/** Writes the backlen for an entry of len bytes at buf[p]; returns the position after it. */
function writeBacklen(buf: Buffer, p: number, len: number): number {
  const size = backlenSize(len);
  let shift = (size - 1) * 7;
  buf[p++] = (len >>> shift) & 0x7f;
  for (let i = 1; i < size; i++) {
    shift -= 7;
    buf[p++] = 0x80 | ((len >>> shift) & 0x7f);
  }
  return p;
}

/** Unsigned 32-bit little-endian integer at buf[p] (the caller checked bounds). */
export function readU32(buf: Buffer, p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16)) + buf[p + 3]! * 0x1000000;
}

/** Signed 32-bit little-endian integer at buf[p] (the caller checked bounds). */
export function readI32(buf: Buffer, p: number): number {
  return buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
}

/** Writes the low 32 bits of v little-endian at buf[p] (the caller made room). */
export function writeU32(buf: Buffer, p: number, v: number): void {
  buf[p] = v & 0xff;
  buf[p + 1] = (v >>> 8) & 0xff;
  buf[p + 2] = (v >>> 16) & 0xff;
  buf[p + 3] = (v >>> 24) & 0xff;
}

/**
 * Decimal text of the signed 64-bit little-endian integer at buf[p] (the
 * caller checked bounds). Exact: values beyond 2^53 go through BigInt, the
 * rare case.
 */
export function int64Text(buf: Buffer, p: number): string {
  const lo = readU32(buf, p);
  const hi = readI32(buf, p + 4);
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 0x100000000 + lo);
  return buf.readBigInt64LE(p).toString();
}

/**
 * Compares the signed 64-bit little-endian integers at buf[a] and buf[b]
 * (the caller checked bounds): negative, zero or positive like x - y.
 */
export function compareInt64(buf: Buffer, a: number, b: number): number {
  const d = readI32(buf, a + 4) - readI32(buf, b + 4);
  return d !== 0 ? d : readU32(buf, a) - readU32(buf, b);
}

/**
 * Writes the int64 whose canonical text is s and whose (possibly rounded)
 * value is n little-endian at buf[p]. Safe integers are split into halves;
 * others, beyond 2^53, are converted exactly through BigInt.
 */
export function writeInt64(buf: Buffer, p: number, s: string, n: number): void {
  if (Number.isSafeInteger(n)) {
    const hi = Math.floor(n / 0x100000000);
    writeU32(buf, p, n - hi * 0x100000000);
    writeU32(buf, p + 4, hi);
  } else {
    buf.writeBigInt64LE(BigInt(s), p);
  }
}
