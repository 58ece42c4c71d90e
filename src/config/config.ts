/**
 * A server's live configuration: the values of the option table, set from
 * the defaults, the config file, argv and CONFIG SET, and read by the rest
 * of the server through typed, cached accessors (num, bool, str).
 *
 * Values are kept as CONFIG GET's text (the truth: what GET prints and
 * REWRITE writes) and as a parsed number / boolean / string for hot reads.
 * Options whose row names an apply step (options.ts) run it through the
 * Applier the server installs; a step may refuse a value by throwing
 * ConfigError, and CONFIG SET then rolls every option of the call back.
 */
import { OPTIONS, type ApplyHook, type OptionName, type OptionSpec } from './options.js';
import { ConfigError } from './errors.js';
import { parseTyped } from './values.js';
import { compileGlob } from '../util/glob.js';

export { ConfigError };

const ALL: readonly OptionSpec[] = OPTIONS;
const BY_NAME = new Map<string, OptionSpec>();
for (const o of ALL) {
  BY_NAME.set(o.name, o);
  for (const a of o.aliases) BY_NAME.set(a, o);
}

/** The option spec for a name or alias (case-insensitive), or undefined. */
export function findOption(name: string): OptionSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name CONFIG GET globs can match, with its spec: canonical names, then aliases. */
const GLOB_NAMES: readonly [string, OptionSpec][] = [
  ...ALL.filter((o) => !o.hidden && !o.extension).map((o) => [o.name, o] as [string, OptionSpec]),
  ...ALL.flatMap((o) => o.aliases.map((a) => [a, o] as [string, OptionSpec])),
];

/**
 * Validates an option's argument words and returns its new CONFIG GET
 * text, or throws ConfigError with the reason. `current` is the text now;
 * `append` makes save add to it (successive save lines of a config file).
 * Values nodis cannot honour are refused with the option's message.
 */
export function parseOption(o: OptionSpec, words: readonly string[], current: string, append = false): string {
  const text = o.special !== null ? o.special.parse(words, current, append) : parseTyped(o, words);
  const problem = o.unsupported?.(text);
  if (problem) throw new ConfigError(problem);
  return text;
}

/** Splits a CONFIG SET value into an option's words (on single spaces for multi-word options). */
export function wordsOfValue(o: OptionSpec, value: string): string[] {
  const multi = o.type === 'flags' || (o.special !== null && o.special.multiArg);
  if (!multi) return [value];
  return value === '' ? [] : value.split(' ');
}

/** One function per apply step: runs with the option's new text and name. */
export type Applier = { readonly [H in ApplyHook]: (text: string, name: OptionName) => void };

export class Config {
  private readonly text = new Map<string, string>();
  private readonly parsed = new Map<string, number | boolean | string>();
  private applier: Applier | null = null;
  private readonly cwd = process.cwd();

  constructor() {
    for (const o of ALL) this.store(o, this.defaultText(o));
  }

  /** The canonical text of an option (CONFIG GET), or undefined if unknown. */
  get(name: string): string | undefined {
    const o = findOption(name);
    return o === undefined ? undefined : this.text.get(o.name);
  }

  /** Every option spec. */
  specs(): readonly OptionSpec[] {
    return ALL;
  }

  /** The default text of an option (dir's is the working directory at start). */
  defaultText(o: OptionSpec): string {
    return o.name === 'dir' ? this.cwd : o.default;
  }

  /**
   * Validates and sets an option from its argument words, as a config file
   * line does (`append` for successive save lines). Throws ConfigError with
   * the reason when invalid or refused by a listener (the value is then
   * not kept).
   */
  set(name: string, words: readonly string[], append = false): void {
    const o = findOption(name);
    if (o === undefined) throw new ConfigError('Bad directive or wrong number of arguments');
    // Like Redis 7.0, a multi-word option given one word splits it on spaces (`save "3600 1"`).
    if (words.length === 1 && words[0] !== '') words = wordsOfValue(o, words[0]!);
    this.setAll([[o, parseOption(o, words, this.text.get(o.name)!, append)]]);
  }

  /**
   * Stores already validated texts, then runs each option's apply step in
   * order. If a step throws, every option of the call gets its old
   * value back (steps run again for those already applied) and the
   * error is rethrown with `failed` set to the option that refused.
   */
  setAll(changes: readonly (readonly [OptionSpec, string])[]): void {
    const old = changes.map(([o]) => this.text.get(o.name)!);
    for (const [o, text] of changes) this.store(o, text);
    let applied = 0;
    try {
      for (; applied < changes.length; applied++) {
        const [o, text] = changes[applied]!;
        this.notify(o, text);
      }
    } catch (e) {
      changes.forEach(([o], i) => this.store(o, old[i]!));
      for (let i = 0; i < applied; i++) {
        try {
          this.notify(changes[i]![0], old[i]!);
        } catch {
          // Restoring a value that worked before; nothing better to do.
        }
      }
      throw new ConfigSetFailure(changes[applied]![0], e as Error);
    }
  }

  /**
   * CONFIG GET: [name, text] pairs for the patterns. A pattern without glob
   * characters is looked up directly (aliases, hidden and extension options included)
   * and answered under the name as given; a glob matches the names of
   * visible options and aliases, without case. A name appears once.
   */
  match(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    const add = (name: string, o: OptionSpec) => {
      const key = name.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      out.push([name, this.text.get(o.name)!]);
    };
    for (const p of patterns) {
      if (!/[[*?]/.test(p)) {
        const o = findOption(p);
        if (o !== undefined) add(p, o);
        continue;
      }
      const matches = compileGlob(p, true);
      for (const [name, o] of GLOB_NAMES) if (matches(name)) add(name, o);
    }
    return out;
  }

  /** Installs the server's apply steps, run from now on when an option with one changes. */
  setApplier(applier: Applier): void {
    this.applier = applier;
  }

  /** A numeric option's value (maxmemory-clients "N%" reads as -N, like Redis). */
  num(name: OptionName): number {
    return this.parsed.get(name) as number;
  }

  bool(name: OptionName): boolean {
    return this.parsed.get(name) as boolean;
  }

  str(name: OptionName): string {
    return this.parsed.get(name) as string;
  }

  private notify(o: OptionSpec, text: string): void {
    if (o.apply !== null) this.applier?.[o.apply](text, o.name as OptionName);
  }

  private store(o: OptionSpec, text: string): void {
    this.text.set(o.name, text);
    this.parsed.set(o.name, parsedValue(o, text));
  }
}

/** A listener refused a value during setAll; `option` names it. */
export class ConfigSetFailure extends ConfigError {
  constructor(
    readonly option: OptionSpec,
    readonly reason: Error,
  ) {
    super(reason.message);
  }
}

function parsedValue(o: OptionSpec, text: string): number | boolean | string {
  switch (o.type) {
    case 'bool':
      return text === 'yes';
    case 'int':
    case 'memory':
      return Number(text);
    case 'octal':
      return parseInt(text, 8);
    case 'memory-percent':
      return text.endsWith('%') ? -Number(text.slice(0, -1)) : Number(text);
    default:
      return text;
  }
}
