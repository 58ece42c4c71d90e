/**
 * Replication robustness (issue 6): what a full sync costs a master under
 * load, how a replica comes back after a restart, and whether a full sync
 * gets through at all when writes outrun a small replica output buffer.
 * As in replication.ts, nodis↔nodis is compared with Redis↔Redis, every
 * measurement starts on a freshly restarted master with a freshly started
 * replica and restarts the master at its end. Every master has 1M DEBUG
 * POPULATE keys ("key:N" → "value:N"; a tenth in the runner's warm-up
 * pass) and syncs diskless with repl-diskless-sync-delay 0 (the classic
 * one-connection sync: Redis 7.0 has no other). In order:
 *
 * 1. "peak master memory during full sync under write load / dataset" (×):
 *    the master SAVEs once, and the size of that dump.rdb is the dataset
 *    size (the same measure for both servers, unlike used_memory_dataset).
 *    LOAD_CONNECTIONS clients then send unpipelined SETs over the existing
 *    keys (latency-client.ts); after LOAD_SETTLE_MS the master's memory
 *    (PSS of its process tree, so Redis's fork child counts for what it
 *    copies and owns) is read, the replica is sent REPLICAOF, and the tree
 *    is sampled every SAMPLE_MS until the replica reports its link up and
 *    no sync in progress. Figure: (peak − before) / dataset size; stderr
 *    also shows the SETs answered during the sync and their p99 latency.
 * 2. "resync after replica restart" (s) and "… partial (1) or full (0)":
 *    the master (repl-backlog-size 64mb) has a synced replica and one
 *    client sending unpipelined SETs (a light load that goes on
 *    throughout). The replica is sent SHUTDOWN SAVE; once its connection
 *    closes, the time starts, the replica's process is started again in
 *    its directory (it loads its dump.rdb) with --replicaof the master,
 *    and the time runs until the replica reports its link up, no sync in
 *    progress, and a slave_repl_offset at least the master's offset read
 *    just then. The master's sync_partial_ok or sync_full must have grown
 *    by one (and the other not at all): that says which resync it was.
 * 3. "full sync under heavy writes, replica output buffer 8mb 4mb 5" —
 *    full syncs started (n) and time until in sync (s): the master has
 *    client-output-buffer-limit replica 8mb 4mb 5; from REPLICAOF on, for
 *    HEAVY_MS, one client keeps BIG_WINDOW SETs of BIG_VALUE-byte values
 *    in flight (robust-big-writes.ts), which outgrows that buffer long
 *    before 1M keys are transferred, so the master drops the replica and
 *    it retries; after HEAVY_MS the writes stop and a retry can succeed.
 *    (Under writes that never stop, neither server ever gets a replica in
 *    sync. A Redis replica reconnects as soon as the master drops it, so
 *    a full sync starts every ~0.1 s while the writes last: the cap is
 *    high.) Master and replica are polled every COBL_POLL_MS; the count is
 *    the growth of the master's sync_full when the replica first reports
 *    its link up and no sync in progress, the time runs from REPLICAOF to
 *    that poll. The measurement gives up when a (COBL_MAX_ATTEMPTS + 1)th
 *    full sync starts — figure COBL_MAX_ATTEMPTS + 1, no time figure — and
 *    fails after COBL_TIMEOUT_MS.
 * 4. The same with dual-channel sync on a nodis master and replica
 *    (replica-full-sync-buffer-limit 2gb): the replica takes the stream
 *    as it is produced and buffers it itself, so the master's 8mb buffer
 *    is not what limits the sync. Redis 7.0 has only the classic sync, so
 *    its figures in these rows are the classic ones again.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Scenario } from '../scenario.js';
import type { BenchServer } from '../servers.js';
import type { RespClient } from '../resp-client.js';
import { PeakSampler, treePssBytes } from '../memory.js';
import { percentile, SetLoad } from '../latency-client.js';
import { infoNumber, pollInfo, withReplicas, type Replica } from '../repl-link.js';
import { BigWrites } from '../robust-big-writes.js';
import { datasetSize, expectKeys, infoField, populate } from './persistence.js';
import { onFreshMaster, syncCounts } from './replication.js';

const GROUP = 'replication robustness';
const SMALL_KEYS = 1_000_000;
const LOAD_CONNECTIONS = 20;
const LOAD_SETTLE_MS = 1000;
const SAMPLE_MS = 20;
const SYNC_POLL_MS = 10;
const SYNC_TIMEOUT_MS = 60_000;
const BACKLOG_SIZE = '64mb';
const BIG_VALUE = 16 * 1024;
const BIG_KEYS = 1000;
const BIG_WINDOW = 32;
const COBL = 'replica 8mb 4mb 5';
const HEAVY_MS = 3000;
const COBL_MAX_ATTEMPTS = 100;
const COBL_POLL_MS = 50;
const COBL_TIMEOUT_MS = 45_000;
const MB = 1024 * 1024;

/** Prepares a fresh master: keys POPULATE keys and diskless syncs without delay. */
async function prepareMaster(c: RespClient, keys: number): Promise<void> {
  await populate(c, keys);
  await c.call(['CONFIG', 'SET', 'repl-diskless-sync', 'yes']);
  await c.call(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
}

/** A SetLoad over the master's POPULATE keys with the given connections. */
function setLoad(master: BenchServer, connections: number, keys: number): Promise<SetLoad> {
  return SetLoad.start({
    host: master.host,
    port: master.port,
    connections,
    keyPrefix: 'key:',
    keyCount: keys,
    valuePrefix: 'value:',
    seed: 6,
  });
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

// ------------------------------------------------- 1. peak memory during a full sync

const PEAK = 'peak master memory during full sync under write load / dataset';

/** Samples the master's memory from REPLICAOF until the replica is in sync, under a SET load. */
async function peakDuringSync(
  master: BenchServer,
  replica: Replica,
  keys: number,
): Promise<{ before: number; peak: number; seconds: number; sets: number; p99: number | null }> {
  const load = await setLoad(master, LOAD_CONNECTIONS, keys);
  let sampler: PeakSampler | null = null;
  try {
    await sleep(LOAD_SETTLE_MS);
    const before = treePssBytes(master.pid);
    sampler = await PeakSampler.start(master.pid, SAMPLE_MS);
    const setsBefore = load.completed;
    const start = performance.now();
    await replica.follow(master);
    const end = await replica.waitSynced(SYNC_POLL_MS, SYNC_TIMEOUT_MS);
    const sets = load.completed - setsBefore;
    const peak = await sampler.stop();
    sampler = null;
    await load.stop();
    return { before, peak, seconds: (end - start) / 1000, sets, p99: percentile(load.latenciesOverlapping(start, end), 0.99) };
  } finally {
    await sampler?.stop();
    await load.stop().catch(() => undefined);
  }
}

const peakScenario: Scenario = {
  group: GROUP,
  rows: [PEAK],
  units: { [PEAK]: '×' },
  measure: (server, settings) =>
    onFreshMaster(server, async (c) => {
      const keys = datasetSize(SMALL_KEYS, settings);
      await prepareMaster(c, keys);
      await c.call(['SAVE']);
      const rdbBytes = statSync(join(server.dir, 'dump.rdb')).size;
      return withReplicas(server, 1, async ([replica]) => {
        const f = await peakDuringSync(server, replica!, keys);
        await expectKeys(replica!.control, keys, 'replica after the full sync');
        console.error(
          `  ${server.name} full sync under load: dump.rdb ${mb(rdbBytes)}, master PSS ${mb(f.before)} before, peak ${mb(f.peak)}; ` +
            `sync ${f.seconds.toFixed(2)} s, ${f.sets} SETs answered meanwhile, p99 ${f.p99?.toFixed(2)} ms`,
        );
        return new Map([[PEAK, (f.peak - f.before) / rdbBytes]]);
      });
    }),
};

// ------------------------------------------------- 2. resync after a replica restart

const RESTART = 'resync after replica restart';
const RESTART_KIND = 'resync after replica restart: partial (1) or full (0)';

/** Sends SHUTDOWN SAVE; resolves when the connection closes (the server's way of succeeding), rejects on an error reply. */
async function shutdownSave(c: RespClient): Promise<void> {
  try {
    await c.call(['SHUTDOWN', 'SAVE']);
  } catch (e) {
    if ((e as Error).message === 'connection closed' || (e as NodeJS.ErrnoException).code === 'ECONNRESET') return;
    throw e;
  }
  throw new Error('SHUTDOWN SAVE replied instead of ending the server');
}

/** Restarts the synced replica as described in the module comment; returns seconds and whether the resync was partial. */
async function restartReplica(master: BenchServer, c: RespClient, replica: Replica): Promise<{ seconds: number; partial: boolean }> {
  const before = await syncCounts(c);
  await shutdownSave(replica.control);
  const start = performance.now();
  await replica.relaunch(['--replicaof', master.host, String(master.port)]);
  await replica.waitSynced(SYNC_POLL_MS, SYNC_TIMEOUT_MS);
  const target = await infoNumber(c, 'replication', 'master_repl_offset');
  const done = await pollInfo(replica.control, 'replication', 'slave_repl_offset', (n) => n >= target, {
    pollMs: SYNC_POLL_MS,
    timeoutMs: SYNC_TIMEOUT_MS,
    what: `restarted replica catching up to offset ${target}`,
  });
  const after = await syncCounts(c);
  const full = after.full - before.full;
  const partial = after.partialOk - before.partialOk;
  if (full + partial !== 1) throw new Error(`expected one resync, saw sync_full +${full}, sync_partial_ok +${partial}`);
  return { seconds: (done.at - start) / 1000, partial: partial === 1 };
}

const restartScenario: Scenario = {
  group: GROUP,
  rows: [RESTART, RESTART_KIND],
  units: { [RESTART]: 's', [RESTART_KIND]: 'n' },
  measure: (server, settings) =>
    onFreshMaster(server, async (c) => {
      const keys = datasetSize(SMALL_KEYS, settings);
      await prepareMaster(c, keys);
      await c.call(['CONFIG', 'SET', 'repl-backlog-size', BACKLOG_SIZE]);
      return withReplicas(server, 1, async ([replica]) => {
        await replica!.follow(server);
        await replica!.waitSynced(SYNC_POLL_MS, SYNC_TIMEOUT_MS);
        const load = await setLoad(server, 1, keys);
        let f;
        try {
          f = await restartReplica(server, c, replica!);
        } finally {
          await load.stop();
        }
        await expectKeys(replica!.control, keys, 'replica after the restart');
        console.error(`  ${server.name} replica restart: ${f.partial ? 'partial' : 'full'} resync, ${f.seconds.toFixed(2)} s`);
        return new Map([
          [RESTART, f.seconds],
          [RESTART_KIND, f.partial ? 1 : 0],
        ]);
      });
    }),
};

// ------------------------- 3. full sync under heavy writes with a small output buffer

/** The overload rows' names: classic sync on both, or nodis with dual-channel sync. */
function coblRows(dual: boolean): { attempts: string; time: string } {
  const what = `full sync under ${HEAVY_MS / 1000} s of heavy writes, ${COBL}${dual ? ', nodis dual-channel (Redis 7.0: classic, it has no other)' : ''}`;
  return { attempts: `${what}: full syncs until in sync (${COBL_MAX_ATTEMPTS + 1} = gave up)`, time: `${what}: time until in sync` };
}

/** Whether the replica reports its link up and no sync in progress. */
async function inSync(replica: Replica): Promise<boolean> {
  const info = String(await replica.control.call(['INFO', 'replication']));
  return infoField(info, 'master_link_status') === 'up' && infoField(info, 'master_sync_in_progress') === '0';
}

/**
 * Sends REPLICAOF, stops writes after HEAVY_MS, and polls until the
 * replica is in sync or gives up (see the module comment); returns full
 * syncs started, seconds, and whether it gave up.
 */
async function syncUnderHeavyWrites(
  master: BenchServer,
  c: RespClient,
  replica: Replica,
  writes: BigWrites,
): Promise<{ attempts: number; seconds: number; gaveUp: boolean }> {
  const before = await syncCounts(c);
  const start = performance.now();
  await replica.follow(master);
  for (;;) {
    await sleep(COBL_POLL_MS);
    if (performance.now() - start >= HEAVY_MS) await writes.stop();
    const synced = await inSync(replica);
    const attempts = (await infoNumber(c, 'stats', 'sync_full')) - before.full;
    const seconds = (performance.now() - start) / 1000;
    if (synced) return { attempts, seconds, gaveUp: false };
    if (attempts > COBL_MAX_ATTEMPTS) return { attempts, seconds, gaveUp: true };
    if (seconds * 1000 > COBL_TIMEOUT_MS)
      throw new Error(`replica not in sync after ${COBL_TIMEOUT_MS / 1000} s and ${attempts} full syncs`);
  }
}

/**
 * The overload rows; with dual, a nodis master and replica use
 * dual-channel sync (the replica may buffer up to 2gb of stream).
 */
function coblScenario(dual: boolean): Scenario {
  const rows = coblRows(dual);
  return {
    group: GROUP,
    rows: [rows.attempts, rows.time],
    units: { [rows.attempts]: 'n', [rows.time]: 's' },
    measure: (server, settings) =>
      onFreshMaster(server, async (c) => {
        await prepareMaster(c, datasetSize(SMALL_KEYS, settings));
        await c.call(['CONFIG', 'SET', 'client-output-buffer-limit', COBL]);
        const dualChannel = dual && server.name === 'nodis';
        if (dualChannel) await c.call(['CONFIG', 'SET', 'dual-channel-replication-enabled', 'yes']);
        return withReplicas(server, 1, async ([replica]) => {
          if (dualChannel) {
            await replica!.control.call(['CONFIG', 'SET', 'dual-channel-replication-enabled', 'yes']);
            await replica!.control.call(['CONFIG', 'SET', 'replica-full-sync-buffer-limit', '2gb']);
          }
          const offset = await infoNumber(c, 'replication', 'master_repl_offset');
          const writes = await BigWrites.start({
            host: server.host,
            port: server.port,
            valueSize: BIG_VALUE,
            keyCount: BIG_KEYS,
            window: BIG_WINDOW,
          });
          let f;
          try {
            f = await syncUnderHeavyWrites(server, c, replica!, writes);
          } finally {
            await writes.stop();
          }
          const streamed = (await infoNumber(c, 'replication', 'master_repl_offset')) - offset;
          console.error(
            `  ${server.name}${dualChannel ? ' (dual-channel)' : ''} full sync under heavy writes: ` +
              (f.gaveUp ? `gave up after ${COBL_MAX_ATTEMPTS} full syncs` : `in sync after ${f.attempts} full syncs`) +
              `, ${f.seconds.toFixed(2)} s` +
              `; ${writes.completed} SETs, ${mb(streamed)} of stream`,
          );
          const figures = new Map([[rows.attempts, f.gaveUp ? COBL_MAX_ATTEMPTS + 1 : f.attempts]]);
          if (!f.gaveUp) figures.set(rows.time, f.seconds);
          return figures;
        });
      }),
  };
}

export const replicationRobustnessScenarios: Scenario[] = [peakScenario, restartScenario, coblScenario(false), coblScenario(true)];
