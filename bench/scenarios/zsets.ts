/**
 * Sorted set commands: redis-benchmark's ZADD and ZPOPMIN (unpipelined and
 * with 16 commands per pipeline), and ZADD / ZRANK against one sorted set of
 * 1M members, where every operation walks a deep skiplist.
 */
import { connect } from 'node:net';
import { redisBenchmarkScenario, type Scenario } from '../scenario.js';
import { runRedisBenchmark } from '../redis-benchmark.js';
import type { BenchServer } from '../servers.js';

const ZSETS = [
  ['zadd', 'ZADD'],
  ['zpopmin', 'ZPOPMIN'],
] as const;

const BIG_KEY = 'zbig';
const BIG_SIZE = 1_000_000;
/** Members per ZADD while filling, and ZADDs in flight at once. */
const FILL_BATCH = 1000;
const FILL_WINDOW = 50;

/** A RESP request for argv (ASCII arguments). */
function encode(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/**
 * Fills BIG_KEY with members m0 … m(BIG_SIZE-1) scored by their index, in
 * pipelined windows of ZADDs (each reply is one integer line).
 */
function fillBigSet(server: BenchServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect(server.port, server.host);
    let next = 0;
    let pending = 0;
    const sendWindow = (first: boolean): void => {
      let out = first ? encode(['DEL', BIG_KEY]) : '';
      pending = first ? 1 : 0;
      for (let w = 0; w < FILL_WINDOW && next < BIG_SIZE; w++) {
        const argv = ['ZADD', BIG_KEY];
        for (let i = next; i < next + FILL_BATCH; i++) argv.push(String(i), `m${i}`);
        next += FILL_BATCH;
        out += encode(argv);
        pending++;
      }
      sock.write(out);
    };
    sock.on('connect', () => sendWindow(true));
    sock.on('error', reject);
    sock.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 10) pending--;
      if (pending > 0) return;
      if (next < BIG_SIZE) {
        sendWindow(false);
        return;
      }
      sock.end();
      resolve();
    });
  });
}

/** ZADD of random members and ZRANK of random members on the 1M-member set. */
const bigSetScenario: Scenario = {
  group: 'zsets',
  rows: ['ZADD on a 1M-member set -P 1', 'ZRANK on a 1M-member set -P 1'],
  async measure(server, settings) {
    await fillBigSet(server);
    const rps = new Map<string, number>();
    const runs = [
      [this.rows[0]!, ['ZADD', BIG_KEY, '__rand_int__', 'm__rand_int__']],
      [this.rows[1]!, ['ZRANK', BIG_KEY, 'm__rand_int__']],
    ] as const;
    for (const [row, command] of runs) {
      const result = await runRedisBenchmark({
        host: server.host,
        port: server.port,
        tests: '',
        command,
        requests: settings.requests,
        clients: settings.clients,
        pipeline: 1,
        keyspace: BIG_SIZE,
      });
      if (!result.ok) return result;
      rps.set(row, result.rps.values().next().value ?? 0);
    }
    return { ok: true, rps };
  },
};

export const zsetScenarios: Scenario[] = [
  redisBenchmarkScenario({ group: 'zsets', tests: ZSETS, pipeline: 1 }),
  redisBenchmarkScenario({ group: 'zsets', tests: ZSETS, pipeline: 16, requestsScale: 4 }),
  bigSetScenario,
];
