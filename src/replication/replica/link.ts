/**
 * The replica side of replication: the link from this server to its
 * master, as an explicit state machine whose states are ordered (so "in
 * the handshake" is a range check) and reported by INFO and ROLE.
 *
 *   None                  a master (REPLICAOF NO ONE, or never a replica)
 *   Connect               must connect; the cron (every second) does it
 *   Connecting            TCP connect in flight
 *   ReceivePingReply      PING sent; +PONG, or an auth error, moves on
 *   SendHandshake         AUTH (masterauth), REPLCONF listening-port,
 *                         [REPLCONF ip-address], REPLCONF capa eof capa
 *                         psync2 are sent pipelined…
 *   ReceiveAuthReply      …and their replies read one by one (only AUTH's
 *   ReceivePortReply      error is fatal; the others are logged)
 *   ReceiveIpReply
 *   ReceiveCapaReply
 *   SendPsync             PSYNC <cached replid> <offset+1>, or PSYNC ? -1
 *   ReceivePsyncReply     +FULLRESYNC → Transfer; +CONTINUE → Connected;
 *                         +DUALCHANNELSYNC → RdbChannelSync;
 *                         -NOMASTERLINK/-LOADING → Connect (retry);
 *                         another error → SYNC, then Transfer (an error
 *                         reply to SYNC → Connect)
 *   RdbChannelSync        dual-channel sync (dual-channel-replication-
 *                         enabled, announced as `capa dual-channel`): a
 *                         second connection (replica/rdb-channel.ts) asks
 *                         for the RDB and learns where the master cut it…
 *   ReceiveRdbClientIdReply …then the main channel names that connection
 *                         (REPLCONF rdb-client-id)…
 *   ReceiveStreamPsyncReply …and PSYNCs from the cut; +CONTINUE →
 *                         Transfer, anything else ends the attempt (Connect)
 *   Transfer              receiving the RDB (replica/transfer.ts), then
 *                         loading it all-or-nothing in place of the dataset;
 *                         in a dual-channel sync the RDB comes over the RDB
 *                         channel while the main channel's stream is kept in
 *                         a buffer (replica/dual-channel.ts), applied
 *                         once the RDB is loaded
 *   Connected             applying the master's stream (replica/stream.ts)
 *
 * What interrupts each phase:
 * - REPLICAOF host port (another master) or NO ONE, from any state: the
 *   socket is closed, a transfer discarded (the old dataset stays);
 * - an unparseable stream in Connected: the master client closes on the
 *   protocol error, handled as a lost link;
 * - a socket error or close: before Transfer → Connect (the cron retries
 *   within a second); during Transfer → the transfer is discarded and the
 *   link reconnects at once; in Connected → "Connection with master lost",
 *   the master's replid and offset are kept as the cached master and the
 *   link reconnects at once, asking to PSYNC from there;
 * - repl-timeout without bytes from the master: in the handshake and
 *   Transfer the attempt is cancelled and restarted; in Connected the link
 *   is dropped as above (the master PINGs every repl-ping-replica-period);
 * - a corrupt RDB: logged, discarded (the dataset stays), reconnect;
 * - in a dual-channel sync, either connection failing ends both (the
 *   attempt starts over; the dataset stays); a master refusing a step of the
 *   exchange is not offered it again: the classic sync follows.
 *
 * The cached master is this server's own history (replication.replId and
 * offset, and the db the stream had selected): after a full sync that is
 * the master's, and a master turning into a replica synthesizes it from
 * its own (PSYNC2), so a switch of master can continue with a partial
 * resync. A full resync discards it.
 *
 * Differences from Redis 7.0 kept on purpose: an error reply to the SYNC
 * fallback is retried by the cron a second later (Redis reconnects at
 * once, a tight loop when the master wants AUTH); the RDB is received
 * whole before it is loaded (all or nothing, in slices between which
 * clients get -LOADING) — where Redis would load it from the socket as it
 * arrives (repl-diskless-load), the server reports itself loading from
 * the transfer's first byte, as Redis does.
 */
import { masterConnectOptions } from './connect-options.js';
import net from 'node:net';
import type { Server } from '../../server/server.js';
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import type { LoadResult } from '../../persistence/load.js';
import { encodeCommand } from '../../protocol/command-encoder.js';
import { RdbTransfer, TransferError } from './transfer.js';
import { MasterStream } from './stream.js';
import { newReplId, recordedHistory } from '../replication.js';
import type { SnapshotPosition } from './rdb-channel.js';
import { DualChannelSync } from './dual-channel.js';
import { LineReader } from './line-reader.js';
import { ReplicaOwnExpires } from './own-expires.js';
import { nowMs } from '../../util/clock.js';
import { Err } from '../../util/errors.js';
import { ClientKind } from '../../server/client-kind.js';

export const enum ReplState {
  None,
  Connect,
  Connecting,
  ReceivePingReply,
  SendHandshake,
  ReceiveAuthReply,
  ReceivePortReply,
  ReceiveIpReply,
  ReceiveCapaReply,
  SendPsync,
  ReceivePsyncReply,
  RdbChannelSync,
  ReceiveRdbClientIdReply,
  ReceiveStreamPsyncReply,
  Transfer,
  Connected,
}

/**
 * The handshake: the master's reply lines are awaited, from the PING reply
 * to the last PSYNC reply (a dual-channel sync's main-channel replies
 * included). The one boundary every check of the handshake uses.
 */
export function inHandshake(s: ReplState): boolean {
  return s >= ReplState.ReceivePingReply && s < ReplState.Transfer;
}

/** A full sync is in progress: the RDB is awaited (dual-channel), received or loaded. */
export function inFullSync(s: ReplState): boolean {
  return s >= ReplState.RdbChannelSync && s <= ReplState.Transfer;
}

/** Socket error codes as strerror() words them in Redis's log lines. */
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOTFOUND: 'Name or service not known',
  EPIPE: 'Broken pipe',
};

export class ReplicaLink {
  state = ReplState.None;
  /**
   * Our master's address: the one owner of the server's role (a replica
   * while masterHost is not null; server.isReplica() asks here).
   */
  masterHost: string | null = null;
  port = 0;
  /** Whether replication.replId/offset describe a history we can ask to continue. */
  private cached = false;
  /**
   * The db the master's stream had selected when the link went down: part
   * of the cached master, since a partial resync continues the stream
   * where it stopped, without a new SELECT.
   */
  private streamDb = 0;
  /** The handshake/transfer socket; null once it became the master stream. */
  private socket: net.Socket | null = null;
  /** Handshake bytes received and not yet a complete line. */
  private readonly lines = new LineReader();
  private transfer: RdbTransfer | null = null;
  /** Whether this transfer also goes to dir/dbfilename (repl-diskless-load; decided when it starts). */
  private transferToDisk = false;
  private stream: MasterStream | null = null;
  /** +FULLRESYNC's (or $ENDOFF's) replid, offset and stream db, adopted once the RDB loaded. */
  private fullSync = { replId: '', offset: 0, db: 0 };
  /** The dual-channel side of a full sync (replica/dual-channel.ts). */
  private readonly dual: DualChannelSync;
  /** The master (host:port) that refused the dual-channel exchange: not offered it again. */
  private dualChannelRefusedBy: string | null = null;
  /** The transfer answers SYNC (the master refused PSYNC). */
  private legacySync = false;
  /** Date.now() of the last bytes from the master in the handshake (repl-timeout). */
  private lastIo = 0;
  /** Date.now() when a synced link went down; 0 when it never was up since becoming a replica. */
  private downSince = 0;
  private lastCron = 0;
  /** The next connection attempt follows a failed one (its log line says so). */
  private retrying = false;
  /** Keys this server's own clients gave a TTL while it is a writable replica. */
  private readonly ownExpires = new ReplicaOwnExpires();

  constructor(private readonly server: Server) {
    this.dual = new DualChannelSync(server);
    server.cron.addTask(() => this.cron());
  }

  /** REPLCONF GETACK from c: when c is our master's link, answers REPLCONF ACK <offset> at once. */
  ackIfMasterLink(c: Client): void {
    if (this.stream !== null && this.stream.client === c) this.stream.sendAck();
  }

  /**
   * The db our master's stream has selected (the master link's, else the
   * cached master's), or null when there is no master history an RDB could
   * record (its repl-stream-db).
   */
  streamDbForRdb(): number | null {
    return this.stream !== null ? this.stream.client.db.id : this.cached ? this.streamDb : null;
  }

  /** A client of this replica set a TTL on key: remembered when the replica is writable. */
  rememberOwnExpire(db: Db, key: string): void {
    if (!this.server.config.bool('replica-read-only')) this.ownExpires.remember(db, key);
  }

  /** Cron: deletes this replica's own keys whose TTL has passed, within budgetMs. */
  expireOwnKeys(budgetMs: number): void {
    this.ownExpires.cycle(this.server.dbs, nowMs(), budgetMs, (db, key) => this.server.expireKey(db, key));
  }

  /** INFO slave_expires_tracked_keys. */
  get ownExpiresTracked(): number {
    return this.ownExpires.count;
  }

  /** Whether a full sync is in progress (the RDB is awaited, received or loaded). */
  private get syncing(): boolean {
    return inFullSync(this.state);
  }

  /** Whether the link is synchronized and applying the stream (master_link_status:up). */
  get linkUp(): boolean {
    return this.state === ReplState.Connected;
  }

  /**
   * Start-up, before the RDB is loaded: with `replicaof` configured the
   * server is a replica from the start, as in Redis — so the load keeps
   * keys whose TTL has passed (the master's stream decides about them: it
   * may have made them persistent since the save), and logs as one.
   */
  configureFromConfig(): void {
    const words = this.server.config.str('replicaof').split(' ');
    if (words.length !== 2) return;
    this.masterHost = words[0]!;
    this.server.logger.role = 'S';
    this.port = Number(words[1]);
    this.server.replication.followOwnEffects(false);
  }

  /**
   * Start-up, after the RDB was loaded. A file that recorded its
   * replication history (repl-id, repl-offset, repl-stream-db) lets a
   * replica make its first attempt a partial resync from there, its
   * stream in that db, as in Redis; a master resumes that history for its
   * previous replicas (resumeAfterRestart).
   */
  startFromConfig(loaded: LoadResult | null): void {
    const history = recordedHistory(loaded?.aux);
    if (!this.server.isReplica()) {
      if (history !== null) this.server.replication.resumeAfterRestart(history, loaded!.expiredKeys);
      return;
    }
    if (history !== null) {
      this.server.replication.adoptHistory(history.replId, history.offset);
      this.streamDb = Math.min(history.streamDb, this.server.dbs.length - 1);
      this.cached = true;
    }
    this.state = ReplState.Connect;
  }

  /**
   * REPLICAOF host port: becomes a replica of host:port, dropping any
   * current link. A master keeps its own history as the cached master.
   * Blocked clients are ended with an error and disconnected (see
   * BlockingRegistry.disconnectAll), as in Redis.
   */
  setMaster(host: string, port: number): void {
    const log = this.server.logger;
    const wasMaster = !this.server.isReplica();
    this.masterHost = host;
    this.server.logger.role = 'S';
    this.port = port;
    // CONFIG GET replicaof (and CONFIG REWRITE) show the current master, as in Redis.
    this.server.config.set('replicaof', [host, String(port)]);
    this.dropStream();
    this.cancelAttempt();
    this.retrying = false;
    this.server.blocking.disconnectAll(this.server.clients.values(), Err.unblockedRoleChange);
    if (wasMaster) {
      log.notice(
        'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      );
      this.server.replication.followOwnEffects(false);
      this.cached = true;
      this.streamDb = 0;
      this.downSince = 0;
    }
    log.notice(`Connecting to MASTER ${host}:${port}`);
    this.connect();
  }

  /**
   * REPLICAOF NO ONE: promotion. The link is dropped, the history goes on
   * under a new replid (the old one stays valid as replid2, PSYNC2), this
   * server's replicas are disconnected to learn it, and the server's own
   * writes feed the stream again.
   */
  unsetMaster(): void {
    if (!this.server.isReplica()) return;
    const log = this.server.logger;
    log.role = 'M';
    this.dropStream();
    this.cancelAttempt();
    if (this.cached) {
      log.notice('Discarding previously cached master state.');
      this.cached = false;
    }
    const repl = this.server.replication;
    repl.shiftReplId();
    log.warning(
      `Setting secondary replication ID to ${repl.replId2}, valid up to offset: ${repl.secondOffset}. New replication ID is ${repl.replId}`,
    );
    this.masterHost = null;
    this.port = 0;
    this.ownExpires.clear();
    this.server.config.set('replicaof', ['no', 'one']);
    this.state = ReplState.None;
    this.disconnectReplicas();
    repl.followOwnEffects(repl.backlog !== null);
  }

  /** Stops everything, quietly (server shutdown). */
  stop(): void {
    this.state = ReplState.None;
    const stream = this.stream;
    this.stream = null;
    stream?.close();
    this.cancelAttempt();
  }

  // ---- Connect → handshake -------------------------------------------------

  /** Opens the connection (state Connecting). */
  private connect(): void {
    const host = this.masterHost!;
    const log = this.server.logger;
    if (this.retrying) log.notice(`Reconnecting to MASTER ${host}:${this.port} after failure`);
    this.retrying = false;
    log.notice('MASTER <-> REPLICA sync started');
    this.state = ReplState.Connecting;
    this.lastIo = Date.now();
    this.lines.clear();
    const socket = net.connect(masterConnectOptions(this.server.config, host, this.port));
    this.socket = socket;
    socket.setNoDelay(!this.server.config.bool('repl-disable-tcp-nodelay'));
    socket.once('connect', () => {
      if (socket !== this.socket) return;
      log.notice('Non blocking connect for SYNC fired the event.');
      this.lastIo = Date.now();
      this.state = ReplState.ReceivePingReply;
      socket.write(encodeCommand(['PING']), 'latin1');
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.onData(chunk);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (socket !== this.socket) return;
      const text = ERRNO_TEXT[e.code ?? ''] ?? e.message;
      if (this.state === ReplState.Transfer) this.failTransfer(`I/O error trying to sync with MASTER: ${text}`);
      else this.failHandshake(`Error condition on socket for SYNC: ${text}`);
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      if (this.state === ReplState.Transfer) this.failTransfer('I/O error trying to sync with MASTER: connection lost');
      else this.failHandshake('Master did not respond to command during SYNC handshake');
    });
  }

  /** Bytes from the master before Connected: handshake lines, then the RDB. */
  private onData(chunk: Buffer): void {
    this.lastIo = Date.now();
    if (this.state === ReplState.Transfer) {
      if (this.dual.active) this.dual.bufferStream(this.socket!, chunk);
      else this.onTransferData(chunk);
      return;
    }
    const rest = this.lines.feed(
      chunk,
      () => inHandshake(this.state),
      (line) => this.onReply(line),
    );
    // onReply moved the state on (TypeScript keeps the narrowing from the check above).
    const state = this.state as ReplState;
    if (rest.length === 0) return;
    if (state === ReplState.Transfer) {
      if (this.dual.active) this.dual.bufferStream(this.socket!, rest);
      else this.onTransferData(rest);
    } else if (state === ReplState.Connected) this.stream!.receive(rest);
  }

  /** One reply line of the handshake, interpreted by the current state. */
  private onReply(line: string): void {
    switch (this.state) {
      case ReplState.ReceivePingReply:
        return this.onPingReply(line);
      case ReplState.ReceiveAuthReply:
        if (line[0] === '-') return this.failHandshake(`Unable to AUTH to MASTER: ${line}`);
        this.state = ReplState.ReceivePortReply;
        return;
      case ReplState.ReceivePortReply:
        if (line[0] === '-') this.server.logger.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
        this.state = this.server.config.str('replica-announce-ip') !== '' ? ReplState.ReceiveIpReply : ReplState.ReceiveCapaReply;
        return;
      case ReplState.ReceiveIpReply:
        if (line[0] === '-') this.server.logger.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
        this.state = ReplState.ReceiveCapaReply;
        return;
      case ReplState.ReceiveCapaReply:
        if (line[0] === '-') this.server.logger.notice(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
        return this.sendPsync();
      case ReplState.ReceivePsyncReply:
        return this.onPsyncReply(line);
      case ReplState.RdbChannelSync:
        if (line === '') return;
        return this.failHandshake(`Unexpected reply on the main channel while the RDB channel waits for the snapshot: ${line}`);
      case ReplState.ReceiveRdbClientIdReply:
        if (line[0] === '-') return this.refuseDualChannel(`Master refused REPLCONF rdb-client-id: ${line}`);
        // Not pipelined with it: a master refuses PSYNC while replies are pending.
        this.socket!.write(encodeCommand(['PSYNC', this.fullSync.replId, String(this.fullSync.offset + 1)]), 'latin1');
        this.state = ReplState.ReceiveStreamPsyncReply;
        return;
      case ReplState.ReceiveStreamPsyncReply:
        return this.onStreamPsyncReply(line);
    }
  }

  /** +PONG, or an authentication error that AUTH will fix: send the rest of the handshake. */
  private onPingReply(line: string): void {
    if (line === '') return;
    if (line[0] === '-' && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
      return this.failHandshake(`Error reply to PING from master: '${line}'`);
    }
    this.server.logger.notice('Master replied to PING, replication can continue...');
    this.sendHandshake();
  }

  /** SendHandshake: AUTH, REPLCONF listening-port / ip-address / capa, pipelined. */
  private sendHandshake(): void {
    this.state = ReplState.SendHandshake;
    const config = this.server.config;
    const pass = config.str('masterauth');
    const user = config.str('masteruser');
    let out = '';
    if (pass !== '') out += encodeCommand(user !== '' ? ['AUTH', user, pass] : ['AUTH', pass]);
    const announcedPort = config.num('replica-announce-port') || this.server.port;
    out += encodeCommand(['REPLCONF', 'listening-port', String(announcedPort)]);
    const ip = config.str('replica-announce-ip');
    if (ip !== '') out += encodeCommand(['REPLCONF', 'ip-address', ip]);
    const capa = ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'];
    if (config.bool('dual-channel-replication-enabled') && this.dualChannelRefusedBy !== this.masterAddress())
      capa.push('capa', 'dual-channel');
    out += encodeCommand(capa);
    this.socket!.write(out, 'latin1');
    this.state = pass !== '' ? ReplState.ReceiveAuthReply : ReplState.ReceivePortReply;
  }

  /** SendPsync: asks to continue the cached history, or for a full sync without one. */
  private sendPsync(): void {
    this.state = ReplState.SendPsync;
    const repl = this.server.replication;
    let argv: string[];
    if (this.cached) {
      const from = String(repl.offset + 1);
      this.server.logger.notice(`Trying a partial resynchronization (request ${repl.replId}:${from}).`);
      argv = ['PSYNC', repl.replId, from];
      // A master handing over by FAILOVER asks the target to promote itself first (primary/failover.ts).
      if (repl.failover.inProgress) argv.push('FAILOVER');
    } else {
      this.server.logger.notice('Partial resynchronization not possible (no cached master)');
      argv = ['PSYNC', '?', '-1'];
    }
    this.socket!.write(encodeCommand(argv), 'latin1');
    this.state = ReplState.ReceivePsyncReply;
  }

  /** ReceivePsyncReply: full resync, partial resync, or try again later. */
  private onPsyncReply(line: string): void {
    const log = this.server.logger;
    if (line === '') return; // a newline the master sends to keep the link alive
    const failover = this.server.replication.failover;
    if (line.startsWith('+FULLRESYNC') || line.startsWith('+CONTINUE') || line.startsWith('+DUALCHANNELSYNC')) failover.onPsyncAccepted();
    else if (failover.inProgress) return failover.onPsyncRejected();
    if (line.startsWith('+FULLRESYNC')) {
      const [, replId, offset] = line.split(' ');
      if (replId === undefined || replId.length !== 40 || !/^\d+$/.test(offset ?? '')) {
        return this.failHandshake('Master replied with wrong +FULLRESYNC syntax.');
      }
      this.fullSync = { replId, offset: Number(offset), db: 0 };
      this.legacySync = false;
      log.notice(`Full resync from master: ${replId}:${offset}`);
      return this.startTransfer();
    }
    if (line.startsWith('+CONTINUE')) return this.continueHistory(line.slice(9).trim());
    if (line.startsWith('+DUALCHANNELSYNC')) return this.startRdbChannel();
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      return this.failHandshake(`Master is currently unable to PSYNC but should be in the future: ${line}`, 'notice');
    }
    this.server.logger.warning(`Unexpected reply to PSYNC from master: ${line}`);
    this.retryWithSync();
  }

  /**
   * A master that refused PSYNC gets the old SYNC: a full sync whose RDB
   * arrives without a +FULLRESYNC line, so the history it starts is a new
   * one at offset 0. An error reply to it ends the attempt (see
   * onTransferData).
   */
  private retryWithSync(): void {
    this.server.logger.notice('Retrying with SYNC...');
    this.socket!.write(encodeCommand(['SYNC']), 'latin1');
    this.fullSync = { replId: newReplId(), offset: 0, db: 0 };
    this.legacySync = true;
    this.startTransfer();
  }

  /** +CONTINUE [replid]: the dataset stays; a new replid means the master was promoted (PSYNC2). */
  private continueHistory(newId: string): void {
    const log = this.server.logger;
    const repl = this.server.replication;
    log.notice('Successful partial resynchronization with master.');
    if (repl.backlog === null) repl.ensureBacklog();
    if (newId.length === 40 && newId !== repl.replId) {
      repl.shiftReplId(newId);
      log.notice(`Master replication ID changed to ${newId}`);
      this.disconnectReplicas();
    }
    this.cached = false;
    log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    this.becomeConnected();
  }

  /** A handshake step failed: log, close, and let the cron retry (state Connect). */
  private failHandshake(why: string, level: 'warning' | 'notice' = 'warning'): void {
    this.server.logger[level](why);
    this.cancelAttempt();
    this.state = ReplState.Connect;
  }

  /** host:port of our master, to remember what it refused. */
  private masterAddress(): string {
    return `${this.masterHost}:${this.port}`;
  }

  /**
   * The master refused a step of the dual-channel exchange (a peer that
   * speaks it differently, such as Valkey 8): this attempt ends, and the next
   * ones with this master do not announce the capability, so the classic
   * sync follows at once instead of the same refusal again.
   */
  private refuseDualChannel(why: string): void {
    this.dualChannelRefusedBy = this.masterAddress();
    this.failHandshake(`${why}; falling back to the classic sync with this master`);
  }

  // ---- Transfer ---------------------------------------------------------------

  /** Transfer: receives the RDB into memory, and into a temp file with repl-diskless-load disabled. */
  private startTransfer(): void {
    this.state = ReplState.Transfer;
    this.createTransfer();
  }

  /** The receiver of the RDB, from whichever connection carries it. */
  private createTransfer(): void {
    const mode = this.server.config.str('repl-diskless-load');
    // on-empty-db loads from memory only when there is no data to lose meanwhile.
    const toDisk = mode === 'disabled' || (mode === 'on-empty-db' && this.server.keyCount() > 0);
    this.transferToDisk = toDisk;
    // Redis loads such an RDB from the socket as it arrives, so it is loading from the first byte —
    // except swapdb within the same history (its async loading serves the old data meanwhile, as
    // nodis does) and a dual-channel sync (whose point is to serve the old data meanwhile).
    const loadsFromSocket = !toDisk && !this.dual.active && !(mode === 'swapdb' && this.fullSync.replId === this.server.replication.replId);
    const where = toDisk ? 'to disk' : 'to parser';
    const log = this.server.logger;
    const transfer = new RdbTransfer(toDisk ? this.server.persistence.path : null, (eof, size) => {
      if (eof) log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${where}`);
      else log.notice(`MASTER <-> REPLICA sync: receiving ${size} bytes from master ${where}`);
      if (loadsFromSocket) {
        this.server.persistence.socketLoad = {
          startedAt: Date.now(),
          totalBytes: () => transfer.totalBytes,
          readBytes: () => transfer.readBytes,
        };
      }
    });
    this.transfer = transfer;
  }

  private onTransferData(chunk: Buffer): void {
    this.server.stats.netReplInputBytes += chunk.length;
    let rest: Buffer | null;
    try {
      rest = this.transfer!.feed(chunk);
    } catch (e) {
      if (!(e instanceof TransferError)) throw e;
      // Redis reconnects at once even when SYNC was refused (-NOAUTH: a tight loop); the cron retries here.
      if (this.legacySync) return this.failHandshake(e.message);
      return this.failTransfer(e.message);
    }
    if (rest === null) return;
    if (!this.dual.active) return void this.loadTransfer(rest);
    this.dual.rdbDone();
    // The load waits for the main channel's +CONTINUE when the RDB came first.
    if (this.state === ReplState.Transfer) void this.loadTransfer(Buffer.alloc(0));
  }

  // ---- Dual-channel sync -------------------------------------------------------

  /** +DUALCHANNELSYNC: the RDB comes over a second connection (replica/rdb-channel.ts). */
  private startRdbChannel(): void {
    this.server.logger.notice('MASTER <-> REPLICA sync: the master asks for a dual-channel sync; opening the RDB channel');
    this.state = ReplState.RdbChannelSync;
    this.dual.open(this.masterHost!, this.port, {
      onIo: () => (this.lastIo = Date.now()),
      onCut: (position) => this.onRdbChannelCut(position),
      onRdbData: (chunk) => this.onTransferData(chunk),
      onFailure: (why) => (this.state === ReplState.Transfer ? this.failTransfer(why) : this.failHandshake(why)),
    });
  }

  /** $ENDOFF on the RDB channel: the RDB follows there; the main channel asks for the stream from the cut. */
  private onRdbChannelCut(position: SnapshotPosition): void {
    const { offset, replId, db, clientId } = position;
    this.server.logger.notice(`Full resync from master: ${replId}:${offset} (RDB channel client id #${clientId}, dual-channel sync)`);
    this.fullSync = { replId, offset, db: Math.min(db, this.server.dbs.length - 1) };
    this.legacySync = false;
    this.createTransfer();
    this.socket!.write(encodeCommand(['REPLCONF', 'rdb-client-id', String(clientId)]), 'latin1');
    this.state = ReplState.ReceiveRdbClientIdReply;
  }

  /** The main channel's PSYNC from the cut: +CONTINUE starts buffering its stream (Transfer). */
  private onStreamPsyncReply(line: string): void {
    if (line === '') return;
    if (!line.startsWith('+CONTINUE'))
      return this.refuseDualChannel(`Master did not continue the stream of the dual-channel sync: ${line}`);
    this.server.logger.notice("MASTER <-> REPLICA sync: main channel accepted; buffering the master's stream until the RDB is loaded");
    this.state = ReplState.Transfer;
    if (this.dual.rdbReceived) void this.loadTransfer(Buffer.alloc(0));
  }

  /**
   * The RDB arrived: replace the dataset with it (all or nothing, read in
   * slices between which clients are served and get -LOADING; the socket
   * is paused meanwhile, so what the master sends after the RDB waits),
   * adopt the master's history, and apply what followed it as the stream.
   * REPLICAOF or a lost link during the load abandons it (dataset unchanged).
   */
  private async loadTransfer(rest: Buffer): Promise<void> {
    const log = this.server.logger;
    const transfer = this.transfer!;
    const socket = this.socket!;
    const toDisk = this.transferToDisk;
    if (this.cached) {
      log.notice('Discarding previously cached master state.');
      this.cached = false;
    }
    this.disconnectReplicas();
    log.notice('MASTER <-> REPLICA sync: Flushing old data');
    log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    // A dual-channel sync keeps buffering the main channel's stream during the load.
    if (!this.dual.active) socket.pause();
    // The load below reports itself from here on.
    this.server.persistence.socketLoad = null;
    try {
      const result = await this.server.persistence.loadInSlices(transfer.payload(), { replace: true }, () => this.socket !== socket);
      if (result === null) return;
    } catch (e) {
      if (this.socket !== socket) return;
      log.warning(`${(e as Error).message}`);
      return this.failTransfer(
        `Failed trying to load the MASTER synchronization DB from ${toDisk ? 'disk' : 'socket'}, check server logs.`,
      );
    }
    if (this.socket !== socket) return;
    // The file replaces dbfilename only once its data proved good (the dataset is already in).
    if (toDisk) {
      try {
        transfer.commitFile();
        this.server.persistence.removeSyncFile('Removing the RDB file obtained from the master. This replica has persistence disabled');
      } catch (e) {
        log.warning(
          `Failed trying to rename the temp DB into ${this.server.config.str('dbfilename')} in MASTER <-> REPLICA synchronization: ${(e as Error).message}`,
        );
      }
    }
    transfer.discard();
    this.transfer = null;
    this.ownExpires.clear();
    this.server.replication.adoptHistory(this.fullSync.replId, this.fullSync.offset);
    this.streamDb = this.fullSync.db;
    log.notice('MASTER <-> REPLICA sync: Finished with success');
    this.becomeConnected();
    const stream = this.stream!;
    if (this.dual.active) await this.dual.applyBuffered(stream, socket, () => this.stream === stream);
    if (this.stream !== stream) return;
    socket.resume();
    // The first ACK tells a diskless master the RDB was received: it starts the stream.
    stream.sendAck();
    if (rest.length > 0) stream.receive(rest);
  }

  /** The transfer failed: discard it (the dataset stays) and reconnect at once, like Redis. */
  private failTransfer(why: string): void {
    this.server.logger.warning(why);
    this.cancelAttempt();
    this.retrying = true;
    this.state = ReplState.Connect;
    this.connect();
  }

  // ---- Connected ---------------------------------------------------------------

  /** Connected: the socket becomes the master client (replica/stream.ts). */
  private becomeConnected(): void {
    const socket = this.socket!;
    this.socket = null;
    this.state = ReplState.Connected;
    this.downSince = 0;
    const stream = new MasterStream(this.server, socket, this.server.dbs[this.streamDb]!, () => this.onMasterLost(stream));
    this.stream = stream;
  }

  /** The synced link closed (master gone, CLIENT KILL, timeout): cache the history and reconnect now. */
  private onMasterLost(stream: MasterStream): void {
    if (stream !== this.stream) return;
    this.stream = null;
    this.noteLinkLost(stream);
    this.state = ReplState.Connect;
    this.server.logger.notice(`Reconnecting to MASTER ${this.masterHost}:${this.port}`);
    this.connect();
  }

  /** Closes a synced link on purpose (REPLICAOF, shutdown), caching its state without reconnecting. */
  private dropStream(): void {
    const stream = this.stream;
    if (stream === null) return;
    this.stream = null;
    this.noteLinkLost(stream);
    stream.close();
  }

  private noteLinkLost(stream: MasterStream): void {
    this.streamDb = stream.client.db.id;
    this.server.logger.warning('Connection with master lost.');
    this.server.logger.notice('Caching the disconnected master state.');
    this.cached = true;
    this.downSince = Date.now();
  }

  /** Closes a connection attempt in progress and drops a partial transfer. */
  private cancelAttempt(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.transfer?.discard();
    this.transfer = null;
    this.server.persistence.socketLoad = null;
    this.lines.clear();
    this.dual.close();
  }

  /** Closes this server's own replicas (their history changed under them). */
  private disconnectReplicas(): void {
    for (const c of [...this.server.clients.values()]) if (c.is(ClientKind.Replica)) c.close();
  }

  // ---- Timers ------------------------------------------------------------------

  /** Once a second: connect, time out a silent master, ACK the processed offset. */
  private cron(): void {
    if (this.state === ReplState.None) return;
    const now = Date.now();
    if (now - this.lastCron < 1000) return;
    this.lastCron = now;
    const timeoutMs = this.server.config.num('repl-timeout') * 1000;
    const log = this.server.logger;
    if ((this.state === ReplState.Connecting || inHandshake(this.state)) && now - this.lastIo > timeoutMs) {
      log.warning('Timeout connecting to the MASTER...');
      this.cancelAttempt();
      this.retrying = true;
      this.connect();
    } else if (this.state === ReplState.Transfer && this.server.persistence.loading === null && now - this.transfer!.lastIo > timeoutMs) {
      this.failTransfer(
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
    } else if (this.state === ReplState.Connected && now - this.stream!.lastIo > timeoutMs) {
      log.warning('MASTER timeout: no data nor PING received...');
      this.stream!.close();
    } else if (this.state === ReplState.Connect) {
      log.notice(`Connecting to MASTER ${this.masterHost}:${this.port}`);
      this.connect();
    } else if (this.state === ReplState.Connected) {
      this.stream!.sendAck();
    }
  }

  // ---- Introspection -------------------------------------------------------------

  /** ROLE's state word for a replica. */
  private roleState(): string {
    if (this.state === ReplState.Connect) return 'connect';
    if (this.state === ReplState.Connecting) return 'connecting';
    if (inFullSync(this.state)) return 'sync';
    if (inHandshake(this.state)) return 'handshake';
    return 'connected';
  }

  /** ROLE on a replica: slave, host, port, state, processed offset (-1 unless connected). */
  roleReply(c: Client): void {
    const w = c.reply;
    w.array(5);
    w.bulkText('slave');
    w.bulkText(this.masterHost!);
    w.int(this.port);
    w.bulkText(this.roleState());
    w.int(this.stream !== null ? this.server.replication.offset : -1);
  }

  /** INFO replication's replica lines, Redis 7.0's fields in its order (before connected_slaves). */
  infoLines(): string[] {
    const config = this.server.config;
    const now = Date.now();
    const repl = this.server.replication;
    const stream = this.stream;
    const processed = stream !== null || this.cached ? repl.offset : 1;
    const read = stream !== null ? stream.readOffset : processed;
    const out = [
      'role:slave',
      `master_host:${this.masterHost}`,
      `master_port:${this.port}`,
      `master_link_status:${this.linkUp ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${stream !== null ? Math.floor((now - stream.lastIo) / 1000) : -1}`,
      `master_sync_in_progress:${this.syncing ? 1 : 0}`,
      `slave_read_repl_offset:${read}`,
      `slave_repl_offset:${processed}`,
    ];
    const t = this.transfer;
    if (this.syncing && t !== null) {
      const perc = t.totalBytes !== 0 ? (t.readBytes / t.totalBytes) * 100 : 0;
      out.push(
        `master_sync_total_bytes:${t.totalBytes}`,
        `master_sync_read_bytes:${t.readBytes}`,
        `master_sync_left_bytes:${t.totalBytes - t.readBytes}`,
        `master_sync_perc:${perc.toFixed(2)}`,
        `master_sync_last_io_seconds_ago:${Math.floor((now - t.lastIo) / 1000)}`,
      );
    }
    if (!this.linkUp) out.push(`master_link_down_since_seconds:${this.downSince !== 0 ? Math.floor((now - this.downSince) / 1000) : -1}`);
    out.push(
      `slave_priority:${config.num('replica-priority')}`,
      `slave_read_only:${config.bool('replica-read-only') ? 1 : 0}`,
      `replica_announced:${config.bool('replica-announced') ? 1 : 0}`,
      // nodis extension (README, "Lag"), after Redis's replica fields.
      `replication_lag_ms:${stream !== null ? stream.applyLagMs(now) : -1}`,
    );
    // Dual-channel sync's buffer, named as Valkey 8 names it.
    if (config.bool('dual-channel-replication-enabled')) {
      out.push(...this.dual.infoFields());
    }
    return out;
  }
}
