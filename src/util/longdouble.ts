/**
 * A software model of the x87 80-bit "long double" that Redis uses for
 * INCRBYFLOAT, exact to the last bit, so nodis prints what Redis prints.
 *
 * Redis parses both operands with strtold (Redis's string2ld rules), adds
 * them in extended precision and prints the sum with "%.17Lf", trailing
 * zeros trimmed. An extended value has a 64-bit significand (integer bit
 * explicit), binary exponents down to the denormal 2^-16445 and overflows
 * at 2^16384. Here a finite value is sign × sig × 2^exp with sig < 2^64,
 * held in BigInt; every step (decimal/hex text → value, sum, value → text)
 * is computed exactly and rounded once, half to even, like the hardware
 * and glibc in the default rounding mode.
 */

/** Significand width of the x87 extended format. */
const SIG_BITS = 64;
/** Exponent of the least significant bit of the smallest denormal (2^-16445). */
const MIN_LSB_EXP = -16445;
/** Values at or above 2^16384 overflow to infinity. */
const OVERFLOW_EXP = 16384;
/** strtold inputs Redis accepts are shorter than this (MAX_LONG_DOUBLE_CHARS). */
const MAX_TEXT = 5 * 1024;
/** Fractional digits printed by "%.17Lf". */
const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

/** An extended-precision value: finite (neg, sig, exp) or an infinity (finite false). */
export class LongDouble {
  constructor(
    readonly neg: boolean,
    /** Significand, below 2^64; 0n for zero. */
    readonly sig: bigint,
    /** Binary exponent of the significand's least significant bit. */
    readonly exp: number,
    readonly finite = true,
  ) {}

  static infinity(neg: boolean): LongDouble {
    return new LongDouble(neg, 0n, 0, false);
  }

  get isZero(): boolean {
    return this.finite && this.sig === 0n;
  }
}

/** Number of significant bits of n (n ≥ 0). */
function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact value n × 2^e (n ≥ 0; `sticky` says the true value is a
 * little above that, below n's last bit) to the nearest extended value, ties
 * to even, with gradual underflow into denormals. Returns an infinity when
 * the result reaches 2^16384, and zero when it underflows completely.
 */
function round(neg: boolean, n: bigint, e: number, sticky: boolean): LongDouble {
  if (n === 0n) return new LongDouble(neg, 0n, 0);
  const bits = bitLength(n);
  const lsbExp = Math.max(e + bits - SIG_BITS, MIN_LSB_EXP);
  const shift = lsbExp - e;
  let sig: bigint;
  let outExp = lsbExp;
  if (shift <= 0) {
    sig = n;
    outExp = e;
  } else if (shift > bits) {
    // Below half of the smallest step: rounds to zero.
    return new LongDouble(neg, 0n, 0);
  } else {
    const s = BigInt(shift);
    sig = n >> s;
    const rest = n - (sig << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (sticky || (sig & 1n) === 1n))) sig++;
    if (sig >> BigInt(SIG_BITS) !== 0n) {
      sig >>= 1n;
      outExp++;
    }
  }
  if (sig !== 0n && outExp + bitLength(sig) > OVERFLOW_EXP) return LongDouble.infinity(neg);
  return new LongDouble(neg, sig, outExp);
}

/** The exact sum a + b, rounded once to extended precision (non-finite when it overflows or is NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (!a.finite || !b.finite) {
    // inf + finite = inf; inf - inf = NaN: callers only ask "is it finite?".
    return LongDouble.infinity(a.finite ? b.neg : a.neg);
  }
  const e = Math.min(a.exp, b.exp);
  const va = (a.neg ? -a.sig : a.sig) << BigInt(a.exp - e);
  const vb = (b.neg ? -b.sig : b.sig) << BigInt(b.exp - e);
  const sum = va + vb;
  if (sum === 0n) return new LongDouble(a.neg && b.neg, 0n, 0);
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

const DECIMAL_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;

/**
 * Parses text the way Redis's string2ld does with glibc's strtold: the whole
 * string must be a decimal or hexadecimal float or "inf"/"infinity" (any
 * case, optional sign), without surrounding space, shorter than 5 KiB; NaN
 * is refused, and so is a finite number that overflows or underflows to
 * zero (strtold's ERANGE). Returns null when Redis would answer "not a valid
 * float"; an infinity is returned as such (INCRBYFLOAT then refuses the sum).
 */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length === 0 || text.length >= MAX_TEXT) return null;
  let m = DECIMAL_RE.exec(text);
  if (m !== null) {
    const digits = m[4] !== undefined ? m[4] : m[2]! + m[3]!;
    const fracLen = m[4] !== undefined ? m[4].length : m[3]!.length;
    return fromDecimal(m[1] === '-', digits, exponentValue(m[5]) - fracLen);
  }
  m = HEX_RE.exec(text);
  if (m !== null) {
    const digits = m[4] !== undefined ? m[4] : m[2]! + m[3]!;
    const fracLen = m[4] !== undefined ? m[4].length : m[3]!.length;
    return fromHex(m[1] === '-', digits, exponentValue(m[5]) - 4 * fracLen);
  }
  if (INF_RE.test(text)) return LongDouble.infinity(text.charCodeAt(0) === 45);
  return null;
}

/** An exponent's digits as a number, clamped far beyond any representable range. */
function exponentValue(text: string | undefined): number {
  if (text === undefined) return 0;
  const v = parseInt(text, 10);
  return Math.max(-1e8, Math.min(1e8, v));
}

/** Drops leading zeros of a digit string (keeping it empty for zero). */
function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

/** digits × 10^exp10, correctly rounded; null on overflow or underflow to zero. */
function fromDecimal(neg: boolean, rawDigits: string, exp10: number): LongDouble | null {
  const digits = stripLeadingZeros(rawDigits);
  if (digits.length === 0) return new LongDouble(neg, 0n, 0);
  const lead = digits.length - 1 + exp10;
  // 1.19e4932 is the largest finite value; 1e-4951 is below half the smallest denormal.
  if (lead > 4932) return null;
  if (lead < -4951) return null;
  const d = BigInt(digits);
  let result: LongDouble;
  if (exp10 >= 0) {
    result = round(neg, d * 10n ** BigInt(exp10), 0, false);
  } else {
    const den = 10n ** BigInt(-exp10);
    // Scale so the quotient carries at least two bits beyond the significand.
    const k = Math.max(0, SIG_BITS + 2 + bitLength(den) - bitLength(d));
    const num = d << BigInt(k);
    const q = num / den;
    result = round(neg, q, -k, q * den !== num);
  }
  return checkRange(result);
}

/** hexDigits × 2^exp2, correctly rounded; null on overflow or underflow to zero. */
function fromHex(neg: boolean, rawDigits: string, exp2: number): LongDouble | null {
  const digits = stripLeadingZeros(rawDigits);
  if (digits.length === 0) return new LongDouble(neg, 0n, 0);
  const h = BigInt('0x' + digits);
  const lead = bitLength(h) - 1 + exp2;
  if (lead >= OVERFLOW_EXP) return null;
  if (lead < MIN_LSB_EXP - 2) return null;
  return checkRange(round(neg, h, exp2, false));
}

/** strtold's ERANGE cases that Redis refuses: overflow to infinity, underflow to zero. */
function checkRange(v: LongDouble): LongDouble | null {
  return !v.finite || v.sig === 0n ? null : v;
}

/**
 * Formats a finite value as Redis's INCRBYFLOAT reply: printf("%.17Lf")
 * (exact decimal expansion rounded half to even at 17 fractional digits),
 * trailing fractional zeros and a bare '.' removed, and "-0" printed "0".
 */
export function formatLongDouble(v: LongDouble): string {
  let scaled: bigint;
  if (v.exp >= 0) {
    scaled = (v.sig << BigInt(v.exp)) * FRACTION_SCALE;
  } else {
    const num = v.sig * FRACTION_SCALE;
    const s = BigInt(-v.exp);
    scaled = num >> s;
    const rest = num - (scaled << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, '0');
  const intPart = digits.slice(0, digits.length - FRACTION_DIGITS);
  let frac = digits.slice(digits.length - FRACTION_DIGITS);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  const body = frac.length === 0 ? intPart : `${intPart}.${frac}`;
  if (body === '0') return '0';
  return v.neg ? '-' + body : body;
}
