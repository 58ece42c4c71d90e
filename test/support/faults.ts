/**
 * Test support for the replication fault-injection suite
 * (test/integration/repl-faults.test.ts):
 *
 * - ProcessNode: a server process (nodis-server or redis-server) with a
 *   fixed port and a data dir that survive a crash, so it can be killed
 *   with SIGKILL and started again on the same port from the same dir. It
 *   is a ReplNode, so the helpers of replication.ts (waitInSync,
 *   assertConverged, startWriter …) work on it.
 * - LinkProxy: a loopback TCP proxy the replica connects through to reach
 *   its master. It follows the replication protocol the master sends
 *   (handshake replies, `+FULLRESYNC`, the RDB payload in its `$<len>` or
 *   `$EOF:<mark>` form, then the command stream) and, when armed with a
 *   Fault, acts at an exact byte of a chosen phase of the next link that
 *   reaches it: it cuts the link (both sockets destroyed after forwarding
 *   exactly that many bytes of the phase), or it truncates the RDB — the
 *   replica receives a well-framed payload (header rewritten to the
 *   shorter length, or the EOF mark sent early) whose RDB bytes stop
 *   there, i.e. a master sending a truncated RDB — and then forwards
 *   nothing more on that link.
 * - AckedWrites: writes whose WAIT 1 said at least one replica had them,
 *   to check afterwards that none was lost.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import { RawClient } from './raw-client.js';
import { freePort, waitForPort } from './servers.js';
import { sleep } from './compare.js';
import { ControlledProcess } from './process.js';
import { mustCall } from './rdb-dataset.js';
import { BASE_CONFIG, info, text, waitFor, type ReplNode } from './replication.js';

// ---------------------------------------------------------------------------
// Restartable server processes

/** argv for config: `--name value`; a multi-word value (`replicaof`, `save`) as separate words. */
function configArgs(config: Record<string, string>): string[] {
  return Object.entries(config).flatMap(([k, v]) => [`--${k}`, ...(v.includes(' ') ? v.split(' ') : [v])]);
}

/**
 * A nodis-server or redis-server process on a fixed port with a data dir
 * that outlives the process: crash() kills it with SIGKILL (nothing saved
 * at exit), restart() starts it again from the same dir, loading what it
 * saved before. The admin connection is replaced at each restart.
 */
export class ProcessNode extends ControlledProcess<RawClient> implements ReplNode {
  readonly inproc = null;
  readonly name: string;
  private output = '';

  private constructor(
    readonly kind: 'nodis' | 'redis',
    readonly port: number,
    readonly dir: string,
    private config: Record<string, string>,
  ) {
    super();
    this.name = `${kind}:${port}`;
  }

  /** Starts a node of kind with BASE_CONFIG overridden by config, in a new temp dir. */
  static async start(kind: 'nodis' | 'redis', config: Record<string, string> = {}): Promise<ProcessNode> {
    const node = new ProcessNode(kind, await freePort(), mkdtempSync(join(tmpdir(), 'nodis-faults-')), { ...BASE_CONFIG, ...config });
    await node.restart();
    return node;
  }

  get admin(): RawClient {
    assert.ok(this.client !== null, `${this.name} is not running`);
    return this.client;
  }

  /**
   * Starts the process (again) on the same port and dir; config entries
   * given replace earlier ones for this and later starts. Resolves once it
   * accepts connections and the admin connection is open.
   */
  async restart(config: Record<string, string> = {}): Promise<void> {
    assert.equal(this.proc, null, `${this.name} is already running`);
    this.config = { ...this.config, ...config };
    this.output += `\n--- (re)start ${new Date().toISOString()}\n`;
    const common = ['--port', String(this.port), '--dir', this.dir, ...configArgs(this.config)];
    const proc =
      this.kind === 'redis'
        ? spawn('redis-server', ['--bind', '127.0.0.1', '--appendonly', 'no', '--logfile', 'redis.log', ...common], {
            stdio: 'ignore',
            cwd: this.dir,
          })
        : spawn(process.execPath, [new URL('../../src/main.js', import.meta.url).pathname, ...common], {
            stdio: ['ignore', 'pipe', 'pipe'],
            cwd: this.dir,
          });
    proc.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
    this.proc = proc;
    await waitForPort(this.port);
    this.client = await RawClient.connect(this.port);
    // Both servers answer -LOADING while they load their RDB; wait until it is in.
    const loaded = async () => (await info(this.admin, 'persistence')).get('loading') === '0';
    await waitFor(`${this.name} to load its data`, loaded, () => this.logTail());
  }

  /** The whole log (of every start, for nodis; redis-server's log file for Redis). */
  log(): string {
    if (this.kind === 'nodis') return this.output;
    try {
      return readFileSync(join(this.dir, 'redis.log'), 'utf8');
    } catch {
      return '';
    }
  }

  logTail(lines = 15): string {
    return this.log()
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  }

  /** Kills the process and removes its dir. */
  async stop(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// The link proxy

/** The phases of a replication link, in order, as seen from the bytes the master sends. */
export type Phase = 'handshake' | 'rdb' | 'stream';

/**
 * What the proxy does to the next link that reaches `phase`: once `at`
 * bytes of that phase have passed (handshake: bytes both ways since the
 * link opened; rdb: bytes of the RDB payload; stream: bytes of the command
 * stream), it cuts the link or, for the rdb phase with truncate, ends the
 * payload there.
 */
export interface Fault {
  phase: Phase;
  at: number;
  truncate?: boolean;
}

/** A fault that acted: on which link (0 = the first) and where. */
export interface Fired extends Fault {
  link: number;
}

/** The protocol position of one link's master → replica bytes. */
type DownState = 'handshake' | 'rdb-header' | 'rdb' | 'stream';

/** One replica connection through the proxy and the protocol position of its master's bytes. */
class ProxiedLink {
  state: DownState = 'handshake';
  /** Bytes of the current phase that passed (handshake: both ways). */
  phaseBytes = 0;
  /** The handshake line being read, the `$…` header being collected. */
  private line = '';
  private header = '';
  /** RDB payload framing: its length ($<len>) or the EOF mark ($EOF:<mark>), and the last bytes seen (to find the mark). */
  private rdbLength = -1;
  private mark: Buffer | null = null;
  private tail = Buffer.alloc(0);
  /** After a truncated RDB: master bytes are dropped. */
  private muted = false;

  constructor(
    readonly index: number,
    private readonly proxy: LinkProxy,
    readonly replica: net.Socket,
    readonly master: net.Socket,
  ) {}

  /** The protocol phase (rdb-header counts as rdb). */
  get phase(): Phase {
    return this.state === 'rdb-header' ? 'rdb' : this.state;
  }

  cut(): void {
    this.replica.destroy();
    this.master.destroy();
  }

  /** Replica → master bytes: forwarded; in the handshake they count, and a handshake fault may cut here. */
  up(chunk: Buffer): void {
    if (this.state !== 'handshake') return void this.master.write(chunk);
    const n = this.proxy.takeFault(this, chunk.length);
    this.phaseBytes += Math.min(n, chunk.length);
    this.master.write(chunk.subarray(0, n));
    if (n < chunk.length) this.cut();
  }

  /** Master → replica bytes: followed through the phases, forwarded, faults applied. */
  down(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && !this.muted && !this.replica.destroyed) {
      const before = i;
      if (this.state === 'handshake') i = this.handshake(chunk, i);
      else if (this.state === 'rdb-header') i = this.rdbHeader(chunk, i);
      else if (this.state === 'rdb') i = this.rdb(chunk, i);
      else i = this.stream(chunk, i);
      assert.ok(i > before || this.muted || this.replica.destroyed);
    }
  }

  /** Forwards one byte at most of the handshake replies, watching for +FULLRESYNC / $ENDOFF / +CONTINUE. */
  private handshake(chunk: Buffer, i: number): number {
    if (this.proxy.takeFault(this, 1) === 0) {
      this.cut();
      return i;
    }
    this.replica.write(chunk.subarray(i, i + 1));
    this.phaseBytes++;
    const c = String.fromCharCode(chunk[i]!);
    this.line += c;
    if (c === '\n') {
      // A dual-channel sync's RDB channel is told where the cut is by $ENDOFF; its RDB follows.
      if (this.line.startsWith('+FULLRESYNC') || this.line.startsWith('$ENDOFF:')) this.enter('rdb-header');
      else if (this.line.startsWith('+CONTINUE')) this.enter('stream');
      this.line = '';
    }
    return i + 1;
  }

  /** Collects the `$…\r\n` header after +FULLRESYNC (keepalive newlines before it pass through). */
  private rdbHeader(chunk: Buffer, i: number): number {
    const c = String.fromCharCode(chunk[i]!);
    if (this.header === '' && c === '\n') {
      this.replica.write('\n');
      return i + 1;
    }
    this.header += c;
    if (!this.header.endsWith('\r\n')) return i + 1;
    const h = this.header.slice(1, -2);
    if (h.startsWith('EOF:')) this.mark = Buffer.from(h.slice(4), 'latin1');
    else this.rdbLength = Number(h);
    const truncateAt = this.proxy.truncation(this);
    // A truncated payload of the $<len> form announces the shorter length.
    this.replica.write(truncateAt !== null && this.mark === null && truncateAt < this.rdbLength ? `$${truncateAt}\r\n` : this.header);
    this.enter('rdb');
    return i + 1;
  }

  /** Forwards RDB payload bytes up to its end (or a fault), then enters the stream. */
  private rdb(chunk: Buffer, i: number): number {
    let end = chunk.length;
    let payloadEnds = false;
    if (this.mark === null) {
      if (i + (this.rdbLength - this.phaseBytes) <= end) {
        end = i + (this.rdbLength - this.phaseBytes);
        payloadEnds = true;
      }
    } else {
      const seen = Buffer.concat([this.tail, chunk.subarray(i)]);
      const at = seen.indexOf(this.mark);
      if (at >= 0) {
        end = i + at - this.tail.length + this.mark.length;
        payloadEnds = true;
      }
    }
    const allowed = this.proxy.takeFault(this, end - i);
    const piece = chunk.subarray(i, i + allowed);
    this.replica.write(piece);
    this.phaseBytes += piece.length;
    if (this.mark !== null) this.tail = Buffer.concat([this.tail, piece]).subarray(-this.mark.length);
    if (allowed < end - i) {
      if (this.proxy.lastFired?.truncate === true) {
        if (this.mark !== null) this.replica.write(this.mark);
        this.muted = true;
      } else this.cut();
      return i + allowed;
    }
    if (payloadEnds) {
      this.proxy.lastRdbBytes = this.mark === null ? this.rdbLength : this.phaseBytes - this.mark.length;
      this.enter('stream');
    }
    return end;
  }

  /** Forwards stream bytes (or cuts at a stream fault). */
  private stream(chunk: Buffer, i: number): number {
    const allowed = this.proxy.takeFault(this, chunk.length - i);
    this.replica.write(chunk.subarray(i, i + allowed));
    this.phaseBytes += allowed;
    if (allowed < chunk.length - i) this.cut();
    return i + allowed;
  }

  private enter(state: DownState): void {
    if (this.state === 'handshake') this.proxy.minHandshakeBytes = Math.min(this.proxy.minHandshakeBytes, this.phaseBytes);
    this.state = state;
    if (state !== 'rdb') this.phaseBytes = 0;
  }
}

/**
 * A TCP proxy on a free loopback port to target's port. Point a replica
 * at proxy.port instead of its master's. arm(fault) makes it act once on
 * the next link that reaches fault.phase; fired lists what acted.
 */
export class LinkProxy {
  readonly links: ProxiedLink[] = [];
  readonly fired: Fired[] = [];
  /** Measured on the links so far: the shortest handshake (bytes both ways), the last RDB payload's size (for choosing fault points). */
  minHandshakeBytes = Infinity;
  lastRdbBytes = 0;
  private armed: Fault | null = null;
  private server!: net.Server;
  port = 0;

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<LinkProxy> {
    const p = new LinkProxy(targetPort);
    p.server = net.createServer((socket) => p.accept(socket));
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    p.port = (p.server.address() as net.AddressInfo).port;
    return p;
  }

  private accept(replica: net.Socket): void {
    const master = net.connect(this.targetPort, '127.0.0.1');
    const link = new ProxiedLink(this.links.length, this, replica, master);
    this.links.push(link);
    replica.pause();
    master.once('connect', () => replica.resume());
    const relay = (from: net.Socket, to: net.Socket, fn: (chunk: Buffer) => void) => {
      from.on('data', (chunk: Buffer) => {
        fn(chunk);
        if (to.writableLength > 1 << 20) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      from.on('error', () => undefined);
      from.on('close', () => to.destroy());
    };
    relay(replica, master, (c) => link.up(c));
    relay(master, replica, (c) => link.down(c));
  }

  /** Arms fault for the next link that reaches its phase (replacing one not yet fired). */
  arm(fault: Fault): void {
    this.armed = { ...fault };
  }

  /** Whether the armed fault has acted. */
  get pending(): boolean {
    return this.armed !== null;
  }

  get lastFired(): Fired | undefined {
    return this.fired.at(-1);
  }

  /**
   * How many of the next n bytes of link's current phase may pass: n, or
   * fewer when the armed fault acts inside them (then it is recorded as fired).
   */
  takeFault(link: ProxiedLink, n: number): number {
    const f = this.armed;
    if (f === null || f.phase !== link.phase || link.state === 'rdb-header') return n;
    const left = Math.max(0, f.at - link.phaseBytes);
    if (left >= n) return n;
    this.armed = null;
    this.fired.push({ ...f, link: link.index });
    return left;
  }

  /** For a link entering its RDB payload: where a truncating fault armed for it will end the payload, or null. */
  truncation(link: ProxiedLink): number | null {
    const f = this.armed;
    return f !== null && f.phase === 'rdb' && f.truncate === true && link.phase === 'rdb' ? f.at : null;
  }

  /** Stream bytes forwarded so far on the newest link (0 when it is not streaming). */
  streamBytes(): number {
    const l = this.links.at(-1);
    return l !== undefined && l.phase === 'stream' ? l.phaseBytes : 0;
  }

  /** Cuts every open link (the replica reconnects). */
  cutAll(): void {
    for (const l of this.links) l.cut();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------
// Acknowledged writes

/** The db acknowledged writes go to (not one of the random workload's, RANDOM_DBS). */
export const ACK_DB = 3;

/** Whether e is the loss of a connection (what a crashed server causes), as RawClient reports it. */
export function isConnectionLoss(e: unknown): boolean {
  return e instanceof Error && e.message === 'connection closed';
}

/**
 * Writes unique keys (`ack:<tag>:<n>`) in ACK_DB on its own connection to
 * a master, one at a time, each followed by WAIT 1 <waitMs>; a write whose
 * WAIT answered ≥ 1 is acknowledged and kept in `acked` (key → value).
 * A SET must answer +OK and a WAIT an integer: anything else, or a lost
 * connection, stops the writer and is reported by stop() (a lost
 * connection only when the caller did not expect the master to die).
 */
export class AckedWrites {
  readonly acked = new Map<string, string>();
  /** Writes sent (acknowledged or not). */
  sent = 0;
  /** What stopped the writer before stop() was called, if anything did. */
  private failure: unknown = null;
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();
  private client: RawClient | null = null;

  constructor(
    private readonly tag: string,
    private readonly waitMs = 100,
  ) {}

  /** Starts writing to node (again, after a stop: keys keep counting up). */
  async start(node: ReplNode): Promise<void> {
    const c = await RawClient.connect(node.port);
    await mustCall(c, 'SELECT', String(ACK_DB));
    this.client = c;
    this.stopping = false;
    this.failure = null;
    this.loop = (async () => {
      try {
        while (!this.stopping) {
          const n = this.sent++;
          const key = `ack:${this.tag}:${n}`;
          const value = `${this.tag}/${n}`;
          c.write(Buffer.concat([RawClient.encode(['SET', key, value]), RawClient.encode(['WAIT', '1', String(this.waitMs)])]));
          const set = (await c.read()).value;
          const wait: RespValue = (await c.read()).value;
          assert.equal(text(set), 'OK', `SET ${key}`);
          assert.equal(wait.kind, 'int', `WAIT after SET ${key}: ${text(wait)}`);
          if (Number((wait as { value: bigint }).value) >= 1) this.acked.set(key, value);
        }
      } catch (e) {
        // Writes in flight when it failed are not acknowledged.
        this.failure = e;
      }
    })();
  }

  /** Waits until n more writes than now are acknowledged. */
  async waitAcked(n: number): Promise<void> {
    const target = this.acked.size + n;
    await waitFor(`${n} more acknowledged writes`, () => this.acked.size >= target || this.failure !== null);
    if (this.failure !== null) throw this.failure;
  }

  /**
   * Stops writing; rethrows what stopped the writer early, unless that was
   * the loss of its connection and masterDied says the master was killed.
   */
  async stop(masterDied = false): Promise<void> {
    this.stopping = true;
    await this.loop;
    this.client?.close();
    this.client = null;
    if (this.failure !== null && !(masterDied && isConnectionLoss(this.failure))) throw this.failure;
  }

  /** A copy of what was acknowledged so far. */
  snapshot(): Map<string, string> {
    return new Map(this.acked);
  }

  /** Asserts node holds every write of acked (default: all acknowledged so far). Leaves the admin connection in db 0. */
  async assertPresent(node: ReplNode, acked: Map<string, string> = this.acked, what = 'acknowledged writes'): Promise<void> {
    const entries = [...acked];
    const c = node.admin;
    await mustCall(c, 'SELECT', String(ACK_DB));
    const missing: string[] = [];
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      const v = await mustCall(c, 'MGET', ...batch.map(([k]) => k));
      assert.ok(v.kind === 'array');
      batch.forEach(([k, want], j) => {
        const got = v.items[j]!;
        if (!('value' in got) || String(got.value) !== want) missing.push(k);
      });
    }
    await mustCall(c, 'SELECT', '0');
    assert.deepEqual(missing.slice(0, 10), [], `${node.name} lacks ${missing.length} of ${entries.length} ${what}\n${node.logTail()}`);
  }
}

/**
 * Runs a BGSAVE on node that starts after this call (retrying while a save
 * point's BGSAVE runs: Redis and nodis refuse a second one, SCHEDULE or
 * not) and waits until it has succeeded.
 */
export async function bgsave(node: ReplNode): Promise<void> {
  const started = async () => {
    const v = await node.admin.value('BGSAVE');
    if (v.kind !== 'error') return true;
    assert.match(text(v), /Background save already in progress/);
    return false;
  };
  await waitFor(`${node.name} to start a BGSAVE`, started, () => node.logTail());
  const done = async () => (await info(node.admin, 'persistence')).get('rdb_bgsave_in_progress') === '0';
  await waitFor(`${node.name}'s BGSAVE`, done, () => node.logTail());
  assert.equal((await info(node.admin, 'persistence')).get('rdb_last_bgsave_status'), 'ok', node.logTail());
}

/** A random integer in [lo, hi] from rnd (a mulberry32 generator). */
export function between(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** Sleeps a random time in [lo, hi] ms. */
export async function sleepBetween(rnd: () => number, lo: number, hi: number): Promise<void> {
  await sleep(between(rnd, lo, hi));
}
