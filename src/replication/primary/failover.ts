/**
 * FAILOVER: a master hands its role to one of its replicas without losing
 * a write, as in Redis 7.0. The coordinated switch is an ordered state
 * machine (INFO replication's master_failover_state names the states):
 *
 *   None            no-failover
 *   WaitingForSync  waiting-for-sync: writes are paused (like CLIENT PAUSE
 *                   WRITE, but independent of it), and at once, then on
 *                   every cron tick and REPLCONF ACK, an online replica
 *                   (the target, or any) whose acknowledged offset is
 *                   master_repl_offset is looked for. Like Redis, nothing
 *                   is fed into the stream meanwhile (no GETACK: it would
 *                   move the offset the replica must reach, and a replica
 *                   answers it with the offset before it); replicas ACK
 *                   every second on their own
 *   InProgress      failover-in-progress: this server became a replica of
 *                   that replica (REPLICAOF, keeping its own history as the
 *                   cached master) and its PSYNC carries the FAILOVER hint
 *                   (`PSYNC <replid> <offset+1> FAILOVER`), which makes the
 *                   target promote itself before answering +CONTINUE
 *
 * Ways out, each back to None with writes unpaused:
 * - the target accepts the PSYNC (+CONTINUE or +FULLRESYNC): done — the
 *   paused writes run and get -READONLY;
 * - the target answers PSYNC with an error: aborted, master again;
 * - TIMEOUT elapses in WaitingForSync: aborted, unless FORCE (which needs
 *   a target), which fails over to the target anyway;
 * - FAILOVER ABORT: aborted; in InProgress this server becomes a master
 *   again (REPLICAOF NO ONE, its history continuing under a new replid).
 * There is no timeout in InProgress (the link keeps retrying), as observed
 * with Redis. While not None, REPLICAOF is refused and CLIENT UNPAUSE does
 * not end the write pause.
 *
 * The target side (any replica, nodis or Redis, asked by a nodis or Redis
 * master) is acceptPromotion(): a PSYNC whose replid is this server's own
 * promotes it (REPLICAOF NO ONE), and the PSYNC then continues the history
 * as a partial resync from replid2.
 */
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import { clientInfoLine } from '../../server/client-info.js';
import { ReplyError } from '../../util/errors.js';
import { nowMs } from '../../util/clock.js';
import { ReplicaState, type ReplicaConn } from './replica-conn.js';

export const enum FailoverState {
  None,
  WaitingForSync,
  InProgress,
}

const STATE_NAMES = ['no-failover', 'waiting-for-sync', 'failover-in-progress'];

/** A replica named by FAILOVER TO host port. */
export interface FailoverTarget {
  host: string;
  port: number;
}

/** Whether replica r is the one FAILOVER TO named (its announced or peer IP, and listening port). */
function isTarget(r: ReplicaConn, target: FailoverTarget): boolean {
  return r.ip.toLowerCase() === target.host.toLowerCase() && r.listeningPort === target.port;
}

export class Failover {
  state = FailoverState.None;
  /** FAILOVER TO's replica, or the one chosen once synced; null: any replica. */
  private target: FailoverTarget | null = null;
  private force = false;
  /** Date.now() at which WaitingForSync times out; 0: no TIMEOUT. */
  private endMs = 0;

  constructor(private readonly server: Server) {
    server.cron.addTask(() => this.progress());
  }

  /** INFO replication's master_failover_state value. */
  get stateName(): string {
    return STATE_NAMES[this.state]!;
  }

  /** True while this server's PSYNC must carry the FAILOVER hint. */
  get inProgress(): boolean {
    return this.state === FailoverState.InProgress;
  }

  /**
   * FAILOVER [TO host port [FORCE]] [TIMEOUT ms], parsed: checks the
   * server and target as Redis does (in its order), then pauses writes and
   * starts waiting for the replica to catch up.
   */
  start(target: FailoverTarget | null, timeoutMs: number, force: boolean): void {
    const server = this.server;
    if (server.isReplica()) throw new ReplyError('ERR FAILOVER is not valid when server is a replica.');
    const replicas = server.replication.primary.replicas;
    if (replicas.size === 0) throw new ReplyError('ERR FAILOVER requires connected replicas.');
    if (this.state !== FailoverState.None) throw new ReplyError('ERR FAILOVER already in progress.');
    if (force && (timeoutMs === 0 || target === null)) {
      throw new ReplyError('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    }
    if (target !== null) {
      const r = [...replicas.values()].find((x) => isTarget(x, target));
      if (r === undefined) throw new ReplyError('ERR FAILOVER target HOST and PORT is not a replica.');
      if (r.state !== ReplicaState.Online) throw new ReplyError('ERR FAILOVER target replica is not online.');
    }
    this.target = target;
    this.force = force;
    this.endMs = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    this.state = FailoverState.WaitingForSync;
    server.logger.notice(`FAILOVER requested to ${this.describe()}.`);
    server.pause.holdWrites();
    this.progress();
  }

  /** FAILOVER ABORT. */
  abortCommand(): void {
    if (this.state === FailoverState.None) throw new ReplyError('ERR No failover in progress.');
    this.abort('Failover manually aborted');
  }

  /**
   * Every tick and on every REPLCONF ACK (primary/primary.ts): the timeout, then
   * whether a replica caught up (WaitingForSync only).
   */
  progress(): void {
    if (this.state !== FailoverState.WaitingForSync) return;
    if (this.endMs !== 0 && Date.now() >= this.endMs) {
      if (!this.force) return this.abort('Replica never caught up before timeout');
      this.server.logger.notice(`FAILOVER to ${this.describe()} time out exceeded, failing over.`);
      return this.failOver(this.target!);
    }
    const offset = this.server.replication.offset;
    for (const r of this.server.replication.primary.replicas.values()) {
      if (r.state !== ReplicaState.Online || r.ackOffset !== offset) continue;
      if (this.target !== null && !isTarget(r, this.target)) continue;
      const chosen = { host: r.ip, port: r.listeningPort };
      this.server.logger.notice(`Failover target ${chosen.host}:${chosen.port} is synced, failing over.`);
      return this.failOver(chosen);
    }
  }

  /** WaitingForSync → InProgress: follow the target; the replica link sends PSYNC … FAILOVER. */
  private failOver(target: FailoverTarget): void {
    this.target = target;
    this.state = FailoverState.InProgress;
    this.server.replicaLink.setMaster(target.host, target.port);
  }

  /** The replica link's PSYNC got +CONTINUE or +FULLRESYNC from the target: the failover is done. */
  onPsyncAccepted(): void {
    if (this.state === FailoverState.InProgress) this.finish();
  }

  /** The replica link's PSYNC got an error from the target: abort, master again. */
  onPsyncRejected(): void {
    if (this.state === FailoverState.InProgress) this.abort('Failover target rejected psync request');
  }

  /** Back to None, and a master again if the switch had begun. */
  private abort(reason: string): void {
    this.server.logger.notice(`FAILOVER to ${this.describe()} aborted: ${reason}`);
    const wasInProgress = this.state === FailoverState.InProgress;
    this.finish();
    if (wasInProgress) this.server.replicaLink.unsetMaster();
  }

  private finish(): void {
    // Release the write hold once (holds are counted; SHUTDOWN may hold one too).
    if (this.state !== FailoverState.None) this.server.pause.releaseWrites();
    this.state = FailoverState.None;
    this.target = null;
    this.force = false;
    this.endMs = 0;
  }

  private describe(): string {
    return this.target === null ? 'any replica' : `${this.target.host}:${this.target.port}`;
  }
}

/**
 * The target side: PSYNC <replid> <offset> FAILOVER from client c. The
 * replid must be this server's own (the sender follows the same history);
 * then this server stops being a replica (a no-op on a master) and the
 * PSYNC goes on as usual. Throws Redis's error otherwise.
 */
export function acceptPromotion(server: Server, c: Client, argv: readonly string[]): void {
  const replId = argv[1]!;
  if (replId !== server.replication.replId) throw new ReplyError('ERR PSYNC FAILOVER replid must match my replid.');
  server.logger.warning(`Failover request received for replid ${replId}.`);
  if (!server.isReplica()) return;
  server.replicaLink.unsetMaster();
  server.logger.notice(`MASTER MODE enabled (failover request from '${clientInfoLine(c, nowMs(), argv)}')`);
}
