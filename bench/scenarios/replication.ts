/**
 * Replication: a master with replicas of its own kind (nodis replicas of
 * a nodis master, Redis replicas of a Redis master), so each row compares
 * nodis↔nodis against Redis↔Redis. Every measurement starts on a freshly
 * restarted master with freshly started replicas, and restarts the master
 * again at its end: a master keeps its backlog after its replicas leave,
 * and feeding it would cost every write the runner measures next.
 *
 * - "full sync 1M small keys (disk|diskless)" (s): the master holds 1M
 *   DEBUG POPULATE keys; an empty replica is sent REPLICAOF, and the time
 *   runs from sending it until the replica's INFO replication (polled every
 *   SYNC_POLL_MS) shows master_link_status:up and master_sync_in_progress:0;
 *   then the replica must hold every key and the master's sync_full must
 *   have grown by one. The master has repl-diskless-sync no (an RDB file,
 *   then sent), then yes with repl-diskless-sync-delay 0 (streamed to the
 *   socket), each to a new empty replica.
 * - "partial resync catch-up of 100k writes" (ms): the master
 *   (repl-backlog-size 64mb) has a synced replica. The replica process is
 *   stopped (SIGSTOP), the master drops it (CLIENT KILL TYPE replica) and
 *   answers 100k pipelined SETs of new keys, then the replica is continued
 *   (SIGCONT); it finds its link closed and reconnects with PSYNC, which
 *   the master must accept (sync_partial_ok +1, sync_full unchanged). The
 *   time runs from the master's INFO stats showing the accepted PSYNC to
 *   the replica's slave_repl_offset reaching the master's offset, both
 *   polled every FAST_POLL_MS; the replica must then hold the 100k keys.
 *   Stopping the replica keeps it from reconnecting while the writes go
 *   on, and starting the clock at the PSYNC leaves out how soon it
 *   notices the closed link and reconnects.
 * - "lag …" (B, ms): with one synced replica, redis-benchmark
 *   -c <clients> -t set -n 300000 -r 100000 runs against the master while
 *   the master's master_repl_offset and the replica's slave_repl_offset
 *   are read side by side every LAG_SAMPLE_MS; the lag of each sample
 *   taken under load, in bytes and in ms, comes from repl-lag.ts; rows:
 *   its median and maximum. Afterwards the replica must reach the master's
 *   offset.
 * - "master SET throughput with 0|2 replicas" (req/s): redis-benchmark
 *   -t set -P 16 (the runner's clients, 4× its requests, its keyspace)
 *   against the master alone, then with two synced replicas attached;
 *   "… 0 / 2 replicas" (×) is the first figure over the second, the
 *   slowdown two replicas cause.
 *
 * Servers started for a measurement are cold (nodis's JIT above all), so
 * the catch-up, lag and throughput rows first run a tenth of their load
 * unmeasured; a full sync is measured cold, as a new replica meets it.
 * In the runner's warm-up pass the datasets and write counts are a tenth.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSettings, Measurement, Scenario } from '../scenario.js';
import type { BenchServer } from '../servers.js';
import type { RespClient } from '../resp-client.js';
import { runRedisBenchmark } from '../redis-benchmark.js';
import { infoNumber, pollInfo, readInfo, withReplicas, type Reading, type Replica } from '../repl-link.js';
import { lagFigures, type LagTick } from '../repl-lag.js';
import { datasetSize, expectKeys, onFreshServer, populate } from './persistence.js';

const GROUP = 'replication';
const SMALL_KEYS = 1_000_000;
const CATCH_UP_WRITES = 100_000;
const LAG_REQUESTS = 300_000;
const LAG_KEYSPACE = 100_000;
/** SETs in flight at once while writing the catch-up keys. */
const WRITE_WINDOW = 1000;
const BACKLOG_SIZE = '64mb';
const SYNC_POLL_MS = 10;
const FAST_POLL_MS = 2;
const LAG_SAMPLE_MS = 10;
/** Deadlines: for a full sync of 1M keys, and for anything else (syncs of an empty dataset, a reconnection, a catch-up). */
const FULL_SYNC_TIMEOUT_MS = 30_000;
const TIMEOUT_MS = 10_000;

/** Warm-up loads on freshly started servers are a tenth of the measured ones. */
function tenth(n: number): number {
  return Math.max(1, Math.round(n / 10));
}

/**
 * Runs fn on a freshly restarted master (see persistence.ts's
 * onFreshServer), then restarts it again so that nothing of the
 * replication (its backlog above all) outlives the measurement.
 */
export async function onFreshMaster(server: BenchServer, fn: (c: RespClient) => Promise<Map<string, number>>): Promise<Measurement> {
  const m = await onFreshServer(server, fn);
  try {
    await server.restart();
  } catch (e) {
    return { ok: false, error: `restarting the master after the measurement: ${(e as Error).message}` };
  }
  return m;
}

/** Sends REPLICAOF to each replica, then waits until every one is in sync with the master (an almost empty dataset). */
async function attach(master: BenchServer, replicas: readonly Replica[]): Promise<void> {
  for (const r of replicas) await r.follow(master);
  for (const r of replicas) await r.waitSynced(SYNC_POLL_MS, TIMEOUT_MS);
}

/** The master's full and partial resync counts (INFO stats). */
export async function syncCounts(c: RespClient): Promise<{ full: number; partialOk: number }> {
  return { full: await infoNumber(c, 'stats', 'sync_full'), partialOk: await infoNumber(c, 'stats', 'sync_partial_ok') };
}

/** Throws unless the master's sync counts grew by exactly the given amounts since before. */
async function expectSyncs(c: RespClient, before: { full: number; partialOk: number }, full: number, partialOk: number): Promise<void> {
  const after = await syncCounts(c);
  if (after.full !== before.full + full || after.partialOk !== before.partialOk + partialOk) {
    throw new Error(
      `expected sync_full +${full} and sync_partial_ok +${partialOk}, ` +
        `saw sync_full ${before.full} → ${after.full}, sync_partial_ok ${before.partialOk} → ${after.partialOk}`,
    );
  }
}

/**
 * Waits until the replica has processed the stream up to the master's
 * offset of now (polling every pollMs); returns the reading that showed it.
 */
async function caughtUp(c: RespClient, replica: Replica, pollMs: number): Promise<Reading> {
  const target = await infoNumber(c, 'replication', 'master_repl_offset');
  return pollInfo(replica.control, 'replication', 'slave_repl_offset', (n) => n >= target, {
    pollMs,
    timeoutMs: TIMEOUT_MS,
    what: `replica catching up to offset ${target}`,
  });
}

/** Runs redis-benchmark -t set against master with the given requests, pipeline and keyspace; returns its SET requests/s. */
async function benchmarkSets(
  master: BenchServer,
  settings: BenchSettings,
  o: { requests: number; pipeline: number; keyspace?: number },
): Promise<number> {
  const result = await runRedisBenchmark({
    host: master.host,
    port: master.port,
    tests: 'set',
    requests: o.requests,
    clients: settings.clients,
    pipeline: o.pipeline,
    keyspace: o.keyspace,
  });
  if (!result.ok) throw new Error(`redis-benchmark: ${result.error}`);
  const rps = result.rps.get('SET');
  if (rps === undefined) throw new Error('redis-benchmark reported no SET figure');
  return rps;
}

// ---------------------------------------------------------------- full sync

const FULL_DISK = 'full sync 1M small keys (disk)';
const FULL_DISKLESS = 'full sync 1M small keys (diskless)';

/** Seconds from REPLICAOF until the replica has the master's keys keys and follows its stream. */
async function timeFullSync(master: BenchServer, c: RespClient, replica: Replica, keys: number): Promise<number> {
  const before = await syncCounts(c);
  const start = performance.now();
  await replica.follow(master);
  const end = await replica.waitSynced(SYNC_POLL_MS, FULL_SYNC_TIMEOUT_MS);
  await expectKeys(replica.control, keys, 'replica after the full sync');
  await expectSyncs(c, before, 1, 0);
  return (end - start) / 1000;
}

const fullSyncScenario: Scenario = {
  group: GROUP,
  rows: [FULL_DISK, FULL_DISKLESS],
  units: { [FULL_DISK]: 's', [FULL_DISKLESS]: 's' },
  measure: (server, settings) =>
    onFreshMaster(server, async (c) => {
      const keys = datasetSize(SMALL_KEYS, settings);
      await populate(c, keys);
      await c.call(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
      return withReplicas(server, 1, async ([replica]) => {
        const figures = new Map<string, number>();
        await c.call(['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
        figures.set(FULL_DISK, await timeFullSync(server, c, replica!, keys));
        // An empty replica without history, so that this sync is full too.
        await replica!.restart();
        await c.call(['CONFIG', 'SET', 'repl-diskless-sync', 'yes']);
        figures.set(FULL_DISKLESS, await timeFullSync(server, c, replica!, keys));
        return figures;
      });
    }),
};

// ----------------------------------------------------------- partial resync

const CATCH_UP = 'partial resync catch-up of 100k writes';

/** Sends count SETs "key:N" → "value:N", WRITE_WINDOW at a time. */
async function pipelinedSets(c: RespClient, count: number): Promise<void> {
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    window.push(c.call(['SET', `key:${i}`, `value:${i}`]));
    if (window.length === WRITE_WINDOW) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
}

/**
 * With the replica's process stopped, drops its link on the master and
 * writes count keys there; the replica is continued whatever happens.
 */
async function writeWhileAway(c: RespClient, replica: Replica, count: number): Promise<void> {
  const pid = replica.server.pid;
  process.kill(pid, 'SIGSTOP');
  try {
    const killed = await c.call(['CLIENT', 'KILL', 'TYPE', 'replica']);
    if (killed !== 1) throw new Error(`CLIENT KILL TYPE replica killed ${killed} clients, expected 1`);
    await pipelinedSets(c, count);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

const catchUpScenario: Scenario = {
  group: GROUP,
  rows: [CATCH_UP],
  units: { [CATCH_UP]: 'ms' },
  measure: (server, settings) =>
    onFreshMaster(server, async (c) => {
      const writes = datasetSize(CATCH_UP_WRITES, settings);
      await c.call(['CONFIG', 'SET', 'repl-backlog-size', BACKLOG_SIZE]);
      return withReplicas(server, 1, async ([replica]) => {
        await attach(server, [replica!]);
        // Warm the link (and nodis's JIT on both sides) with a tenth of the keys.
        await pipelinedSets(c, tenth(writes));
        await caughtUp(c, replica!, SYNC_POLL_MS);
        const before = await syncCounts(c);
        await writeWhileAway(c, replica!, writes);
        const accepted = await pollInfo(c, 'stats', 'sync_partial_ok', (n) => n > before.partialOk, {
          pollMs: FAST_POLL_MS,
          timeoutMs: TIMEOUT_MS,
          what: 'partial resync after the link was dropped',
        });
        const done = await caughtUp(c, replica!, FAST_POLL_MS);
        await expectSyncs(c, before, 0, 1);
        await expectKeys(replica!.control, writes, 'replica after the partial resync');
        return new Map([[CATCH_UP, done.at - accepted.at]]);
      });
    }),
};

// ---------------------------------------------------------------------- lag

const LAG_MEDIAN_BYTES = 'lag median (bytes)';
const LAG_MAX_BYTES = 'lag max (bytes)';
const LAG_MEDIAN_MS = 'lag median (ms)';
const LAG_MAX_MS = 'lag max (ms)';

/**
 * Reads the master's and the replica's offsets every LAG_SAMPLE_MS until
 * load settles, keeping the ticks where the master has moved past
 * startOffset. Throws if load fails or a reading does (after load has
 * settled, so that no load outlives the measurement).
 */
async function sampleLag(c: RespClient, replica: Replica, startOffset: number, load: Promise<unknown>): Promise<LagTick[]> {
  let loading = true;
  const settled = load.finally(() => (loading = false));
  const ticks: LagTick[] = [];
  let failure: unknown = null;
  try {
    while (loading) {
      const tickStart = performance.now();
      const [m, r] = await Promise.all([
        readInfo(c, 'replication', 'master_repl_offset'),
        readInfo(replica.control, 'replication', 'slave_repl_offset'),
      ]);
      if (m.value > startOffset) ticks.push({ master: { at: m.at, offset: m.value }, replica: { at: r.at, offset: r.value } });
      await sleep(Math.max(0, LAG_SAMPLE_MS - (performance.now() - tickStart)));
    }
  } catch (e) {
    failure = e;
  }
  await settled;
  if (failure !== null) throw failure;
  return ticks;
}

const lagScenario: Scenario = {
  group: GROUP,
  rows: [LAG_MEDIAN_BYTES, LAG_MAX_BYTES, LAG_MEDIAN_MS, LAG_MAX_MS],
  units: { [LAG_MEDIAN_BYTES]: 'B', [LAG_MAX_BYTES]: 'B', [LAG_MEDIAN_MS]: 'ms', [LAG_MAX_MS]: 'ms' },
  measure: (server, settings) =>
    onFreshMaster(server, (c) =>
      withReplicas(server, 1, async ([replica]) => {
        await attach(server, [replica!]);
        const load = { requests: datasetSize(LAG_REQUESTS, settings), pipeline: 1, keyspace: LAG_KEYSPACE };
        // Warm both servers (nodis's JIT) with a tenth of the load, unsampled.
        await benchmarkSets(server, settings, { ...load, requests: tenth(load.requests) });
        await caughtUp(c, replica!, SYNC_POLL_MS);
        const startOffset = await infoNumber(c, 'replication', 'master_repl_offset');
        const rps = benchmarkSets(server, settings, load);
        const ticks = await sampleLag(c, replica!, startOffset, rps);
        await caughtUp(c, replica!, SYNC_POLL_MS);
        const f = lagFigures(ticks);
        console.error(`  ${server.name} lag: ${ticks.length} samples under ${Math.round(await rps)} SET/s`);
        return new Map([
          [LAG_MEDIAN_BYTES, f.medianBytes],
          [LAG_MAX_BYTES, f.maxBytes],
          [LAG_MEDIAN_MS, f.medianMs],
          [LAG_MAX_MS, f.maxMs],
        ]);
      }),
    ),
};

// --------------------------------------------------------------- throughput

const ALONE = 'master SET throughput with 0 replicas';
const WITH_TWO = 'master SET throughput with 2 replicas';
const SLOWDOWN = 'master SET throughput: 0 / 2 replicas';
const THROUGHPUT_PIPELINE = 16;
const THROUGHPUT_REQUESTS_SCALE = 4;

/** SET requests/s of redis-benchmark -P 16 against master, with the runner's requests (a tenth of them for a warm-up run) and keyspace. */
function setThroughput(master: BenchServer, settings: BenchSettings, warmUp = false): Promise<number> {
  const requests = settings.requests * THROUGHPUT_REQUESTS_SCALE;
  return benchmarkSets(master, settings, {
    requests: warmUp ? tenth(requests) : requests,
    pipeline: THROUGHPUT_PIPELINE,
    keyspace: settings.keyspace > 0 ? settings.keyspace : undefined,
  });
}

const throughputScenario: Scenario = {
  group: GROUP,
  rows: [ALONE, WITH_TWO, SLOWDOWN],
  units: { [SLOWDOWN]: '×' },
  measure: (server, settings) =>
    onFreshMaster(server, async () => {
      // The master was just restarted: warm it (nodis's JIT) before measuring.
      await setThroughput(server, settings, true);
      const alone = await setThroughput(server, settings);
      const withTwo = await withReplicas(server, 2, async (replicas) => {
        await attach(server, replicas);
        return setThroughput(server, settings);
      });
      return new Map([
        [ALONE, alone],
        [WITH_TWO, withTwo],
        [SLOWDOWN, alone / withTwo],
      ]);
    }),
};

export const replicationScenarios: Scenario[] = [fullSyncScenario, catchUpScenario, lagScenario, throughputScenario];
