/**
 * Redis's CRC-64: the Jones polynomial (0xad93d23594c935a9), reflected input
 * and output, initial value 0, no final xor; crc64("123456789") is
 * 0xe9c6d914c4b8d9ca. It guards RDB files (the 8 bytes after the EOF opcode)
 * and DUMP payloads.
 *
 * The 64-bit register is kept as two uint32 halves so no BigInt is involved.
 * Bytes are folded eight at a time with eight lookup tables ("slicing by 8"),
 * the tail one byte at a time with the first table. Each table is stored as a
 * low-half and a high-half Int32Array; table k sits at index k * 256.
 */

/** The polynomial in reflected (LSB-first) form, as halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TLO = new Int32Array(8 * 256);
const THI = new Int32Array(8 * 256);

/** Fills TLO/THI: table 0 is the CRC of each single byte, table k advances table k-1 by one zero byte. */
function buildTables(): void {
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let b = 0; b < 8; b++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi >>>= 1;
      if (carry) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TLO[n] = lo;
    THI[n] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const plo = TLO[(k - 1) * 256 + n]!;
      const phi = THI[(k - 1) * 256 + n]!;
      const i = plo & 0xff;
      TLO[k * 256 + n] = ((plo >>> 8) | (phi << 24)) ^ TLO[i]!;
      THI[k * 256 + n] = (phi >>> 8) ^ THI[i]!;
    }
  }
}
buildTables();

export class Crc64 {
  private lo = 0;
  private hi = 0;

  /** Folds buf[start,end) into the running checksum. */
  update(buf: Uint8Array, start = 0, end = buf.length): void {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    for (const stop = end - 7; i < stop; i += 8) {
      lo ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      hi ^= buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      const a = 1792 + (lo & 0xff);
      const b = 1536 + ((lo >>> 8) & 0xff);
      const c = 1280 + ((lo >>> 16) & 0xff);
      const d = 1024 + (lo >>> 24);
      const e = 768 + (hi & 0xff);
      const f = 512 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo = TLO[a]! ^ TLO[b]! ^ TLO[c]! ^ TLO[d]! ^ TLO[e]! ^ TLO[f]! ^ TLO[g]! ^ TLO[h]!;
      hi = THI[a]! ^ THI[b]! ^ THI[c]! ^ THI[d]! ^ THI[e]! ^ THI[f]! ^ THI[g]! ^ THI[h]!;
    }
    for (; i < end; i++) {
      const t = (lo ^ buf[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TLO[t]!;
      hi = (hi >>> 8) ^ THI[t]!;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** The checksum so far as the 8 little-endian bytes Redis writes after an RDB's EOF and at the end of a DUMP payload. */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeInt32LE(this.lo, 0);
    out.writeInt32LE(this.hi, 4);
    return out;
  }

  /** Whether the checksum so far equals the 8 little-endian bytes at buf[offset] (false when fewer than 8 bytes remain). */
  matches(buf: Uint8Array, offset: number): boolean {
    if (offset < 0 || offset + 8 > buf.length) return false;
    const lo = buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24);
    const hi = buf[offset + 4]! | (buf[offset + 5]! << 8) | (buf[offset + 6]! << 16) | (buf[offset + 7]! << 24);
    return lo === this.lo && hi === this.hi;
  }

  reset(): void {
    this.lo = 0;
    this.hi = 0;
  }
}
