/**
 * nodis's replica link against a scripted master (a plain TCP server in
 * the test that speaks the handshake and sends what each case needs), for
 * what a real Redis will not do on demand: a corrupt RDB, a link closed in
 * the middle of the transfer, a diskless `$EOF:` payload split into tiny
 * pieces after keepalive newlines, `+CONTINUE <new replid>`, `-LOADING`,
 * garbage in the stream.
 * The replica must keep its old data when a sync fails, leave no temp
 * file, log why, and reconnect.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { sleep } from '../support/compare.js';
import { mustCall } from '../support/rdb-dataset.js';
import { RequestParser } from '../../src/protocol/parser.js';
import { encodeCommand } from '../../src/protocol/command-encoder.js';
import type { RunningServer } from '../../src/index.js';
import { info, waitFor } from './repl-replica-helpers.js';

const REPLID = 'a'.repeat(40);
const NEW_REPLID = 'b'.repeat(40);
const MARK = 'm'.repeat(40);

/** One replica connection to the scripted master: what it asked, and its socket. */
interface Link {
  socket: net.Socket;
  psync: string[] | null;
  acks: number[];
  /** The first word of everything the replica sent. */
  sent: string[];
}

/**
 * A master that answers the handshake (+PONG, +OK) and hands PSYNC (or
 * SYNC, seen as psync ['SYNC']) to onPsync with the link's number (0 for
 * the first connection).
 */
class ScriptedMaster {
  readonly links: Link[] = [];
  private server!: net.Server;
  port = 0;

  constructor(private readonly onPsync: (link: Link, n: number) => void) {}

  async start(): Promise<void> {
    this.server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    const link: Link = { socket, psync: null, acks: [], sent: [] };
    const n = this.links.push(link) - 1;
    const parser = new RequestParser();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== null; argv = parser.next()) {
        const name = argv[0]!.toUpperCase();
        link.sent.push(name);
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'REPLCONF' && argv[1]!.toUpperCase() === 'ACK') link.acks.push(Number(argv[2]));
        else if (name === 'PSYNC' || name === 'SYNC') {
          link.psync = name === 'SYNC' ? ['SYNC'] : argv.slice(1);
          this.onPsync(link, n);
        } else socket.write('+OK\r\n');
      }
    });
  }

  async stop(): Promise<void> {
    for (const l of this.links) l.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An RDB holding `keys` (saved by an in-process nodis). */
async function rdbWith(keys: Record<string, string>): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-repl-rdb-'));
  const srv = await startNodis({ config: { dir } });
  const c = await RawClient.connect(srv.port);
  try {
    for (const [k, v] of Object.entries(keys)) await mustCall(c, 'SET', k, v);
    await mustCall(c, 'SAVE');
    return readFileSync(join(dir, 'dump.rdb'));
  } finally {
    c.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs fn with a scripted master and a nodis (logging to a file, with its own dir) holding key "mine". */
async function withReplica(
  onPsync: (link: Link, n: number) => void,
  fn: (r: RawClient, master: ScriptedMaster, ctx: { dir: string; log: () => string; nodis: RunningServer }) => Promise<void>,
  config: Record<string, string> = {},
): Promise<void> {
  const master = new ScriptedMaster(onPsync);
  await master.start();
  const dir = mkdtempSync(join(tmpdir(), 'nodis-repl-faults-'));
  const logfile = join(dir, 'nodis.log');
  const nodis = await startNodis({ log: true, config: { ...config, dir, logfile } });
  const r = await RawClient.connect(nodis.port);
  try {
    await mustCall(r, 'SET', 'mine', 'old data');
    assert.equal(await r.callText('REPLICAOF', '127.0.0.1', String(master.port)), '+OK\r\n');
    await fn(r, master, { dir, log: () => readFileSync(logfile, 'latin1'), nodis });
  } finally {
    r.close();
    await nodis.stop();
    await master.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('replica link against a scripted master', () => {
  test('a corrupt RDB is logged and discarded; the old data stays; the replica reconnects', async () => {
    const rdb = await rdbWith({ a: '1', b: '2' });
    const bad = Buffer.from(rdb);
    bad[bad.length - 3]! ^= 0xff; // inside the checksum
    await withReplica(
      (link) => link.socket.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${bad.length}\r\n`), bad])),
      async (r, master, { dir, log }) => {
        await waitFor('a second attempt', () => master.links[1]?.psync != null);
        assert.match(log(), /Failed trying to load the MASTER synchronization DB from disk, check server logs\./);
        assert.match(log(), /MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk/);
        assert.equal(await r.callText('GET', 'mine'), '$8\r\nold data\r\n');
        assert.equal(await r.callText('EXISTS', 'a'), ':0\r\n');
        const files = readdirSync(dir);
        assert.ok(!files.includes('dump.rdb') && !files.some((f) => f.startsWith('temp-')), files.join(' '));
        assert.deepEqual(master.links[1]!.psync, ['?', '-1'], 'the cached master was discarded by the full resync');
      },
    );
  });

  test('a master that closes mid-transfer: logged, discarded, reconnect; the next transfer succeeds', async () => {
    const rdb = await rdbWith({ a: '1' });
    await withReplica(
      (link, n) => {
        link.socket.write(
          Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 7\r\n$${rdb.length}\r\n`), rdb.subarray(0, n === 0 ? 10 : rdb.length)]),
        );
        // Closed once those bytes have been handed to the kernel (they reach the replica, then the close).
        if (n === 0) link.socket.end();
      },
      async (r, master, { dir, log }) => {
        await waitFor('the link to come up', async () => (await info(r, 'replication')).get('master_link_status') === 'up');
        assert.equal(master.links.length, 2);
        assert.match(log(), /I\/O error trying to sync with MASTER: connection lost/);
        assert.equal(await r.callText('GET', 'a'), '$1\r\n1\r\n');
        assert.equal(await r.callText('EXISTS', 'mine'), ':0\r\n', 'a full sync replaces the dataset');
        const ri = await info(r, 'replication');
        assert.equal(ri.get('master_replid'), REPLID);
        assert.equal(ri.get('slave_repl_offset'), '7');
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.endsWith('.rdb')),
          ['dump.rdb'],
        );
      },
    );
  });

  test('diskless $EOF: payload in tiny pieces, then the stream after the first ACK, GETACK, then +CONTINUE <new id>', async () => {
    const rdb = await rdbWith({ a: '1' });
    const stream = encodeCommand(['SELECT', '0']) + encodeCommand(['SET', 'b', '2']) + encodeCommand(['PING']);
    await withReplica(
      (link, n) => {
        if (n === 1) {
          link.socket.write(`+CONTINUE ${NEW_REPLID}\r\n` + encodeCommand(['SET', 'c', '3']));
          return;
        }
        const bytes = Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 100\r\n\n\n$EOF:${MARK}\r\n`), rdb, Buffer.from(MARK)]);
        void (async () => {
          for (let i = 0; i < bytes.length; i += 7) {
            link.socket.write(bytes.subarray(i, i + 7));
            await sleep(1);
          }
        })();
      },
      async (r, master, { log }) => {
        await waitFor('the first ACK', () => (master.links[0]?.acks.length ?? 0) > 0);
        assert.equal(master.links[0]!.acks[0], 100);
        assert.match(log(), /MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk/);
        master.links[0]!.socket.write(stream);
        const end = 100 + stream.length;
        await waitFor('the stream to be applied', async () => (await info(r, 'replication')).get('slave_repl_offset') === String(end));
        assert.equal(await r.callText('GET', 'b'), '$1\r\n2\r\n');
        assert.equal(await r.callText('GET', 'a'), '$1\r\n1\r\n');

        // GETACK is answered at once with the offset processed before it (a periodic ACK,
        // sent between reads, reports `end` or everything after GETACK, never `afterSet`).
        const set = encodeCommand(['SET', 'g', '1']);
        const afterSet = end + set.length;
        master.links[0]!.socket.write(set + encodeCommand(['REPLCONF', 'GETACK', '*']));
        await waitFor('the GETACK answer', () => master.links[0]!.acks.includes(afterSet));
        const streamEnd = afterSet + encodeCommand(['REPLCONF', 'GETACK', '*']).length;
        await waitFor(
          'GETACK counted in the offset',
          async () => (await info(r, 'replication')).get('slave_repl_offset') === String(streamEnd),
        );

        master.links[0]!.socket.destroy();
        await waitFor('the partial resync', async () => (await info(r, 'replication')).get('master_replid') === NEW_REPLID);
        assert.deepEqual(master.links[1]!.psync, [REPLID, String(streamEnd + 1)]);
        await waitFor('SET c', async () => (await r.callText('GET', 'c')) === '$1\r\n3\r\n');
        const ri = await info(r, 'replication');
        assert.equal(ri.get('master_replid2'), REPLID);
        assert.equal(ri.get('second_repl_offset'), String(streamEnd + 1));
        assert.match(log(), /Master replication ID changed to b{40}/);
      },
    );
  });

  test('INFO and ROLE while the RDB arrives: progress fields, state sync', async () => {
    const rdb = await rdbWith({ a: '1' });
    const half = 20;
    await withReplica(
      (link) => link.socket.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`), rdb.subarray(0, half)])),
      async (r, master) => {
        await waitFor('the transfer to start', async () => (await info(r, 'replication')).get('master_sync_read_bytes') === String(half));
        const ri = await info(r, 'replication');
        const names = [...ri.keys()];
        const at = names.indexOf('slave_repl_offset');
        assert.deepEqual(names.slice(at + 1, at + 7), [
          'master_sync_total_bytes',
          'master_sync_read_bytes',
          'master_sync_left_bytes',
          'master_sync_perc',
          'master_sync_last_io_seconds_ago',
          'master_link_down_since_seconds',
        ]);
        assert.equal(ri.get('master_sync_in_progress'), '1');
        assert.equal(ri.get('master_sync_total_bytes'), String(rdb.length));
        assert.equal(ri.get('master_sync_left_bytes'), String(rdb.length - half));
        assert.equal(ri.get('master_sync_perc'), ((half / rdb.length) * 100).toFixed(2));
        assert.equal(ri.get('master_link_status'), 'down');
        assert.equal((await info(r, 'persistence')).get('loading'), '0', 'a transfer to disk is not a load (repl-diskless-load disabled)');
        assert.equal(await r.callText('GET', 'mine'), '$8\r\nold data\r\n');
        const role = await r.value('ROLE');
        assert.equal(role.kind === 'array' && (role.items[3] as { value: string }).value, 'sync');
        master.links[0]!.socket.write(rdb.subarray(half));
        await waitFor('the link to come up', async () => (await info(r, 'replication')).get('master_link_status') === 'up');
        assert.equal(await r.callText('GET', 'a'), '$1\r\n1\r\n');
      },
    );
  });

  test('repl-diskless-load swapdb, a new replid: loading while the RDB arrives (as Redis, which loads from the socket); a failed transfer keeps the old data', async () => {
    const rdb = await rdbWith({ a: '1' });
    await withReplica(
      (link, n) => {
        if (n === 0) link.socket.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$EOF:${MARK}\r\n`), rdb.subarray(0, 20)]));
      },
      async (r, master) => {
        await waitFor('the transfer to start', async () => Number((await info(r, 'replication')).get('master_sync_read_bytes')) > 0);
        const loading = await info(r, 'persistence');
        assert.equal(loading.get('loading'), '1');
        assert.equal(loading.get('async_loading'), '0');
        assert.equal(await r.callText('GET', 'mine'), '-LOADING Redis is loading the dataset in memory\r\n');
        master.links[0]!.socket.destroy();
        await waitFor('the load to end', async () => (await info(r, 'persistence')).get('loading') === '0');
        assert.equal(await r.callText('GET', 'mine'), '$8\r\nold data\r\n');
      },
      { 'repl-diskless-load': 'swapdb' },
    );
  });

  test('an unparseable stream drops the link; the replica reconnects and asks to continue', async () => {
    const rdb = await rdbWith({ a: '1' });
    const set = encodeCommand(['SET', 'b', '2']);
    await withReplica(
      (link, n) => {
        if (n === 0)
          link.socket.write(
            Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`), rdb, Buffer.from(set + '*1\r\n$x\r\n')]),
          );
        else link.socket.write('+CONTINUE\r\n');
      },
      async (r, master) => {
        await waitFor('a second attempt', () => master.links[1]?.psync != null);
        assert.deepEqual(master.links[1]!.psync, [REPLID, String(set.length + 1)]);
        assert.deepEqual(new Set(master.links[0]!.sent), new Set(['PING', 'REPLCONF', 'PSYNC']), 'no error reply went to the master');
        assert.equal(await r.callText('GET', 'b'), '$1\r\n2\r\n');
        await waitFor('the link to come up', async () => (await info(r, 'replication')).get('master_link_status') === 'up');
      },
    );
  });

  test('a master that refuses PSYNC gets SYNC: a full sync starting a new history at offset 0', async () => {
    const rdb = await rdbWith({ a: '1' });
    const set = encodeCommand(['SET', 'b', '2']);
    await withReplica(
      (link) => {
        if (link.psync![0] !== 'SYNC') link.socket.write("-ERR unknown command 'PSYNC'\r\n");
        else link.socket.write(Buffer.concat([Buffer.from(`$${rdb.length}\r\n`), rdb, Buffer.from(set)]));
      },
      async (r, master, { log }) => {
        await waitFor('the stream', async () => (await r.callText('GET', 'b')) === '$1\r\n2\r\n');
        assert.equal(master.links.length, 1);
        assert.match(log(), /# Unexpected reply to PSYNC from master: -ERR unknown command 'PSYNC'\n.*\* Retrying with SYNC\.\.\./);
        const ri = await info(r, 'replication');
        assert.equal(ri.get('master_link_status'), 'up');
        assert.equal(ri.get('slave_repl_offset'), String(set.length));
        assert.equal(await r.callText('GET', 'a'), '$1\r\n1\r\n');
      },
    );
  });

  test('-LOADING from PSYNC: retried by the once-a-second cron', async () => {
    const rdb = await rdbWith({ a: '1' });
    await withReplica(
      (link, n) => {
        if (n === 0) link.socket.write('-LOADING Redis is loading the dataset in memory\r\n');
        else link.socket.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`), rdb]));
      },
      async (r, master, { log }) => {
        await waitFor('the link to come up', async () => (await info(r, 'replication')).get('master_link_status') === 'up');
        assert.equal(master.links.length, 2);
        assert.match(log(), /Master is currently unable to PSYNC but should be in the future: -LOADING/);
      },
    );
  });
});
