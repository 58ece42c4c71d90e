/**
 * A per-command latency histogram with the bucketing Redis 7.0 reports in
 * LATENCY HISTOGRAM and INFO latencystats (an HDR histogram over
 * nanoseconds with 2 significant digits, 1 ns .. 1 s):
 *
 * - a recorded value v (ns) is kept at the top of its equivalence range:
 *   below 256 every value is its own range; above, the range width is the
 *   power of two 2^(floor(log2 v) - 7), so values keep ~2 digits;
 * - a percentile is the top of the range holding the sample at that rank
 *   (rank = percentile × count, rounded half up, at least 1);
 * - the cumulative distribution is reported at power-of-two steps from
 *   1024 ns, each labelled with the top of its range in µs, skipping steps
 *   that add no samples.
 */

const MIN_NS = 1;
const MAX_NS = 1_000_000_000;
const FIRST_STEP_NS = 1024;

/** The top of v's equivalence range (HDR "highest equivalent value"). */
export function highestEquivalent(v: number): number {
  if (v < 256) return v;
  const width = 2 ** (Math.floor(Math.log2(v)) - 7);
  return Math.floor(v / width) * width + width - 1;
}

export class LatencyHistogram {
  /** Sample counts keyed by the top of their equivalence range, in ns. */
  private readonly counts = new Map<number, number>();
  total = 0;

  /** Records one duration in microseconds. */
  record(usec: number): void {
    let ns = Math.round(usec * 1000);
    if (ns < MIN_NS) ns = MIN_NS;
    else if (ns > MAX_NS) ns = MAX_NS;
    const key = highestEquivalent(ns);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  private sortedKeys(): number[] {
    return [...this.counts.keys()].sort((a, b) => a - b);
  }

  /** The value in ns at percentile p (0..100), or 0 when empty. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.floor((p / 100) * this.total + 0.5));
    let seen = 0;
    const keys = this.sortedKeys();
    for (const k of keys) {
      seen += this.counts.get(k)!;
      if (seen >= rank) return k;
    }
    return keys[keys.length - 1]!;
  }

  /**
   * The cumulative distribution at power-of-two steps: [label µs, samples
   * at or below the step] for each step that added samples.
   */
  cumulative(): [number, number][] {
    const out: [number, number][] = [];
    const keys = this.sortedKeys();
    let i = 0;
    let seen = 0;
    for (let step = FIRST_STEP_NS; i < keys.length; step *= 2) {
      const top = highestEquivalent(step);
      const before = seen;
      while (i < keys.length && keys[i]! <= top) seen += this.counts.get(keys[i++]!)!;
      if (seen !== before) out.push([Math.floor(top / 1000), seen]);
    }
    return out;
  }
}
