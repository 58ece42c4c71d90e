/**
 * Generic keyspace commands: DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX
 * RANDOMKEY DBSIZE. (Expiry is in expire.ts, KEYS/SCAN in scan.ts,
 * commands spanning databases in databases.ts, OBJECT in object.ts.)
 *
 * Logically expired keys never show: lookups apply lazy expiry (deleting
 * the key and replicating a DEL on a master) before answering.
 */
import { F, type CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { typeName } from '../keyspace/values.js';
import { readNoTouch, readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';

/** Attempts RANDOMKEY makes on a replica whose keys all have a TTL before giving up on finding a live one. */
const RANDOMKEY_REPLICA_TRIES = 100;

/** DEL and UNLINK (freeing memory is the GC's job either way): deletes the keys, replies with how many existed. */
function del(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    db.expireIfNeeded(key);
    if (db.delete(key)) {
      n++;
      keyChanged(c, 'g', 'del', key);
    }
  }
  c.server.dirty += n;
  c.reply.int(n);
}

/** EXISTS: how many of the keys exist (a key named twice counts twice). */
function exists(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (readNoTouch(c, argv[i]!) !== undefined) n++;
  c.reply.int(n);
}

/** TOUCH: like EXISTS, but counts as an access (idle time, LFU). */
function touch(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (readTouch(c, argv[i]!) !== undefined) n++;
  c.reply.int(n);
}

function type(c: Client, argv: string[]): void {
  const e = readNoTouch(c, argv[1]!);
  c.reply.simple(e === undefined ? 'none' : typeName(e.value));
}

/**
 * RENAME and RENAMENX (`nx`): moves the value and its expiry from src to
 * dst, replacing dst (RENAME) or giving up if dst exists (RENAMENX). The
 * value keeps its access statistics, as the same object moves in Redis.
 */
function rename(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  const e = db.lookupWrite(src);
  if (e === undefined) throw new ReplyError(Err.noSuchKey);
  if (src === dst) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.reply.int(0);
      return;
    }
    db.delete(dst);
  }
  db.delete(src);
  db.addMoved(dst, e, expire);
  c.server.dirty++;
  keyChanged(c, 'g', 'rename_from', src);
  keyChanged(c, 'g', 'rename_to', dst);
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/**
 * RANDOMKEY: a random live key, or null when the db is empty. Expired
 * picks are deleted (on a master) and another is drawn; a replica whose
 * keys all have a TTL answers with a possibly expired key after a bounded
 * number of draws, since it cannot delete them.
 */
function randomkey(c: Client): void {
  const db = c.db;
  let tries = RANDOMKEY_REPLICA_TRIES;
  for (;;) {
    const key = db.randomKey();
    if (key === undefined) {
      c.reply.nullBulk();
      return;
    }
    if (db.isExpired(key)) {
      const allVolatile = db.expires.size === db.size;
      if (c.server.isReplica() && allVolatile && --tries === 0) {
        c.reply.bulk(key);
        return;
      }
      db.expireIfNeeded(key);
      continue;
    }
    c.reply.bulk(key);
    return;
  }
}

export const keyCommands: CommandDef[] = [
  { name: 'del', handler: del },
  { name: 'unlink', handler: del },
  { name: 'exists', handler: exists },
  { name: 'touch', handler: touch },
  { name: 'type', handler: type },
  { name: 'rename', handler: (c, argv) => rename(c, argv, false) },
  { name: 'renamenx', handler: (c, argv) => rename(c, argv, true) },
  { name: 'randomkey', handler: randomkey, internalFlags: F.touches_arbitrary_keys },
  { name: 'dbsize', handler: (c) => c.reply.int(c.db.size) },
];
