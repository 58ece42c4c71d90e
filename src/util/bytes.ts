/**
 * Binary-safe byte strings. nodis represents every key, argument and string
 * value as a JS "latin1" string: one char per byte (0..255), so any bytes,
 * NUL and invalid UTF-8 included, round-trip exactly, Map lookups hash them
 * natively and V8 stores them one byte per char. Values mutated in place (bit
 * operations, SETRANGE, APPEND on big strings) may instead be held as Buffers;
 * this module is the only place that converts between the two.
 */

declare global {
  interface Buffer {
    /** V8's fast latin1 decoder (one char per byte); present on every Node Buffer. */
    latin1Slice(start?: number, end?: number): string;
    /** V8's fast latin1 encoder; returns bytes written. */
    latin1Write(s: string, offset?: number, length?: number): number;
    asciiWrite(s: string, offset?: number, length?: number): number;
  }
}

/** A binary-safe byte string: latin1 JS string or a Buffer. */
export type Bytes = string | Buffer;

/** Number of bytes in a byte string. */
export function byteLength(v: Bytes): number {
  return v.length;
}

/** The bytes as a latin1 string (copying when given a Buffer). */
export function toStr(v: Bytes): string {
  return typeof v === 'string' ? v : v.latin1Slice(0, v.length);
}

/** The bytes as a Buffer (copying when given a string). */
export function toBuf(v: Bytes): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

/** Text from the wire decoded as UTF-8, for human-readable arguments (config values, names). */
export function utf8(v: string): string {
  return Buffer.from(v, 'latin1').toString('utf8');
}

/** Human text encoded as latin1 bytes (its UTF-8 encoding), for replies built from JS text. */
export function fromUtf8(text: string): string {
  return Buffer.from(text, 'utf8').latin1Slice(0);
}

const f = String.fromCharCode;

/**
 * The bytes buf[s, e) as a latin1 string. Short slices (up to 16 bytes: most
 * command names, keys and small values) are built in JS, which avoids the
 * cost of a call into native code; longer ones use V8's latin1 decoder.
 */
export function latin1Of(b: Buffer, s: number, e: number): string {
  // One fromCharCode call per length: a flat string, no concatenation (kept one line a case).
  // prettier-ignore
  switch (e - s) {
    case 0: return '';
    case 1: return f(b[s]!);
    case 2: return f(b[s]!, b[s + 1]!);
    case 3: return f(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
    default: return b.latin1Slice(s, e);
  }
}

/**
 * Writes the latin1 string s into buf at pos and returns the bytes written.
 * Short strings are copied in JS (no native call); long ones by V8.
 */
export function writeLatin1(buf: Buffer, s: string, pos: number): number {
  const n = s.length;
  if (n > 16) return buf.latin1Write(s, pos);
  for (let i = 0; i < n; i++) buf[pos + i] = s.charCodeAt(i);
  return n;
}
