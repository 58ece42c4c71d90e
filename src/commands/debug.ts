/**
 * DEBUG: SLEEP, SET-ACTIVE-EXPIRE, POPULATE, OBJECT, RELOAD, LOG, DIGEST,
 * DIGEST-VALUE, HELP — the subcommands test suites and tools rely on.
 *
 * Like Redis 7.0 the command is gated by enable-debug-command: "no"
 * refuses it, "local" allows it from loopback and Unix socket connections
 * only, "yes" allows it from anywhere.
 */
import { readFileSync } from 'node:fs';
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { isLoopback } from '../server/server.js';
import { datasetDigest, valueDigest, DigestUnsupportedError } from '../keyspace/digest.js';
import { encodingOf, type Value } from '../keyspace/values.js';
import { RdbOutput } from '../persistence/rdb/output.js';
import { writeValueBody } from '../persistence/rdb/value-writer.js';
import { limitsFromConfig } from '../persistence/rdb/limits.js';
import { parseLL } from '../util/numbers.js';
import { ReplyError } from '../util/errors.js';
import { nowMs } from '../util/clock.js';
import { replyHelp, subcommandSyntaxError } from './help.js';

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

const HELP = [
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/** Whether enable-debug-command lets c run DEBUG. */
function debugAllowed(c: Client): boolean {
  const mode = c.server.config.str('enable-debug-command');
  if (mode === 'yes') return true;
  if (mode === 'local') return c.unix || isLoopback(c.socket.remoteAddress ?? '');
  return false;
}

/** C's atoi: an optional sign and leading digits, 0 when there are none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : parseInt(m[1]!, 10);
}

/** C's strtod on the longest numeric prefix, 0 when there is none. */
function strtod(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

/** Blocks the whole process for ms milliseconds, as DEBUG SLEEP stops Redis. */
function blockFor(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The bytes the value takes in an RDB file after its type byte and key
 * (DEBUG OBJECT's serializedlength), compressed as rdbcompression says.
 */
function serializedLength(c: Client, v: Value): number {
  const out = new RdbOutput(c.server.config.bool('rdbcompression'), false);
  writeValueBody(out, v, limitsFromConfig(c.server.config));
  return out.pending;
}

/** Redis shares the integers 0..9999 as one object whose refcount reads as INT_MAX. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

/** DEBUG OBJECT key: Redis's one-line description of the value. */
function debugObject(c: Client, key: string): void {
  const e = c.db.peek(key);
  if (e === undefined) throw new ReplyError('ERR no such key');
  const enc = encodingOf(e.value);
  const n = enc === 'int' ? parseLL(e.value as string) : null;
  const refcount = n !== null && n >= 0 && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
  const addr = (0x7f0000000000 + e.seq * 16).toString(16);
  const lru = Math.floor(e.lru / 1000) & 0xffffff;
  const idle = Math.max(0, Math.floor((nowMs() - e.lru) / 1000));
  c.reply.simple(`Value at:0x${addr} refcount:${refcount} encoding:${enc} serializedlength:${serializedLength(c, e.value)} lru:${lru} lru_seconds_idle:${idle}`);
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB, empties the
 * dataset and loads the file back (each step optional), like Redis.
 */
function debugReload(c: Client, argv: string[]): void {
  let merge = false;
  let flush = true;
  let save = true;
  for (const opt of argv.slice(2)) {
    const o = opt.toLowerCase();
    if (o === 'merge') merge = true;
    else if (o === 'noflush') flush = false;
    else if (o === 'nosave') save = false;
    else throw new ReplyError('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  const server = c.server;
  if (save && !server.persistence.save()) {
    c.error('ERR');
    return;
  }
  if (flush) {
    for (const db of server.dbs) {
      server.watches.touchAllInDb(db, null);
      db.clear();
    }
  }
  try {
    const buf = readFileSync(server.persistence.path);
    server.persistence.loadBuffer(buf, { merge });
  } catch (e) {
    server.logger.warning(`Error loading the RDB file: ${(e as Error).message}`);
    throw new ReplyError('ERR Error trying to load the RDB dump, check server logs.');
  }
  server.logger.warning('DB reloaded by DEBUG RELOAD');
  c.reply.ok();
}

/** A non-negative integer argument of POPULATE, or Redis's error. */
function positiveArg(s: string): number {
  const n = parseLL(s);
  if (n === null || n < 0) throw new ReplyError('ERR value is out of range, must be positive');
  return n;
}

/**
 * DEBUG POPULATE count [prefix] [size]: creates string keys prefix:0 …
 * with values "value:<n>" (cut or zero-padded to size when size > 0),
 * skipping keys that exist. Not propagated and not counted as changes.
 */
function debugPopulate(c: Client, argv: string[]): void {
  const count = positiveArg(argv[2]!);
  const prefix = argv.length >= 4 ? argv[3]! : 'key';
  const size = argv.length >= 5 ? positiveArg(argv[4]!) : 0;
  const db = c.db;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.lookupWrite(key) !== undefined) continue;
    let value = `value:${i}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.add(key, value);
  }
  c.reply.ok();
}

function digestOrError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DigestUnsupportedError) throw new ReplyError(`ERR ${e.message}`);
    throw e;
  }
}

function debug(c: Client, argv: string[]): void {
  if (!debugAllowed(c)) throw new ReplyError(NOT_ALLOWED);
  const sub = argv[1]!.toLowerCase();
  const n = argv.length;
  if (sub === 'help' && n === 2) {
    replyHelp(c, 'DEBUG', HELP);
  } else if (sub === 'sleep' && n === 3) {
    blockFor(strtod(argv[2]!) * 1000);
    c.reply.ok();
  } else if (sub === 'set-active-expire' && n === 3) {
    c.server.cron.activeExpireEnabled = atoi(argv[2]!) !== 0;
    c.reply.ok();
  } else if (sub === 'populate' && n >= 3 && n <= 5) {
    debugPopulate(c, argv);
  } else if (sub === 'object' && n === 3) {
    debugObject(c, argv[2]!);
  } else if (sub === 'log' && n === 3) {
    c.server.logger.warning(`DEBUG LOG: ${argv[2]!}`);
    c.reply.ok();
  } else if (sub === 'reload') {
    debugReload(c, argv);
  } else if (sub === 'digest' && n === 2) {
    c.reply.simple(digestOrError(() => datasetDigest(c.server.dbs)).hex());
  } else if (sub === 'digest-value' && n >= 2) {
    const digests = digestOrError(() => argv.slice(2).map((key) => valueDigest(c.db, key)));
    c.reply.array(digests.length);
    for (const d of digests) c.reply.simple(d === null ? '0'.repeat(40) : d.hex());
  } else {
    throw subcommandSyntaxError('DEBUG', argv[1]!);
  }
}

export const debugCommands: CommandDef[] = [{ name: 'debug', handler: debug }];
