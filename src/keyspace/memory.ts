/**
 * The memory model behind INFO memory and maxmemory: what the dataset would
 * occupy in a Redis 7.0 process, estimated key by key.
 *
 * Why a model and not the V8 heap: the heap only moves when the garbage
 * collector runs, is shared by every server in the process and is inflated
 * by garbage, so eviction driven by it would evict at random moments and
 * evict either far too much or nothing. The model is deterministic, changes
 * exactly when the dataset changes, and sized like Redis's allocations (so
 * a given maxmemory holds about as much data as it would in Redis). The
 * real process footprint stays visible in INFO's RSS fields.
 *
 * The estimate of one key (entryBytes) is its key string plus its value:
 * - a string value is an object header (16 bytes) and, unless it is an
 *   integer, its bytes with a length header, rounded up to the allocator's
 *   size class like jemalloc does (embstr strings share one allocation with
 *   their header);
 * - any other type adds what its TypedValue.memoryUsage() reports, or a
 *   fixed estimate for types that do not report one.
 * Per-key bookkeeping of the hash tables themselves (table entries and
 * buckets of the key and expiry dictionaries) is overhead, not dataset, as
 * in Redis's INFO (dbOverheadBytes).
 *
 * Maintaining the total incrementally is the Db's job (see Db.datasetBytes).
 */
import type { Value } from './values.js';
import { isString } from './values.js';
import { parseLL } from '../util/numbers.js';

/**
 * The memory a fresh server accounts to itself (shared objects, command
 * table, empty databases): the figure Redis 7.0.15 reports as
 * used_memory_startup on 64-bit Linux, so that a maxmemory setting leaves
 * the same room for data as in Redis.
 */
export const STARTUP_BYTES = 876_104;

/** Size of an object header (Redis's robj). */
export const OBJECT_HEADER_BYTES = 16;
/** Size of one hash table entry (key pointer, value pointer, next pointer). */
export const DICT_ENTRY_BYTES = 24;
/** Size of one hash table bucket (a pointer). */
const BUCKET_BYTES = 8;
/** Estimate for a value whose type does not implement memoryUsage(). */
export const UNKNOWN_VALUE_BYTES = 64;
/** Longest string stored with its header in one allocation (embstr). */
const EMBSTR_LIMIT = 44;

/**
 * The size class an allocation of n bytes really takes, like jemalloc:
 * 8, then multiples of 16 up to 128, then four classes per doubling
 * (160, 192, 224, 256, 320 …).
 */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  const pow = n <= 2 ** 31 ? 2 ** (31 - Math.clz32(n - 1)) : 2 ** Math.floor(Math.log2(n - 1));
  const step = pow / 4;
  return Math.ceil(n / step) * step;
}

/** Bytes of the length header of a byte string of len bytes (Redis's sds header types). */
function sdsHeader(len: number): number {
  if (len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  return len < 2 ** 32 ? 9 : 17;
}

/** Allocated size of a key (or any standalone byte string) of len bytes. */
export function keyBytes(len: number): number {
  return mallocSize(sdsHeader(len) + len + 1);
}

/** Estimated size of a string value held as a latin1 string or a Buffer. */
function stringBytes(v: string | Buffer): number {
  const len = v.length;
  if (len <= 20 && typeof v === 'string' && parseLL(v) !== null) return OBJECT_HEADER_BYTES;
  if (len <= EMBSTR_LIMIT) return mallocSize(OBJECT_HEADER_BYTES + 3 + len + 1);
  return OBJECT_HEADER_BYTES + mallocSize(sdsHeader(len) + len + 1);
}

/** Estimated size of a value, object header included. */
export function valueBytes(v: Value): number {
  if (isString(v)) return stringBytes(v);
  const own = v.memoryUsage === undefined ? UNKNOWN_VALUE_BYTES : v.memoryUsage();
  return OBJECT_HEADER_BYTES + own;
}

/** Estimated dataset size of one key: its name and its value (see the file comment). */
export function entryBytes(key: string, v: Value): number {
  return keyBytes(key.length) + valueBytes(v);
}

/** Buckets of a hash table holding n entries (power of two, at least 4; none when empty). */
function tableBuckets(n: number): number {
  if (n === 0) return 0;
  return n <= 4 ? 4 : n <= 2 ** 31 ? 2 ** (32 - Math.clz32(n - 1)) : 2 ** Math.ceil(Math.log2(n));
}

/**
 * The bookkeeping memory of a db holding `keys` keys of which `volatile`
 * have an expiry: an entry per key in each table plus the tables' buckets.
 */
export function dbOverheadBytes(keys: number, volatile: number): number {
  return (keys + volatile) * DICT_ENTRY_BYTES + (tableBuckets(keys) + tableBuckets(volatile)) * BUCKET_BYTES;
}
