/**
 * Sorted set commands (Redis's t_zset.c family) over ZSet (datatypes/zset.ts).
 *
 * Argument checks follow Redis 7.0's order: options and numbers are parsed
 * before the key is looked up, so a syntax error wins over WRONGTYPE, except
 * where Redis looks keys up first (ZUNION/ZINTER/ZDIFF read their keys
 * before their options, ZSCAN parses its options after the lookup).
 *
 * Scores are replied as doubles ("%.17g"; RESP3 ","), and WITHSCORES
 * replies are flat member/score arrays in RESP2 and arrays of
 * [member, score] pairs in RESP3, as Redis 7.0 does.
 *
 * Every change counts in server.dirty (per element where Redis does),
 * signals the key (WATCH) and emits the notification Redis emits; a set
 * emptied by a removal is deleted with a "del" notification; a key that
 * receives elements is signalled ready for blocked clients.
 *
 * popZset and replyMpop are the pop primitives blocking commands reuse.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import type { Value } from '../keyspace/values.js';
import { Err, ReplyError } from '../util/errors.js';
import { formatDouble17g, parseDouble, parseLL } from '../util/numbers.js';
import { readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';
import { parseScanCursor, parseScanOptions, replyScan } from './scan.js';
import { parsePositiveCount, parseRandomCount, distinctRandom } from './random-count.js';
import { AddOutcome, ZSet, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX, type Popped, type ZsetLimits } from '../datatypes/zset.js';
import {
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  type LexBound,
  type LexRange,
  type ScoreRange,
  type SkipNode,
} from '../datatypes/skiplist.js';
import { SetValue } from '../datatypes/set.js';

// ---------------------------------------------------------------------------
// Lookups

/** value as a sorted set, or throws WRONGTYPE; undefined stays undefined. */
function asZset(value: Value | undefined): ZSet | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof ZSet)) throw new ReplyError(Err.wrongType);
  return value;
}

/** The sorted set at key for a read (counts a keyspace hit or miss). Throws WRONGTYPE. */
function readZset(c: Client, key: string): ZSet | undefined {
  return asZset(readTouch(c, key)?.value);
}

/** The sorted set at key for a command about to change it. Throws WRONGTYPE. */
function writeZset(c: Client, key: string): ZSet | undefined {
  return asZset(c.db.lookupWrite(key)?.value);
}

function limitsOf(c: Client): ZsetLimits {
  const config = c.server.config;
  return { entries: config.num('zset-max-listpack-entries'), value: config.num('zset-max-listpack-value') };
}

// ---------------------------------------------------------------------------
// Numbers and ranges

const HEX_FLOAT_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * A double as C's strtod reads a whole string (decimal, inf/infinity, or
 * hexadecimal with an optional binary exponent), NaN rejected; null when
 * invalid. Leading space and the empty string are the callers' business.
 */
function strtodWhole(text: string): number | null {
  const v = parseDouble(text);
  if (v !== null) return v;
  const m = HEX_FLOAT_RE.exec(text);
  if (m === null || m[2]!.length + (m[3] ?? '').length === 0) return null;
  const frac = m[3] ?? '';
  const mantissa = parseInt(m[2]! + frac || '0', 16);
  const value = mantissa * Math.pow(2, Number(m[4] ?? '0') - 4 * frac.length);
  return m[1] === '-' ? -value : value;
}

/** A score argument (ZADD, ZINCRBY, WEIGHTS): strtod with no leading space; throws `error`. */
function parseScore(text: string, error: string = Err.notFloat): number {
  const c0 = text.charCodeAt(0);
  const v = c0 === 32 || (c0 >= 9 && c0 <= 13) ? null : strtodWhole(text);
  if (v === null) throw new ReplyError(error);
  return v;
}

/**
 * A range bound's number as Redis reads it (plain strtod): leading
 * whitespace is skipped and an empty string reads as 0. null when invalid.
 */
function rangeNumber(text: string): number | null {
  if (text === '') return 0;
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, '');
  return trimmed === '' ? null : strtodWhole(trimmed);
}

/** Parses ZRANGEBYSCORE-style bounds ("(1.5", "-inf" …); throws "min or max is not a float". */
function parseScoreRange(minText: string, maxText: string): ScoreRange {
  const minex = minText.charCodeAt(0) === 40;
  const maxex = maxText.charCodeAt(0) === 40;
  const min = rangeNumber(minex ? minText.slice(1) : minText);
  const max = rangeNumber(maxex ? maxText.slice(1) : maxText);
  if (min === null || max === null) throw new ReplyError(Err.zsetMinMaxFloat);
  return { min, max, minex, maxex };
}

/** One lexical bound: "-", "+", "[value" or "(value"; null when invalid. */
function parseLexBound(text: string): LexBound | null {
  const c0 = text.charCodeAt(0);
  if (c0 === 45 || c0 === 43) return text.length === 1 ? { inf: c0 === 45 ? -1 : 1, value: '', exclusive: false } : null;
  if (c0 === 40 || c0 === 91) return { inf: 0, value: text.slice(1), exclusive: c0 === 40 };
  return null;
}

/** Parses ZRANGEBYLEX-style bounds; throws "min or max not valid string range item". */
function parseLexRange(minText: string, maxText: string): LexRange {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  if (min === null || max === null) throw new ReplyError(Err.zsetMinMaxLex);
  return { min, max };
}

/** An integer argument (indexes, LIMIT, counts); throws "not an integer". */
function parseInteger(text: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

/**
 * Clamps rank indexes (negative from the end) to a set of `len` members
 * as Redis does; null when the range holds nothing.
 */
function clampRanks(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  return [start, end >= len ? len - 1 : end];
}

// ---------------------------------------------------------------------------
// Replies and shared effects

/**
 * Replies with members (and their scores when withScores): a flat array in
 * RESP2, [member, score] pairs in RESP3.
 */
function replyElements(c: Client, members: readonly string[], scores: readonly number[], withScores: boolean): void {
  const w = c.reply;
  const n = members.length;
  if (!withScores) {
    w.array(n);
    for (let i = 0; i < n; i++) w.bulk(members[i]!);
    return;
  }
  w.pairs(n);
  for (let i = 0; i < n; i++) {
    w.pair();
    w.bulk(members[i]!);
    w.double(scores[i]!);
  }
}

/**
 * After `count` members were removed from zs at key by `event`: notifies
 * the event, deletes the key (with "del") when it is empty, signals WATCH
 * and counts the removals as dirty. Nothing happens when count is 0.
 */
function afterRemoval(c: Client, key: string, zs: ZSet, event: string, count: number): void {
  if (count === 0) return;
  const events = c.server.events;
  events.notify('z', event, key, c.db.id);
  if (zs.size === 0) {
    c.db.delete(key);
    events.notify('g', 'del', key, c.db.id);
  }
  events.modified(c.db, key);
  c.server.dirty += count;
}

/**
 * Stores entries at dst as a new sorted set (replacing any value and TTL,
 * encoded as Redis encodes a built result) and replies with its size; an
 * empty result deletes dst instead. Notifies `event` (or "del") and counts
 * the change only when something changed.
 */
function storeResult(c: Client, dst: string, entries: ReadonlyMap<string, number>, event: string): void {
  c.db.expireIfNeeded(dst);
  if (entries.size > 0) {
    c.db.set(dst, ZSet.fromEntries(entries, limitsOf(c)));
    keyChanged(c, 'z', event, dst);
    c.server.events.ready(c.db, dst);
  } else if (c.db.delete(dst)) {
    keyChanged(c, 'g', 'del', dst);
  } else {
    c.reply.int(0);
    return;
  }
  c.server.dirty++;
  c.reply.int(entries.size);
}

// ---------------------------------------------------------------------------
// ZADD / ZINCRBY / ZREM

/**
 * Adds the score/member pairs of argv[from…] to the set at key with the
 * ZADD_* flags, creating the key unless XX; replies with the count added
 * (or added + updated with CH), or with INCR the new score (null when a
 * condition refused it). A NaN increment fails without changing anything.
 */
function addPairs(c: Client, argv: string[], from: number, flags: number, ch: boolean): void {
  const key = argv[1]!;
  const pairs = (argv.length - from) / 2;
  const scores = new Array<number>(pairs);
  for (let i = 0; i < pairs; i++) scores[i] = parseScore(argv[from + 2 * i]!);
  const incr = (flags & ZADD_INCR) !== 0;
  const limits = limitsOf(c);
  let zs = writeZset(c, key);
  if (zs === undefined) {
    if ((flags & ZADD_XX) !== 0) {
      if (incr) c.reply.nullBulk();
      else c.reply.int(0);
      return;
    }
    zs = ZSet.forFirstMember(argv[from + 1]!.length, limits);
    c.db.add(key, zs);
  }
  let added = 0;
  let updated = 0;
  let refused = false;
  let failed = false;
  for (let i = 0; i < pairs; i++) {
    const outcome = zs.add(argv[from + 2 * i + 1]!, scores[i]!, flags, limits);
    if (outcome === AddOutcome.Added) added++;
    else if (outcome === AddOutcome.Updated) updated++;
    else if (outcome === AddOutcome.Refused) refused = true;
    else if (outcome === AddOutcome.NaN) failed = true;
  }
  if (failed) c.reply.error(Err.zsetNaN);
  else if (incr) {
    if (refused) c.reply.nullBulk();
    else c.reply.double(zs.lastScore);
  } else c.reply.int(ch ? added + updated : added);
  if (added + updated === 0) return;
  keyChanged(c, 'z', incr ? 'zincr' : 'zadd', key);
  if (added > 0) c.server.events.ready(c.db, key);
  c.server.dirty += added + updated;
}

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member …] */
function zadd(c: Client, argv: string[]): void {
  let flags = 0;
  let ch = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    if (word === 'nx') flags |= ZADD_NX;
    else if (word === 'xx') flags |= ZADD_XX;
    else if (word === 'gt') flags |= ZADD_GT;
    else if (word === 'lt') flags |= ZADD_LT;
    else if (word === 'incr') flags |= ZADD_INCR;
    else if (word === 'ch') ch = true;
    else break;
  }
  const elements = argv.length - i;
  if (elements === 0 || elements % 2 !== 0) throw new ReplyError(Err.syntax);
  const nx = (flags & ZADD_NX) !== 0;
  if (nx && (flags & ZADD_XX) !== 0) throw new ReplyError(Err.zsetXxNx);
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new ReplyError(Err.zsetGtLtNx);
  if ((flags & ZADD_INCR) !== 0 && elements > 2) throw new ReplyError(Err.zsetIncrPair);
  addPairs(c, argv, i, flags, ch);
}

/** ZINCRBY key increment member: ZADD INCR. */
function zincrby(c: Client, argv: string[]): void {
  addPairs(c, argv, 2, ZADD_INCR, false);
}

/** ZREM key member [member …] */
function zrem(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const zs = writeZset(c, key);
  if (zs === undefined) {
    c.reply.int(0);
    return;
  }
  let removed = 0;
  for (let i = 2; i < argv.length && zs.size > 0; i++) if (zs.remove(argv[i]!)) removed++;
  afterRemoval(c, key, zs, 'zrem', removed);
  c.reply.int(removed);
}

/** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max: parse, look up, remove. */
function zremrange(kind: 'rank' | 'score' | 'lex') {
  const event = `zremrangeby${kind}`;
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    let remove: (zs: ZSet) => number;
    if (kind === 'rank') {
      const start = parseInteger(argv[2]!);
      const end = parseInteger(argv[3]!);
      remove = (zs) => {
        const r = clampRanks(start, end, zs.size);
        return r === null ? 0 : zs.removeRankRange(r[0], r[1]);
      };
    } else if (kind === 'score') {
      const range = parseScoreRange(argv[2]!, argv[3]!);
      remove = (zs) => zs.removeScoreRange(range);
    } else {
      const range = parseLexRange(argv[2]!, argv[3]!);
      remove = (zs) => zs.removeLexRange(range);
    }
    const zs = writeZset(c, key);
    const removed = zs === undefined ? 0 : remove(zs);
    if (zs !== undefined) afterRemoval(c, key, zs, event, removed);
    c.reply.int(removed);
  };
}

// ---------------------------------------------------------------------------
// Point reads

function zcard(c: Client, argv: string[]): void {
  c.reply.int(readZset(c, argv[1]!)?.size ?? 0);
}

function zscore(c: Client, argv: string[]): void {
  const score = readZset(c, argv[1]!)?.score(argv[2]!);
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

/** ZMSCORE key member [member …]: a score or null per member. */
function zmscore(c: Client, argv: string[]): void {
  const zs = readZset(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = zs?.score(argv[i]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

/** ZRANK / ZREVRANK key member */
function zrank(reverse: boolean) {
  return (c: Client, argv: string[]): void => {
    const rank = readZset(c, argv[1]!)?.rank(argv[2]!, reverse) ?? -1;
    if (rank < 0) c.reply.nullBulk();
    else c.reply.int(rank);
  };
}

/** ZCOUNT key min max */
function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2]!, argv[3]!);
  c.reply.int(readZset(c, argv[1]!)?.countScoreRange(range) ?? 0);
}

/** ZLEXCOUNT key min max */
function zlexcount(c: Client, argv: string[]): void {
  const range = parseLexRange(argv[2]!, argv[3]!);
  c.reply.int(readZset(c, argv[1]!)?.countLexRange(range) ?? 0);
}

// ---------------------------------------------------------------------------
// ZRANGE and its older forms

const enum RangeKind {
  Auto,
  Rank,
  Score,
  Lex,
}

/** A parsed range request. */
interface RangeQuery {
  kind: RangeKind;
  reverse: boolean;
  withScores: boolean;
  offset: number;
  /** LIMIT's count; -1 (also the default) means no limit, any negative does. */
  limit: number;
  start: number;
  end: number;
  scores: ScoreRange | null;
  lex: LexRange | null;
}

/**
 * Parses a range command's arguments from argv[first] (min, max, then
 * options) the way Redis's ZRANGE does: options (WITHSCORES unless storing,
 * LIMIT, and REV/BYSCORE/BYLEX when not implied by the command), then the
 * conflicts (LIMIT needs BYSCORE/BYLEX, WITHSCORES excludes BYLEX), then
 * the bounds, swapped for a reverse score or lex range.
 */
function parseRangeQuery(argv: readonly string[], first: number, kind: RangeKind, reverse: boolean | null, store: boolean): RangeQuery {
  const q: RangeQuery = {
    kind,
    reverse: reverse ?? false,
    withScores: false,
    offset: 0,
    limit: -1,
    start: 0,
    end: 0,
    scores: null,
    lex: null,
  };
  let reverseSet = reverse !== null;
  for (let j = first + 2; j < argv.length; j++) {
    const word = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (!store && word === 'withscores') q.withScores = true;
    else if (word === 'limit' && left >= 2) {
      q.offset = parseInteger(argv[j + 1]!);
      q.limit = parseInteger(argv[j + 2]!);
      j += 2;
    } else if (!reverseSet && word === 'rev') {
      q.reverse = true;
      reverseSet = true;
    } else if (q.kind === RangeKind.Auto && word === 'bylex') q.kind = RangeKind.Lex;
    else if (q.kind === RangeKind.Auto && word === 'byscore') q.kind = RangeKind.Score;
    else throw new ReplyError(Err.syntax);
  }
  if (q.kind === RangeKind.Auto) q.kind = RangeKind.Rank;
  if (q.limit !== -1 && q.kind === RangeKind.Rank) throw new ReplyError(Err.zsetLimitNeedsRange);
  if (q.withScores && q.kind === RangeKind.Lex) throw new ReplyError(Err.zsetLexWithScores);
  const swap = q.reverse && q.kind !== RangeKind.Rank;
  const minText = argv[swap ? first + 1 : first]!;
  const maxText = argv[swap ? first : first + 1]!;
  if (q.kind === RangeKind.Rank) {
    q.start = parseInteger(minText);
    q.end = parseInteger(maxText);
  } else if (q.kind === RangeKind.Score) q.scores = parseScoreRange(minText, maxText);
  else q.lex = parseLexRange(minText, maxText);
  return q;
}

/** The members and scores a range query selects, in reply order. */
function runRangeQuery(zs: ZSet, q: RangeQuery): Popped {
  const members: string[] = [];
  const scores: number[] = [];
  const take = (n: SkipNode): void => {
    members.push(n.member);
    scores.push(n.score);
  };
  if (q.kind === RangeKind.Rank) {
    const r = clampRanks(q.start, q.end, zs.size);
    if (r === null) return { members, scores };
    let left = r[1] - r[0] + 1;
    let n = zs.at(q.reverse ? zs.size - 1 - r[0] : r[0]);
    for (; n !== null && left > 0; left--, n = q.reverse ? n.backward : (n.next[0] ?? null)) take(n);
    return { members, scores };
  }
  if (q.offset < 0) return { members, scores };
  const list = zs.list;
  let n: SkipNode | null;
  let inside: (n: SkipNode) => boolean;
  if (q.kind === RangeKind.Score) {
    const r = q.scores!;
    n = q.reverse ? list.lastInScoreRange(r) : list.firstInScoreRange(r);
    inside = q.reverse ? (x) => scoreGteMin(x.score, r) : (x) => scoreLteMax(x.score, r);
  } else {
    const r = q.lex!;
    n = q.reverse ? zs.lastInLex(r) : zs.firstInLex(r);
    inside = q.reverse ? (x) => lexGteMin(x.member, r) : (x) => lexLteMax(x.member, r);
  }
  for (let skip = q.offset; n !== null && skip > 0; skip--) n = q.reverse ? n.backward : (n.next[0] ?? null);
  let left = q.limit < 0 ? Infinity : q.limit;
  for (; n !== null && left > 0 && inside(n); left--, n = q.reverse ? n.backward : (n.next[0] ?? null)) take(n);
  return { members, scores };
}

/** ZRANGE-family handler: key at argv[1], bounds from argv[2]. */
function zrangeCommand(kind: RangeKind, reverse: boolean | null) {
  return (c: Client, argv: string[]): void => {
    const q = parseRangeQuery(argv, 2, kind, reverse, false);
    const zs = readZset(c, argv[1]!);
    if (zs === undefined) {
      c.reply.array(0);
      return;
    }
    const r = runRangeQuery(zs, q);
    replyElements(c, r.members, r.scores, q.withScores);
  };
}

/** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestore(c: Client, argv: string[]): void {
  const q = parseRangeQuery(argv, 3, RangeKind.Auto, null, true);
  const zs = readZset(c, argv[2]!);
  const entries = new Map<string, number>();
  if (zs !== undefined) {
    const r = runRangeQuery(zs, q);
    for (let i = 0; i < r.members.length; i++) entries.set(r.members[i]!, r.scores[i]!);
  }
  storeResult(c, argv[1]!, entries, 'zrangestore');
}

// ---------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF, their STORE forms, ZINTERCARD

const enum SetOp {
  Union,
  Inter,
  Diff,
}

const enum Aggregate {
  Sum,
  Min,
  Max,
}

/** One input of a set operation: a sorted set, a plain set (scores 1), or a missing key. */
interface Operand {
  zset: ZSet | null;
  set: SetValue | null;
  weight: number;
}

function operandSize(o: Operand): number {
  return o.zset?.size ?? o.set?.size ?? 0;
}

/** o's score for member, or undefined. */
function operandScore(o: Operand, member: string): number | undefined {
  if (o.zset !== null) return o.zset.score(member);
  return o.set !== null && o.set.has(member) ? 1 : undefined;
}

/** Calls fn for every member of o with its (unweighted) score. */
function operandForEach(o: Operand, fn: (member: string, score: number) => void): void {
  if (o.zset !== null) o.zset.scores.forEach(fn);
  else o.set?.forEach((m) => fn(m, 1));
}

/** Folds value into acc with the aggregate; a NaN sum (inf + -inf) is 0, as in Redis. */
function aggregate(acc: number, value: number, how: Aggregate): number {
  if (how === Aggregate.Sum) {
    const sum = acc + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === Aggregate.Min) return value < acc ? value : acc;
  return value > acc ? value : acc;
}

/** A weighted score; NaN (inf × 0) counts as 0. */
function weighted(score: number, weight: number): number {
  const v = score * weight;
  return Number.isNaN(v) ? 0 : v;
}

/** A parsed set-operation request. */
interface SetOpQuery {
  operands: Operand[];
  how: Aggregate;
  withScores: boolean;
  /** ZINTERCARD's LIMIT (0: none). */
  limit: number;
}

/**
 * Parses numkeys, the keys and the options of a set operation in Redis's
 * order: numkeys (at least 1, not more than the arguments left), every key
 * (counted read lookups, also for a STORE form; sorted sets and sets
 * accepted, anything else WRONGTYPE), then WEIGHTS / AGGREGATE (not for ZDIFF or ZINTERCARD),
 * WITHSCORES (not when storing) or LIMIT (ZINTERCARD only).
 */
function parseSetOp(c: Client, argv: readonly string[], numkeysAt: number, op: SetOp, store: boolean, card: boolean): SetOpQuery {
  const numkeys = parseInteger(argv[numkeysAt]!);
  if (numkeys < 1) throw new ReplyError(Err.zsetNeedKey(argv[0]!.toLowerCase()));
  if (numkeys > argv.length - numkeysAt - 1) throw new ReplyError(Err.syntax);
  const operands: Operand[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < numkeys; i++, j++) {
    const value = readTouch(c, argv[j]!)?.value;
    if (value !== undefined && !(value instanceof ZSet) && !(value instanceof SetValue)) throw new ReplyError(Err.wrongType);
    operands.push({
      zset: value instanceof ZSet ? value : null,
      set: value instanceof SetValue ? value : null,
      weight: 1,
    });
  }
  const q: SetOpQuery = { operands, how: Aggregate.Sum, withScores: false, limit: 0 };
  const algebra = op !== SetOp.Diff && !card;
  while (j < argv.length) {
    const word = argv[j]!.toLowerCase();
    const left = argv.length - j;
    if (algebra && left >= numkeys + 1 && word === 'weights') {
      j++;
      for (let i = 0; i < numkeys; i++, j++) operands[i]!.weight = parseScore(argv[j]!, Err.zsetWeightFloat);
    } else if (algebra && left >= 2 && word === 'aggregate') {
      const how = argv[j + 1]!.toLowerCase();
      if (how === 'sum') q.how = Aggregate.Sum;
      else if (how === 'min') q.how = Aggregate.Min;
      else if (how === 'max') q.how = Aggregate.Max;
      else throw new ReplyError(Err.syntax);
      j += 2;
    } else if (!store && !card && word === 'withscores') {
      q.withScores = true;
      j++;
    } else if (card && left >= 2 && word === 'limit') {
      const n = parseLL(argv[j + 1]!);
      if (n === null || n < 0) throw new ReplyError(Err.limitNegative);
      q.limit = n;
      j += 2;
    } else throw new ReplyError(Err.syntax);
  }
  return q;
}

/**
 * The result of a set operation as member → score. Union and intersection
 * walk the inputs from the smallest (ties keep their order), so scores are
 * aggregated in Redis's order; the difference keeps the first set's scores.
 * `limit` (> 0) stops an intersection after that many members (ZINTERCARD).
 */
function computeSetOp(op: SetOp, q: SetOpQuery, limit: number): Map<string, number> {
  const out = new Map<string, number>();
  const ops = q.operands;
  if (op === SetOp.Diff) {
    const first = ops[0]!;
    operandForEach(first, (m, s) => {
      for (let i = 1; i < ops.length; i++) if (operandScore(ops[i]!, m) !== undefined) return;
      out.set(m, s);
    });
    return out;
  }
  const sorted = ops.slice().sort((a, b) => operandSize(a) - operandSize(b));
  if (op === SetOp.Union) {
    for (const o of sorted) {
      operandForEach(o, (m, s) => {
        const v = weighted(s, o.weight);
        const acc = out.get(m);
        out.set(m, acc === undefined ? v : aggregate(acc, v, q.how));
      });
    }
    return out;
  }
  const [first, ...rest] = sorted;
  if (operandSize(first!) === 0) return out;
  let done = false;
  operandForEach(first!, (m, s) => {
    if (done) return;
    let acc = weighted(s, first!.weight);
    for (const o of rest) {
      const score = operandScore(o, m);
      if (score === undefined) return;
      acc = aggregate(acc, score * o.weight, q.how);
    }
    out.set(m, acc);
    if (limit > 0 && out.size >= limit) done = true;
  });
  return out;
}

/** ZUNION / ZINTER / ZDIFF numkeys key … [options]: the result, sorted, with scores on request. */
function setOpCommand(op: SetOp) {
  return (c: Client, argv: string[]): void => {
    const q = parseSetOp(c, argv, 1, op, false, false);
    const result = ZSet.fromEntries(computeSetOp(op, q, 0), limitsOf(c));
    const members: string[] = [];
    const scores: number[] = [];
    for (let n = result.list.first; n !== null; n = n.next[0] ?? null) {
      members.push(n.member);
      scores.push(n.score);
    }
    replyElements(c, members, scores, q.withScores);
  };
}

/** ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE dst numkeys key … [options] */
function setOpStoreCommand(op: SetOp, event: string) {
  return (c: Client, argv: string[]): void => {
    const q = parseSetOp(c, argv, 2, op, true, false);
    storeResult(c, argv[1]!, computeSetOp(op, q, 0), event);
  };
}

/** ZINTERCARD numkeys key … [LIMIT n] */
function zintercard(c: Client, argv: string[]): void {
  const q = parseSetOp(c, argv, 1, SetOp.Inter, false, true);
  c.reply.int(computeSetOp(SetOp.Inter, q, q.limit).size);
}

// ---------------------------------------------------------------------------
// Pops

/**
 * Pops up to count members from the low end (or the high end when max) of
 * zs at key with Redis's effects: the "zpopmin"/"zpopmax" notification,
 * the key deleted (with "del") once empty, WATCH signalled, dirty counted
 * per member. Shared with the blocking pops.
 */
export function popZset(c: Client, key: string, zs: ZSet, max: boolean, count: number): Popped {
  const popped = zs.pop(max, count);
  afterRemoval(c, key, zs, max ? 'zpopmax' : 'zpopmin', popped.members.length);
  return popped;
}

/** ZMPOP/BZMPOP's reply: [key, [[member, score] …]] in both protocols. */
export function replyMpop(c: Client, key: string, popped: Popped): void {
  const w = c.reply;
  w.array(2);
  w.bulk(key);
  w.array(popped.members.length);
  for (let i = 0; i < popped.members.length; i++) {
    w.array(2);
    w.bulk(popped.members[i]!);
    w.double(popped.scores[i]!);
  }
}

/**
 * ZPOPMIN / ZPOPMAX key [count]: without a count one member and its score
 * (a flat pair in both protocols); with a count an array of them (pairs in
 * RESP3). A missing key answers an empty array.
 */
function zpop(max: boolean) {
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    const counted = argv.length > 2;
    if (argv.length > 3) throw new ReplyError(Err.syntax);
    const count = counted ? parsePositiveCount(argv[2]!) : 1;
    const zs = writeZset(c, key);
    if (zs === undefined || count === 0) {
      c.reply.array(0);
      return;
    }
    const popped = popZset(c, key, zs, max, count);
    if (counted) replyElements(c, popped.members, popped.scores, true);
    else {
      c.reply.array(2);
      c.reply.bulk(popped.members[0]!);
      c.reply.double(popped.scores[0]!);
    }
  };
}

/** A parsed ZMPOP / BZMPOP request: keys to try in order, which end, how many. */
export interface ZmpopRequest {
  keys: string[];
  max: boolean;
  count: number;
}

/**
 * Parses "numkeys key… MIN|MAX [COUNT n]" starting at argv[at] (ZMPOP, and
 * BZMPOP after its timeout), in Redis's order of checks.
 */
export function parseZmpop(argv: readonly string[], at: number): ZmpopRequest {
  const numkeys = parseLL(argv[at]!);
  if (numkeys === null || numkeys < 1) throw new ReplyError(Err.numkeysNotPositive);
  const whereAt = at + 1 + numkeys;
  if (whereAt >= argv.length) throw new ReplyError(Err.syntax);
  const where = argv[whereAt]!.toLowerCase();
  if (where !== 'min' && where !== 'max') throw new ReplyError(Err.syntax);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j += 2) {
    if (count !== -1 || argv[j]!.toLowerCase() !== 'count' || j + 1 >= argv.length) throw new ReplyError(Err.syntax);
    const n = parseLL(argv[j + 1]!);
    if (n === null || n < 1) throw new ReplyError(Err.countNotPositive);
    count = n;
  }
  return { keys: argv.slice(at + 1, whereAt), max: where === 'max', count: count === -1 ? 1 : count };
}

/**
 * ZMPOP numkeys key … MIN|MAX [COUNT n]: pops from the first non-empty
 * key; null when every key is missing. Replicated as ZPOPMIN/ZPOPMAX of
 * that key with the number of members popped.
 */
function zmpop(c: Client, argv: string[]): void {
  const { keys, max, count } = parseZmpop(argv, 1);
  for (const key of keys) {
    const zs = writeZset(c, key);
    if (zs === undefined) continue;
    const popped = popZset(c, key, zs, max, count);
    replyMpop(c, key, popped);
    c.propagateArgv = [max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(popped.members.length)];
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER, ZSCAN

/** A negative ZRANDMEMBER count beyond this is refused (Redis 7.0 crashes on such counts). */
const MAX_RANDOM_REPLY = 2 ** 32;

/**
 * ZRANDMEMBER key [count [WITHSCORES]]: one random member (null when the
 * key is missing); a negative count draws with repetition, a positive one
 * distinct members, all of them (highest score first, as Redis answers)
 * when count reaches the size.
 */
function zrandmember(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 2) {
    const zs = readZset(c, key);
    if (zs === undefined) c.reply.nullBulk();
    else c.reply.bulk(zs.scores.randomKey());
    return;
  }
  const count = parseRandomCount(argv[2]!);
  if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withscores')) throw new ReplyError(Err.syntax);
  const withScores = argv.length === 4;
  if (-count > MAX_RANDOM_REPLY) throw new ReplyError(Err.randomCountRange);
  const zs = readZset(c, key);
  if (zs === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  if (count < 0) {
    replyRandomWithRepeats(c, zs, -count, withScores);
    return;
  }
  let members: string[];
  if (count >= zs.size) {
    members = [];
    for (let n = zs.list.tail; n !== null; n = n.backward) members.push(n.member);
  } else {
    members = distinctRandom(
      count,
      zs.size,
      () => {
        const all: string[] = [];
        zs.scores.forEach((m) => all.push(m));
        return all;
      },
      () => zs.scores.randomKey(),
    );
  }
  replyElements(c, members, withScores ? members.map((m) => zs.score(m)!) : [], withScores);
}

/** count random members (repeats allowed), written as they are drawn, with their scores on request. */
function replyRandomWithRepeats(c: Client, zs: ZSet, count: number, withScores: boolean): void {
  const w = c.reply;
  if (withScores) w.pairs(count);
  else w.array(count);
  for (let i = 0; i < count; i++) {
    const member = zs.scores.randomKey();
    if (withScores) w.pair();
    w.bulk(member);
    if (withScores) w.double(zs.score(member)!);
  }
}

/**
 * ZSCAN key cursor [MATCH p] [COUNT n]: a listpack-sized set is returned
 * whole in order (cursor 0), a larger one `count` members at a time along
 * its map's scan order (cursor values are Dict.scan's sequence numbers,
 * not Redis's bucket indexes; a member present throughout is returned).
 * Members and scores are bulk strings.
 */
function zscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  const zs = readZset(c, argv[1]!);
  if (zs === undefined) return replyScan(c, 0, []);
  const opts = parseScanOptions(argv, 3, false);
  const out: string[] = [];
  const visit = (member: string, score: number): void => {
    if (opts.match === null || opts.match(member)) out.push(member, formatDouble17g(score));
  };
  let next = 0;
  if (zs.encoding() === 'listpack') for (let n = zs.list.first; n !== null; n = n.next[0] ?? null) visit(n.member, n.score);
  else next = zs.scores.scan(cursor, opts.count, visit);
  replyScan(c, next, out);
}

export const zsetCommands: CommandDef[] = [
  { name: 'zadd', handler: zadd },
  { name: 'zincrby', handler: zincrby },
  { name: 'zrem', handler: zrem },
  { name: 'zremrangebyrank', handler: zremrange('rank') },
  { name: 'zremrangebyscore', handler: zremrange('score') },
  { name: 'zremrangebylex', handler: zremrange('lex') },
  { name: 'zcard', handler: zcard },
  { name: 'zscore', handler: zscore },
  { name: 'zmscore', handler: zmscore },
  { name: 'zrank', handler: zrank(false) },
  { name: 'zrevrank', handler: zrank(true) },
  { name: 'zcount', handler: zcount },
  { name: 'zlexcount', handler: zlexcount },
  { name: 'zrange', handler: zrangeCommand(RangeKind.Auto, null) },
  { name: 'zrevrange', handler: zrangeCommand(RangeKind.Rank, true) },
  { name: 'zrangebyscore', handler: zrangeCommand(RangeKind.Score, false) },
  { name: 'zrevrangebyscore', handler: zrangeCommand(RangeKind.Score, true) },
  { name: 'zrangebylex', handler: zrangeCommand(RangeKind.Lex, false) },
  { name: 'zrevrangebylex', handler: zrangeCommand(RangeKind.Lex, true) },
  { name: 'zrangestore', handler: zrangestore },
  { name: 'zunion', handler: setOpCommand(SetOp.Union) },
  { name: 'zinter', handler: setOpCommand(SetOp.Inter) },
  { name: 'zdiff', handler: setOpCommand(SetOp.Diff) },
  { name: 'zunionstore', handler: setOpStoreCommand(SetOp.Union, 'zunionstore') },
  { name: 'zinterstore', handler: setOpStoreCommand(SetOp.Inter, 'zinterstore') },
  { name: 'zdiffstore', handler: setOpStoreCommand(SetOp.Diff, 'zdiffstore') },
  { name: 'zintercard', handler: zintercard },
  { name: 'zpopmin', handler: zpop(false) },
  { name: 'zpopmax', handler: zpop(true) },
  { name: 'zmpop', handler: zmpop },
  { name: 'zrandmember', handler: zrandmember },
  { name: 'zscan', handler: zscan },
];
