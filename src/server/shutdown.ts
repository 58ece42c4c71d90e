/**
 * Shutting down as Redis 7.0 does (SHUTDOWN, and SIGTERM/SIGINT with the
 * flags of shutdown-on-sigterm / shutdown-on-sigint):
 *
 * 1. Wait for lagging replicas — unless NOW, shutdown-timeout is 0, or
 *    every replica already acknowledged master_repl_offset. Writes are
 *    paused (write commands wait, as under CLIENT PAUSE WRITE, so the
 *    offset stops moving), replicas are asked for an ACK (REPLCONF
 *    GETACK), and the SHUTDOWN client blocks. The wait ends as soon as
 *    every replica acknowledged the offset or left (checked on each ACK
 *    and disconnection), or after
 *    shutdown-timeout seconds. `SHUTDOWN ABORT` cancels it ("Shutdown
 *    manually aborted."): writes resume and the waiting SHUTDOWN gets
 *    "-ERR Errors trying to SHUTDOWN. Check logs.".
 * 2. The replicas still behind are logged ("Lagging replica …"), then
 *    "N of M replicas are in sync when shutting down.".
 * 3. The final save (Server.prepareShutdown). If it fails without FORCE
 *    the server keeps running: writes resume, SHUTDOWN gets the error.
 * 4. Exit (Server.shutdownAndExit).
 *
 * A replica that waits (its own replicas lag) waits the same way; the
 * replicas counted are every connection that asked for a sync, whatever
 * its state (as in Redis), except the RDB channels of dual-channel syncs.
 */
import type { Client } from './client.js';
import type { Server } from './server.js';
import { Serve } from '../blocking/registry.js';
import { ReplicaState, stateName, type ReplicaConn } from '../replication/primary/replica-conn.js';

export interface ShutdownFlags {
  save?: boolean;
  nosave?: boolean;
  now?: boolean;
  force?: boolean;
}

/** The reply of a SHUTDOWN that did not shut down. */
export const SHUTDOWN_FAILED = 'ERR Errors trying to SHUTDOWN. Check logs.';

/** Who asked for the shutdown in progress: a blocked SHUTDOWN client, or a signal (null). */
interface Requester {
  client: Client | null;
  /** Called when the sequence ends without exiting (abort, failed save). */
  onFailure: () => void;
}

interface Pending {
  /** The first request's flags (later requests join the wait, as in Redis). */
  flags: ShutdownFlags;
  requesters: Requester[];
  timer: NodeJS.Timeout;
  /** Date.now() at which the wait gives up (shutdown-timeout after it began). */
  deadline: number;
}

export class ShutdownSequence {
  private pending: Pending | null = null;

  constructor(private readonly server: Server) {}

  /** Whether a shutdown waits for replicas. */
  get inProgress(): boolean {
    return this.pending !== null;
  }

  /** INFO shutdown_in_milliseconds: how long the wait for replicas may still last; null when none is in progress. */
  get msLeft(): number | null {
    return this.pending === null ? null : Math.max(this.pending.deadline - Date.now(), 0);
  }

  /**
   * Starts shutting down with flags (see the file comment). `client` is
   * the SHUTDOWN caller (blocked while replicas are awaited) or null for a
   * signal. onFailure runs, and the server goes on, if the sequence ends
   * without exiting (the final save failed, or ABORT). A request while a
   * wait is in progress joins it (its flags are not used), as in Redis.
   */
  request(client: Client | null, flags: ShutdownFlags, onFailure: () => void): void {
    const server = this.server;
    const joining = this.pending;
    if (joining !== null) {
      this.block(client);
      joining.requesters.push({ client, onFailure });
      return;
    }
    server.logger.warning('User requested shutdown...');
    const timeoutMs = server.config.num('shutdown-timeout') * 1000;
    if (flags.now || timeoutMs === 0 || this.lagging().length === 0) return this.finish(flags, onFailure);
    server.logger.notice('Waiting for replicas before shutting down.');
    server.pause.holdWrites();
    const timer = setTimeout(() => this.endWait(), timeoutMs);
    this.pending = { flags, requesters: [{ client, onFailure }], timer, deadline: Date.now() + timeoutMs };
    this.block(client);
    server.replication.primary.requestAcks();
  }

  /** Blocks a SHUTDOWN client while replicas are awaited (it reads nothing more; CLIENT UNBLOCK cannot end it). */
  private block(client: Client | null): void {
    if (client === null) return;
    this.server.blocking.block(client, client.db, [], 0, {
      serve: () => Serve.Skip,
      replyTimeout: () => undefined,
      refusesUnblock: true,
    });
  }

  /** SHUTDOWN ABORT: cancels a wait for replicas; false when none is in progress. */
  abort(): boolean {
    const p = this.takePending();
    if (p === null) return false;
    this.server.logger.notice('Shutdown manually aborted.');
    this.fail(p);
    return true;
  }

  /** After an ACK or a replica leaving: ends the wait once no replica lags. */
  check(): void {
    if (this.pending !== null && this.lagging().length === 0) this.endWait();
  }

  /** The wait is over (replicas in sync, or the timeout): go on shutting down. */
  private endWait(): void {
    const p = this.takePending();
    if (p !== null) this.finish(p.flags, () => this.fail(p));
  }

  /** The server goes on: every requester's client resumes and gets its failure reply. */
  private fail(p: Pending): void {
    for (const r of p.requesters) {
      const c = r.client;
      if (c !== null && c.blocked !== null) this.server.blocking.end(c);
      r.onFailure();
    }
  }

  /** Forgets the pending wait: its timer and the write pause (the clients stay blocked). */
  private takePending(): Pending | null {
    const p = this.pending;
    if (p === null) return null;
    this.pending = null;
    clearTimeout(p.timer);
    this.server.pause.releaseWrites();
    return p;
  }

  /** Steps 2–4: log the replicas' state, save, exit; or onFailure when the save failed. */
  private finish(flags: ShutdownFlags, onFailure: () => void): void {
    this.logReplicas();
    if (!this.server.prepareShutdown(flags)) return onFailure();
    void this.server.shutdownAndExit();
  }

  /** The replicas counted (see the file comment). */
  private replicas(): ReplicaConn[] {
    return [...this.server.replication.primary.replicas.values()].filter((r) => !r.rdbChannel);
  }

  /** Replicas whose acknowledged offset is not master_repl_offset. */
  private lagging(): ReplicaConn[] {
    const offset = this.server.replication.offset;
    return this.replicas().filter((r) => r.ackOffset !== offset);
  }

  private logReplicas(): void {
    const all = this.replicas();
    if (all.length === 0) return;
    const log = this.server.logger;
    const offset = this.server.replication.offset;
    const lagging = this.lagging();
    const now = Date.now();
    for (const r of lagging) {
      const lag = r.state === ReplicaState.Online ? Math.floor((now - r.ackTime) / 1000) : 0;
      log.warning(
        `Lagging replica ${r.name} reported offset ${offset - r.ackOffset} behind master, lag=${lag}, state=${stateName(r.state)}.`,
      );
    }
    log.notice(`${all.length - lagging.length} of ${all.length} replicas are in sync when shutting down.`);
  }
}
