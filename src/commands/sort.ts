/**
 * SORT and SORT_RO, as Redis 7.0 runs them:
 *
 * 1. Options are parsed first (a syntax error or a bad LIMIT wins over a
 *    missing or wrong-typed key); SORT_RO does not know STORE.
 * 2. The source is read (a keyspace hit or miss); a missing key sorts as an
 *    empty list; anything but a list, set or sorted set is WRONGTYPE. A
 *    sorted set is converted to the skiplist encoding for good.
 * 3. LIMIT is clamped to the elements. With nothing to sort (BY a pattern
 *    without '*'), lists and sorted sets load just the LIMIT range in their
 *    own order, walked backwards for DESC; sets load every member in
 *    encoding order and ignore DESC. Unsorted sets are sorted ALPHA anyway
 *    when the result is stored, so the stored list is deterministic.
 * 4. Otherwise every element gets a weight (itself, or the BY pattern's
 *    value, missing = 0 / sorts first) and the vector is sorted: numeric
 *    weights tie-break on the elements' bytes; ALPHA compares as strcmp
 *    (C collation, up to a NUL) when replying and as memcmp when storing.
 * 5. The LIMIT range is output: each element, or each GET pattern's value
 *    (null when missing, "" when stored). STORE writes a list ('sortstore')
 *    or deletes the destination when the result is empty ('del'), and
 *    replies the element count. Every pattern lookup counts a keyspace hit
 *    or miss (and a miss notifies 'keymiss'), with or without STORE.
 *
 * SORT replicates as sent: its result is deterministic.
 */
import type { Client } from '../server/client.js';
import type { CommandDef } from './table.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { toStr } from '../util/bytes.js';
import { isString } from '../keyspace/values.js';
import { List } from '../datatypes/list.js';
import { listShapeFromConfig } from '../persistence/rdb/limits.js';
import { SetValue } from '../datatypes/set.js';
import { ZSet } from '../datatypes/zset.js';
import { HashValue } from '../datatypes/hash.js';
import { compareBytes, compareCStrings, parsePattern, parseSortWeight, type SortPattern } from '../datatypes/sort.js';
import { readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  store: string | null;
  /** The BY pattern when it has a '*' (and no BY without one came). */
  by: SortPattern | null;
  /** A BY pattern without '*' was given: keep the source's order. */
  dontSort: boolean;
  /** GET patterns in order; null for one that never resolves (no '*'). */
  gets: (SortPattern | null)[];
}

/** One element being sorted, with its weight. */
interface Item {
  element: string;
  score: number;
  /** ALPHA BY: the pattern's value, null when missing. */
  cmp: string | null;
}

/**
 * Parses SORT's options from argv[2], as Redis does left to right; a
 * keyword lacking its arguments, an unknown one, or STORE in SORT_RO
 * (readonly) is a syntax error; LIMIT's numbers must be integers.
 */
function parseOptions(argv: string[], readonly: boolean): SortOptions {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    store: null,
    by: null,
    dontSort: false,
    gets: [],
  };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'asc') o.desc = false;
    else if (opt === 'desc') o.desc = true;
    else if (opt === 'alpha') o.alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const start = parseLL(argv[j + 1]!);
      const count = parseLL(argv[j + 2]!);
      if (start === null || count === null) throw new ReplyError(Err.notInteger);
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      o.store = argv[++j]!;
    } else if (opt === 'by' && left >= 1) {
      const p = parsePattern(argv[++j]!);
      if (p === null || p.self) o.dontSort = true;
      else o.by = p;
    } else if (opt === 'get' && left >= 1) {
      o.gets.push(parsePattern(argv[++j]!));
    } else throw new ReplyError(Err.syntax);
  }
  return o;
}

/**
 * The value a pattern resolves to for element: the element for "#"; the
 * string at the substituted key, or the hash field there; undefined when
 * the key is missing or of another type, or the field is missing. The
 * lookup is a read: counted as a hit or miss, and touching the key.
 */
function resolve(c: Client, p: SortPattern | null, element: string): string | undefined {
  if (p === null) return undefined;
  if (p.self) return element;
  const key = p.prefix + element + p.suffix;
  const e = readTouch(c, key);
  if (e === undefined) return undefined;
  const v = e.value;
  if (p.field !== null) return v instanceof HashValue ? v.get(p.field) : undefined;
  return isString(v) ? toStr(v) : undefined;
}

/**
 * The elements to sort, and the output range within them. Applies the
 * direct ranged load for unsorted lists and sorted sets (their order, DESC
 * walking backwards) and clamps LIMIT like Redis: a start past the end
 * yields an empty range; a negative count means "to the end".
 */
function loadElements(src: List | SetValue | ZSet, o: SortOptions): { items: Item[]; start: number; end: number } {
  const len = src instanceof List ? src.length : src.size;
  let start = o.limitStart < 0 ? 0 : o.limitStart;
  let end = o.limitCount < 0 ? len - 1 : start + o.limitCount - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;
  const items: Item[] = [];
  const push = (element: string): void => {
    items.push({ element, score: 0, cmp: null });
  };
  if (o.dontSort && src instanceof List) {
    for (let i = start; i <= end; i++) push(src.at(o.desc ? len - 1 - i : i));
    return { items, start: 0, end: end - start };
  }
  if (o.dontSort && src instanceof ZSet) {
    let node = start <= end ? src.list.at(o.desc ? len - start : start + 1) : null;
    for (let i = start; i <= end && node !== null; i++) {
      push(node.member);
      node = o.desc ? node.backward : node.next[0]!;
    }
    return { items, start: 0, end: end - start };
  }
  if (src instanceof List) for (let i = 0; i < len; i++) push(src.at(i));
  else if (src instanceof SetValue) src.forEach(push);
  else src.scores.forEach(push);
  return { items, start, end };
}

/**
 * Gives each item its weight and sorts the items in place. Throws the
 * score conversion error when a numeric weight is not a valid double (after
 * reading every weight, as the lookups count keyspace hits and misses).
 */
function sortItems(c: Client, items: Item[], o: SortOptions, storing: boolean): void {
  let badScore = false;
  for (const it of items) {
    let weight: string | undefined = it.element;
    if (o.by !== null) {
      weight = resolve(c, o.by, it.element);
      if (weight === undefined) continue;
    }
    if (o.alpha) {
      if (o.by !== null) it.cmp = weight;
    } else {
      const score = parseSortWeight(weight);
      if (score === null) badScore = true;
      else it.score = score;
    }
  }
  if (badScore) throw new ReplyError(Err.sortScores);
  const sign = o.desc ? -1 : 1;
  const byteOrder = storing ? compareBytes : compareCStrings;
  let compare: (a: Item, b: Item) => number;
  if (!o.alpha) {
    compare = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element));
  } else if (o.by !== null) {
    compare = (a, b) => {
      if (a.cmp === null || b.cmp === null) return sign * (a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1);
      return sign * byteOrder(a.cmp, b.cmp);
    };
  } else {
    compare = (a, b) => sign * byteOrder(a.element, b.element);
  }
  items.sort(compare);
}

/** The source value for SORT: undefined when missing; WRONGTYPE unless a list, set or sorted set. */
function readSource(c: Client, key: string): List | SetValue | ZSet | undefined {
  const e = readTouch(c, key);
  if (e === undefined) return undefined;
  const v = e.value;
  if (v instanceof List || v instanceof SetValue) return v;
  if (v instanceof ZSet) {
    v.toSkiplist();
    return v;
  }
  throw new ReplyError(Err.wrongType);
}

/** SORT (readonly false) and SORT_RO (readonly true). */
function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseOptions(argv, readonly);
  const src = readSource(c, argv[1]!) ?? new List();
  const storing = o.store !== null;
  if (o.dontSort && src instanceof SetValue && storing) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  const { items, start, end } = loadElements(src, o);
  if (!o.dontSort) sortItems(c, items, o, storing);
  const out: (string | undefined)[] = [];
  for (let j = start; j <= end; j++) {
    const element = items[j]!.element;
    if (o.gets.length === 0) out.push(element);
    else for (const p of o.gets) out.push(resolve(c, p, element));
  }
  if (o.store === null) {
    c.reply.array(out.length);
    for (const v of out) {
      if (v === undefined) c.reply.nullBulk();
      else c.reply.bulk(v);
    }
    return;
  }
  store(c, o.store, out);
}

/**
 * Stores SORT's result at dest as a list (values missing from GET become
 * empty strings), or deletes dest when the result is empty, with Redis's
 * signals and dirty counts; replies the number of elements.
 */
function store(c: Client, dest: string, out: (string | undefined)[]): void {
  if (out.length > 0) {
    const list = new List(out.length, listShapeFromConfig(c.server.config));
    for (const v of out) list.pushTail(v ?? '');
    c.db.set(dest, list);
    keyChanged(c, 'l', 'sortstore', dest);
    c.server.events.ready(c.db, dest);
    c.server.dirty += out.length;
  } else if (c.db.delete(dest)) {
    keyChanged(c, 'g', 'del', dest);
    c.server.dirty++;
  }
  c.reply.int(out.length);
}

export const sortCommands: CommandDef[] = [
  { name: 'sort', handler: (c, argv) => sortGeneric(c, argv, false) },
  { name: 'sort_ro', handler: (c, argv) => sortGeneric(c, argv, true) },
];
