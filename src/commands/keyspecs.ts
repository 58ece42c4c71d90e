/**
 * Finding the keys of a command line from its key specifications (Redis
 * 7.0's "key specs" in COMMAND INFO), for COMMAND GETKEYS and
 * GETKEYSANDFLAGS and anything else that needs a command's keys.
 *
 * A spec has a begin-search step (a fixed argument index, or the argument
 * after a keyword searched from a position, backwards when negative) and a
 * find-keys step (a range: last key relative to the first, -1 meaning the
 * end, `limit` dividing the rest, every `keystep`; or a count read from an
 * argument). A spec whose step is "unknown", whose keyword is absent or
 * whose range runs past the arguments yields no keys.
 */
import type { RespValue } from '../protocol/reply-parser.js';
import type { Command } from './table.js';
import { parseLL } from '../util/numbers.js';

interface BeginSearch {
  kind: 'index' | 'keyword' | 'unknown';
  index: number;
  keyword: string;
  startFrom: number;
}

interface FindKeys {
  kind: 'range' | 'keynum' | 'unknown';
  lastKey: number;
  keyStep: number;
  limit: number;
  keyNumIdx: number;
  firstKey: number;
}

export interface KeySpec {
  flags: string[];
  begin: BeginSearch;
  find: FindKeys;
}

/** A key found in argv: its position and the flags of the spec that found it. */
export interface FoundKey {
  pos: number;
  flags: readonly string[];
}

/** Entries of a RESP map value as a lookup by bulk key. */
function mapOf(v: RespValue | undefined): Map<string, RespValue> {
  const m = new Map<string, RespValue>();
  if (v !== undefined && v.kind === 'map') {
    for (const [k, val] of v.entries) if (k.kind === 'bulk') m.set(k.value, val);
  }
  return m;
}

function num(v: RespValue | undefined): number {
  return v !== undefined && v.kind === 'int' ? Number(v.value) : 0;
}

function text(v: RespValue | undefined): string {
  return v !== undefined && (v.kind === 'bulk' || v.kind === 'simple') ? v.value : '';
}

function parseSpec(v: RespValue): KeySpec {
  const m = mapOf(v);
  const flagsV = m.get('flags');
  const flags = flagsV !== undefined && (flagsV.kind === 'set' || flagsV.kind === 'array') ? flagsV.items.map(text) : [];
  const bs = mapOf(m.get('begin_search'));
  const bsSpec = mapOf(bs.get('spec'));
  const bsType = text(bs.get('type'));
  const fk = mapOf(m.get('find_keys'));
  const fkSpec = mapOf(fk.get('spec'));
  const fkType = text(fk.get('type'));
  return {
    flags,
    begin: {
      kind: bsType === 'index' || bsType === 'keyword' ? bsType : 'unknown',
      index: num(bsSpec.get('index')),
      keyword: text(bsSpec.get('keyword')),
      startFrom: num(bsSpec.get('startfrom')),
    },
    find: {
      kind: fkType === 'range' || fkType === 'keynum' ? fkType : 'unknown',
      lastKey: num(fkSpec.get('lastkey')),
      keyStep: num(fkSpec.get('keystep')),
      limit: num(fkSpec.get('limit')),
      keyNumIdx: num(fkSpec.get('keynumidx')),
      firstKey: num(fkSpec.get('firstkey')),
    },
  };
}

const specCache = new WeakMap<Command, KeySpec[]>();

/** The command's key specs, parsed from its COMMAND INFO metadata (cached). */
export function keySpecsOf(cmd: Command): KeySpec[] {
  let specs = specCache.get(cmd);
  if (specs === undefined) {
    const info = cmd.info;
    const raw = info.kind === 'array' ? info.items[8] : undefined;
    specs = raw !== undefined && (raw.kind === 'set' || raw.kind === 'array') ? raw.items.map(parseSpec) : [];
    specCache.set(cmd, specs);
  }
  return specs;
}

/** The argv index where a spec's keys start, or -1 when its keyword is absent. */
function beginIndex(b: BeginSearch, argv: readonly string[]): number {
  if (b.kind === 'index') return b.index;
  const kw = b.keyword.toLowerCase();
  const n = argv.length;
  if (b.startFrom >= 0) {
    for (let i = b.startFrom; i < n; i++) if (argv[i]!.toLowerCase() === kw) return i + 1;
  } else {
    for (let i = n + b.startFrom; i > 0; i--) if (argv[i]!.toLowerCase() === kw) return i + 1;
  }
  return -1;
}

/**
 * Keys found by one spec: empty when its keyword is absent (the spec does
 * not apply) or its kind is unknown (Redis then asks the command's own
 * key finder, which for SORT-like commands finds what the known specs
 * find); null when the spec is unusable for this argv (a key count that is
 * not a non-negative integer, keys out of bounds), which Redis treats as
 * invalid arguments for the whole lookup.
 */
function keysOfSpec(spec: KeySpec, argv: readonly string[]): FoundKey[] | null {
  if (spec.begin.kind === 'unknown' || spec.find.kind === 'unknown') return [];
  let first = beginIndex(spec.begin, argv);
  if (first < 0) return [];
  const n = argv.length;
  const f = spec.find;
  let last: number;
  const step = f.keyStep;
  if (f.kind === 'range') {
    if (f.lastKey >= 0) last = first + f.lastKey;
    else if (f.limit <= 1) last = n + f.lastKey;
    else last = first + Math.floor((n - first) / f.limit) + f.lastKey;
  } else {
    const idx = first + f.keyNumIdx;
    if (idx >= n) return null;
    const count = parseLL(argv[idx]!);
    if (count === null || count < 0) return null;
    first += f.firstKey;
    last = first + (count - 1) * step;
  }
  if (last >= n || last < first || first >= n || step <= 0) return null;
  const out: FoundKey[] = [];
  for (let i = first; i <= last; i += step) out.push({ pos: i, flags: spec.flags });
  return out;
}

/**
 * Flags of keys whose access depends on the arguments ("variable_flags"
 * specs), narrowed as Redis does for the commands that have them.
 */
function refineFlags(cmd: Command, argv: readonly string[], flags: readonly string[]): readonly string[] {
  if (!flags.includes('variable_flags')) return flags;
  if (cmd.fullName === 'set') {
    const withGet = argv.slice(3).some((a) => a.toLowerCase() === 'get');
    return withGet ? ['RW', 'access', 'update'] : ['OW', 'update'];
  }
  return flags.filter((f) => f !== 'variable_flags');
}

/**
 * SORT's keys, which its key specs cannot describe: the source, and the
 * destination of the last STORE option. Option words are read as SORT reads
 * them (LIMIT takes two arguments, BY and GET one), so a pattern that
 * happens to read "store" is not taken for the option.
 */
function sortKeys(argv: readonly string[]): FoundKey[] {
  const out: FoundKey[] = [{ pos: 1, flags: ['RO', 'access'] }];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    if (word === 'limit') i += 2;
    else if (word === 'by' || word === 'get') i += 1;
    else if (word === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store !== -1) out.push({ pos: store, flags: ['OW', 'update'] });
  return out;
}

/** Every key of argv for cmd, in spec order, with its flags; null when a spec is invalid for argv. */
export function findKeys(cmd: Command, argv: readonly string[]): FoundKey[] | null {
  if (cmd.fullName === 'sort') return sortKeys(argv);
  const out: FoundKey[] = [];
  for (const spec of keySpecsOf(cmd)) {
    const keys = keysOfSpec(spec, argv);
    if (keys === null) return null;
    for (const k of keys) out.push({ pos: k.pos, flags: refineFlags(cmd, argv, k.flags) });
  }
  return out;
}
