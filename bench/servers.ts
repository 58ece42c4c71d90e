/**
 * The two servers a benchmark run compares: nodis, as the built
 * nodis-server process (dist/src/main.js, never in-process, so the
 * benchmark client and the server do not share an event loop), and a real
 * redis-server; both on free ports of 127.0.0.1, without save points,
 * each with its own working directory (where SAVE writes dump.rdb), and
 * with DEBUG allowed from local connections (DEBUG POPULATE, DEBUG RELOAD).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptsConnections, freePort, stopProcess } from '../test/support/process.js';

export type TargetName = 'redis' | 'nodis';

export interface BenchServer {
  readonly name: TargetName;
  readonly host: string;
  readonly port: number;
  /** The server's process id (memory is read from /proc/<pid>). */
  readonly pid: number;
  /** The working directory, where SAVE and SHUTDOWN SAVE write dump.rdb. */
  readonly dir: string;
  /**
   * Replaces the process by a fresh, empty one on the same port, in an
   * emptied working directory (no dump.rdb to load), for measurements that
   * must not see what earlier ones left behind (heap garbage, allocator caches).
   */
  restart(): Promise<void>;
  /**
   * After the process ended on its own (SHUTDOWN), starts it again on the
   * same port in the same working directory, so that it loads the
   * dump.rdb it left there, with extraArgs (e.g. --replicaof) appended.
   * Rejects if the process has not ended within 30 s.
   */
  relaunch(extraArgs: readonly string[]): Promise<void>;
  /** Kills the process and removes its working directory. */
  stop(): Promise<void>;
  /**
   * Starts another server of the same kind, with the same options, on its
   * own free port and in its own working directory (the replicas of the
   * replication rows: nodis replicas of a nodis master, Redis replicas of a
   * Redis master). The caller stops it.
   */
  startPeer(): Promise<BenchServer>;
}

const HOST = '127.0.0.1';

/** Resolves once port accepts connections; rejects if the process exits or 10 s pass. */
async function waitReady(proc: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with status ${proc.exitCode}:\n${output()}`);
    if (await acceptsConnections(port, HOST)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server not listening on ${port} after 10 s:\n${output()}`);
}

/**
 * Spawns `command args…` in dir with `--port <port>` appended and waits
 * until it listens; if it does not, kills it, removes dir and throws.
 */
async function spawnListening(command: string, args: readonly string[], port: number, dir: string): Promise<ChildProcess> {
  const proc = spawn(command, [...args, '--port', String(port), '--bind', HOST], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  try {
    await waitReady(proc, port, () => out);
  } catch (e) {
    await stopProcess(proc, dir);
    throw e;
  }
  return proc;
}

/** Resolves once proc has exited; rejects if it has not after timeoutMs. */
function exited(proc: ChildProcess, timeoutMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process ${proc.pid} still running after ${timeoutMs / 1000} s`)), timeoutMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts `command args…` on a free port in a fresh temp dir and returns a
 * handle that restarts and stops it.
 */
async function launch(name: TargetName, command: string, args: readonly string[]): Promise<BenchServer> {
  const port = await freePort(HOST);
  const dir = mkdtempSync(join(tmpdir(), `nodis-bench-${name}-`));
  let proc = await spawnListening(command, args, port, dir);
  return {
    name,
    host: HOST,
    port,
    dir,
    // Set: the process is running and listening.
    get pid() {
      return proc.pid!;
    },
    async restart() {
      await stopProcess(proc, dir);
      mkdirSync(dir);
      proc = await spawnListening(command, args, port, dir);
    },
    async relaunch(extraArgs) {
      await exited(proc, 30000);
      proc = await spawnListening(command, [...args, ...extraArgs], port, dir);
    },
    stop: () => stopProcess(proc, dir),
    startPeer: () => launch(name, command, args),
  };
}

/** Options both servers start with: no save points, DEBUG from local clients. */
const COMMON_ARGS = ['--save', '', '--enable-debug-command', 'local'];

/** Starts a real redis-server without save points or AOF. */
export function startRedisServer(binary = 'redis-server'): Promise<BenchServer> {
  return launch('redis', binary, [...COMMON_ARGS, '--appendonly', 'no']);
}

/** Starts the built nodis-server (dist/src/main.js next to this file's dist/bench/). */
export function startNodisServer(): Promise<BenchServer> {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  return launch('nodis', process.execPath, [main, ...COMMON_ARGS]);
}
