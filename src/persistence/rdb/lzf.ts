/**
 * LZF, the compression Redis applies to long strings in RDB files (liblzf's
 * format). A compressed stream is a sequence of:
 *   - literal runs: a control byte 000LLLLL followed by L+1 raw bytes (1..32);
 *   - back references: LLLooooo oooooooo, or when LLL is 7, LLLooooo
 *     <extra length byte> oooooooo; the match is LLL(+extra)+2 bytes long and
 *     starts (o+1) bytes before the current output position (so 3..264 bytes,
 *     reaching back up to 8192 bytes). A reference may overlap its own output.
 *
 * The compressor is our own greedy matcher over a hash of the next three
 * bytes; it decodes with any LZF decoder but its output is not byte-identical
 * to liblzf's (the RDB format does not require that).
 */
import { BlobError } from './errors.js';

const MAX_LITERAL = 32;
const MAX_OFFSET = 8192;
const MAX_MATCH = 264;
const HASH_BITS = 14;

/**
 * Hash table of the last position (stamped) seen for each 3-byte hash. A
 * slot holds `stamp + (position - start)`; slots written by earlier calls
 * hold smaller stamps, so every call starts with a logically empty table
 * without clearing it.
 */
const table = new Int32Array(1 << HASH_BITS);
let stamp = 1;

/**
 * Scratch output, results are copied out of it. It grows on demand but is
 * not kept above SCRATCH_KEEP bytes, so one huge value does not pin memory.
 */
const SCRATCH_INITIAL = 4096;
const SCRATCH_KEEP = 1 << 20;
let scratch = Buffer.allocUnsafe(SCRATCH_INITIAL);

/** The most one input byte can expand to: a 2-byte back reference yields up to 264 bytes. */
const MAX_EXPANSION = MAX_MATCH / 2;

/**
 * Writes the literal bytes src[from,to) to out at op as runs of at most 32.
 * Returns the new output position, or -1 when that would pass maxOut.
 */
function putLiterals(src: Buffer, from: number, to: number, out: Buffer, op: number, maxOut: number): number {
  while (from < to) {
    const n = Math.min(MAX_LITERAL, to - from);
    if (op + 1 + n > maxOut) return -1;
    out[op++] = n - 1;
    if (n > 8) {
      src.copy(out, op, from, from + n);
      op += n;
      from += n;
    } else {
      for (let k = 0; k < n; k++) out[op++] = src[from++]!;
    }
  }
  return op;
}

/** The hash table slot of the three bytes at src[p] (multiplicative hashing). */
function hash3(src: Buffer, p: number): number {
  return Math.imul((src[p]! << 16) | (src[p + 1]! << 8) | src[p + 2]!, 0x9e3779b1) >>> (32 - HASH_BITS);
}

/** Returns result, first releasing an oversized scratch buffer (see SCRATCH_KEEP). */
function dropScratch<T>(result: T): T {
  if (scratch.length > SCRATCH_KEEP) scratch = Buffer.allocUnsafe(SCRATCH_INITIAL);
  return result;
}

/** Compresses src[start,end) into a new Buffer; returns null unless the result is at most maxOut bytes (Redis only keeps compression that saves ≥4 bytes, the caller passes len-4). */
export function lzfCompress(src: Buffer, start: number, end: number, maxOut: number): Buffer | null {
  const len = end - start;
  if (len <= 0 || maxOut <= 0) return null;
  // Output longer than its input is never wanted: bound the scratch size whatever the caller allows.
  maxOut = Math.min(maxOut, len + (len >>> 3) + 16);
  if (stamp + len + 1 > 0x7fffffff) {
    table.fill(0);
    stamp = 1;
  }
  const base = stamp - start;
  stamp += len + 1;
  if (scratch.length < maxOut) scratch = Buffer.allocUnsafe(Math.max(maxOut, scratch.length * 2));
  const out = scratch;
  let op = 0;
  let lit = start;
  let ip = start;
  const last = end - 2;
  while (ip < last) {
    const h = hash3(src, ip);
    const ref = table[h]! - base;
    table[h] = ip + base;
    const dist = ip - ref;
    if (ref >= start && dist <= MAX_OFFSET && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
      const limit = Math.min(MAX_MATCH, end - ip);
      let n = 3;
      while (n < limit && src[ref + n] === src[ip + n]) n++;
      op = putLiterals(src, lit, ip, out, op, maxOut);
      if (op < 0 || op + 3 > maxOut) return dropScratch(null);
      const l = n - 2;
      const off = dist - 1;
      if (l < 7) {
        out[op++] = (l << 5) | (off >>> 8);
      } else {
        out[op++] = 0xe0 | (off >>> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      // Index the positions inside the match too, so later data can refer to them.
      const stop = Math.min(ip + n, last);
      for (let p = ip + 1; p < stop; p++) {
        table[hash3(src, p)] = p + base;
      }
      ip += n;
      lit = ip;
    } else {
      ip++;
    }
  }
  op = putLiterals(src, lit, end, out, op, maxOut);
  if (op < 0) return dropScratch(null);
  const result = Buffer.allocUnsafe(op);
  out.copy(result, 0, 0, op);
  return dropScratch(result);
}

/** Decompresses src[start,end) that must expand to exactly `length` bytes; throws BlobError otherwise (bad back-reference, overrun, short output). */
export function lzfDecompress(src: Buffer, start: number, end: number, length: number): Buffer {
  if (start < 0 || end > src.length || start > end) throw new BlobError('LZF input range is outside the buffer');
  if (!Number.isSafeInteger(length) || length < 0 || length > (end - start) * MAX_EXPANSION) {
    throw new BlobError(`LZF data of ${end - start} bytes cannot expand to ${length} bytes`);
  }
  const out = Buffer.allocUnsafe(length);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = src[ip++]!;
    if (ctrl < MAX_LITERAL) {
      const n = ctrl + 1;
      if (ip + n > end) throw new BlobError('LZF literal run runs past the end of the input');
      if (op + n > length) throw new BlobError('LZF data expands past the declared length');
      if (n > 8) {
        src.copy(out, op, ip, ip + n);
        op += n;
        ip += n;
      } else {
        for (let k = 0; k < n; k++) out[op++] = src[ip++]!;
      }
    } else {
      let n = ctrl >>> 5;
      if (n === 7) {
        if (ip >= end) throw new BlobError('LZF back reference runs past the end of the input');
        n += src[ip++]!;
      }
      if (ip >= end) throw new BlobError('LZF back reference runs past the end of the input');
      let ref = op - (((ctrl & 0x1f) << 8) | src[ip++]!) - 1;
      n += 2;
      if (ref < 0) throw new BlobError('LZF back reference points before the start of the output');
      if (op + n > length) throw new BlobError('LZF data expands past the declared length');
      for (const stop = op + n; op < stop;) out[op++] = out[ref++]!;
    }
  }
  if (op !== length) throw new BlobError(`LZF data expands to ${op} bytes, expected ${length}`);
  return out;
}
