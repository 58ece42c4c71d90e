/**
 * A writable replica's own keys with a TTL (Redis's "slave keys with
 * expire"). A replica never expires keys by itself — its master sends the
 * DELs — except keys that one of its own clients gave a TTL under
 * `replica-read-only no`: the master knows nothing of those. They are
 * remembered here when the TTL is set, and the cron deletes them once past
 * it (a replica's own writes never reach its replicas, so nothing is
 * propagated). INFO slave_expires_tracked_keys counts the keys remembered.
 * The list is forgotten when the dataset is replaced by a full sync and on
 * promotion (a master expires every key itself).
 */
import type { Db } from '../../keyspace/db.js';

/** Keys checked between two looks at the clock. */
const KEYS_PER_CLOCK_CHECK = 64;

export class ReplicaOwnExpires {
  /** Key → ids of the dbs where it was given a TTL. */
  private readonly keys = new Map<string, Set<number>>();

  /** slave_expires_tracked_keys. */
  get count(): number {
    return this.keys.size;
  }

  /** A client of this writable replica set a TTL on key in db. */
  remember(db: Db, key: string): void {
    let dbs = this.keys.get(key);
    if (dbs === undefined) this.keys.set(key, (dbs = new Set()));
    dbs.add(db.id);
  }

  /**
   * Deletes, through expire (the server's expired-key path), the keys
   * remembered whose TTL has passed; forgets those that lost their TTL or
   * are gone. Stops after budgetMs; keys looked at and kept move to the
   * end, so the next run starts with the others.
   */
  cycle(dbs: readonly Db[], now: number, budgetMs: number, expire: (db: Db, key: string) => void): void {
    if (this.keys.size === 0) return;
    const start = performance.now();
    let checked = 0;
    const todo = this.keys.size;
    for (const [key, ids] of this.keys) {
      if (checked++ === todo) break;
      for (const id of [...ids]) {
        const db = dbs[id];
        const when = db?.getExpire(key) ?? -1;
        if (db === undefined || when === -1) ids.delete(id);
        else if (when <= now) {
          expire(db, key);
          ids.delete(id);
        }
      }
      this.keys.delete(key);
      if (ids.size > 0) this.keys.set(key, ids);
      if (checked % KEYS_PER_CLOCK_CHECK === 0 && performance.now() - start > budgetMs) return;
    }
  }

  /** Forgets every key (full sync, promotion). */
  clear(): void {
    this.keys.clear();
  }
}
