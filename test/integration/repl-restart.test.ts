/**
 * Replication that survives restarts (issue 6, item 1) and the lag fields
 * of INFO replication (item 4), over real processes:
 *
 * - a nodis replica of a nodis or Redis master, stopped with SIGTERM under
 *   a write load (its final RDB records repl-id, repl-offset and
 *   repl-stream-db) and started again with the same dir and replicaof,
 *   continues with a partial resync: the master's sync_partial_ok +1,
 *   sync_full unchanged, the same data once the load stops;
 * - a nodis master stopped with SHUTDOWN SAVE right after a write load and
 *   started again with the same dir keeps its history as replid2 (Redis 7.0 does the same), so
 *   its nodis and Redis replicas, which kept retrying meanwhile, continue
 *   with +CONTINUE, getting the deletions of the keys that expired while
 *   it was down (a backlog holding only those, as Redis 7.0's);
 * - the RDB a master writes records no history while it has no backlog
 *   (as Redis), and a replica's records the db its master's stream had
 *   selected;
 * - lag: a master's slaveN lines append lag_bytes and lag_ms (nodis
 *   extensions) which grow while a replica is frozen and return to 0 once
 *   it caught up; a nodis replica reports replication_lag_ms.
 *
 * The restartable nodes are started here (fixed port and dir, kept across
 * restarts); the others come from test/support/replication.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient } from '../support/raw-client.js';
import { redisAvailable, waitForPort } from '../support/servers.js';
import { mustCall } from '../support/rdb-dataset.js';
import {
  BASE_CONFIG,
  assertConverged,
  info,
  infoField,
  settleRandomWrites,
  startNode,
  startWriter,
  stopNodes,
  syncStats,
  text,
  unusedPort,
  waitFor,
  waitInSync,
  waitLinkUp,
  waitResynced,
  writeEveryFamily,
  type ReplNode,
} from '../support/replication.js';

const withRedis = redisAvailable('repl-restart');
const MAIN = new URL('../../src/main.js', import.meta.url).pathname;

/** A node that can be stopped and started again on the same port with the same dir. */
interface Restartable extends ReplNode {
  readonly dir: string;
  /** Sends sig (or SHUTDOWN SAVE with 'shutdown') and waits for the process to exit; the dir stays. */
  halt(how: NodeJS.Signals | 'shutdown'): Promise<void>;
  /** Starts the process again with the same port, dir and config plus extra. */
  restart(extra?: Record<string, string>): Promise<Restartable>;
  /** Stops the process and removes the dir. */
  stop(): Promise<void>;
}

async function startRestartable(
  kind: 'nodis' | 'redis',
  config: Record<string, string>,
  dir?: string,
  port?: number,
): Promise<Restartable> {
  const workDir = dir ?? mkdtempSync(join(tmpdir(), 'nodis-restart-'));
  const p = port ?? (await unusedPort());
  const all = { ...BASE_CONFIG, save: '3600 1', ...config, port: String(p), dir: workDir, logfile: 'server.log' };
  const args = Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]);
  const proc: ChildProcess =
    kind === 'redis'
      ? spawn('redis-server', ['--bind', '127.0.0.1', '--appendonly', 'no', ...args], { stdio: 'ignore' })
      : spawn(process.execPath, [MAIN, ...args], { stdio: 'ignore', cwd: workDir });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await waitForPort(p);
  const admin = await RawClient.connect(p);
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const halt = async (how: NodeJS.Signals | 'shutdown') => {
    admin.close();
    if (!alive()) return;
    if (how === 'shutdown') {
      const c = await RawClient.connect(p);
      c.write(RawClient.encode(['SHUTDOWN', 'SAVE']));
      await exited;
      c.close();
    } else {
      proc.kill(how);
      await exited;
    }
  };
  return {
    kind,
    port: p,
    name: `${kind}:${p}(restartable)`,
    admin,
    inproc: null,
    dir: workDir,
    pause: () => void proc.kill('SIGSTOP'),
    resume: () => void proc.kill('SIGCONT'),
    logTail: (lines = 15) => {
      try {
        return readFileSync(join(workDir, 'server.log'), 'utf8')
          .split('\n')
          .slice(-lines - 1)
          .join('\n');
      } catch {
        return '';
      }
    },
    halt,
    restart: (extra = {}) => startRestartable(kind, { ...config, ...extra }, workDir, p),
    stop: async () => {
      if (alive()) proc.kill('SIGCONT');
      await halt('SIGKILL');
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The AUX fields of an RDB file: name → value (string encodings only, as Redis writes repl-id; integers as numbers). */
function rdbAux(path: string): Map<string, string> {
  const buf = readFileSync(path);
  const out = new Map<string, string>();
  let i = 9;
  const readString = (): string => {
    const b = buf[i++]!;
    const type = b >> 6;
    if (type === 0) return buf.latin1Slice(i, (i += b & 0x3f));
    if (type === 1) {
      const n = ((b & 0x3f) << 8) | buf[i++]!;
      return buf.latin1Slice(i, (i += n));
    }
    if (type === 3 && (b & 0x3f) === 0) return String(buf.readInt8(i++));
    if (type === 3 && (b & 0x3f) === 1) return String(buf.readInt16LE((i += 2) - 2));
    if (type === 3 && (b & 0x3f) === 2) return String(buf.readInt32LE((i += 4) - 4));
    throw new Error(`unexpected string encoding ${b} in AUX at ${i - 1}`);
  };
  while (buf[i] === 0xfa) {
    i++;
    const name = readString();
    out.set(name, readString());
  }
  return out;
}

describe('repl-restart: a replica restarted with its RDB continues partially', { timeout: 60000 }, () => {
  const masters: ('nodis' | 'redis')[] = withRedis ? ['nodis', 'redis'] : ['nodis'];
  for (const masterKind of masters) {
    test(`nodis replica of ${masterKind}: SIGTERM under load, restart → +CONTINUE`, async () => {
      let master: ReplNode | undefined;
      let replica: Restartable | undefined;
      let restarted: Restartable | undefined;
      try {
        master = await startNode(masterKind);
        replica = await startRestartable('nodis', { replicaof: `127.0.0.1 ${master.port}` });
        await waitInSync(master, replica);
        const writer = await startWriter(master, 61, 1);
        try {
          await waitFor('some writes to flow', () => writer.count() > 200);
          const before = await syncStats(master);
          await replica.halt('SIGTERM');
          const aux = rdbAux(join(replica.dir, 'dump.rdb'));
          assert.equal(
            aux.get('repl-id'),
            await infoField(master, 'replication', 'master_replid'),
            'the replica recorded its master replid',
          );
          assert.ok(Number(aux.get('repl-offset')) > 0, `repl-offset ${aux.get('repl-offset')}`);
          assert.ok(aux.has('repl-stream-db'));
          await waitFor('more writes while the replica is down', () => writer.count() > 400);
          restarted = await replica.restart();
          await waitResynced(master, restarted, before);
          const after = await syncStats(master);
          assert.equal(after.partialOk, before.partialOk + 1, 'partial resync after the restart');
          assert.equal(after.full, before.full, 'no full sync after the restart');
        } finally {
          await writer.stop();
        }
        await settleRandomWrites(master);
        await assertConverged(master, restarted);
      } finally {
        await stopNodes(master, restarted ?? replica);
      }
    });
  }

  test('a replica records the db its master stream had selected', async () => {
    let master: ReplNode | undefined;
    let replica: Restartable | undefined;
    try {
      master = await startNode('nodis');
      replica = await startRestartable('nodis', { replicaof: `127.0.0.1 ${master.port}` });
      await waitInSync(master, replica);
      await mustCall(master.admin, 'SELECT', '7');
      await mustCall(master.admin, 'SET', 'in7', 'x');
      await mustCall(master.admin, 'SELECT', '0');
      await waitInSync(master, replica);
      await mustCall(replica.admin, 'SAVE');
      const aux = rdbAux(join(replica.dir, 'dump.rdb'));
      assert.equal(aux.get('repl-stream-db'), '7');
      assert.equal(aux.get('repl-offset'), await infoField(master, 'replication', 'master_repl_offset'));
      // The stream goes on in db 7 after the restart: a write there without SELECT lands in db 7.
      const before = await syncStats(master);
      await replica.halt('SIGTERM');
      const restarted = await replica.restart();
      replica = restarted;
      await waitResynced(master, restarted, before);
      assert.equal((await syncStats(master)).full, before.full);
      await mustCall(master.admin, 'SELECT', '7');
      await mustCall(master.admin, 'SET', 'after', 'y');
      await mustCall(master.admin, 'SELECT', '0');
      await assertConverged(master, restarted);
    } finally {
      await stopNodes(master, replica);
    }
  });
});

describe('repl-restart: a master restarted with SHUTDOWN keeps its replicas partial', { timeout: 60000 }, () => {
  // A Redis master validates the expectations against Redis itself.
  const masters: ('nodis' | 'redis')[] = withRedis ? ['nodis', 'redis'] : ['nodis'];
  for (const masterKind of masters) {
    test(`${masterKind} master, nodis and Redis replicas: +CONTINUE after the restart`, async () => {
      let master: Restartable | undefined;
      const replicas: ReplNode[] = [];
      try {
        master = await startRestartable(masterKind, {});
        // Without replicas (no backlog) the file records no history, as Redis's.
        await mustCall(master.admin, 'SET', 'k0', 'v');
        await mustCall(master.admin, 'SAVE');
        assert.equal(rdbAux(join(master.dir, 'dump.rdb')).has('repl-id'), false);
        for (const kind of withRedis ? (['nodis', 'redis'] as const) : (['nodis'] as const)) {
          const r = await startNode(kind, { replicaof: `127.0.0.1 ${master.port}` });
          replicas.push(r);
          await waitInSync(master, r);
        }
        await writeEveryFamily(master, 'before');
        // Under a write load, shut down right after its last reply (the replicas may still be catching up).
        const writer = await startWriter(master, 71);
        await waitFor('some writes to flow', () => writer.count() > 300);
        await writer.stop();
        // From here until the shutdown the stream must not grow by itself: no active expiry of the workload's short TTLs.
        await mustCall(master.admin, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
        const m = await info(master.admin, 'replication');
        await master.halt('shutdown');
        for (const r of replicas)
          await waitFor(`${r.name} to see the link down`, async () => (await infoField(r, 'replication', 'master_link_status')) === 'down');
        master = await master.restart();
        const restarted = await info(master.admin, 'replication');
        assert.equal(restarted.get('master_replid2'), m.get('master_replid'), 'the previous history is replid2');
        // The history goes on where the file's ends (after the REPLCONF GETACK a SHUTDOWN waiting for
        // lagging replicas sends, and a periodic PING should one fall due meanwhile); the backlog starts
        // there and holds the deletions of keys that expired meanwhile.
        const saved = Number(restarted.get('second_repl_offset')) - 1;
        const getAck = RawClient.encode(['REPLCONF', 'GETACK', '*']).length;
        const ping = RawClient.encode(['PING']).length;
        assert.ok(
          [0, getAck, ping, getAck + ping].includes(saved - Number(m.get('master_repl_offset'))),
          `saved at ${saved}, last write at ${m.get('master_repl_offset')}`,
        );
        assert.equal(restarted.get('repl_backlog_first_byte_offset'), String(saved + 1));
        assert.equal(Number(restarted.get('repl_backlog_histlen')), Number(restarted.get('master_repl_offset')) - saved);
        assert.equal(restarted.get('repl_backlog_active'), '1');
        for (const r of replicas) await waitLinkUp(master, r);
        const s = await syncStats(master);
        assert.deepEqual(s, { full: 0, partialOk: replicas.length, partialErr: 0 }, 'every replica continued partially');
        for (const r of replicas) {
          assert.equal(await infoField(r, 'replication', 'master_replid'), restarted.get('master_replid'), `${r.name} took the new replid`);
        }
        await writeEveryFamily(master, 'after');
        await settleRandomWrites(master);
        await assertConverged(master, ...replicas);
      } finally {
        await stopNodes(master, ...replicas);
      }
    });
  }
});

/** slaveN's key=value pairs on node's INFO replication, by replica port. */
async function replicaLine(node: ReplNode, port: number): Promise<Map<string, string>> {
  return replicaFields(await info(node.admin, 'replication'), port);
}

/** The fields of the `slave<n>` line of an INFO replication (as a map) for the replica on port; empty when none. */
function replicaFields(repl: Map<string, string>, port: number): Map<string, string> {
  for (const [k, v] of repl) {
    if (!/^slave\d+$/.test(k)) continue;
    const fields = new Map(v.split(',').map((kv) => kv.split('=') as [string, string]));
    if (fields.get('port') === String(port)) return fields;
  }
  return new Map();
}

/** A nodis master and a replica of kind in sync with it; fn runs with them; both stopped after. */
async function withSyncedPair(replicaKind: 'nodis' | 'redis', fn: (master: ReplNode, replica: ReplNode) => Promise<void>): Promise<void> {
  let master: ReplNode | undefined;
  let replica: ReplNode | undefined;
  try {
    master = await startNode('nodis');
    replica = await startNode(replicaKind, { replicaof: `127.0.0.1 ${master.port}` });
    await waitInSync(master, replica);
    await fn(master, replica);
  } finally {
    await stopNodes(master, replica);
  }
}

describe('repl-restart: lag you can see', { timeout: 60000 }, () => {
  const kinds: ('nodis' | 'redis')[] = withRedis ? ['nodis', 'redis'] : ['nodis'];
  for (const replicaKind of kinds) {
    test(`nodis master, ${replicaKind} replica frozen: lag_bytes and lag_ms grow, then return to 0`, async () => {
      await withSyncedPair(replicaKind, async (master, replica) => {
        const keys = [...(await replicaLine(master, replica.port)).keys()];
        assert.deepEqual(
          keys,
          ['ip', 'port', 'state', 'offset', 'lag', 'lag_bytes', 'lag_ms'],
          "Redis's fields first, the extensions after",
        );
        if (replicaKind === 'nodis') assert.match(await infoField(replica, 'replication', 'replication_lag_ms'), /^\d+$/);
        replica.pause();
        try {
          await mustCall(master.admin, 'SET', 'lagging', 'x'.repeat(1000));
          // Both read from one INFO, so they describe the same moment.
          let line = new Map<string, string>();
          let offset = 0;
          const lagging = async () => {
            const repl = await info(master.admin, 'replication');
            line = replicaFields(repl, replica.port);
            offset = Number(repl.get('master_repl_offset'));
            return Number(line.get('lag_bytes')) > 1000 && Number(line.get('lag_ms')) > 0;
          };
          await waitFor('lag_bytes and lag_ms to grow while the replica is frozen', lagging, () => [...line].join(' '));
          assert.equal(Number(line.get('lag_bytes')), offset - Number(line.get('offset')));
        } finally {
          replica.resume();
        }
        const caughtUp = async () => {
          const line = await replicaLine(master!, replica!.port);
          return line.get('lag_bytes') === '0' && line.get('lag_ms') === '0';
        };
        await waitFor('the replica to acknowledge everything', caughtUp);
      });
    });

    test(`nodis master, ${replicaKind} replica: replication traffic and buffers counted apart (INFO stats, memory)`, async () => {
      await withSyncedPair(replicaKind, async (master, replica) => {
        const stats = async (n: ReplNode) => info(n.admin, 'stats');
        const before = await stats(master);
        const replicaBefore = Number((await stats(replica)).get('total_net_repl_input_bytes'));
        await mustCall(master.admin, 'SET', 'traffic', 'x'.repeat(100_000));
        await waitInSync(master, replica);
        const after = await stats(master);
        const out = (m: Map<string, string>, f: string) => Number(m.get(f));
        assert.ok(
          out(after, 'total_net_repl_output_bytes') - out(before, 'total_net_repl_output_bytes') >= 100_000,
          'the SET went to the replica',
        );
        assert.ok(out(after, 'total_net_output_bytes') - out(before, 'total_net_output_bytes') < 10_000, 'not counted as client output');
        assert.ok(
          Number((await stats(replica)).get('total_net_repl_input_bytes')) - replicaBefore >= 100_000,
          'the replica counts it as replication input',
        );
        const memory = await info(master.admin, 'memory');
        assert.equal(memory.get('mem_replication_backlog'), '1048576', 'the backlog (repl-backlog-size)');
        assert.ok(Number(memory.get('mem_total_replication_buffers')) >= 1048576);
        assert.equal(Number(memory.get('mem_total_replication_buffers')) - 1048576, Number(memory.get('mem_clients_slaves')));
      });
    });

    test(`nodis master, ${replicaKind} replica: an error applying the stream is logged and counted`, async () => {
      await withSyncedPair(replicaKind, async (master, replica) => {
        // A writable replica holds a list where the master has a counter: INCR fails there.
        await mustCall(replica.admin, 'CONFIG', 'SET', 'replica-read-only', 'no');
        await mustCall(replica.admin, 'LPUSH', 'counter', 'x');
        await mustCall(master.admin, 'INCR', 'counter');
        await waitInSync(master, replica);
        assert.equal(await infoField(replica, 'stats', 'unexpected_error_replies'), '1');
        const log = replica.logTail(5);
        assert.match(
          log,
          /== CRITICAL == This replica is sending an error to its master: '-WRONGTYPE .*' after processing the command 'incr'/,
        );
        assert.match(log, /Latest backlog is: '"\*2\\r\\n\$6\\r\\nSELECT\\r\\n\$1\\r\\n0\\r\\n"'/);
      });
    });

    test(`nodis master, ${replicaKind} writable replica: keys its own clients gave a TTL expire there`, async () => {
      await withSyncedPair(replicaKind, async (master, replica) => {
        await mustCall(replica.admin, 'CONFIG', 'SET', 'replica-read-only', 'no');
        await mustCall(master.admin, 'SET', 'from-master', 'v', 'PX', '100000');
        await waitInSync(master, replica);
        await mustCall(replica.admin, 'SET', 'own', 'v', 'PX', '100');
        await mustCall(replica.admin, 'SET', 'persisted', 'v', 'PX', '100');
        await mustCall(replica.admin, 'PERSIST', 'persisted');
        await mustCall(replica.admin, 'SET', 'plain', 'v');
        assert.equal(await infoField(replica, 'stats', 'slave_expires_tracked_keys'), '2');
        const settled = async () =>
          text(await mustCall(replica.admin, 'DBSIZE')) === '3' &&
          (await infoField(replica, 'stats', 'slave_expires_tracked_keys')) === '0';
        await waitFor("the replica's own key to be deleted, the others kept", settled);
        assert.equal(text(await mustCall(replica.admin, 'EXISTS', 'from-master', 'persisted', 'plain')), '3');
      });
    });
  }
});
