/**
 * One replica of this server, seen from the master: the client connection
 * that sent PSYNC or SYNC, what it announced with REPLCONF, what it
 * acknowledged, and the part of the replication stream it is owed.
 *
 * States, an ordered enum (so "not yet online" is `state < Online`):
 *
 *   WaitBgsaveStart → WaitBgsaveEnd → SendBulk → Online
 *   (dual-channel main channel:)       StreamWhileLoading → Online
 *
 * - WaitBgsaveStart: a full sync was decided; the replica waits for a
 *   snapshot to start (the diskless delay, or another sync in progress).
 * - WaitBgsaveEnd: the snapshot's cut was taken (+FULLRESYNC sent); from
 *   then on every stream byte is queued for it. A diskless transfer writes
 *   the RDB to its socket in this state; a disk sync writes the file.
 * - SendBulk: the RDB file is being sent as `$<len>` bulk (disk syncs).
 * - StreamWhileLoading: the main channel of a dual-channel full sync
 *   (primary/dual-channel.ts): the RDB goes over the replica's other
 *   connection while stream bytes go to this socket at once, buffered by
 *   the replica until it has loaded the RDB; its first REPLCONF ACK puts it
 *   Online.
 * - Online: the RDB (or the backlog for +CONTINUE) was sent; stream bytes
 *   go to the socket at once. After a diskless transfer the replica cannot
 *   tell where the RDB ends if stream bytes follow it at once, so (as in
 *   Redis) the queued stream is held until its first REPLCONF ACK.
 *
 * Any state ends when the connection closes (CLIENT KILL, timeouts, output
 * buffer limits, the peer leaving); primary/primary.ts then forgets the replica.
 * Writes to the socket bypass the client's reply writer: a replica only
 * ever receives the protocol's lines, the RDB and the stream.
 */
import type { Client } from '../../server/client.js';
import type { StreamConsumer } from '../replication.js';

export const enum ReplicaState {
  WaitBgsaveStart,
  WaitBgsaveEnd,
  SendBulk,
  StreamWhileLoading,
  Online,
}

/** INFO replication's state names. */
export function stateName(s: ReplicaState): string {
  if (s === ReplicaState.Online) return 'online';
  if (s === ReplicaState.SendBulk) return 'send_bulk';
  return 'wait_bgsave';
}

export class ReplicaConn implements StreamConsumer {
  state = ReplicaState.WaitBgsaveStart;
  /** REPLCONF capa eof: takes the diskless `$EOF:` form. */
  capaEof = false;
  /** REPLCONF capa psync2: understands +CONTINUE <replid>. */
  capaPsync2 = false;
  /** REPLCONF listening-port (0: not announced). */
  listeningPort = 0;
  /** REPLCONF ip-address ('' : the peer address is used). */
  announcedIp = '';
  /** REPLCONF rdb-only 1: wants the RDB only (redis-cli --rdb); disconnected once it is sent. */
  rdbOnly = false;
  /** Came by SYNC: no +FULLRESYNC line, never sends ACKs. */
  legacy = false;
  /** REPLCONF capa dual-channel: can take a full sync over a second (RDB) connection. */
  capaDualChannel = false;
  /** REPLCONF rdb-channel 1: this connection is the RDB channel of a dual-channel sync. */
  rdbChannel = false;
  /** REPLCONF rdb-client-id <id>: this main channel continues the RDB channel of that client. */
  rdbClientId: number | null = null;
  /** The replication offset of the snapshot cut this replica's full sync started from. */
  cutOffset = -1;
  /** The highest offset acknowledged by REPLCONF ACK. */
  ackOffset = 0;
  /** Unix ms of the last ACK (or of going online). */
  ackTime: number;
  /** Unix ms the replica started waiting for a snapshot (the diskless delay counts from the first). */
  waitingSince: number;
  /** Stream bytes owed but not written to the socket yet. */
  private queue: Buffer[] = [];
  queuedBytes = 0;
  /** Stream bytes gathered this event-loop turn while streaming, written by flushOutbox. */
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  private flushScheduled = false;
  /** Whether stream bytes go straight to the socket (online, and acked after a diskless transfer). */
  streaming = false;
  /** Unix ms the socket last had nothing pending (a stuck transfer times out from here). */
  lastDrained: number;
  /** The soft output-buffer limit's clock (see server/output-limits.ts). */
  softLimitSince = 0;

  constructor(
    readonly client: Client,
    now: number,
  ) {
    this.ackTime = now;
    this.waitingSince = now;
    this.lastDrained = now;
  }

  /**
   * Takes stream bytes: while streaming they are gathered and written once
   * per event-loop turn (one socket write for all the commands of a turn,
   * DESIGN principle 5), else queued.
   */
  stream(bytes: Buffer): void {
    if (this.client.closed) return;
    if (this.streaming) {
      this.outbox.push(bytes);
      this.outboxBytes += bytes.length;
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushOutbox());
      }
    } else {
      this.queue.push(bytes);
      this.queuedBytes += bytes.length;
    }
  }

  /** Forgets what was queued (the cut of a full sync: the RDB holds it). */
  clearQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }

  /** Takes a copy of what other queued (a replica joining other's sync, from the same cut). */
  copyQueueFrom(other: ReplicaConn): void {
    this.queue = other.queue.slice();
    this.queuedBytes = other.queuedBytes;
  }

  /** Writes the queued stream and streams directly from now on. */
  startStreaming(): void {
    this.streaming = true;
    const q = this.queue;
    this.clearQueue();
    if (q.length > 0) this.write(q.length === 1 ? q[0]! : Buffer.concat(q));
  }

  /**
   * Writes protocol or stream bytes to the socket, counting them in the
   * client's output and in total_net_repl_output_bytes (not in
   * total_net_output_bytes: Redis counts replication traffic apart). Returns false when the socket's buffer is over its high-water
   * mark (the caller may wait for 'drain').
   */
  write(bytes: Buffer | string): boolean {
    const c = this.client;
    if (c.closed || c.socket.writableEnded) return true;
    if (this.outboxBytes > 0) this.flushOutbox();
    const n = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'latin1') : bytes.length;
    c.netOut += n;
    c.server.stats.netReplOutputBytes += n;
    return typeof bytes === 'string' ? c.socket.write(bytes, 'latin1') : c.socket.write(bytes);
  }

  /** Writes the stream bytes gathered this turn (before anything written after them). */
  private flushOutbox(): void {
    this.flushScheduled = false;
    if (this.outboxBytes === 0) return;
    const out = this.outbox.length === 1 ? this.outbox[0]! : Buffer.concat(this.outbox, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    this.write(out);
  }

  /** Bytes owed to the replica and not yet taken by the kernel (output buffer limits). */
  get outputBytes(): number {
    return this.queuedBytes + this.outboxBytes + this.client.socket.writableLength;
  }

  /** The IP reported for the replica: the announced one, else the peer's. */
  get ip(): string {
    if (this.announcedIp !== '') return this.announcedIp;
    const a = this.client.socket.remoteAddress ?? '';
    return a.startsWith('::ffff:') ? a.slice(7) : a;
  }

  /** "ip:port" as Redis names a replica in its log lines. */
  get name(): string {
    const ip = this.ip;
    if (ip === '') return `client id #${this.client.id}`;
    return this.listeningPort !== 0 ? `${ip}:${this.listeningPort}` : `${ip}:<unknown-replica-port>`;
  }
}
