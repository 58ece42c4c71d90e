/**
 * Hash commands: HSET HSETNX HMSET HGET HMGET HDEL HLEN HSTRLEN HEXISTS
 * HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, with Redis
 * 7.0's replies (HGETALL a RESP3 map, HRANDFIELD WITHVALUES pairs in
 * RESP3), errors and their order, encodings (listpack/hashtable, see
 * datatypes/hash.ts; a small hash answers in insertion order) and
 * notifications.
 *
 * Effects: HINCRBYFLOAT is replicated as `HSET key field <new value>`.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../util/longdouble.js';
import { HashValue, type HashLimits } from '../datatypes/hash.js';
import { readTouch } from './key-lookup.js';
import { integerArg } from './strings.js';
import { parseScanCursor, parseScanOptions, replyScan } from './scan.js';
import { distinctRandom, parseRandomCount } from './random-count.js';

// ---------------------------------------------------------------------------
// Lookups and shared effects

/** value as a hash, or throws WRONGTYPE; undefined stays undefined. */
function asHash(value: unknown): HashValue | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof HashValue)) throw new ReplyError(Err.wrongType);
  return value;
}

/** The hash at key for a read (counts a keyspace hit or miss). Throws WRONGTYPE. */
function readHash(c: Client, key: string): HashValue | undefined {
  return asHash(readTouch(c, key)?.value);
}

/** The hash at key for a write, created empty when missing. Throws WRONGTYPE. */
function writeHash(c: Client, key: string): HashValue {
  const h = asHash(c.db.lookupWrite(key)?.value);
  if (h !== undefined) return h;
  const created = new HashValue();
  c.db.set(key, created);
  return created;
}

function limits(c: Client): HashLimits {
  const config = c.server.config;
  return { entries: config.num('hash-max-listpack-entries'), value: config.num('hash-max-listpack-value') };
}

/** Signals a write to the hash at key: WATCH, the `event` notification, `dirty` changes. */
function changed(c: Client, key: string, event: string, dirty: number): void {
  c.server.events.modified(c.db, key);
  c.server.events.notify('h', event, key, c.db.id);
  c.server.dirty += dirty;
}

// ---------------------------------------------------------------------------
// Writes

/**
 * Sets the field/value pairs of argv[2…] in the hash at key. An odd pair
 * count is an arity error (reported under `name`) before anything else.
 * Returns the number of new fields.
 */
function setPairs(c: Client, argv: string[], name: string): number {
  if (argv.length % 2 !== 0) throw new ReplyError(Err.wrongArity(name));
  const key = argv[1]!;
  const h = writeHash(c, key);
  const lim = limits(c);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i]!, argv[i + 1]!, lim)) created++;
  changed(c, key, 'hset', (argv.length - 2) / 2);
  return created;
}

/** HSET key field value [field value …]: replies with the number of new fields. */
function hset(c: Client, argv: string[]): void {
  c.reply.int(setPairs(c, argv, 'hset'));
}

/** HMSET key field value [field value …]: HSET replying OK. */
function hmset(c: Client, argv: string[]): void {
  setPairs(c, argv, 'hmset');
  c.reply.ok();
}

/** HSETNX key field value: sets only a new field. */
function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const h = writeHash(c, key);
  if (h.has(argv[2]!)) {
    c.reply.int(0);
    return;
  }
  h.set(argv[2]!, argv[3]!, limits(c));
  changed(c, key, 'hset', 1);
  c.reply.int(1);
}

/** HDEL key field [field …]: replies with the number removed; the emptied key goes. */
function hdel(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const h = asHash(c.db.lookupWrite(key)?.value);
  let removed = 0;
  if (h !== undefined) {
    for (let i = 2; i < argv.length && h.size > 0; i++) if (h.delete(argv[i]!)) removed++;
    if (removed > 0) {
      changed(c, key, 'hdel', removed);
      if (h.size === 0) {
        c.db.delete(key);
        c.server.events.notify('g', 'del', key, c.db.id);
      }
    }
  }
  c.reply.int(removed);
}

/**
 * HINCRBY key field increment: the increment is checked first, then the
 * key's type, then the field's value (an int64), then overflow.
 */
function hincrby(c: Client, argv: string[]): void {
  const [, key, field, incrText] = argv as [string, string, string, string];
  const incr = integerArg(incrText);
  const h = writeHash(c, key);
  const old = h.get(field);
  let current = 0;
  if (old !== undefined) {
    const n = parseLL(old);
    if (n === null) throw new ReplyError(Err.hashNotInteger);
    current = n;
  }
  let result: number | bigint = current + incr;
  if (!Number.isSafeInteger(result) || !Number.isSafeInteger(current) || !Number.isSafeInteger(incr)) {
    const exact = BigInt(old ?? '0') + BigInt(incrText);
    if (exact > 9223372036854775807n || exact < -9223372036854775808n) throw new ReplyError(Err.overflow);
    result = exact;
  }
  const text = String(result);
  h.set(field, text, limits(c));
  changed(c, key, 'hincrby', 1);
  c.reply.int(result);
}

/**
 * HINCRBYFLOAT key field increment, in long double like INCRBYFLOAT: the
 * increment is checked first (not a float; an infinity is refused), then
 * the key's type, then the field's value, then the sum. Replicated as HSET
 * of the new value.
 */
function hincrbyfloat(c: Client, argv: string[]): void {
  const [, key, field, incrText] = argv as [string, string, string, string];
  const incr = parseLongDouble(incrText);
  if (incr === null) throw new ReplyError(Err.notFloat);
  if (!incr.finite) throw new ReplyError(Err.nanOrInfinity);
  const h = writeHash(c, key);
  const old = h.get(field);
  const current = old === undefined ? parseLongDouble('0')! : parseLongDouble(old);
  if (current === null) throw new ReplyError(Err.hashNotFloat);
  const sum = addLongDouble(current, incr);
  if (!sum.finite) throw new ReplyError(Err.incrNanOrInf);
  const text = formatLongDouble(sum);
  h.set(field, text, limits(c));
  changed(c, key, 'hincrbyfloat', 1);
  c.propagateArgv = ['HSET', key, field, text];
  c.reply.bulk(text);
}

// ---------------------------------------------------------------------------
// Reads

function hget(c: Client, argv: string[]): void {
  const v = readHash(c, argv[1]!)?.get(argv[2]!);
  if (v === undefined) c.reply.nullBulk();
  else c.reply.bulk(v);
}

function hmget(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = h?.get(argv[i]!);
    if (v === undefined) c.reply.nullBulk();
    else c.reply.bulk(v);
  }
}

function hlen(c: Client, argv: string[]): void {
  c.reply.int(readHash(c, argv[1]!)?.size ?? 0);
}

function hstrlen(c: Client, argv: string[]): void {
  c.reply.int(readHash(c, argv[1]!)?.get(argv[2]!)?.length ?? 0);
}

function hexists(c: Client, argv: string[]): void {
  c.reply.int(readHash(c, argv[1]!)?.has(argv[2]!) ? 1 : 0);
}

/** HKEYS / HVALS / HGETALL: the hash's fields, values or both (a map), in its order. */
function hgetallLike(fields: boolean, values: boolean) {
  return (c: Client, argv: string[]): void => {
    const h = readHash(c, argv[1]!);
    const n = h?.size ?? 0;
    if (fields && values) c.reply.map(n);
    else c.reply.array(n);
    h?.forEach((f, v) => {
      if (fields) c.reply.bulk(f);
      if (values) c.reply.bulk(v);
    });
  };
}

/**
 * HRANDFIELD key [count [WITHVALUES]]: without a count a random field or
 * null; with one (checked, then the WITHVALUES word, before the key), an
 * array: a negative count allows repeats, a count ≥ the size returns the
 * whole hash in its order, a smaller one distinct random fields. With
 * WITHVALUES each pick is a [field, value] pair in RESP3, two flat
 * elements in RESP2.
 */
function hrandfield(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const h = readHash(c, argv[1]!);
    if (h === undefined || h.size === 0) c.reply.nullBulk();
    else c.reply.bulk(h.randomField());
    return;
  }
  const count = parseRandomCount(argv[2]!);
  if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withvalues')) throw new ReplyError(Err.syntax);
  const withValues = argv.length === 4;
  // The reply would hold twice |count| elements: Redis refuses counts whose double overflows.
  if (withValues && Math.abs(count) >= MAX_PAIRS_APPROX) {
    const exact = BigInt(argv[2]!);
    if (exact > MAX_PAIRS || exact < -MAX_PAIRS) throw new ReplyError(Err.valueOutOfRange);
  }
  const h = readHash(c, argv[1]!);
  if (h === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  if (count < 0) {
    replyPairsHeader(c, -count, withValues);
    for (let i = 0; i < -count; i++) replyField(c, h, h.randomField(), withValues);
    return;
  }
  let fields: string[];
  if (count >= h.size) {
    fields = [];
    h.forEach((f) => fields.push(f));
  } else {
    fields = distinctRandom(
      count,
      h.size,
      () => allFields(h),
      () => h.randomField(),
    );
  }
  replyFields(c, h, fields, withValues);
}

/** The largest |count| HRANDFIELD … WITHVALUES accepts (LONG_MAX / 2), and a double just below it. */
const MAX_PAIRS = 4611686018427387903n;
const MAX_PAIRS_APPROX = 2 ** 61;

function allFields(h: HashValue): string[] {
  const out: string[] = [];
  h.forEach((f) => out.push(f));
  return out;
}

/**
 * The array header for n picked fields: n elements, or with values n
 * [field, value] pairs in RESP3 and 2n flat elements in RESP2.
 */
function replyPairsHeader(c: Client, n: number, withValues: boolean): void {
  if (withValues) c.reply.pairs(n);
  else c.reply.array(n);
}

/** One picked field (with its value: a pair in RESP3, two elements in RESP2). */
function replyField(c: Client, h: HashValue, field: string, withValues: boolean): void {
  if (withValues) c.reply.pair();
  c.reply.bulk(field);
  if (withValues) c.reply.bulk(h.get(field)!);
}

/** Replies with the picked fields (see replyPairsHeader). */
function replyFields(c: Client, h: HashValue, fields: readonly string[], withValues: boolean): void {
  replyPairsHeader(c, fields.length, withValues);
  for (const f of fields) replyField(c, h, f, withValues);
}

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked
 * first, then the key (a missing key is an empty, finished scan), then the
 * options. A listpack is returned whole in one call; MATCH filters fields.
 */
function hscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  const h = readHash(c, argv[1]!);
  const found: string[] = [];
  let next = 0;
  if (h !== undefined) {
    const opts = parseScanOptions(argv, 3, false);
    const match = opts.match;
    next = h.scan(cursor, opts.count, (f, v) => {
      if (match === null || match(f)) found.push(f, v);
    });
  }
  replyScan(c, next, found);
}

export const hashCommands: CommandDef[] = [
  { name: 'hset', handler: hset },
  { name: 'hmset', handler: hmset },
  { name: 'hsetnx', handler: hsetnx },
  { name: 'hget', handler: hget },
  { name: 'hmget', handler: hmget },
  { name: 'hdel', handler: hdel },
  { name: 'hlen', handler: hlen },
  { name: 'hstrlen', handler: hstrlen },
  { name: 'hexists', handler: hexists },
  { name: 'hkeys', handler: hgetallLike(true, false) },
  { name: 'hvals', handler: hgetallLike(false, true) },
  { name: 'hgetall', handler: hgetallLike(true, true) },
  { name: 'hincrby', handler: hincrby },
  { name: 'hincrbyfloat', handler: hincrbyfloat },
  { name: 'hrandfield', handler: hrandfield },
  { name: 'hscan', handler: hscan },
];
