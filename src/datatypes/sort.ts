/**
 * Pure pieces of SORT: reading a sort weight as Redis reads it (C's strtod
 * over a C string), comparing byte strings as C's strcmp/strcoll do (the
 * server runs in the C collation, where strcoll is strcmp: stop at the first
 * NUL), and splitting a BY/GET pattern into its key and hash-field parts.
 *
 * No keyspace, no protocol: the command (commands/sort.ts) resolves patterns
 * against the keyspace with what parsePattern returns.
 */

/** Smallest positive normal double: strtod flags anything nonzero below it as an underflow. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** The C string view of s: everything before its first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX_RE = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const INF_RE = /^[+-]?inf(?:inity)?/i;
const NAN_RE = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;

/**
 * The weight SORT gives a text, or null when Redis refuses it ("One or more
 * scores can't be converted into double"). Like strtod followed by Redis's
 * checks: leading whitespace is skipped; decimal, hexadecimal and inf forms
 * are read; the text must end (or reach a NUL) right after the number; NaN,
 * overflow and underflow (nonzero results below the normal range) are
 * refused. A text with no number at all reads as 0 only when it is empty
 * (strtod then leaves its end pointer at the start).
 */
export function parseSortWeight(text: string): number | null {
  const s = cString(text);
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  const body = s.slice(i);
  if (NAN_RE.test(body)) return null;
  let m = INF_RE.exec(body);
  if (m !== null) return m[0].length === body.length ? (body.charCodeAt(0) === 45 ? -Infinity : Infinity) : null;
  m = HEX_RE.exec(body);
  if (m !== null) {
    if (m[0].length !== body.length) return null;
    const value = hexValue(m[2]!, m[3] === undefined ? 0 : Number(m[3]));
    return value === null ? null : m[1] === '-' ? -value : value;
  }
  m = DEC_RE.exec(body);
  if (m === null) return s.length === 0 ? 0 : null;
  if (m[0].length !== body.length) return null;
  const value = Number(body);
  if (!Number.isFinite(value)) return null;
  // A nonzero decimal landing below the normal range is never exact: strtod reports ERANGE.
  if (Math.abs(value) < MIN_NORMAL && /[1-9]/.test(body.replace(/[eE].*$/, ''))) return null;
  return value;
}

/** Whether code is a C isspace() character. */
function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * The magnitude of a hexadecimal mantissa (digits with an optional point)
 * times 2^exp, or null where strtod reports ERANGE: overflow, or a result
 * below the normal range that is not exact (a tiny exact value is fine).
 */
function hexValue(mantissa: string, exp: number): number | null {
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  let m = BigInt('0x' + digits);
  if (m === 0n) return 0;
  let e = exp - (dot < 0 ? 0 : 4 * (mantissa.length - dot - 1));
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  // Scale in two steps so neither power of two overflows or underflows on its own.
  const half = Math.trunc(e / 2);
  const value = Number(m) * Math.pow(2, half) * Math.pow(2, e - half);
  if (!Number.isFinite(value)) return null;
  if (value < MIN_NORMAL && e < -1074) return null;
  return value;
}

/** memcmp order of two byte strings, shorter first on a common prefix: -1, 0 or 1. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcmp order (the C collation's strcoll): bytes up to each string's first NUL. */
export function compareCStrings(a: string, b: string): number {
  return compareBytes(cString(a), cString(b));
}

/** A BY/GET pattern: the element itself (GET #), or a key made from it and maybe a hash field. */
export type SortPattern = { self: true } | { self: false; prefix: string; suffix: string; field: string | null };

/**
 * Splits a pattern as Redis reads it (as a C string, up to its first NUL):
 * "#" is the element itself; otherwise the first '*' is replaced by the
 * element to make a key, and a "->" after it followed by at least one byte
 * names a hash field (the rest of the pattern, NULs included). Returns null
 * for a pattern without '*', which never resolves to a value.
 */
export function parsePattern(pattern: string): SortPattern | null {
  const c = cString(pattern);
  if (c === '#') return { self: true };
  const star = c.indexOf('*');
  if (star < 0) return null;
  const arrow = c.indexOf('->', star + 1);
  if (arrow >= 0 && arrow + 2 < c.length) {
    return { self: false, prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1, arrow), field: pattern.slice(arrow + 2) };
  }
  return { self: false, prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), field: null };
}
