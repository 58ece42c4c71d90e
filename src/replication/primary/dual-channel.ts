/**
 * Dual-channel full sync, the master side (Valkey 8's design, nodis's
 * code). The classic full sync holds every write made during the RDB
 * transfer in the master's output buffer for that replica, so a big
 * dataset under a heavy write load overflows `client-output-buffer-limit
 * replica` and the sync starts over, forever. Here the replica takes the
 * stream as it is produced, on its main connection, and buffers it itself
 * while the RDB arrives on a second connection:
 *
 * 1. Main channel: the replica announced `REPLCONF capa dual-channel`;
 *    when its PSYNC needs a full sync and dual-channel-replication-enabled
 *    is on here, it is answered `+DUALCHANNELSYNC` (offerDualChannel) and
 *    stays an ordinary connection.
 * 2. RDB channel: the replica connects again, sends `REPLCONF capa eof
 *    rdb-only 1 rdb-channel 1 listening-port <port>` and `SYNC`. It waits
 *    for a full sync like any replica (primary/primary.ts, primary/full-sync.ts),
 *    but at the cut it is told `$ENDOFF:<offset> <replid> <db> <client id>`
 *    instead of +FULLRESYNC, and queues the stream from the cut on.
 * 3. Main channel again: `REPLCONF rdb-client-id <id>` and `PSYNC <replid>
 *    <offset+1>`: claimRdbChannelStream moves what the RDB channel queued
 *    to this connection, answers `+CONTINUE <replid>`, and streams from
 *    then on (StreamWhileLoading) while the RDB channel sends the RDB and
 *    is closed when it is sent (rdb-only).
 * 4. The replica loads the RDB, applies what it buffered, and ACKs: that
 *    first ACK puts the main channel Online (primary/primary.ts onAck).
 *
 * A main channel whose RDB channel cannot be found (closed, or another
 * cut) gets the ordinary PSYNC answer instead. Replicas without the
 * capability (Redis 7.0) never see any of this: they get the classic sync.
 */
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import type { Replication } from '../replication.js';
import { ReplicaState, type ReplicaConn } from './replica-conn.js';

/**
 * Step 1: answers `+DUALCHANNELSYNC` to r's PSYNC and returns true when r
 * should take its full sync over an RDB channel (dual-channel enabled
 * here, r capable of it and of the EOF form, r not itself an RDB channel).
 */
export function offerDualChannel(server: Server, r: ReplicaConn): boolean {
  if (!server.config.bool('dual-channel-replication-enabled') || !r.capaDualChannel || !r.capaEof || r.rdbChannel) return false;
  server.logger.notice(
    `Replica ${r.name} is capable of dual-channel synchronization: the full sync continues with a dedicated RDB channel.`,
  );
  r.write('+DUALCHANNELSYNC\r\n');
  return true;
}

/** The `$ENDOFF` line an RDB channel gets at the cut (the stream restarts in db 0 with a SELECT). */
export function endOffsetLine(repl: Replication, r: ReplicaConn): string {
  return `$ENDOFF:${repl.offset} ${repl.replId} 0 ${r.client.id}\r\n`;
}

/**
 * Step 3: r (PSYNC replId offset after REPLCONF rdb-client-id) takes over
 * the stream its RDB channel queued since the cut. Returns false, logged,
 * when there is no such RDB channel at that position (the caller then
 * treats the PSYNC as an ordinary one). `attach` makes r a replica.
 */
export function claimRdbChannelStream(
  server: Server,
  replicas: ReadonlyMap<Client, ReplicaConn>,
  r: ReplicaConn,
  replId: string,
  offset: number,
  attach: (r: ReplicaConn) => void,
): boolean {
  const repl = server.replication;
  const id = r.rdbClientId;
  let rdb: ReplicaConn | undefined;
  for (const other of replicas.values()) if (other.rdbChannel && other.client.id === id) rdb = other;
  const log = server.logger;
  if (rdb === undefined || rdb.client.closed || rdb.cutOffset < 0 || !repl.consumers.has(rdb)) {
    log.warning(
      `Replica ${r.name} named RDB channel client id #${id}, which is not in a full sync: handling its PSYNC as an ordinary one.`,
    );
    return false;
  }
  if (replId !== repl.replId || offset !== rdb.cutOffset + 1) {
    log.warning(
      `Replica ${r.name} asked to continue from ${replId}:${offset}, but its RDB channel was cut at ${repl.replId}:${rdb.cutOffset + 1}.`,
    );
    return false;
  }
  r.state = ReplicaState.StreamWhileLoading;
  r.cutOffset = rdb.cutOffset;
  attach(r);
  r.write(`+CONTINUE ${repl.replId}\r\n`);
  r.copyQueueFrom(rdb);
  rdb.clearQueue();
  repl.consumers.delete(rdb);
  repl.consumers.add(r);
  r.startStreaming();
  log.notice(
    `Replica ${r.name}: main channel streaming from offset ${offset} while the RDB channel (client id #${id}) sends the RDB (dual-channel sync).`,
  );
  return true;
}
