/**
 * List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
 * LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP, with Redis 7.0's replies,
 * errors and order of checks (arguments first, then the key's type, except
 * LINDEX and LSET, which look the key up before parsing the index).
 *
 * The changes themselves and their signals live in list-ops.ts (shared
 * with the blocking commands). Every command replicates as sent except
 * LMPOP, which replicates as the LPOP/RPOP of what it popped, as Redis does.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { normalizeRange, positions, type List, type PositionQuery } from '../datatypes/list.js';
import { integerArg } from './strings.js';
import { keyChanged } from './key-signals.js';
import {
  boundedArg,
  deleteIfEmpty,
  moveElement,
  multiPopFrom,
  parseEnd,
  parseMultiPop,
  popElements,
  popOne,
  pushElements,
  readList,
  replyElements,
  writableList,
  type End,
} from './list-ops.js';

/** Text of the smallest int64, the one LPOS rank whose negation overflows in Redis. */
const INT64_MIN_TEXT = '-9223372036854775808';

// ---------------------------------------------------------------------------
// Pushes

/** LPUSH/RPUSH key element…: creates the list if needed; replies its length. */
function push(end: End) {
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    c.reply.int(pushElements(c, key, writableList(c, key), end, argv, 2));
  };
}

/** LPUSHX/RPUSHX key element…: pushes only onto an existing list; replies its length or 0. */
function pushExisting(end: End) {
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    const list = writableList(c, key);
    c.reply.int(list === undefined ? 0 : pushElements(c, key, list, end, argv, 2));
  };
}

// ---------------------------------------------------------------------------
// Pops

/**
 * LPOP/RPOP key [count]. Without count: the element or a null bulk. With
 * count (checked before the key): up to count elements, an empty array for
 * count 0, a null array when the key is missing.
 */
function pop(end: End) {
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    if (argv.length > 3) throw new ReplyError(Err.wrongArity(end === 'left' ? 'lpop' : 'rpop'));
    if (argv.length === 2) {
      const list = writableList(c, key);
      if (list === undefined) c.reply.nullBulk();
      else c.reply.bulk(popOne(c, key, list, end));
      return;
    }
    const n = boundedArg(argv[2]!, 0, Err.mustBePositive);
    const list = writableList(c, key);
    if (list === undefined) c.reply.nullArray();
    else if (n === 0) c.reply.array(0);
    else replyElements(c, popElements(c, key, list, end, n));
  };
}

/**
 * LMPOP numkeys key… LEFT|RIGHT [COUNT count]: pops from the first key
 * holding a list; replies [key, elements] or a null array. Replicated as
 * LPOP/RPOP key <number popped>.
 */
function lmpop(c: Client, argv: string[]): void {
  const req = parseMultiPop(argv, 1);
  for (let i = 0; i < req.keys.length; i++) {
    const key = req.keys[i]!;
    const list = writableList(c, key);
    if (list === undefined) continue;
    c.propagateArgv = multiPopFrom(c, key, list, req.end, req.count);
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// Reads

function llen(c: Client, argv: string[]): void {
  c.reply.int(readList(c, argv[1]!)?.length ?? 0);
}

/** LRANGE key start stop: indexes parsed first; negative ones count from the tail. */
function lrange(c: Client, argv: string[]): void {
  const start = integerArg(argv[2]!);
  const stop = integerArg(argv[3]!);
  const list = readList(c, argv[1]!);
  const range = list === undefined ? null : normalizeRange(start, stop, list.length);
  if (range === null) {
    c.reply.array(0);
    return;
  }
  c.reply.array(range[1] - range[0] + 1);
  for (let i = range[0]; i <= range[1]; i++) c.reply.bulk(list!.at(i));
}

/** LINDEX key index: the key is looked up before the index is parsed. */
function lindex(c: Client, argv: string[]): void {
  const list = readList(c, argv[1]!);
  if (list === undefined) {
    c.reply.nullBulk();
    return;
  }
  const i = resolveIndex(integerArg(argv[2]!), list);
  if (i === -1) c.reply.nullBulk();
  else c.reply.bulk(list.at(i));
}

/** The position of index (negative counts from the tail) in list, or -1 when out of range. */
function resolveIndex(index: number, list: List): number {
  const i = index < 0 ? index + list.length : index;
  return i >= 0 && i < list.length ? i : -1;
}

/**
 * LPOS key element [RANK r] [COUNT n] [MAXLEN m]: options are checked as
 * they come, before the key. With COUNT the reply is an array (empty when
 * missing), otherwise the first index or null.
 */
function lpos(c: Client, argv: string[]): void {
  const q: PositionQuery = { rank: 1, count: 0, maxlen: 0 };
  let withCount = false;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) throw new ReplyError(Err.syntax);
    const value = argv[++i]!;
    if (opt === 'rank') {
      q.rank = integerArg(value);
      if (q.rank === 0) throw new ReplyError(Err.lposRankZero);
      // Redis negates the rank to search from the tail; int64's minimum stays negative and matches from the first hit.
      if (value === INT64_MIN_TEXT) q.rank = -1;
    } else if (opt === 'count') {
      q.count = boundedArg(value, 0, Err.lposCountNegative);
      withCount = true;
    } else if (opt === 'maxlen') {
      q.maxlen = boundedArg(value, 0, Err.lposMaxlenNegative);
    } else throw new ReplyError(Err.syntax);
  }
  const list = readList(c, argv[1]!);
  if (!withCount) q.count = 1;
  const found = list === undefined ? [] : positions(list, argv[2]!, q);
  if (withCount) {
    c.reply.array(found.length);
    for (let i = 0; i < found.length; i++) c.reply.int(found[i]!);
  } else if (found.length === 0) c.reply.nullBulk();
  else c.reply.int(found[0]!);
}

// ---------------------------------------------------------------------------
// In-place changes

/** LSET key index element: no such key / WRONGTYPE before the index is parsed. */
function lset(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const list = writableList(c, key);
  if (list === undefined) throw new ReplyError(Err.noSuchKey);
  const i = resolveIndex(integerArg(argv[2]!), list);
  if (i === -1) throw new ReplyError(Err.indexOutOfRange);
  list.setAt(i, argv[3]!);
  signalChange(c, key, 'lset', 1);
  c.reply.ok();
}

/** LINSERT key BEFORE|AFTER pivot element: the new length, 0 for a missing key, -1 without the pivot. */
function linsert(c: Client, argv: string[]): void {
  const where = argv[2]!.toLowerCase();
  if (where !== 'before' && where !== 'after') throw new ReplyError(Err.syntax);
  const key = argv[1]!;
  const list = writableList(c, key);
  if (list === undefined) {
    c.reply.int(0);
    return;
  }
  const at = list.indexOf(argv[3]!);
  if (at === -1) {
    c.reply.int(-1);
    return;
  }
  list.insertAt(where === 'before' ? at : at + 1, argv[4]!);
  signalChange(c, key, 'linsert', 1);
  c.reply.int(list.length);
}

/** LREM key count element: removes matches (see List.removeMatching); replies how many. */
function lrem(c: Client, argv: string[]): void {
  const count = integerArg(argv[2]!);
  const key = argv[1]!;
  const list = writableList(c, key);
  const removed = list === undefined ? 0 : list.removeMatching(argv[3]!, count);
  if (removed > 0) {
    signalChange(c, key, 'lrem', removed);
    deleteIfEmpty(c, key, list!);
  }
  c.reply.int(removed);
}

/** LTRIM key start stop: keeps the range (deleting the key when it is empty); always notifies. */
function ltrim(c: Client, argv: string[]): void {
  const start = integerArg(argv[2]!);
  const stop = integerArg(argv[3]!);
  const key = argv[1]!;
  const list = writableList(c, key);
  if (list !== undefined) {
    const before = list.length;
    const range = normalizeRange(start, stop, before);
    if (range === null) list.clear();
    else list.trim(range[0], range[1]);
    signalChange(c, key, 'ltrim', before - list.length);
    deleteIfEmpty(c, key, list);
  }
  c.reply.ok();
}

/** Signals an in-place change of the list at key: WATCH, the event, dirty. */
function signalChange(c: Client, key: string, event: string, dirty: number): void {
  keyChanged(c, 'l', event, key);
  c.server.dirty += dirty;
}

// ---------------------------------------------------------------------------
// Moves

/**
 * Moves one element from src to dst (LMOVE, RPOPLPUSH): the source is
 * looked up first (null reply when missing), then the destination's type
 * is checked, before anything changes.
 */
function move(c: Client, src: string, dst: string, from: End, to: End): void {
  const srcList = writableList(c, src);
  if (srcList === undefined) {
    c.reply.nullBulk();
    return;
  }
  const dstList = writableList(c, dst);
  c.reply.bulk(moveElement(c, src, srcList, dst, dstList, from, to));
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
function lmove(c: Client, argv: string[]): void {
  const from = parseEnd(argv[3]!);
  const to = parseEnd(argv[4]!);
  if (from === null || to === null) throw new ReplyError(Err.syntax);
  move(c, argv[1]!, argv[2]!, from, to);
}

export const listCommands: CommandDef[] = [
  { name: 'lpush', handler: push('left') },
  { name: 'rpush', handler: push('right') },
  { name: 'lpushx', handler: pushExisting('left') },
  { name: 'rpushx', handler: pushExisting('right') },
  { name: 'lpop', handler: pop('left') },
  { name: 'rpop', handler: pop('right') },
  { name: 'lmpop', handler: lmpop },
  { name: 'llen', handler: llen },
  { name: 'lrange', handler: lrange },
  { name: 'lindex', handler: lindex },
  { name: 'lpos', handler: lpos },
  { name: 'lset', handler: lset },
  { name: 'linsert', handler: linsert },
  { name: 'lrem', handler: lrem },
  { name: 'ltrim', handler: ltrim },
  { name: 'lmove', handler: lmove },
  { name: 'rpoplpush', handler: (c, argv) => move(c, argv[1]!, argv[2]!, 'right', 'left') },
];
