/**
 * The zipmap, the oldest compact hash encoding (RDB files of Redis before
 * 2.6). Read-only: Redis 7.0 converts it on load.
 *
 * Layout: zmlen (one byte: the pair count when below 254, otherwise "count
 * them"), then pairs, then 0xFF. A pair is: key length, key bytes, value
 * length, a "free" byte F, value bytes, F unused bytes. A length is one byte
 * below 254, or 254 followed by a u32 LE; a length byte of 255 is the end.
 */
import { BlobError } from './errors.js';
import { latin1Of } from '../../util/bytes.js';
import { readU32 } from './listpack.js';

const BIGLEN = 254;
const END = 255;

/** Flat [field, value, field, value …]. Validates every length and string against the blob's end, the count (when zmlen is below 254) and that the end byte is the blob's last. */
export function zipmapPairs(blob: Buffer, start = 0, end = blob.length): string[] {
  if (start < 0 || end > blob.length || end - start < 2) throw new BlobError('zipmap is shorter than its header');
  const zmlen = blob[start]!;
  const out: string[] = [];
  let p = start + 1;
  for (;;) {
    if (p >= end) throw overrun();
    const keyLenByte = blob[p]!;
    if (keyLenByte === END) break;
    p = readString(blob, p, end, out, false);
    if (p >= end || blob[p] === END) throw new BlobError('zipmap key has no value');
    p = readString(blob, p, end, out, true);
  }
  if (p !== end - 1) throw new BlobError('zipmap has bytes after its end marker');
  if (zmlen < BIGLEN && zmlen * 2 !== out.length) {
    throw new BlobError(`zipmap header says ${zmlen} pairs but it holds ${out.length / 2}`);
  }
  return out;
}

/**
 * Reads the length-prefixed string at blob[p] (a value also has the free
 * byte and trailing free space), pushes it to out and returns the position
 * after it.
 */
function readString(blob: Buffer, p: number, end: number, out: string[], isValue: boolean): number {
  let len = blob[p++]!;
  if (len === BIGLEN) {
    if (p + 4 > end) throw overrun();
    len = readU32(blob, p);
    p += 4;
  } else if (len === END) {
    throw new BlobError('zipmap has an invalid length byte 0xff');
  }
  let free = 0;
  if (isValue) {
    if (p >= end) throw overrun();
    free = blob[p++]!;
  }
  if (p + len + free > end) throw overrun();
  out.push(latin1Of(blob, p, p + len));
  return p + len + free;
}

function overrun(): BlobError {
  return new BlobError('zipmap entry runs past the end of the blob');
}
