/**
 * The set type: a collection of distinct byte strings with Redis 7.0's two
 * encodings. A set starts as an intset (sorted int64 values, see intset.ts)
 * and converts, once and for good, to a hashtable (a Dict, see dict.ts)
 * when a member that is not a canonical int64 arrives or when it grows past
 * set-max-intset-entries; the conversion inserts the members in ascending
 * order. Iteration follows the encoding: ascending for an intset,
 * insertion order (standing in for Redis's hash order) for a hashtable.
 *
 * Pure data: no protocol, no keyspace. The set algebra (SINTER …) lives
 * here too, over SetValues, so command handlers stay thin.
 */
import type { TypedValue } from '../keyspace/values.js';
import type { Digest } from '../util/digest.js';
import { mallocSize } from '../keyspace/memory.js';
import { Dict, hashtableBytes } from './dict.js';
import { intsetAdd, intsetRemove, intsetSearch, intsetWidth, isIntsetValue } from './intset.js';

/** An intset's header: encoding and length, 4 bytes each. */
const INTSET_HEADER_BYTES = 8;

export class SetValue implements TypedValue {
  readonly type = 'set' as const;
  /** Sorted members while intset-encoded, else null. */
  private ints: string[] | null = [];
  /** Members once hashtable-encoded, else null. */
  private dict: Dict<true> | null = null;
  /** Bytes per intset element: grows with the widest value added, never shrinks (as in Redis). */
  private width = 2;
  /** Total length of the members while hashtable-encoded (for memoryUsage). */
  private bytes = 0;

  get size(): number {
    return this.ints !== null ? this.ints.length : this.dict!.size;
  }

  encoding(): string {
    return this.ints !== null ? 'intset' : 'hashtable';
  }

  /** Bytes per element while intset-encoded (2, 4 or 8: the widest member ever added), 0 for a hashtable. */
  intsetWidth(): number {
    return this.ints !== null ? this.width : 0;
  }

  /**
   * A set loaded from a stored intset: sorted distinct integer texts at
   * `width` bytes each. Converts to a hashtable when it holds more than
   * maxIntset members, as Redis does on load.
   */
  static fromIntset(sorted: string[], width: number, maxIntset: number): SetValue {
    const s = new SetValue();
    s.ints = sorted;
    s.width = width;
    if (sorted.length > maxIntset) s.toHashtable();
    return s;
  }

  /** DEBUG DIGEST walk: each member's hash xored in, so member order does not matter. */
  digestInto(acc: Digest): void {
    this.forEach((m) => acc.xorIn(m));
  }

  clone(): SetValue {
    const s = new SetValue();
    if (this.ints !== null) s.ints = this.ints.slice();
    else {
      s.ints = null;
      s.dict = this.dict!.clone();
    }
    s.width = this.width;
    s.bytes = this.bytes;
    return s;
  }

  /** Estimated bytes of Redis's intset or hashtable for these members (see keyspace/memory.ts). O(1). */
  memoryUsage(): number {
    if (this.ints !== null) return mallocSize(INTSET_HEADER_BYTES + this.width * this.ints.length);
    return hashtableBytes(this.dict!.size, this.dict!.size, this.bytes);
  }

  has(member: string): boolean {
    if (this.ints !== null) return isIntsetValue(member) && intsetSearch(this.ints, member) >= 0;
    return this.dict!.has(member);
  }

  /**
   * Adds member; maxIntset is set-max-intset-entries. Converts to a
   * hashtable for a non-integer member or when the intset grows past
   * maxIntset. Returns true when the member is new.
   */
  add(member: string, maxIntset: number): boolean {
    const ints = this.ints;
    if (ints !== null) {
      if (isIntsetValue(member)) {
        if (!intsetAdd(ints, member)) return false;
        this.width = Math.max(this.width, intsetWidth(member));
        if (ints.length > maxIntset) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    if (!this.dict!.set(member, true)) return false;
    this.bytes += member.length;
    return true;
  }

  /** Removes member. Returns true when it was present. The encoding never reverts to intset. */
  remove(member: string): boolean {
    if (this.ints !== null) return isIntsetValue(member) && intsetRemove(this.ints, member);
    if (!this.dict!.delete(member)) return false;
    this.bytes -= member.length;
    return true;
  }

  /** Calls fn for each member in encoding order. fn must not change the set. */
  forEach(fn: (member: string) => void): void {
    if (this.ints !== null) {
      const ints = this.ints;
      for (let i = 0; i < ints.length; i++) fn(ints[i]!);
    } else this.dict!.forEach(fn);
  }

  /** Every member in encoding order. */
  members(): string[] {
    if (this.ints !== null) return this.ints.slice();
    const out: string[] = [];
    this.dict!.forEach((m) => out.push(m));
    return out;
  }

  /** A uniformly random member; the set must not be empty. */
  random(): string {
    const ints = this.ints;
    if (ints !== null) return ints[Math.floor(Math.random() * ints.length)]!;
    return this.dict!.randomKey();
  }

  /** Removes and returns a uniformly random member; the set must not be empty. */
  pop(): string {
    const m = this.random();
    this.remove(m);
    return m;
  }

  /**
   * One SSCAN step from cursor: an intset is visited whole (cursor 0 back),
   * a hashtable `count` slots at a time (see Dict.scan). Returns the next cursor.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    if (this.ints !== null) {
      this.forEach(visit);
      return 0;
    }
    return this.dict!.scan(cursor, count, visit);
  }

  private toHashtable(): void {
    const dict = new Dict<true>();
    let bytes = 0;
    for (const m of this.ints!) {
      dict.set(m, true);
      bytes += m.length;
    }
    this.dict = dict;
    this.bytes = bytes;
    this.ints = null;
  }
}

/** Builds a set from members, as Redis builds STORE results: an intset first, converting as needed. */
export function setFrom(members: Iterable<string>, maxIntset: number): SetValue {
  const s = new SetValue();
  for (const m of members) s.add(m, maxIntset);
  return s;
}

/**
 * The members common to every set, in the iteration order of the smallest
 * set (Redis walks the smallest and probes the others), stopping after
 * `limit` members when limit > 0. A missing set (null) makes the result
 * empty.
 */
export function intersect(sets: readonly (SetValue | null)[], limit: number): string[] {
  const out: string[] = [];
  if (sets.length === 0 || sets.some((s) => s === null || s.size === 0)) return out;
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const [smallest, ...others] = sorted as [SetValue, ...SetValue[]];
  for (const m of smallest.members()) {
    if (others.every((s) => s.has(m))) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

/** The union of the sets (null = missing = empty), each member once, in first-seen order. */
export function union(sets: readonly (SetValue | null)[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) s?.forEach((m) => out.add(m));
  return out;
}

/** The members of the first set that are in none of the others (null = missing = empty). */
export function difference(sets: readonly (SetValue | null)[]): Set<string> {
  const out = new Set<string>();
  const first = sets[0];
  if (first === null || first === undefined) return out;
  first.forEach((m) => {
    for (let i = 1; i < sets.length; i++) if (sets[i]?.has(m)) return;
    out.add(m);
  });
  return out;
}
