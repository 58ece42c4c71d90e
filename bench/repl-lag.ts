/**
 * Replication lag from two timelines sampled side by side: the master's
 * replication offset (master_repl_offset) and the replica's processed
 * offset (slave_repl_offset), each sample stamped with the moment the
 * server most likely read it (the midpoint of the INFO request and its
 * reply, performance.now() ms).
 *
 * - Lag in bytes of a tick: the master's offset minus the replica's, both
 *   sampled in that tick.
 * - Lag in ms of a replica sample (t, R): t minus the moment the master
 *   reached offset R, found on the master's timeline by linear
 *   interpolation between the last master sample below R and the first at
 *   or above it. A replica sample at or below the master's first sampled
 *   offset, or beyond its last, has no measurable lag (0).
 */
import { median } from './report.js';

/** One INFO reading: when (ms) and the offset it showed. */
export interface OffsetSample {
  at: number;
  offset: number;
}

/** One tick of the sampler: the master's and the replica's reading. */
export interface LagTick {
  master: OffsetSample;
  replica: OffsetSample;
}

export interface LagFigures {
  medianBytes: number;
  maxBytes: number;
  medianMs: number;
  maxMs: number;
}

/**
 * The lag figures of ticks (in time order; at least one). Lags are never
 * negative: a replica read just after the master may show more.
 */
export function lagFigures(ticks: readonly LagTick[]): LagFigures {
  if (ticks.length === 0) throw new Error('no lag sample');
  const master = ticks.map((t) => t.master);
  const bytes = ticks.map((t) => Math.max(0, t.master.offset - t.replica.offset));
  const ms = ticks.map((t) => Math.max(0, t.replica.at - reachedAt(master, t.replica.offset)));
  return { medianBytes: median(bytes)!, maxBytes: Math.max(...bytes), medianMs: median(ms)!, maxMs: Math.max(...ms) };
}

/**
 * When the master's timeline (offsets never decreasing) reached offset,
 * interpolated between the samples around it; +Infinity when the master
 * had already reached it at its first sample or only did after its last
 * (callers then see no lag).
 */
export function reachedAt(master: readonly OffsetSample[], offset: number): number {
  if (master.length === 0 || offset <= master[0]!.offset) return Infinity;
  let lo = 0;
  let hi = master.length - 1;
  if (master[hi]!.offset < offset) return Infinity;
  // Invariant: master[lo].offset < offset <= master[hi].offset.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (master[mid]!.offset < offset) lo = mid;
    else hi = mid;
  }
  const a = master[lo]!;
  const b = master[hi]!;
  return a.at + ((offset - a.offset) / (b.offset - a.offset)) * (b.at - a.at);
}
