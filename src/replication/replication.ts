/**
 * Replication state common to both roles, Redis's PSYNC2 model:
 *
 * - The replication stream is the sequence of write effects a master
 *   sends its replicas. It is identified by a replication ID (40 hex
 *   chars) and positions in it are offsets (master_repl_offset is the
 *   offset of the last byte produced).
 * - A master produces the stream from its own effects (server.propagation,
 *   see server/propagation.ts); a replica's stream is the one it receives
 *   from its master, byte for byte (so its own replicas — chained
 *   replication — get exactly the same bytes and offsets).
 * - The backlog (backlog.ts) keeps the recent stream for partial resyncs.
 *   Like Redis, nothing is counted until a backlog exists: it is created
 *   when the first replica connects (or when a replica first syncs), and
 *   master_repl_offset only grows while it exists.
 * - replid2/second_repl_offset remember the previous history after a
 *   promotion (shiftReplId), so the old master's other replicas can still
 *   partially resync with the promoted one up to that offset.
 * - Restarts: an RDB records the history at its cut (historyAux: repl-id,
 *   repl-offset, repl-stream-db); at start-up a replica takes it as its
 *   cached master (replica/link.ts) and a master resumes it (resumeAfterRestart).
 * - Lag: `clock` remembers when the stream reached each offset, so INFO
 *   can say how old the oldest byte a replica has not acknowledged is.
 *
 * The master side (this server's replicas: PSYNC, full syncs, ACKs,
 * WAIT) is in primary/primary.ts; the replica side (the link to our master) in
 * replica/link.ts. Both register here.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from '../server/server.js';
import { Backlog } from './backlog.js';
import { Primary } from './primary/primary.js';
import { Failover } from './primary/failover.js';
import { StreamClock } from './stream-clock.js';
import { expiredDeletionCommand } from '../keyspace/expiry.js';

const NO_REPLID = '0000000000000000000000000000000000000000';

/** A new random replication ID. */
export function newReplId(): string {
  return randomBytes(20).toString('hex');
}

/** The history an RDB file recorded in its AUX fields (repl-id, repl-offset, repl-stream-db). */
export interface RecordedHistory {
  replId: string;
  offset: number;
  streamDb: number;
}

/** The history recorded in a loaded RDB's AUX fields, or null when it has none (or a malformed one). */
export function recordedHistory(aux: Map<string, string> | undefined): RecordedHistory | null {
  const replId = aux?.get('repl-id');
  const offset = Number(aux?.get('repl-offset'));
  const streamDb = Number(aux?.get('repl-stream-db') ?? 0);
  if (replId === undefined || replId.length !== 40 || !Number.isSafeInteger(offset) || offset < 0) return null;
  return { replId, offset, streamDb: Number.isSafeInteger(streamDb) && streamDb >= 0 ? streamDb : 0 };
}

/** Something that receives the replication stream as it is produced (a replica connection). */
export interface StreamConsumer {
  /** Takes bytes of the stream, in order. */
  stream(bytes: Buffer): void;
}

export class Replication {
  replId = newReplId();
  replId2 = NO_REPLID;
  /** The first offset replId2's history does not cover any more (-1: none). */
  secondOffset = -1;
  backlog: Backlog | null = null;
  /** Receivers of the stream (connected replicas); see primary/primary.ts. */
  readonly consumers = new Set<StreamConsumer>();
  /** master_repl_offset while there is no backlog. */
  private idleOffset = 0;
  /** Stats: full syncs served, partial resyncs accepted and refused. */
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;

  /** CONFIG RESETSTAT: the sync counters start again from 0. */
  resetStats(): void {
    this.syncFull = 0;
    this.syncPartialOk = 0;
    this.syncPartialErr = 0;
  }
  /**
   * True while a replica executes its master's stream (replica/stream.ts):
   * keys past their expiry stay visible, since the master sends their DEL.
   */
  applyingMasterStream = false;
  /** When the stream reached each offset (the lag figures of INFO). */
  readonly clock = new StreamClock();
  /** This server's replicas: PSYNC/SYNC, full syncs, ACKs, WAIT (primary/primary.ts). */
  readonly primary: Primary;
  /** The FAILOVER command's state machine (primary/failover.ts). */
  readonly failover: Failover;
  private readonly feedOwnEffects = (bytes: Buffer) => this.feed(bytes);
  private ownEffectsAttached = false;

  constructor(private readonly server: Server) {
    this.primary = new Primary(server, this);
    this.failover = new Failover(server);
  }

  /** master_repl_offset: the offset of the last byte of the stream. */
  get offset(): number {
    return this.backlog !== null ? this.backlog.offset : this.idleOffset;
  }

  /**
   * Creates the backlog if there is none, starting at the current offset,
   * and (on a master) starts turning the server's write effects into the
   * stream.
   */
  ensureBacklog(): Backlog {
    if (this.backlog === null) {
      this.backlog = new Backlog(this.server.config.num('repl-backlog-size'), this.idleOffset);
    }
    this.followOwnEffects(!this.server.isReplica());
    return this.backlog;
  }

  /** Frees the backlog (repl-backlog-ttl without replicas); the offset stays where it is. */
  dropBacklog(): void {
    if (this.backlog === null) return;
    this.idleOffset = this.backlog.offset;
    this.backlog = null;
    this.followOwnEffects(false);
  }

  /**
   * Whether the server's own write effects feed the stream: yes on a
   * master with a backlog; no on a replica (its stream is its master's).
   */
  followOwnEffects(on: boolean): void {
    if (on === this.ownEffectsAttached) return;
    this.ownEffectsAttached = on;
    const p = this.server.propagation;
    if (on) {
      p.resetSelectedDb();
      p.addSink(this.feedOwnEffects);
    } else p.removeSink(this.feedOwnEffects);
  }

  /** Appends bytes to the stream: into the backlog and to every consumer. No-op without a backlog. */
  feed(bytes: Buffer): void {
    if (this.backlog === null) return;
    this.backlog.append(bytes);
    this.clock.note(this.backlog.offset, Date.now());
    for (const c of this.consumers) c.stream(bytes);
  }

  /**
   * Starts a new history after a promotion (REPLICAOF NO ONE, FAILOVER):
   * the current ID becomes replid2, valid up to the current offset, and a
   * new ID is drawn — or, on a replica whose master was promoted
   * (+CONTINUE <newid>), the master's new ID is taken. The stream's
   * SELECT state restarts.
   */
  shiftReplId(newId: string = newReplId()): void {
    this.replId2 = this.replId;
    this.secondOffset = this.offset + 1;
    this.replId = newId;
    this.server.propagation.resetSelectedDb();
  }

  /**
   * Forgets the history: a new ID, no previous one, no backlog (the offset
   * stays). Like Redis, a master does this when it creates a backlog from
   * scratch for its first replica, and when repl-backlog-ttl frees it.
   */
  newHistory(): void {
    this.replId = newReplId();
    this.replId2 = NO_REPLID;
    this.secondOffset = -1;
    this.dropBacklog();
  }

  /**
   * Adopts a master's history after a full sync: its ID and offset, no
   * previous history, and an empty backlog starting at that offset.
   */
  adoptHistory(replId: string, offset: number): void {
    this.replId = replId;
    this.replId2 = NO_REPLID;
    this.secondOffset = -1;
    this.idleOffset = offset;
    this.backlog = null;
    this.clock.clear();
    this.ensureBacklog();
  }

  /**
   * Start-up of a master from an RDB that recorded a history (what Redis
   * 7.0 does): a new replid, the file's as replid2 valid up to its offset,
   * master_repl_offset there and an empty backlog starting there — so the
   * replicas of the previous run, asking to continue that history, get
   * +CONTINUE <new replid>. The keys the load skipped as expired (which
   * those replicas still hold) are deleted in the new stream, DEL or
   * UNLINK as for any expired key, in file order — Redis 7.0 does the same.
   */
  resumeAfterRestart(h: RecordedHistory, expiredKeys: readonly [number, string][]): void {
    this.replId2 = h.replId;
    this.secondOffset = h.offset + 1;
    this.idleOffset = h.offset;
    this.backlog = null;
    this.clock.clear();
    this.ensureBacklog();
    const p = this.server.propagation;
    const del = expiredDeletionCommand(this.server.config);
    for (const [db, key] of expiredKeys) {
      p.record(db, [del, key]);
      p.commit();
    }
  }

  /**
   * The AUX fields that record this history in an RDB cut now, in Redis's
   * order: repl-stream-db (on a replica the db its master's stream has
   * selected; on a master the db its own stream last selected, 0 when the
   * next write will SELECT anyway), repl-id, repl-offset (the offset the
   * dataset at the cut reflects: a replica feeds bytes only once their
   * command ran). Like Redis, none when the server is in no replication
   * chain (a master without backlog, a replica without master history).
   */
  historyAux(): [string, string][] {
    const db = this.server.isReplica()
      ? this.server.replicaLink.streamDbForRdb()
      : this.backlog !== null
        ? Math.max(0, this.server.propagation.selectedDb)
        : null;
    if (db === null) return [];
    return [
      ['repl-stream-db', String(db)],
      ['repl-id', this.replId],
      ['repl-offset', String(this.offset)],
    ];
  }

  /**
   * ms since the stream produced the oldest byte after `acked` (0 when
   * nothing after it was produced): how far behind, in time, is a reader
   * that has processed up to acked.
   */
  lagMs(acked: number, now: number): number {
    if (acked >= this.offset) return 0;
    const t = this.clock.reachedAt(acked + 1);
    return t === null ? 0 : Math.max(0, now - t);
  }

  /**
   * Whether a replica asking to continue `replId` after offset `processed`
   * (PSYNC replid processed+1) can be served from the backlog.
   */
  canContinue(replId: string, processed: number): boolean {
    const wanted = processed + 1;
    const known = replId === this.replId || (replId === this.replId2 && wanted <= this.secondOffset);
    return known && this.backlog !== null && this.backlog.canServe(processed);
  }

  /** INFO replication's history fields, in Redis's order (after the role-specific ones). */
  historyInfo(): string[] {
    const b = this.backlog;
    return [
      `master_replid:${this.replId}`,
      `master_replid2:${this.replId2}`,
      `master_repl_offset:${this.offset}`,
      `second_repl_offset:${this.secondOffset}`,
      `repl_backlog_active:${b !== null ? 1 : 0}`,
      `repl_backlog_size:${b !== null ? b.size : this.server.config.num('repl-backlog-size')}`,
      `repl_backlog_first_byte_offset:${b !== null ? b.firstByteOffset : 0}`,
      `repl_backlog_histlen:${b !== null ? b.histlen : 0}`,
    ];
  }
}
