/**
 * Decodes one value of a given RDB type into nodis's representation, for
 * every type Redis 7.0 writes or still loads: strings; lists as plain
 * lists, ziplists, quicklists of ziplists and quicklist 2 of listpacks;
 * sets as plain, intset or listpack; hashes as plain, zipmap, ziplist or
 * listpack; sorted sets as ZSET (text scores), ZSET_2 (binary scores),
 * ziplist or listpack. Encodings follow Redis's load rules: a compact
 * value stays compact while it fits the *-max-listpack-* / intset limits,
 * a plain one is made compact when it fits.
 *
 * Streams and module values are refused with an RdbError naming the key
 * and its type. Duplicate members, NaN scores and malformed blobs are
 * refused too. An aggregate with no elements decodes to null: Redis skips
 * such keys with a warning, and so does the loader.
 */
import { RdbCursor } from './cursor.js';
import { BlobError } from './errors.js';
import { RdbType, QUICKLIST_NODE_PACKED, QUICKLIST_NODE_PLAIN, rdbTypeName } from './constants.js';
import type { EncodingLimits } from './limits.js';
import { listpackEntries } from './listpack.js';
import { ziplistEntries } from './ziplist.js';
import { zipmapPairs } from './zipmap.js';
import { intsetMembers } from './intset-blob.js';
import type { Value } from '../../keyspace/values.js';
import { List } from '../../datatypes/list.js';
import { SetValue } from '../../datatypes/set.js';
import { HashValue } from '../../datatypes/hash.js';
import { ZSet } from '../../datatypes/zset.js';
import { parseDouble } from '../../util/numbers.js';

/**
 * Reads the value of `type` for `key` at the cursor. Returns the value, or
 * null for an empty aggregate. Throws RdbError on anything malformed: at
 * typeAt (the type byte's offset; by default the byte before the cursor,
 * as in a DUMP payload) for an unknown or unsupported type, else inside
 * the value.
 */
export function readValue(cur: RdbCursor, type: number, key: string, limits: EncodingLimits, typeAt = cur.pos - 1): Value | null {
  const at = cur.pos;
  switch (type) {
    case RdbType.String:
      return cur.string('a string value');
    case RdbType.List:
      return listOf(readStrings(cur, 'a list element'), limits, null);
    case RdbType.ListZiplist:
      return listOf(blobItems(cur, ziplistEntries, 'a ziplist'), limits, []);
    case RdbType.ListQuicklist:
      return readQuicklist(cur, false, limits);
    case RdbType.ListQuicklist2:
      return readQuicklist(cur, true, limits);
    case RdbType.Set:
      return setOf(cur, at, readStrings(cur, 'a set member'), limits);
    case RdbType.SetIntset:
      return readIntset(cur, limits);
    case RdbType.SetListpack:
      return setOf(cur, at, blobItems(cur, listpackEntries, 'a set listpack'), limits);
    case RdbType.Hash:
      return hashOf(cur, at, readStrings(cur, 'a hash field or value', 2), limits);
    case RdbType.HashZipmap:
      return hashOf(cur, at, blobItems(cur, zipmapPairs, 'a zipmap'), limits);
    case RdbType.HashZiplist:
      return hashOf(cur, at, blobItems(cur, ziplistEntries, 'a hash ziplist'), limits);
    case RdbType.HashListpack:
      return hashOf(cur, at, blobItems(cur, listpackEntries, 'a hash listpack'), limits);
    case RdbType.Zset:
    case RdbType.Zset2:
      return readPlainZset(cur, type === RdbType.Zset2, limits);
    case RdbType.ZsetZiplist:
      return zsetOfPairs(cur, at, blobItems(cur, ziplistEntries, 'a zset ziplist'), limits);
    case RdbType.ZsetListpack:
      return zsetOfPairs(cur, at, blobItems(cur, listpackEntries, 'a zset listpack'), limits);
    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
    case RdbType.StreamListpacks3:
    case RdbType.ModulePreGa:
    case RdbType.Module2:
      return cur.fail(
        `Key '${printable(key)}' holds a ${rdbTypeName(type)} value (RDB type ${type}), which nodis does not support`,
        typeAt,
      );
    default:
      return cur.fail(`Unknown RDB value type ${type}`, typeAt);
  }
}

/** key shortened and with non-printable bytes escaped, for error messages. */
function printable(key: string): string {
  const short = key.length > 64 ? `${key.slice(0, 64)}...` : key;
  return short.replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A count then that many strings (times `per`, for pairs). */
function readStrings(cur: RdbCursor, what: string, per = 1): string[] {
  const n = cur.length(`the length of ${what}s`) * per;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(cur.string(what));
  return out;
}

type BlobDecoder = (blob: Buffer, start?: number, end?: number) => string[];

/** A string holding an embedded blob, decoded; a malformed blob fails at the blob's offset. */
function blobItems(cur: RdbCursor, decode: BlobDecoder, what: string): string[] {
  const at = cur.pos;
  const [buf, start, end] = cur.blob(what);
  try {
    return decode(buf, start, end);
  } catch (e) {
    if (e instanceof BlobError) cur.fail(`Invalid ${what}: ${e.message}`, at);
    throw e;
  }
}

/**
 * A list of items with the configured shape, or null when empty. plain
 * lists the indexes of the items that were plain nodes (the others were
 * packed); null means the format had no nodes, so each item is plain when
 * large now, as when Redis pushes it.
 */
function listOf(items: string[], limits: EncodingLimits, plain: readonly number[] | null): List | null {
  if (items.length === 0) return null;
  if (plain === null) return List.from(items, limits.list);
  const l = new List(items.length, limits.list);
  let next = 0;
  for (let i = 0; i < items.length; i++) {
    const isPlain = plain[next] === i;
    if (isPlain) next++;
    l.pushTail(items[i]!, isPlain);
  }
  return l;
}

/**
 * QUICKLIST (nodes of ziplists) or QUICKLIST_2 (each node a container
 * byte-length, then a listpack, or a single element for a plain node).
 * Empty nodes are skipped, as Redis does.
 */
function readQuicklist(cur: RdbCursor, v2: boolean, limits: EncodingLimits): List | null {
  const nodes = cur.length('the node count of a quicklist');
  const items: string[] = [];
  const plain: number[] = [];
  for (let i = 0; i < nodes; i++) {
    if (v2) {
      const at = cur.pos;
      const container = cur.length('a quicklist node container');
      if (container === QUICKLIST_NODE_PLAIN) {
        plain.push(items.length);
        items.push(cur.string('a plain quicklist node'));
        continue;
      }
      if (container !== QUICKLIST_NODE_PACKED) cur.fail(`Unknown quicklist node container ${container}`, at);
    }
    for (const item of blobItems(cur, v2 ? listpackEntries : ziplistEntries, v2 ? 'a quicklist listpack' : 'a quicklist ziplist')) {
      items.push(item);
    }
  }
  return listOf(items, limits, plain);
}

function readIntset(cur: RdbCursor, limits: EncodingLimits): SetValue | null {
  const at = cur.pos;
  const [buf, start, end] = cur.blob('an intset');
  let members: string[];
  try {
    members = intsetMembers(buf, start, end);
  } catch (e) {
    if (e instanceof BlobError) cur.fail(`Invalid intset: ${e.message}`, at);
    throw e;
  }
  if (members.length === 0) return null;
  return SetValue.fromIntset(members, buf.readUInt32LE(start), limits.intsetEntries);
}

/** A set of members as Redis loads one (intset while it can be); duplicates are corrupt data, reported at the value's offset `at`. */
function setOf(cur: RdbCursor, at: number, members: string[], limits: EncodingLimits): SetValue | null {
  if (members.length === 0) return null;
  const s = new SetValue();
  for (const m of members) {
    if (!s.add(m, limits.intsetEntries)) cur.fail('Duplicate set members detected', at);
  }
  return s;
}

/** A hash from flat field/value pairs; encodings as HashValue.set decides; duplicates are corrupt data, reported at the value's offset `at`. */
function hashOf(cur: RdbCursor, at: number, pairs: string[], limits: EncodingLimits): HashValue | null {
  if (pairs.length % 2 !== 0) cur.fail('Hash has an odd number of fields and values', at);
  if (pairs.length === 0) return null;
  const h = new HashValue();
  for (let i = 0; i < pairs.length; i += 2) {
    if (!h.set(pairs[i]!, pairs[i + 1]!, limits.hash)) cur.fail('Duplicate hash fields detected', at);
  }
  return h;
}

/**
 * ZSET / ZSET_2: a count, then member and score (text or binary) pairs.
 * Redis loads these as a skiplist and converts one that fits into a
 * listpack, which keeps integral scores as integers: a -0 score becomes 0
 * then, and stays -0 in a skiplist.
 */
function readPlainZset(cur: RdbCursor, binary: boolean, limits: EncodingLimits): ZSet | null {
  const n = cur.length('the length of a sorted set');
  const entries = new Map<string, number>();
  let negativeZero = false;
  for (let i = 0; i < n; i++) {
    const member = cur.string('a sorted set member');
    const at = cur.pos;
    const score = binary ? cur.binaryDouble('a sorted set score') : cur.textDouble('a sorted set score');
    if (Number.isNaN(score)) cur.fail('Zset with NAN score detected', at);
    if (entries.has(member)) cur.fail('Duplicate zset fields detected', at);
    if (Object.is(score, -0)) negativeZero = true;
    entries.set(member, score);
  }
  if (entries.size === 0) return null;
  const z = ZSet.fromEntries(entries, limits.zset);
  if (!negativeZero || z.encoding() !== 'listpack') return z;
  for (const [member, score] of entries) if (Object.is(score, -0)) entries.set(member, 0);
  return ZSet.fromEntries(entries, limits.zset);
}

/** A sorted set from flat member/score-text pairs (ziplist, listpack); errors are reported at the value's offset `at`. */
function zsetOfPairs(cur: RdbCursor, at: number, pairs: string[], limits: EncodingLimits): ZSet | null {
  if (pairs.length % 2 !== 0) cur.fail('Sorted set has an odd number of members and scores', at);
  const entries = new Map<string, number>();
  for (let i = 0; i < pairs.length; i += 2) {
    const member = pairs[i]!;
    const score = parseDouble(pairs[i + 1]!);
    if (score === null) cur.fail(`Invalid sorted set score "${pairs[i + 1]}"`, at);
    if (entries.has(member)) cur.fail('Duplicate zset fields detected', at);
    entries.set(member, score);
  }
  return entries.size === 0 ? null : ZSet.fromEntries(entries, limits.zset);
}
