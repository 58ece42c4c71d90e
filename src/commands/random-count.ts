/**
 * Shared by the commands that return random elements with a count
 * (SRANDMEMBER, HRANDFIELD, SPOP …): Redis's parsing of the count and the
 * choice of distinct random elements.
 */
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';

const LLONG_MIN_TEXT = '-9223372036854775808';

/**
 * Parses SRANDMEMBER/HRANDFIELD's count: an int64 other than LLONG_MIN
 * (whose absolute value does not fit). Throws "not an integer" or Redis's
 * range error.
 */
export function parseRandomCount(text: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  if (text === LLONG_MIN_TEXT) throw new ReplyError(Err.randomCountRange);
  return n;
}

/** Parses a count that must be a non-negative int64 (SPOP), else "must be positive". */
export function parsePositiveCount(text: string): number {
  const n = parseLL(text);
  if (n === null || n < 0) throw new ReplyError(Err.mustBePositive);
  return n;
}

/**
 * `count` distinct elements (0 < count < size) chosen uniformly at random
 * from a collection of `size` elements. For a count close to the size it
 * shuffles a copy of all elements (`all`); otherwise it draws with `random`
 * until enough distinct ones are found, which needs few retries.
 */
export function distinctRandom(count: number, size: number, all: () => string[], random: () => string): string[] {
  if (count * 3 > size) {
    const arr = all();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (arr.length - i));
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    arr.length = count;
    return arr;
  }
  const seen = new Set<string>();
  while (seen.size < count) seen.add(random());
  return [...seen];
}
