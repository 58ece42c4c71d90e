/**
 * The master link once synchronized (the replica's CONNECTED state): the
 * socket becomes a Client flagged 'M' (CLIENT LIST flags=M, CLIENT KILL
 * TYPE master) that executes the master's commands like any client's,
 * except that:
 *
 * - it is authenticated and never refused (call.ts skips read-only, OOM,
 *   MISCONF and stale checks for ClientKind.Master), and keys it reads are not
 *   expired by this server (replication.applyingMasterStream is set while
 *   its input runs: the master sends DEL when they expire);
 * - its replies are discarded (an error is logged, as Redis does);
 * - its bytes are accounted: `readOffset` counts what was read, and after
 *   each command the bytes it consumed are fed, byte for byte, to
 *   replication.feed() — the backlog and this server's own replicas
 *   (chained replication) — which advances master_repl_offset, the
 *   processed offset. Inside MULTI nothing is fed until EXEC ran (like
 *   Redis: a link lost mid-transaction resumes before its MULTI).
 *
 * The client starts in the db the previous link's stream had selected
 * (a partial resync continues that stream without a new SELECT).
 *
 * The only things written to the master are `REPLCONF ACK <offset>`: every
 * second (the link's cron) and at once for `REPLCONF GETACK`.
 * When the socket closes for any reason, onLost runs once.
 */
import type { Socket } from 'node:net';
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { StreamClock } from '../stream-clock.js';
import { quoteArg } from '../../util/repr.js';
import { ClientKind } from '../../server/client-kind.js';

/** How much of the backlog's end is logged after an error reply to the master (Redis's 256). */
const LOGGED_BACKLOG_BYTES = 256;

export class MasterStream {
  readonly client: Client;
  /** Date.now() of the last bytes from the master (master_last_io_seconds_ago, repl-timeout). */
  lastIo = Date.now();
  /** Bytes read from the socket. */
  private readTotal = 0;
  /** Of those, bytes already fed to the stream (processed). */
  private fed = 0;
  /** When each byte read arrived (counted like readTotal): replication_lag_ms. */
  private readonly arrivals = new StreamClock();
  /** Read, not yet fed, in order. */
  private readonly unfed: Buffer[] = [];
  /**
   * While set, bytes read from the socket go here instead of being applied
   * (a dual-channel sync still applying what it buffered: later bytes must
   * queue behind it); the owner hands them to receive() in order.
   */
  divert: ((chunk: Buffer) => void) | null = null;

  constructor(
    private readonly server: Server,
    socket: Socket,
    db: Db,
    onLost: () => void,
  ) {
    const c = server.adoptConnection(socket);
    c.db = db;
    c.kind = ClientKind.Master;
    c.authenticated = true;
    c.parser.unauthenticated = false;
    c.parser.maxBulkLen = Infinity;
    c.user = '(superuser)';
    c.afterCommand = () => this.commandDone();
    this.client = c;
    socket.on('data', (chunk: Buffer) => (this.divert !== null ? this.divert(chunk) : this.receive(chunk)));
    socket.once('close', onLost);
  }

  /** slave_read_repl_offset: the offset of the last byte read from the master. */
  get readOffset(): number {
    return this.server.replication.offset + (this.readTotal - this.fed);
  }

  /** ms since the oldest byte read from the master and not yet applied arrived; 0 when all are applied. */
  applyLagMs(now: number): number {
    if (this.fed >= this.readTotal) return 0;
    const t = this.arrivals.reachedAt(this.fed + 1);
    return t === null ? 0 : Math.max(0, now - t);
  }

  /** Takes bytes of the stream from the master and executes the commands they complete. */
  receive(chunk: Buffer): void {
    if (chunk.length === 0 || this.client.closed) return;
    this.lastIo = Date.now();
    this.readTotal += chunk.length;
    this.arrivals.note(this.readTotal, this.lastIo);
    this.unfed.push(chunk);
    const repl = this.server.replication;
    repl.applyingMasterStream = true;
    try {
      this.client.onData(chunk);
    } finally {
      repl.applyingMasterStream = false;
    }
  }

  /** Sends REPLCONF ACK with the processed offset. */
  sendAck(): void {
    if (this.client.closed) return;
    this.client.socket.write(encodeCommand(['REPLCONF', 'ACK', String(this.server.replication.offset)]), 'latin1');
  }

  /** Drops the link (repl-timeout, REPLICAOF); onLost follows. */
  close(): void {
    this.client.close();
  }

  /** After each command: discard its reply (logging an error), feed the bytes it consumed. */
  private commandDone(): void {
    const c = this.client;
    const out = c.reply.take();
    if (out !== null && out[0]!.length > 0 && out[0]![0] === 0x2d) {
      const text = Buffer.concat(out).latin1Slice().split('\r\n', 1)[0]!;
      this.server.stats.unexpectedErrorReplies++;
      const log = this.server.logger;
      log.warning(
        `== CRITICAL == This replica is sending an error to its master: '${text}' after processing the command '${c.lastCommand?.fullName ?? ''}'`,
      );
      // As Redis: the stream's last bytes before this command, quoted, for the post-mortem.
      const backlog = this.server.replication.backlog;
      if (backlog !== null && backlog.histlen > 0) {
        const tail = backlog.bytesAfter(backlog.offset - Math.min(LOGGED_BACKLOG_BYTES, backlog.histlen));
        log.warning(`Latest backlog is: '${quoteArg(tail.latin1Slice())}'`);
      }
      // propagation-error-behavior: a read-only replica may be told to stop rather than diverge.
      const config = this.server.config;
      if (config.bool('replica-read-only') && config.str('propagation-error-behavior') !== 'ignore') {
        this.server.panic(
          `This replica panicked sending an error to its master after processing the command '${c.lastCommand?.fullName ?? '<unknown>'}'`,
        );
      }
    }
    if (c.multi.active) return;
    const consumed = this.readTotal - c.parser.pendingBytes;
    const n = consumed - this.fed;
    if (n <= 0) return;
    this.fed = consumed;
    this.server.replication.feed(this.takeUnfed(n));
  }

  /** Removes and returns the first n unfed bytes. */
  private takeUnfed(n: number): Buffer {
    const first = this.unfed[0]!;
    if (first.length === n) return this.unfed.shift()!;
    if (first.length > n) {
      this.unfed[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const b = this.unfed[0]!;
      if (b.length <= left) {
        parts.push(this.unfed.shift()!);
        left -= b.length;
      } else {
        parts.push(b.subarray(0, left));
        this.unfed[0] = b.subarray(left);
        left = 0;
      }
    }
    return Buffer.concat(parts);
  }
}
