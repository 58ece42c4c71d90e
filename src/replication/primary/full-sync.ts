/**
 * One full synchronization: a fork-less snapshot of the dataset sent to
 * the replicas that were waiting for it (Redis's "BGSAVE for SYNC").
 *
 * Phases:
 *
 * 1. Cut (begin(), synchronous): the snapshot is claimed at this instant;
 *    every participant gets `+FULLRESYNC <replid> <offset>` (not a legacy
 *    SYNC replica; the RDB channel of a dual-channel sync gets `$ENDOFF`), moves to WaitBgsaveEnd, and from now on queues every
 *    stream byte (it becomes a stream consumer with an empty queue). The
 *    next effect is preceded by SELECT, as the replica starts from no db.
 * 2. Transfer, one of two targets:
 *    - sockets (diskless): `$EOF:<40 random hex>\r\n`, the RDB in chunks
 *      written to every participant, then the same 40 chars. Production
 *      pauses while any participant's socket holds more than HIGH_WATER
 *      bytes (back-pressure), and stops early when every participant is
 *      gone. Participants then go online, but their queued stream waits
 *      for their first REPLCONF ACK (see primary/replica-conn.ts).
 *    - disk: the RDB is written to dir/dbfilename (temp file + rename)
 *      and counts as a background save (LASTSAVE, changes since the last
 *      save, rdb_last_bgsave_status), then each participant is sent
 *      `$<len>\r\n` and the file's bytes (SendBulk), pacing on its
 *      socket's 'drain', and goes online with its queued stream written
 *      at once.
 *    While a disk sync is still writing its file, a replica that arrives
 *    can join it (join(), Redis's "Waiting for end of BGSAVE for SYNC"):
 *    it gets the same +FULLRESYNC line and a copy of what a participant
 *    queued since the cut, then the same file.
 * 3. End: the snapshot slot is released (when the RDB has been produced)
 *    and `done` is called so the next waiting replicas can start a sync.
 *
 * What interrupts: a participant's connection closing only removes it; an
 * error producing the RDB (a disk failure) closes every participant, as
 * Redis does when its BGSAVE for replication fails.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, read } from 'node:fs';
import { promisify } from 'node:util';
import type { Socket } from 'node:net';
import type { Server } from '../../server/server.js';
import type { Snapshot } from '../../persistence/rdb/snapshot.js';
import { AtomicFile } from '../../persistence/rdb/file.js';
import { ReplicaState, type ReplicaConn } from './replica-conn.js';
import { endOffsetLine } from './dual-channel.js';

/** RDB bytes produced per step. */
const CHUNK_BYTES = 64 * 1024;
/** Time the snapshot may take per event-loop turn, in ms (clients are served in between). */
const SLICE_MS = 1;
/** Socket bytes pending above which the transfer waits for the socket to drain. */
const HIGH_WATER = 1024 * 1024;

const readAsync = promisify(read);

export const enum SyncTarget {
  Disk,
  Sockets,
}

/** Resolves when socket drains or closes. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

export class FullSync {
  /** The +FULLRESYNC line of this sync's cut (set by begin()). */
  private fullResyncLine = '';
  /** True while a disk sync writes its file (replicas can still join). */
  private writingFile = false;

  constructor(
    private readonly server: Server,
    readonly target: SyncTarget,
    private readonly participants: ReplicaConn[],
    private readonly snapshot: Snapshot,
    /** Puts a participant online (state, ack time, log line). */
    private readonly putOnline: (r: ReplicaConn) => void,
    /** Called once when the sync is over. */
    private readonly done: () => void,
  ) {}

  /** The participants still connected. */
  private live(): ReplicaConn[] {
    return this.participants.filter((r) => !r.client.closed);
  }

  /** Phase 1, the cut, then the transfer in the background. */
  begin(): void {
    const repl = this.server.replication;
    this.server.propagation.resetSelectedDb();
    this.fullResyncLine = `+FULLRESYNC ${repl.replId} ${repl.offset}\r\n`;
    for (const r of this.participants) {
      r.state = ReplicaState.WaitBgsaveEnd;
      r.cutOffset = repl.offset;
      r.clearQueue();
      repl.consumers.add(r);
      this.announceCut(r);
    }
    const log = this.server.logger;
    log.notice(`Starting BGSAVE for SYNC with target: ${this.target === SyncTarget.Sockets ? 'replicas sockets' : 'disk'}`);
    const run = this.target === SyncTarget.Sockets ? this.toSockets() : this.toDisk();
    run.then(this.done, (e: unknown) => {
      log.warning(`SYNC failed. BGSAVE child returned an error: ${(e as Error).message}`);
      for (const r of this.live()) r.client.close();
      this.done();
    });
  }

  /**
   * Lets replica r (waiting for a sync) share this one, when it is a disk
   * sync still writing its file: r continues from the same cut. Returns
   * false when it cannot.
   */
  join(r: ReplicaConn): boolean {
    const model = this.writingFile ? this.live().find((p) => p.state === ReplicaState.WaitBgsaveEnd) : undefined;
    if (model === undefined) return false;
    r.state = ReplicaState.WaitBgsaveEnd;
    r.cutOffset = model.cutOffset;
    r.copyQueueFrom(model);
    this.server.replication.consumers.add(r);
    this.announceCut(r);
    this.participants.push(r);
    return true;
  }

  /** Tells r where the cut is: +FULLRESYNC, `$ENDOFF` to an RDB channel, nothing to a SYNC replica. */
  private announceCut(r: ReplicaConn): void {
    if (r.rdbChannel) r.write(endOffsetLine(this.server.replication, r));
    else if (!r.legacy) r.write(this.fullResyncLine);
  }

  /** Diskless transfer: the RDB framed by an EOF mark, to every participant at once. */
  private async toSockets(): Promise<void> {
    const log = this.server.logger;
    const mark = randomBytes(20).toString('hex');
    log.notice(`Background RDB transfer started by pid ${process.pid}`);
    for (const r of this.participants) r.write(`$EOF:${mark}\r\n`);
    try {
      for (;;) {
        const live = this.live();
        if (live.length === 0) {
          log.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
          return;
        }
        const chunk = this.snapshot.step(CHUNK_BYTES, performance.now() + SLICE_MS);
        if (this.snapshot.finished) {
          const tail = Buffer.concat([chunk, this.snapshot.checksum(), Buffer.from(mark, 'latin1')]);
          for (const r of live) r.write(tail);
          break;
        }
        for (const r of live) r.write(chunk);
        await this.backPressure(live);
      }
    } finally {
      this.server.persistence.releaseSnapshot(this.snapshot);
    }
    const live = this.live();
    log.warning(`Diskless rdb transfer, done reading from pipe, ${live.length} replicas still up.`);
    log.notice('Background RDB transfer terminated with success');
    for (const r of live) {
      log.notice(
        `Streamed RDB transfer with replica ${r.name} succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming`,
      );
      this.putOnline(r);
    }
  }

  /** Waits (at least a turn, or rdb-key-save-delay's pause) until no live participant's socket is over the high-water mark. */
  private async backPressure(live: ReplicaConn[]): Promise<void> {
    await this.snapshot.pause();
    for (;;) {
      const full = live.find((r) => !r.client.closed && r.client.socket.writableLength > HIGH_WATER);
      if (full === undefined) return;
      await drained(full.client.socket);
    }
  }

  /** Disk transfer: write the RDB file, then send it to each participant. */
  private async toDisk(): Promise<void> {
    const log = this.server.logger;
    const persistence = this.server.persistence;
    log.notice(`Background saving started by pid ${process.pid}`);
    let file: AtomicFile | null = null;
    let ok = false;
    this.writingFile = true;
    try {
      file = new AtomicFile(persistence.path, `temp-${process.pid}-${this.snapshot.id}.rdb`);
      for (;;) {
        file.write(this.snapshot.step(CHUNK_BYTES * 2, performance.now() + SLICE_MS));
        if (this.snapshot.finished) break;
        await this.snapshot.pause();
      }
      file.write(this.snapshot.checksum());
      file.commit();
      log.notice('DB saved on disk');
      ok = true;
    } catch (e) {
      file?.discard();
      throw e;
    } finally {
      this.writingFile = false;
      persistence.releaseSnapshot(this.snapshot);
      // The file is dump.rdb, as a BGSAVE's: LASTSAVE, the change count and the status follow it.
      persistence.finishBackgroundSave(ok, this.snapshot);
    }
    // Open the file for every participant now: a later save may replace it.
    const sends = this.live().map((r) => this.sendFile(r, openSync(persistence.path, 'r')));
    await Promise.all(sends);
    persistence.removeSyncFile('Removing the RDB file used to feed replicas in a persistence-less instance');
  }

  /** SendBulk: `$<len>\r\n` and the file's bytes to one replica, then online. */
  private async sendFile(r: ReplicaConn, fd: number): Promise<void> {
    try {
      r.state = ReplicaState.SendBulk;
      const size = fstatSync(fd).size;
      r.write(`$${size}\r\n`);
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      let pos = 0;
      while (pos < size && !r.client.closed) {
        const { bytesRead } = await readAsync(fd, buf, 0, CHUNK_BYTES, pos);
        if (bytesRead === 0) throw new Error('RDB file shrank while sending it');
        pos += bytesRead;
        if (!r.write(Buffer.from(buf.subarray(0, bytesRead)))) await drained(r.client.socket);
      }
    } catch (e) {
      this.server.logger.warning(`Read error sending DB to replica: ${(e as Error).message}`);
      r.client.close();
    } finally {
      closeSync(fd);
    }
    if (r.client.closed) return;
    this.putOnline(r);
    r.startStreaming();
  }
}
