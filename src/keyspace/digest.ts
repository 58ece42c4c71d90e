/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: a 20-byte signature of the dataset
 * (or of single values) that equals Redis 7.0's for the same data, so tests
 * can compare a nodis dataset with a real Redis one (or a replica with its
 * master) in one call.
 *
 * The scheme, as Redis defines it:
 * - two primitives over a 20-byte accumulator: "xor in" (acc ^= SHA1(bytes))
 *   and "mix in" (xor in, then acc = SHA1(acc));
 * - a key's digest starts at zero, mixes in the key's bytes, then the
 *   value's type code (Redis's OBJ_* number, 4 bytes big-endian), then the
 *   value (a string is mixed in as its bytes; other types fold themselves
 *   in with their digestInto method, Redis's walk for that type), then xors in "!!expire!!" when
 *   the key has a TTL (DIGEST-VALUE is the same without the key's bytes);
 * - the dataset digest starts at zero; for each non-empty db it mixes in the
 *   db index (4 bytes, big-endian) and xors in (hashed) every key's digest, so the
 *   order of keys inside a db does not matter but the db they live in does.
 * An empty dataset therefore digests to forty zeros.
 */
import type { Db } from './db.js';
import { Digest } from '../util/digest.js';
import { isString, typeName, type TypeName, type Value } from './values.js';

const EXPIRE_MARK = Buffer.from('!!expire!!', 'latin1');

/** Redis's type codes (OBJ_STRING …), mixed into each value's digest. */
const TYPE_CODES: Record<TypeName, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

/** Folds a value into acc: its type code, then its content (strings as their bytes). */
function digestValueInto(acc: Digest, value: Value): void {
  const code = Buffer.alloc(4);
  code.writeUInt32BE(TYPE_CODES[typeName(value)]);
  acc.mixIn(code);
  if (isString(value)) {
    acc.mixIn(value);
    return;
  }
  value.digestInto(acc);
}

/**
 * The digest of one key's value (with the key's bytes mixed in first when
 * withKey), plus the expiry marker when the key has a TTL.
 */
function entryDigest(db: Db, key: string, value: Value, withKey: boolean): Digest {
  const acc = new Digest();
  if (withKey) acc.mixIn(key);
  digestValueInto(acc, value);
  if (db.getExpire(key) !== -1) acc.xorIn(EXPIRE_MARK);
  return acc;
}

/**
 * The digest of key's value in db, expiry marker included (DEBUG
 * DIGEST-VALUE), or null when the key does not exist. Does not touch the
 * key's access time and applies no lazy expiry.
 */
export function valueDigest(db: Db, key: string): Digest | null {
  const e = db.peek(key);
  return e === undefined ? null : entryDigest(db, key, e.value, false);
}

/** The digest of every db (DEBUG DIGEST); forty zeros for an empty dataset. */
export function datasetDigest(dbs: readonly Db[]): Digest {
  const final = new Digest();
  const dbIndex = Buffer.alloc(4);
  for (const db of dbs) {
    if (db.size === 0) continue;
    dbIndex.writeUInt32BE(db.id);
    final.mixIn(dbIndex);
    for (const [key, e] of db.dict) final.xorIn(entryDigest(db, key, e.value, true).bytes);
  }
  return final;
}
