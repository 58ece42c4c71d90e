/**
 * Collects the measurements of all rounds and renders them as the
 * Markdown tables the README shows: per row the median figure of Redis and
 * of nodis, and their ratio nodis/Redis (nodis's figure divided by
 * Redis's). Throughput rows (requests/s, higher is better) make the first
 * table, where a ratio below 1× means nodis is slower; rows measuring a
 * cost (seconds, milliseconds, bytes, a growth or slowdown factor: lower is better)
 * make a second one, where a ratio above 1× means nodis is slower or grows
 * more.
 */
import type { TargetName } from './servers.js';

/** What a row's figures are: requests/s, or a cost in seconds, milliseconds, bytes (B), a factor (×) or a count of events (n: attempts …). */
export type RowUnit = 'req/s' | 's' | 'ms' | 'B' | '×' | 'n';

interface RowSamples {
  group: string;
  unit: RowUnit;
  redis: number[];
  nodis: number[];
}

export class Results {
  private readonly rows = new Map<string, RowSamples>();
  /** Distinct failure messages per target, in order of appearance. */
  private readonly errors = new Map<string, string>();

  /** Declares a row so it is reported (in declaration order) even if every run of it fails. */
  declare(group: string, row: string, unit: RowUnit = 'req/s'): void {
    if (!this.rows.has(row)) this.rows.set(row, { group, unit, redis: [], nodis: [] });
  }

  add(target: TargetName, row: string, figure: number): void {
    this.rows.get(row)?.[target].push(figure);
  }

  /** Records that a measurement of the rows failed on target. */
  fail(target: TargetName, rows: readonly string[], error: string): void {
    for (const row of rows) this.errors.set(`${target}: ${row}`, error);
  }

  /** The Markdown report: the throughput table, the cost table if any row has a cost unit, then any failures. */
  toMarkdown(title: string): string {
    const all = [...this.rows];
    const throughput = all.filter(([, s]) => s.unit === 'req/s');
    const costs = all.filter(([, s]) => s.unit !== 'req/s');
    const lines = [title];
    if (throughput.length > 0 || costs.length === 0) {
      lines.push('', '| Group | Benchmark | Redis (req/s) | nodis (req/s) | nodis/Redis |', '|---|---|---:|---:|---:|');
      for (const [row, s] of throughput) lines.push(tableRow(row, s));
    }
    if (costs.length > 0) {
      lines.push(
        '',
        "Lower is better below: times, latencies and memory growth. nodis/Redis is nodis's figure over Redis's, so above 1× nodis is slower or grows more.",
        '',
        '| Group | Benchmark (lower is better) | Redis | nodis | nodis/Redis |',
        '|---|---|---:|---:|---:|',
      );
      for (const [row, s] of costs) lines.push(tableRow(row, s));
    }
    if (this.errors.size > 0) {
      lines.push('', 'Failed measurements:', '');
      for (const [what, error] of this.errors) lines.push(`- ${what}: ${error}`);
    }
    return lines.join('\n') + '\n';
  }
}

/** A table line: group, row label, the two medians in the row's unit, and nodis/Redis. */
function tableRow(row: string, s: RowSamples): string {
  const r = median(s.redis);
  const n = median(s.nodis);
  const ratio = r === null || n === null ? '–' : `${(n / r).toFixed(2)}×`;
  return `| ${s.group} | ${row} | ${formatFigure(r, s.unit)} | ${formatFigure(n, s.unit)} | ${ratio} |`;
}

/** The median of the samples, or null when there are none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A figure for the report: requests/s and bytes as whole numbers with separators, other costs with two decimals; each cost with its unit. */
export function formatFigure(x: number | null, unit: RowUnit): string {
  if (x === null) return '–';
  switch (unit) {
    case 'req/s':
      return Math.round(x).toLocaleString('en-US');
    case 'B':
      return `${Math.round(x).toLocaleString('en-US')} B`;
    case '×':
      return `${x.toFixed(2)}×`;
    case 'n':
      return Number.isInteger(x) ? String(x) : x.toFixed(1);
    default:
      return `${x.toFixed(2)} ${unit}`;
  }
}
