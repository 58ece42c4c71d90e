/**
 * Clients blocked on keys (BLPOP, BLMOVE, BLMPOP …) and how they are woken,
 * like Redis 7.0's blocked.c:
 *
 * - block(): a client whose blocking command found nothing waits on its
 *   keys of one database, after every client already waiting on them, with
 *   an optional timeout. While blocked it reads no further commands.
 * - keyReady(): a key that clients wait on received data (the commands
 *   signal it through server.events.ready). Ready keys are collected, in
 *   the order they became ready, and served by serveReady(), which the
 *   execution path runs after each command (after EXEC as a whole, never
 *   inside it), before the next command runs.
 * - serveReady(): for each ready key, offers it to its waiters in the
 *   order they blocked (skipping those that take another type), until the
 *   key is empty. Serving may make other keys ready (BLMOVE's
 *   destination), which are served in the same pass.
 * - A waiter leaves by being served, by its timeout (a null reply), by
 *   CLIENT UNBLOCK (its timeout reply or an UNBLOCKED error) or by its
 *   client disconnecting. Its client then resumes reading commands.
 * - disconnectAll(): a master turning into a replica ends every wait with
 *   an UNBLOCKED error and closes those clients: what they wait for was
 *   accepted by a master, and serving them from the new master's stream
 *   would apply writes that stream does not hold (Redis issue #2473).
 */
import type { Db } from '../keyspace/db.js';
import type { Client } from '../server/client.js';
import { Err } from '../util/errors.js';
import { refreshClockAt } from '../util/clock.js';

/** setTimeout's longest delay; longer waits re-arm in steps. */
const MAX_TIMER_MS = 0x7fffffff;

/** The outcome of offering a ready key to a waiter. */
export const enum Serve {
  /** The command completed (with its reply, possibly an error): the wait ends. */
  Done,
  /** The key holds another type than this waiter takes: try the next waiter. */
  Skip,
  /** The key has nothing left (missing or empty): stop serving it. */
  Stop,
}

/** What a blocked command does when a key it waits on may serve it, or when it gives up. */
export interface Waiter {
  /**
   * Tries to complete the blocked command from key: replies, applies and
   * propagates its effects (Serve.Done), or changes nothing and says why
   * not (the client keeps waiting).
   */
  serve(key: string): Serve;
  /** Writes the reply for a timeout (and CLIENT UNBLOCK … TIMEOUT). */
  replyTimeout(): void;
  /** CLIENT UNBLOCK cannot end this wait (SHUTDOWN's, as in Redis). */
  readonly refusesUnblock?: boolean;
}

/** A blocked client's wait: what it waits on and until when. */
export class BlockedState {
  timer: NodeJS.Timeout | null = null;

  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly keys: readonly string[],
    readonly waiter: Waiter,
    /** Absolute time in ms the wait ends, 0 for never. */
    readonly deadline: number,
  ) {}
}

export class BlockingRegistry {
  /** By database number: key → the waits on it, in the order they began. */
  private readonly byDb: (Map<string, Set<BlockedState>> | undefined)[] = [];
  /** Keys that became ready since the last serveReady(), in order, without repeats. */
  private readyDbs: Db[] = [];
  private readyKeys: string[] = [];
  private readonly readySeen = new Set<string>();
  /** Blocked clients, and how many of them have a timeout (INFO clients). */
  blockedCount = 0;
  withTimeout = 0;

  /**
   * Blocks client c on keys of db until served, timed out (after
   * timeoutMs; 0 waits forever) or unblocked.
   */
  block(c: Client, db: Db, keys: readonly string[], timeoutMs: number, waiter: Waiter): void {
    const deadline = timeoutMs === 0 ? 0 : Date.now() + timeoutMs;
    const state = new BlockedState(c, db, keys, waiter, deadline);
    let map = this.byDb[db.id];
    if (map === undefined) this.byDb[db.id] = map = new Map();
    for (const key of keys) {
      let waits = map.get(key);
      if (waits === undefined) map.set(key, (waits = new Set()));
      waits.add(state);
    }
    c.blocked = state;
    this.blockedCount++;
    if (deadline !== 0) {
      this.withTimeout++;
      this.armTimer(state);
    }
  }

  /** Schedules the timeout check of a wait, in steps setTimeout can take. */
  private armTimer(state: BlockedState): void {
    const delay = Math.min(Math.max(state.deadline - Date.now(), 0), MAX_TIMER_MS);
    state.timer = setTimeout(() => {
      if (state.client.blocked !== state) return;
      if (Date.now() < state.deadline) this.armTimer(state);
      else {
        state.waiter.replyTimeout();
        this.unblock(state);
      }
    }, delay);
  }

  /** Records that key of db received data, if anyone waits on it. */
  keyReady(db: Db, key: string): void {
    if (this.blockedCount === 0 || this.byDb[db.id]?.has(key) !== true) return;
    const id = `${db.id}\0${key}`;
    if (this.readySeen.has(id)) return;
    this.readySeen.add(id);
    this.readyDbs.push(db);
    this.readyKeys.push(key);
  }

  /** Marks ready every key waited on in db that now exists (after SWAPDB brought new contents). */
  keysReplaced(db: Db): void {
    const map = this.byDb[db.id];
    if (map === undefined) return;
    for (const key of map.keys()) if (db.dict.has(key)) this.keyReady(db, key);
  }

  /** Whether serveReady() has work. */
  get hasReady(): boolean {
    return this.readyKeys.length > 0;
  }

  /** Serves the waiters of every ready key (see the file comment). */
  serveReady(): void {
    while (this.readyKeys.length > 0) {
      const dbs = this.readyDbs;
      const keys = this.readyKeys;
      this.readyDbs = [];
      this.readyKeys = [];
      this.readySeen.clear();
      for (let i = 0; i < keys.length; i++) this.serveKey(dbs[i]!, keys[i]!);
    }
  }

  /**
   * Offers key to its waiters in blocking order while they take from it.
   * The clock is read afresh first, as Redis does for each ready key: a key
   * that expired during the command that readied it (an EXEC with a DEBUG
   * SLEEP) is then found expired, and deleted rather than served.
   */
  private serveKey(db: Db, key: string): void {
    const waits = this.byDb[db.id]?.get(key);
    if (waits === undefined) return;
    refreshClockAt(performance.now());
    for (const state of [...waits]) {
      if (state.client.blocked !== state) continue;
      const stats = state.client.server.stats;
      const errorsBefore = stats.errorReplies;
      const outcome = state.waiter.serve(key);
      if (outcome === Serve.Stop) break;
      if (outcome === Serve.Done) {
        // Served with an error (BLMOVE into a key of another type): the blocked command failed.
        if (stats.errorReplies !== errorsBefore) this.countFailure(state);
        this.unblock(state);
      }
    }
  }

  /** Counts a failed call of the command c waited in (INFO commandstats failed_calls). */
  private countFailure(state: BlockedState): void {
    const cmd = state.client.lastCommand;
    if (cmd !== null) cmd.failedCalls++;
  }

  /**
   * CLIENT UNBLOCK: ends c's wait with its timeout reply, or with the
   * UNBLOCKED error when asked. Returns false when c is not blocked, or
   * its wait refuses CLIENT UNBLOCK.
   */
  unblockByRequest(c: Client, withError: boolean): boolean {
    const state = c.blocked;
    if (state === null || state.waiter.refusesUnblock === true) return false;
    if (withError) c.error(Err.unblocked);
    else state.waiter.replyTimeout();
    // Redis 7.0 counts the unblocked command as failed either way, TIMEOUT included.
    this.countFailure(state);
    this.unblock(state);
    return true;
  }

  /**
   * Ends the wait of every blocked client among clients (those on keys,
   * WAIT and SHUTDOWN alike) with the error text, and closes each once
   * its reply is written, as Redis's disconnectAllBlockedClients. Clients
   * held by CLIENT PAUSE are not blocked here and keep their command.
   */
  disconnectAll(clients: Iterable<Client>, text: string): void {
    for (const c of clients) {
      if (c.blocked === null) continue;
      c.error(text);
      this.release(c.blocked);
      c.closeAfterReply = true;
      c.flush();
    }
  }

  /** Ends c's wait, its reply written by the caller (SHUTDOWN's); c resumes reading commands. */
  end(c: Client): void {
    if (c.blocked !== null) this.unblock(c.blocked);
  }

  /** Drops c's wait without a reply (its connection closed). */
  forget(c: Client): void {
    if (c.blocked !== null) this.release(c.blocked);
  }

  /** Ends a wait whose reply is written; the client resumes reading commands. */
  private unblock(state: BlockedState): void {
    this.release(state);
    const c = state.client;
    setImmediate(() => {
      if (!c.closed && c.blocked === null) c.processInput();
    });
  }

  /** Removes a wait from the keys, its timer and the counts. */
  private release(state: BlockedState): void {
    const map = this.byDb[state.db.id]!;
    for (const key of state.keys) {
      const waits = map.get(key);
      if (waits === undefined) continue;
      waits.delete(state);
      if (waits.size === 0) map.delete(key);
    }
    if (state.timer !== null) clearTimeout(state.timer);
    if (state.deadline !== 0) this.withTimeout--;
    this.blockedCount--;
    state.client.blocked = null;
  }
}
