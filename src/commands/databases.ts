/**
 * Commands that span databases: MOVE, COPY, SWAPDB, FLUSHDB, FLUSHALL.
 *
 * All are O(1) in the number of keys except COPY's deep copy of one value:
 * SWAPDB exchanges two Dbs' maps and FLUSHDB/FLUSHALL install empty ones,
 * leaving the old contents to the garbage collector, so SYNC and ASYNC
 * both return at once without blocking the event loop.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import type { Db } from '../keyspace/db.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { isString, type Value } from '../keyspace/values.js';
import { readTouch } from './key-lookup.js';
import { keyChanged, keyChangedIn } from './key-signals.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * Parses a C int argument like Redis's getIntFromObjectOrReply: throws
 * `custom` for any failure when given, else "not an integer" for bad text
 * and "out of range" for an int64 outside the int range.
 */
function parseInt32(text: string, custom?: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(custom ?? Err.notInteger);
  if (n < INT_MIN || n > INT_MAX) throw new ReplyError(custom ?? Err.intOutOfRange);
  return n;
}

/** The db with index `id`, or throws "DB index is out of range". */
function dbAt(c: Client, id: number): Db {
  const db = c.server.dbs[id];
  if (db === undefined) throw new ReplyError(Err.dbIndexOutOfRange);
  return db;
}

/** A deep copy of a value (COPY): latin1 strings are immutable, Buffers and typed values are copied. */
function copyValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (isString(v)) return Buffer.from(v);
  return v.clone();
}

/**
 * MOVE key db: moves key with its expiry from the selected db to another,
 * unless it is missing here or already present there (replies 0).
 */
function move(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const src = c.db;
  const dst = dbAt(c, parseInt32(argv[2]!));
  if (dst === src) throw new ReplyError(Err.sameObject);
  const e = src.lookupWrite(key);
  if (e === undefined || dst.lookupWrite(key) !== undefined) {
    c.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  src.delete(key);
  dst.addMoved(key, e, expire);
  c.server.dirty++;
  keyChanged(c, 'g', 'move_from', key);
  keyChangedIn(c, dst, 'g', 'move_to', key);
  c.reply.int(1);
}

/**
 * COPY src dst [DB n] [REPLACE]: a deep copy of src's value and expiry
 * under dst (in db n). Replies 0 when src is missing or dst exists without
 * REPLACE.
 */
function copy(c: Client, argv: string[]): void {
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  let dstId = c.db.id;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    if (word === 'replace') replace = true;
    else if (word === 'db' && i + 1 < argv.length) dstId = parseInt32(argv[++i]!);
    else throw new ReplyError(Err.syntax);
  }
  const dst = dbAt(c, dstId);
  if (dst === c.db && srcKey === dstKey) throw new ReplyError(Err.sameObject);
  const e = readTouch(c, srcKey);
  if (e === undefined) {
    c.reply.int(0);
    return;
  }
  if (dst.lookupWrite(dstKey) !== undefined) {
    if (!replace) {
      c.reply.int(0);
      return;
    }
    dst.delete(dstKey);
  }
  const expire = c.db.getExpire(srcKey);
  // A duplicate, never Redis's shared small-integer object.
  dst.add(dstKey, copyValue(e.value)).sharedInt = false;
  if (expire !== -1) dst.setExpire(dstKey, expire);
  c.server.dirty++;
  keyChangedIn(c, dst, 'g', 'copy_to', dstKey);
  c.reply.int(1);
}

/** SWAPDB a b: exchanges two databases' contents; clients stay on their db numbers. */
function swapdb(c: Client, argv: string[]): void {
  const a = parseInt32(argv[1]!, Err.invalidFirstDb);
  const b = parseInt32(argv[2]!, Err.invalidSecondDb);
  const dbs = c.server.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw new ReplyError(Err.dbIndexOutOfRange);
  if (a !== b) {
    c.server.watches.touchAllInDb(dbs[a]!, dbs[b]!);
    c.server.watches.touchAllInDb(dbs[b]!, dbs[a]!);
  }
  dbs[a]!.swapWith(dbs[b]!);
  c.server.blocking.keysReplaced(dbs[a]!);
  c.server.blocking.keysReplaced(dbs[b]!);
  c.server.dirty++;
  c.reply.ok();
}

/** Validates FLUSHDB/FLUSHALL's optional SYNC|ASYNC (both behave the same here: O(1)). */
function checkFlushMode(argv: readonly string[]): void {
  if (argv.length > 2) throw new ReplyError(Err.syntax);
  if (argv.length === 2) {
    const mode = argv[1]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') throw new ReplyError(Err.syntax);
  }
}

/**
 * Empties the given dbs (all of them for FLUSHALL, which then tells
 * persistence: it may save, resetting dirty), counting removed keys in
 * dirty. Like Redis, a flush is replicated even when it changed nothing.
 */
function flush(c: Client, argv: string[], dbs: readonly Db[], all: boolean): void {
  checkFlushMode(argv);
  const server = c.server;
  const dirtyBefore = server.dirty;
  for (const db of dbs) {
    server.watches.touchAllInDb(db, null);
    server.dirty += db.clear();
  }
  if (all) server.persistence.flushedAll();
  // The executor propagates when dirty changed; a flush goes out even when it did not.
  if (server.dirty === dirtyBefore) server.propagation.record(c.db.id, argv);
  c.reply.ok();
}

export const databaseCommands: CommandDef[] = [
  { name: 'move', handler: move },
  { name: 'copy', handler: copy },
  { name: 'swapdb', handler: swapdb },
  { name: 'flushdb', handler: (c, argv) => flush(c, argv, [c.db], false) },
  { name: 'flushall', handler: (c, argv) => flush(c, argv, c.server.dbs, true) },
];
