/**
 * The list value: a growable ring buffer of byte strings (latin1 JS strings,
 * one char per byte). Pushes and pops at either end are amortised O(1), and
 * so is access by index anywhere (LINDEX, LSET, LRANGE's start); inserting or
 * removing in the middle shifts the shorter side, O(min(i, n - i)).
 *
 * Capacity is a power of two so a logical index maps to a slot with a mask;
 * the buffer doubles when full and halves when less than a quarter is in use,
 * and freed slots are cleared so popped strings can be collected.
 *
 * Redis 7.0 stores every list as a quicklist, whatever its size or the
 * list-max-listpack-size setting, so OBJECT ENCODING always says so. The
 * list keeps the total length of its elements so memoryUsage() can size it
 * like a quicklist in O(1).
 *
 * What of the quicklist shows outside (RDB and DUMP nodes, DEBUG OBJECT's
 * ql_* fields) is derived from three things the list keeps, as a quicklist
 * does: the fill (list-max-listpack-size) and compress depth
 * (list-compress-depth) in force when the list was created, and which
 * elements are *plain*. An element whose length reached the packed
 * threshold when it was stored (pushed, inserted or set) lives in a plain
 * node of its own, and stays so whatever the threshold becomes; the others
 * are packed into listpack nodes. Plain elements are rare (the threshold is
 * 1 GB unless DEBUG QUICKLIST-PACKED-THRESHOLD lowers it), so their flags
 * live in a parallel ring allocated with the first one.
 *
 * Pure structure: no keyspace, no protocol.
 */
import type { TypedValue } from '../keyspace/values.js';
import type { Digest } from '../util/digest.js';

const MIN_CAPACITY = 8;
/** A quicklist's own struct, as allocated (40 bytes in a 48-byte size class). */
const QUICKLIST_BYTES = 48;
/** Per node: the quicklistNode struct (32 bytes) and its listpack's header and end byte (7). */
const NODE_BYTES = 39;
/** Bytes a quicklist node holds at the default list-max-listpack-size (-2: 8 KB). */
const NODE_CAPACITY = 8192;
/** Per element in a listpack: the encoding byte and the back-length byte of a short string. */
const ELEMENT_OVERHEAD = 2;

/** Redis's packed threshold when DEBUG QUICKLIST-PACKED-THRESHOLD has not changed it: 1 GB. */
const DEFAULT_PACKED_THRESHOLD = 1 << 30;
/** The largest threshold Redis accepts: 4 GB less 1 MB. */
const MAX_PACKED_THRESHOLD = 2 ** 32 - 2 ** 20;
/** Redis's bounds on a quicklist's fill and compress depth. */
const MAX_FILL = (1 << 15) - 1;
const MIN_FILL = -5;
const MAX_COMPRESS_DEPTH = (1 << 16) - 1;

/**
 * Element length from which a stored element gets a plain node. Process-wide,
 * as in Redis (a debugging knob: only DEBUG QUICKLIST-PACKED-THRESHOLD sets it).
 */
let packedThreshold = DEFAULT_PACKED_THRESHOLD;

/**
 * Sets the packed threshold to bytes (0 restores the default of 1 GB), as
 * DEBUG QUICKLIST-PACKED-THRESHOLD does. Returns false, changing nothing,
 * when bytes is above Redis's limit of 4 GB - 1 MB.
 */
export function setPackedThreshold(bytes: number): boolean {
  if (bytes > MAX_PACKED_THRESHOLD) return false;
  packedThreshold = bytes === 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
  return true;
}

/** Whether an element of v's length stored now goes into a plain node. */
export function isLargeElement(v: string): boolean {
  return v.length >= packedThreshold;
}

/** The quicklist settings a list is created with: list-max-listpack-size and list-compress-depth. */
export interface ListShape {
  fill: number;
  compressDepth: number;
}

export class List implements TypedValue {
  readonly type = 'list' as const;
  /** Entries or bytes per listpack node (list-max-listpack-size at creation, clamped to -5..32767). */
  readonly fill: number;
  /** Nodes left uncompressed at each end (list-compress-depth at creation, 0 = none compressed). */
  readonly compressDepth: number;
  private slots: (string | undefined)[];
  /** 1 where the slot's element is plain; null while no element is. */
  private plain: Uint8Array | null = null;
  private plainCount = 0;
  private mask: number;
  private head = 0;
  private len = 0;
  /** Sum of the elements' lengths in bytes. */
  private bytes = 0;

  constructor(capacity = MIN_CAPACITY, shape: ListShape = { fill: -2, compressDepth: 0 }) {
    const cap = capacityFor(capacity);
    this.slots = new Array<string | undefined>(cap);
    this.mask = cap - 1;
    this.fill = Math.min(MAX_FILL, Math.max(MIN_FILL, shape.fill));
    this.compressDepth = Math.min(MAX_COMPRESS_DEPTH, Math.max(0, shape.compressDepth));
  }

  /** A list holding items in order, each plain when large now. */
  static from(items: readonly string[], shape?: ListShape): List {
    const l = new List(items.length, shape);
    for (let i = 0; i < items.length; i++) l.pushTail(items[i]!);
    return l;
  }

  /** The settings this list was created with. */
  get shape(): ListShape {
    return { fill: this.fill, compressDepth: this.compressDepth };
  }

  /** Whether the element at index i (in [0, length)) is in a plain node. */
  isPlain(i: number): boolean {
    return this.plain !== null && this.plain[(this.head + i) & this.mask] === 1;
  }

  /** Records whether the element in slot is plain. */
  private mark(slot: number, plain: boolean): void {
    if (plain) {
      this.plain ??= new Uint8Array(this.slots.length);
      if (this.plain[slot] === 0) {
        this.plain[slot] = 1;
        this.plainCount++;
      }
    } else if (this.plain !== null && this.plain[slot] === 1) {
      this.plain[slot] = 0;
      if (--this.plainCount === 0) this.plain = null;
    }
  }

  /** Moves the element (and its plain flag) in slot src to slot dst. */
  private move(dst: number, src: number): void {
    this.slots[dst] = this.slots[src];
    if (this.plain !== null) this.plain[dst] = this.plain[src]!;
  }

  get length(): number {
    return this.len;
  }

  encoding(): string {
    return 'quicklist';
  }

  /** DEBUG DIGEST walk: every element mixed in, head to tail. */
  digestInto(acc: Digest): void {
    for (let i = 0; i < this.length; i++) acc.mixIn(this.at(i));
  }

  clone(): List {
    const l = new List(this.len, this.shape);
    for (let i = 0; i < this.len; i++) l.pushTail(this.at(i), this.isPlain(i));
    return l;
  }

  /**
   * Estimated bytes of the quicklist Redis would hold for these elements:
   * its struct, one node per 8 KB of listpack entries, and each entry's
   * bytes with its encoding overhead (see keyspace/memory.ts). O(1).
   */
  memoryUsage(): number {
    const payload = this.bytes + this.len * ELEMENT_OVERHEAD;
    const nodes = Math.max(1, Math.ceil(payload / NODE_CAPACITY));
    return QUICKLIST_BYTES + nodes * NODE_BYTES + payload;
  }

  /** The element at index i; i must be in [0, length). */
  at(i: number): string {
    return this.slots[(this.head + i) & this.mask]!;
  }

  /**
   * Replaces the element at index i (in [0, length)) with v, plain when
   * large now (as Redis replaces an entry, whatever node held it).
   */
  setAt(i: number, v: string, plain = isLargeElement(v)): void {
    const slot = (this.head + i) & this.mask;
    this.bytes += v.length - this.slots[slot]!.length;
    this.slots[slot] = v;
    this.mark(slot, plain);
  }

  /** Adds v before the first element; plain says which node kind holds it (default: by the threshold). */
  pushHead(v: string, plain = isLargeElement(v)): void {
    if (this.len === this.slots.length) this.resize(this.slots.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.slots[this.head] = v;
    this.mark(this.head, plain);
    this.len++;
    this.bytes += v.length;
  }

  /** Adds v after the last element; plain says which node kind holds it (default: by the threshold). */
  pushTail(v: string, plain = isLargeElement(v)): void {
    if (this.len === this.slots.length) this.resize(this.slots.length * 2);
    const slot = (this.head + this.len) & this.mask;
    this.slots[slot] = v;
    this.mark(slot, plain);
    this.len++;
    this.bytes += v.length;
  }

  /** Removes and returns the first element; the list must not be empty. */
  popHead(): string {
    const slot = this.head;
    const v = this.slots[slot]!;
    this.slots[slot] = undefined;
    this.mark(slot, false);
    this.head = (slot + 1) & this.mask;
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  /** Removes and returns the last element; the list must not be empty. */
  popTail(): string {
    const slot = (this.head + this.len - 1) & this.mask;
    const v = this.slots[slot]!;
    this.slots[slot] = undefined;
    this.mark(slot, false);
    this.len--;
    this.bytes -= v.length;
    this.maybeShrink();
    return v;
  }

  /**
   * Inserts v so that it ends up at index i (0 ≤ i ≤ length), moving the
   * elements of the shorter side by one; v is plain when large now.
   */
  insertAt(i: number, v: string): void {
    if (this.len === this.slots.length) this.resize(this.slots.length * 2);
    const m = this.mask;
    if (i < this.len - i) {
      this.head = (this.head - 1) & m;
      for (let k = 0; k < i; k++) this.move((this.head + k) & m, (this.head + k + 1) & m);
    } else {
      for (let k = this.len; k > i; k--) this.move((this.head + k) & m, (this.head + k - 1) & m);
    }
    const slot = (this.head + i) & m;
    this.slots[slot] = v;
    if (this.plain !== null) this.plain[slot] = 0;
    this.mark(slot, isLargeElement(v));
    this.len++;
    this.bytes += v.length;
  }

  /** The index of the first element equal to v, or -1. */
  indexOf(v: string): number {
    for (let i = 0; i < this.len; i++) if (this.at(i) === v) return i;
    return -1;
  }

  /**
   * Removes elements equal to v (LREM): the first `count` from the head
   * when count > 0, the last -count from the tail when count < 0, all of
   * them when count is 0. Survivors keep their order; returns how many
   * were removed. O(n).
   */
  removeMatching(v: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const n = this.len;
    const m = this.mask;
    let removed = 0;
    if (count >= 0) {
      // Walk head to tail, sliding survivors towards the head.
      let w = 0;
      for (let r = 0; r < n; r++) {
        const slot = (this.head + r) & m;
        if (removed < limit && this.slots[slot] === v) {
          removed++;
          this.uncountPlain(slot);
        } else this.move((this.head + w++) & m, slot);
      }
      for (let k = w; k < n; k++) this.clearSlot((this.head + k) & m);
    } else {
      // Walk tail to head, sliding survivors towards the tail.
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const slot = (this.head + r) & m;
        if (removed < limit && this.slots[slot] === v) {
          removed++;
          this.uncountPlain(slot);
        } else this.move((this.head + w--) & m, slot);
      }
      for (let k = 0; k <= w; k++) this.clearSlot((this.head + k) & m);
      this.head = (this.head + removed) & m;
    }
    if (this.plainCount === 0) this.plain = null;
    this.len -= removed;
    this.bytes -= removed * v.length;
    this.maybeShrink();
    return removed;
  }

  /**
   * Keeps only the elements at indexes [start, stop] (0 ≤ start ≤ stop <
   * length), dropping the rest from both ends. O(elements removed).
   */
  trim(start: number, stop: number): void {
    const m = this.mask;
    for (let k = 0; k < start; k++) this.dropSlot((this.head + k) & m);
    for (let k = stop + 1; k < this.len; k++) this.dropSlot((this.head + k) & m);
    this.head = (this.head + start) & m;
    this.len = stop - start + 1;
    this.maybeShrink();
  }

  /** Removes every element. */
  clear(): void {
    this.slots = new Array<string | undefined>(MIN_CAPACITY);
    this.plain = null;
    this.plainCount = 0;
    this.mask = MIN_CAPACITY - 1;
    this.head = 0;
    this.len = 0;
    this.bytes = 0;
  }

  /** Empties a slot being trimmed away, uncounting its element's bytes. */
  private dropSlot(slot: number): void {
    this.bytes -= this.slots[slot]!.length;
    this.slots[slot] = undefined;
    this.mark(slot, false);
  }

  /** Uncounts the element in slot if it is plain, leaving the flag for a move or clearSlot() to overwrite. */
  private uncountPlain(slot: number): void {
    if (this.plain !== null && this.plain[slot] === 1) this.plainCount--;
  }

  /** Empties a slot whose element moved away or was removed (its count already settled). */
  private clearSlot(slot: number): void {
    this.slots[slot] = undefined;
    if (this.plain !== null) this.plain[slot] = 0;
  }

  /** The elements at indexes [start, stop] (clamped to the list) as an array. */
  slice(start: number, stop: number): string[] {
    const out: string[] = [];
    const end = Math.min(stop, this.len - 1);
    for (let i = Math.max(0, start); i <= end; i++) out.push(this.at(i));
    return out;
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    return this.slice(0, this.len - 1);
  }

  /** Halves the buffer when less than a quarter of it is in use. */
  private maybeShrink(): void {
    const cap = this.slots.length;
    if (cap > MIN_CAPACITY && this.len < cap >>> 2) this.resize(cap >>> 1);
  }

  /** Moves the elements into a new buffer of cap slots (a power of two ≥ len), head at slot 0. */
  private resize(cap: number): void {
    const next = new Array<string | undefined>(cap);
    for (let i = 0; i < this.len; i++) next[i] = this.at(i);
    if (this.plain !== null) {
      const flags = new Uint8Array(cap);
      for (let i = 0; i < this.len; i++) flags[i] = this.plain[(this.head + i) & this.mask]!;
      this.plain = flags;
    }
    this.slots = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}

/** The smallest power-of-two capacity, at least MIN_CAPACITY, that holds n elements. */
function capacityFor(n: number): number {
  let cap = MIN_CAPACITY;
  while (cap < n) cap *= 2;
  return cap;
}

/**
 * Converts LRANGE/LTRIM-style indexes (negative counts from the tail) into a
 * clamped range [start, stop] of a list of length len, or null when the
 * range is empty.
 */
export function normalizeRange(start: number, stop: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start > stop || start >= len) return null;
  if (stop >= len) stop = len - 1;
  return [start, stop];
}

/** LPOS's options: rank (≠ 0; negative searches from the tail), count (0 = all), maxlen (0 = whole list). */
export interface PositionQuery {
  rank: number;
  count: number;
  maxlen: number;
}

/**
 * The indexes of elements equal to v (LPOS): starting from the rank-th
 * match (from the head for a positive rank, from the tail for a negative
 * one), at most count of them (0 for all), comparing at most maxlen
 * elements (0 for no limit). Indexes are always counted from the head.
 */
export function positions(list: List, v: string, q: PositionQuery): number[] {
  const out: number[] = [];
  const fromTail = q.rank < 0;
  const skip = Math.abs(q.rank) - 1;
  const n = list.length;
  const scan = q.maxlen === 0 ? n : Math.min(q.maxlen, n);
  let matches = 0;
  for (let k = 0; k < scan; k++) {
    const i = fromTail ? n - 1 - k : k;
    if (list.at(i) !== v) continue;
    if (matches++ < skip) continue;
    out.push(i);
    if (out.length === q.count) break;
  }
  return out;
}
