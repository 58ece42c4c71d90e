/**
 * Serializes one value, or one key with its expiry and access data, in the
 * RDB format Redis 7.0 writes (version 10), choosing the type byte from
 * the value's encoding as Redis does:
 * - string → STRING (integer and LZF forms chosen by RdbOutput.string);
 * - list → QUICKLIST_2: nodes of packed listpacks, split where Redis's
 *   list-max-listpack-size would split them;
 * - set → SET_INTSET (the intset blob) or SET (member strings);
 * - hash → HASH_LISTPACK or HASH (field, value strings);
 * - zset → ZSET_LISTPACK (member, score pairs, ascending) or ZSET_2
 *   (member, binary double, from the highest score down as Redis writes it,
 *   so loading inserts at the head of the skiplist).
 */
import type { RdbOutput } from './output.js';
import type { EncodingLimits } from './limits.js';
import { RdbOp, RdbType, QUICKLIST_NODE_PACKED } from './constants.js';
import { encodeListpack, listpackEntryBytes } from './listpack.js';
import { encodeIntset } from './intset-blob.js';
import { isString, type Value } from '../../keyspace/values.js';
import type { Entry } from '../../keyspace/db.js';
import type { List } from '../../datatypes/list.js';
import type { SetValue } from '../../datatypes/set.js';
import type { HashValue } from '../../datatypes/hash.js';
import type { ZSet } from '../../datatypes/zset.js';
import { formatDouble17g } from '../../util/numbers.js';

/** Which access data goes before each key: none, IDLE (LRU policies) or FREQ (LFU policies). */
export const enum AccessData {
  None,
  Idle,
  Freq,
}

/**
 * Writes key's entry: EXPIRETIME_MS when expireMs ≥ 0, IDLE or FREQ as
 * `access` asks (idle time measured against nowMs), then the type byte,
 * the key and the value.
 */
export function writeEntry(
  out: RdbOutput,
  key: string,
  entry: Entry,
  expireMs: number,
  access: AccessData,
  nowMs: number,
  limits: EncodingLimits,
): void {
  if (expireMs >= 0) {
    out.byte(RdbOp.ExpireTimeMs);
    out.u64le(expireMs);
  }
  if (access === AccessData.Idle) {
    out.byte(RdbOp.Idle);
    out.length(Math.max(0, Math.floor((nowMs - entry.lru) / 1000)));
  } else if (access === AccessData.Freq) {
    out.byte(RdbOp.Freq);
    out.byte(entry.lfuCount);
  }
  const v = entry.value;
  out.byte(valueType(v));
  out.string(key);
  writeValueBody(out, v, limits);
}

/** The RDB type byte Redis 7.0 uses for v in its current encoding. */
export function valueType(v: Value): RdbType {
  if (isString(v)) return RdbType.String;
  switch (v.type) {
    case 'list':
      return RdbType.ListQuicklist2;
    case 'set':
      return (v as SetValue).intsetWidth() > 0 ? RdbType.SetIntset : RdbType.Set;
    case 'hash':
      return v.encoding() === 'listpack' ? RdbType.HashListpack : RdbType.Hash;
    case 'zset':
      return v.encoding() === 'listpack' ? RdbType.ZsetListpack : RdbType.Zset2;
    default:
      throw new Error(`cannot serialize a ${v.type} value`);
  }
}

/** Writes v's serialization (what follows the type byte and the key), in the form valueType(v) names. */
export function writeValueBody(out: RdbOutput, v: Value, limits: EncodingLimits): void {
  if (isString(v)) {
    out.string(v);
    return;
  }
  switch (v.type) {
    case 'list':
      writeList(out, v as List, limits.listNodeSize);
      return;
    case 'set':
      writeSet(out, v as SetValue);
      return;
    case 'hash':
      writeHash(out, v as HashValue);
      return;
    case 'zset':
      writeZset(out, v as ZSet);
      return;
    default:
      throw new Error(`cannot serialize a ${v.type} value`);
  }
}

/** Listpack bytes a quicklist node may hold for a negative list-max-listpack-size (-1 → 4 KB … -5 → 64 KB). */
function nodeByteLimit(fill: number): number {
  const level = Math.min(5, Math.max(1, -fill));
  return 4096 << (level - 1);
}

/** Redis's safety cap on a count-limited node's listpack. */
const NODE_SAFETY_BYTES = 8192;
/** What Redis adds to an element's length when estimating whether it still fits a node. */
const NODE_ENTRY_ESTIMATE = 8;
/** A listpack's header and end byte. */
const LISTPACK_OVERHEAD = 7;

/**
 * QUICKLIST_2: the node count, then per node its container (packed) and
 * its listpack as a string. Nodes are cut where a quicklist filled by
 * pushes would cut them: Redis adds an element to the tail node while the
 * node's listpack size plus the element's length plus 8 stays within the
 * byte size fill selects (8 KB for a count fill > 0, which also caps the
 * node at `fill` entries).
 */
function writeList(out: RdbOutput, list: List, fill: number): void {
  const n = list.length;
  const byCount = fill > 0;
  const maxBytes = byCount ? NODE_SAFETY_BYTES : nodeByteLimit(fill);
  const cuts: number[] = [];
  let bytes = LISTPACK_OVERHEAD;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const item = list.at(i);
    if (count > 0 && ((byCount && count >= fill) || bytes + item.length + NODE_ENTRY_ESTIMATE > maxBytes)) {
      cuts.push(i);
      bytes = LISTPACK_OVERHEAD;
      count = 0;
    }
    bytes += listpackEntryBytes(item);
    count++;
  }
  cuts.push(n);
  out.length(cuts.length);
  let from = 0;
  const items: string[] = [];
  for (const to of cuts) {
    items.length = 0;
    for (let i = from; i < to; i++) items.push(list.at(i));
    out.length(QUICKLIST_NODE_PACKED);
    out.string(encodeListpack(items));
    from = to;
  }
}

function writeSet(out: RdbOutput, set: SetValue): void {
  const width = set.intsetWidth();
  if (width > 0) {
    out.string(encodeIntset(set.members(), width));
    return;
  }
  out.length(set.size);
  set.forEach((m) => out.string(m));
}

function writeHash(out: RdbOutput, hash: HashValue): void {
  if (hash.encoding() === 'listpack') {
    const items: string[] = [];
    hash.forEach((f, v) => items.push(f, v));
    out.string(encodeListpack(items));
    return;
  }
  out.length(hash.size);
  hash.forEach((f, v) => {
    out.string(f);
    out.string(v);
  });
}

function writeZset(out: RdbOutput, z: ZSet): void {
  if (z.encoding() === 'listpack') {
    const items: string[] = [];
    for (let n = z.list.first; n !== null; n = n.next[0]!) items.push(n.member, scoreText(n.score));
    out.string(encodeListpack(items));
    return;
  }
  out.length(z.size);
  for (let n = z.list.tail; n !== null; n = n.backward) {
    out.string(n.member);
    out.binaryDouble(n.score);
  }
}

/** A score as a listpack stores it: integer digits when the double is an integer in int64 range, else "%.17g". */
export function scoreText(d: number): string {
  if (Number.isInteger(d) && !Object.is(d, -0) && Math.abs(d) < 2 ** 63) {
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return formatDouble17g(d);
}
