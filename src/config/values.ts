/**
 * Parsing and printing option values, by type, with Redis 7.0's rules and
 * error texts: strict decimal integers (string2ll), memory sizes with units
 * (memtoull), octal, enums and flag sets. Special options (save, bind …)
 * have their own parsers in special.ts. Everything throws ConfigError whose
 * message is the reason CONFIG SET and the config file loader report.
 */
import { ConfigError } from './errors.js';
import type { OptionSpec } from './options.js';
import { quoteArg } from '../util/repr.js';

const ULLONG_MAX = 18446744073709551615n;
const LLONG_MIN = -9223372036854775808n;
const LLONG_MAX = 9223372036854775807n;
const UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/** A decimal integer with string2ll's rules (no '+', no leading zeros, int64), or null. */
export function parseStrictInt(text: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return null;
  const n = BigInt(text);
  return n < LLONG_MIN || n > LLONG_MAX ? null : n;
}

/**
 * Bytes from "100", "1gb", "64mb", "5k" … (memtoull: units are
 * case-insensitive, and no digits at all, as in "" or "kb", read as 0), or null.
 */
export function parseMemory(text: string): bigint | null {
  const m = /^([0-9]*)([a-z]*)$/i.exec(text);
  if (m === null) return null;
  const mul = UNITS[m[2]!.toLowerCase()];
  if (mul === undefined) return null;
  const n = BigInt(m[1] || '0') * mul;
  return n > ULLONG_MAX ? ULLONG_MAX : n;
}

/** Bytes in CONFIG REWRITE's form: the largest of gb, mb, kb dividing it, else plain bytes. */
export function memoryWithUnit(bytes: bigint): string {
  if (bytes === 0n) return '0';
  for (const [unit, mul] of [
    ['gb', 1073741824n],
    ['mb', 1048576n],
    ['kb', 1024n],
  ] as const) {
    if (bytes % mul === 0n) return `${bytes / mul}${unit}`;
  }
  return String(bytes);
}

function checkBounds(o: OptionSpec, n: bigint): bigint {
  if (n < o.min || n > o.max) throw new ConfigError(`argument must be between ${o.min} and ${o.max} inclusive`);
  return o.clamp === null ? n : n < o.clamp[0] ? o.clamp[0] : n > o.clamp[1] ? o.clamp[1] : n;
}

function oneOf(o: OptionSpec): ConfigError {
  return new ConfigError(`argument(s) must be one of the following: ${o.values.join(', ')}`);
}

/**
 * Validates one value of a non-special option and returns its CONFIG GET
 * text. `words` are the option's arguments (one, except for flags options).
 */
export function parseTyped(o: OptionSpec, words: readonly string[]): string {
  if (o.type === 'flags') return parseFlags(o, words);
  if (words.length !== 1) throw new ConfigError('wrong number of arguments');
  const raw = words[0]!;
  switch (o.type) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
      return v;
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!o.values.includes(v)) throw oneOf(o);
      return v;
    }
    case 'int': {
      const n = parseStrictInt(raw);
      if (n === null) throw new ConfigError("argument couldn't be parsed into an integer");
      return String(checkBounds(o, n));
    }
    case 'memory': {
      const n = parseMemory(raw);
      if (n === null) throw new ConfigError('argument must be a memory value');
      return String(checkBounds(o, n));
    }
    case 'memory-percent': {
      const pct = /^([0-9]+)%$/.exec(raw);
      if (pct !== null) {
        const p = BigInt(pct[1]!);
        if (p > 100n) throw new ConfigError('percentage argument must be less or equal to 100');
        return p === 0n ? '0' : `${p}%`;
      }
      const n = parseMemory(raw);
      if (n === null) throw new ConfigError('argument must be a memory or percent value');
      return String(checkBounds(o, n));
    }
    case 'octal': {
      if (!/^[0-7]+$/.test(raw)) throw new ConfigError("argument couldn't be parsed as an octal number");
      return checkBounds(o, BigInt('0o' + raw)).toString(8);
    }
    default:
      return raw;
  }
}

/** A set of flag words ("save now"), printed in the table's order; "default" alone when empty. */
function parseFlags(o: OptionSpec, words: readonly string[]): string {
  const set = new Set<string>();
  for (const w of words) {
    const v = w.toLowerCase();
    if (!o.values.includes(v)) throw oneOf(o);
    if (v !== o.values[0]) set.add(v);
  }
  if (set.has('save') && set.has('nosave')) throw new ConfigError("shutdown options SAVE and NOSAVE can't be used simultaneously");
  const out = o.values.filter((v) => set.has(v));
  return out.length === 0 ? o.values[0]! : out.join(' ');
}

/** The arguments of an option's line in CONFIG REWRITE's form (one line). */
export function rewriteTyped(o: OptionSpec, text: string): string {
  switch (o.type) {
    case 'string':
      return quoteArg(text);
    case 'memory':
      return memoryWithUnit(BigInt(text));
    case 'memory-percent':
      return text.endsWith('%') ? text : memoryWithUnit(BigInt(text));
    default:
      return text;
  }
}
