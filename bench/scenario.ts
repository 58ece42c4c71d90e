/**
 * What a benchmark scenario is. A scenario measures one or more report rows
 * against one server at a time; the runner calls it for Redis and for nodis
 * in alternation, several rounds, and reports medians side by side.
 *
 * To add rows (lists, RDB save/load, replication …), write a module in
 * scenarios/ that exports Scenario objects — built with
 * redisBenchmarkScenario() or with a measure() of its own — and list it in
 * scenarios/index.ts.
 */
import type { BenchServer } from './servers.js';
import type { RowUnit } from './report.js';
import { runRedisBenchmark, type BenchmarkResult } from './redis-benchmark.js';

export interface BenchSettings {
  /** Requests per unpipelined redis-benchmark run. */
  requests: number;
  /** Parallel connections (redis-benchmark -c). */
  clients: number;
  /** Size of the random keyspace (redis-benchmark -r); 0 for redis-benchmark's single key. */
  keyspace: number;
  /**
   * True for the runner's unrecorded warm-up pass: scenarios whose rows
   * name a fixed dataset size (1M keys …) may use a smaller one then.
   */
  warmUp?: boolean;
}

/**
 * Figures by row label, each in its row's unit (operations per second
 * unless the scenario's units say otherwise), or why the measurement failed.
 */
export type Measurement = BenchmarkResult;

export interface Scenario {
  /** Report section, e.g. "strings". */
  readonly group: string;
  /** The row labels measure() reports, in report order. */
  readonly rows: readonly string[];
  /** Units of rows that are not requests/s (seconds, latencies, growth factors: lower is better). */
  readonly units?: Readonly<Record<string, RowUnit>>;
  /** Measures once against server. */
  measure(server: BenchServer, settings: BenchSettings): Promise<Measurement>;
}

export interface RedisBenchmarkSpec {
  group: string;
  /** redis-benchmark test names (-t) with the row name its CSV uses, e.g. ['mset', 'MSET (10 keys)']. */
  tests: readonly (readonly [test: string, csvName: string])[];
  pipeline: number;
  dataSize?: number;
  /** Multiplies settings.requests, so fast pipelined runs last long enough to measure. */
  requestsScale?: number;
}

/**
 * A scenario that runs redis-benchmark once for all its tests. Rows are
 * labelled "<CSV name> -P <n>" plus " -d <size>" when a size is given.
 */
export function redisBenchmarkScenario(spec: RedisBenchmarkSpec): Scenario {
  const suffix = ` -P ${spec.pipeline}` + (spec.dataSize === undefined ? '' : ` -d ${spec.dataSize}`);
  const label = (csvName: string) => csvName + suffix;
  return {
    group: spec.group,
    rows: spec.tests.map(([, csvName]) => label(csvName)),
    async measure(server, settings) {
      const result = await runRedisBenchmark({
        host: server.host,
        port: server.port,
        tests: spec.tests.map(([t]) => t).join(','),
        requests: Math.round(settings.requests * (spec.requestsScale ?? 1)),
        clients: settings.clients,
        pipeline: spec.pipeline,
        dataSize: spec.dataSize,
        keyspace: settings.keyspace > 0 ? settings.keyspace : undefined,
      });
      if (!result.ok) return result;
      const rps = new Map<string, number>();
      for (const [name, value] of result.rps) rps.set(label(name), value);
      return { ok: true, rps };
    },
  };
}
