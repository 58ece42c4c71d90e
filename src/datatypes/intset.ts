/**
 * Intset: a sorted array of distinct int64 values, the compact encoding
 * Redis uses for small all-integer sets (SMEMBERS answers in ascending
 * order). Values are kept as their canonical decimal text (what
 * parseLL accepts), so int64 values beyond 2^53 stay exact; comparing two
 * canonical texts numerically needs no parsing: the sign, then the number
 * of digits, then the digits decide. Lookups are binary searches, inserts
 * and removals shift the array (O(n), as in Redis's intset).
 */
import { parseLL } from '../util/numbers.js';

/** True when s can live in an intset: the canonical text of an int64. */
export function isIntsetValue(s: string): boolean {
  return parseLL(s) !== null;
}

/** Numeric order of two canonical integer texts: negative, zero or positive like a - b. */
export function compareIntTexts(a: string, b: string): number {
  const aNeg = a.charCodeAt(0) === 45;
  const bNeg = b.charCodeAt(0) === 45;
  if (aNeg !== bNeg) return aNeg ? -1 : 1;
  let c = a.length - b.length;
  if (c === 0) c = a < b ? -1 : a > b ? 1 : 0;
  return c === 0 ? 0 : aNeg ? -c : c;
}

/**
 * Position of value in the sorted array ints: its index when present,
 * otherwise -(insertion point) - 1.
 */
export function intsetSearch(ints: readonly string[], value: string): number {
  let lo = 0;
  let hi = ints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareIntTexts(ints[mid]!, value);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Inserts value (an intset value) into ints in order. Returns false when it was already there. */
export function intsetAdd(ints: string[], value: string): boolean {
  const at = intsetSearch(ints, value);
  if (at >= 0) return false;
  ints.splice(-at - 1, 0, value);
  return true;
}

/** Removes value from ints. Returns false when it was not there. */
export function intsetRemove(ints: string[], value: string): boolean {
  const at = intsetSearch(ints, value);
  if (at < 0) return false;
  ints.splice(at, 1);
  return true;
}

/** Bytes per element an intset needs to hold value (2, 4 or 8: int16, int32, int64). */
export function intsetWidth(value: string): number {
  const n = parseLL(value)!;
  if (n >= -32768 && n <= 32767) return 2;
  return n >= -2147483648 && n <= 2147483647 ? 4 : 8;
}
