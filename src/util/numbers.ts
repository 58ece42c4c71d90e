/**
 * Number parsing and formatting with Redis's exact rules (string2ll, string2d,
 * "%.17g"). Integers are JS numbers; values beyond 2^53 are still validated
 * exactly against the int64 range but come back as the nearest double, so code
 * that needs exact 64-bit arithmetic (INCRBY) checks Number.isSafeInteger and
 * falls back to BigInt.
 */

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

/**
 * Parses a signed 64-bit decimal integer the way Redis's string2ll does: no
 * sign other than a leading '-', no leading zeros, no spaces, at most 20 chars.
 * Returns null when the text is not such an integer or is out of int64 range.
 */
export function parseLL(s: string): number | null {
  const len = s.length;
  if (len === 0 || len > 20) return null;
  if (len === 1) {
    const c = s.charCodeAt(0) - 48;
    return c >= 0 && c <= 9 ? c : null;
  }
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  const first = s.charCodeAt(i) - 48;
  if (first < 1 || first > 9) return null;
  let v = first;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (v > 9007199254740991) {
    const digits = neg ? s.slice(1) : s;
    if (digits.length > 19) return null;
    if (digits.length === 19 && digits > (neg ? INT64_MIN_ABS : INT64_MAX)) return null;
    // The digit loop accumulates rounding errors past 2^53; Number() rounds once, to the nearest double.
    return Number(s);
  }
  return neg ? -v : v;
}

/** Parses an int64 exactly (see parseLL for the accepted syntax) as a BigInt, or null. */
export function parseBigLL(s: string): bigint | null {
  return parseLL(s) === null ? null : BigInt(s);
}

/**
 * Parses a double the way Redis's string2d does (strtod over the whole string):
 * no leading space, no trailing garbage, "inf"/"-inf"/"+inf" accepted,
 * NaN rejected. Returns null when invalid.
 */
export function parseDouble(s: string): number | null {
  const len = s.length;
  if (len === 0 || len > 5120) return null;
  const c0 = s.charCodeAt(0);
  if (c0 <= 32 || s.charCodeAt(len - 1) <= 32) return null;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!DOUBLE_RE.test(s)) return null;
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}
const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Formats a double like C's printf("%.17g"), which Redis 7.0 uses for double
 * replies and scores: 17 significant digits, trailing zeros dropped, exponent
 * form below 1e-4 or at/above 1e17, "inf"/"-inf" for infinities.
 */
export function formatDouble17g(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  let text = d.toExponential(16);
  const e = parseInt(text.slice(text.indexOf('e') + 1), 10);
  if (e < -4 || e >= 17) {
    const [mant, ex] = text.split('e') as [string, string];
    const m = stripZeros(mant);
    const n = parseInt(ex, 10);
    const sign = n < 0 ? '-' : '+';
    const abs = Math.abs(n);
    return `${m}e${sign}${abs < 10 ? '0' + abs : abs}`;
  }
  text = d.toFixed(Math.max(0, 16 - e));
  return stripZeros(text);
}

function stripZeros(s: string): string {
  if (s.indexOf('.') === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
