/**
 * The longest common subsequence of two byte strings, computed the way
 * Redis's LCS command does so that ties resolve identically: a dynamic
 * programming table of LCS lengths of every pair of prefixes, walked back
 * from the full strings. On equal bytes the walk takes the byte and moves
 * diagonally; otherwise it drops the last byte of `a` when that keeps a
 * strictly longer LCS, else the last byte of `b`.
 *
 * The walk also yields the matched ranges (IDX): maximal runs of diagonal
 * moves, reported from the end of the strings towards their start.
 */
import type { Bytes } from '../util/bytes.js';
import { toBuf } from '../util/bytes.js';

/** One matched run: inclusive byte ranges in a and b. */
export interface LcsMatch {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export interface LcsResult {
  /** The common subsequence's bytes. */
  text: Buffer;
  /** Matched runs at least minMatchLen long, last run first. */
  matches: LcsMatch[];
}

/** Bytes of DP table needed for strings of these lengths (Redis refuses above proto-max-bulk-len). */
export function lcsTableBytes(aLen: number, bLen: number): number {
  return (aLen + 1) * (bLen + 1) * 4;
}

/**
 * Computes the LCS of a and b, with the runs of length ≥ minMatchLen.
 * Allocates a table of lcsTableBytes(a.length, b.length) bytes; throws
 * RangeError when that allocation fails.
 */
export function longestCommonSubsequence(aBytes: Bytes, bBytes: Bytes, minMatchLen: number): LcsResult {
  const a = toBuf(aBytes);
  const b = toBuf(bBytes);
  const aLen = a.length;
  const bLen = b.length;
  const width = bLen + 1;
  // table[i * width + j] = LCS length of a[0..i) and b[0..j).
  const table = new Uint32Array((aLen + 1) * width);
  for (let i = 1; i <= aLen; i++) {
    const row = i * width;
    const prev = row - width;
    const ai = a[i - 1];
    for (let j = 1; j <= bLen; j++) {
      table[row + j] = ai === b[j - 1] ? table[prev + j - 1]! + 1 : Math.max(table[prev + j]!, table[row + j - 1]!);
    }
  }
  const total = table[aLen * width + bLen]!;
  const text = Buffer.allocUnsafe(total);
  const matches: LcsMatch[] = [];
  let k = total;
  let i = aLen;
  let j = bLen;
  // The run being extended backwards, if any: it ends at (runAEnd, runBEnd).
  let inRun = false;
  let runAEnd = 0;
  let runBEnd = 0;
  const closeRun = (aStart: number, bStart: number): void => {
    if (runAEnd - aStart + 1 >= minMatchLen) matches.push({ aStart, aEnd: runAEnd, bStart, bEnd: runBEnd });
    inRun = false;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      text[--k] = a[i - 1]!;
      if (!inRun) {
        inRun = true;
        runAEnd = i - 1;
        runBEnd = j - 1;
      }
      i--;
      j--;
      if (i === 0 || j === 0) closeRun(i, j);
    } else {
      if (inRun) closeRun(i, j);
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
    }
  }
  return { text, matches };
}
