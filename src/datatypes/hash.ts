/**
 * The hash type: a map from field to value (both byte strings) with Redis
 * 7.0's two encodings. A hash starts as a listpack and converts, once and
 * for good, to a hashtable when it stores a field or value longer than
 * hash-max-listpack-value bytes or holds more than hash-max-listpack-entries
 * fields (only what is actually stored counts: HSETNX on an existing field
 * converts nothing). Both encodings are one Dict (insertion order, updates
 * in place), which is exactly a listpack's order; the encoding is what
 * OBJECT ENCODING reports.
 *
 * Pure data: no protocol, no keyspace.
 */
import type { TypedValue } from '../keyspace/values.js';
import { Digest } from '../util/digest.js';
import { mallocSize } from '../keyspace/memory.js';
import { Dict, hashtableBytes } from './dict.js';

/** A listpack's header (total bytes, count) and end byte. */
const LISTPACK_FIXED_BYTES = 7;
/** Per listpack entry: the encoding byte and the back-length byte of a short string. */
const LISTPACK_ENTRY_BYTES = 2;

/** The listpack limits, read from the config by the caller. */
export interface HashLimits {
  /** hash-max-listpack-entries */
  entries: number;
  /** hash-max-listpack-value */
  value: number;
}

export class HashValue implements TypedValue {
  readonly type = 'hash' as const;
  private listpack = true;
  /** Total length of the fields and values (for memoryUsage). */
  private bytes = 0;

  constructor(private fields: Dict<string> = new Dict<string>()) {}

  get size(): number {
    return this.fields.size;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  /**
   * DEBUG DIGEST walk: each field/value pair gets its own digest (field then
   * value mixed in, order-sensitive), and the pairs' digests are xored in, so
   * field order does not matter.
   */
  digestInto(acc: Digest): void {
    this.forEach((field, v) => {
      const pair = new Digest();
      pair.mixIn(field);
      pair.mixIn(v);
      acc.xorIn(pair.bytes);
    });
  }

  clone(): HashValue {
    const h = new HashValue(this.fields.clone());
    h.listpack = this.listpack;
    h.bytes = this.bytes;
    return h;
  }

  /** Estimated bytes of Redis's listpack or hashtable for these fields (see keyspace/memory.ts). O(1). */
  memoryUsage(): number {
    const n = this.fields.size;
    if (this.listpack) return mallocSize(LISTPACK_FIXED_BYTES + this.bytes + 2 * n * LISTPACK_ENTRY_BYTES);
    return hashtableBytes(n, 2 * n, this.bytes);
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  has(field: string): boolean {
    return this.fields.has(field);
  }

  /**
   * Sets field to value (in place when it exists), converting to a
   * hashtable as Redis would. Returns true when the field is new.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.listpack && (field.length > limits.value || value.length > limits.value)) this.listpack = false;
    const old = this.fields.get(field);
    this.bytes += old === undefined ? field.length + value.length : value.length - old.length;
    this.fields.set(field, value);
    if (this.listpack && this.fields.size > limits.entries) this.listpack = false;
    return old === undefined;
  }

  /** Removes field. Returns true when it was present. */
  delete(field: string): boolean {
    const old = this.fields.get(field);
    if (old === undefined) return false;
    this.fields.delete(field);
    this.bytes -= field.length + old.length;
    return true;
  }

  /** Calls fn for each field in order. fn must not change the hash. */
  forEach(fn: (field: string, value: string) => void): void {
    this.fields.forEach(fn);
  }

  /** A uniformly random field; the hash must not be empty. */
  randomField(): string {
    return this.fields.randomKey();
  }

  /**
   * One HSCAN step from cursor: a listpack is visited whole (cursor 0
   * back), a hashtable `count` slots at a time (see Dict.scan). Returns the
   * next cursor.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    if (this.listpack) {
      this.fields.forEach(visit);
      return 0;
    }
    return this.fields.scan(cursor, count, visit);
  }
}
