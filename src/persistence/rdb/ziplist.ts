/**
 * The ziplist, Redis's compact encoding before listpack (RDB files of Redis
 * up to 6.2 hold them for lists, hashes and sorted sets). Read-only: Redis
 * 7.0 converts them on load and never writes them.
 *
 * Layout: zlbytes (u32 LE, the blob size), zltail (u32 LE, offset of the last
 * entry), zllen (u16 LE; 65535 means "count them"), entries, 0xFF. Each entry
 * is prevlen (the previous entry's size: one byte below 254, or 0xFE and a
 * u32 LE), an encoding, and its data:
 *   00LLLLLL                       string of up to 63 bytes
 *   01LLLLLL LLLLLLLL              string, 14-bit big-endian length
 *   10000000 + u32 BE              string, 32-bit length
 *   0xC0 / 0xD0 / 0xE0             int16 / int32 / int64, little-endian
 *   0xF0                           24-bit signed integer
 *   0xFE                           8-bit signed integer
 *   0xF1..0xFD                     the integer 0..12 in the low four bits (minus 1)
 */
import { BlobError } from './errors.js';
import { latin1Of } from '../../util/bytes.js';
import { int64Text, readI32, readU32 } from './listpack.js';

const HEADER = 10;
const UNKNOWN_COUNT = 65535;

/** The entries of a ziplist blob, in order, as latin1 strings (integers as decimal text). Validates the header sizes, every entry's bounds and prevlen, zltail, the count (unless 65535) and the end byte. */
export function ziplistEntries(blob: Buffer, start = 0, end = blob.length): string[] {
  if (start < 0 || end > blob.length || end - start < HEADER + 1) throw new BlobError('ziplist is shorter than its header');
  const total = readU32(blob, start);
  if (total !== end - start) throw new BlobError(`ziplist header says ${total} bytes but the blob has ${end - start}`);
  if (blob[end - 1] !== 0xff) throw new BlobError('ziplist has bad end marker');
  const tail = readU32(blob, start + 4);
  const count = blob[start + 8]! | (blob[start + 9]! << 8);
  const last = end - 1;
  const out: string[] = [];
  let prevStart = -1;
  let p = start + HEADER;
  while (p < last) {
    const entryStart = p;
    let prevlen = blob[p++]!;
    if (prevlen === 0xfe) {
      if (p + 4 > last) throw overrun();
      prevlen = readU32(blob, p);
      p += 4;
    } else if (prevlen === 0xff) {
      throw new BlobError('ziplist entry has invalid prevlen byte 0xff');
    }
    if (prevlen !== (prevStart < 0 ? 0 : entryStart - prevStart)) {
      throw new BlobError("ziplist entry's prevlen does not match the previous entry's size");
    }
    if (p >= last) throw overrun();
    const enc = blob[p++]!;
    const kind = enc >>> 6;
    if (kind < 3) {
      let len: number;
      if (kind === 0) {
        len = enc & 0x3f;
      } else if (kind === 1) {
        if (p >= last) throw overrun();
        len = ((enc & 0x3f) << 8) | blob[p++]!;
      } else {
        if (enc !== 0x80) throw badEncoding(enc);
        if (p + 4 > last) throw overrun();
        len = blob[p]! * 0x1000000 + ((blob[p + 1]! << 16) | (blob[p + 2]! << 8) | blob[p + 3]!);
        p += 4;
      }
      if (p + len > last) throw overrun();
      out.push(latin1Of(blob, p, p + len));
      p += len;
    } else {
      let value: string;
      if (enc >= 0xf1 && enc <= 0xfd) {
        value = String((enc & 0x0f) - 1);
      } else if (enc === 0xfe) {
        if (p + 1 > last) throw overrun();
        value = String((blob[p]! << 24) >> 24);
        p += 1;
      } else if (enc === 0xc0) {
        if (p + 2 > last) throw overrun();
        value = String(((blob[p]! | (blob[p + 1]! << 8)) << 16) >> 16);
        p += 2;
      } else if (enc === 0xf0) {
        if (p + 3 > last) throw overrun();
        value = String(((blob[p]! | (blob[p + 1]! << 8) | (blob[p + 2]! << 16)) << 8) >> 8);
        p += 3;
      } else if (enc === 0xd0) {
        if (p + 4 > last) throw overrun();
        value = String(readI32(blob, p));
        p += 4;
      } else if (enc === 0xe0) {
        if (p + 8 > last) throw overrun();
        value = int64Text(blob, p);
        p += 8;
      } else {
        throw badEncoding(enc);
      }
      out.push(value);
    }
    prevStart = entryStart;
  }
  if (p !== last) throw overrun();
  const expectedTail = prevStart < 0 ? HEADER : prevStart - start;
  if (tail !== expectedTail) throw new BlobError(`ziplist zltail is ${tail} but the last entry is at ${expectedTail}`);
  if (count !== UNKNOWN_COUNT && count !== out.length) {
    throw new BlobError(`ziplist header says ${count} entries but it holds ${out.length}`);
  }
  return out;
}

function overrun(): BlobError {
  return new BlobError('ziplist entry runs past the end of the blob');
}

function badEncoding(enc: number): BlobError {
  return new BlobError(`ziplist entry has invalid encoding byte 0x${enc.toString(16)}`);
}
