/**
 * String commands: GET SET SETNX SETEX PSETEX GETEX GETDEL GETSET MGET MSET
 * MSETNX APPEND STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY
 * INCRBYFLOAT LCS, with Redis 7.0's replies, errors, argument-checking
 * order, encodings and replicated effects.
 *
 * Values: SET-like commands store the argument as it came (a latin1
 * string, whose content gives OBJECT ENCODING int/embstr/raw); APPEND on an
 * existing key and SETRANGE keep a growable Buffer ("raw", as Redis's
 * in-place edits make it); INCR-family results are canonical integers
 * ("int"); INCRBYFLOAT results skip the int encoding (unencodedString).
 *
 * Effects: a relative expiry is replicated as `SET key value PXAT <ms>`,
 * GETEX as PEXPIREAT / PERSIST / DEL, GETDEL as DEL, GETSET as SET,
 * INCRBYFLOAT as `SET key value KEEPTTL`.
 *
 * Also exported for the bit commands: the string lookups (readString,
 * writeString) and the proto-max-bulk-len check.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import type { Entry } from '../keyspace/db.js';
import { Err, ReplyError } from '../util/errors.js';
import { isString, unencodedString } from '../keyspace/values.js';
import { toStr, type Bytes } from '../util/bytes.js';
import { parseLL } from '../util/numbers.js';
import { nowMs } from '../util/clock.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../util/longdouble.js';
import { expiredDeletionCommand } from '../keyspace/expiry.js';
import { appendBytes, replySafeBytes, writableString } from '../datatypes/mutable-string.js';
import { lcsTableBytes, longestCommonSubsequence, type LcsResult } from '../datatypes/lcs.js';
import { readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';

// ---------------------------------------------------------------------------
// Shared lookups and checks

/**
 * The string value at key for a read command, counting a keyspace hit or
 * miss as Redis's read lookups do. Undefined when missing; throws WRONGTYPE
 * when the key holds another type.
 */
export function readString(c: Client, key: string): Bytes | undefined {
  const e = readTouch(c, key);
  if (e === undefined) return undefined;
  if (!isString(e.value)) throw new ReplyError(Err.wrongType);
  return e.value;
}

/**
 * The entry at key for a command about to change its string in place (no
 * hit/miss counting, like Redis's write lookups). Undefined when missing;
 * throws WRONGTYPE when the key holds another type.
 */
export function writeString(c: Client, key: string): Entry | undefined {
  const e = c.db.lookupWrite(key);
  if (e !== undefined && !isString(e.value)) throw new ReplyError(Err.wrongType);
  return e;
}

/**
 * Stores value as key's string after writeString returned e: adds the key
 * when e is undefined, else replaces e's value in place (keeping its TTL;
 * lookupWrite has already fired the before-write hook). Then counts the
 * change and signals event on the key.
 */
function commitString(c: Client, key: string, e: Entry | undefined, value: Bytes, event: string): void {
  if (e === undefined) c.db.set(key, value);
  else e.value = value;
  c.server.dirty++;
  keyChanged(c, '$', event, key);
}

/** Throws Redis's error when a string would grow beyond proto-max-bulk-len bytes. */
export function checkStringLength(c: Client, total: number): void {
  if (total > c.server.config.num('proto-max-bulk-len')) throw new ReplyError(Err.stringTooLong);
}

/** Parses an integer argument, or throws "value is not an integer or out of range". */
export function integerArg(text: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

/** Replies with the string at key or a null bulk; throws WRONGTYPE (GET, and SET/GETSET's old value). */
function replyValue(c: Client, key: string): Bytes | undefined {
  const v = readString(c, key);
  if (v === undefined) c.reply.nullBulk();
  else c.reply.bulk(replySafeBytes(v));
  return v;
}

// ---------------------------------------------------------------------------
// SET options and expiry times

const NX = 1 << 0;
const XX = 1 << 1;
const GET = 1 << 2;
const KEEPTTL = 1 << 3;
const PERSIST = 1 << 4;
const EX = 1 << 5;
const PX = 1 << 6;
const EXAT = 1 << 7;
const PXAT = 1 << 8;
const EXPIRY = EX | PX | EXAT | PXAT;

const OPTION_WORDS = new Map<string, number>([
  ['nx', NX],
  ['xx', XX],
  ['get', GET],
  ['keepttl', KEEPTTL],
  ['persist', PERSIST],
  ['ex', EX],
  ['px', PX],
  ['exat', EXAT],
  ['pxat', PXAT],
]);
/** Options only SET accepts / only GETEX accepts. */
const SET_ONLY = NX | XX | GET | KEEPTTL;
const GETEX_ONLY = PERSIST;

/** The options that cannot be combined with `flag` (repeating an option is allowed). */
function excludedBy(flag: number): number {
  if (flag === NX) return XX;
  if (flag === XX) return NX;
  if (flag === GET) return 0;
  return (KEEPTTL | PERSIST | EXPIRY) & ~flag;
}

interface SetOptions {
  flags: number;
  /** The EX/PX/EXAT/PXAT argument (the last one given), or null. */
  expiry: string | null;
}

/**
 * Parses SET's (or, with getex, GETEX's) options from argv[start…] with
 * Redis's rules: words are case-insensitive and may repeat; NX/XX exclude
 * each other; KEEPTTL, PERSIST and the four expiry forms exclude each other
 * (one form may repeat, the last value wins); GET/NX/XX/KEEPTTL belong to
 * SET and PERSIST to GETEX. Anything else is "syntax error".
 */
function parseSetOptions(argv: readonly string[], start: number, getex: boolean): SetOptions {
  let flags = 0;
  let expiry: string | null = null;
  const foreign = getex ? SET_ONLY : GETEX_ONLY;
  for (let i = start; i < argv.length; i++) {
    const flag = OPTION_WORDS.get(argv[i]!.toLowerCase());
    if (flag === undefined || (flag & foreign) !== 0 || (flags & excludedBy(flag)) !== 0) throw new ReplyError(Err.syntax);
    if ((flag & EXPIRY) !== 0) {
      if (i + 1 >= argv.length) throw new ReplyError(Err.syntax);
      expiry = argv[++i]!;
    }
    flags |= flag;
  }
  return { flags, expiry };
}

const INT64_MAX = 9223372036854775807n;
/** Largest number of seconds whose ms still fit int64 (LLONG_MAX / 1000). */
const MAX_SECONDS = 9223372036854775n;

/**
 * The absolute expiry time in ms named by an expiry argument: `form` is
 * EX/PX (relative to the command's time) or EXAT/PXAT, in seconds for
 * EX/EXAT. Throws "not an integer" for a bad number and "invalid expire
 * time in '<cmd>' command" for a value ≤ 0 or a result past int64, as
 * Redis does. Returns a number, or an exact bigint beyond 2^53 (so the
 * replicated PXAT text is exact).
 */
function expiryTime(text: string, form: number, cmd: string): number | bigint {
  const n = integerArg(text);
  const seconds = (form & (EX | EXAT)) !== 0;
  const base = (form & (EX | PX)) !== 0 ? nowMs() : 0;
  if (n <= 0) throw new ReplyError(Err.invalidExpire(cmd));
  const ms = seconds ? n * 1000 : n;
  if (ms + base <= Number.MAX_SAFE_INTEGER) return ms + base;
  const big = BigInt(text);
  if (seconds && big > MAX_SECONDS) throw new ReplyError(Err.invalidExpire(cmd));
  const when = (seconds ? big * 1000n : big) + BigInt(base);
  if (when > INT64_MAX) throw new ReplyError(Err.invalidExpire(cmd));
  return when;
}

/**
 * Stores value at key (keeping the TTL when keepTtl) with an optional
 * absolute expiry, counts and signals the change ('set', then 'expire'
 * for an expiry), and, for an expiry, replicates the
 * write as `SET key value PXAT <ms>` (SET EX/PX/EXAT/PXAT, SETEX, PSETEX).
 */
function storeString(c: Client, key: string, value: string, keepTtl: boolean, when: number | bigint | null): void {
  // Redis's setKey looks the key up first: an expired key is deleted (and that replicated) before the write.
  c.db.expireIfNeeded(key);
  c.db.set(key, value, keepTtl);
  c.server.dirty++;
  keyChanged(c, '$', 'set', key);
  if (when === null) return;
  c.db.setExpire(key, Number(when));
  c.server.events.notify('g', 'expire', key, c.db.id);
  if (c.server.propagation.active) c.propagateArgv = ['SET', key, value, 'PXAT', String(when)];
}

// ---------------------------------------------------------------------------
// GET / SET family

function get(c: Client, argv: string[]): void {
  replyValue(c, argv[1]!);
}

/**
 * SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT t|KEEPTTL]. Order as in
 * Redis: options, then the expiry value, then GET's read (WRONGTYPE before
 * anything is written), then the NX/XX condition. With GET the reply is the
 * old value (also when NX/XX prevented the write), and GET is left out of
 * the replicated command.
 */
function set(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const value = argv[2]!;
  if (argv.length === 3) {
    storeString(c, key, value, false, null);
    c.reply.ok();
    return;
  }
  const { flags, expiry } = parseSetOptions(argv, 3, false);
  const when = expiry === null ? null : expiryTime(expiry, flags & EXPIRY, 'set');
  const withGet = (flags & GET) !== 0;
  if (withGet) replyValue(c, key);
  if ((flags & (NX | XX)) !== 0) {
    const exists = c.db.lookupWrite(key) !== undefined;
    if ((flags & NX) !== 0 ? exists : !exists) {
      if (!withGet) c.reply.nullBulk();
      return;
    }
  }
  storeString(c, key, value, (flags & KEEPTTL) !== 0, when);
  if (!withGet) c.reply.ok();
  else if (when === null && c.server.propagation.active) c.propagateArgv = withoutGetWords(argv);
}

/** SET's argv without its GET options (Redis does not replicate them). */
function withoutGetWords(argv: readonly string[]): string[] {
  return argv.filter((a, i) => i < 3 || a.toLowerCase() !== 'get');
}

function setnx(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.db.lookupWrite(key) !== undefined) {
    c.reply.int(0);
    return;
  }
  c.db.set(key, argv[2]!);
  c.server.dirty++;
  keyChanged(c, '$', 'set', key);
  c.reply.int(1);
}

/** SETEX / PSETEX key time value: SET with EX / PX. */
function setWithExpiry(form: number, cmd: string) {
  return (c: Client, argv: string[]): void => {
    const when = expiryTime(argv[2]!, form, cmd);
    storeString(c, argv[1]!, argv[3]!, false, when);
    c.reply.ok();
  };
}

/**
 * GETEX key [EX|PX|EXAT|PXAT t|PERSIST]: replies with the value, then
 * changes its expiry. Order as in Redis: options, then the key (a missing
 * key answers null before the time is checked), then the time. An absolute
 * time already past deletes the key (replicated as DEL, or UNLINK under
 * lazyfree-lazy-expire), except on a replica; other times are replicated as
 * PEXPIREAT, and PERSIST as PERSIST when there was a TTL to remove.
 */
function getex(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const { flags, expiry } = parseSetOptions(argv, 2, true);
  const value = readString(c, key);
  if (value === undefined) {
    c.reply.nullBulk();
    return;
  }
  const when = expiry === null ? null : expiryTime(expiry, flags & EXPIRY, 'getex');
  c.reply.bulk(replySafeBytes(value));
  if (when !== null) {
    const absolute = (flags & (EXAT | PXAT)) !== 0;
    if (absolute && Number(when) <= nowMs() && !c.server.isReplica()) {
      c.db.delete(key);
      c.propagateArgv = [expiredDeletionCommand(c.server.config), key];
      keyChanged(c, 'g', 'del', key);
    } else {
      c.db.setExpire(key, Number(when));
      c.propagateArgv = ['PEXPIREAT', key, String(when)];
      keyChanged(c, 'g', 'expire', key);
    }
    c.server.dirty++;
  } else if ((flags & PERSIST) !== 0 && c.db.removeExpire(key)) {
    c.propagateArgv = ['PERSIST', key];
    c.server.dirty++;
    keyChanged(c, 'g', 'persist', key);
  }
}

function getdel(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (replyValue(c, key) === undefined) return;
  c.db.delete(key);
  c.server.dirty++;
  keyChanged(c, 'g', 'del', key);
  c.propagateArgv = ['DEL', key];
}

function getset(c: Client, argv: string[]): void {
  const key = argv[1]!;
  replyValue(c, key);
  storeString(c, key, argv[2]!, false, null);
  c.propagateArgv = ['SET', key, argv[2]!];
}

/** MGET: each value, or null for a missing key or one of another type. */
function mget(c: Client, argv: string[]): void {
  c.reply.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const e = readTouch(c, argv[i]!);
    if (e === undefined || !isString(e.value)) c.reply.nullBulk();
    else c.reply.bulk(replySafeBytes(e.value));
  }
}

/** Throws the arity error MSET/MSETNX give for an odd number of key/value words. */
function checkPairs(argv: readonly string[], cmd: string): void {
  if (argv.length % 2 === 0) throw new ReplyError(Err.wrongArity(cmd));
}

/** Sets every key/value pair of argv (removing TTLs) and counts each change. */
function setPairs(c: Client, argv: readonly string[]): void {
  for (let i = 1; i < argv.length; i += 2) storeString(c, argv[i]!, argv[i + 1]!, false, null);
}

function mset(c: Client, argv: string[]): void {
  checkPairs(argv, 'mset');
  setPairs(c, argv);
  c.reply.ok();
}

function msetnx(c: Client, argv: string[]): void {
  checkPairs(argv, 'msetnx');
  for (let i = 1; i < argv.length; i += 2) {
    if (c.db.lookupWrite(argv[i]!) !== undefined) {
      c.reply.int(0);
      return;
    }
  }
  setPairs(c, argv);
  c.reply.int(1);
}

// ---------------------------------------------------------------------------
// Substrings and in-place edits

function append(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const tail = argv[2]!;
  const e = writeString(c, key);
  if (e === undefined) {
    c.db.set(key, tail);
    c.server.dirty++;
    keyChanged(c, '$', 'append', key);
    c.reply.int(tail.length);
    return;
  }
  const v = e.value as Bytes;
  checkStringLength(c, v.length + tail.length);
  const grown = appendBytes(v, tail);
  e.value = grown;
  c.server.dirty++;
  keyChanged(c, '$', 'append', key);
  c.reply.int(grown.length);
}

function strlen(c: Client, argv: string[]): void {
  const v = readString(c, argv[1]!);
  c.reply.int(v === undefined ? 0 : v.length);
}

/**
 * GETRANGE/SUBSTR key start end: inclusive, negative indexes from the end,
 * clamped into the string; both ends negative with start > end is empty.
 * The indexes are checked before the key.
 */
function getrange(c: Client, argv: string[]): void {
  let start = integerArg(argv[2]!);
  let end = integerArg(argv[3]!);
  const v = readString(c, argv[1]!);
  const len = v === undefined ? 0 : v.length;
  if (v === undefined || (start < 0 && end < 0 && start > end)) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start = Math.max(0, len + start);
  if (end < 0) end = Math.max(0, len + end);
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk('');
  else c.reply.bulk(typeof v === 'string' ? v.slice(start, end + 1) : replySafeBytes(v.subarray(start, end + 1)));
}

/**
 * SETRANGE key offset value: overwrites from offset, zero-padding as
 * needed; the result is a "raw" string. An empty value changes nothing
 * (and creates no key) but still answers the length.
 */
function setrange(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const offset = integerArg(argv[2]!);
  const patch = argv[3]!;
  if (offset < 0) throw new ReplyError(Err.offsetOutOfRange);
  const e = writeString(c, key);
  const oldLen = e === undefined ? 0 : (e.value as Bytes).length;
  if (patch.length === 0) {
    c.reply.int(oldLen);
    return;
  }
  checkStringLength(c, offset + patch.length);
  const buf = writableString(e === undefined ? '' : (e.value as Bytes), offset + patch.length);
  buf.latin1Write(patch, offset, patch.length);
  commitString(c, key, e, buf, 'setrange');
  c.reply.int(buf.length);
}

// ---------------------------------------------------------------------------
// Counters

const INT64_MIN = -9223372036854775808n;
/** INCRBYFLOAT's starting value for a missing key. */
const ZERO = parseLongDouble('0')!;

/**
 * Adds incr to the integer at key (0 when missing), keeping its TTL, and
 * replies with the result. Exact over the whole int64 range: plain numbers
 * while safe, BigInt otherwise; "increment or decrement would overflow"
 * past int64.
 */
function incrementBy(c: Client, key: string, incr: number | bigint): void {
  const e = writeString(c, key);
  let result: number | bigint = incr;
  if (e !== undefined) {
    const v = e.value as Bytes;
    const text = typeof v === 'string' ? v : toStr(v);
    const current = parseLL(text);
    if (current === null) throw new ReplyError(Err.notInteger);
    const sum = typeof incr === 'number' ? current + incr : NaN;
    if (Number.isSafeInteger(sum) && Number.isSafeInteger(current)) {
      result = sum;
    } else {
      result = BigInt(text) + BigInt(incr);
      if (result > INT64_MAX || result < INT64_MIN) throw new ReplyError(Err.overflow);
    }
  }
  const text = String(result);
  commitString(c, key, e, text, 'incrby');
  c.reply.intText(text);
}

/** The increment argument exactly: a number when safe, else a bigint. */
function incrementArg(text: string): number | bigint {
  const n = integerArg(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function incr(c: Client, argv: string[]): void {
  incrementBy(c, argv[1]!, 1);
}

function decr(c: Client, argv: string[]): void {
  incrementBy(c, argv[1]!, -1);
}

function incrby(c: Client, argv: string[]): void {
  incrementBy(c, argv[1]!, incrementArg(argv[2]!));
}

function decrby(c: Client, argv: string[]): void {
  const n = incrementArg(argv[2]!);
  if (n === INT64_MIN) throw new ReplyError(Err.decrementOverflow);
  incrementBy(c, argv[1]!, -n);
}

/**
 * INCRBYFLOAT key incr: the sum in x87 extended precision, printed as
 * Redis prints it (see util/longdouble), stored without int encoding and
 * keeping the TTL; replicated as `SET key value KEEPTTL`.
 */
function incrbyfloat(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const e = writeString(c, key);
  const current = e === undefined ? ZERO : parseLongDouble(toStr(e.value as Bytes));
  const incr = current === null ? null : parseLongDouble(argv[2]!);
  if (current === null || incr === null) throw new ReplyError(Err.notFloat);
  const sum = addLongDouble(current, incr);
  if (!sum.finite) throw new ReplyError(Err.incrNanOrInf);
  const text = formatLongDouble(sum);
  commitString(c, key, e, unencodedString(text), 'incrbyfloat');
  c.reply.bulk(text);
  c.propagateArgv = ['SET', key, text, 'KEEPTTL'];
}

// ---------------------------------------------------------------------------
// LCS

interface LcsOptions {
  idx: boolean;
  len: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

/** Parses LCS's options (IDX LEN WITHMATCHLEN MINMATCHLEN n) from argv[3…]. */
function parseLcsOptions(argv: readonly string[]): LcsOptions {
  const o: LcsOptions = { idx: false, len: false, withMatchLen: false, minMatchLen: 0 };
  for (let i = 3; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    if (word === 'idx') o.idx = true;
    else if (word === 'len') o.len = true;
    else if (word === 'withmatchlen') o.withMatchLen = true;
    else if (word === 'minmatchlen' && i + 1 < argv.length) o.minMatchLen = Math.max(0, integerArg(argv[++i]!));
    else throw new ReplyError(Err.syntax);
  }
  if (o.idx && o.len) throw new ReplyError(Err.lcsLenAndIdx);
  return o;
}

/** A key's string for LCS: missing counts as empty; another type is an error of LCS's own. */
function lcsOperand(c: Client, key: string): Bytes {
  const e = readTouch(c, key);
  if (e === undefined) return '';
  if (!isString(e.value)) throw new ReplyError(Err.lcsNotStrings);
  return e.value;
}

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the common
 * subsequence, its length, or (IDX) a map of the matched ranges, last first,
 * and the length. Refuses when the DP table would exceed proto-max-bulk-len.
 */
function lcs(c: Client, argv: string[]): void {
  const a = lcsOperand(c, argv[1]!);
  const b = lcsOperand(c, argv[2]!);
  const o = parseLcsOptions(argv);
  if (lcsTableBytes(a.length, b.length) > c.server.config.num('proto-max-bulk-len')) {
    throw new ReplyError(Err.lcsTooBig);
  }
  let result: LcsResult;
  try {
    result = longestCommonSubsequence(a, b, o.idx ? o.minMatchLen : 0);
  } catch (err) {
    if (err instanceof RangeError) throw new ReplyError(Err.lcsAllocFailed);
    throw err;
  }
  if (o.len) {
    c.reply.int(result.text.length);
    return;
  }
  if (!o.idx) {
    c.reply.bulk(result.text);
    return;
  }
  c.reply.map(2);
  c.reply.bulk('matches');
  c.reply.array(result.matches.length);
  for (const m of result.matches) {
    c.reply.array(o.withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.int(m.aStart);
    c.reply.int(m.aEnd);
    c.reply.array(2);
    c.reply.int(m.bStart);
    c.reply.int(m.bEnd);
    if (o.withMatchLen) c.reply.int(m.aEnd - m.aStart + 1);
  }
  c.reply.bulk('len');
  c.reply.int(result.text.length);
}

export const stringCommands: CommandDef[] = [
  { name: 'get', handler: get },
  { name: 'set', handler: set },
  { name: 'setnx', handler: setnx },
  { name: 'setex', handler: setWithExpiry(EX, 'setex') },
  { name: 'psetex', handler: setWithExpiry(PX, 'psetex') },
  { name: 'getex', handler: getex },
  { name: 'getdel', handler: getdel },
  { name: 'getset', handler: getset },
  { name: 'mget', handler: mget },
  { name: 'mset', handler: mset },
  { name: 'msetnx', handler: msetnx },
  { name: 'append', handler: append },
  { name: 'strlen', handler: strlen },
  { name: 'getrange', handler: getrange },
  { name: 'substr', handler: getrange },
  { name: 'setrange', handler: setrange },
  { name: 'incr', handler: incr },
  { name: 'decr', handler: decr },
  { name: 'incrby', handler: incrby },
  { name: 'decrby', handler: decrby },
  { name: 'incrbyfloat', handler: incrbyfloat },
  { name: 'lcs', handler: lcs },
];
