/**
 * DEBUG: SLEEP, SET-ACTIVE-EXPIRE, POPULATE, OBJECT, RELOAD, LOG, DIGEST,
 * DIGEST-VALUE, PROTOCOL, QUICKLIST-PACKED-THRESHOLD, LISTPACK, QUICKLIST,
 * HELP — the subcommands test suites and tools rely on.
 *
 * Like Redis 7.0 the command is gated by enable-debug-command: "no"
 * refuses it, "local" allows it from loopback and Unix socket connections
 * only, "yes" allows it from anywhere.
 */
import { readFileSync } from 'node:fs';
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { isLoopback } from '../util/net.js';
import { datasetDigest, valueDigest } from '../keyspace/digest.js';
import { encodingOf, type Value } from '../keyspace/values.js';
import { RdbOutput } from '../persistence/rdb/output.js';
import { listpackItems, writeValueBody } from '../persistence/rdb/value-writer.js';
import { quicklistNodes } from '../persistence/rdb/quicklist.js';
import { List, setPackedThreshold } from '../datatypes/list.js';
import type { HashValue } from '../datatypes/hash.js';
import type { ZSet } from '../datatypes/zset.js';
import { parseMemory } from '../config/values.js';
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
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
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
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
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
  writeValueBody(out, v);
  return out.pending;
}

/** Redis shares the integers 0..9999 as one object whose refcount reads as INT_MAX. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

/** The value at key for an inspecting subcommand (no access recorded), or Redis's error. */
function inspected(c: Client, key: string): Value {
  const e = c.db.peek(key);
  if (e === undefined) throw new ReplyError('ERR no such key');
  return e.value;
}

/**
 * DEBUG OBJECT's extra fields for a list: its quicklist's node count,
 * average entries per node, fill, whether it compresses, and the bytes of
 * its nodes (see persistence/rdb/quicklist.ts for how nodes are derived).
 */
function quicklistFields(list: List): string {
  const nodes = quicklistNodes(list);
  let bytes = 0;
  for (const n of nodes) bytes += n.bytes;
  const avg = (list.length / nodes.length).toFixed(2);
  return ` ql_nodes:${nodes.length} ql_avg_node:${avg} ql_listpack_max:${list.fill} ql_compressed:${list.compressDepth !== 0 ? 1 : 0} ql_uncompressed_size:${bytes}`;
}

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
  const extra = e.value instanceof List ? quicklistFields(e.value) : '';
  c.reply.simple(
    `Value at:0x${addr} refcount:${refcount} encoding:${enc} serializedlength:${serializedLength(c, e.value)} lru:${lru} lru_seconds_idle:${idle}${extra}`,
  );
}

/**
 * DEBUG LISTPACK key: prints the entries of a listpack-encoded value where
 * the server logs, as Redis prints the listpack on its standard output.
 */
function debugListpack(c: Client, key: string): void {
  const v = inspected(c, key);
  if (encodingOf(v) !== 'listpack') throw new ReplyError('ERR Not a listpack encoded object.');
  const items = listpackItems(v as HashValue | ZSet);
  const lines = [`{num entries ${items.length}}`, ...items.map((x, i) => `{index ${i}} ${x}`), '{end}'];
  c.server.logger.raw(lines.join('\n') + '\n');
  c.reply.simple('Listpack structure printed on stdout');
}

/**
 * DEBUG QUICKLIST key [0|1]: prints a list's quicklist settings and nodes
 * (with their entries when the level of detail is not 0) where the server
 * logs, as Redis prints them on its standard output.
 */
function debugQuicklist(c: Client, key: string, full: boolean): void {
  const v = inspected(c, key);
  if (!(v instanceof List)) throw new ReplyError('ERR Not a quicklist encoded object.');
  const nodes = quicklistNodes(v);
  const lines = [`{count : ${v.length}} {len : ${nodes.length}} {fill : ${v.fill}} {compress : ${v.compressDepth}}`];
  nodes.forEach((n, i) => {
    lines.push(`{node ${i}} {container : ${n.plain ? 'PLAIN' : 'PACKED'}} {count : ${n.to - n.from}} {sz : ${n.bytes}}`);
    if (full) for (let k = n.from; k < n.to; k++) lines.push(`  ${v.at(k)}`);
  });
  c.server.logger.raw(lines.join('\n') + '\n');
  c.reply.simple('Quicklist structure printed on stdout');
}

const PROTOCOL_TYPES = 'string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';

/** DEBUG PROTOCOL type: a sample reply of each RESP type, as Redis 7.0 sends them. */
function debugProtocol(c: Client, name: string): void {
  const r = c.reply;
  const type = name.toLowerCase();
  switch (type) {
    case 'string':
      r.bulk('Hello World');
      break;
    case 'integer':
      r.int(12345);
      break;
    case 'double':
      r.double(3.141);
      break;
    case 'bignum':
      r.bignum('1234567999999999999999999999999999999');
      break;
    case 'null':
      r.nullBulk();
      break;
    case 'array':
    case 'set':
      if (type === 'array') r.array(3);
      else r.set(3);
      for (let j = 0; j < 3; j++) r.int(j);
      break;
    case 'map':
      r.map(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      break;
    case 'attrib':
      r.attribute(1, () => {
        r.bulk('key-popularity');
        r.array(2);
        r.bulk('key:123');
        r.int(90);
      });
      r.bulk('Some real reply following the attribute');
      break;
    case 'push':
      if (r.resp < 3) throw new ReplyError('ERR RESP2 is not supported by this command');
      r.push(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      // A push is out of band: a real reply follows for clients that wait for one.
      r.bulk('Some real reply following the push reply');
      break;
    case 'verbatim':
      r.verbatim('This is a verbatim\nstring', 'txt');
      break;
    case 'true':
      r.bool(true);
      break;
    case 'false':
      r.bool(false);
      break;
    default:
      throw new ReplyError(`ERR Wrong protocol type name. Please use one of the following: ${PROTOCOL_TYPES}`);
  }
}

/** DEBUG QUICKLIST-PACKED-THRESHOLD size: the element length from which list elements get plain nodes. */
function debugPackedThreshold(c: Client, arg: string): void {
  const bytes = parseMemory(arg);
  if (bytes === null || !setPackedThreshold(Number(bytes))) {
    throw new ReplyError('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
  }
  c.reply.ok();
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
  } else if (sub === 'protocol' && n === 3) {
    debugProtocol(c, argv[2]!);
  } else if (sub === 'quicklist-packed-threshold' && n === 3) {
    debugPackedThreshold(c, argv[2]!);
  } else if (sub === 'listpack' && n === 3) {
    debugListpack(c, argv[2]!);
  } else if (sub === 'quicklist' && (n === 3 || n === 4)) {
    debugQuicklist(c, argv[2]!, n === 4 && atoi(argv[3]!) !== 0);
  } else if (sub === 'reload') {
    debugReload(c, argv);
  } else if (sub === 'digest' && n === 2) {
    c.reply.simple(datasetDigest(c.server.dbs).hex());
  } else if (sub === 'digest-value' && n >= 2) {
    const digests = argv.slice(2).map((key) => valueDigest(c.db, key));
    c.reply.array(digests.length);
    for (const d of digests) c.reply.simple(d === null ? '0'.repeat(40) : d.hex());
  } else {
    throw subcommandSyntaxError('DEBUG', argv[1]!);
  }
}

export const debugCommands: CommandDef[] = [{ name: 'debug', handler: debug }];
