/**
 * Collects the measurements of all rounds and renders them as the
 * Markdown table the README shows: median requests/s of Redis and of nodis
 * per row, and their ratio.
 */
import type { TargetName } from './servers.js';

interface RowSamples {
  group: string;
  redis: number[];
  nodis: number[];
}

export class Results {
  private readonly rows = new Map<string, RowSamples>();
  /** Distinct failure messages per target, in order of appearance. */
  private readonly errors = new Map<string, string>();

  /** Declares a row so it is reported (in declaration order) even if every run of it fails. */
  declare(group: string, row: string): void {
    if (!this.rows.has(row)) this.rows.set(row, { group, redis: [], nodis: [] });
  }

  add(target: TargetName, row: string, rps: number): void {
    this.rows.get(row)?.[target].push(rps);
  }

  /** Records that a measurement of the rows failed on target. */
  fail(target: TargetName, rows: readonly string[], error: string): void {
    for (const row of rows) this.errors.set(`${target}: ${row}`, error);
  }

  /** The Markdown report: a table per run, then any failures. */
  toMarkdown(title: string): string {
    const lines = [title, '', '| Group | Benchmark | Redis (req/s) | nodis (req/s) | nodis/Redis |', '|---|---|---:|---:|---:|'];
    for (const [row, s] of this.rows) {
      const r = median(s.redis);
      const n = median(s.nodis);
      const ratio = r === null || n === null ? '–' : `${(n / r).toFixed(2)}×`;
      lines.push(`| ${s.group} | ${row} | ${fmt(r)} | ${fmt(n)} | ${ratio} |`);
    }
    if (this.errors.size > 0) {
      lines.push('', 'Failed measurements:', '');
      for (const [what, error] of this.errors) lines.push(`- ${what}: ${error}`);
    }
    return lines.join('\n') + '\n';
  }
}

/** The median of the samples, or null when there are none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(x: number | null): string {
  return x === null ? '–' : Math.round(x).toLocaleString('en-US');
}
