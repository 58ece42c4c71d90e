/**
 * WATCH bookkeeping: which clients watch which keys, and the rules by which
 * a change to a watched key makes their next EXEC fail (Redis 7.0's
 * "dirty CAS").
 *
 * A watch is on a (database number, key) pair: SWAPDB moves contents
 * between databases but watches stay with the database number, as in Redis.
 *
 * Expiry rules (7.0): a key that was already logically expired when it was
 * watched is remembered as such. Its deletion (lazy expiry, a flush that
 * drops it) is then no change at all, and clears that mark; any other
 * change to it dirties the watcher. A key that was live when watched and
 * has expired by EXEC time aborts the transaction even if nothing deleted
 * it yet (see anyExpired).
 */
import type { Db } from '../keyspace/db.js';

/** Someone who watches keys: a client's transaction state. */
export interface Watcher {
  /** Set when a watched key changed; the next EXEC aborts. */
  dirty: boolean;
  /** The watcher's watches, in the order they were made. */
  readonly watches: WatchEntry[];
}

export class WatchEntry {
  constructor(
    readonly watcher: Watcher,
    readonly db: Db,
    readonly key: string,
    /** The key was logically expired when watched (see the file comment). */
    public expired: boolean,
  ) {}
}

export class WatchRegistry {
  /** By database number: key → the watches on it. */
  private readonly byDb: (Map<string, WatchEntry[]> | undefined)[] = [];
  /** Watches in force across all databases (the fast path when zero). */
  private count = 0;

  /**
   * Makes `watcher` watch key in db. Watching the same key of the same db
   * again is a no-op (the first watch's expiry mark stays).
   */
  watch(watcher: Watcher, db: Db, key: string): void {
    let keys = this.byDb[db.id];
    if (keys === undefined) this.byDb[db.id] = keys = new Map();
    let list = keys.get(key);
    if (list === undefined) keys.set(key, (list = []));
    else for (const e of list) if (e.watcher === watcher) return;
    const entry = new WatchEntry(watcher, db, key, db.isExpired(key));
    list.push(entry);
    watcher.watches.push(entry);
    this.count++;
  }

  /** Removes every watch of `watcher` (UNWATCH, EXEC, DISCARD, disconnect) and clears its dirty mark. */
  unwatchAll(watcher: Watcher): void {
    for (const e of watcher.watches) {
      const keys = this.byDb[e.db.id]!;
      const list = keys.get(e.key)!;
      if (list.length === 1) keys.delete(e.key);
      else list.splice(list.indexOf(e), 1);
      this.count--;
    }
    watcher.watches.length = 0;
    watcher.dirty = false;
  }

  /**
   * A key of db changed or was deleted (signalModifiedKey): every watcher
   * of it becomes dirty, except one that watched it already expired and
   * sees it merely deleted now.
   */
  touch(db: Db, key: string): void {
    if (this.count === 0) return;
    const list = this.byDb[db.id]?.get(key);
    if (list === undefined) return;
    for (const e of list) {
      if (e.expired && !db.dict.has(key)) e.expired = false;
      else e.watcher.dirty = true;
    }
  }

  /**
   * Before `emptied` loses its contents (FLUSHDB/FLUSHALL, replacedWith
   * null) or exchanges them with `replacedWith` (SWAPDB, called once for
   * each side): a watcher of a key present in `emptied` becomes dirty,
   * unless it watched that key already expired; a watcher of a key that
   * `replacedWith` brings becomes dirty, unless the key arriving is itself
   * expired, in which case the watch now counts as made on an expired key.
   */
  touchAllInDb(emptied: Db, replacedWith: Db | null): void {
    if (this.count === 0) return;
    const keys = this.byDb[emptied.id];
    if (keys === undefined) return;
    for (const [key, list] of keys) {
      const inEmptied = emptied.dict.has(key);
      const inReplacement = replacedWith !== null && replacedWith.dict.has(key);
      if (!inEmptied && !inReplacement) continue;
      for (const e of list) {
        if (inEmptied && !e.expired) e.watcher.dirty = true;
        else if (!inReplacement) e.expired = false;
        else if (replacedWith!.isExpired(key)) e.expired = true;
        else e.watcher.dirty = true;
      }
    }
  }

  /** True when a key `watcher` watched while it was live has logically expired since. */
  anyExpired(watcher: Watcher): boolean {
    for (const e of watcher.watches) if (!e.expired && e.db.isExpired(e.key)) return true;
    return false;
  }
}
