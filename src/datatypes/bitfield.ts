/**
 * BITFIELD's integer fields: reading and writing a signed or unsigned
 * integer of 1..64 bits (unsigned up to 63, as Redis allows) at any bit
 * offset, big-endian (the field's most significant bit first), and the
 * three overflow policies for SET and INCRBY. Values are BigInts so every
 * width up to 64 bits is exact.
 */

/** A field type: i<bits> or u<bits>. */
export interface FieldType {
  signed: boolean;
  bits: number;
}

export type Overflow = 'wrap' | 'sat' | 'fail';

const INT64_RANGE = 1n << 64n;

/**
 * Parses "i8", "u16" …: 'i' or 'u' (lowercase) and a canonical decimal
 * width, 1..64 signed or 1..63 unsigned. Returns null when invalid.
 */
export function parseFieldType(s: string): FieldType | null {
  const kind = s.charCodeAt(0);
  if (kind !== 105 && kind !== 117) return null;
  const digits = s.slice(1);
  if (!/^[1-9]\d?$/.test(digits)) return null;
  const bits = Number(digits);
  const signed = kind === 105;
  if (bits > (signed ? 64 : 63)) return null;
  return { signed, bits };
}

/** Reads the field at bit offset of buf (bits past the end read as 0). */
export function readField(buf: Uint8Array, offset: number, t: FieldType): bigint {
  let v = 0n;
  for (let i = 0; i < t.bits; i++) {
    const pos = offset + i;
    const byte = Math.floor(pos / 8);
    const bit = byte < buf.length ? (buf[byte]! >> (7 - (pos % 8))) & 1 : 0;
    v = (v << 1n) | BigInt(bit);
  }
  return t.signed ? BigInt.asIntN(t.bits, v) : v;
}

/**
 * Writes value (already within the field's range) at bit offset of buf,
 * which must be long enough. Returns true when any byte changed.
 */
export function writeField(buf: Uint8Array, offset: number, t: FieldType, value: bigint): boolean {
  const raw = BigInt.asUintN(t.bits, value);
  let changed = false;
  for (let i = 0; i < t.bits; i++) {
    const pos = offset + i;
    const byte = Math.floor(pos / 8);
    const mask = 0x80 >> (pos % 8);
    const bit = (raw >> BigInt(t.bits - 1 - i)) & 1n;
    const old = buf[byte]!;
    const next = bit === 1n ? old | mask : old & ~mask;
    if (next !== old) {
      buf[byte] = next;
      changed = true;
    }
  }
  return changed;
}

/** The smallest and largest value of a field type. */
function limits(t: FieldType): [bigint, bigint] {
  if (t.signed) {
    const max = (1n << BigInt(t.bits - 1)) - 1n;
    return [-max - 1n, max];
  }
  return [0n, (1n << BigInt(t.bits)) - 1n];
}

/**
 * The value a SET or INCRBY stores, given the exact mathematical result
 * (old + increment, or the SET argument), under an overflow policy: WRAP
 * keeps the low bits (two's complement), SAT clamps to the nearer limit,
 * FAIL answers null (nothing is written). For an unsigned SET, Redis reads
 * the argument as an unsigned 64-bit number first, so a negative argument
 * overflows upwards and saturates to the maximum.
 */
export function fitField(result: bigint, t: FieldType, policy: Overflow, isSet: boolean): bigint | null {
  if (isSet && !t.signed && result < 0n) result += INT64_RANGE;
  const [min, max] = limits(t);
  if (result >= min && result <= max) return result;
  if (policy === 'fail') return null;
  if (policy === 'sat') return result > max ? max : min;
  return t.signed ? BigInt.asIntN(t.bits, result) : BigInt.asUintN(t.bits, result);
}
