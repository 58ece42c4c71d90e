/**
 * Key expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT),
 * TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST.
 *
 * Expiry times are absolute Unix times in ms. The relative forms are
 * replicated as `PEXPIREAT key <abs-ms> [flags…]` (PEXPIREAT itself as
 * sent), and a time already in the past deletes the key and is replicated
 * as DEL (UNLINK under lazyfree-lazy-expire), as Redis 7.0 does. A replica
 * stores past times instead of deleting: its master decides when keys die.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { nowMs } from '../util/clock.js';
import { expiredDeletionCommand } from '../keyspace/expiry.js';
import { readNoTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

const LLONG_MAX = 9223372036854775807n;
/** |seconds| above this overflow int64 once converted to ms (LLONG_MAX / 1000). */
const SECONDS_LIMIT = 9223372036854775n;

/**
 * Parses the NX/XX/GT/LT words from argv[start…]. Throws Redis's errors for
 * an unknown word (checked first, over all words) and for incompatible sets.
 */
function parseExpireFlags(argv: readonly string[], start: number): number {
  let flags = 0;
  for (let i = start; i < argv.length; i++) {
    const w = argv[i]!.toLowerCase();
    if (w === 'nx') flags |= NX;
    else if (w === 'xx') flags |= XX;
    else if (w === 'gt') flags |= GT;
    else if (w === 'lt') flags |= LT;
    else throw new ReplyError(Err.unsupportedOption(argv[i]!));
  }
  if ((flags & NX) !== 0 && (flags & (XX | GT | LT)) !== 0) throw new ReplyError(Err.expireNxConflict);
  if ((flags & GT) !== 0 && (flags & LT) !== 0) throw new ReplyError(Err.expireGtLtConflict);
  return flags;
}

/**
 * Turns an EXPIRE-family time argument into an absolute time in ms:
 * `text` counts seconds or ms (`seconds`) from `baseMs` (now for the
 * relative forms, 0 for the absolute ones). Throws "value is not an
 * integer" for a bad number and "invalid expire time in '<cmd>'" when the
 * result would overflow int64, with Redis's exact bounds. Results beyond
 * 2^53 ms (~285,000 years away) are kept as the nearest double.
 */
export function absoluteExpireMs(text: string, seconds: boolean, baseMs: number, cmd: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  const ms = seconds ? n * 1000 : n;
  if (Math.abs(ms) <= Number.MAX_SAFE_INTEGER) return ms + baseMs;
  let big = BigInt(text);
  if (seconds) {
    if (big > SECONDS_LIMIT || big < -SECONDS_LIMIT) throw new ReplyError(Err.invalidExpire(cmd));
    big *= 1000n;
  }
  if (big > LLONG_MAX - BigInt(baseMs)) throw new ReplyError(Err.invalidExpire(cmd));
  return Number(big + BigInt(baseMs));
}

/** Whether the NX/XX/GT/LT conditions allow replacing expiry `current` (-1: none) by `when`. */
function conditionsAllow(flags: number, current: number, when: number): boolean {
  if ((flags & NX) !== 0 && current !== -1) return false;
  if ((flags & XX) !== 0 && current === -1) return false;
  // A key without expiry counts as an infinite TTL.
  if ((flags & GT) !== 0 && (current === -1 || when <= current)) return false;
  if ((flags & LT) !== 0 && current !== -1 && when >= current) return false;
  return true;
}

/**
 * Gives key the absolute expiry `whenMs`, or deletes it when that time has
 * already passed (on a master), setting the propagated form of a deletion
 * (DEL/UNLINK key). Counts and signals the change ('del' or 'expire').
 * Returns true if deleted.
 */
export function expireOrDelete(c: Client, key: string, whenMs: number): boolean {
  const server = c.server;
  if (whenMs <= nowMs() && !server.isReplica()) {
    c.db.delete(key);
    server.dirty++;
    keyChanged(c, 'g', 'del', key);
    c.propagateArgv = [expiredDeletionCommand(server.config), key];
    return true;
  }
  c.db.setExpire(key, whenMs);
  server.dirty++;
  keyChanged(c, 'g', 'expire', key);
  return false;
}

/** The EXPIRE family: `seconds` unit, times relative to now unless `absolute`. */
function expireGeneric(c: Client, argv: string[], seconds: boolean, absolute: boolean, cmd: string): void {
  const key = argv[1]!;
  const flags = parseExpireFlags(argv, 3);
  const when = absoluteExpireMs(argv[2]!, seconds, absolute ? 0 : nowMs(), cmd);
  if (c.db.lookupWrite(key) === undefined) {
    c.reply.int(0);
    return;
  }
  if (!conditionsAllow(flags, c.db.getExpire(key), when)) {
    c.reply.int(0);
    return;
  }
  if (!expireOrDelete(c, key, when) && cmd !== 'pexpireat') {
    c.propagateArgv = ['PEXPIREAT', key, String(when), ...argv.slice(3)];
  }
  c.reply.int(1);
}

/**
 * The TTL family: -2 for a missing key, -1 without expiry, else the time
 * left (or the absolute time, `absolute`) in ms or in seconds rounded to
 * the nearest (`ms` false).
 */
function ttlGeneric(c: Client, key: string, ms: boolean, absolute: boolean): void {
  if (readNoTouch(c, key) === undefined) {
    c.reply.int(-2);
    return;
  }
  const when = c.db.getExpire(key);
  if (when === -1) {
    c.reply.int(-1);
    return;
  }
  const t = absolute ? when : Math.max(0, when - nowMs());
  c.reply.int(intReplyValue(ms ? t : Math.floor((t + 500) / 1000)));
}

/** An integer reply value; beyond 2^53 sent as BigInt so it prints as digits, not exponent. */
function intReplyValue(n: number): number | bigint {
  return Number.isSafeInteger(n) ? n : BigInt(n);
}

function persist(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.db.lookupWrite(key) === undefined || !c.db.removeExpire(key)) {
    c.reply.int(0);
    return;
  }
  c.server.dirty++;
  keyChanged(c, 'g', 'persist', key);
  c.reply.int(1);
}

export const expireCommands: CommandDef[] = [
  { name: 'expire', handler: (c, argv) => expireGeneric(c, argv, true, false, 'expire') },
  { name: 'pexpire', handler: (c, argv) => expireGeneric(c, argv, false, false, 'pexpire') },
  { name: 'expireat', handler: (c, argv) => expireGeneric(c, argv, true, true, 'expireat') },
  { name: 'pexpireat', handler: (c, argv) => expireGeneric(c, argv, false, true, 'pexpireat') },
  { name: 'ttl', handler: (c, argv) => ttlGeneric(c, argv[1]!, false, false) },
  { name: 'pttl', handler: (c, argv) => ttlGeneric(c, argv[1]!, true, false) },
  { name: 'expiretime', handler: (c, argv) => ttlGeneric(c, argv[1]!, false, true) },
  { name: 'pexpiretime', handler: (c, argv) => ttlGeneric(c, argv[1]!, true, true) },
  { name: 'persist', handler: persist },
];
