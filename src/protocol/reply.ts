/**
 * The RESP2/RESP3 reply writer: the only code that knows the two protocols
 * apart (DESIGN principle 1). Command code calls bulk(), array(), map(),
 * nullBulk(), double() … and the writer emits the right bytes for the client's
 * protocol version: a map is "%n" in RESP3 and "*2n" in RESP2, a set "~n" or
 * "*n", a double ",d" or a bulk string, a big number "(n" or a bulk string,
 * a null "_" or "$-1"/"*-1", and attributes are left out of RESP2 replies.
 *
 * Replies accumulate in a growing buffer; take() hands out everything written
 * since the last take() as a list of buffers for one socket write per batch.
 */
import type { Bytes } from '../util/bytes.js';
import { formatDouble17g } from '../util/numbers.js';
import { writeLatin1 } from '../util/bytes.js';

const CHUNK = 16 * 1024;
/** Payloads at least this long are handed to the socket as their own buffer. */
const PASS_THROUGH = 64 * 1024;

const SMALL_INTS: string[] = [];
for (let i = 0; i < 1024; i++) SMALL_INTS.push(String(i));

function intText(n: number): string {
  return n >= 0 && n < 1024 ? SMALL_INTS[n]! : String(n);
}

/** Where flushTo() writes: the parts of a net.Socket it uses. */
export interface ByteSink {
  write(data: Buffer): unknown;
  cork(): void;
  uncork(): void;
  readonly writableLength: number;
}

export class ReplyWriter {
  /** 2 or 3: the client's protocol version, set by HELLO. */
  resp: 2 | 3 = 2;
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;

  /** Bytes written and not yet taken. */
  get pendingBytes(): number {
    return this.chunkBytes + this.pos;
  }

  /** Ensures room for n more bytes in the current buffer. */
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.chunkBytes += this.pos;
    }
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.pos = 0;
  }

  /** Writes bytes as they are (a preformatted reply or part of one). */
  raw(data: Buffer): void {
    if (data.length >= PASS_THROUGH) {
      if (this.pos > 0) {
        this.chunks.push(this.buf.subarray(0, this.pos));
        this.chunkBytes += this.pos;
        this.buf = Buffer.allocUnsafe(CHUNK);
        this.pos = 0;
      }
      this.chunks.push(data);
      this.chunkBytes += data.length;
      return;
    }
    this.reserve(data.length);
    data.copy(this.buf, this.pos);
    this.pos += data.length;
  }

  /** Writes a latin1 byte string as is. */
  rawText(s: string): void {
    this.reserve(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }

  /** A line "<prefix><text>\r\n" where text is latin1 bytes with no CR/LF. */
  private line(prefix: number, text: string): void {
    this.reserve(text.length + 3);
    const b = this.buf;
    b[this.pos++] = prefix;
    this.pos += writeLatin1(b, text, this.pos);
    b[this.pos++] = 13;
    b[this.pos++] = 10;
  }

  ok(): void {
    this.raw(OK);
  }

  /** "+text": a status reply. */
  simple(text: string): void {
    this.line(43, text);
  }

  /** "-text": text carries its code ("ERR …", "WRONGTYPE …"); CR/LF become spaces. */
  error(text: string): void {
    this.line(45, /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, ' ') : text);
  }

  /** ":n" */
  int(n: number | bigint): void {
    this.line(58, typeof n === 'number' ? intText(n) : n.toString());
  }

  /** ":n" from the integer's decimal text (when the caller already has it). */
  intText(text: string): void {
    this.line(58, text);
  }

  /** "$len\r\nbytes\r\n" */
  bulk(v: Bytes): void {
    const len = v.length;
    if (typeof v !== 'string' && len >= PASS_THROUGH) {
      this.line(36, intText(len));
      this.raw(v);
      this.raw(CRLF);
      return;
    }
    const head = intText(len);
    this.reserve(len + head.length + 5);
    const b = this.buf;
    b[this.pos++] = 36;
    this.pos += writeLatin1(b, head, this.pos);
    b[this.pos++] = 13;
    b[this.pos++] = 10;
    if (typeof v === 'string') this.pos += writeLatin1(b, v, this.pos);
    else this.pos += v.copy(b, this.pos);
    b[this.pos++] = 13;
    b[this.pos++] = 10;
  }

  /** A bulk reply of human text, encoded as UTF-8. */
  bulkText(text: string): void {
    this.bulk(Buffer.from(text, 'utf8'));
  }

  /** The integer as a bulk string (e.g. INCRBYFLOAT-like replies of numbers). */
  bulkInt(n: number): void {
    this.bulk(intText(n));
  }

  /** A null where a bulk string is expected: "$-1" / "_". */
  nullBulk(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_BULK);
  }

  /** A null where an array is expected: "*-1" / "_". */
  nullArray(): void {
    this.raw(this.resp === 3 ? NULL3 : NULL_ARRAY);
  }

  /** An array header of n elements; the caller writes them. */
  array(n: number): void {
    if (n === 0) this.raw(EMPTY_ARRAY);
    else this.line(42, intText(n));
  }

  /** A map header of n key/value pairs; RESP2 sends a flat array of 2n. */
  map(n: number): void {
    if (this.resp === 3) this.line(37, intText(n));
    else this.array(n * 2);
  }

  /** A set header of n members; RESP2 sends an array. */
  set(n: number): void {
    if (this.resp === 3) this.line(126, intText(n));
    else this.array(n);
  }

  /**
   * The header of n pairs (ZRANGE WITHSCORES, HRANDFIELD WITHVALUES): n
   * two-element arrays in RESP3, one flat array of 2n elements in RESP2.
   * Each pair then starts with pair().
   */
  pairs(n: number): void {
    this.array(this.resp === 3 ? n : n * 2);
  }

  /** Starts one pair inside pairs(): a two-element array header in RESP3, nothing in RESP2. */
  pair(): void {
    if (this.resp === 3) this.raw(ARRAY_OF_TWO);
  }

  /** A push header (out-of-band data: pub/sub messages, invalidations); RESP2 sends an array. */
  push(n: number): void {
    if (this.resp === 3) this.line(62, intText(n));
    else this.array(n);
  }

  /** A double: ",d" in RESP3, a bulk string of "%.17g" in RESP2. */
  double(d: number): void {
    const text = formatDouble17g(d);
    if (this.resp === 3) this.line(44, text);
    else this.bulk(text);
  }

  /** A big number from its decimal text: "(n" in RESP3, a bulk string in RESP2. */
  bignum(text: string): void {
    if (this.resp === 3) this.line(40, text);
    else this.bulk(text);
  }

  /**
   * An attribute of n key/value pairs, which body() writes, for the reply
   * that follows it: "|n" in RESP3. RESP2 has no attributes, so there
   * neither the header nor body's pairs are written.
   */
  attribute(n: number, body: () => void): void {
    if (this.resp !== 3) return;
    this.line(124, intText(n));
    body();
  }

  /** A boolean: "#t"/"#f" in RESP3, ":1"/":0" in RESP2. */
  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? TRUE3 : FALSE3);
    else this.raw(b ? ONE : ZERO);
  }

  /** Verbatim text ("=len\r\ntxt:…") in RESP3, a bulk string in RESP2. */
  verbatim(text: string, format = 'txt'): void {
    const bytes = Buffer.from(text, 'utf8');
    if (this.resp === 3) {
      this.line(61, intText(bytes.length + 4));
      this.rawText(format + ':');
      this.raw(bytes);
      this.raw(CRLF);
    } else {
      this.bulk(bytes);
    }
  }

  /**
   * Writes everything pending to sink (a socket) and returns the byte
   * count: one write when it fits in the current buffer, else the chunks
   * corked into one writev. The buffer is reused when the sink took the
   * bytes synchronously (its writableLength is 0 afterwards, so nothing
   * still points into it); otherwise a fresh one is allocated.
   */
  flushTo(sink: ByteSink): number {
    const total = this.chunkBytes + this.pos;
    if (total === 0) return 0;
    if (this.chunks.length === 0) {
      sink.write(this.buf.subarray(0, this.pos));
    } else {
      sink.cork();
      for (const c of this.chunks) sink.write(c);
      if (this.pos > 0) sink.write(this.buf.subarray(0, this.pos));
      sink.uncork();
      this.chunks = [];
      this.chunkBytes = 0;
    }
    if (sink.writableLength !== 0) this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
    return total;
  }

  /** Hands out everything written since the last take(), or null when there is nothing. */
  take(): Buffer[] | null {
    if (this.pos === 0 && this.chunks.length === 0) return null;
    const out = this.chunks;
    if (this.pos > 0) {
      if (this.pos < 4096) {
        // Copy a small tail into a pooled buffer and keep ours for reuse.
        const copy = Buffer.allocUnsafe(this.pos);
        this.buf.copy(copy, 0, 0, this.pos);
        out.push(copy);
      } else {
        out.push(this.buf.subarray(0, this.pos));
        this.buf = Buffer.allocUnsafe(CHUNK);
      }
      this.pos = 0;
    }
    this.chunks = [];
    this.chunkBytes = 0;
    return out;
  }

  /**
   * Drops what was written after the first `mark` pending bytes (a
   * pendingBytes value), except the ranges in `keep` (pendingBytes offsets
   * [from, to) in pairs, ascending, at or after mark), which are moved to
   * follow the mark in order. Returns the number of bytes kept.
   */
  truncate(mark: number, keep: readonly number[] = NOTHING_KEPT): number {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    for (let i = 0; i < keep.length; i += 2) {
      kept.push(this.copyRange(keep[i]!, keep[i + 1]!));
      keptBytes += keep[i + 1]! - keep[i]!;
    }
    this.cut(mark);
    for (const b of kept) this.raw(b);
    return keptBytes;
  }

  /** A copy of the pending bytes [from, to) (pendingBytes offsets). */
  private copyRange(from: number, to: number): Buffer {
    const out = Buffer.allocUnsafe(to - from);
    let at = 0;
    let offset = 0;
    for (const part of [...this.chunks, this.buf.subarray(0, this.pos)]) {
      const start = Math.max(from - offset, 0);
      const end = Math.min(to - offset, part.length);
      if (start < end) at += part.copy(out, at, start, end);
      offset += part.length;
      if (offset >= to) break;
    }
    return out;
  }

  /** Drops what was written after the first `mark` pending bytes. */
  private cut(mark: number): void {
    if (mark >= this.chunkBytes) {
      this.pos = Math.min(this.pos, mark - this.chunkBytes);
      return;
    }
    let kept = 0;
    const chunks: Buffer[] = [];
    for (const c of this.chunks) {
      if (kept + c.length >= mark) {
        chunks.push(c.subarray(0, mark - kept));
        kept = mark;
        break;
      }
      chunks.push(c);
      kept += c.length;
    }
    this.chunks = chunks;
    this.chunkBytes = kept;
    this.pos = 0;
  }

  /** Discards everything written and not yet taken. */
  discard(): void {
    this.chunks = [];
    this.chunkBytes = 0;
    this.pos = 0;
  }
}

const NOTHING_KEPT: readonly number[] = [];
const OK = Buffer.from('+OK\r\n');
const ARRAY_OF_TWO = Buffer.from('*2\r\n');
const CRLF = Buffer.from('\r\n');
const NULL3 = Buffer.from('_\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const NULL_ARRAY = Buffer.from('*-1\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');
const TRUE3 = Buffer.from('#t\r\n');
const FALSE3 = Buffer.from('#f\r\n');
const ONE = Buffer.from(':1\r\n');
const ZERO = Buffer.from(':0\r\n');
