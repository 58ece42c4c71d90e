/**
 * Pure bitmap operations over byte strings, as Redis defines them: bit 0 is
 * the most significant bit of byte 0, and a string is an infinite run of
 * zero bits past its end. No protocol and no keyspace here: the BITCOUNT,
 * BITPOS, BITOP, GETBIT and SETBIT handlers resolve arguments and keys and
 * call these.
 */

/** Set bits in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** A contiguous range of bits [first, last] (inclusive) inside a string. */
export interface BitRange {
  first: number;
  last: number;
}

/**
 * Resolves a BITCOUNT/BITPOS range the way Redis does: negative indexes
 * count from the end of `total` units (bytes, or bits with the BIT unit),
 * then both ends are clamped into the string. Returns the range in bits, or
 * null when it is empty (start past end, or an empty string).
 */
export function resolveRange(start: number, end: number, total: number, unitBits: 1 | 8): BitRange | null {
  if (start < 0) start = Math.max(0, total + start);
  if (end < 0) end = Math.max(0, total + end);
  if (end >= total) end = total - 1;
  if (start > end) return null;
  return unitBits === 8 ? { first: start * 8, last: end * 8 + 7 } : { first: start, last: end };
}

/** Number of set bits within the bit range of buf (the range lies inside buf). */
export function countBits(buf: Uint8Array, r: BitRange): number {
  const firstByte = Math.floor(r.first / 8);
  const lastByte = Math.floor(r.last / 8);
  // Bits of the edge bytes that lie outside the range.
  const headMask = 0xff >> (r.first % 8);
  const tailMask = (0xff << (7 - (r.last % 8))) & 0xff;
  if (firstByte === lastByte) return POPCOUNT[buf[firstByte]! & headMask & tailMask]!;
  let n = POPCOUNT[buf[firstByte]! & headMask]! + POPCOUNT[buf[lastByte]! & tailMask]!;
  for (let i = firstByte + 1; i < lastByte; i++) n += POPCOUNT[buf[i]!]!;
  return n;
}

/**
 * Position of the first bit equal to `bit` within the bit range of buf, or
 * -1 when there is none.
 */
export function findBit(buf: Uint8Array, bit: 0 | 1, r: BitRange): number {
  const firstByte = Math.floor(r.first / 8);
  const lastByte = Math.floor(r.last / 8);
  // Whole bytes in which no bit can match are skipped; the first other byte is scanned bit by bit.
  const skip = bit === 1 ? 0 : 0xff;
  for (let i = firstByte; i <= lastByte; i++) {
    if (buf[i] === skip) continue;
    const from = i === firstByte ? r.first % 8 : 0;
    const to = i === lastByte ? r.last % 8 : 7;
    const byte = buf[i]!;
    for (let b = from; b <= to; b++) {
      if (((byte >> (7 - b)) & 1) === bit) return i * 8 + b;
    }
  }
  return -1;
}

/** The bit at pos (0 past the end of buf). */
export function bitAt(buf: Uint8Array, pos: number): 0 | 1 {
  const byte = Math.floor(pos / 8);
  if (byte >= buf.length) return 0;
  return ((buf[byte]! >> (7 - (pos % 8))) & 1) as 0 | 1;
}

/** Sets the bit at pos (inside buf) to `bit`; returns the previous bit. */
export function setBitAt(buf: Uint8Array, pos: number, bit: 0 | 1): 0 | 1 {
  const byte = Math.floor(pos / 8);
  const mask = 0x80 >> (pos % 8);
  const old = (buf[byte]! & mask) === 0 ? 0 : 1;
  if (bit === 1) buf[byte]! |= mask;
  else buf[byte]! &= ~mask;
  return old;
}

export type BitOp = 'and' | 'or' | 'xor' | 'not';

/**
 * BITOP's result: the byte-wise op over the sources, as long as the longest
 * source, shorter sources counting as zero-padded; NOT takes one source.
 * Writes into out, which must be zero-filled and of that length.
 */
export function combine(op: BitOp, sources: readonly Uint8Array[], out: Uint8Array): void {
  const len = out.length;
  if (op === 'not') {
    const src = sources[0]!;
    for (let i = 0; i < len; i++) out[i] = ~src[i]! & 0xff;
    return;
  }
  const first = sources[0]!;
  out.set(first.subarray(0, len));
  for (let s = 1; s < sources.length; s++) {
    const src = sources[s]!;
    const n = Math.min(src.length, len);
    if (op === 'and') {
      for (let i = 0; i < n; i++) out[i]! &= src[i]!;
      out.fill(0, n);
    } else if (op === 'or') {
      for (let i = 0; i < n; i++) out[i]! |= src[i]!;
    } else {
      for (let i = 0; i < n; i++) out[i]! ^= src[i]!;
    }
  }
}
