/**
 * maxmemory: deciding when the server is over its memory limit and evicting
 * keys until it is not, following `maxmemory-policy`.
 *
 * The execution path asks freeMemory() before every command while a limit
 * is set (like Redis's performEvictions in processCommand); commands flagged
 * `denyoom` are refused with the OOM error when it answers Fail. Used memory
 * is the model of keyspace/memory.ts; client buffers enter it through
 * clientBytes, refreshed by the cron (summing every client's buffers per
 * command would make each command O(clients)).
 *
 * Policies, as documented for Redis and approximated the same way:
 * - noeviction: never evict; over the limit denyoom commands fail.
 * - allkeys-random / volatile-random: a random key (of all keys, or of the
 *   keys with an expiry), visiting the databases in turn.
 * - allkeys-lru / volatile-lru, allkeys-lfu / volatile-lfu, volatile-ttl:
 *   `maxmemory-samples` keys are sampled in each database and offered to an
 *   eviction pool that keeps the POOL_SIZE best candidates seen so far
 *   across calls (longest idle; lowest decayed LFU counter; nearest
 *   expiry). The best candidate that still exists is evicted. Sampling
 *   makes this an approximation whose accuracy grows with the sample size.
 *
 * An eviction deletes the key, counts it (INFO evicted_keys), propagates it
 * as DEL (UNLINK under lazyfree-lazy-eviction), signals WATCH and emits the
 * 'evicted' keyspace event. Eviction stops after a time budget derived from
 * `maxmemory-eviction-tenacity`; the command then runs anyway and eviction
 * continues in the next event-loop turns (Redis answers "eviction in
 * progress" the same way). Lowering maxmemory starts eviction at once.
 * A replica with replica-ignore-maxmemory never evicts: its master's DELs
 * keep it in step. Nothing is evicted while clients are paused for writes.
 */
import type { Server } from '../server/server.js';
import type { Db } from './db.js';
import { lfuDecayed } from './access.js';
import { STARTUP_BYTES, dbOverheadBytes } from './memory.js';
import { nowMs, refreshClock } from '../util/clock.js';
import { ClientKind } from '../server/client-kind.js';

/** Outcome of freeMemory(). */
export const enum EvictStatus {
  /** Within the limit (or no limit). */
  Ok,
  /** Still over the limit but evicting made progress and continues later. */
  Running,
  /** Over the limit and nothing (more) can be evicted. */
  Fail,
}

const enum Policy {
  NoEviction,
  AllKeysRandom,
  VolatileRandom,
  AllKeysLru,
  VolatileLru,
  AllKeysLfu,
  VolatileLfu,
  VolatileTtl,
}

const POLICIES: Record<string, Policy> = {
  noeviction: Policy.NoEviction,
  'allkeys-random': Policy.AllKeysRandom,
  'volatile-random': Policy.VolatileRandom,
  'allkeys-lru': Policy.AllKeysLru,
  'volatile-lru': Policy.VolatileLru,
  'allkeys-lfu': Policy.AllKeysLfu,
  'volatile-lfu': Policy.VolatileLfu,
  'volatile-ttl': Policy.VolatileTtl,
};

/** The split of used memory INFO reports (Redis's used_memory_overhead / _dataset). */
export interface MemoryReport {
  used: number;
  /** Startup footprint, client buffers and the key tables' bookkeeping. */
  overhead: number;
  /** Keys and values. */
  dataset: number;
  /** Query and output buffers of clients. */
  clients: number;
}

/** Candidates the eviction pool keeps. */
const POOL_SIZE = 16;
/** A key sampled as a candidate, with its score (higher = evict sooner). */
interface Candidate {
  score: number;
  key: string;
  db: Db;
}

/** Whether a policy only considers keys with an expiry. */
function isVolatile(p: Policy): boolean {
  return p === Policy.VolatileRandom || p === Policy.VolatileLru || p === Policy.VolatileLfu || p === Policy.VolatileTtl;
}

/**
 * The time budget of one eviction run in ms for a tenacity of 0..100:
 * proportional up to 10 (0.5 ms at the default 10), then growing 15% per
 * step; 100 means no limit.
 */
export function evictionBudgetMs(tenacity: number): number {
  if (tenacity >= 100) return Infinity;
  if (tenacity <= 10) return 0.05 * tenacity;
  return 0.5 * 1.15 ** (tenacity - 10);
}

export class Evictor {
  /** The limit in bytes, 0 for none. */
  private maxmemory = 0;
  private policy = Policy.NoEviction;
  private samples = 5;
  private budgetMs = evictionBudgetMs(10);
  /** Query and output buffer bytes of all clients, as of the last refresh. */
  clientBytes = 0;
  /** A continuation of eviction is scheduled (see continueSoon). */
  private continuing = false;
  /** Best candidates so far, ascending by score. */
  private readonly pool: Candidate[] = [];
  /** The db the random policies visit next. */
  private nextDb = 0;
  /** Per db: an iterator over its expires map, for sampling sparse volatile keys. */
  private readonly volatileCursors = new Map<Db, { map: Map<string, number>; it: Iterator<string> }>();
  private readonly sampled: string[] = [];

  constructor(private readonly server: Server) {
    this.maxmemory = server.config.num('maxmemory');
    this.refresh();
  }

  /** Reads maxmemory-policy, maxmemory-samples and maxmemory-eviction-tenacity (the server's apply step). */
  refresh(): void {
    const config = this.server.config;
    const policy = POLICIES[config.str('maxmemory-policy')] ?? Policy.NoEviction;
    if (policy !== this.policy) this.pool.length = 0;
    this.policy = policy;
    this.samples = config.num('maxmemory-samples');
    this.budgetMs = evictionBudgetMs(config.num('maxmemory-eviction-tenacity'));
  }

  /** CONFIG SET maxmemory: warns like Redis when the new limit is already exceeded, and starts evicting. */
  limitChanged(bytes: number): void {
    this.maxmemory = bytes;
    this.continueSoon();
    const used = this.usedMemory();
    if (bytes !== 0 && bytes < used) {
      this.server.logger.warning(
        `WARNING: the new maxmemory value set via CONFIG SET (${bytes}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
  }

  /** Whether a memory limit applies to this server now (set, and not an ignoring replica). */
  get limited(): boolean {
    return this.maxmemory !== 0 && !(this.server.isReplica() && this.server.config.bool('replica-ignore-maxmemory'));
  }

  /**
   * Sums the buffers of every client but replicas (the cron calls this once
   * per tick). Like Redis, what replicas are owed does not count towards
   * maxmemory: evicting keys would only add DELs to their buffers.
   */
  refreshClientBytes(): number {
    let n = 0;
    for (const c of this.server.clients.values()) if (!c.is(ClientKind.Replica)) n += c.parser.pendingBytes + c.outputBytes;
    this.clientBytes = n;
    return n;
  }

  /** Estimated size of every db's keys and values. */
  private datasetBytes(): number {
    let n = 0;
    for (const db of this.server.dbs) n += db.datasetBytes;
    return n;
  }

  /** Bookkeeping of every db's key and expiry tables. */
  private tableBytes(): number {
    let n = 0;
    for (const db of this.server.dbs) n += dbOverheadBytes(db.size, db.expires.size);
    return n;
  }

  /** Used memory as eviction sees it (the model; client buffers as of the last refresh). */
  usedMemory(): number {
    return STARTUP_BYTES + this.clientBytes + this.tableBytes() + this.datasetBytes();
  }

  /** INFO memory's figures, with client buffers measured now. */
  report(): MemoryReport {
    const clients = this.refreshClientBytes();
    const dataset = this.datasetBytes();
    const overhead = STARTUP_BYTES + clients + this.tableBytes();
    return { used: overhead + dataset, overhead, dataset, clients };
  }

  /**
   * Brings used memory under maxmemory by evicting keys per the policy (see
   * the file comment). Returns Ok when within the limit, Running when the
   * time budget ran out while evicting, Fail when over the limit with
   * nothing evictable (noeviction, or no candidate key left).
   */
  freeMemory(): EvictStatus {
    if (!this.limited || this.usedMemory() <= this.maxmemory) return EvictStatus.Ok;
    // CLIENT PAUSE WRITE keeps the dataset still: no evictions, and no refusals either.
    if (this.server.pause.writesPaused) return EvictStatus.Ok;
    if (this.policy === Policy.NoEviction) return EvictStatus.Fail;
    const status = this.evictUntilUnderLimit();
    // Evictions are effects of their own, not part of the command that follows, and each stands alone.
    this.server.propagation.commit(false);
    if (status === EvictStatus.Running) this.continueSoon();
    return status;
  }

  /** freeMemory's loop: evicts one victim at a time until within the limit, out of victims or out of time. */
  private evictUntilUnderLimit(): EvictStatus {
    const start = performance.now();
    let evicted = 0;
    while (this.usedMemory() > this.maxmemory) {
      const victim = this.pickVictim();
      if (victim === null) return EvictStatus.Fail;
      this.evict(victim.db, victim.key);
      // The clock is read every 16 evictions only.
      if ((++evicted & 15) === 0 && performance.now() - start > this.budgetMs) {
        return this.usedMemory() <= this.maxmemory ? EvictStatus.Ok : EvictStatus.Running;
      }
    }
    return EvictStatus.Ok;
  }

  /**
   * Goes on evicting in the next event-loop turns, one time-budgeted run per
   * turn, until within the limit (or out of victims), so that clients are
   * served between runs (Redis's eviction time proc).
   */
  private continueSoon(): void {
    if (this.continuing) return;
    this.continuing = true;
    setImmediate(() => {
      this.continuing = false;
      refreshClock();
      this.freeMemory();
    });
  }

  /** Deletes an evicted key with its side effects (see the file comment). */
  private evict(db: Db, key: string): void {
    const server = this.server;
    db.delete(key);
    server.stats.evictedKeys++;
    server.propagation.record(db.id, [server.config.bool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', key]);
    server.events.notify('e', 'evicted', key, db.id);
    server.events.modified(db, key);
  }

  /** The next key to evict under the current policy, or null when there is none. */
  private pickVictim(): Candidate | null {
    const p = this.policy;
    if (p === Policy.AllKeysRandom || p === Policy.VolatileRandom) return this.pickRandom(p === Policy.VolatileRandom);
    const volatile = isVolatile(p);
    for (;;) {
      let offered = 0;
      for (const db of this.server.dbs) {
        if ((volatile ? db.expires.size : db.size) === 0) continue;
        offered += this.fillPool(db, volatile);
      }
      if (offered === 0) return null;
      const best = this.takeBest(volatile);
      if (best !== null) return best;
    }
  }

  /** A random key of the next non-empty db in turn, or null when all are empty. */
  private pickRandom(volatile: boolean): Candidate | null {
    const dbs = this.server.dbs;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[this.nextDb]!;
      this.nextDb = (this.nextDb + 1) % dbs.length;
      this.sampled.length = 0;
      this.sample(db, volatile, 1);
      if (this.sampled.length !== 0) return { score: 0, key: this.sampled[0]!, db };
    }
    return null;
  }

  /** Samples db and offers the keys to the pool; returns how many keys were sampled. */
  private fillPool(db: Db, volatile: boolean): number {
    const keys = this.sampled;
    keys.length = 0;
    this.sample(db, volatile, this.samples);
    const now = nowMs();
    for (const key of keys) {
      const e = db.peek(key);
      if (e === undefined) continue;
      let score: number;
      if (this.policy === Policy.VolatileTtl) score = -db.getExpire(key);
      else if (this.policy === Policy.AllKeysLfu || this.policy === Policy.VolatileLfu) score = 255 - lfuDecayed(e, db.access, now);
      else score = now - e.lru;
      this.offer(score, key, db);
    }
    return keys.length;
  }

  /**
   * Puts a candidate into the pool, ordered by score, unless the pool is
   * full of better ones; the worst candidate makes room. A key already in
   * the pool is not added twice.
   */
  private offer(score: number, key: string, db: Db): void {
    const pool = this.pool;
    if (pool.length === POOL_SIZE && score <= pool[0]!.score) return;
    for (const c of pool) if (c.key === key && c.db === db) return;
    let i = 0;
    while (i < pool.length && pool[i]!.score < score) i++;
    pool.splice(i, 0, { score, key, db });
    if (pool.length > POOL_SIZE) pool.shift();
  }

  /** Removes and returns the best pool candidate still present (with an expiry, if volatile), or null. */
  private takeBest(volatile: boolean): Candidate | null {
    const pool = this.pool;
    while (pool.length !== 0) {
      const c = pool.pop()!;
      if (c.db.peek(c.key) !== undefined && (!volatile || c.db.expires.has(c.key))) return c;
    }
    return null;
  }

  /**
   * Appends up to n keys of db chosen at random to this.sampled (keys with
   * an expiry when volatile; duplicates possible). Keys with an expiry are
   * drawn by rejection from all keys while they are at least an eighth of
   * them (falling back to the cursor if no draw hits); when sparser, they
   * are taken in turn from a cursor over the expiry table that continues
   * between calls.
   */
  private sample(db: Db, volatile: boolean, n: number): void {
    const out = this.sampled;
    if (!volatile || db.expires.size === db.size) {
      for (let i = 0; i < n && db.size !== 0; i++) out.push(db.randomKey()!);
      return;
    }
    const expires = db.expires;
    if (expires.size === 0) return;
    if (expires.size * 8 >= db.size) {
      for (let tries = n * 16; tries > 0 && out.length < n; tries--) {
        const key = db.randomKey()!;
        if (expires.has(key)) out.push(key);
      }
      if (out.length !== 0) return;
    }
    let cur = this.volatileCursors.get(db);
    if (cur === undefined || cur.map !== expires) {
      cur = { map: expires, it: expires.keys() };
      this.volatileCursors.set(db, cur);
    }
    while (out.length < n && out.length < expires.size) {
      const r = cur.it.next();
      if (r.done) cur.it = expires.keys();
      else out.push(r.value);
    }
  }
}
