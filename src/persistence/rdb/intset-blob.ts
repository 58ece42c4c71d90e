/**
 * The intset as RDB stores it (the in-memory layout of Redis's intset):
 * encoding (u32 LE: 2, 4 or 8 bytes per member), length (u32 LE), then the
 * members as sorted, distinct, signed little-endian integers of that width.
 * nodis keeps intset members as canonical decimal texts (see
 * src/datatypes/intset.ts); this module converts between the two.
 */
import { BlobError } from './errors.js';
import { parseLL } from '../../util/numbers.js';
import { compareInt64, int64Text, readI32, readU32, writeInt64, writeU32 } from './listpack.js';

const HEADER = 8;

/**
 * The members as decimal text, ascending. Validates encoding, length vs blob
 * size, and strict ascending order. An empty intset decodes to [] (note:
 * Redis 7.0.15 refuses one, "Intset integrity check failed"; the reader
 * decides what to do with empty values).
 */
export function intsetMembers(blob: Buffer, start = 0, end = blob.length): string[] {
  if (start < 0 || end > blob.length || end - start < HEADER) throw new BlobError('intset is shorter than its header');
  const width = readU32(blob, start);
  if (width !== 2 && width !== 4 && width !== 8) throw new BlobError(`intset has invalid encoding ${width}`);
  const count = readU32(blob, start + 4);
  if (HEADER + count * width !== end - start) {
    throw new BlobError(`intset of ${count} members of ${width} bytes does not fit a blob of ${end - start} bytes`);
  }
  const out = new Array<string>(count);
  let prev = -Infinity;
  let p = start + HEADER;
  for (let i = 0; i < count; i++, p += width) {
    if (width === 8) {
      if (i > 0 && compareInt64(blob, p - 8, p) >= 0) throw unordered();
      out[i] = int64Text(blob, p);
      continue;
    }
    const v = width === 2 ? ((blob[p]! | (blob[p + 1]! << 8)) << 16) >> 16 : readI32(blob, p);
    if (v <= prev) throw unordered();
    prev = v;
    out[i] = String(v);
  }
  return out;
}

function unordered(): BlobError {
  return new BlobError('intset members are not in strictly ascending order');
}

/**
 * The blob for sorted, distinct canonical int64 texts, with the smallest
 * encoding (2, 4 or 8) that holds them all and is at least minWidth (nodis's
 * SetValue keeps a width that never shrinks, like Redis's intset).
 */
export function encodeIntset(members: readonly string[], minWidth = 2): Buffer {
  const count = members.length;
  const values = new Float64Array(count);
  let width = minWidth;
  for (let i = 0; i < count; i++) {
    const n = parseLL(members[i]!);
    if (n === null) throw new BlobError(`intset member is not an integer: ${members[i]!}`);
    values[i] = n;
    if (n < -32768 || n > 32767) width = Math.max(width, n < -2147483648 || n > 2147483647 ? 8 : 4);
  }
  const out = Buffer.allocUnsafe(HEADER + count * width);
  writeU32(out, 0, width);
  writeU32(out, 4, count);
  let p = HEADER;
  for (let i = 0; i < count; i++, p += width) {
    const n = values[i]!;
    if (width === 8) {
      writeInt64(out, p, members[i]!, n);
    } else if (width === 4) {
      writeU32(out, p, n);
    } else {
      out[p] = n & 0xff;
      out[p + 1] = (n >> 8) & 0xff;
    }
  }
  return out;
}
