/**
 * Resumable parser for client requests: RESP multibulk ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
 * and inline commands ("GET k\r\n", as telnet and redis-cli send them).
 *
 * Contract: feed() hands in each chunk read from the socket; next() then
 * returns complete commands one by one (an argv of latin1 byte strings), null
 * when it needs more bytes, or throws ProtocolError for malformed input, after
 * which the connection must be closed. Bytes are read from views of the chunk;
 * only a frame that straddles two chunks is copied, and a large bulk argument
 * is gathered into one buffer of its announced size instead of re-concatenating.
 *
 * It follows Redis 7.0's rules and texts: a line ends at the first '\r'
 * (the '\n' after it is skipped, not checked), a multibulk count of 0 or less
 * is an empty command, unauthenticated clients may send at most 10 arguments
 * of at most 16384 bytes, and a header line longer than 64KB is an error.
 */
import { Err } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { latin1Of } from '../util/bytes.js';

export class ProtocolError extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}

/** Longest inline request or header line accepted (Redis's PROTO_INLINE_MAX_SIZE). */
const INLINE_MAX = 64 * 1024;
/** Bulk arguments at least this long are gathered into their own buffer. */
const BIG_BULK = 32 * 1024;
const EMPTY = Buffer.alloc(0);

export class RequestParser {
  /** proto-max-bulk-len; Infinity for a master link (Redis skips the check there). */
  maxBulkLen = 512 * 1024 * 1024;
  /** True while the client must still authenticate (tighter limits apply). */
  unauthenticated = false;

  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Arguments still expected by the multibulk being read; 0 when between commands. */
  private remaining = 0;
  private argv: string[] = [];
  /** A large bulk being gathered: its buffer and how much of it is filled. */
  private big: Buffer | null = null;
  private bigFilled = 0;

  /** Adds a chunk read from the socket. */
  feed(chunk: Buffer): void {
    if (this.big !== null) {
      const need = this.big.length - this.bigFilled;
      const n = Math.min(need, chunk.length);
      chunk.copy(this.big, this.bigFilled, 0, n);
      this.bigFilled += n;
      chunk = chunk.subarray(n);
      if (this.bigFilled < this.big.length) return;
      // The gathered bulk (plus its CRLF) is complete.
      this.argv.push(this.big.latin1Slice(0, this.big.length - 2));
      this.remaining--;
      this.big = null;
      this.bigFilled = 0;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else if (chunk.length > 0) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    } else {
      this.buf = this.buf.subarray(this.pos);
    }
    this.pos = 0;
  }

  /** Bytes received but not yet consumed as complete commands (query buffer size). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigFilled;
  }

  /**
   * Returns the next complete command, [] for an empty one (an empty inline
   * line or "*0"), or null when more input is needed. Throws ProtocolError.
   */
  next(): string[] | null {
    if (this.big !== null) return null;
    const buf = this.buf;
    const end = buf.length;
    if (this.remaining === 0 && this.argv.length > 0) {
      // The last argument was a large bulk completed by feed().
      const argv = this.argv;
      this.argv = [];
      return argv;
    }
    if (this.remaining === 0) {
      if (this.pos >= end) return null;
      if (buf[this.pos] !== 42 /* '*' */) return this.inline();
      const cr = findCR(buf, this.pos, end);
      if (cr === -1 || cr + 1 >= end) {
        if (end - this.pos > INLINE_MAX) throw new ProtocolError(Err.protocol('too big mbulk count string'));
        return null;
      }
      const n = parseLength(buf, this.pos + 1, cr);
      if (n === null || n > 2147483647) throw new ProtocolError(Err.protocol('invalid multibulk length'));
      if (n > 10 && this.unauthenticated) {
        throw new ProtocolError(Err.protocol('unauthenticated multibulk length'));
      }
      this.pos = cr + 2;
      if (n <= 0) return [];
      this.remaining = n;
      this.argv = [];
    }
    while (this.remaining > 0) {
      const start = this.pos;
      if (start >= end) return null;
      const cr = findCR(buf, start, end);
      if (cr === -1 || cr + 1 >= end) {
        if (end - start > INLINE_MAX) throw new ProtocolError(Err.protocol('too big bulk count string'));
        return null;
      }
      if (buf[start] !== 36 /* '$' */) {
        throw new ProtocolError(Err.protocol(`expected '$', got '${String.fromCharCode(buf[start]!)}'`));
      }
      const len = parseLength(buf, start + 1, cr);
      if (len === null || len < 0 || len > this.maxBulkLen) {
        throw new ProtocolError(Err.protocol('invalid bulk length'));
      }
      if (len > 16384 && this.unauthenticated) {
        throw new ProtocolError(Err.protocol('unauthenticated bulk length'));
      }
      const dataStart = cr + 2;
      if (dataStart + len + 2 > end) {
        if (len >= BIG_BULK) {
          // Gather this argument in a buffer of its own, filled by feed().
          this.big = Buffer.allocUnsafe(len + 2);
          this.bigFilled = Math.max(0, end - dataStart);
          if (this.bigFilled > 0) buf.copy(this.big, 0, dataStart, end);
          this.buf = EMPTY;
          this.pos = 0;
        }
        return null;
      }
      this.argv.push(latin1Of(buf, dataStart, dataStart + len));
      this.pos = dataStart + len + 2;
      this.remaining--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }

  /** Parses one inline command line, or returns null when the line is incomplete. */
  private inline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(10, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError(Err.protocol('too big inline request'));
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && buf[lineEnd - 1] === 13) lineEnd--;
    const line = buf.latin1Slice(this.pos, lineEnd);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError(Err.protocol('unbalanced quotes in request'));
    return argv;
  }
}

/**
 * The index of the first '\r' in buf[from, end), or -1. Header lines are
 * short, so the first bytes are scanned in JS; a long line falls back to
 * the native search.
 */
function findCR(buf: Buffer, from: number, end: number): number {
  const limit = Math.min(end, from + 24);
  for (let i = from; i < limit; i++) if (buf[i] === 13) return i;
  return limit === end ? -1 : buf.indexOf(13, limit);
}

/**
 * Parses the decimal integer in buf[start, end) with string2ll's rules
 * (optional '-', no leading zeros, no other characters) without making a
 * string; returns null when invalid. Falls back to parseLL for long texts so
 * int64 range checks stay exact.
 */
function parseLength(buf: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len <= 0) return null;
  if (len > 15) return parseLL(buf.latin1Slice(start, end));
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    if (len === 1) return null;
    neg = true;
    i++;
  }
  const first = buf[i]! - 48;
  if (first < 0 || first > 9 || (first === 0 && (neg || end - i > 1))) return null;
  let v = first;
  for (i++; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/**
 * Splits an inline command line into arguments like Redis's sdssplitargs:
 * whitespace separates; "double quotes" support \n \r \t \b \a \\ \" and \xHH
 * escapes; 'single quotes' support \'; a closing quote must be followed by
 * whitespace or the end. Returns null for unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && i + 3 < n && line[i + 1] === 'x' && isHex(line[i + 2]!) && isHex(line[i + 3]!)) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          inDq = false;
          i++;
          break;
        } else {
          cur += c;
        }
        i++;
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && i + 1 < n && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          inSq = false;
          i++;
          break;
        } else {
          cur += c;
        }
        i++;
      } else {
        if (i >= n) break;
        const c = line[i]!;
        const code = line.charCodeAt(i);
        if (isSpace(code)) break;
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
        i++;
      }
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}

function isHex(c: string): boolean {
  return /[0-9a-fA-F]/.test(c);
}
