/**
 * nodis-server as a process: configuration errors reported like
 * redis-server (same stderr text, exit 1), a stock Redis 7.0 redis.conf
 * loading to the same CONFIG GET * as redis-server, the logo, a port that is
 * taken, and shutdown on SIGTERM.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';
import { freePort, redisAvailable, waitForPort } from '../support/servers.js';
import { waitFor } from '../support/wait.js';
import { RawClient } from '../support/raw-client.js';
import { tempDirFor } from '../support/temp-dir.js';

const MAIN = new URL('../../src/main.js', import.meta.url).pathname;
/** Debian's /etc/redis/redis.conf for 7.0.15, with daemonize, pidfile, logfile and dir made local. */
const STOCK_CONF = resolve('test/fixtures/redis-7.0-debian.conf');

interface Proc {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(cmd: string, args: string[], cwd: string): Proc {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString('latin1')));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

const nodis = (args: string[], cwd: string) => run(process.execPath, [MAIN, ...args], cwd);
const redis = (args: string[], cwd: string) => run('redis-server', args, cwd);

/** CONFIG GET * as a name → value map. */
async function allConfig(port: number): Promise<Map<string, string>> {
  const c = await RawClient.connect(port);
  try {
    const v = await c.value('CONFIG', 'GET', '*');
    assert.equal(v.kind, 'array');
    const items = (v as { items: { value: string }[] }).items.map((i) => i.value);
    const m = new Map<string, string>();
    for (let i = 0; i < items.length; i += 2) m.set(items[i]!, items[i + 1]!);
    return m;
  } finally {
    c.close();
  }
}

const withRedis = redisAvailable('startup tests against redis-server');

describe('nodis-server start-up', () => {
  const dir = tempDirFor('nodis-startup-');

  test('configuration errors: the same report as redis-server, exit status 1', { skip: !withRedis }, async () => {
    const cases = [
      ['--port', '0', '--foo', 'bar'],
      ['--port', '0', '--hz', 'x'],
      ['--port', '0', '--hz', '1', '2'],
      ['--port', '0', '--maxmemory', '1x'],
      ['--port', '0', '--save', '60'],
      ['--port', '0', '--enable-debug-command', 'maybe'],
      ['--port', '0', '--notify-keyspace-events', 'q'],
      ['--port', '0', '--dir', '/nonexistent-nodis'],
      ['--port', '0', '--foo', 'a b', 'c"d', ''],
    ];
    for (const args of cases) {
      const a = redis(args, dir());
      const b = nodis(args, dir());
      assert.equal(await b.exited, 1, args.join(' '));
      assert.equal(await a.exited, 1);
      assert.equal(b.stderr(), a.stderr(), args.join(' '));
    }
  });

  test('a value nodis cannot honour stops start-up naming the option', async () => {
    const p = nodis(['--port', '0', '--appendonly', 'yes'], dir());
    assert.equal(await p.exited, 1);
    assert.match(p.stderr(), /FATAL CONFIG FILE ERROR[\s\S]*>>> 'appendonly "yes"'\nnodis has no AOF persistence \(appendonly yes\)/);
  });

  test("Debian's stock redis.conf loads to the same CONFIG GET * as redis-server", { skip: !withRedis }, async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const a = redis([STOCK_CONF, '--port', String(pa), '--dir', dir()], dir());
    const b = nodis([STOCK_CONF, '--port', String(pb), '--dir', dir()], dir());
    try {
      await Promise.all([waitForPort(pa), waitForPort(pb)]);
      const [ra, rb] = [await allConfig(pa), await allConfig(pb)];
      ra.delete('port');
      rb.delete('port');
      assert.deepEqual(new Map([...rb].sort()), new Map([...ra].sort()));
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
    }
  });

  test('logo, readiness and shutdown on SIGTERM', async () => {
    const port = await freePort();
    const p = nodis(['--port', String(port), '--always-show-logo', 'yes'], dir());
    await waitForPort(port);
    try {
      // The port accepts as soon as it is bound; the banner lines follow right after.
      await waitForOutput(p.stdout, /Ready to accept connections\n/);
      const pid = p.proc.pid!;
      assert.match(p.stdout(), /oO0OoO0OoO0Oo nodis is starting oO0OoO0OoO0Oo/);
      assert.match(p.stdout(), new RegExp(`pid=${pid}, just started`));
      assert.match(p.stdout(), /# Configuration loaded/);
      assert.match(p.stdout(), new RegExp(`PID: ${pid}\\b`));
      assert.match(p.stdout(), new RegExp(`Port: ${port}\\b`));
      assert.match(p.stdout(), /\* Ready to accept connections\n/);
      p.proc.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      assert.match(p.stdout(), new RegExp(`${pid}:signal-handler \\(\\d+\\) Received SIGTERM scheduling shutdown\\.\\.\\.`));
      // Redis's default save points are on, so the final snapshot is written before exiting.
      assert.match(
        p.stdout(),
        /# User requested shutdown\.\.\.\n.*Saving the final RDB snapshot before exiting\.\n.*DB saved on disk\n.*ready to exit, bye bye\.\.\./,
      );
    } finally {
      p.proc.kill('SIGKILL');
    }
  });

  test("a port that is taken: Redis's message and exit status 1", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const p = nodis(['--port', String(port), '--bind', '127.0.0.1'], dir());
      assert.equal(await p.exited, 1);
      assert.match(
        p.stdout(),
        new RegExp(`# Warning: Could not create server TCP listening socket 127\\.0\\.0\\.1:${port}: bind: Address already in use`),
      );
      assert.match(p.stdout(), new RegExp(`# Failed listening on port ${port} \\(TCP\\), aborting\\.`));
    } finally {
      blocker.close();
    }
  });

  test('a missing config file is fatal', async () => {
    const p = nodis(['/nonexistent-nodis.conf'], dir());
    assert.equal(await p.exited, 1);
    assert.match(p.stdout(), /# Fatal error, can't open config file '\/nonexistent-nodis\.conf': No such file or directory/);
  });
});

/** Polls a process's output until it matches re. */
async function waitForOutput(output: () => string, re: RegExp): Promise<void> {
  await waitFor(`the output to match ${re}`, () => re.test(output()), output);
}
