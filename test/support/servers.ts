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

/** True when a redis-server binary is on PATH. */
export function hasRedis(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether suites that need a real redis-server should run. Without one they
 * are skipped with one printed line, unless NODIS_REQUIRE_REDIS=1 makes
 * that a failure.
 */
export function redisAvailable(suite: string): boolean {
  if (hasRedis()) return true;
  if (process.env.NODIS_REQUIRE_REDIS === '1') {
    throw new Error(`${suite}: redis-server is required (NODIS_REQUIRE_REDIS=1) but not installed`);
  }
  console.log(`# ${suite}: skipped, redis-server not installed`);
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

/** Starts a real redis-server (no persistence) on a free port, in its own temp dir. */
export async function startRedis(args: string[] = []): Promise<ExternalServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], {
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
