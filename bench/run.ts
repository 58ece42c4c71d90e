#!/usr/bin/env node
/**
 * `npm run bench`: measures nodis against a real redis-server in one run.
 *
 *   npm run bench -- [--requests N] [--rounds R] [--clients C] [--only TEXT]
 *
 * Starts the built nodis-server process and a redis-server on free ports,
 * warms both up, then for each round runs every scenario against both
 * servers, alternating which goes first, and prints Markdown tables of
 * the median figures (requests/s; seconds, milliseconds or memory growth
 * for the persistence rows) and the nodis/Redis ratio. Progress goes to
 * stderr, the tables to stdout.
 * Needs redis-server and redis-benchmark on PATH.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { allScenarios } from './scenarios/index.js';
import { formatFigure, Results } from './report.js';
import type { BenchSettings, Scenario } from './scenario.js';
import { startNodisServer, startRedisServer, type BenchServer } from './servers.js';

interface Options extends BenchSettings {
  rounds: number;
  only: string | null;
}

const USAGE = `usage: npm run bench -- [--requests N] [--rounds R] [--clients C] [--only TEXT]
  --requests N  requests per unpipelined run (pipelined runs use 4N); default 100000
  --rounds R    rounds per server, reported as medians; default 3
  --clients C   parallel connections; default 50
  --keyspace K  random keys from a keyspace of K (redis-benchmark -r K); default 0:
                redis-benchmark's own default, one key per test, as the figures in the README
  --only TEXT   only scenarios whose group or a row label contains TEXT
                (case-insensitive; --only=-d for text starting with a dash)`;

/** Reads the command line; exits with the usage text on a bad option. */
function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        requests: { type: 'string', default: '100000' },
        rounds: { type: 'string', default: '3' },
        clients: { type: 'string', default: '50' },
        keyspace: { type: 'string', default: '0' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string, min = 1) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      console.error(`--${name} must be a positive integer\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  return {
    requests: int('requests', values.requests),
    rounds: int('rounds', values.rounds),
    clients: int('clients', values.clients),
    keyspace: int('keyspace', values.keyspace, 0),
    only: values.only?.toLowerCase() ?? null,
  };
}

/** Exits with a message unless every tool the benchmark runs is installed. */
function requireTools(): string {
  for (const tool of ['redis-server', 'redis-benchmark']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      console.error(`${tool} is required for the benchmark (apt-get install redis-server redis-tools)`);
      process.exit(1);
    }
  }
  const v = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout;
  return /v=(\S+)/.exec(v)?.[1] ?? 'unknown';
}

function selected(s: Scenario, only: string | null): boolean {
  return only === null || s.group.toLowerCase().includes(only) || s.rows.some((r) => r.toLowerCase().includes(only));
}

/**
 * Runs every scenario once, unrecorded, with a tenth of the requests, so
 * that nodis's JIT and both servers' allocations are warm before round 1.
 */
async function warmUp(scenarios: readonly Scenario[], servers: readonly BenchServer[], o: Options): Promise<void> {
  const light = { ...o, requests: Math.max(1000, Math.round(o.requests / 10)), warmUp: true };
  for (const s of scenarios) for (const server of servers) await s.measure(server, light);
  console.error('warm-up done');
}

/** Runs every round of every scenario against both servers, alternating their order. */
async function measureAll(scenarios: readonly Scenario[], servers: readonly BenchServer[], o: Options, results: Results): Promise<void> {
  for (let round = 1; round <= o.rounds; round++) {
    for (const s of scenarios) {
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const server of order) {
        const m = await s.measure(server, o);
        if (!m.ok) {
          results.fail(server.name, s.rows, m.error);
          console.error(`round ${round}/${o.rounds} ${server.name}: ${s.rows.join(', ')}: ${m.error}`);
          continue;
        }
        for (const [row, figure] of m.rps) results.add(server.name, row, figure);
        const figures = [...m.rps].map(([r, v]) => `${r} ${formatFigure(v, s.units?.[r] ?? 'req/s')}`);
        console.error(`round ${round}/${o.rounds} ${server.name}: ${figures.join(', ')}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const redisVersion = requireTools();
  const scenarios = allScenarios.filter((s) => selected(s, o.only));
  const results = new Results();
  for (const s of scenarios) for (const row of s.rows) results.declare(s.group, row, s.units?.[row]);
  const servers: BenchServer[] = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop()));
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    servers.push(await startRedisServer());
    servers.push(await startNodisServer());
    await warmUp(scenarios, servers, o);
    await measureAll(scenarios, servers, o, results);
  } finally {
    await stopAll();
  }
  const title =
    `redis-benchmark -c ${o.clients}${o.keyspace > 0 ? ` -r ${o.keyspace}` : ''}, ${o.requests} requests (x4 when pipelined), median of ${o.rounds} round${o.rounds === 1 ? '' : 's'}; ` +
    `Redis ${redisVersion}, Node ${process.version}, ${cpus().length} CPUs`;
  process.stdout.write(results.toMarkdown(title));
}

await main();
