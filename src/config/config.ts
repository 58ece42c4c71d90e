/**
 * A server's live configuration: the values of the option table, set from
 * the defaults, the config file, argv and CONFIG SET, and read by the rest
 * of the server through typed, cached accessors (num, bool, str).
 */
import { OPTIONS, type OptionSpec } from './options.js';

/** A configuration error; message is the reason, as Redis words it. */
export class ConfigError extends Error {}

const BY_NAME = new Map<string, OptionSpec>();
for (const o of OPTIONS) {
  BY_NAME.set(o.name, o);
  for (const a of o.aliases ?? []) BY_NAME.set(a, o);
}

/** The option spec for a name or alias (case-insensitive), or undefined. */
export function findOption(name: string): OptionSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

type Listener = (value: string) => void;

export class Config {
  private readonly text = new Map<string, string>();
  private readonly parsed = new Map<string, number | boolean | string>();
  private readonly listeners = new Map<string, Listener[]>();

  constructor() {
    for (const o of OPTIONS) this.store(o, o.default);
  }

  /** The canonical text of an option (CONFIG GET), or undefined if unknown. */
  get(name: string): string | undefined {
    const o = findOption(name);
    return o === undefined ? undefined : this.text.get(o.name);
  }

  /** Every option spec, for CONFIG GET's glob matching. */
  specs(): readonly OptionSpec[] {
    return OPTIONS;
  }

  /**
   * Validates and sets an option from its argument words (one for most
   * options). Throws ConfigError with the reason when invalid. Listeners run
   * after the value is stored.
   */
  set(name: string, args: readonly string[]): void {
    const o = findOption(name);
    if (o === undefined) throw new ConfigError(`Bad directive or wrong number of arguments`);
    const value = normalize(o, args);
    const problem = o.unsupported?.(value);
    if (problem) throw new ConfigError(problem);
    this.store(o, value);
    for (const fn of this.listeners.get(o.name) ?? []) fn(value);
  }

  /** Runs fn whenever the option changes (for options that act on change). */
  onChange(name: string, fn: Listener): void {
    const o = findOption(name);
    if (o === undefined) throw new Error(`unknown option ${name}`);
    let list = this.listeners.get(o.name);
    if (list === undefined) this.listeners.set(o.name, (list = []));
    list.push(fn);
  }

  num(name: string): number {
    return this.parsed.get(name) as number;
  }

  bool(name: string): boolean {
    return this.parsed.get(name) as boolean;
  }

  str(name: string): string {
    return this.parsed.get(name) as string;
  }

  private store(o: OptionSpec, value: string): void {
    this.text.set(o.name, value);
    this.parsed.set(o.name, o.type === 'int' || o.type === 'memory' ? Number(value) : o.type === 'bool' ? value === 'yes' : value);
  }
}

/** Turns argument words into the option's canonical text, or throws ConfigError. */
function normalize(o: OptionSpec, args: readonly string[]): string {
  if (o.type === 'special') {
    try {
      return o.normalize!(args);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  if (args.length !== 1) throw new ConfigError('wrong number of arguments');
  const raw = args[0]!;
  switch (o.type) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') throw new ConfigError('argument must be \'yes\' or \'no\'');
      return v;
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!o.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${o.values!.join(', ')}`);
      return v;
    }
    case 'int':
    case 'memory': {
      const n = o.type === 'memory' ? parseMemory(raw) : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw new ConfigError('argument couldn\'t be parsed into an integer');
      if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
        throw new ConfigError(`argument must be between ${o.min ?? '-inf'} and ${o.max ?? 'inf'} inclusive`);
      }
      return String(n);
    }
    default:
      return raw;
  }
}

/** Parses "1gb", "64mb", "100k" … (Redis's memtoull) into bytes; NaN when invalid. */
export function parseMemory(text: string): number {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(text);
  if (m === null) return NaN;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return Number(m[1]) * mul[unit]!;
}
