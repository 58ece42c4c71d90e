/**
 * The master side of replication: this server's replicas.
 *
 * A connection becomes a replica by sending PSYNC (or the legacy SYNC),
 * after announcing itself with REPLCONF (listening-port, ip-address,
 * capa eof / psync2). Then, per replica (states in primary/replica-conn.ts):
 *
 * 1. PSYNC <replid> <offset> that the backlog can serve (the current ID,
 *    or the previous one up to where it ended): `+CONTINUE [<replid>]`,
 *    the backlog bytes from offset on, Online at once (sync_partial_ok).
 * 2. Otherwise a full sync (sync_full; sync_partial_err when a known ID
 *    was refused): the replica waits in WaitBgsaveStart. The first replica
 *    creates the backlog (with a new replication ID, as Redis does: there
 *    is no valid past history). A sync starts when the snapshot slot is
 *    free and no other sync runs: at once for disk syncs, after
 *    repl-diskless-sync-delay seconds (or repl-diskless-sync-max-replicas
 *    waiting) for diskless ones, so replicas arriving together share one
 *    snapshot. Replicas arriving during a sync wait for the next one.
 *    The sync itself is primary/full-sync.ts.
 *    A replica capable of dual-channel sync is instead told to open an RDB
 *    channel (primary/dual-channel.ts), and its main channel streams while
 *    the RDB goes over that channel.
 * 3. Online: stream bytes go to the socket as produced (see
 *    Replication.feed); REPLCONF ACK <offset> records the replica's
 *    progress, which drives INFO's lag, min-replicas-to-write and WAIT
 *    (primary/wait.ts).
 *
 * Periodic work (cron, once a second unless said): PING into the stream
 * every repl-ping-replica-period seconds while there are replicas; a
 * newline to replicas still waiting for their RDB (keeps their read
 * timeout quiet); disconnecting replicas silent for repl-timeout (no ACK)
 * or whose full-sync transfer did not drain for repl-timeout; freeing
 * the backlog after repl-backlog-ttl seconds without replicas; and, every
 * tick, the `client-output-buffer-limit replica` rule and starting
 * pending syncs.
 *
 * What ends a replica: its connection closing for any reason (CLIENT
 * KILL, the limits above, the peer); it is then forgotten here and in
 * the stream's consumers.
 */
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import type { Replication } from '../replication.js';
import { ReplicaConn, ReplicaState, stateName } from './replica-conn.js';
import { FullSync, SyncTarget } from './full-sync.js';
import { ReplicaWaits } from './wait.js';
import { overLimit } from '../../server/output-limits.js';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { ReplyError, Err } from '../../util/errors.js';
import { parseLL } from '../../util/numbers.js';
import { acceptPromotion, FailoverState } from './failover.js';
import { claimRdbChannelStream, offerDualChannel } from './dual-channel.js';
import { ClientKind } from '../../server/client-kind.js';

const PING = Buffer.from(encodeCommand(['PING']), 'latin1');
const GETACK = Buffer.from(encodeCommand(['REPLCONF', 'GETACK', '*']), 'latin1');

export class Primary {
  /** Connected replicas by their client, in arrival order. */
  readonly replicas = new Map<Client, ReplicaConn>();
  /** What clients announced by REPLCONF before (or without) becoming replicas. */
  private readonly announced = new WeakMap<Client, ReplicaConn>();
  /** The full sync in progress, or null. */
  private sync: FullSync | null = null;
  readonly waits: ReplicaWaits;
  private noReplicasSince = Date.now();
  /** Whole seconds of cron run (the PING period counts in them, like Redis's replication cron). */
  private cronSeconds = 0;
  private lastSecondAt = Date.now();
  private ackRequested = false;
  /** min-replicas-to-write, kept in step with the option (read on every write). */
  private minReplicasToWrite: number;

  constructor(
    private readonly server: Server,
    private readonly repl: Replication,
  ) {
    this.waits = new ReplicaWaits(
      server.blocking,
      (offset) => this.countAcked(offset),
      () => this.requestAcks(),
    );
    server.cron.addTask(() => this.cron());
    this.minReplicasToWrite = server.config.num('min-replicas-to-write');
  }

  /** The online replicas for ROLE on a master: ip, listening port, last acknowledged offset. */
  onlineReplicas(): { ip: string; port: number; ackOffset: number }[] {
    return [...this.replicas.values()]
      .filter((r) => r.state === ReplicaState.Online)
      .map((r) => ({ ip: r.ip, port: r.listeningPort, ackOffset: r.ackOffset }));
  }

  /** min-replicas-to-write changed (the server's apply step). */
  refreshMinReplicas(): void {
    this.minReplicasToWrite = this.server.config.num('min-replicas-to-write');
  }

  /** Closes every replica connection (they reconnect and resync: this server's history changed). */
  disconnectReplicas(): void {
    for (const c of [...this.replicas.keys()]) c.close();
  }

  /** The replica state kept for c (created on its first REPLCONF or PSYNC). */
  conn(c: Client): ReplicaConn {
    let r = this.announced.get(c);
    if (r === undefined) this.announced.set(c, (r = new ReplicaConn(c, Date.now())));
    return r;
  }

  /**
   * PSYNC replid offset (psync true) or SYNC: turns c into a replica and
   * answers with a partial or a full resynchronization. Throws Redis's
   * error replies for a replica without its master link, pending output
   * or a bad offset.
   */
  handleSync(c: Client, argv: readonly string[], psync: boolean): void {
    if (c.is(ClientKind.Replica)) return;
    const server = this.server;
    // PSYNC <replid> <offset> FAILOVER: a master's FAILOVER asks us to take over (primary/failover.ts).
    if (psync && argv.length > 3 && argv[3]!.toLowerCase() === 'failover') acceptPromotion(server, c, argv);
    if (server.isReplica() && !server.replicaLink.linkUp) {
      throw new ReplyError("NOMASTERLINK Can't SYNC while not connected with my master");
    }
    if (c.reply.pendingBytes > 0 || c.socket.writableLength > 0) throw new ReplyError('ERR SYNC and PSYNC are invalid with pending output');
    const r = this.conn(c);
    const log = server.logger;
    log.notice(`Replica ${r.name} asks for synchronization`);
    if (psync) {
      const offset = parseLL(argv[2]!);
      if (offset === null) {
        log.warning(`Replica ${r.name} asks for synchronization but with a wrong offset`);
        throw new ReplyError(Err.notInteger);
      }
      // The main channel of a dual-channel sync continues its RDB channel's cut (primary/dual-channel.ts).
      if (r.rdbClientId !== null && claimRdbChannelStream(server, this.replicas, r, argv[1]!, offset, (x) => this.attach(x))) return;
      if (this.tryPartial(r, argv[1]!, offset)) {
        this.repl.syncPartialOk++;
        return;
      }
      if (argv[1]![0] !== '?') this.repl.syncPartialErr++;
      if (offerDualChannel(server, r)) return;
    } else r.legacy = !r.rdbChannel;
    this.repl.syncFull++;
    r.state = ReplicaState.WaitBgsaveStart;
    r.waitingSince = Date.now();
    this.attach(r);
    if (this.repl.backlog === null) {
      this.repl.newHistory();
      this.repl.ensureBacklog();
      log.notice(`Replication backlog created, my new replication IDs are '${this.repl.replId}' and '${this.repl.replId2}'`);
    }
    if (this.sync !== null) {
      if (this.sync.target === SyncTarget.Sockets) log.notice('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
      else if (this.sync.join(r)) log.notice('Waiting for end of BGSAVE for SYNC');
      else log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
    } else if (server.persistence.active !== null) {
      log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
    } else if (server.config.bool('repl-diskless-sync') && r.capaEof && server.config.num('repl-diskless-sync-delay') > 0) {
      log.notice('Delay next BGSAVE for diskless SYNC');
    } else this.startSync();
  }

  /**
   * The partial resynchronization attempt of PSYNC replid offset (the
   * first byte wanted): true when accepted and answered, false (logged
   * like Redis) when a full sync is needed.
   */
  private tryPartial(r: ReplicaConn, replId: string, offset: number): boolean {
    const repl = this.repl;
    const log = this.server.logger;
    const sameHistory = replId === repl.replId || (replId === repl.replId2 && offset <= repl.secondOffset);
    if (!sameHistory) {
      if (replId === '?') log.notice(`Full resync requested by replica ${r.name}`);
      else if (replId !== repl.replId && replId !== repl.replId2) {
        log.notice(
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replId}', my replication IDs are '${repl.replId}' and '${repl.replId2}')`,
        );
      } else {
        log.notice(
          `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${repl.secondOffset}`,
        );
      }
      return false;
    }
    if (!repl.canContinue(replId, offset - 1)) {
      log.notice(`Unable to partial resync with replica ${r.name} for lack of backlog (Replica request was: ${offset}).`);
      if (offset > repl.offset) {
        log.warning(`Warning: replica ${r.name} tried to PSYNC with an offset that is greater than the master replication offset.`);
      }
      return false;
    }
    const backlog = repl.backlog!;
    r.state = ReplicaState.Online;
    this.attach(r);
    r.write(r.capaPsync2 ? `+CONTINUE ${repl.replId}\r\n` : '+CONTINUE\r\n');
    const missed = backlog.bytesAfter(offset - 1);
    r.write(missed);
    repl.consumers.add(r);
    r.startStreaming();
    log.notice(
      `Partial resynchronization request from ${r.name} accepted. Sending ${missed.length} bytes of backlog starting from offset ${offset}.`,
    );
    return true;
  }

  /** Makes c's connection a replica: flags, bookkeeping, and forgetting it when it closes. */
  private attach(r: ReplicaConn): void {
    const c = r.client;
    c.kind = ClientKind.Replica;
    r.ackTime = Date.now();
    this.replicas.set(c, r);
    // A replica receives only the protocol's bytes: whatever a command it sends would reply is dropped.
    c.afterCommand = () => c.reply.discard();
    c.socket.on('drain', () => (r.lastDrained = Date.now()));
    c.socket.once('close', () => this.detach(r));
  }

  /** Forgets a replica whose connection closed. */
  private detach(r: ReplicaConn): void {
    if (!this.replicas.delete(r.client)) return;
    this.repl.consumers.delete(r);
    if (r.rdbChannel) this.server.logger.notice(`RDB channel of replica ${r.name} closed.`);
    else this.server.logger.warning(`Connection with replica ${r.name} lost.`);
    if (this.replicas.size === 0) this.noReplicasSince = Date.now();
    this.server.shutdown.check();
  }

  /**
   * Starts a full sync for every replica waiting for one, if the snapshot
   * slot is free: to their sockets when diskless sync is on and all of
   * them take the EOF form, else through the RDB file.
   */
  private startSync(): void {
    if (this.sync !== null) return;
    const waiting = [...this.replicas.values()].filter((r) => r.state === ReplicaState.WaitBgsaveStart && !r.client.closed);
    if (waiting.length === 0) return;
    // Effects already applied to the dataset (e.g. a cron task's expirations) must not follow the cut.
    this.server.propagation.commit();
    const snapshot = this.server.persistence.claimSnapshot('replication');
    if (snapshot === null) return;
    const target = this.server.config.bool('repl-diskless-sync') && waiting.every((r) => r.capaEof) ? SyncTarget.Sockets : SyncTarget.Disk;
    const sync = new FullSync(
      this.server,
      target,
      waiting,
      snapshot,
      (r) => this.putOnline(r),
      () => {
        this.sync = null;
        this.startPendingSync();
      },
    );
    this.sync = sync;
    sync.begin();
  }

  /**
   * Starts a sync for waiting replicas when it is time: always for disk
   * syncs; for diskless ones once the longest wait reaches
   * repl-diskless-sync-delay seconds or repl-diskless-sync-max-replicas
   * replicas wait.
   */
  private startPendingSync(): void {
    if (this.sync !== null || this.server.persistence.active !== null) return;
    let count = 0;
    let oldest = Infinity;
    for (const r of this.replicas.values()) {
      if (r.state !== ReplicaState.WaitBgsaveStart) continue;
      count++;
      oldest = Math.min(oldest, r.waitingSince);
    }
    if (count === 0) return;
    const config = this.server.config;
    if (config.bool('repl-diskless-sync')) {
      const idleSeconds = Math.floor((Date.now() - oldest) / 1000);
      const max = config.num('repl-diskless-sync-max-replicas');
      if (idleSeconds < config.num('repl-diskless-sync-delay') && (max === 0 || count < max)) return;
    }
    this.startSync();
  }

  /** A replica whose RDB was sent: online, acked now; an rdb-only one is disconnected once the RDB is flushed. */
  private putOnline(r: ReplicaConn): void {
    if (r.rdbOnly) {
      this.server.logger.notice(`RDB transfer completed, rdb only replica (${r.name}) should be disconnected asap`);
      r.client.socket.destroySoon();
      return;
    }
    r.state = ReplicaState.Online;
    r.ackTime = Date.now();
    this.server.logger.notice(`Synchronization with replica ${r.name} succeeded`);
  }

  /**
   * REPLCONF ACK <offset> from c: records the replica's progress (ignored
   * from a client that is not a replica, or with a bad offset), starts its
   * stream after a diskless transfer, and releases satisfied WAITs.
   */
  onAck(c: Client, offsetText: string): void {
    const r = this.replicas.get(c);
    if (r === undefined) return;
    const offset = parseLL(offsetText);
    if (offset === null) return;
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackTime = Date.now();
    if (r.state === ReplicaState.StreamWhileLoading) this.putOnline(r);
    else if (r.state === ReplicaState.Online && !r.streaming) r.startStreaming();
    this.waits.check();
    this.repl.failover.progress();
    this.server.shutdown.check();
  }

  /** Online replicas that acknowledged at least offset. */
  countAcked(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === ReplicaState.Online && r.ackOffset >= offset) n++;
    return n;
  }

  /** Online replicas whose last ACK is at most min-replicas-max-lag seconds old. */
  goodReplicas(): number {
    const maxLag = this.server.config.num('min-replicas-max-lag');
    const now = Date.now();
    let n = 0;
    for (const r of this.replicas.values()) {
      if (r.state === ReplicaState.Online && Math.floor((now - r.ackTime) / 1000) <= maxLag) n++;
    }
    return n;
  }

  /** Whether writes are refused with NOREPLICAS (min-replicas-to-write not met on a master). Per write: cheap when off. */
  refusesWrites(): boolean {
    if (this.minReplicasToWrite === 0 || this.server.isReplica()) return false;
    return this.server.config.num('min-replicas-max-lag') !== 0 && this.goodReplicas() < this.minReplicasToWrite;
  }

  /** Feeds REPLCONF GETACK * into the stream at the end of this event-loop turn (once). */
  requestAcks(): void {
    if (this.ackRequested) return;
    this.ackRequested = true;
    setImmediate(() => {
      this.ackRequested = false;
      this.repl.feed(GETACK);
    });
  }

  /**
   * INFO replication's lines about replicas: connected_slaves,
   * min_slaves_good_slaves, slaveN. The RDB channels of dual-channel syncs
   * are not replicas of their own and are left out.
   */
  info(): string[] {
    const config = this.server.config;
    const listed = [...this.replicas.values()].filter((r) => !r.rdbChannel);
    const out = [`connected_slaves:${listed.length}`];
    if (config.num('min-replicas-to-write') > 0 && config.num('min-replicas-max-lag') > 0)
      out.push(`min_slaves_good_slaves:${this.goodReplicas()}`);
    const now = Date.now();
    let i = 0;
    for (const r of listed) {
      const ip = r.ip;
      if (ip === '') continue;
      const lag = Math.floor((now - r.ackTime) / 1000);
      // lag_bytes and lag_ms are nodis extensions (README, "Lag"), appended after Redis's fields.
      const lagBytes = Math.max(0, this.repl.offset - r.ackOffset);
      const lagMs = this.repl.lagMs(r.ackOffset, now);
      out.push(
        `slave${i++}:ip=${ip},port=${r.listeningPort},state=${stateName(r.state)},offset=${r.ackOffset},lag=${lag},lag_bytes=${lagBytes},lag_ms=${lagMs}`,
      );
    }
    return out;
  }

  /** Every tick: output limits and pending syncs; once a second: the rest (see the file comment). */
  private cron(): void {
    this.enforceOutputLimits();
    this.startPendingSync();
    const now = Date.now();
    if (now - this.lastSecondAt < 1000) return;
    this.lastSecondAt = now;
    this.cronSeconds++;
    const config = this.server.config;
    // No PING while a FAILOVER waits for a replica to reach master_repl_offset (it would move it), as in Redis.
    const failoverWaits = this.repl.failover.state === FailoverState.WaitingForSync;
    if (
      this.replicas.size > 0 &&
      !this.server.isReplica() &&
      !failoverWaits &&
      this.cronSeconds % config.num('repl-ping-replica-period') === 0
    ) {
      this.repl.feed(PING);
    }
    this.keepWaitingReplicasAlive();
    this.dropTimedOut(now, config.num('repl-timeout') * 1000);
    this.expireBacklog(now);
  }

  /** A newline to replicas waiting for a sync to start or for the RDB file, so their link stays alive. */
  private keepWaitingReplicasAlive(): void {
    const diskless = this.sync?.target === SyncTarget.Sockets;
    for (const r of this.replicas.values()) {
      if (r.state === ReplicaState.WaitBgsaveStart || (r.state === ReplicaState.WaitBgsaveEnd && !diskless)) r.write('\n');
    }
  }

  /** Closes replicas silent (online) or stuck (full-sync transfer) for longer than repl-timeout. */
  private dropTimedOut(now: number, timeoutMs: number): void {
    const log = this.server.logger;
    for (const r of this.replicas.values()) {
      const socket = r.client.socket;
      if (socket.writableLength === 0) r.lastDrained = now;
      if (r.state === ReplicaState.Online && !r.legacy && now - r.ackTime > timeoutMs) {
        log.warning(`Disconnecting timedout replica (streaming sync): ${r.name}`);
        r.client.close();
      } else if (
        (r.state === ReplicaState.SendBulk ||
          r.state === ReplicaState.StreamWhileLoading ||
          (r.state === ReplicaState.WaitBgsaveEnd && this.sync?.target === SyncTarget.Sockets)) &&
        now - r.lastDrained > timeoutMs
      ) {
        log.warning(`Disconnecting timedout replica (full sync): ${r.name}`);
        r.client.close();
      }
    }
  }

  /** repl-backlog-ttl: frees the backlog (and starts a new history) after that long without replicas. */
  private expireBacklog(now: number): void {
    const ttl = this.server.config.num('repl-backlog-ttl');
    if (this.replicas.size > 0 || ttl === 0 || this.repl.backlog === null || this.server.isReplica()) return;
    const idle = Math.floor((now - this.noReplicasSince) / 1000);
    if (idle <= ttl) return;
    this.repl.newHistory();
    this.server.logger.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
  }

  /** client-output-buffer-limit replica: closes replicas whose owed bytes break the limit. */
  private enforceOutputLimits(): void {
    if (this.replicas.size === 0) return;
    const limit = { ...this.server.outputLimits.replica };
    // As Redis: a hard limit below repl-backlog-size is raised to it, so what a partial resync may send fits.
    const backlogSize = this.server.config.num('repl-backlog-size');
    if (limit.hard > 0 && limit.hard < backlogSize) limit.hard = backlogSize;
    const now = Date.now();
    for (const r of this.replicas.values()) {
      if (r.client.closed || !overLimit(limit, r.outputBytes, r, now)) continue;
      r.client.closeOverOutputLimit();
    }
  }
}
