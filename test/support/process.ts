/**
 * Child-process plumbing shared by the test support and the benchmark
 * harness: free ports, waiting for a listener, and stopping a server
 * process. Kept free of nodis's own modules so the benchmark can use it
 * without loading the server.
 */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { rmSync } from 'node:fs';

/** A TCP port on host that was free a moment ago. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a connection on host:port right now. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Kills proc (SIGKILL) unless it has already exited, then removes its working directory dir. */
export function stopProcess(proc: ChildProcess, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once('exit', done);
    proc.kill('SIGKILL');
  });
}

/** Kills proc with SIGKILL (after SIGCONT, should it be stopped) and resolves once it has exited. */
export async function killNow(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGCONT');
  proc.kill('SIGKILL');
  await exited;
}

/**
 * A server process a test controls: kill it (SIGKILL), freeze and thaw it
 * (SIGSTOP/SIGCONT). Subclasses start it and keep `client` (a connection
 * to it, closed on a crash).
 */
export abstract class ControlledProcess<C extends { close(): void }> {
  protected proc: ChildProcess | null = null;
  protected client: C | null = null;

  /** Kills the process with SIGKILL (thawing it first) and waits until it has exited. */
  async crash(): Promise<void> {
    const proc = this.proc;
    this.client?.close();
    this.client = null;
    if (proc === null) return;
    await killNow(proc);
    this.proc = null;
  }

  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }
}
