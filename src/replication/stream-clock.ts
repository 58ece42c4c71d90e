/**
 * When was a byte of a replication stream seen: a ring of (offset, time)
 * samples that answers "at what time did the stream reach offset X" for
 * the lag figures of INFO replication (nodis extensions, see the README's
 * "Lag" paragraph).
 *
 * note(end, now) is called each time the stream grows, with the offset of
 * its new last byte. Samples are at most one per millisecond: growth
 * within the same millisecond extends the last sample, so the ring costs
 * O(1) per call and covers at least CAPACITY ms of a busy stream (more
 * when it is idle). reachedAt(x) is the time of the first sample whose end
 * is at or past x — the millisecond byte x was seen — found by binary
 * search; a byte older than the ring answers the oldest time kept (a lower
 * bound of the lag).
 */

const CAPACITY = 8192;

export class StreamClock {
  private readonly ends = new Float64Array(CAPACITY);
  private readonly times = new Float64Array(CAPACITY);
  /** Index of the oldest sample and number of samples. */
  private head = 0;
  private count = 0;

  /** Records that the stream's last byte is now at offset end (time now, Unix ms). */
  note(end: number, now: number): void {
    if (this.count > 0) {
      const last = (this.head + this.count - 1) % CAPACITY;
      if (this.times[last] === now) {
        this.ends[last] = end;
        return;
      }
    }
    if (this.count === CAPACITY) {
      this.head = (this.head + 1) % CAPACITY;
      this.count--;
    }
    const at = (this.head + this.count) % CAPACITY;
    this.ends[at] = end;
    this.times[at] = now;
    this.count++;
  }

  /** Unix ms when the stream reached offset x, or null when it never did (or nothing was noted). */
  reachedAt(x: number): number | null {
    if (this.count === 0 || this.ends[(this.head + this.count - 1) % CAPACITY]! < x) return null;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[(this.head + mid) % CAPACITY]! >= x) hi = mid;
      else lo = mid + 1;
    }
    return this.times[(this.head + lo) % CAPACITY]!;
  }

  /** Forgets every sample (a new history: offsets no longer compare). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
