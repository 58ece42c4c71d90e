/**
 * List operations on the keyspace, shared by the list commands and the
 * blocking commands that serve waiting clients (BLPOP, BLMOVE, BLMPOP …).
 * Each operation changes the list at a key of the client's selected db and
 * emits what Redis 7.0 emits for it:
 *
 * - a push: `lpush`/`rpush` notification, signalModifiedKey, signalKeyAsReady,
 *   one dirty count per element;
 * - a pop: `lpop`/`rpop` notification, then `del` when the list became
 *   empty and its key was deleted, signalModifiedKey, one dirty count per
 *   element;
 * - a move (LMOVE, RPOPLPUSH): the destination's push events first, then
 *   the source's pop events, as Redis orders them.
 *
 * Propagation is left to the caller: list commands replicate as sent,
 * except LMPOP (multiPopFrom returns the LPOP/RPOP effect to replicate) and
 * served blocking pops, which their caller rewrites (effects, not intents).
 *
 * Also here: LMPOP/BLMPOP argument parsing, and the DEBUG DIGEST walk for
 * lists.
 */
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { List } from '../datatypes/list.js';
import { listShapeFromConfig } from '../persistence/rdb/limits.js';
import { readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';
import { parseLL } from '../util/numbers.js';

/** An end of a list: the head (LEFT) or the tail (RIGHT). */
export type End = 'left' | 'right';

/** Parses LEFT/RIGHT (any case), or returns null. */
export function parseEnd(arg: string): End | null {
  const lower = arg.toLowerCase();
  return lower === 'left' || lower === 'right' ? lower : null;
}

/** The pop notification for an end: "lpop" or "rpop". */
function popEvent(end: End): string {
  return end === 'left' ? 'lpop' : 'rpop';
}

/** The push notification for an end: "lpush" or "rpush". */
function pushEvent(end: End): string {
  return end === 'left' ? 'lpush' : 'rpush';
}

/**
 * The list at key for a command that reads it, counting a keyspace hit or
 * miss. Undefined when missing; throws WRONGTYPE for another type.
 */
export function readList(c: Client, key: string): List | undefined {
  const e = readTouch(c, key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof List)) throw new ReplyError(Err.wrongType);
  return e.value;
}

/**
 * The list at key for a command about to change it (a write lookup: no
 * hit/miss counting). Undefined when missing; throws WRONGTYPE for another
 * type.
 */
export function writableList(c: Client, key: string): List | undefined {
  const e = c.db.lookupWrite(key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof List)) throw new ReplyError(Err.wrongType);
  return e.value;
}

/**
 * Pushes elements[from…] one by one at `end` of the list at key (so LPUSH
 * a b c leaves c first), creating the key when list is undefined (the
 * caller looked it up with writableList). Emits the push events and
 * returns the list's new length.
 */
export function pushElements(c: Client, key: string, list: List | undefined, end: End, elements: readonly string[], from: number): number {
  if (list === undefined) {
    list = new List(elements.length - from, listShapeFromConfig(c.server.config));
    c.db.set(key, list);
  }
  if (end === 'left') for (let i = from; i < elements.length; i++) list.pushHead(elements[i]!);
  else for (let i = from; i < elements.length; i++) list.pushTail(elements[i]!);
  c.server.dirty += elements.length - from;
  keyChanged(c, 'l', pushEvent(end), key);
  c.server.events.ready(c.db, key);
  return list.length;
}

/** Removes one element from `end` of a non-empty list, without any signal. */
function takeOne(list: List, end: End): string {
  return end === 'left' ? list.popHead() : list.popTail();
}

/**
 * After elements were popped from the list at key: emits the pop event,
 * deletes the key (with a `del` event) when the list is now empty, and
 * signals the modification.
 */
function afterPop(c: Client, key: string, list: List, end: End): void {
  keyChanged(c, 'l', popEvent(end), key);
  deleteIfEmpty(c, key, list);
}

/** Deletes key, with a `del` event, when its list has become empty (no empty aggregates). */
export function deleteIfEmpty(c: Client, key: string, list: List): void {
  if (list.length !== 0) return;
  c.db.delete(key);
  c.server.events.notify('g', 'del', key, c.db.id);
}

/**
 * Pops up to count elements (count ≥ 1) from `end` of the non-empty list
 * at key, in pop order, with the pop events (LPOP/RPOP with a count, LMPOP,
 * a served BLMPOP).
 */
export function popElements(c: Client, key: string, list: List, end: End, count: number): string[] {
  const n = Math.min(count, list.length);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = takeOne(list, end);
  c.server.dirty += n;
  afterPop(c, key, list, end);
  return out;
}

/** Pops one element from `end` of the non-empty list at key, with the pop events (LPOP, a served BLPOP). */
export function popOne(c: Client, key: string, list: List, end: End): string {
  const v = takeOne(list, end);
  c.server.dirty++;
  afterPop(c, key, list, end);
  return v;
}

/**
 * Moves one element from `from` of the non-empty list at src to `to` of
 * the list at dst (dstList is what writableList found for dst, undefined
 * to create it; look it up before popping, as Redis checks the destination's
 * type first; src may equal dst, rotating the list). Emits the destination's
 * push events, then the source's pop events. Returns the moved element.
 */
export function moveElement(c: Client, src: string, srcList: List, dst: string, dstList: List | undefined, from: End, to: End): string {
  const v = takeOne(srcList, from);
  pushElements(c, dst, dstList, to, [v], 0);
  afterPop(c, src, srcList, from);
  return v;
}

/** An integer argument of at least min (0 or 1), or the given error (also for a non-integer). */
export function boundedArg(text: string, min: number, error: string): number {
  const n = parseLL(text);
  if (n === null || n < min) throw new ReplyError(error);
  return n;
}

/** Replies with elements as an array of bulk strings. */
export function replyElements(c: Client, elements: readonly string[]): void {
  c.reply.array(elements.length);
  for (let i = 0; i < elements.length; i++) c.reply.bulk(elements[i]!);
}

/** A parsed [LMPOP / BLMPOP] request: keys to try in order, the end to pop from, how many. */
export interface MultiPopRequest {
  keys: string[];
  end: End;
  count: number;
}

/**
 * Parses "numkeys key… LEFT|RIGHT [COUNT count]" starting at argv[at]
 * (LMPOP, and BLMPOP after its timeout), in Redis's order of checks:
 * numkeys ≥ 1, enough arguments, the end, then COUNT (≥ 1, at most once).
 */
export function parseMultiPop(argv: readonly string[], at: number): MultiPopRequest {
  const numkeys = boundedArg(argv[at]!, 1, Err.numkeysNotPositive);
  const endAt = at + 1 + numkeys;
  if (endAt >= argv.length) throw new ReplyError(Err.syntax);
  const end = parseEnd(argv[endAt]!);
  if (end === null) throw new ReplyError(Err.syntax);
  let count = 0;
  for (let i = endAt + 1; i < argv.length; i++) {
    if (count === 0 && argv[i]!.toLowerCase() === 'count' && i + 1 < argv.length) {
      count = boundedArg(argv[++i]!, 1, Err.countNotPositive);
    } else throw new ReplyError(Err.syntax);
  }
  return { keys: argv.slice(at + 1, endAt), end, count: count === 0 ? 1 : count };
}

/**
 * Pops up to count elements from `end` of the non-empty list at key and
 * replies [key, elements] (LMPOP, a served BLMPOP). Returns the effect to
 * replicate instead of the command: LPOP/RPOP key <number popped>.
 */
export function multiPopFrom(c: Client, key: string, list: List, end: End, count: number): string[] {
  const popped = popElements(c, key, list, end, count);
  c.reply.array(2);
  c.reply.bulk(key);
  replyElements(c, popped);
  return [end === 'left' ? 'LPOP' : 'RPOP', key, String(popped.length)];
}
