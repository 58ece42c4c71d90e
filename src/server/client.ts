/**
 * One connected client: its socket, request parser, reply writer and
 * per-connection state (selected db, protocol version, name, auth, flags).
 *
 * Read path: each chunk from the socket is fed to the parser, and every
 * complete command in it is executed in order before the replies of the
 * whole batch leave in one socket write (DESIGN principle 5). A protocol
 * error sends Redis's error reply and closes the connection after it.
 * Replies produced outside a read (timers, other clients' actions) are
 * flushed by the server at the end of the event-loop turn.
 */
import type { Socket } from 'node:net';
import { ProtocolError, RequestParser } from '../protocol/parser.js';
import { ReplyWriter } from '../protocol/reply.js';
import type { Db } from '../keyspace/db.js';
import type { Command } from '../commands/table.js';
import { ReplyError } from '../util/errors.js';
import { nowMs } from '../util/clock.js';
import type { Server } from './server.js';
import { MultiState } from '../transactions/multi-state.js';
import type { BlockedState } from '../blocking/registry.js';
import { Subscriptions } from '../pubsub/subscriptions.js';
import { overLimit } from './output-limits.js';
import { ClientKind, clientClass, type ClientClass } from './client-kind.js';

/** CLIENT REPLY modes. */
export const enum ReplyMode {
  On,
  Off,
  /** Skip the reply of the next command only. */
  SkipNext,
  /** Skipping the reply of the current command (was SkipNext). */
  Skipping,
}

export class Client {
  readonly parser = new RequestParser();
  readonly reply = new ReplyWriter();
  db: Db;
  name = '';
  authenticated: boolean;
  user = 'default';
  readonly createdAt = nowMs();
  lastInteraction = nowMs();
  /** The name last looked up in the command table and what it found (a lookup cache). */
  lastLookupName = '';
  lastLookup: Command | undefined = undefined;
  /** The last command executed, for CLIENT LIST cmd=. */
  lastCommand: Command | null = null;
  /** Close the connection once pending replies are written. */
  closeAfterReply = false;
  closed = false;
  replyMode = ReplyMode.On;
  /**
   * The pushes written since the current command began (or the last
   * flush), as ranges [from, to) of reply.pendingBytes offsets in pairs:
   * what survives when CLIENT REPLY OFF|SKIP drops the command's reply
   * (Redis's CLIENT_PUSHING).
   */
  readonly pushRanges: number[] = [];
  noEvict = false;
  /** A replacement for this command's argv in the propagated stream (effects, not intents). */
  propagateArgv: string[] | null = null;
  /** Library name/version (CLIENT SETINFO is 7.2; kept for CLIENT LIST lib-name). */
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  /** Whether this client is on a Unix socket. */
  readonly unix: boolean;
  /** Set while the client waits for a CLIENT PAUSE to end. */
  pausedInput = false;
  /** The command read and parked while the client waits for a CLIENT PAUSE to end. */
  parkedArgv: string[] | null = null;
  /** Bytes counted for INFO net input/output. */
  netIn = 0;
  netOut = 0;
  /** Commands processed on this connection. */
  commandsProcessed = 0;
  /** What this connection is: our master's link, a replica, a monitor (client-kind.ts). */
  kind = ClientKind.Normal;
  /** MULTI/EXEC state: the queued commands and the watched keys. */
  readonly multi = new MultiState();
  /** The wait of a blocking command (BLPOP …) in progress; no commands are read meanwhile. */
  blocked: BlockedState | null = null;
  /** Pub/sub channels, patterns and shard channels this client subscribes to. */
  readonly subscriptions = new Subscriptions();
  /**
   * Called after each command read from this connection is processed (the
   * master link of a replica counts its replication offset with it).
   */
  afterCommand: (() => void) | null = null;
  /** The replication offset after this client's last command (WAIT waits for replicas to reach it). */
  woff = 0;
  /** When the output first went over the normal class's soft limit (0: not over). */
  softLimitSince = 0;

  constructor(
    readonly id: number,
    readonly server: Server,
    readonly socket: Socket,
  ) {
    this.db = server.dbs[0]!;
    this.authenticated = server.config.str('requirepass') === '';
    this.parser.unauthenticated = !this.authenticated;
    this.parser.maxBulkLen = server.config.num('proto-max-bulk-len');
    this.unix = socket.remoteAddress === undefined;
    this.addr = this.unix ? `${server.config.str('unixsocket')}:0` : formatAddr(socket.remoteAddress!, socket.remotePort!);
    this.laddr = this.unix ? `${server.config.str('unixsocket')}:0` : formatAddr(socket.localAddress!, socket.localPort!);
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  /** Whether this client is of (one of) the kinds in k. */
  is(k: ClientKind): boolean {
    return (this.kind & k) !== 0;
  }

  /** Our master's link: exempt from the query buffer, bulk length and output buffer limits, as in Redis. */
  get exemptFromLimits(): boolean {
    return this.is(ClientKind.Master);
  }

  /** The class for CLIENT TYPE filters and client-output-buffer-limit. */
  get clientClass(): ClientClass {
    return clientClass(this.kind, this.subscriptions.active);
  }

  /** Handles one chunk read from the socket: parse, execute, flush. */
  onData(chunk: Buffer): void {
    this.netIn += chunk.length;
    const stats = this.server.stats;
    // The master link's bytes are replication traffic, counted apart (as Redis does).
    if (this.is(ClientKind.Master)) stats.netReplInputBytes += chunk.length;
    else stats.netInputBytes += chunk.length;
    stats.readsProcessed++;
    this.parser.feed(chunk);
    this.processInput();
  }

  /** Executes every complete command buffered, unless paused or closing. */
  processInput(): void {
    const server = this.server;
    try {
      while (!this.closeAfterReply && !this.closed) {
        if (this.pausedInput || this.blocked !== null) break;
        const argv = this.parser.next();
        if (argv === null) break;
        if (argv.length === 0) continue;
        if (isCrossProtocolAttack(argv[0]!)) {
          this.abortAttack();
          return;
        }
        this.lastInteraction = nowMs();
        server.executor.process(this, argv);
        if (this.afterCommand !== null) this.afterCommand();
      }
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      // The master link never gets replies; its protocol errors are worth a warning (as in Redis).
      if (this.is(ClientKind.Master)) server.logger.warning(`Protocol error (${e.reply}) from client: ${this.describe()}`);
      else {
        this.error(e.reply);
        server.logger.verbose(`Protocol error (${e.reply}) from client: ${this.describe()}`);
      }
      this.closeAfterReply = true;
    }
    // The master link is exempt, as in Redis (its big bulks are the stream's).
    if (!this.exemptFromLimits && this.parser.pendingBytes > server.config.num('client-query-buffer-limit')) {
      server.logger.warning(`Closing client that reached max query buffer length: ${this.describe()}`);
      this.reply.discard();
      this.close();
      return;
    }
    this.flush();
  }

  /**
   * A POST or Host: command (an HTTP request sent to the server, as cross
   * protocol scripting does): logs Redis's warning, at most once a minute,
   * and closes the connection without sending the replies still pending.
   */
  private abortAttack(): void {
    const server = this.server;
    const now = Date.now();
    if (Math.abs(now - server.lastSecurityWarningMs) > SECURITY_WARNING_INTERVAL_MS) {
      server.logger.warning(
        'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
      );
      server.lastSecurityWarningMs = now;
    }
    this.reply.discard();
    this.close();
  }

  /** Sends an error reply (text with its code, e.g. "ERR …") and counts it. */
  error(text: string): void {
    this.server.stats.recordError(text);
    this.reply.error(text);
  }

  /**
   * Marks the bytes written since `from` (a reply.pendingBytes value) as an
   * out-of-band push (a pub/sub message or confirmation), which reaches the
   * client even when CLIENT REPLY OFF|SKIP drops the command's reply.
   */
  pushed(from: number): void {
    this.pushRanges.push(from, this.reply.pendingBytes);
  }

  /** Runs fn, turning a thrown ReplyError into an error reply. */
  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ReplyError) this.error(e.reply);
      else throw e;
    }
  }

  /** Writes pending replies to the socket in one go; closes if asked to. */
  flush(): void {
    if (this.closed) return;
    if (this.overNormalOutputLimit()) {
      this.closeOverOutputLimit();
      return;
    }
    const bytes = this.reply.flushTo(this.socket);
    // Offsets restart with the empty buffer (and a subscriber that never sends a command must not pile them up).
    this.pushRanges.length = 0;
    if (bytes > 0) {
      const stats = this.server.stats;
      stats.writesProcessed++;
      stats.netOutputBytes += bytes;
      this.netOut += bytes;
    }
    if (this.closeAfterReply) {
      this.closed = true;
      // Like Redis, close fully once the reply is written (not a half-close the peer must answer).
      this.socket.destroySoon();
      this.server.removeClient(this);
    }
  }

  /**
   * Whether this client, of the normal class of client-output-buffer-limit
   * (not a replica, the master link or a subscriber), holds more output than
   * the class allows: at or over the hard limit, or over the soft limit for
   * longer than its seconds.
   */
  private overNormalOutputLimit(): boolean {
    const limit = this.server.outputLimits.normal;
    if (limit.hard === 0 && limit.soft === 0) return false;
    if (this.clientClass !== 'normal') return false;
    return overLimit(limit, this.outputBytes, this, nowMs());
  }

  /** Drops a client whose output broke its class's limit, logging like Redis. */
  closeOverOutputLimit(): void {
    this.server.logger.warning(`Client ${this.describe()} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.close();
  }

  /** Closes the connection now, dropping pending replies. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.server.removeClient(this);
  }

  /** Asks the server to flush this client's replies at the end of the turn. */
  scheduleFlush(): void {
    this.server.scheduleFlush(this);
  }

  /** Bytes of replies waiting to reach the kernel (output buffer). */
  get outputBytes(): number {
    return this.reply.pendingBytes + this.socket.writableLength;
  }

  /** "id=… addr=… name=…" for log lines, like Redis's catClientInfoString. */
  describe(): string {
    return `id=${this.id} addr=${this.addr} laddr=${this.laddr} name=${this.name}`;
  }
}

/** How often the cross protocol scripting warning may be logged (Redis: once a minute). */
const SECURITY_WARNING_INTERVAL_MS = 60_000;

/** Whether a command name is one an HTTP request starts a line with (POST, Host:), in any case. */
function isCrossProtocolAttack(name: string): boolean {
  return name.length <= 5 && (name.toLowerCase() === 'post' || name.toLowerCase() === 'host:');
}

function formatAddr(host: string, port: number): string {
  if (host.startsWith('::ffff:')) host = host.slice(7);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
