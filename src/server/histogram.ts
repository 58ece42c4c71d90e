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

/** Index of v's equivalence range in the bucket array (ranges in increasing order). */
function bucketOf(v: number): number {
  if (v < 256) return v;
  const e = 31 - Math.clz32(v);
  return 256 + (e - 8) * 128 + (Math.floor(v / 2 ** (e - 7)) - 128);
}

/** The top of the equivalence range stored at bucket index i (inverse of bucketOf). */
function topOfBucket(i: number): number {
  if (i < 256) return i;
  const e = 8 + Math.floor((i - 256) / 128);
  const width = 2 ** (e - 7);
  return (128 + ((i - 256) % 128)) * width + width - 1;
}

const BUCKETS = bucketOf(MAX_NS) + 1;

export class LatencyHistogram {
  /** Sample counts per equivalence range, indexed by bucketOf. */
  private readonly counts = new Float64Array(BUCKETS);
  total = 0;

  /** Records one duration in microseconds. */
  record(usec: number): void {
    let ns = Math.round(usec * 1000);
    if (ns < MIN_NS) ns = MIN_NS;
    else if (ns > MAX_NS) ns = MAX_NS;
    this.counts[bucketOf(ns)]!++;
    this.total++;
  }

  /** The value in ns at percentile p (0..100), or 0 when empty. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.floor((p / 100) * this.total + 0.5));
    let seen = 0;
    let last = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (this.counts[i] === 0) continue;
      seen += this.counts[i]!;
      last = i;
      if (seen >= rank) return topOfBucket(i);
    }
    return topOfBucket(last);
  }

  /**
   * The cumulative distribution at power-of-two steps: [label µs, samples
   * at or below the step] for each step that added samples.
   */
  cumulative(): [number, number][] {
    const out: [number, number][] = [];
    let i = 0;
    let seen = 0;
    let remaining = this.total;
    for (let step = FIRST_STEP_NS; remaining > 0; step *= 2) {
      const top = highestEquivalent(step);
      const before = seen;
      while (i < BUCKETS && topOfBucket(i) <= top) {
        seen += this.counts[i]!;
        remaining -= this.counts[i]!;
        i++;
      }
      if (seen !== before) out.push([Math.floor(top / 1000), seen]);
    }
    return out;
  }
}
