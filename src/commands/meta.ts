/**
 * Command metadata as Redis 7.0 describes it (COMMAND INFO and COMMAND DOCS),
 * stored in meta.json in a compact JSON form of RESP3 values, and decoded
 * back into RespValues for replay. tools/gen-command-meta.ts writes the file.
 *
 * Compact form: a bulk string is a JSON string, an integer a number, null is
 * null, an array a JSON array, and the other kinds are tagged objects:
 * {s: status}, {set: [...]}, {map: [[k, v], ...]}, {d: double}.
 */
import type { RespValue } from '../protocol/reply-parser.js';

export type Compact =
  string | number | null | Compact[] | { s: string } | { set: Compact[] } | { map: [Compact, Compact][] } | { d: string };

/** Encodes a RESP value into the compact JSON form. */
export function encodeCompact(v: RespValue): Compact {
  switch (v.kind) {
    case 'bulk':
      return v.value;
    case 'int':
      return Number(v.value);
    case 'null':
      return null;
    case 'simple':
      return { s: v.value };
    case 'double':
      return { d: v.value };
    case 'array':
      return v.items.map(encodeCompact);
    case 'set':
      return { set: v.items.map(encodeCompact) };
    case 'map':
      return { map: v.entries.map(([k, val]) => [encodeCompact(k), encodeCompact(val)] as [Compact, Compact]) };
    default:
      throw new Error(`cannot store a ${v.kind} in command metadata`);
  }
}

/** Decodes the compact JSON form back into a RESP value. */
export function decodeCompact(c: Compact): RespValue {
  if (c === null) return { kind: 'null' };
  if (typeof c === 'string') return { kind: 'bulk', value: c };
  if (typeof c === 'number') return { kind: 'int', value: BigInt(c) };
  if (Array.isArray(c)) return { kind: 'array', items: c.map(decodeCompact) };
  if ('s' in c) return { kind: 'simple', value: c.s };
  if ('d' in c) return { kind: 'double', value: c.d };
  if ('set' in c) return { kind: 'set', items: c.set.map(decodeCompact) };
  return { kind: 'map', entries: c.map.map(([k, v]) => [decodeCompact(k), decodeCompact(v)] as [RespValue, RespValue]) };
}
