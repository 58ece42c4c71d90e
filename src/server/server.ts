/**
 * A nodis server: listening sockets, connected clients, the databases and
 * the server-wide state commands share (config, stats, slowlog, monitors,
 * the effects stream). Several servers can live in one process.
 *
 * Life cycle: new Server(config) → start() binds every `bind` address (an
 * address prefixed with '-' may fail) and the unix socket, then starts the
 * cron → stop() closes listeners and clients and stops timers.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { chmodSync, unlinkSync } from 'node:fs';
import { Config } from '../config/config.js';
import { Db, type DbHooks } from '../keyspace/db.js';
import { AccessPolicy } from '../keyspace/access.js';
import { expiredDeletionCommand } from '../keyspace/expiry.js';
import { Logger } from '../util/log.js';
import { nowMs } from '../util/clock.js';
import type { CommandTable } from '../commands/table.js';
import { isLoopback } from '../util/net.js';
import { Client } from './client.js';
import { Executor } from './call.js';
import { Propagation } from './propagation.js';
import { KeyEvents } from '../keyspace/events.js';
import { Stats } from './stats.js';
import { Slowlog } from './slowlog.js';
import { Cron } from './cron.js';
import { serverApplier } from './config-apply.js';
import { OutputLimits } from './output-limits.js';
import { bindErrorText, isMissingAddress, listenAddresses } from '../config/listen.js';
import { ClientPause } from './pause.js';
import { ShutdownSequence } from './shutdown.js';
import { LatencyMonitor } from './latency.js';
import { Evictor } from '../keyspace/eviction.js';
import { formatMonitorLine } from './monitor.js';
import { WatchRegistry } from '../transactions/watch.js';
import { BlockingRegistry } from '../blocking/registry.js';
import { PubSub } from '../pubsub/hub.js';
import { wireKeyspaceNotifications } from '../pubsub/notifications.js';
import { Persistence } from '../persistence/persistence.js';
import { Replication } from '../replication/replication.js';
import { ReplicaLink } from '../replication/replica/link.js';

const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export class Server {
  readonly logger = new Logger();
  readonly dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly commands: CommandTable;
  readonly executor: Executor;
  readonly propagation = new Propagation();
  /** Key change signals (WATCH, blocked clients, keyspace notifications). */
  readonly events = new KeyEvents();
  /** Keys watched by clients for MULTI/EXEC. */
  readonly watches = new WatchRegistry();
  /** Clients blocked on keys (BLPOP …). */
  readonly blocking = new BlockingRegistry();
  /** Pub/sub channels and patterns, and message delivery. */
  readonly pubsub: PubSub;
  /** LRU/LFU settings shared by every db's entries. */
  readonly accessPolicy: AccessPolicy;
  /** client-output-buffer-limit, parsed per client class. */
  readonly outputLimits: OutputLimits;
  readonly stats = new Stats();
  /** maxmemory: the memory model's total and key eviction. */
  readonly evictor: Evictor;
  readonly slowlog: Slowlog;
  readonly cron: Cron;
  readonly pause = new ClientPause(this);
  readonly shutdown = new ShutdownSequence(this);
  readonly latency: LatencyMonitor;
  /** Random identity of this run (INFO run_id). */
  readonly runId = randomBytes(20).toString('hex');
  /** Replication IDs, offsets, backlog and stream consumers (src/replication). */
  readonly replication: Replication;
  /** The link to our master while a replica (src/replication/replica/link.ts). */
  readonly replicaLink: ReplicaLink;
  /** The hooks every db calls (shared object: a snapshot installs its copy-on-write hook here). */
  readonly dbHooks: DbHooks;
  /** RDB saving and loading. */
  readonly persistence: Persistence;
  /** Count of changes to the dataset (Redis's server.dirty). */
  dirty = 0;
  /** When the cross protocol scripting warning was last logged (ms; see Client). */
  lastSecurityWarningMs = 0;
  /** Unix time in ms of the last successful save (LASTSAVE). */
  lastSave = Date.now();
  /** Exit the process on SHUTDOWN (the nodis-server binary); embedded servers only stop. */
  exitOnShutdown = false;
  /** CONFIG SET dir changes the process's working directory (the nodis-server binary, as Redis). */
  followsDir = false;
  /** Path of the config file the server was started with, or ''. */
  configFile = '';
  /** The TCP port actually bound (differs from the option when it was 0). */
  port = 0;
  /** True from start() until stop(). */
  listening = false;
  private listeners: net.Server[] = [];
  private nextClientId = 1;
  private pendingFlush = new Set<Client>();
  private flushScheduled = false;
  /** Resolves when the server has fully stopped. */
  private stopped = false;

  /**
   * @param commands the command table (commands/index.ts's commandTable():
   *   injected, so the server does not depend on the command modules that
   *   depend on it).
   */
  constructor(
    commands: CommandTable,
    readonly config: Config = new Config(),
  ) {
    this.commands = commands;
    this.executor = new Executor(this);
    this.slowlog = new Slowlog(config);
    this.latency = new LatencyMonitor(config);
    this.cron = new Cron(this);
    this.accessPolicy = new AccessPolicy(config);
    this.outputLimits = new OutputLimits(config.str('client-output-buffer-limit'));
    this.pubsub = new PubSub(this.outputLimits);
    const refreshNotifications = wireKeyspaceNotifications(config, this.events, this.pubsub);
    this.evictor = new Evictor(this);
    this.cron.addTask(() => {
      this.evictor.refreshClientBytes();
      this.stats.sample(Date.now(), this.evictor.usedMemory());
    });
    this.events.onModified((db, key) => this.watches.touch(db, key));
    this.events.onReady((db, key) => this.blocking.keyReady(db, key));
    const hooks: DbHooks = (this.dbHooks = {
      expired: (db, key) => this.expireKey(db, key),
      // A key created by any command (RENAME, MOVE, COPY … included) may serve blocked clients, as in Redis's dbAdd.
      added: (db, key) => {
        this.events.notify('n', 'new', key, db.id);
        this.events.ready(db, key);
      },
      // Keys do not expire while clients are paused (CLIENT PAUSE keeps the dataset still),
      // nor on a replica (its master sends the DELs).
      deleteExpiredOnAccess: () => !this.pause.writesPaused && !this.isReplica(),
      keepExpired: () => this.replication.applyingMasterStream,
      // A TTL a client of a writable replica sets: that replica must expire the key itself.
      expireSet: (db, key) => {
        if (this.isReplica() && !this.replication.applyingMasterStream) this.replicaLink.rememberOwnExpire(db, key);
      },
      now: nowMs,
      beforeWrite: null,
      access: this.accessPolicy,
    });
    this.persistence = new Persistence(this);
    this.replication = new Replication(this);
    this.replicaLink = new ReplicaLink(this);
    const n = config.num('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, hooks));
    this.logger.level = config.str('loglevel') as Logger['level'];
    this.logger.file = config.str('logfile');
    config.setApplier(serverApplier(this, refreshNotifications));
  }

  isReplica(): boolean {
    return this.replicaLink.masterHost !== null;
  }

  /**
   * Deletes an expired key and propagates the deletion as DEL or UNLINK
   * (effects, not intents). Like Redis, expiry does not count in `dirty`, so a command that
   * only met an expired key is not itself propagated.
   */
  expireKey(db: Db, key: string): void {
    db.delete(key);
    this.stats.expiredKeys++;
    this.propagation.record(db.id, [expiredDeletionCommand(this.config), key]);
    this.events.notify('x', 'expired', key, db.id);
    this.events.modified(db, key);
  }

  /** Binds the listeners and starts periodic work. Rejects if a required address fails. */
  async start(): Promise<void> {
    await this.bindTcp();
    const unixPath = this.config.str('unixsocket');
    if (unixPath !== '') {
      try {
        unlinkSync(unixPath);
      } catch {
        // no stale socket file
      }
      try {
        await this.listen({ path: unixPath });
        const perm = this.config.num('unixsocketperm');
        if (perm !== 0) chmodSync(unixPath, perm);
      } catch (e) {
        await this.closeListeners();
        throw new Error(`Failed opening Unix socket: ${(e as Error).message}`);
      }
    }
    this.listening = true;
    this.cron.start();
  }

  /**
   * Listens on every `bind` address at `port` (port 0 with addresses: a free
   * port, the same for all). An optional ('-') address that does not exist
   * here is skipped; any other failure closes what was opened and rejects
   * with Redis's message, after logging which address failed.
   */
  private async bindTcp(): Promise<void> {
    let port = this.config.num('port');
    for (const a of listenAddresses(this.config.str('bind'), port)) {
      try {
        const srv = await this.listen({ host: a.host, port, ipv6Only: a.ipv6 });
        if (port === 0) port = (srv.address() as net.AddressInfo).port;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (a.optional && isMissingAddress(code)) continue;
        this.logger.warning(`Warning: Could not create server TCP listening socket ${a.name}:${port}: bind: ${bindErrorText(code)}`);
        await this.closeListeners();
        throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
      }
    }
    this.port = port;
  }

  /** The TCP addresses listened on now. */
  tcpAddresses(): { host: string; port: number }[] {
    const out: { host: string; port: number }[] = [];
    for (const l of this.listeners) {
      const a = l.address();
      if (a !== null && typeof a !== 'string') out.push({ host: a.address, port: a.port });
    }
    return out;
  }

  /**
   * CONFIG SET port/bind: stops accepting on the TCP listeners (their
   * clients stay connected) and binds the configured addresses again.
   */
  async rebindTcp(): Promise<void> {
    const tcp = this.listeners.filter((l) => typeof l.address() !== 'string');
    this.listeners = this.listeners.filter((l) => !tcp.includes(l));
    for (const l of tcp) l.close();
    try {
      await this.bindTcp();
    } catch (e) {
      this.logger.warning((e as Error).message);
    }
  }

  private listen(opts: net.ListenOptions): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      srv.maxConnections = Infinity;
      srv.once('error', reject);
      srv.listen({ ...opts, backlog: this.config.num('tcp-backlog') }, () => {
        srv.off('error', reject);
        srv.on('error', (e) => this.logger.warning(`Listener error: ${e.message}`));
        this.listeners.push(srv);
        resolve(srv);
      });
    });
  }

  /** Handles a new connection: limits, protected mode, then a Client. */
  private accept(socket: net.Socket): void {
    this.stats.connectionsReceived++;
    socket.setNoDelay(true);
    const keepalive = this.config.num('tcp-keepalive');
    if (keepalive > 0 && socket.remoteAddress !== undefined) socket.setKeepAlive(true, keepalive * 1000);
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      refuse(socket, '-ERR max number of clients reached\r\n');
      return;
    }
    if (
      this.config.bool('protected-mode') &&
      this.config.str('requirepass') === '' &&
      socket.remoteAddress !== undefined &&
      !isLoopback(socket.remoteAddress)
    ) {
      this.stats.rejectedConnections++;
      refuse(socket, PROTECTED_MODE_DENIED);
      return;
    }
    const client = this.adoptConnection(socket);
    socket.on('data', (chunk: Buffer) => client.onData(chunk));
  }

  /**
   * Registers a connected socket as a client (closing and errors wired);
   * the caller feeds it what it reads (accept(), or a replica's master link).
   */
  adoptConnection(socket: net.Socket): Client {
    const client = new Client(this.nextClientId++, this, socket);
    this.clients.set(client.id, client);
    socket.on('error', () => client.close());
    socket.on('close', () => {
      client.closed = true;
      this.removeClient(client);
    });
    return client;
  }

  /** Forgets a client that closed or was closed. */
  removeClient(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    this.monitors.delete(c);
    this.watches.unwatchAll(c.multi);
    this.blocking.forget(c);
    this.pubsub.forget(c);
    this.pendingFlush.delete(c);
    this.pause.forget(c);
  }

  /** Queues a client whose replies were produced outside its own read. */
  scheduleFlush(c: Client): void {
    this.pendingFlush.add(c);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const list = this.pendingFlush;
      this.pendingFlush = new Set();
      for (const client of list) client.flush();
    });
  }

  /** Sends a command executed by c to every MONITOR client (c included), in Redis's format. */
  feedMonitors(c: Client, argv: readonly string[]): void {
    const line = formatMonitorLine(c, argv, Math.floor((performance.timeOrigin + performance.now()) * 1000));
    for (const m of this.monitors) {
      m.reply.simple(line);
      if (m !== c) m.scheduleFlush();
    }
  }

  /** Total keys and keys with expiry per db, for INFO keyspace. */
  keyCount(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  /**
   * The final step before exit of SHUTDOWN (and SIGTERM/SIGINT; see shutdown.ts): stops a background
   * save and writes the final RDB when save points are set or `save` asks
   * (unless `nosave`). Returns false when that save failed and `force` was
   * not given: the server keeps running.
   */
  prepareShutdown(flags: { save?: boolean; nosave?: boolean; force?: boolean } = {}): boolean {
    this.persistence.abortBackgroundSave();
    if (flags.nosave || (!flags.save && !this.persistence.savePointsSet)) return true;
    this.logger.notice('Saving the final RDB snapshot before exiting.');
    if (this.persistence.save()) return true;
    if (flags.force) {
      this.logger.warning('Error trying to save the DB. Exit anyway.');
      return true;
    }
    this.logger.warning("Error trying to save the DB, can't exit.");
    return false;
  }

  /**
   * SHUTDOWN: logs like Redis, stops the server and, for the nodis-server
   * process (exitOnShutdown), exits with status 0.
   */
  async shutdownAndExit(): Promise<void> {
    this.logger.warning('nodis is now ready to exit, bye bye...');
    await this.stop();
    if (this.exitOnShutdown) process.exit(0);
  }

  /**
   * Redis's serverPanic: an internal state nodis must not continue from
   * (a replica that would diverge from its master). Logs Redis's panic
   * lines, then the nodis-server process exits with status 1 at once; an
   * embedded server stops (the host process goes on).
   */
  panic(msg: string): void {
    const log = this.logger;
    log.warning('------------------------------------------------');
    log.warning('!!! Software Failure. Press left mouse button to continue');
    log.warning(`Guru Meditation: ${msg}`);
    if (this.exitOnShutdown) process.exit(1);
    void this.stop();
  }

  /** Stops listening, disconnects every client and stops timers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.listening = false;
    this.cron.stop();
    this.pause.stop();
    this.replicaLink.stop();
    for (const c of [...this.clients.values()]) {
      c.flush();
      c.close();
    }
    await this.closeListeners();
  }

  private async closeListeners(): Promise<void> {
    const list = this.listeners;
    this.listeners = [];
    await Promise.all(list.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    const unixPath = this.config.str('unixsocket');
    if (unixPath !== '') {
      try {
        unlinkSync(unixPath);
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Turns a connection away like Redis: sends the error reply, then closes the
 * socket once it is flushed. (The socket is never read, so ending it and
 * waiting for the peer's FIN would keep it, and server.stop(), open forever.)
 */
function refuse(socket: net.Socket, reply: string): void {
  socket.on('error', () => undefined);
  socket.end(reply, () => socket.destroy());
}
