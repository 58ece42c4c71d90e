/**
 * RdbCursor: reads the RDB format's primitives from a Buffer, checking
 * every read against the end, so truncated or lying input ends in an
 * RdbError naming the offset and what was being read, never in a read
 * past the end or a huge allocation.
 */
import { RdbError, BlobError } from './errors.js';
import { RDB_14BIT, RDB_32BIT, RDB_64BIT, RDB_6BIT, RDB_ENCVAL, RdbEnc } from './constants.js';
import { lzfDecompress } from './lzf.js';
import { latin1Of } from '../../util/bytes.js';
import { parseDouble } from '../../util/numbers.js';

/** Largest string the reader accepts (Redis's proto-max-bulk-len ceiling). */
const MAX_STRING_BYTES = 2 ** 31;
/** Most bytes one byte of LZF data can expand to: a 3-byte back reference copies at most 264. */
const LZF_MAX_EXPANSION = 88;

/** V8's longest string (2^29 - 24 one-byte chars): a longer value cannot be held as a key or element. */
const MAX_JS_STRING = 2 ** 29 - 24;

export class RdbCursor {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  /** Throws an RdbError at the current offset. */
  fail(reason: string, at = this.pos): never {
    throw new RdbError(reason, at);
  }

  /** Checks that n more bytes exist; `what` names the read for the error. */
  need(n: number, what: string): void {
    if (this.pos + n > this.end) this.fail(`Unexpected end of data reading ${what}`);
  }

  byte(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  /**
   * An RDB length. Returns the value, or -1 - encoding for a special
   * encoding (the RDB_ENCVAL prefix, for strings only): use lengthOrEncoding
   * to see those, length() to reject them.
   */
  lengthOrEncoding(what: string): number {
    const start = this.pos;
    const first = this.byte(what);
    const kind = first >> 6;
    if (kind === RDB_6BIT) return first & 0x3f;
    if (kind === RDB_14BIT) return ((first & 0x3f) << 8) | this.byte(what);
    if (kind === RDB_ENCVAL) return -1 - (first & 0x3f);
    if (first === RDB_32BIT) {
      this.need(4, what);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (first === RDB_64BIT) {
      this.need(8, what);
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      if (hi > 0x1fffff) this.fail(`Length too large in ${what}`, start);
      return hi * 2 ** 32 + lo;
    }
    return this.fail(`Unknown length encoding 0x${first.toString(16)} in ${what}`, start);
  }

  /** A plain RDB length (no special encodings allowed). */
  length(what: string): number {
    const start = this.pos;
    const n = this.lengthOrEncoding(what);
    if (n < 0) this.fail(`Unexpected string encoding where ${what} was expected`, start);
    return n;
  }

  /** A string as a latin1 JS string (integer forms as their decimal text, LZF expanded). */
  string(what: string): string {
    const start = this.pos;
    const n = this.lengthOrEncoding(what);
    if (n >= 0) {
      this.need(n, what);
      if (n > MAX_JS_STRING) this.fail(`String of ${n} bytes is longer than nodis can hold in ${what}`, start);
      const s = latin1Of(this.buf, this.pos, this.pos + n);
      this.pos += n;
      return s;
    }
    const enc = -1 - n;
    if (enc === RdbEnc.Lzf) {
      const b = this.lzf(what, start);
      if (b.length > MAX_JS_STRING) this.fail(`String of ${b.length} bytes is longer than nodis can hold in ${what}`, start);
      return b.latin1Slice(0, b.length);
    }
    return String(this.encodedInt(enc, what, start));
  }

  /**
   * A string as bytes (for embedded blobs: listpacks, ziplists, intsets).
   * Returns [buffer, start, end]: a view into the input when stored plainly,
   * a new buffer when LZF-compressed or integer-encoded.
   */
  blob(what: string): [Buffer, number, number] {
    const start = this.pos;
    const n = this.lengthOrEncoding(what);
    if (n >= 0) {
      this.need(n, what);
      this.pos += n;
      return [this.buf, this.pos - n, this.pos];
    }
    const enc = -1 - n;
    const b = enc === RdbEnc.Lzf ? this.lzf(what, start) : Buffer.from(String(this.encodedInt(enc, what, start)), 'latin1');
    return [b, 0, b.length];
  }

  /** The integer of an int8/16/32 string encoding. */
  private encodedInt(enc: number, what: string, start: number): number {
    if (enc === RdbEnc.Int8) {
      this.need(1, what);
      return this.buf.readInt8(this.pos++);
    }
    if (enc === RdbEnc.Int16) {
      this.need(2, what);
      this.pos += 2;
      return this.buf.readInt16LE(this.pos - 2);
    }
    if (enc === RdbEnc.Int32) {
      this.need(4, what);
      this.pos += 4;
      return this.buf.readInt32LE(this.pos - 4);
    }
    return this.fail(`Unknown string encoding ${enc} in ${what}`, start);
  }

  /** An LZF-compressed string: compressed length, original length, data. */
  private lzf(what: string, start: number): Buffer {
    const clen = this.length(what);
    const len = this.length(what);
    // Checked before allocating: a lying length must not cost gigabytes.
    if (len > MAX_STRING_BYTES || len > clen * LZF_MAX_EXPANSION) {
      this.fail(`LZF string of ${clen} bytes claims to expand to ${len} bytes in ${what}`, start);
    }
    this.need(clen, what);
    const from = this.pos;
    this.pos += clen;
    try {
      return lzfDecompress(this.buf, from, from + clen, len);
    } catch (e) {
      if (e instanceof BlobError) this.fail(`Invalid LZF data in ${what}: ${e.message}`, start);
      throw e;
    }
  }

  /** A signed 32-bit little-endian integer (EXPIRETIME's seconds are a signed int32 in Redis's files). */
  i32le(what: string): number {
    this.need(4, what);
    this.pos += 4;
    return this.buf.readInt32LE(this.pos - 4);
  }

  /** A 64-bit little-endian integer as a number (exact up to 2^53; times in ms fit). */
  u64le(what: string): number {
    this.need(8, what);
    const v = Number(this.buf.readBigInt64LE(this.pos));
    this.pos += 8;
    return v;
  }

  binaryDouble(what: string): number {
    this.need(8, what);
    this.pos += 8;
    return this.buf.readDoubleLE(this.pos - 8);
  }

  /** A double in the old text form: a length byte (253 NaN, 254 +inf, 255 -inf) and that many ASCII chars. */
  textDouble(what: string): number {
    const start = this.pos;
    const n = this.byte(what);
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    this.need(n, what);
    const text = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    const d = parseDouble(text);
    if (d === null) this.fail(`Invalid double "${text}" in ${what}`, start);
    return d;
  }
}
