/**
 * Keyspace iteration: KEYS and SCAN, plus the cursor and option parsing
 * that the per-type scans (HSCAN, SSCAN, ZSCAN) share.
 *
 * SCAN's cursor is Db.scan's sequence-number cursor (see db.ts): a key
 * present for the whole iteration is returned at least once, whatever is
 * added or removed meanwhile. Cursor values therefore differ from Redis's
 * (which are reversed-bit bucket indexes); only "0" has a fixed meaning.
 */
import { F, type CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { compileGlob, type GlobMatcher } from '../util/glob.js';
import { typeName } from '../keyspace/values.js';
import { readNoTouch } from './key-lookup.js';

const UINT64_MAX = (1n << 64n) - 1n;
/** Cursors with at most this many digits are exact as JS numbers. */
const SAFE_DIGITS = 15;

/**
 * Parses a SCAN cursor as Redis does (strtoul over the whole argument):
 * optional sign, decimal digits, no leading space; an empty argument is 0;
 * a negative one wraps modulo 2^64; above 2^64-1 is invalid. Cursors past
 * 2^53 come back as the nearest double (beyond any cursor nodis issues).
 * Throws "ERR invalid cursor".
 */
export function parseScanCursor(text: string): number {
  const len = text.length;
  let i = 0;
  const sign = len > 0 ? text.charCodeAt(0) : 0;
  if (sign === 43 || sign === 45) i = 1;
  if (i === 1 && len === 1) throw new ReplyError(Err.invalidCursor);
  for (let j = i; j < len; j++) {
    const d = text.charCodeAt(j);
    if (d < 48 || d > 57) throw new ReplyError(Err.invalidCursor);
  }
  const digits = text.slice(i);
  if (digits.length <= SAFE_DIGITS) {
    const v = digits === '' ? 0 : Number(digits);
    return sign === 45 && v !== 0 ? Number((1n << 64n) - BigInt(v)) : v;
  }
  const big = BigInt(digits);
  if (big > UINT64_MAX) throw new ReplyError(Err.invalidCursor);
  return Number(sign === 45 && big !== 0n ? (1n << 64n) - big : big);
}

/** SCAN-family options. */
export interface ScanOptions {
  /** Work per call (COUNT, default 10). */
  count: number;
  /** MATCH pattern, null when absent or "*". */
  match: GlobMatcher | null;
  /** TYPE filter, lower-cased (SCAN only), or null. */
  type: string | null;
}

/**
 * Parses COUNT/MATCH/TYPE pairs from argv[start…] (TYPE only when
 * `allowType`); a repeated option's last value wins. Throws "syntax error"
 * for an unknown word, a missing value or COUNT < 1, and "not an integer"
 * for a non-numeric COUNT.
 */
export function parseScanOptions(argv: readonly string[], start: number, allowType: boolean): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = start; i < argv.length; i += 2) {
    const word = argv[i]!.toLowerCase();
    const hasValue = i + 1 < argv.length;
    if (word === 'count' && hasValue) {
      const n = parseLL(argv[i + 1]!);
      if (n === null) throw new ReplyError(Err.notInteger);
      if (n < 1) throw new ReplyError(Err.syntax);
      count = n;
    } else if (word === 'match' && hasValue) {
      pattern = argv[i + 1]!;
    } else if (word === 'type' && hasValue && allowType) {
      type = argv[i + 1]!.toLowerCase();
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return { count, match: pattern === null || pattern === '*' ? null : compileGlob(pattern), type };
}

/**
 * The reply of every *SCAN command: [next cursor, [items]], writing the
 * first `count` items of `items` (all of them by default).
 */
export function replyScan(c: Client, next: number, items: readonly string[], count = items.length): void {
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(count);
  for (let i = 0; i < count; i++) c.reply.bulk(items[i]!);
}

/**
 * SCAN cursor [MATCH p] [COUNT n] [TYPE t]: visits `count` slots of the
 * scan order, then filters like Redis: by pattern, by type (a counted,
 * non-touching lookup that also expires the key), and drops expired keys.
 */
function scan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]!);
  const opts = parseScanOptions(argv, 2, true);
  const db = c.db;
  const found: string[] = [];
  const next = db.scan(cursor, opts.count, (key) => found.push(key));
  let kept = 0;
  for (const key of found) {
    if (opts.match !== null && !opts.match(key)) continue;
    if (opts.type !== null) {
      const e = readNoTouch(c, key);
      if ((e === undefined ? 'none' : typeName(e.value)) !== opts.type) continue;
    }
    if (db.expireIfNeeded(key)) continue;
    found[kept++] = key;
  }
  replyScan(c, next, found, kept);
}

/** KEYS pattern: every live key matching; expired keys are skipped, not deleted (as in Redis). */
function keys(c: Client, argv: string[]): void {
  const match = compileGlob(argv[1]!);
  const db = c.db;
  const out: string[] = [];
  for (const key of db.dict.keys()) if (match(key) && !db.isExpired(key)) out.push(key);
  c.reply.array(out.length);
  for (const key of out) c.reply.bulk(key);
}

export const scanCommands: CommandDef[] = [
  { name: 'keys', handler: keys },
  { name: 'scan', handler: scan, internalFlags: F.touches_arbitrary_keys },
];
