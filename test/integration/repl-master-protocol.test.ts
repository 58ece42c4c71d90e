/**
 * The master side of replication over raw sockets speaking the protocol
 * as a replica would: REPLCONF replies and errors, PSYNC answered with
 * +FULLRESYNC and a diskless `$EOF:` transfer whose queued stream waits
 * for the first ACK, the legacy SYNC's `$<len>` bulk, +CONTINUE with the
 * backlog, replica clients in CLIENT LIST / INFO / CLIENT KILL, the PING
 * heartbeat, WAIT's replies and errors, min-replicas-to-write, the
 * replica output buffer limit, and a disk-based sync.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import type { RunningServer } from '../../src/index.js';
import { text } from '../support/replication.js';
import { DEADLINE_MS, sleep, waitFor } from '../support/wait.js';

/** A raw connection reading bytes (an RDB is not RESP). */
class RawReplica {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<RawReplica> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawReplica(s)));
      s.once('error', reject);
    });
  }

  send(...argv: string[]): void {
    this.socket.write(RawClient.encode(argv));
  }

  /** Waits until the bytes received satisfy pred (returns how many to consume, or -1). */
  async take(pred: (b: Buffer) => number, what: string, timeoutMs = DEADLINE_MS): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = pred(this.buf);
      if (n >= 0) {
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.closed)
        throw new Error(`closed while waiting for ${what}; have ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = null;
    }
  }

  /** One line (without CRLF), skipping the keep-alive newlines a master sends while a sync is pending. */
  async line(): Promise<string> {
    for (;;) {
      const raw = await this.take((b) => (b.indexOf('\n') === -1 ? -1 : b.indexOf('\n') + 1), 'a line');
      const s = raw.toString('latin1').replace(/\r?\n$/, '');
      if (s !== '') return s;
    }
  }

  /** Exactly n bytes. */
  bytes(n: number): Promise<Buffer> {
    return this.take((b) => (b.length >= n ? n : -1), `${n} bytes`);
  }

  /** Bytes up to and including marker. */
  until(marker: string): Promise<Buffer> {
    return this.take((b) => {
      const i = b.indexOf(marker, 0, 'latin1');
      return i === -1 ? -1 : i + marker.length;
    }, JSON.stringify(marker));
  }

  /**
   * Whatever arrives within ms: a sleep on purpose, to prove that nothing
   * (or nothing more) is sent during that period.
   */
  async drain(ms: number): Promise<string> {
    await new Promise((r) => setTimeout(r, ms));
    const s = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return s;
  }

  close(): void {
    this.socket.destroy();
  }
}

const enc = (...argv: string[]): string => RawClient.encode(argv).toString('latin1');

async function txt(c: RawClient, ...argv: string[]): Promise<string> {
  return text(await c.value(...argv));
}

/** The next reply's text. */
async function next(c: RawClient): Promise<string> {
  return text((await c.read()).value);
}

function infoField(infoText: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(infoText);
  return m === null ? '' : m[1]!.trim();
}

async function infoOf(c: RawClient, section: string): Promise<string> {
  return ((await c.value('INFO', section)) as { value: string }).value;
}

/** A nodis server with a client; stops both after fn. */
async function withServer(config: Record<string, string>, fn: (srv: RunningServer, c: RawClient) => Promise<void>): Promise<void> {
  const srv = await startNodis({ config: { 'repl-diskless-sync-delay': '0', ...config } });
  const c = await RawClient.connect(srv.port);
  try {
    await fn(srv, c);
  } finally {
    c.close();
    await srv.stop();
  }
}

/** Registers r as a diskless replica and reads its whole transfer; returns the +FULLRESYNC fields. */
async function fullSync(r: RawReplica, port: number): Promise<{ replId: string; offset: number }> {
  r.send('REPLCONF', 'listening-port', String(port));
  assert.equal(await r.line(), '+OK');
  r.send('REPLCONF', 'capa', 'eof', 'capa', 'psync2');
  assert.equal(await r.line(), '+OK');
  r.send('PSYNC', '?', '-1');
  const m = /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/.exec(await r.line());
  assert.ok(m !== null, 'FULLRESYNC line');
  const eof = /^\$EOF:([0-9a-f]{40})$/.exec(await r.line());
  assert.ok(eof !== null, '$EOF: line');
  const rdb = await r.until(eof[1]!);
  assert.equal(rdb.subarray(0, 9).toString('latin1'), 'REDIS0010');
  return { replId: m[1]!, offset: Number(m[2]) };
}

describe('replication master: protocol', () => {
  test('REPLCONF options, replies and errors', async () => {
    await withServer({}, async (_srv, c) => {
      assert.equal(await txt(c, 'REPLCONF', 'listening-port', '6380', 'capa', 'eof', 'capa', 'psync2', 'capa', 'other'), 'OK');
      assert.equal(await txt(c, 'REPLCONF', 'ip-address', '10.0.0.1'), 'OK');
      assert.equal(await txt(c, 'REPLCONF'), 'OK');
      assert.equal(await txt(c, 'REPLCONF', 'foo', 'bar'), 'ERR Unrecognized REPLCONF option: foo');
      assert.equal(await txt(c, 'REPLCONF', 'listening-port'), 'ERR syntax error');
      assert.equal(await txt(c, 'REPLCONF', 'listening-port', 'abc'), 'ERR value is not an integer or out of range');
      assert.equal(await txt(c, 'REPLCONF', 'rdb-only', '2'), 'ERR value is out of range, value must between 0 and 1');
      assert.equal(await txt(c, 'REPLCONF', 'rdb-filter-only', 'foo'), 'ERR Unsupported rdb-filter-only option: foo');
      assert.equal(
        await txt(c, 'REPLCONF', 'ip-address', 'a'.repeat(300)),
        'ERR REPLCONF ip-address provided by replica instance is too long: 300 bytes',
      );
      // ACK and GETACK reply nothing: the next reply is PING's.
      c.write(enc('REPLCONF', 'ACK', '10') + enc('REPLCONF', 'GETACK', '*') + enc('PING'));
      assert.equal(await next(c), 'PONG');
    });
  });

  test('PSYNC: full diskless sync, stream held until the first ACK, then +CONTINUE from the backlog', async () => {
    await withServer({}, async (srv, c) => {
      await txt(c, 'SET', 'k', 'v');
      const r = await RawReplica.connect(srv.port);
      const { replId, offset } = await fullSync(r, 7001);
      assert.equal(offset, 0);
      const repl = await infoOf(c, 'replication');
      assert.equal(infoField(repl, 'master_replid'), replId);
      assert.equal(infoField(repl, 'connected_slaves'), '1');
      // Redis's fields, then nodis's lag extensions (README, "Lag").
      assert.match(repl, /^slave0:ip=127\.0\.0\.1,port=7001,state=online,offset=0,lag=\d+,lag_bytes=\d+,lag_ms=\d+$/m);
      // Written after the cut: queued until the replica's first ACK.
      await txt(c, 'SET', 'a', '1');
      assert.equal(await r.drain(100), '');
      r.send('REPLCONF', 'ACK', '0');
      const expected = enc('SELECT', '0') + enc('SET', 'a', '1');
      assert.equal((await r.bytes(expected.length)).toString('latin1'), expected);
      // Live stream.
      await txt(c, 'SET', 'b', '2');
      assert.equal((await r.bytes(enc('SET', 'b', '2').length)).toString('latin1'), enc('SET', 'b', '2'));
      const at = Number(infoField(await infoOf(c, 'replication'), 'master_repl_offset'));
      r.send('REPLCONF', 'ACK', String(at));
      await waitFor(
        'the ACK',
        async () => /state=online,offset=\d+/.exec(await infoOf(c, 'replication'))![0] === `state=online,offset=${at}`,
      );
      // Replica clients: flags=S, not counted as connected clients, killed by TYPE replica|slave.
      assert.match(await txt(c, 'CLIENT', 'LIST', 'TYPE', 'replica'), /flags=S /);
      assert.equal(infoField(await infoOf(c, 'clients'), 'connected_clients'), '1');
      assert.equal(await txt(c, 'CLIENT', 'KILL', 'TYPE', 'slave'), '1');
      await waitFor('the replica to be gone', async () => infoField(await infoOf(c, 'replication'), 'connected_slaves') === '0');
      await txt(c, 'SET', 'c', '3');
      // Back with PSYNC after the last byte processed: +CONTINUE and what was missed.
      const r2 = await RawReplica.connect(srv.port);
      r2.send('REPLCONF', 'capa', 'psync2');
      assert.equal(await r2.line(), '+OK');
      r2.send('PSYNC', replId, String(at + 1));
      assert.equal(await r2.line(), `+CONTINUE ${replId}`);
      assert.equal((await r2.bytes(enc('SET', 'c', '3').length)).toString('latin1'), enc('SET', 'c', '3'));
      const stats = await infoOf(c, 'stats');
      assert.equal(infoField(stats, 'sync_full'), '1');
      assert.equal(infoField(stats, 'sync_partial_ok'), '1');
      // An unknown replid: full resync, counted as a refused partial one.
      const r3 = await RawReplica.connect(srv.port);
      r3.send('PSYNC', 'f'.repeat(40), '5');
      assert.match(await r3.line(), /^\+FULLRESYNC /);
      assert.equal(infoField(await infoOf(c, 'stats'), 'sync_partial_err'), '1');
      // Commands from a replica get no replies.
      r2.send('PING');
      r2.send('GET', 'a');
      assert.equal(await r2.drain(100), '');
      r.close();
      r2.close();
      r3.close();
    });
  });

  test('SYNC: legacy $<len> bulk through the RDB file, then the stream at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-repl-master-'));
    await withServer({ dir }, async (srv, c) => {
      await txt(c, 'RPUSH', 'l', 'x', 'y');
      const r = await RawReplica.connect(srv.port);
      r.send('SYNC');
      const len = /^\$(\d+)$/.exec(await r.line());
      assert.ok(len !== null, '$<len> line');
      const rdb = await r.bytes(Number(len[1]));
      assert.equal(rdb.subarray(0, 9).toString('latin1'), 'REDIS0010');
      await txt(c, 'SET', 'z', '1');
      const expected = enc('SELECT', '0') + enc('SET', 'z', '1');
      assert.equal((await r.bytes(expected.length)).toString('latin1'), expected);
      assert.match(await infoOf(c, 'replication'), /state=online/);
      r.close();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  test('REPLCONF rdb-only 1: the RDB, then the connection is closed (redis-cli --rdb)', async () => {
    await withServer({}, async (srv, c) => {
      await txt(c, 'SET', 'k', 'v');
      const r = await RawReplica.connect(srv.port);
      r.send('REPLCONF', 'capa', 'eof', 'rdb-only', '1');
      assert.equal(await r.line(), '+OK');
      r.send('SYNC');
      const eof = /^\$EOF:([0-9a-f]{40})$/.exec(await r.line());
      assert.ok(eof !== null, '$EOF: line');
      assert.equal((await r.until(eof[1]!)).subarray(0, 9).toString('latin1'), 'REDIS0010');
      await waitFor('the connection to close', async () => r.closed);
      assert.equal(infoField(await infoOf(c, 'replication'), 'connected_slaves'), '0');
    });
  });

  test('heartbeat PING every repl-ping-replica-period; GETACK while a client WAITs; WAIT replies', async () => {
    await withServer({ 'repl-ping-replica-period': '1' }, async (srv, c) => {
      assert.equal(await txt(c, 'WAIT', '0', '0'), '0');
      assert.equal(await txt(c, 'WAIT', '1', '-1'), 'ERR timeout is negative');
      assert.equal(await txt(c, 'WAIT', 'x', '1'), 'ERR value is not an integer or out of range');
      assert.equal(await txt(c, 'WAIT', '1', 'x'), 'ERR timeout is not an integer or out of range');
      assert.equal(await txt(c, 'WAIT', '1', '30'), '0');
      c.write(enc('MULTI') + enc('WAIT', '1', '0') + enc('EXEC'));
      assert.equal(await next(c), 'OK');
      assert.equal(await next(c), 'QUEUED');
      assert.equal((await c.read()).raw.toString('latin1'), '*1\r\n:0\r\n');
      const r = await RawReplica.connect(srv.port);
      await fullSync(r, 7002);
      r.send('REPLCONF', 'ACK', '0');
      await r.until(enc('PING'));
      // A write, then WAIT: the master asks for an ACK; answering it releases WAIT with 1.
      await txt(c, 'SET', 'w', '1');
      c.write(enc('WAIT', '1', '0'));
      await r.until(enc('REPLCONF', 'GETACK', '*'));
      const other = await RawClient.connect(srv.port);
      const offset = infoField(await infoOf(other, 'replication'), 'master_repl_offset');
      other.close();
      r.send('REPLCONF', 'ACK', offset);
      assert.equal(await next(c), '1');
      r.close();
    });
  });

  test('min-replicas-to-write: NOREPLICAS without enough good replicas', async () => {
    await withServer({}, async (srv, c) => {
      assert.equal(await txt(c, 'CONFIG', 'SET', 'min-replicas-to-write', '1'), 'OK');
      assert.equal(await txt(c, 'SET', 'a', '1'), 'NOREPLICAS Not enough good replicas to write.');
      assert.equal(await txt(c, 'EXISTS', 'a'), '0');
      assert.equal(infoField(await infoOf(c, 'replication'), 'min_slaves_good_slaves'), '0');
      c.write(enc('MULTI') + enc('SET', 'a', '1') + enc('EXEC'));
      assert.equal(await next(c), 'OK');
      assert.equal(await next(c), 'NOREPLICAS Not enough good replicas to write.');
      assert.equal(await next(c), 'EXECABORT Transaction discarded because of previous errors.');
      const r = await RawReplica.connect(srv.port);
      await fullSync(r, 7003);
      r.send('REPLCONF', 'ACK', '0');
      await waitFor('a good replica', async () => infoField(await infoOf(c, 'replication'), 'min_slaves_good_slaves') === '1');
      assert.equal(await txt(c, 'SET', 'a', '1'), 'OK');
      r.close();
      await waitFor('no replica', async () => infoField(await infoOf(c, 'replication'), 'connected_slaves') === '0');
      assert.equal(await txt(c, 'SET', 'a', '2'), 'NOREPLICAS Not enough good replicas to write.');
      assert.equal(await txt(c, 'CONFIG', 'SET', 'min-replicas-max-lag', '0'), 'OK');
      assert.equal(await txt(c, 'SET', 'a', '2'), 'OK');
    });
  });

  test('repl-backlog-ttl: the backlog is freed, with a new replication ID, after that long without replicas', async () => {
    await withServer({ 'repl-backlog-ttl': '1' }, async (srv, c) => {
      const r = await RawReplica.connect(srv.port);
      const { replId } = await fullSync(r, 7005);
      r.close();
      await waitFor('the replica to be gone', async () => infoField(await infoOf(c, 'replication'), 'connected_slaves') === '0');
      assert.equal(infoField(await infoOf(c, 'replication'), 'repl_backlog_active'), '1');
      await waitFor('the backlog to be freed', async () => infoField(await infoOf(c, 'replication'), 'repl_backlog_active') === '0');
      assert.notEqual(infoField(await infoOf(c, 'replication'), 'master_replid'), replId);
    });
  });

  test('a replica over its output buffer limit is disconnected', async () => {
    await withServer({}, async (srv, c) => {
      const lines: string[] = [];
      srv.server.logger.enabled = true;
      srv.server.logger.raw = (line: string) => void lines.push(line);
      // As in Redis, a hard limit below repl-backlog-size counts as repl-backlog-size: first the raised limit holds.
      assert.equal(await txt(c, 'CONFIG', 'SET', 'client-output-buffer-limit', 'replica 4096 0 0'), 'OK');
      const r = await RawReplica.connect(srv.port);
      await fullSync(r, 7004);
      // No ACK: the stream queues for it, past 4096 bytes but under the 1mb backlog.
      await txt(c, 'SET', 'big', 'x'.repeat(8192));
      await sleep(300); // time for a few cron ticks, proving that nothing happens
      assert.equal(infoField(await infoOf(c, 'replication'), 'connected_slaves'), '1', 'kept: the limit is raised to repl-backlog-size');
      assert.equal(await txt(c, 'CONFIG', 'SET', 'repl-backlog-size', '4096'), 'OK');
      await txt(c, 'SET', 'big', 'x'.repeat(8192));
      await waitFor('the replica to be dropped', async () => infoField(await infoOf(c, 'replication'), 'connected_slaves') === '0');
      assert.ok(lines.some((l) => l.includes('scheduled to be closed ASAP for overcoming of output buffer limits.')));
      assert.equal(await txt(c, 'PING'), 'PONG');
      r.close();
    });
  });
});
