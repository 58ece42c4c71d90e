/**
 * Test support: start nodis in-process or as a process, start a real
 * redis-server on a free port, and talk raw RESP to either. Every test
 * starts its own servers and stops them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../src/index.js';
import { acceptsConnections, freePort, stopProcess } from './process.js';
import { RawClient } from './raw-client.js';
import { DEADLINE_MS } from './wait.js';

/** The Redis version the suites are written against: the specification. */
const REDIS_SERIES = /^7\.0\.\d+$/;

/**
 * Why the real Redis tools a suite needs cannot be used (redis-server and
 * the extra binaries given, e.g. redis-check-rdb), or null when they can:
 * each must be on PATH, and redis-server must be a 7.0.x (the behaviour
 * every expectation is checked against).
 */
function redisUnusable(tools: readonly string[]): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return 'redis-server not installed';
  const version = /\bv=(\S+)/.exec(r.stdout)?.[1] ?? '?';
  if (!REDIS_SERIES.test(version)) return `redis-server is ${version}, not 7.0.x`;
  for (const tool of tools) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `${tool} not installed`;
  }
  return null;
}

/**
 * Whether suites (or parts of one) that need a real redis-server 7.0 — and
 * the other Redis tools listed — should run. Without them they are skipped
 * with one printed line, unless NODIS_REQUIRE_REDIS=1 makes that a failure.
 */
export function redisAvailable(suite: string, ...tools: string[]): boolean {
  const why = redisUnusable(tools);
  if (why === null) return true;
  if (process.env.NODIS_REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: a real Redis 7.0 is required (NODIS_REQUIRE_REDIS=1): ${why}`);
  }
  console.log(`# ${suite}: skipped, ${why}`);
  return false;
}

/** A free TCP port on 127.0.0.1. */
export { freePort } from './process.js';

/** Starts nodis in this process on a free port. */
export function startNodis(opts: StartOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, ...opts });
}

/** Starts nodis with opts, connects one client, runs fn with both, then closes the client and stops the server. */
export async function withNodis<T>(opts: StartOptions, fn: (srv: RunningServer, c: RawClient) => Promise<T>): Promise<T> {
  const srv = await startNodis(opts);
  const c = await RawClient.connect(srv.port);
  try {
    return await fn(srv, c);
  } finally {
    c.close();
    await srv.stop();
  }
}

export interface ExternalServer {
  port: number;
  proc: ChildProcess;
  dir: string;
  stop(): Promise<void>;
}

/** Waits until something accepts connections on port (or throws after timeoutMs). */
export async function waitForPort(port: number, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await acceptsConnections(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a real redis-server (or binary, a Redis-family server) without persistence on a free port, in its own temp dir. */
export async function startRedis(args: string[] = [], binary = 'redis-server'): Promise<ExternalServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-redis-'));
  const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  return { port, proc, dir, stop: () => stopProcess(proc, dir) };
}

/** Starts the nodis-server binary (dist/src/main.js) as a child process. */
export async function startNodisProcess(args: string[] = []): Promise<ExternalServer & { output: () => string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-proc-'));
  const main = new URL('../../src/main.js', import.meta.url).pathname;
  const proc = spawn(process.execPath, [main, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitForPort(port);
  return { port, proc, dir, stop: () => stopProcess(proc, dir), output: () => out };
}
