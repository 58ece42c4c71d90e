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
import { chmodSync, unlinkSync } from 'node:fs';
import { Config } from '../config/config.js';
import { Db, type DbHooks } from '../keyspace/db.js';
import { Logger } from '../util/log.js';
import { nowMs } from '../util/clock.js';
import { CommandTable } from '../commands/table.js';
import { allCommands } from '../commands/index.js';
import { Client } from './client.js';
import { Executor } from './call.js';
import { Propagation } from './propagation.js';
import { Stats } from './stats.js';
import { Slowlog } from './slowlog.js';
import { Cron } from './cron.js';

/** The command table is the same for every server; built once. */
let sharedTable: CommandTable | null = null;

const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export class Server {
  readonly logger = new Logger();
  readonly dbs: Db[] = [];
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly commands: CommandTable;
  readonly executor: Executor;
  readonly propagation = new Propagation();
  readonly stats = new Stats();
  readonly slowlog: Slowlog;
  readonly cron: Cron;
  /** Count of changes to the dataset (Redis's server.dirty). */
  dirty = 0;
  /** Unix time in ms of the last successful save (LASTSAVE). */
  lastSave = Date.now();
  /** Exit the process on SHUTDOWN (the nodis-server binary); embedded servers only stop. */
  exitOnShutdown = false;
  /** Path of the config file the server was started with, or ''. */
  configFile = '';
  /** The TCP port actually bound (differs from the option when it was 0). */
  port = 0;
  /** The master's host while this server is a replica, else null. */
  masterHost: string | null = null;
  private listeners: net.Server[] = [];
  private nextClientId = 1;
  private pendingFlush = new Set<Client>();
  private flushScheduled = false;
  /** Resolves when the server has fully stopped. */
  private stopped = false;

  constructor(readonly config: Config = new Config()) {
    sharedTable ??= new CommandTable(allCommands);
    this.commands = sharedTable;
    this.executor = new Executor(this);
    this.slowlog = new Slowlog(config);
    this.cron = new Cron(this);
    const hooks: DbHooks = {
      expired: (db, key) => this.expireKey(db, key),
      deleteExpiredOnAccess: () => true,
      now: nowMs,
      beforeWrite: null,
    };
    const n = config.num('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, hooks));
    this.logger.level = config.str('loglevel') as Logger['level'];
    this.logger.file = config.str('logfile');
    config.onChange('loglevel', (v) => (this.logger.level = v as Logger['level']));
  }

  isReplica(): boolean {
    return this.masterHost !== null;
  }

  /** Deletes an expired key and propagates the deletion as DEL (effects, not intents). */
  expireKey(db: Db, key: string): void {
    db.delete(key);
    this.stats.expiredKeys++;
    this.dirty++;
    this.propagation.record(db.id, ['DEL', key]);
  }

  /** Binds the listeners and starts periodic work. Rejects if a required address fails. */
  async start(): Promise<void> {
    const port = this.config.num('port');
    const binds = this.config.str('bind').split(' ').filter((b) => b !== '');
    let boundPort = port;
    if (port !== 0 || binds.length > 0) {
      for (const spec of binds) {
        const optional = spec.startsWith('-');
        const host = optional ? spec.slice(1) : spec;
        try {
          const srv = await this.listen({ host: host === '*' ? '0.0.0.0' : host, port: boundPort });
          if (boundPort === 0) boundPort = (srv.address() as net.AddressInfo).port;
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) continue;
          await this.closeListeners();
          throw new Error(`Failed listening on port ${boundPort} (tcp), aborting. (${host}: ${err.code ?? err.message})`);
        }
      }
    }
    this.port = boundPort;
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
        if (perm !== 0) chmodSync(unixPath, parseInt(String(perm), 8));
      } catch (e) {
        await this.closeListeners();
        throw new Error(`Failed opening Unix socket: ${(e as Error).message}`);
      }
    }
    this.cron.start();
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
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (
      this.config.bool('protected-mode') &&
      this.config.str('requirepass') === '' &&
      socket.remoteAddress !== undefined &&
      !isLoopback(socket.remoteAddress)
    ) {
      this.stats.rejectedConnections++;
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    const client = new Client(this.nextClientId++, this, socket);
    this.clients.set(client.id, client);
    socket.on('data', (chunk: Buffer) => client.onData(chunk));
    socket.on('error', () => client.close());
    socket.on('close', () => {
      client.closed = true;
      this.removeClient(client);
    });
  }

  /** Forgets a client that closed or was closed. */
  removeClient(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    this.monitors.delete(c);
    this.pendingFlush.delete(c);
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

  /** Sends a command to every MONITOR client, in Redis's format. */
  feedMonitors(c: Client, argv: readonly string[]): void {
    const now = Date.now();
    let line = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')} [${c.db.id} ${c.unix ? 'unix:' + this.config.str('unixsocket') : c.addr}]`;
    for (const a of argv) line += ' "' + escapeMonitorArg(a) + '"';
    for (const m of this.monitors) {
      if (m === c) continue;
      m.reply.simple(line);
      m.scheduleFlush();
    }
  }

  /** Total keys and keys with expiry per db, for INFO keyspace. */
  keyCount(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  /**
   * SHUTDOWN: logs like Redis, stops the server and, for the nodis-server
   * process (exitOnShutdown), exits with status 0.
   */
  async shutdownAndExit(): Promise<void> {
    this.logger.warning('User requested shutdown...');
    this.logger.warning('nodis is now ready to exit, bye bye...');
    await this.stop();
    if (this.exitOnShutdown) process.exit(0);
  }

  /** Stops listening, disconnects every client and stops timers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cron.stop();
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

function isLoopback(addr: string): boolean {
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/** Quotes an argument like Redis's sdscatrepr for MONITOR lines. */
export function escapeMonitorArg(a: string): string {
  let out = '';
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c === 92) out += '\\\\';
    else if (c === 34) out += '\\"';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += a[i];
  }
  return out;
}
