/**
 * Real Redis Sentinel 7.0 (redis-server --sentinel) with nodis: three
 * sentinels (quorum 2, down-after 5 s) monitor a nodis master with two
 * nodis replicas, all nodis-server processes run from config files.
 *
 *  1. the sentinels discover both replicas (from the master's INFO) and
 *     each other (through `__sentinel__:hello` on the nodis servers), and
 *     read each replica's INFO (run_id, role, master link, priority);
 *  2. an ioredis client that asks the sentinels for `mymaster` writes
 *     unique keys, each followed by WAIT for every replica the master has;
 *  3. the master is killed (SIGKILL): the sentinels agree it is down,
 *     promote the replica whose replica-priority is not 0 (+switch-master,
 *     seen by all three), re-point the other one to it, and both rewrote
 *     their config files (Sentinel sends MULTI, REPLICAOF, CONFIG REWRITE,
 *     CLIENT KILL TYPE normal, CLIENT KILL TYPE pubsub, EXEC);
 *  4. the client keeps writing after a short retry window;
 *  5. the old master is restarted on the same port from the same dir and
 *     file: Sentinel converts it into a replica of the new master;
 *  6. no write acknowledged by WAIT is missing anywhere, and all three
 *     nodes end with the same dataset.
 *
 * Every wait is bounded and fails with the sentinels' logs, where Sentinel
 * says why it did or did not act.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis as IORedis } from 'ioredis';
import { redisAvailable } from '../support/servers.js';
import { sleep } from '../support/compare.js';
import { assertConverged, text, waitFor, waitInSync } from '../support/replication.js';
import { ConfiguredNode, SentinelNode, sentinelsReport, type MonitorOptions } from '../support/sentinel.js';

// down-after 5 s (Sentinel's default is 30 s): on a loaded 2-core machine a
// starved process can miss Sentinel's PINGs for a second or two, and a
// spurious second failover (seen with 1.5 s while the suite ran beside a
// benchmark) would promote a node that lacks acknowledged writes. A long
// failover-timeout also keeps Sentinel from failing the same name over
// again soon after the first failover.
const MONITOR: MonitorOptions = { name: 'mymaster', quorum: 2, downAfterMs: 5000, failoverTimeoutMs: 10000 };

/**
 * Writes `sentinel:<n>` keys through an ioredis client, each followed by
 * WAIT <need> 1000 (room for replicas slowed by a busy machine); a write whose WAIT counted `need` replicas is kept as
 * acknowledged. Errors (during the failover) are counted and retried.
 */
class AckingWriter {
  readonly acked = new Map<string, string>();
  errors = 0;
  lastError = '';
  /** How many replicas a write must reach to count as acknowledged. */
  need = 2;
  private n = 0;
  private stopping = false;
  private readonly loop: Promise<void>;

  constructor(private readonly client: IORedis) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const key = `sentinel:${this.n}`;
      const value = `v${this.n++}`;
      const need = this.need;
      try {
        await this.client.set(key, value);
        const reached = Number(await this.client.call('WAIT', String(need), '1000'));
        if (reached >= need) this.acked.set(key, value);
      } catch (e) {
        this.errors++;
        this.lastError = (e as Error).message;
        await sleep(50);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }
}

/** Asserts node holds every acknowledged write (MGET in batches of 500). */
async function assertHasAll(node: ConfiguredNode, acked: Map<string, string>): Promise<void> {
  const entries = [...acked];
  const missing: string[] = [];
  for (let i = 0; i < entries.length; i += 500) {
    const batch = entries.slice(i, i + 500);
    const got = await node.admin.value('MGET', ...batch.map(([k]) => k));
    assert.ok(got.kind === 'array', `${node.name}: MGET: ${text(got)}`);
    batch.forEach(([k, v], j) => {
      const item = got.items[j]!;
      if (!('value' in item) || String(item.value) !== v) missing.push(k);
    });
  }
  assert.deepEqual(missing.slice(0, 10), [], `${node.name} lacks ${missing.length} of ${acked.size} acknowledged writes`);
}

/** ROLE's fields, or [] when Sentinel's CLIENT KILL closed the connection first. */
const roleOf = async (n: ConfiguredNode): Promise<string[]> => {
  let v;
  try {
    v = await n.query('ROLE');
  } catch {
    return [];
  }
  assert.ok(v.kind === 'array');
  return v.items.map((i) => ('value' in i ? String(i.value) : i.kind));
};

/**
 * Runs fn over the nodes' admin connections; should Sentinel close them
 * meanwhile (any REPLICAOF it sends comes with CLIENT KILL TYPE normal),
 * opens new ones and runs fn again (three attempts).
 */
async function despiteKills(nodes: readonly ConfiguredNode[], fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    for (const n of nodes) await n.reconnect();
    try {
      return await fn();
    } catch (e) {
      if (attempt === 3 || (e as Error).message !== 'connection closed') throw e;
    }
  }
}

test(
  'Sentinel fails a nodis master over, re-points its replicas, converts the returning master and clients keep working',
  { skip: !redisAvailable('repl-sentinel') },
  async () => {
    const nodes: ConfiguredNode[] = [];
    const sentinels: SentinelNode[] = [];
    let client: IORedis | null = null;
    let writer: AckingWriter | null = null;
    const report = () => sentinelsReport(sentinels, nodes);
    try {
      const master = await ConfiguredNode.start();
      nodes.push(master);
      // The second replica has replica-priority 0: Sentinel must never promote it.
      for (const priority of ['100', '0'])
        nodes.push(await ConfiguredNode.start({ replicaof: `127.0.0.1 ${master.port}`, 'replica-priority': priority }));
      const replicas = nodes.slice(1);
      for (const r of replicas) await waitInSync(master, r);
      for (let i = 0; i < 3; i++) sentinels.push(await SentinelNode.start(master.port, MONITOR));

      // 1. Discovery of the replicas and of the other sentinels.
      const replicaPorts = replicas.map((r) => String(r.port)).sort();
      await waitFor(
        'every sentinel to list both replicas (link ok) and the two other sentinels',
        async () => {
          for (const s of sentinels) {
            const reps = await s.instances('REPLICAS', MONITOR.name);
            const ok = reps.filter((r) => r.get('flags') === 'slave' && r.get('master-link-status') === 'ok');
            if (JSON.stringify(ok.map((r) => r.get('port')).sort()) !== JSON.stringify(replicaPorts)) return false;
            if ((await s.instances('SENTINELS', MONITOR.name)).length !== 2) return false;
          }
          return true;
        },
        report,
      );
      // What Sentinel read from each replica's INFO.
      for (const seen of await sentinels[0]!.instances('REPLICAS', MONITOR.name)) {
        const node = replicas.find((r) => String(r.port) === seen.get('port'))!;
        assert.equal(seen.get('role-reported'), 'slave');
        assert.equal(seen.get('master-port'), String(master.port));
        assert.equal(seen.get('slave-priority'), node === replicas[0] ? '100' : '0');
        assert.match(seen.get('runid') ?? '', /^[0-9a-f]{40}$/);
      }

      // 2. A client that finds the master through Sentinel.
      client = new IORedis({
        sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
        name: MONITOR.name,
        sentinelRetryStrategy: () => 100,
        retryStrategy: () => 100,
        maxRetriesPerRequest: 2,
        lazyConnect: false,
      });
      client.on('error', () => undefined);
      writer = new AckingWriter(client);
      const w = writer;
      await waitFor('writes acknowledged by both replicas before the failover', () => w.acked.size >= 20, report);

      // 3. The master dies; Sentinel promotes a replica.
      await master.crash();
      await waitFor(
        'all sentinels to switch mymaster to a replica (+switch-master)',
        async () => {
          for (const s of sentinels) {
            const port = await s.masterPort(MONITOR.name);
            if (port === null || !replicas.some((r) => r.port === port)) return false;
          }
          return true;
        },
        report,
      );
      const newPort = await sentinels[0]!.masterPort(MONITOR.name);
      for (const s of sentinels)
        assert.equal(await s.masterPort(MONITOR.name), newPort, `${s.name} agrees on the new master\n${await report()}`);
      const [promoted, other] = replicas as [ConfiguredNode, ConfiguredNode];
      assert.equal(newPort, promoted.port, `the replica with priority 100 is promoted, never the one with 0\n${await report()}`);
      w.need = 1;
      assert.equal((await roleOf(promoted))[0], 'master');
      await waitFor(
        `${other.name} to be re-pointed to ${promoted.name}`,
        async () => {
          const role = await roleOf(other);
          return role[0] === 'slave' && role[2] === String(promoted.port) && role[3] === 'connected';
        },
        report,
      );
      assert.doesNotMatch(promoted.configFile(), /^replicaof /m, 'CONFIG REWRITE dropped replicaof from the promoted node');
      assert.match(
        other.configFile(),
        new RegExp(`^replicaof 127\\.0\\.0\\.1 ${promoted.port}$`, 'm'),
        'CONFIG REWRITE re-pointed the other replica',
      );

      // 4. The client keeps working.
      const before = w.acked.size;
      await waitFor(
        'writes acknowledged through the new master',
        () => w.acked.size >= before + 20,
        async () => `last client error: ${w.lastError}\n${await report()}`,
      );

      // 5. The old master returns and is converted into a replica.
      await master.restart();
      await waitFor(
        `the restarted ${master.name} to be converted into a replica of ${promoted.name} (+convert-to-slave)`,
        async () => {
          const role = await roleOf(master);
          return role[0] === 'slave' && role[2] === String(promoted.port) && role[3] === 'connected';
        },
        report,
      );
      w.need = 2;
      const rejoined = w.acked.size;
      await waitFor('writes acknowledged by both replicas of the new master', () => w.acked.size >= rejoined + 10, report);

      // 6. Nothing acknowledged is lost; everyone converges. First every
      // sentinel must see the old master as a replica of the new one: until
      // then any of them may still send its REPLICAOF (with CLIENT KILL TYPE
      // normal, which closes the test's admin connections).
      await waitFor(
        `every sentinel to list ${master.name} as a replica of ${promoted.name}`,
        async () => {
          for (const s of sentinels) {
            const reps = await s.instances('REPLICAS', MONITOR.name);
            const old = reps.find((r) => r.get('port') === String(master.port));
            if (
              old?.get('role-reported') !== 'slave' ||
              old.get('master-port') !== String(promoted.port) ||
              old.get('master-link-status') !== 'ok'
            )
              return false;
          }
          return true;
        },
        report,
      );
      await w.stop();
      writer = null;
      await despiteKills(nodes, async () => {
        // The master the sentinels agree on now: the promoted replica, unless a busy machine
        // starved it long enough for a second failover (then what follows checks that one).
        let current: ConfiguredNode | undefined;
        const settled = async () => {
          const ports = await Promise.all(sentinels.map((s) => s.masterPort(MONITOR.name)));
          current = nodes.find((n) => ports.every((p) => p === n.port));
          if (current === undefined) return false;
          for (const n of nodes) {
            if (n === current) continue;
            const role = await roleOf(n);
            if (role[0] !== 'slave' || role[2] !== String(current.port) || role[3] !== 'connected') return false;
          }
          return true;
        };
        await waitFor('the sentinels to agree on a master that every other node follows', settled, report);
        const followers = nodes.filter((n) => n !== current);
        for (const r of followers) await waitInSync(current!, r);
        for (const n of nodes) await assertHasAll(n, w.acked);
        await assertConverged(current!, ...followers);
      });
    } catch (e) {
      // Whatever failed, Sentinel's logs say what it saw and did.
      const err = e as Error;
      err.message += `\n${await report()}`;
      throw err;
    } finally {
      await writer?.stop();
      client?.disconnect();
      await Promise.allSettled([...sentinels.map((s) => s.stop()), ...nodes.map((n) => n.stop())]);
    }
  },
);
