/**
 * RDB persistence: how long SAVE and a load take, and what a background
 * save costs the server while clients write.
 *
 * - "SAVE …" / "load …" (seconds): the dataset is built, then SAVE is timed
 *   (request to reply), then DEBUG RELOAD NOSAVE, which empties the
 *   server and loads the file just saved. Two datasets: 1M small strings
 *   from DEBUG POPULATE ("key:N" → "value:N"), and 100k hashes of 100 short
 *   fields (listpack-encoded in Redis, whose hash-max-listpack-entries is
 *   128) filled with pipelined HSETs.
 * - "BGSAVE under SET load" on 1M DEBUG POPULATE keys: with LOAD_CONNECTIONS
 *   clients each sending unpipelined SETs over random existing keys for
 *   the whole snapshot, BGSAVE is issued and the server's memory (PSS of
 *   the server and its children, so Redis's fork child counts only for the
 *   pages it copies) is sampled every SAMPLE_MS until INFO persistence
 *   reports rdb_bgsave_in_progress:0. Rows: peak memory during the BGSAVE
 *   over memory before the load started (×); p99 latency of the SETs in
 *   flight at any moment of the BGSAVE, i.e. answered after BGSAVE was sent
 *   and sent before the save was seen finished (ms); and the BGSAVE's
 *   duration from sending it to seeing it finished (s, to within one
 *   INFO poll; Redis notices its child's exit in serverCron, up to 100 ms).
 *
 * Each measurement starts on a freshly restarted server, so that neither
 * earlier rows nor other groups (their heap garbage in nodis, allocator
 * caches in Redis) move the figures. In the runner's warm-up pass every
 * dataset is a tenth of its size.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSettings, Measurement, Scenario } from '../scenario.js';
import type { BenchServer } from '../servers.js';
import { RespClient } from '../resp-client.js';
import { PeakSampler, treePssBytes } from '../memory.js';
import { percentile, SetLoad } from '../latency-client.js';

const SMALL_KEYS = 1_000_000;
const HASHES = 100_000;
const HASH_FIELDS = 100;
/** HSETs in flight at once while filling. */
const FILL_WINDOW = 64;
const LOAD_CONNECTIONS = 20;
const SAMPLE_MS = 20;
/** How long the SET load runs before BGSAVE, so the snapshot starts under full load. */
const LOAD_SETTLE_MS = 1000;
const WARM_UP_DIVISOR = 10;

const MB = 1024 * 1024;

/**
 * Restarts server (so no earlier measurement's garbage, allocator caches or
 * dump.rdb affect this one), connects a control client, runs fn with it,
 * and always closes it; a thrown error becomes a failed measurement.
 */
export async function onFreshServer(server: BenchServer, fn: (c: RespClient) => Promise<Map<string, number>>): Promise<Measurement> {
  let c: RespClient | null = null;
  try {
    await server.restart();
    c = await RespClient.connect(server.port, server.host);
    return { ok: true, rps: await fn(c) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    c?.close();
  }
}

/** How many keys to build for a row about full keys: a tenth of them in the warm-up pass. */
export function datasetSize(full: number, settings: BenchSettings): number {
  return settings.warmUp === true ? full / WARM_UP_DIVISOR : full;
}

/** Seconds from sending argv to its reply. */
async function timed(c: RespClient, argv: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await c.call(argv);
  return (performance.now() - t0) / 1000;
}

/** Throws unless the server holds exactly keys keys (a save or load that lost data must not pass as fast). */
export async function expectKeys(c: RespClient, keys: number, when: string): Promise<void> {
  const n = await c.call(['DBSIZE']);
  if (n !== keys) throw new Error(`${when}: DBSIZE is ${n}, expected ${keys}`);
}

/** Creates count keys "key:N" → "value:N". */
export async function populate(c: RespClient, count: number): Promise<void> {
  await c.call(['DEBUG', 'POPULATE', String(count)]);
}

/** Creates count hashes "h:N", each with HASH_FIELDS fields "f0"… of short distinct values, through pipelined HSETs. */
async function fillHashes(c: RespClient, count: number): Promise<void> {
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const argv = ['HSET', `h:${i}`];
    for (let f = 0; f < HASH_FIELDS; f++) argv.push(`f${f}`, `v${i * HASH_FIELDS + f}`);
    window.push(c.call(argv));
    if (window.length === FILL_WINDOW) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
}

interface SaveLoadSpec {
  /** What the dataset is, in the row labels: "SAVE <what>", "load <what>". */
  what: string;
  /** Number of keys of the full dataset. */
  keys: number;
  /** Builds a dataset of keys keys in the empty server. */
  fill(c: RespClient, keys: number): Promise<void>;
}

/** A scenario timing SAVE and then DEBUG RELOAD NOSAVE of the dataset spec.fill builds. */
function saveLoadScenario(spec: SaveLoadSpec): Scenario {
  const saveRow = `SAVE ${spec.what}`;
  const loadRow = `load ${spec.what}`;
  return {
    group: 'persistence',
    rows: [saveRow, loadRow],
    units: { [saveRow]: 's', [loadRow]: 's' },
    measure: (server, settings) =>
      onFreshServer(server, async (c) => {
        const keys = datasetSize(spec.keys, settings);
        await spec.fill(c, keys);
        await expectKeys(c, keys, 'after filling');
        const save = await timed(c, ['SAVE']);
        const load = await timed(c, ['DEBUG', 'RELOAD', 'NOSAVE']);
        await expectKeys(c, keys, 'after DEBUG RELOAD NOSAVE');
        // Leave the server empty for whatever the runner measures next.
        await c.call(['FLUSHALL']);
        return new Map([
          [saveRow, save],
          [loadRow, load],
        ]);
      }),
  };
}

/** The value of field in an INFO reply, or null. */
export function infoField(info: string, field: string): string | null {
  return new RegExp(`^${field}:(.*?)\\r?$`, 'm').exec(info)?.[1] ?? null;
}

/** Polls INFO persistence every SAMPLE_MS until no BGSAVE is in progress; throws if it failed. */
async function waitBgsaveDone(c: RespClient): Promise<void> {
  for (;;) {
    await sleep(SAMPLE_MS);
    const info = String(await c.call(['INFO', 'persistence']));
    if (infoField(info, 'rdb_bgsave_in_progress') !== '0') continue;
    const status = infoField(info, 'rdb_last_bgsave_status');
    if (status !== 'ok') throw new Error(`BGSAVE ended with rdb_last_bgsave_status:${status}`);
    return;
  }
}

/** What one BGSAVE under load showed. */
interface BgsaveFigures {
  /** PSS in bytes after the fill, before the load started. */
  before: number;
  /** PSS in bytes under load, just before BGSAVE. */
  underLoad: number;
  /** Highest PSS in bytes sampled during the BGSAVE. */
  peak: number;
  seconds: number;
  /** SETs answered during the BGSAVE. */
  sets: number;
  /** p99 latency (ms) of the SETs in flight during the BGSAVE, and of those in the second half of the settling time before it. */
  p99: number;
  p99Before: number | null;
}

/**
 * Fills the server with keys DEBUG POPULATE keys, starts the SET load,
 * lets it settle, then runs a BGSAVE to its end while sampling memory.
 */
async function bgsaveUnderLoad(server: BenchServer, c: RespClient, keys: number): Promise<BgsaveFigures> {
  await populate(c, keys);
  const before = treePssBytes(server.pid);
  const load = await SetLoad.start({
    host: server.host,
    port: server.port,
    connections: LOAD_CONNECTIONS,
    keyPrefix: 'key:',
    keyCount: keys,
    valuePrefix: 'value:',
    seed: 4,
  });
  let sampler: PeakSampler | null = null;
  try {
    await sleep(LOAD_SETTLE_MS);
    const settledAt = performance.now();
    const underLoad = treePssBytes(server.pid);
    sampler = await PeakSampler.start(server.pid, SAMPLE_MS);
    const setsBefore = load.completed;
    const start = performance.now();
    await c.call(['BGSAVE']);
    await waitBgsaveDone(c);
    const end = performance.now();
    const sets = load.completed - setsBefore;
    const peak = await sampler.stop();
    sampler = null;
    await load.stop();
    const p99 = percentile(load.latenciesOverlapping(start, end), 0.99);
    if (p99 === null || sets === 0) throw new Error('no SET was answered during the BGSAVE');
    const p99Before = percentile(load.latenciesOverlapping(settledAt - LOAD_SETTLE_MS / 2, settledAt), 0.99);
    return { before, underLoad, peak, seconds: (end - start) / 1000, sets, p99, p99Before };
  } finally {
    await sampler?.stop();
    await load.stop().catch(() => undefined);
  }
}

const BG_MEMORY = 'BGSAVE under SET load: peak memory / before';
const BG_P99 = 'BGSAVE under SET load: SET p99 latency';
const BG_DURATION = 'BGSAVE under SET load: duration';

/** BGSAVE of 1M small keys while LOAD_CONNECTIONS clients SET random keys (see the module comment); details go to stderr. */
const bgsaveUnderLoadScenario: Scenario = {
  group: 'persistence',
  rows: [BG_MEMORY, BG_P99, BG_DURATION],
  units: { [BG_MEMORY]: '×', [BG_P99]: 'ms', [BG_DURATION]: 's' },
  measure: (server, settings) =>
    onFreshServer(server, async (c) => {
      const f = await bgsaveUnderLoad(server, c, datasetSize(SMALL_KEYS, settings));
      // Leave the server empty for whatever the runner measures next.
      await c.call(['FLUSHALL']);
      console.error(
        `  ${server.name} BGSAVE: PSS ${mb(f.before)} before the load, ${mb(f.underLoad)} under load, peak ${mb(f.peak)}; ` +
          `${f.sets} SETs in ${f.seconds.toFixed(2)} s, p99 ${f.p99.toFixed(2)} ms (${f.p99Before?.toFixed(2)} ms before the BGSAVE)`,
      );
      return new Map([
        [BG_MEMORY, f.peak / f.before],
        [BG_P99, f.p99],
        [BG_DURATION, f.seconds],
      ]);
    }),
};

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

export const persistenceScenarios: Scenario[] = [
  saveLoadScenario({ what: '1M small keys', keys: SMALL_KEYS, fill: populate }),
  saveLoadScenario({ what: '100k hashes x 100 fields', keys: HASHES, fill: fillHashes }),
  bgsaveUnderLoadScenario,
];
