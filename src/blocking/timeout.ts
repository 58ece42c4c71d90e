/**
 * The timeout argument of the blocking commands (BLPOP … 0.5), read as
 * Redis 7.0 reads it: a long double of seconds (decimal or hexadecimal,
 * "inf" allowed, NaN, spaces and out-of-range text refused), turned into
 * whole milliseconds rounded up. A value that does not fit in a signed
 * 64-bit count of milliseconds (infinities included) becomes negative in
 * Redis's conversion, hence "timeout is negative"; a negative value that
 * rounds up to zero (-0.0001) means "no timeout", like 0.
 */
import { parseLongDouble } from '../util/longdouble.js';
import { Err, ReplyError } from '../util/errors.js';

const INT64_LIMIT = 1n << 63n;

/**
 * Parses a blocking command's timeout: milliseconds to wait, 0 for
 * forever. Throws Redis's error reply for invalid or negative text.
 */
export function parseBlockingTimeout(text: string): number {
  const v = parseLongDouble(text);
  if (v === null) throw new ReplyError(Err.timeoutNotFloat);
  if (!v.finite) throw new ReplyError(Err.timeoutNegative);
  const scaled = v.sig * 1000n;
  let ms: bigint;
  if (v.exp >= 0) ms = scaled << BigInt(v.exp);
  else {
    const shift = BigInt(-v.exp);
    const whole = scaled >> shift;
    // Round up: a positive value with a fraction gains 1; a negative one drops its fraction.
    ms = !v.neg && whole << shift !== scaled ? whole + 1n : whole;
  }
  if (ms === 0n) return 0;
  if (v.neg || ms >= INT64_LIMIT) throw new ReplyError(Err.timeoutNegative);
  return Number(ms);
}
