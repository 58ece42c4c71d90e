/**
 * Corruption checks shared by the RDB blob codecs' tests: a decoder given a
 * truncated or byte-flipped blob must either decode it or throw BlobError —
 * never another exception, never hang.
 */
import assert from 'node:assert/strict';
import { BlobError } from '../../src/persistence/rdb/errors.js';
import { xorshift32 } from './random.js';

/** Runs decode once, failing the test on any exception other than BlobError. */
function decodesOrRejects(decode: (b: Buffer) => unknown, b: Buffer, what: string): void {
  try {
    decode(b);
  } catch (e) {
    if (!(e instanceof BlobError)) assert.fail(`${what}: threw ${String(e)}`);
  }
}

/**
 * Feeds decode every proper prefix of blob (each of which must be rejected
 * with BlobError when mustRejectTruncation is set) and `flips` copies with
 * one to three random bytes overwritten (seeded, so failures replay).
 */
export function checkCorruption(
  decode: (b: Buffer) => unknown,
  blob: Buffer,
  flips: number,
  seed: number,
  mustRejectTruncation = true,
): void {
  for (let n = 0; n < blob.length; n++) {
    const cut = Buffer.from(blob.subarray(0, n));
    if (mustRejectTruncation) assert.throws(() => decode(cut), BlobError, `prefix of ${n} bytes`);
    else decodesOrRejects(decode, cut, `prefix of ${n} bytes`);
  }
  const rand = xorshift32(seed);
  for (let i = 0; i < flips; i++) {
    const b = Buffer.from(blob);
    const k = 1 + rand(3);
    for (let j = 0; j < k; j++) b[rand(b.length)] = rand(256);
    decodesOrRejects(decode, b, `flip round ${i}`);
  }
}
