/**
 * Storage for string values that commands change in place (APPEND on an
 * existing key, SETRANGE, SETBIT, BITFIELD), like Redis's raw sds strings.
 *
 * Such a value is a Buffer view (offset 0, length = the string's length)
 * over storage this module allocated, possibly with spare room at its end,
 * so repeated APPENDs and SETBITs past the end grow in amortised O(1), as
 * sds does: room doubles below 1 MiB and then grows by 1 MiB. Storage is
 * recognised by identity (a WeakSet of the ArrayBuffers allocated here), so
 * a Buffer from anywhere else (the parser, Buffer.from's shared pool, an
 * "embstr" INCRBYFLOAT result) is never written past its end: it is copied
 * into fresh storage first, which also gives it Redis's "raw" encoding.
 */
import type { Bytes } from '../util/bytes.js';

const MIB = 1024 * 1024;
/**
 * Views at least this long are copied before going into a reply: the reply
 * writer hands Buffers of 64 KiB and more to the socket without copying.
 */
const REPLY_COPY_THRESHOLD = 16 * 1024;

/** ArrayBuffers allocated here: the only storage that may be grown in place. */
const ownedStores = new WeakSet<ArrayBufferLike>();

/** Room to reserve for a string growing to len bytes (sds's greedy policy). */
function roomFor(len: number): number {
  return len < MIB ? Math.max(16, len * 2) : len + MIB;
}

/** A zero-filled owned view of exactly len bytes in a store of `room` bytes. */
function allocate(len: number, room: number): Buffer {
  const store = Buffer.alloc(room);
  ownedStores.add(store.buffer);
  return store.subarray(0, len);
}

/** True when v is a view this module owns, so it may be written (and grown) in place. */
function isOwned(v: Bytes): v is Buffer {
  return typeof v !== 'string' && v.byteOffset === 0 && ownedStores.has(v.buffer);
}

/**
 * The value as a Buffer the caller may modify in place, at least minLength
 * bytes long: v's bytes followed by zeros. Reuses v's storage when this
 * module owns it and it has room; otherwise copies into new storage (exact
 * size when v is empty, as when Redis creates a key; greedy when growing).
 * The caller must store the returned Buffer as the key's value.
 */
export function writableString(v: Bytes, minLength: number): Buffer {
  const len = v.length;
  const newLen = Math.max(len, minLength);
  if (isOwned(v)) {
    if (newLen === len) return v;
    if (newLen <= v.buffer.byteLength) {
      const grown = Buffer.from(v.buffer, 0, newLen);
      grown.fill(0, len, newLen);
      return grown;
    }
  }
  const out = allocate(newLen, len === 0 || newLen === len ? newLen : roomFor(newLen));
  if (typeof v === 'string') out.latin1Write(v, 0, len);
  else v.copy(out, 0, 0, len);
  return out;
}

/** A new owned, zero-filled value of len bytes (SETRANGE/SETBIT creating a key, BITOP results). */
export function newWritableString(len: number): Buffer {
  return allocate(len, len);
}

/**
 * v with `tail` appended, reusing v's storage when possible (APPEND). The
 * caller must store the result as the key's value.
 */
export function appendBytes(v: Bytes, tail: Bytes): Buffer {
  const len = v.length;
  const out = writableString(v, len + tail.length);
  if (typeof tail === 'string') out.latin1Write(tail, len, tail.length);
  else tail.copy(out, len);
  return out;
}

/**
 * Bytes of v that stay unchanged while a reply is in flight. The reply
 * writer passes big Buffers to the socket by reference, so a view of storage
 * that a later SETBIT/SETRANGE/BITFIELD may change in place is copied first
 * (Redis, too, copies a value into the client's output buffer); anything
 * else is returned as it is.
 */
export function replySafeBytes(v: Bytes): Bytes {
  return typeof v !== 'string' && v.length >= REPLY_COPY_THRESHOLD && ownedStores.has(v.buffer) ? Buffer.from(v) : v;
}
