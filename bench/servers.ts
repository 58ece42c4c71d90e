/**
 * The two servers a benchmark run compares: nodis, as the built
 * nodis-server process (dist/src/main.js, never in-process, so the
 * benchmark client and the server do not share an event loop), and a real
 * redis-server; both on free ports of 127.0.0.1, without persistence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptsConnections, freePort, stopProcess } from '../test/support/process.js';

export type TargetName = 'redis' | 'nodis';

export interface BenchServer {
  readonly name: TargetName;
  readonly host: string;
  readonly port: number;
  /** Kills the process and removes its working directory. */
  stop(): Promise<void>;
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
 * Spawns `command args…` in a fresh temp dir with `--port <free port>`
 * appended, waits until it listens, and returns a handle that stops it.
 */
async function launch(name: TargetName, command: string, args: readonly string[]): Promise<BenchServer> {
  const port = await freePort(HOST);
  const dir = mkdtempSync(join(tmpdir(), `nodis-bench-${name}-`));
  const proc = spawn(command, [...args, '--port', String(port), '--bind', HOST], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const stop = () => stopProcess(proc, dir);
  try {
    await waitReady(proc, port, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, host: HOST, port, stop };
}

/** Starts a real redis-server with persistence off. */
export function startRedisServer(binary = 'redis-server'): Promise<BenchServer> {
  return launch('redis', binary, ['--save', '', '--appendonly', 'no']);
}

/** Starts the built nodis-server (dist/src/main.js next to this file's dist/bench/). */
export function startNodisServer(): Promise<BenchServer> {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  return launch('nodis', process.execPath, [main, '--save', '']);
}
