/**
 * One logical database (SELECT n): the key → entry dictionary, the expiry
 * table, and the order index that gives SCAN a stable cursor.
 *
 * Every read goes through lookupRead/lookupWrite, which apply lazy expiry;
 * every change goes through set/add/delete/setExpire/removeExpire (or
 * lookupWrite before an in-place change), which is where the keyspace's
 * hooks fire: the snapshot's "before write" hook (so a fork-less snapshot
 * can serialize the old value first) sees a key's entry before its value or
 * expiry changes or it disappears (expiry, RENAME and MOVE included), and
 * "before replace all" sees a db's whole contents before FLUSHDB/FLUSHALL
 * drop them or SWAPDB exchanges them (both O(1): the Db installs new maps
 * instead of emptying the old ones).
 *
 * Memory: the Db keeps the estimated size of its dataset (see memory.ts)
 * incrementally. Any write path (add, set, lookupWrite) may change a
 * value's size after the call returns (a command fills a new list after
 * adding it, appends in place …), so it only marks the entry stale; stale
 * entries are measured again in a batch when the total is read
 * (datasetBytes: INFO, the maxmemory check before each command, the
 * server cron's memory sample every tick), which is always between
 * commands. Each measurement is O(1), so accounting costs O(1) per write
 * and the stale list holds at most the keys written since the last read.
 * A deletion subtracts the size last measured.
 *
 * SCAN order: each key gets a sequence number when it is created; `order`
 * lists keys by that number (append-only, with stale slots skipped and
 * compacted away). A SCAN cursor is the last sequence number returned, so a
 * key present for the whole scan is returned exactly once whatever is added
 * or removed meanwhile, and RANDOMKEY picks uniformly from the same array.
 */
import type { Value } from './values.js';
import { AccessPolicy, LFU_INIT, lfuAccess, lfuMinutes, type LfuState } from './access.js';
import { entryBytes } from './memory.js';
import { scanStart } from '../datatypes/dict.js';

export class Entry implements LfuState {
  /** LFU frequency counter (OBJECT FREQ), maintained while an LFU policy is on. */
  lfuCount = LFU_INIT;
  /** LFU decay clock: minutes since the epoch at the last decrement. */
  lfuMinutes: number;
  /** Whether a small-integer value is Redis's shared object (see AccessPolicy.sharedIntegers). */
  sharedInt = true;
  /** Estimated size (memory.ts entryBytes) when last measured; 0 before the first measurement. */
  mem = 0;
  /** Whether the entry waits in its Db's stale list to be measured again. */
  memStale = false;
  /** Id of the last snapshot that serialized this entry (persistence/rdb/snapshot.ts), 0 for none. */
  snapshotId = 0;

  constructor(
    public value: Value,
    /** Creation sequence number (SCAN order). */
    readonly seq: number,
    /** Last access time in ms (OBJECT IDLETIME, LRU eviction). */
    public lru: number,
  ) {
    this.lfuMinutes = lfuMinutes(lru);
  }
}

/** Called when a key expires lazily or actively: db, key. */
export type ExpiredHook = (db: Db, key: string) => void;
/** Called before a key is changed or deleted (snapshot copy-on-write). */
export type BeforeWriteHook = (db: Db, key: string, entry: Entry) => void;
/**
 * Called before a db's whole contents are dropped (FLUSHDB, FLUSHALL) or
 * exchanged with another db's (SWAPDB), with the maps holding them. The Db
 * never changes these maps again (it installs new ones on flush; on swap
 * they move to the other db, whose later changes fire its own hooks).
 */
export type BeforeReplaceAllHook = (db: Db, dict: ReadonlyMap<string, Entry>, expires: ReadonlyMap<string, number>) => void;

export interface DbHooks {
  /** Deletes and propagates an expired key; the Db has already decided it is expired. */
  expired: ExpiredHook;
  /** Whether expired keys are deleted on access (false on a replica: the master sends DELs). */
  deleteExpiredOnAccess(): boolean;
  /**
   * Whether keys past their expiry still count as present (a replica
   * executing its master's commands: the master decides when keys expire).
   */
  keepExpired?: (() => boolean) | null;
  /** Current time in ms (the cached command clock). */
  now(): number;
  beforeWrite: BeforeWriteHook | null;
  /** A command set an expiry on key (Redis's setExpire): a writable replica remembers its own. */
  expireSet?: ((db: Db, key: string) => void) | null;
  /** A key was created (Redis's dbAdd, which emits the 'new' keyspace event). */
  added?: ((db: Db, key: string) => void) | null;
  /**
   * Whole-db hook (see BeforeReplaceAllHook). When absent while beforeWrite
   * is set, flush and swap call beforeWrite for every key instead (O(n)).
   */
  beforeReplaceAll?: BeforeReplaceAllHook | null;
  /** Eviction settings (LFU tracking, shared integers); defaults (no LFU, sharing on) when absent. */
  access?: AccessPolicy;
}

export class Db {
  dict = new Map<string, Entry>();
  /** Absolute expiry time in ms for keys that have one. */
  expires = new Map<string, number>();
  private order: string[] = [];
  private orderSeqs: number[] = [];
  private nextSeq = 1;
  /** Iterator over expires for the active expiry cycle, kept between cycles. */
  private expireCursor: Iterator<[string, number]> | null = null;
  /** Sum of TTLs sampled by the active expiry cycle, for INFO avg_ttl. */
  avgTtl = 0;
  /** Eviction settings entries follow (LFU tracking, shared integers); OBJECT reads them. */
  readonly access: AccessPolicy;
  /** Sum of the measured sizes of the live entries (see the file comment). */
  private measuredBytes = 0;
  /** Entries written since they were last measured, with their keys (parallel arrays). */
  private staleKeys: string[] = [];
  private staleEntries: Entry[] = [];

  constructor(
    readonly id: number,
    private readonly hooks: DbHooks,
  ) {
    this.access = hooks.access ?? new AccessPolicy();
  }

  get size(): number {
    return this.dict.size;
  }

  /** Estimated size of this db's keys and values in bytes (measures stale entries first). */
  get datasetBytes(): number {
    this.settleMemory();
    return this.measuredBytes;
  }

  /** Queues e (the entry of key) to be measured again: it was just written or created. */
  private markStale(key: string, e: Entry): void {
    if (e.memStale) return;
    e.memStale = true;
    this.staleKeys.push(key);
    this.staleEntries.push(e);
  }

  /** Measures every stale entry still in the db and updates the total. */
  private settleMemory(): void {
    const keys = this.staleKeys;
    const entries = this.staleEntries;
    if (keys.length === 0) return;
    for (let i = 0; i < keys.length; i++) {
      const e = entries[i]!;
      e.memStale = false;
      const key = keys[i]!;
      if (this.dict.get(key) !== e) continue;
      const bytes = entryBytes(key, e.value);
      this.measuredBytes += bytes - e.mem;
      e.mem = bytes;
    }
    this.staleKeys = [];
    this.staleEntries = [];
  }

  /** True when key has an expiry in the past. */
  isExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when <= this.hooks.now();
  }

  /**
   * Applies lazy expiry to key. Returns true when the key is expired (and
   * deleted, on a master). On a replica the key stays but reads treat it as
   * missing, as Redis does.
   */
  expireIfNeeded(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined || when > this.hooks.now()) return false;
    if (this.hooks.keepExpired?.() === true) return false;
    if (this.hooks.deleteExpiredOnAccess()) this.hooks.expired(this, key);
    return true;
  }

  /** The entry for a read (updates its access time), or undefined if missing or expired. */
  lookupRead(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    this.touch(e);
    return e;
  }

  /**
   * The entry for a read that must not count as an access (EXISTS, TYPE,
   * TTL, OBJECT), or undefined if missing or expired.
   */
  lookupNoTouch(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    return e;
  }

  /** Records an access to e: its LRU time and, under an LFU policy, its frequency. */
  private touch(e: Entry): void {
    const now = this.hooks.now();
    e.lru = now;
    if (this.access.lfu) lfuAccess(e, this.access, now);
  }

  /**
   * The entry for a command that is about to change it in place, or undefined.
   * Fires the before-write hook, so the caller may mutate entry.value.
   */
  lookupWrite(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    if (this.hooks.beforeWrite !== null) this.hooks.beforeWrite(this, key, e);
    this.touch(e);
    this.markStale(key, e);
    return e;
  }

  /** The entry without expiry checks or side effects (introspection, snapshots). */
  peek(key: string): Entry | undefined {
    return this.dict.get(key);
  }

  /**
   * Sets key to value. keepTtl keeps an existing expiry (SET KEEPTTL);
   * otherwise any expiry is removed. Returns the entry.
   */
  set(key: string, value: Value, keepTtl = false): Entry {
    const e = this.dict.get(key);
    if (e !== undefined) {
      if (this.hooks.beforeWrite !== null) this.hooks.beforeWrite(this, key, e);
      e.value = value;
      e.sharedInt = this.access.sharedIntegers;
      this.touch(e);
      this.markStale(key, e);
      if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
      return e;
    }
    return this.add(key, value);
  }

  /** Adds a key known to be absent. */
  add(key: string, value: Value): Entry {
    const e = this.insert(key, value);
    if (this.hooks.added) this.hooks.added(this, key);
    return e;
  }

  /**
   * Adds a key while loading a dataset (RDB, full sync) into a staging db:
   * like add, without the key-created hook (no 'new' event, no blocked
   * clients to serve), and with one hash lookup instead of two. Returns
   * null when the key was already present: the staging db is then
   * inconsistent and must be discarded (the load fails).
   */
  load(key: string, value: Value): Entry | null {
    const before = this.dict.size;
    const e = this.insert(key, value);
    return this.dict.size === before ? null : e;
  }

  private insert(key: string, value: Value): Entry {
    const seq = this.nextSeq++;
    const e = new Entry(value, seq, this.hooks.now());
    e.sharedInt = this.access.sharedIntegers;
    this.dict.set(key, e);
    this.order.push(key);
    this.orderSeqs.push(seq);
    this.markStale(key, e);
    return e;
  }

  /**
   * The sequence number the next created key will get: entries of this
   * db's current dict with a lower seq existed before this call (snapshot
   * cuts use it; the counter moves with the dict on SWAPDB).
   */
  get nextSequence(): number {
    return this.nextSeq;
  }

  /**
   * Adds key (known to be absent) holding the value of an entry that moves
   * here (RENAME, MOVE): the value and its access statistics carry over and
   * expireMs (-1 for none) becomes the key's expiry.
   */
  addMoved(key: string, from: Entry, expireMs: number): Entry {
    const e = this.add(key, from.value);
    e.lru = from.lru;
    e.lfuCount = from.lfuCount;
    e.lfuMinutes = from.lfuMinutes;
    e.sharedInt = from.sharedInt;
    if (expireMs !== -1) {
      this.expires.set(key, expireMs);
      this.hooks.expireSet?.(this, key);
    }
    return e;
  }

  /** Deletes key (expired or not). Returns true if it existed. */
  delete(key: string): boolean {
    const e = this.dict.get(key);
    if (e === undefined) return false;
    if (this.hooks.beforeWrite !== null) this.hooks.beforeWrite(this, key, e);
    this.dict.delete(key);
    this.measuredBytes -= e.mem;
    if (this.expires.size !== 0) this.expires.delete(key);
    this.maybeCompact();
    return true;
  }

  /** Sets an absolute expiry in ms on an existing key. */
  setExpire(key: string, whenMs: number): void {
    const e = this.dict.get(key);
    if (e !== undefined && this.hooks.beforeWrite !== null) this.hooks.beforeWrite(this, key, e);
    this.expires.set(key, whenMs);
    this.hooks.expireSet?.(this, key);
  }

  /** Removes key's expiry; returns true if it had one. */
  removeExpire(key: string): boolean {
    const e = this.dict.get(key);
    if (e !== undefined && this.expires.has(key) && this.hooks.beforeWrite !== null) {
      this.hooks.beforeWrite(this, key, e);
    }
    return this.expires.delete(key);
  }

  /** The absolute expiry of key in ms, or -1. */
  getExpire(key: string): number {
    const when = this.expires.get(key);
    return when === undefined ? -1 : when;
  }

  /**
   * Removes every key in O(1): the maps are replaced, not emptied, so the
   * old contents become garbage (or stay with a snapshot that took them from
   * the before-replace-all hook). Returns how many keys there were.
   */
  clear(): number {
    const n = this.dict.size;
    this.announceReplaceAll();
    this.dict = new Map();
    this.expires = new Map();
    this.order = [];
    this.orderSeqs = [];
    this.expireCursor = null;
    this.avgTtl = 0;
    this.measuredBytes = 0;
    this.staleKeys = [];
    this.staleEntries = [];
    return n;
  }

  /** Tells the hooks that every key of this db is about to be dropped or swapped out. */
  private announceReplaceAll(): void {
    const whole = this.hooks.beforeReplaceAll;
    if (whole !== undefined && whole !== null) whole(this, this.dict, this.expires);
    else if (this.hooks.beforeWrite !== null) {
      for (const [key, e] of this.dict) this.hooks.beforeWrite(this, key, e);
    }
  }

  /** Exchanges the contents of two databases in O(1) (SWAPDB). */
  swapWith(other: Db): void {
    if (other === this) return;
    this.announceReplaceAll();
    other.announceReplaceAll();
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.order, other.order] = [other.order, this.order];
    [this.orderSeqs, other.orderSeqs] = [other.orderSeqs, this.orderSeqs];
    [this.nextSeq, other.nextSeq] = [other.nextSeq, this.nextSeq];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    [this.measuredBytes, other.measuredBytes] = [other.measuredBytes, this.measuredBytes];
    [this.staleKeys, other.staleKeys] = [other.staleKeys, this.staleKeys];
    [this.staleEntries, other.staleEntries] = [other.staleEntries, this.staleEntries];
    this.expireCursor = null;
    other.expireCursor = null;
  }

  /**
   * Visits up to `count` slots of the SCAN order starting after `cursor`,
   * calling visit for each live key. Returns the next cursor, 0 when done.
   */
  scan(cursor: number, count: number, visit: (key: string, entry: Entry) => void): number {
    // Locals: a deletion during visit may compact, which installs new arrays.
    const seqs = this.orderSeqs;
    const order = this.order;
    const lo = scanStart(seqs, cursor);
    let i = lo;
    const end = Math.min(seqs.length, lo + Math.max(1, count));
    for (; i < end; i++) {
      const key = order[i]!;
      const e = this.dict.get(key);
      if (e !== undefined && e.seq === seqs[i]) visit(key, e);
    }
    return i >= seqs.length ? 0 : seqs[i - 1]!;
  }

  /** A uniformly random live key, or undefined when empty. */
  randomKey(): string | undefined {
    if (this.dict.size === 0) return undefined;
    for (;;) {
      const i = Math.floor(Math.random() * this.order.length);
      const key = this.order[i]!;
      const e = this.dict.get(key);
      if (e !== undefined && e.seq === this.orderSeqs[i]) return key;
    }
  }

  /**
   * One step of the active expiry cycle: examines up to `sample` keys that
   * have a TTL, continuing where the previous step stopped, and expires those
   * past due. Returns [examined, expired].
   */
  activeExpireStep(sample: number): [number, number] {
    if (this.expires.size === 0) return [0, 0];
    const now = this.hooks.now();
    let examined = 0;
    let expired = 0;
    let ttlSum = 0;
    let ttlCount = 0;
    const due: string[] = [];
    while (examined < sample) {
      if (this.expireCursor === null) this.expireCursor = this.expires.entries();
      const r = this.expireCursor.next();
      if (r.done) {
        this.expireCursor = null;
        if (examined === 0) break;
        if (examined >= this.expires.size) break;
        continue;
      }
      examined++;
      const [key, when] = r.value;
      if (when <= now) due.push(key);
      else {
        ttlSum += when - now;
        ttlCount++;
      }
    }
    for (const key of due) {
      if (this.expires.has(key) && this.getExpire(key) <= now) {
        this.hooks.expired(this, key);
        expired++;
      }
    }
    if (ttlCount > 0) {
      // Running average weighted like Redis (new sample counts for 2%).
      const avg = ttlSum / ttlCount;
      this.avgTtl = this.avgTtl === 0 ? avg : (this.avgTtl / 50) * 49 + avg / 50;
    }
    return [examined, expired];
  }

  /** Drops stale slots from the order index once they are the majority. */
  private maybeCompact(): void {
    const slots = this.order.length;
    if (slots < 1024 || this.dict.size * 2 > slots) return;
    const order: string[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < slots; i++) {
      const key = this.order[i]!;
      const e = this.dict.get(key);
      if (e !== undefined && e.seq === this.orderSeqs[i]) {
        order.push(key);
        seqs.push(this.orderSeqs[i]!);
      }
    }
    this.order = order;
    this.orderSeqs = seqs;
  }
}
