/**
 * The replica's side of a dual-channel full sync (Valkey 8's design), apart
 * from the link's state machine (replica/link.ts), which drives it:
 *
 *   open()          +DUALCHANNELSYNC: a second connection (the RDB channel,
 *                   replica/rdb-channel.ts) asks for the RDB and reports
 *                   where the master cut it ($ENDOFF) through the events;
 *   bufferStream()  the main channel's stream, from the cut on, is kept in a
 *                   SyncBuffer while the RDB arrives and loads; over
 *                   replica-full-sync-buffer-limit the main channel stops
 *                   reading (the master's output buffer holds the rest);
 *   rdbDone()       the RDB channel delivered the whole RDB and is closed;
 *   applyBuffered() after the load: the buffered stream is applied in slices
 *                   between which clients are served, with what the main
 *                   channel reads meanwhile joining the buffer's end, until
 *                   it is empty and the socket feeds the stream directly;
 *   close()         the attempt ends (either connection failing ends both).
 *
 * The buffer is kept after the sync for INFO's replicas_repl_buffer_peak.
 */
import type net from 'node:net';
import type { Server } from '../../server/server.js';
import type { MasterStream } from './stream.js';
import { RdbChannel, type RdbChannelEvents } from './rdb-channel.js';
import { SyncBuffer } from './sync-buffer.js';
import { replicaLimit } from '../../server/output-limits.js';

/** Buffered stream bytes applied per event-loop turn after the load. */
const REPLAY_SLICE = 4 * 1024 * 1024;

/** Resolves on a later event-loop turn (after pending I/O). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class DualChannelSync {
  private rdbChannel: RdbChannel | null = null;
  private kept: SyncBuffer | null = null;
  /** Whether the current attempt is a dual-channel sync (until its buffered stream is applied). */
  active = false;
  /** The RDB is complete (it may arrive before the main channel's +CONTINUE). */
  rdbReceived = false;

  constructor(private readonly server: Server) {}

  /** Starts an attempt: opens the RDB channel to host:port and a fresh stream buffer. */
  open(host: string, port: number, events: RdbChannelEvents): void {
    const config = this.server.config;
    this.active = true;
    this.rdbReceived = false;
    const limit = config.num('replica-full-sync-buffer-limit') || replicaLimit(config.str('client-output-buffer-limit')).hard;
    this.kept = new SyncBuffer(limit);
    this.rdbChannel = new RdbChannel(this.server, host, port, events);
  }

  /** The RDB channel delivered the whole RDB: it is closed. */
  rdbDone(): void {
    this.rdbChannel?.close();
    this.rdbChannel = null;
    this.rdbReceived = true;
  }

  /** Keeps stream bytes of the main channel; over the limit the channel stops reading. */
  bufferStream(socket: net.Socket, chunk: Buffer): void {
    if (this.kept!.push(chunk) || socket.isPaused()) return;
    socket.pause();
    this.server.logger.warning(
      `Replica buffer of the dual-channel sync reached its limit (${this.kept!.bytes} bytes, replica-full-sync-buffer-limit): the main channel stops reading until the RDB is loaded, the master's output buffer holds the rest.`,
    );
  }

  /**
   * Applies the buffered stream to stream in slices, serving clients between
   * them, while current() holds (the link still uses this stream); then the
   * socket feeds the stream directly and the attempt is over.
   */
  async applyBuffered(stream: MasterStream, socket: net.Socket, current: () => boolean): Promise<void> {
    const buffer = this.kept!;
    const log = this.server.logger;
    log.notice(`MASTER <-> REPLICA sync: applying ${buffer.bytes} bytes of the master's stream buffered during the dual-channel sync`);
    const start = Date.now();
    let applied = 0;
    stream.divert = (chunk) => this.bufferStream(socket, chunk);
    while (buffer.bytes > 0 && current()) {
      for (const chunk of buffer.take(REPLAY_SLICE)) {
        applied += chunk.length;
        stream.receive(chunk);
      }
      if (buffer.bytes > 0) await nextTurn();
    }
    stream.divert = null;
    buffer.clear();
    this.active = false;
    log.notice(`MASTER <-> REPLICA sync: applied the buffered stream (${applied} bytes) in ${Date.now() - start} ms; streaming directly`);
  }

  /** Ends the attempt: closes the RDB channel and empties the buffer. */
  close(): void {
    this.rdbChannel?.close();
    this.rdbChannel = null;
    this.kept?.clear();
    this.active = false;
    this.rdbReceived = false;
  }

  /** INFO replication's buffer fields, named as Valkey 8 names them. */
  infoFields(): string[] {
    return [`replicas_repl_buffer_size:${this.kept?.bytes ?? 0}`, `replicas_repl_buffer_peak:${this.kept?.peak ?? 0}`];
  }
}
