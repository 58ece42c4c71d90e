/**
 * Serializes one value, or one key with its expiry and access data, in the
 * RDB format Redis 7.0 writes (version 10), choosing the type byte from
 * the value's encoding as Redis does:
 * - string → STRING (integer and LZF forms chosen by RdbOutput.string);
 * - list → QUICKLIST_2: its nodes (see quicklist.ts), each a packed
 *   listpack or a plain element;
 * - set → SET_INTSET (the intset blob) or SET (member strings);
 * - hash → HASH_LISTPACK or HASH (field, value strings);
 * - zset → ZSET_LISTPACK (member, score pairs, ascending) or ZSET_2
 *   (member, binary double, from the highest score down as Redis writes it,
 *   so loading inserts at the head of the skiplist).
 */
import type { RdbOutput } from './output.js';
import { RdbOp, RdbType, QUICKLIST_NODE_PACKED, QUICKLIST_NODE_PLAIN } from './constants.js';
import { encodeListpack } from './listpack.js';
import { quicklistNodes } from './quicklist.js';
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
export function writeEntry(out: RdbOutput, key: string, entry: Entry, expireMs: number, access: AccessData, nowMs: number): void {
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
  writeValueBody(out, v);
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
export function writeValueBody(out: RdbOutput, v: Value): void {
  if (isString(v)) {
    out.string(v);
    return;
  }
  switch (v.type) {
    case 'list':
      writeList(out, v as List);
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

/** QUICKLIST_2: the node count, then per node its container and either its listpack or its plain element. */
function writeList(out: RdbOutput, list: List): void {
  const nodes = quicklistNodes(list);
  out.length(nodes.length);
  const items: string[] = [];
  for (const node of nodes) {
    if (node.plain) {
      out.length(QUICKLIST_NODE_PLAIN);
      out.string(list.at(node.from));
      continue;
    }
    items.length = 0;
    for (let i = node.from; i < node.to; i++) items.push(list.at(i));
    out.length(QUICKLIST_NODE_PACKED);
    out.string(encodeListpack(items));
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

/** The entries of a listpack-encoded hash (field, value …) or sorted set (member, score … ascending). */
export function listpackItems(v: HashValue | ZSet): string[] {
  const items: string[] = [];
  if (v.type === 'hash') v.forEach((f, x) => items.push(f, x));
  else for (let n = v.list.first; n !== null; n = n.next[0]!) items.push(n.member, scoreText(n.score));
  return items;
}

function writeHash(out: RdbOutput, hash: HashValue): void {
  if (hash.encoding() === 'listpack') {
    out.string(encodeListpack(listpackItems(hash)));
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
    out.string(encodeListpack(listpackItems(z)));
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
