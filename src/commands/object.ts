/**
 * OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP: introspection of a
 * key's value. Lookups do not count as accesses but do count keyspace hits
 * and misses; a missing key answers null.
 *
 * REFCOUNT follows Redis's shared integers: a string holding an integer in
 * 0..9999 is one shared object (refcount INT_MAX) if it was stored while
 * sharing was on (not under maxmemory with an LRU or LFU policy) and not
 * made by COPY, which duplicates; anything else is 1.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import type { Entry } from '../keyspace/db.js';
import { Err, ReplyError } from '../util/errors.js';
import { encodingOf } from '../keyspace/values.js';
import { lfuDecayed } from '../keyspace/access.js';
import { nowMs } from '../util/clock.js';
import { readNoTouch } from './key-lookup.js';
import { replyHelp } from './help.js';

/** Redis's refcount for shared objects (OBJ_SHARED_REFCOUNT). */
const SHARED_REFCOUNT = 2147483647;
/** Integers below this are shared objects (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;

const HELP_LINES = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** The entry for OBJECT's key argument, or undefined after replying null. */
function lookupOrNull(c: Client, argv: readonly string[]): Entry | undefined {
  const e = readNoTouch(c, argv[2]!, false);
  if (e === undefined) c.reply.nullBulk();
  return e;
}

function refcount(c: Client, argv: string[]): void {
  const e = lookupOrNull(c, argv);
  if (e === undefined) return;
  const v = e.value;
  const shared = e.sharedInt && typeof v === 'string' && encodingOf(v) === 'int' && Number(v) >= 0 && Number(v) < SHARED_INTEGERS;
  c.reply.int(shared ? SHARED_REFCOUNT : 1);
}

function encoding(c: Client, argv: string[]): void {
  const e = lookupOrNull(c, argv);
  if (e !== undefined) c.reply.bulk(encodingOf(e.value));
}

/** Seconds since the last access; not tracked under an LFU policy. */
function idletime(c: Client, argv: string[]): void {
  const e = lookupOrNull(c, argv);
  if (e === undefined) return;
  if (c.db.access.lfu) throw new ReplyError(Err.lfuSelected);
  c.reply.int(Math.max(0, Math.floor((nowMs() - e.lru) / 1000)));
}

/** The LFU counter (decayed to now); only tracked under an LFU policy. */
function freq(c: Client, argv: string[]): void {
  const e = lookupOrNull(c, argv);
  if (e === undefined) return;
  if (!c.db.access.lfu) throw new ReplyError(Err.lfuNotSelected);
  c.reply.int(lfuDecayed(e, c.db.access, nowMs()));
}

export const objectCommands: CommandDef[] = [
  { name: 'object|encoding', handler: encoding },
  { name: 'object|refcount', handler: refcount },
  { name: 'object|idletime', handler: idletime },
  { name: 'object|freq', handler: freq },
  { name: 'object|help', handler: (c) => replyHelp(c, 'OBJECT', HELP_LINES) },
];
