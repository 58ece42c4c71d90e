/**
 * Runs the redis-benchmark tool and reads its --csv output: one row per
 * test with its requests per second. A run that fails (an error reply
 * aborts redis-benchmark) yields an error message instead of figures.
 */
import { spawn } from 'node:child_process';

export interface RedisBenchmarkOptions {
  host: string;
  port: number;
  /** Comma-separated redis-benchmark test names (-t), e.g. "set,get"; ignored when command is given. */
  tests: string;
  /** A command to run instead of the built-in tests (its CSV row is the command's text). */
  command?: readonly string[];
  requests: number;
  clients: number;
  pipeline: number;
  /** Value size in bytes (-d); redis-benchmark's default is 3. */
  dataSize?: number;
  /** Random keys from a keyspace of this size (-r). */
  keyspace?: number;
}

/** requests/s by redis-benchmark test name ("SET", "MSET (10 keys)" …), or an error. */
export type BenchmarkResult = { ok: true; rps: Map<string, number> } | { ok: false; error: string };

/** Runs redis-benchmark once with the given options. */
export function runRedisBenchmark(o: RedisBenchmarkOptions): Promise<BenchmarkResult> {
  const args = ['-h', o.host, '-p', String(o.port), '-n', String(o.requests), '-c', String(o.clients), '-P', String(o.pipeline), '--csv'];
  if (o.dataSize !== undefined) args.push('-d', String(o.dataSize));
  if (o.keyspace !== undefined) args.push('-r', String(o.keyspace));
  if (o.command !== undefined) args.push(...o.command);
  else args.push('-t', o.tests);
  return new Promise((resolve) => {
    const p = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', (e) => resolve({ ok: false, error: `cannot run redis-benchmark: ${e.message}` }));
    p.on('close', (code) => {
      const rps = parseCsv(out);
      if (code === 0 && rps.size > 0) resolve({ ok: true, rps });
      else resolve({ ok: false, error: firstProblem(out) ?? `redis-benchmark exited with status ${code}` });
    });
  });
}

/**
 * Parses redis-benchmark --csv output: a header line `"test","rps",…` and
 * lines `"SET","83333.33",…`; other lines (warnings) are ignored.
 */
export function parseCsv(text: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^"([^"]+)","([0-9.]+)"/.exec(line.trim());
    if (m !== null) rows.set(m[1]!, Number(m[2]));
  }
  return rows;
}

/** The first line of output that reports an error, if any. */
function firstProblem(text: string): string | null {
  return (
    text
      .split('\n')
      .find((l) => /error/i.test(l))
      ?.trim() ?? null
  );
}
