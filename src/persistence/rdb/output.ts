/**
 * RdbOutput: the byte buffer RDB serialization writes into. It grows as
 * needed, knows the RDB's primitive encodings (lengths, strings with their
 * integer and LZF forms, binary doubles, little-endian times), and hands
 * its bytes out in chunks with take(), folding each chunk into a running
 * CRC-64 so a streamed file can end with the checksum of all it sent.
 *
 * Strings are written as Redis's rdbSaveRawString does: a string of at most
 * 11 bytes that is a canonical integer fitting 32 bits gets the int8/16/32
 * encoding; with compression on, a string longer than 20 bytes is LZF-
 * compressed when that saves at least 4 bytes; otherwise length + bytes.
 */
import { Crc64 } from './crc64.js';
import { lzfCompress } from './lzf.js';
import { RDB_14BIT, RDB_32BIT, RDB_64BIT, RDB_ENCVAL, RdbEnc } from './constants.js';
import { writeLatin1, type Bytes } from '../../util/bytes.js';
import { parseLL } from '../../util/numbers.js';

const INITIAL_BYTES = 64 * 1024;

export class RdbOutput {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private pos = 0;
  /** Bytes handed out by take() so far. */
  taken = 0;
  private readonly crc: Crc64 | null;

  constructor(
    /** LZF-compress long strings (rdbcompression). */
    readonly compress: boolean,
    /** Keep a CRC-64 of everything taken (rdbchecksum). */
    checksum: boolean,
  ) {
    this.crc = checksum ? new Crc64() : null;
  }

  /** Bytes written and not yet taken. */
  get pending(): number {
    return this.pos;
  }

  /** Makes room for n more bytes. */
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /**
   * The bytes written since the last take(), as a new Buffer the caller
   * owns, folded into the checksum.
   */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    if (this.crc !== null) this.crc.update(out);
    this.taken += out.length;
    this.pos = 0;
    return out;
  }

  /** The CRC-64 of every byte taken so far (8 bytes LE), or 8 zero bytes when checksums are off. */
  checksum(): Buffer {
    return this.crc !== null ? this.crc.bytes() : Buffer.alloc(8);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** An RDB length: 6, 14, 32 or 64 bits by size. */
  length(n: number): void {
    this.reserve(9);
    const buf = this.buf;
    if (n < 64) buf[this.pos++] = n;
    else if (n < 16384) {
      buf[this.pos++] = (RDB_14BIT << 6) | (n >>> 8);
      buf[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      buf[this.pos++] = RDB_32BIT;
      buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      buf[this.pos++] = RDB_64BIT;
      buf.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** A 64-bit little-endian unsigned integer (EXPIRETIME_MS, module ids). */
  u64le(n: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(n), this.pos);
    this.pos += 8;
  }

  /** A binary double, 8 bytes little-endian (ZSET_2 scores). */
  binaryDouble(d: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** A byte string (latin1 string or Buffer) in Redis's string encoding. */
  string(s: Bytes): void {
    const n = s.length;
    if (n <= 11 && n > 0 && this.intString(s)) return;
    if (this.compress && n > 20 && this.lzfString(s)) return;
    this.length(n);
    this.reserve(n);
    if (typeof s === 'string') this.pos += writeLatin1(this.buf, s, this.pos);
    else {
      this.buf.set(s, this.pos);
      this.pos += n;
    }
  }

  /** Writes s with an integer encoding when it is a canonical integer fitting 32 bits; returns whether it did. */
  private intString(s: Bytes): boolean {
    const c = typeof s === 'string' ? s.charCodeAt(0) : s[0]!;
    if (c !== 45 && (c < 48 || c > 57)) return false;
    const v = parseLL(typeof s === 'string' ? s : s.latin1Slice(0, s.length));
    if (v === null || v < -2147483648 || v > 2147483647) return false;
    this.integer(v);
    return true;
  }

  /** An integer that fits 32 bits, as Redis encodes it in a string slot: int8/16/32. */
  private integer(v: number): void {
    this.reserve(5);
    const buf = this.buf;
    if (v >= -128 && v <= 127) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RdbEnc.Int8;
      buf.writeInt8(v, this.pos);
      this.pos += 1;
    } else if (v >= -32768 && v <= 32767) {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RdbEnc.Int16;
      buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else {
      buf[this.pos++] = (RDB_ENCVAL << 6) | RdbEnc.Int32;
      buf.writeInt32LE(v, this.pos);
      this.pos += 4;
    }
  }

  /** Writes s LZF-compressed when that saves at least 4 bytes; returns whether it did. */
  private lzfString(s: Bytes): boolean {
    const src = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    const packed = lzfCompress(src, 0, src.length, src.length - 4);
    if (packed === null) return false;
    this.byte((RDB_ENCVAL << 6) | RdbEnc.Lzf);
    this.length(packed.length);
    this.length(src.length);
    this.raw(packed);
    return true;
  }
}
