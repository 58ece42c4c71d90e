/**
 * Dict: the keyed table behind hashes and sets (fields or members are latin1
 * byte strings). Besides O(1) get/set/delete it gives what those types need
 * from Redis's dict and a JS Map alone cannot:
 *
 * - insertion order with in-place updates (what a listpack-encoded hash
 *   replies in), also while the table is large;
 * - a uniformly random entry in O(1) expected time (SPOP, SRANDMEMBER,
 *   HRANDFIELD);
 * - resumable scans (HSCAN, SSCAN): an entry present for a whole scan is
 *   returned at least once, whatever is added or removed meanwhile.
 *
 * Layout: entries live in parallel slot arrays in insertion order; each
 * slot carries an increasing sequence number, and `index` maps a key to its
 * slot. Deleting leaves a hole (null key); holes are compacted away once
 * they outnumber live entries, so random picks need under two tries on
 * average and memory stays proportional to the live size. A scan cursor is
 * the sequence number of the last slot visited; compaction keeps the
 * sequence numbers, so cursors survive it.
 */

import { DICT_ENTRY_BYTES } from '../keyspace/memory.js';

/** Holes are compacted away once there are more than this many and more than live entries. */
const MIN_HOLES_TO_COMPACT = 32;

/**
 * Where a scan resumes: the index of the first slot in seqs (increasing
 * sequence numbers) whose number is above cursor, seqs.length when none is.
 * Shared by Dict.scan and the keyspace's SCAN order (keyspace/db.ts), whose
 * cursors are both the sequence number of the last slot visited.
 */
export function scanStart(seqs: readonly number[], cursor: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Dict<V> {
  private readonly index = new Map<string, number>();
  private keys: (string | null)[] = [];
  private vals: (V | undefined)[] = [];
  private seqs: number[] = [];
  private nextSeq = 1;

  get size(): number {
    return this.index.size;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): V | undefined {
    const slot = this.index.get(key);
    return slot === undefined ? undefined : this.vals[slot];
  }

  /** Sets key to value, keeping its place when it exists. Returns true when the key is new. */
  set(key: string, value: V): boolean {
    const slot = this.index.get(key);
    if (slot !== undefined) {
      this.vals[slot] = value;
      return false;
    }
    this.index.set(key, this.keys.length);
    this.keys.push(key);
    this.vals.push(value);
    this.seqs.push(this.nextSeq++);
    return true;
  }

  /** Removes key. Returns true when it was present. May compact (never during forEach's callback). */
  delete(key: string): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    this.index.delete(key);
    this.keys[slot] = null;
    this.vals[slot] = undefined;
    const holes = this.keys.length - this.index.size;
    if (holes > MIN_HOLES_TO_COMPACT && holes > this.index.size) this.compact();
    return true;
  }

  /** Calls fn for every entry in insertion order. fn must not add or delete entries. */
  forEach(fn: (key: string, value: V) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== null && k !== undefined) fn(k, this.vals[i] as V);
    }
  }

  /** A uniformly random key; the dict must not be empty. */
  randomKey(): string {
    const keys = this.keys;
    for (;;) {
      const k = keys[Math.floor(Math.random() * keys.length)];
      if (k !== null && k !== undefined) return k;
    }
  }

  /**
   * Visits up to `count` slots after `cursor` (0 starts a scan), calling
   * visit for each live entry. Returns the next cursor, 0 when the scan is
   * complete. visit must not add or delete entries.
   */
  scan(cursor: number, count: number, visit: (key: string, value: V) => void): number {
    const seqs = this.seqs;
    const lo = scanStart(seqs, cursor);
    const end = Math.min(seqs.length, lo + Math.max(1, count));
    let i = lo;
    for (; i < end; i++) {
      const k = this.keys[i];
      if (k !== null && k !== undefined) visit(k, this.vals[i] as V);
    }
    return i >= seqs.length ? 0 : seqs[i - 1]!;
  }

  /** A copy with the same entries in the same order (values copied by reference). */
  clone(): Dict<V> {
    const d = new Dict<V>();
    this.forEach((k, v) => d.set(k, v));
    return d;
  }

  /** Drops the holes, keeping order and sequence numbers, and re-indexes the keys. */
  private compact(): void {
    const keys: (string | null)[] = [];
    const vals: (V | undefined)[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i];
      if (k === null || k === undefined) continue;
      this.index.set(k, keys.length);
      keys.push(k);
      vals.push(this.vals[i]);
      seqs.push(this.seqs[i]!);
    }
    this.keys = keys;
    this.vals = vals;
    this.seqs = seqs;
  }
}

/** Redis's dict struct, as allocated. */
const DICT_STRUCT_BYTES = 56;
/** A byte string's allocation beyond its bytes, on average: sds header, NUL, size-class rounding. */
export const STRING_OVERHEAD_BYTES = 9;

/**
 * Estimated bytes of a Redis hashtable ("hashtable" encoding) holding
 * `count` entries whose strings total `stringBytes` bytes in `strings`
 * allocations: the dict struct, a power-of-two bucket array, an entry per
 * element and each string with its average overhead. O(1).
 */
export function hashtableBytes(count: number, strings: number, stringBytes: number): number {
  const buckets = count === 0 ? 0 : 2 ** Math.ceil(Math.log2(Math.max(4, count)));
  return DICT_STRUCT_BYTES + buckets * 8 + count * DICT_ENTRY_BYTES + stringBytes + strings * STRING_OVERHEAD_BYTES;
}
