/**
 * The blocking commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP on lists,
 * BZPOPMIN BZPOPMAX BZMPOP on sorted sets.
 *
 * Each first acts like its non-blocking form when a key has data (and is
 * replicated as that form: LPOP/RPOP key, LMOVE/RPOPLPUSH, LPOP/RPOP key
 * count, ZPOPMIN/ZPOPMAX key, ZPOPMIN/ZPOPMAX key count). Otherwise, inside EXEC it answers the null reply at once; outside
 * it blocks the client (src/blocking/registry.ts) with a Waiter that, when
 * a key receives data, completes the command as that client and
 * propagates the same non-blocking form (BLMOVE's directions then in
 * lowercase, as Redis writes them). A timeout answers a null array.
 *
 * Arguments are checked in Redis's order: BLMOVE's directions before the
 * timeout, BLMPOP's and BZMPOP's timeout before their numkeys, keys,
 * direction and COUNT.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { List } from '../datatypes/list.js';
import { parseBlockingTimeout } from '../blocking/timeout.js';
import { Serve, type Waiter } from '../blocking/registry.js';
import { moveElement, multiPopFrom, parseEnd, parseMultiPop, popOne, writableList, type End } from './list-ops.js';
import { ZSet } from '../datatypes/zset.js';
import { parseZmpop, popZset, replyMpop } from './zsets.js';

/** The value at key if it is a T, for serving a waiter: else Serve.Stop when missing, Serve.Skip when another type. */
function valueToServe<T>(c: Client, key: string, type: abstract new (...args: never[]) => T): T | Serve {
  const e = c.db.lookupWrite(key);
  if (e === undefined) return Serve.Stop;
  return e.value instanceof type ? (e.value as T) : Serve.Skip;
}

/** The sorted set at key for a command about to pop from it; throws WRONGTYPE for another type. */
function writableZset(c: Client, key: string): ZSet | undefined {
  const e = c.db.lookupWrite(key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof ZSet)) throw new ReplyError(Err.wrongType);
  return e.value;
}

/** Records the effect of a served waiter in the replication stream, as a unit of its own. */
function propagateServed(c: Client, argv: string[]): void {
  c.server.propagation.record(c.db.id, argv);
  c.server.propagation.commit();
}

/** Replies [key, element]: BLPOP/BRPOP's answer. */
function replyKeyElement(c: Client, key: string, element: string): void {
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(element);
}

/** Blocks c on keys of its db, or answers the null array at once inside EXEC. */
function blockOrNull(c: Client, keys: readonly string[], timeoutMs: number, waiter: Waiter): void {
  if (c.multi.executing) c.reply.nullArray();
  else c.server.blocking.block(c, c.db, keys, timeoutMs, waiter);
}

/** A waiter whose timeout answer is the null array (every blocking command, in both protocols). */
function waiter(c: Client, serve: (key: string) => Serve): Waiter {
  return { serve, replyTimeout: () => c.reply.nullArray() };
}

/** BLPOP/BRPOP key… timeout: pops one element from the first non-empty list. */
function blockingPop(end: End) {
  const pop = end === 'left' ? 'LPOP' : 'RPOP';
  return (c: Client, argv: string[]): void => {
    const timeout = parseBlockingTimeout(argv[argv.length - 1]!);
    const keys = argv.slice(1, -1);
    for (const key of keys) {
      const list = writableList(c, key);
      if (list === undefined) continue;
      replyKeyElement(c, key, popOne(c, key, list, end));
      c.propagateArgv = [pop, key];
      return;
    }
    blockOrNull(
      c,
      keys,
      timeout,
      waiter(c, (key) => {
        const list = valueToServe(c, key, List);
        if (!(list instanceof List)) return list;
        replyKeyElement(c, key, popOne(c, key, list, end));
        propagateServed(c, [pop, key]);
        return Serve.Done;
      }),
    );
  };
}

/**
 * BLMOVE/BRPOPLPUSH: moves one element from src to dst, blocking while src
 * is empty. `served` is the argv propagated when a waiter is served.
 */
function blockingMove(
  c: Client,
  src: string,
  dst: string,
  from: End,
  to: End,
  timeout: number,
  immediate: string[],
  served: string[],
): void {
  const srcList = writableList(c, src);
  if (srcList !== undefined) {
    c.reply.bulk(moveElement(c, src, srcList, dst, writableList(c, dst), from, to));
    c.propagateArgv = immediate;
    return;
  }
  if (c.multi.executing) {
    c.reply.nullBulk();
    return;
  }
  c.server.blocking.block(
    c,
    c.db,
    [src],
    timeout,
    waiter(c, () => {
      const list = valueToServe(c, src, List);
      if (!(list instanceof List)) return list;
      const d = c.db.lookupWrite(dst);
      if (d !== undefined && !(d.value instanceof List)) {
        // The element stays where it is, for the next waiter.
        c.error(Err.wrongType);
        return Serve.Done;
      }
      c.reply.bulk(moveElement(c, src, list, dst, d?.value as List | undefined, from, to));
      propagateServed(c, served);
      return Serve.Done;
    }),
  );
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
function blmove(c: Client, argv: string[]): void {
  const from = parseEnd(argv[3]!);
  const to = parseEnd(argv[4]!);
  if (from === null || to === null) throw new ReplyError(Err.syntax);
  const timeout = parseBlockingTimeout(argv[5]!);
  const [src, dst] = [argv[1]!, argv[2]!];
  blockingMove(c, src, dst, from, to, timeout, ['LMOVE', src, dst, argv[3]!, argv[4]!], ['LMOVE', src, dst, from, to]);
}

/** BRPOPLPUSH source destination timeout. */
function brpoplpush(c: Client, argv: string[]): void {
  const timeout = parseBlockingTimeout(argv[3]!);
  const effect = ['RPOPLPUSH', argv[1]!, argv[2]!];
  blockingMove(c, argv[1]!, argv[2]!, 'right', 'left', timeout, effect, effect);
}

/** BLMPOP timeout numkeys key… LEFT|RIGHT [COUNT count]. */
function blmpop(c: Client, argv: string[]): void {
  const timeout = parseBlockingTimeout(argv[1]!);
  const req = parseMultiPop(argv, 2);
  for (const key of req.keys) {
    const list = writableList(c, key);
    if (list === undefined) continue;
    c.propagateArgv = multiPopFrom(c, key, list, req.end, req.count);
    return;
  }
  blockOrNull(
    c,
    req.keys,
    timeout,
    waiter(c, (key) => {
      const list = valueToServe(c, key, List);
      if (!(list instanceof List)) return list;
      propagateServed(c, multiPopFrom(c, key, list, req.end, req.count));
      return Serve.Done;
    }),
  );
}

/** Pops one member from zs at key and replies [key, member, score]; returns the argv to propagate. */
function zpopOne(c: Client, key: string, zs: ZSet, max: boolean): string[] {
  const popped = popZset(c, key, zs, max, 1);
  c.reply.array(3);
  c.reply.bulk(key);
  c.reply.bulk(popped.members[0]!);
  c.reply.double(popped.scores[0]!);
  return [max ? 'ZPOPMAX' : 'ZPOPMIN', key];
}

/** BZPOPMIN/BZPOPMAX key… timeout: pops the lowest/highest member of the first non-empty sorted set. */
function bzpop(max: boolean) {
  return (c: Client, argv: string[]): void => {
    const timeout = parseBlockingTimeout(argv[argv.length - 1]!);
    const keys = argv.slice(1, -1);
    for (const key of keys) {
      const zs = writableZset(c, key);
      if (zs === undefined) continue;
      c.propagateArgv = zpopOne(c, key, zs, max);
      return;
    }
    blockOrNull(
      c,
      keys,
      timeout,
      waiter(c, (key) => {
        const zs = valueToServe(c, key, ZSet);
        if (!(zs instanceof ZSet)) return zs;
        propagateServed(c, zpopOne(c, key, zs, max));
        return Serve.Done;
      }),
    );
  };
}

/** BZMPOP timeout numkeys key… MIN|MAX [COUNT count]. */
function bzmpop(c: Client, argv: string[]): void {
  const timeout = parseBlockingTimeout(argv[1]!);
  const req = parseZmpop(argv, 2);
  /** Pops from zs at key, replies [key, [[member, score]…]], returns the argv to propagate. */
  const take = (key: string, zs: ZSet): string[] => {
    const popped = popZset(c, key, zs, req.max, req.count);
    replyMpop(c, key, popped);
    return [req.max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(popped.members.length)];
  };
  for (const key of req.keys) {
    const zs = writableZset(c, key);
    if (zs === undefined) continue;
    c.propagateArgv = take(key, zs);
    return;
  }
  blockOrNull(
    c,
    req.keys,
    timeout,
    waiter(c, (key) => {
      const zs = valueToServe(c, key, ZSet);
      if (!(zs instanceof ZSet)) return zs;
      propagateServed(c, take(key, zs));
      return Serve.Done;
    }),
  );
}

export const blockingCommands: CommandDef[] = [
  { name: 'blpop', handler: blockingPop('left') },
  { name: 'brpop', handler: blockingPop('right') },
  { name: 'blmove', handler: blmove },
  { name: 'brpoplpush', handler: brpoplpush },
  { name: 'blmpop', handler: blmpop },
  { name: 'bzpopmin', handler: bzpop(false) },
  { name: 'bzpopmax', handler: bzpop(true) },
  { name: 'bzmpop', handler: bzmpop },
];
