/**
 * Set commands: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SPOP
 * SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
 * SDIFFSTORE SSCAN, with Redis 7.0's replies (sets as RESP3 sets, random
 * picks with a count as arrays), errors and their order, encodings
 * (intset/hashtable, see datatypes/set.ts) and notifications.
 *
 * Effects: SPOP is replicated as an SREM per popped member (wrapped in
 * MULTI/EXEC by the propagation when there are several), or as DEL when it
 * pops the whole set (also under lazyfree-lazy-server-del, as in 7.0.15).
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { SetValue, difference, intersect, setFrom, union } from '../datatypes/set.js';
import { readTouch } from './key-lookup.js';
import { parseScanCursor, parseScanOptions, replyScan } from './scan.js';
import { distinctRandom, parsePositiveCount, parseRandomCount } from './random-count.js';

// ---------------------------------------------------------------------------
// Lookups and shared effects

/** The value of e as a set, or throws WRONGTYPE; undefined stays undefined. */
function asSet(value: unknown): SetValue | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof SetValue)) throw new ReplyError(Err.wrongType);
  return value;
}

/** The set at key for a read (counts a keyspace hit or miss). Throws WRONGTYPE. */
function readSet(c: Client, key: string): SetValue | undefined {
  return asSet(readTouch(c, key)?.value);
}

/** The set at key for a command about to change it. Throws WRONGTYPE. */
function writeSet(c: Client, key: string): SetValue | undefined {
  return asSet(c.db.lookupWrite(key)?.value);
}

function maxIntset(c: Client): number {
  return c.server.config.num('set-max-intset-entries');
}

/**
 * After members were removed from the set at key by `event`: notifies the
 * event, deletes the key (with a "del" notification) when it is empty, and
 * signals the change.
 */
function afterRemoval(c: Client, key: string, set: SetValue, event: string): void {
  c.server.events.notify('s', event, key, c.db.id);
  if (set.size === 0) deleteKey(c, key);
  c.server.events.modified(c.db, key);
}

/** Deletes key (an emptied or replaced set) with Redis's "del" notification. */
function deleteKey(c: Client, key: string): void {
  c.db.delete(key);
  c.server.events.notify('g', 'del', key, c.db.id);
}

/** Replies with members as a set (RESP3 "~"). */
function replyMembers(c: Client, members: readonly string[]): void {
  c.reply.set(members.length);
  for (let i = 0; i < members.length; i++) c.reply.bulk(members[i]!);
}

// ---------------------------------------------------------------------------
// Single-set commands

/** SADD key member [member …]: replies with the number of new members. */
function sadd(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let set = writeSet(c, key);
  if (set === undefined) {
    set = new SetValue();
    c.db.set(key, set);
  }
  const max = maxIntset(c);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!, max)) added++;
  if (added > 0) {
    c.server.events.modified(c.db, key);
    c.server.events.notify('s', 'sadd', key, c.db.id);
    c.server.dirty += added;
  }
  c.reply.int(added);
}

/** SREM key member [member …]: replies with the number removed; the emptied key goes. */
function srem(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const set = writeSet(c, key);
  let removed = 0;
  if (set !== undefined) {
    for (let i = 2; i < argv.length && set.size > 0; i++) if (set.remove(argv[i]!)) removed++;
    if (removed > 0) {
      afterRemoval(c, key, set, 'srem');
      c.server.dirty += removed;
    }
  }
  c.reply.int(removed);
}

function scard(c: Client, argv: string[]): void {
  c.reply.int(readSet(c, argv[1]!)?.size ?? 0);
}

function sismember(c: Client, argv: string[]): void {
  const set = readSet(c, argv[1]!);
  c.reply.int(set !== undefined && set.has(argv[2]!) ? 1 : 0);
}

function smismember(c: Client, argv: string[]): void {
  const set = readSet(c, argv[1]!);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.int(set !== undefined && set.has(argv[i]!) ? 1 : 0);
}

function smembers(c: Client, argv: string[]): void {
  const set = readSet(c, argv[1]!);
  replyMembers(c, set === undefined ? [] : set.members());
}

/**
 * SPOP key [count]. Without a count: a random member (or null), replicated
 * as SREM. With one (checked before the key): a set of up to count distinct
 * random members; popping the whole set deletes the key and is replicated
 * as DEL, popping part of it as one SREM per member.
 */
function spop(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  const count = argv.length === 3 ? parsePositiveCount(argv[2]!) : -1;
  const set = writeSet(c, key);
  if (count === -1) {
    if (set === undefined) {
      c.reply.nullBulk();
      return;
    }
    const m = set.pop();
    afterRemoval(c, key, set, 'spop');
    c.server.dirty++;
    c.propagateArgv = ['SREM', key, m];
    c.reply.bulk(m);
    return;
  }
  if (set === undefined || count === 0) {
    c.reply.set(0);
    return;
  }
  if (count >= set.size) {
    const all = set.members();
    c.server.events.notify('s', 'spop', key, c.db.id);
    deleteKey(c, key);
    c.server.events.modified(c.db, key);
    c.server.dirty++;
    c.propagateArgv = ['DEL', key];
    replyMembers(c, all);
    return;
  }
  const popped = distinctRandom(
    count,
    set.size,
    () => set.members(),
    () => set.random(),
  );
  for (const m of popped) set.remove(m);
  afterRemoval(c, key, set, 'spop');
  c.server.dirty++;
  propagateSrems(c, key, popped);
  replyMembers(c, popped);
}

/**
 * Replicates popped members as one `SREM key member` each: all but the last
 * are recorded here, the last replaces the command's own argv, so the
 * propagation emits them in order (wrapped in MULTI/EXEC when several).
 */
function propagateSrems(c: Client, key: string, members: readonly string[]): void {
  const last = members.length - 1;
  if (c.server.propagation.active) {
    for (let i = 0; i < last; i++) c.server.propagation.record(c.db.id, ['SREM', key, members[i]!]);
  }
  c.propagateArgv = ['SREM', key, members[last]!];
}

/**
 * SRANDMEMBER key [count]: without a count a random member or null; with
 * one (checked before the key), an array: a negative count allows repeats,
 * a count ≥ the size returns the whole set in its order, a smaller one
 * distinct random members.
 */
function srandmember(c: Client, argv: string[]): void {
  if (argv.length > 3) throw new ReplyError(Err.syntax);
  if (argv.length === 2) {
    const set = readSet(c, argv[1]!);
    if (set === undefined) c.reply.nullBulk();
    else c.reply.bulk(set.random());
    return;
  }
  const count = parseRandomCount(argv[2]!);
  const set = readSet(c, argv[1]!);
  if (set === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  if (count < 0) {
    c.reply.array(-count);
    for (let i = 0; i < -count; i++) c.reply.bulk(set.random());
    return;
  }
  const picked =
    count >= set.size
      ? set.members()
      : distinctRandom(
          count,
          set.size,
          () => set.members(),
          () => set.random(),
        );
  c.reply.array(picked.length);
  for (const m of picked) c.reply.bulk(m);
}

/**
 * SMOVE source destination member. A missing source answers 0 before the
 * destination's type is checked; moving within one set answers whether the
 * member is there.
 */
function smove(c: Client, argv: string[]): void {
  const [, src, dst, member] = argv as [string, string, string, string];
  const srcEntry = c.db.lookupWrite(src);
  const dstEntry = c.db.lookupWrite(dst);
  if (srcEntry === undefined) {
    c.reply.int(0);
    return;
  }
  const from = asSet(srcEntry.value)!;
  let to = asSet(dstEntry?.value);
  if (from === to) {
    c.reply.int(from.has(member) ? 1 : 0);
    return;
  }
  if (!from.remove(member)) {
    c.reply.int(0);
    return;
  }
  afterRemoval(c, src, from, 'srem');
  c.server.dirty++;
  if (to === undefined) {
    to = new SetValue();
    c.db.set(dst, to);
  }
  // The destination changed (WATCH, notification) only if the member was not there yet.
  if (to.add(member, maxIntset(c))) {
    c.server.dirty++;
    c.server.events.modified(c.db, dst);
    c.server.events.notify('s', 'sadd', dst, c.db.id);
  }
  c.reply.int(1);
}

// ---------------------------------------------------------------------------
// Set algebra

/**
 * The sets named by argv[from…to), with counted read lookups (also for the
 * STORE forms, as in Redis 7.0); missing keys are null. Every key is
 * type-checked, so WRONGTYPE wins over a missing key.
 */
function operandSets(c: Client, argv: readonly string[], from: number, to: number): (SetValue | null)[] {
  const sets: (SetValue | null)[] = [];
  for (let i = from; i < to; i++) sets.push(readSet(c, argv[i]!) ?? null);
  return sets;
}

/**
 * Stores members at dst as a new set (replacing any value and TTL) and
 * replies with its size; an empty result deletes dst instead. Notifies
 * `event` (or "del") and counts the change only when something changed.
 */
function storeResult(c: Client, dst: string, members: Iterable<string>, event: string): void {
  const result = setFrom(members, maxIntset(c));
  const events = c.server.events;
  const existed = c.db.lookupWrite(dst) !== undefined;
  if (result.size > 0) {
    c.db.set(dst, result);
    events.notify('s', event, dst, c.db.id);
  } else if (existed) {
    deleteKey(c, dst);
  } else {
    c.reply.int(0);
    return;
  }
  events.modified(c.db, dst);
  c.server.dirty++;
  c.reply.int(result.size);
}

/** SINTER key [key …] */
function sinter(c: Client, argv: string[]): void {
  replyMembers(c, intersect(operandSets(c, argv, 1, argv.length), 0));
}

/** SINTERSTORE destination key [key …] */
function sinterstore(c: Client, argv: string[]): void {
  storeResult(c, argv[1]!, intersect(operandSets(c, argv, 2, argv.length), 0), 'sinterstore');
}

/** SUNION key [key …] */
function sunion(c: Client, argv: string[]): void {
  replyMembers(c, setFrom(union(operandSets(c, argv, 1, argv.length)), maxIntset(c)).members());
}

/** SUNIONSTORE destination key [key …] */
function sunionstore(c: Client, argv: string[]): void {
  storeResult(c, argv[1]!, union(operandSets(c, argv, 2, argv.length)), 'sunionstore');
}

/** SDIFF key [key …] */
function sdiff(c: Client, argv: string[]): void {
  replyMembers(c, setFrom(difference(operandSets(c, argv, 1, argv.length)), maxIntset(c)).members());
}

/** SDIFFSTORE destination key [key …] */
function sdiffstore(c: Client, argv: string[]): void {
  storeResult(c, argv[1]!, difference(operandSets(c, argv, 2, argv.length)), 'sdiffstore');
}

/**
 * SINTERCARD numkeys key [key …] [LIMIT limit]: the size of the
 * intersection, counting stops at limit (0 = no limit). Checks in Redis's
 * order: numkeys, the number of keys, options, then the keys.
 */
function sintercard(c: Client, argv: string[]): void {
  const numkeys = parseLL(argv[1]!);
  if (numkeys === null || numkeys < 1) throw new ReplyError(Err.numkeysNotPositive);
  if (numkeys > argv.length - 2) throw new ReplyError(Err.numkeysTooMany);
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (argv[i]!.toLowerCase() === 'limit' && i + 1 < argv.length) {
      const n = parseLL(argv[++i]!);
      if (n === null || n < 0) throw new ReplyError(Err.limitNegative);
      limit = n;
    } else throw new ReplyError(Err.syntax);
  }
  c.reply.int(intersect(operandSets(c, argv, 2, 2 + numkeys), limit).length);
}

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked
 * first, then the key (a missing key is an empty, finished scan), then the
 * options. An intset is returned whole in one call.
 */
function sscan(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  const set = readSet(c, argv[1]!);
  const found: string[] = [];
  let next = 0;
  if (set !== undefined) {
    const opts = parseScanOptions(argv, 3, false);
    const match = opts.match;
    next = set.scan(cursor, opts.count, (m) => {
      if (match === null || match(m)) found.push(m);
    });
  }
  replyScan(c, next, found);
}

export const setCommands: CommandDef[] = [
  { name: 'sadd', handler: sadd },
  { name: 'srem', handler: srem },
  { name: 'scard', handler: scard },
  { name: 'sismember', handler: sismember },
  { name: 'smismember', handler: smismember },
  { name: 'smembers', handler: smembers },
  { name: 'spop', handler: spop },
  { name: 'srandmember', handler: srandmember },
  { name: 'smove', handler: smove },
  { name: 'sinter', handler: sinter },
  { name: 'sinterstore', handler: sinterstore },
  { name: 'sintercard', handler: sintercard },
  { name: 'sunion', handler: sunion },
  { name: 'sunionstore', handler: sunionstore },
  { name: 'sdiff', handler: sdiff },
  { name: 'sdiffstore', handler: sdiffstore },
  { name: 'sscan', handler: sscan },
];
