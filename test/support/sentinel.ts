/**
 * Test support for running real Redis Sentinel 7.0 against nodis
 * (test/integration/repl-sentinel.test.ts):
 *
 * - ConfiguredNode: a nodis-server process started from a config file in
 *   its own dir on a fixed port, so CONFIG REWRITE (which Sentinel sends
 *   inside its MULTI with REPLICAOF) really rewrites a file, and a crashed
 *   node (SIGKILL) can be started again on the same port from the same dir
 *   and file. It is a ReplNode, so the helpers of replication.ts work on it.
 * - SentinelNode: `redis-server sentinel.conf --sentinel` on a free
 *   loopback port with its config file (Sentinel rewrites it) and log in
 *   a temp dir; its log is what a failure message shows, since Sentinel
 *   logs why it does (not) act.
 * - sentinelsReport: every sentinel's log tail and every node's replication
 *   INFO, for the failure message of a bounded wait.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import { RawClient } from './raw-client.js';
import { freePort, waitForPort } from './servers.js';
import { ControlledProcess } from './process.js';
import { BASE_CONFIG, text, type ReplNode } from './replication.js';

/** A config file's text: one `name value` line per entry (values with spaces stay one line, as redis.conf reads them). */
function configText(config: Record<string, string>): string {
  return Object.entries(config)
    .map(([k, v]) => `${k} ${v === '' ? '""' : v}\n`)
    .join('');
}

function lastLines(log: string, lines: number): string {
  return log
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

/**
 * A nodis-server process run from `<dir>/nodis.conf` on a fixed port:
 * crash() kills it with SIGKILL, restart() starts it again from the same
 * file (which CONFIG REWRITE may have changed) and dir.
 */
export class ConfiguredNode extends ControlledProcess<RawClient> implements ReplNode {
  readonly kind = 'nodis' as const;
  readonly inproc = null;
  readonly name: string;
  readonly confPath: string;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {
    super();
    this.name = `nodis:${port}`;
    this.confPath = join(dir, 'nodis.conf');
  }

  /** Writes the config file (BASE_CONFIG, then config) in a new temp dir and starts the process. */
  static async start(config: Record<string, string> = {}): Promise<ConfiguredNode> {
    const node = new ConfiguredNode(await freePort(), mkdtempSync(join(tmpdir(), 'nodis-sentinel-node-')));
    writeFileSync(node.confPath, configText({ ...BASE_CONFIG, port: String(node.port), bind: '127.0.0.1', dir: node.dir, ...config }));
    await node.restart();
    return node;
  }

  get admin(): RawClient {
    assert.ok(this.client !== null, `${this.name} is not running`);
    return this.client;
  }

  /** Starts the process (again) from its config file; resolves once the admin connection is open. */
  async restart(): Promise<void> {
    assert.equal(this.proc, null, `${this.name} is already running`);
    this.output += `\n--- (re)start ${new Date().toISOString()}\n`;
    const main = new URL('../../src/main.js', import.meta.url).pathname;
    const proc = spawn(process.execPath, [main, this.confPath], { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
    this.proc = proc;
    await waitForPort(this.port);
    this.client = await RawClient.connect(this.port);
  }

  /**
   * Opens a new admin connection: Sentinel's `CLIENT KILL TYPE normal`
   * (sent with every REPLICAOF it orders) closes the old one, as on Redis.
   */
  async reconnect(): Promise<void> {
    this.client?.close();
    this.client = await RawClient.connect(this.port);
  }

  /** One command on a connection of its own (immune to Sentinel's CLIENT KILL). */
  async query(...argv: string[]): Promise<RespValue> {
    const c = await RawClient.connect(this.port);
    try {
      return await c.value(...argv);
    } finally {
      c.close();
    }
  }

  logTail(lines = 15): string {
    return lastLines(this.output, lines);
  }

  /** The config file as it is now (after any CONFIG REWRITE). */
  configFile(): string {
    return readFileSync(this.confPath, 'utf8');
  }

  /** Kills the process and removes its dir. */
  async stop(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Options of one monitored master, as `sentinel <option> mymaster <value>` lines. */
export interface MonitorOptions {
  name: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

/** A real Redis Sentinel process (redis-server --sentinel) with its own dir, config file and log. */
export class SentinelNode {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly proc: ChildProcess,
    readonly client: RawClient,
  ) {}

  /** Starts a sentinel monitoring the master at 127.0.0.1:masterPort. */
  static async start(masterPort: number, o: MonitorOptions): Promise<SentinelNode> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'nodis-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `logfile ${join(dir, 'sentinel.log')}`,
        `sentinel monitor ${o.name} 127.0.0.1 ${masterPort} ${o.quorum}`,
        `sentinel down-after-milliseconds ${o.name} ${o.downAfterMs}`,
        `sentinel failover-timeout ${o.name} ${o.failoverTimeoutMs}`,
        `sentinel parallel-syncs ${o.name} 1`,
        '',
      ].join('\n'),
    );
    const proc = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore', cwd: dir });
    await waitForPort(port);
    return new SentinelNode(port, dir, proc, await RawClient.connect(port));
  }

  get name(): string {
    return `sentinel:${this.port}`;
  }

  /** A SENTINEL subcommand's reply. */
  async sentinel(...args: string[]): Promise<RespValue> {
    return this.client.value('SENTINEL', ...args);
  }

  /** SENTINEL GET-MASTER-ADDR-BY-NAME's port, or null. */
  async masterPort(name: string): Promise<number | null> {
    const v = await this.sentinel('GET-MASTER-ADDR-BY-NAME', name);
    return v.kind === 'array' && v.items.length === 2 ? Number(text(v.items[1]!)) : null;
  }

  /** SENTINEL REPLICAS / SENTINELS: one field → value map per instance. */
  async instances(sub: 'REPLICAS' | 'SENTINELS', name: string): Promise<Map<string, string>[]> {
    const v = await this.sentinel(sub, name);
    assert.ok(v.kind === 'array', `${this.name}: SENTINEL ${sub}: ${text(v)}`);
    return v.items.map((item) => {
      assert.ok(item.kind === 'array');
      const m = new Map<string, string>();
      for (let i = 0; i + 1 < item.items.length; i += 2) m.set(text(item.items[i]!), text(item.items[i + 1]!));
      return m;
    });
  }

  logTail(lines = 40): string {
    let log: string;
    try {
      log = readFileSync(join(this.dir, 'sentinel.log'), 'utf8');
    } catch {
      log = '(no log)';
    }
    return lastLines(log, lines);
  }

  /** Kills the process and removes its dir. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
      this.proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every sentinel's log tail and every running node's replication INFO and log tail, for a failure message. */
export async function sentinelsReport(sentinels: readonly SentinelNode[], nodes: readonly ConfiguredNode[]): Promise<string> {
  const parts: string[] = [];
  for (const s of sentinels) parts.push(`=== ${s.name} log\n${s.logTail()}`);
  for (const n of nodes) {
    let repl: string;
    try {
      const v = await n.query('INFO', 'replication');
      repl = text(v)
        .split('\r\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .join(' ');
    } catch (e) {
      repl = `(down: ${(e as Error).message})`;
    }
    parts.push(`=== ${n.name}: ${repl}\n${n.logTail(10)}`);
  }
  return parts.join('\n');
}
