/**
 * The values a key can hold. A string value is a byte string (latin1 JS
 * string, or a Buffer once changed in place by bit operations or SETRANGE);
 * every other type is an object implementing TypedValue, added by the data
 * type modules. typeName/encodingOf answer TYPE and OBJECT ENCODING.
 */
import type { Digest } from '../util/digest.js';
import type { Bytes } from '../util/bytes.js';
import { parseLL } from '../util/numbers.js';

export type TypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface TypedValue {
  readonly type: Exclude<TypeName, 'string'>;
  /** OBJECT ENCODING's answer for this value as it is now. */
  encoding(): string;
  /** A deep copy (COPY). */
  clone(): TypedValue;
  /**
   * Estimated bytes this value occupies beyond its object header, sized like
   * Redis's encoding of it (see keyspace/memory.ts), for INFO used_memory and
   * maxmemory. Must be O(1): keep a running total as elements change. When
   * absent, a fixed estimate is used.
   */
  memoryUsage?(): number;
  /** Folds the content into a DEBUG DIGEST accumulator with Redis's walk for this type. */
  digestInto(acc: Digest): void;
}

export type Value = Bytes | TypedValue;

/** True when the value is a string (either representation). */
export function isString(v: Value): v is Bytes {
  return typeof v === 'string' || Buffer.isBuffer(v);
}

/** TYPE's answer for a value. */
export function typeName(v: Value): TypeName {
  return isString(v) ? 'string' : v.type;
}

/** Longest string Redis stores as "embstr" (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;

/**
 * Buffers holding a short integer-looking value that Redis keeps "embstr":
 * INCRBYFLOAT stores its result without trying the int encoding. Such a
 * buffer is never modified in place (in-place edits copy it first).
 */
const embstrBuffers = new WeakSet<Buffer>();

/**
 * text stored as Redis stores a string it does not try to int-encode
 * (INCRBYFLOAT's result): "embstr" up to 44 bytes, else "raw".
 */
export function unencodedString(text: string): Bytes {
  if (text.length > 20 || parseLL(text) === null) return text;
  const b = Buffer.from(text, 'latin1');
  embstrBuffers.add(b);
  return b;
}

/**
 * OBJECT ENCODING's answer. Strings follow Redis: "int" when the bytes are a
 * canonical int64 (at most 20 chars), "embstr" up to 44 bytes, else "raw";
 * a string modified in place (held as a Buffer) is "raw", as in Redis.
 */
export function encodingOf(v: Value): string {
  if (typeof v === 'string') {
    if (v.length <= 20 && parseLL(v) !== null) return 'int';
    return v.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
  }
  if (Buffer.isBuffer(v)) return embstrBuffers.has(v) ? 'embstr' : 'raw';
  return v.encoding();
}
