/**
 * Loading an RDB into a server's dbs, all or nothing: keys are read into
 * fresh, detached dbs while readRdb validates every byte (and the
 * checksum at the end); only when the whole file is good are they moved
 * into the server's dbs — by an O(1) exchange for a db that is empty, key
 * by key when merging. A malformed file leaves the server's dbs as they
 * were and throws the RdbError.
 *
 * Rules (Redis 7.0's): on a master, keys whose expiry has passed are not
 * loaded (counted as expired); a replica loads them (its master will
 * send the DELs). A key appearing twice in the file is an error, and so
 * is one already in a non-empty db unless merging (DEBUG RELOAD MERGE,
 * where the file's value wins). Empty aggregates are skipped with a
 * warning. IDLE and FREQ restore the access data.
 */
import type { Server } from '../server/server.js';
import { Db } from '../keyspace/db.js';
import { RdbReader } from './rdb/reader.js';
import { limitsFromConfig } from './rdb/limits.js';

export interface LoadResult {
  version: number;
  loaded: number;
  expired: number;
  /** Empty aggregates skipped. */
  empty: number;
  /** The AUX fields of the file (redis-ver, repl-id, repl-offset …). */
  aux: Map<string, string>;
  /**
   * The keys not loaded because their expiry had passed, as [db, key] in
   * file order: a restarted master replicates their deletion (see
   * Replication.resumeAfterRestart).
   */
  expiredKeys: [number, string][];
}

export interface LoadOptions {
  /** Replace keys that already exist instead of failing (DEBUG RELOAD MERGE). */
  merge?: boolean;
  /**
   * Replace the whole dataset (a replica's full sync): once the file is
   * good, every db's contents are exchanged with the file's (O(1) per db),
   * watchers of changed keys and blocked clients told as for SWAPDB.
   */
  replace?: boolean;
}

/** Loads the RDB in buf into server's dbs (see the file comment). Throws RdbError. */
export function loadRdb(server: Server, buf: Buffer, opts: LoadOptions = {}): LoadResult {
  const load = new StagedLoad(server, buf, opts);
  while (!load.step(Infinity));
  return load.finish();
}

/**
 * A load in two phases: step() reads the file into the staging dbs (in
 * slices, if the caller wants to serve clients between them); finish()
 * puts the keys into the server's dbs. Abandoning a load before finish()
 * leaves the server untouched.
 */
export class StagedLoad {
  private readonly reader: RdbReader;
  private readonly staging: Db[];
  private readonly aux = new Map<string, string>();
  private readonly expiredKeys: [number, string][] = [];
  private loaded = 0;
  private expired = 0;
  private empty = 0;

  constructor(
    private readonly server: Server,
    buf: Buffer,
    private readonly opts: LoadOptions,
  ) {
    const replica = server.isReplica();
    const now = Date.now();
    const staging = (this.staging = server.dbs.map((d) => new Db(d.id, server.dbHooks)));
    let db = staging[0]!;
    this.reader = new RdbReader(
      buf,
      {
        aux: (name, value) => this.aux.set(name, value),
        selectDb(id) {
          if (id >= staging.length) {
            throw new Error(`FATAL: Data file was created with a Redis server configured to handle more than ${staging.length} databases`);
          }
          db = staging[id]!;
        },
        resizeDb: () => undefined,
        key: (key, value, expireMs, idleSeconds, freq) => {
          if (value === null) {
            if (this.empty++ < 10) server.logger.warning(`rdbLoadObject skipping empty key: ${key}`);
            return;
          }
          if (!replica && expireMs !== -1 && expireMs < now) {
            this.expired++;
            this.expiredKeys.push([db.id, key]);
            return;
          }
          const e = db.load(key, value);
          if (e === null) throw new Error(`RDB has duplicated key '${key}' in DB ${db.id}`);
          if (expireMs !== -1) db.expires.set(key, expireMs);
          if (idleSeconds !== -1) e.lru = now - idleSeconds * 1000;
          if (freq !== -1) e.lfuCount = freq;
          this.loaded++;
        },
      },
      { limits: limitsFromConfig(server.config), checksum: server.config.bool('rdbchecksum') },
    );
  }

  /** The AUX fields read so far (all of them once the first key was read). */
  get auxFields(): ReadonlyMap<string, string> {
    return this.aux;
  }

  /** Bytes of the file read so far. */
  get position(): number {
    return this.reader.position;
  }

  /** Reads up to `keys` more keys; true once the whole file was read and verified. Throws RdbError. */
  step(keys: number): boolean {
    return this.reader.step(keys);
  }

  /** Puts the staged keys into the server's dbs (after step() returned true). */
  finish(): LoadResult {
    const { server, staging, opts } = this;
    const result = {
      version: this.reader.version,
      loaded: this.loaded,
      expired: this.expired,
      empty: this.empty,
      aux: this.aux,
      expiredKeys: this.expiredKeys,
    };
    if (opts.replace) {
      for (const from of staging) replaceWith(server, server.dbs[from.id]!, from);
      return result;
    }
    if (!opts.merge) {
      for (const from of staging) {
        const into = server.dbs[from.id]!;
        if (into.size === 0) continue;
        for (const key of from.dict.keys()) {
          if (into.peek(key) !== undefined) throw new Error(`RDB has duplicated key '${key}' in DB ${into.id}`);
        }
      }
    }
    for (const from of staging) moveInto(server.dbs[from.id]!, from);
    return result;
  }
}

/** Exchanges into's contents with a staging db's (the old keys go with the staging db). */
function replaceWith(server: Server, into: Db, from: Db): void {
  server.watches.touchAllInDb(into, from);
  into.swapWith(from);
  server.blocking.keysReplaced(into);
}

/** Moves every key of `from` (a staging db) into `into`: an O(1) exchange when into is empty, else key by key, replacing. */
function moveInto(into: Db, from: Db): void {
  if (from.size === 0) return;
  if (into.size === 0) {
    into.swapWith(from);
    return;
  }
  for (const [key, e] of from.dict) {
    if (into.peek(key) !== undefined) into.delete(key);
    into.addMoved(key, e, from.getExpire(key));
  }
}
