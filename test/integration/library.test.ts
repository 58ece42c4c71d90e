/**
 * The library API: several servers in one process, each with its own
 * options and data; stop() closes clients and frees the port (and the Unix
 * socket file) so it can be bound again.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/index.js';
import { RawClient } from '../support/raw-client.js';

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Binds and releases 127.0.0.1:port; resolves true when that worked. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

describe('library API: startServer', () => {
  test('several servers in one process keep independent data and options', async () => {
    const servers = await Promise.all([
      startServer({ port: 0 }),
      startServer({ port: 0, config: { databases: 4 } }),
      startServer({ port: 0, config: { requirepass: 'pw' } }),
    ]);
    const clients: RawClient[] = [];
    try {
      assert.equal(new Set(servers.map((s) => s.port)).size, 3, 'distinct ports');
      for (const s of servers) clients.push(await RawClient.connect(s.port));
      assert.equal(await clients[2]!.callText('AUTH', 'pw'), '+OK\r\n');
      for (let i = 0; i < 3; i++) assert.equal(await clients[i]!.callText('SET', 'shared-key', `server-${i}`), '+OK\r\n');
      for (let i = 0; i < 3; i++) assert.equal(await clients[i]!.callText('GET', 'shared-key'), `$8\r\nserver-${i}\r\n`);
      assert.equal(await clients[0]!.callText('SELECT', '5'), '+OK\r\n');
      assert.equal(await clients[1]!.callText('SELECT', '5'), '-ERR DB index is out of range\r\n');
      const fresh = await RawClient.connect(servers[2]!.port);
      clients.push(fresh);
      assert.equal(await fresh.callText('GET', 'shared-key'), '-NOAUTH Authentication required.\r\n');
      assert.equal(servers[0]!.server.dbs[0]!.size, 1, 'in-process inspection of the keyspace');
    } finally {
      for (const c of clients) c.close();
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  test('stop() closes clients and frees the port for a new server', async () => {
    const first = await startServer({ port: 0 });
    const port = first.port;
    const c = await RawClient.connect(port);
    assert.equal(await c.callText('SET', 'k', 'v'), '+OK\r\n');
    await first.stop();
    await c.waitClosed();
    assert.equal(await accepting(port), false, 'nothing listens after stop()');
    assert.equal(await bindable(port), true, 'the port can be bound again');
    await first.stop();

    const second = await startServer({ port });
    try {
      assert.equal(second.port, port);
      const d = await RawClient.connect(port);
      assert.equal(await d.callText('GET', 'k'), '$-1\r\n', 'a new server starts empty');
      d.close();
    } finally {
      await second.stop();
    }
  });

  test('stop() removes the Unix socket file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-lib-'));
    const path = join(dir, 'nodis.sock');
    try {
      const s = await startServer({ port: 0, config: { unixsocket: path } });
      const c = await RawClient.connectUnix(path);
      assert.equal(await c.callText('PING'), '+PONG\r\n');
      c.close();
      await s.stop();
      assert.equal(existsSync(path), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port in use makes startServer reject', async () => {
    const s = await startServer({ port: 0 });
    try {
      await assert.rejects(startServer({ port: s.port }), /Failed listening on port/);
    } finally {
      await s.stop();
    }
  });
});
