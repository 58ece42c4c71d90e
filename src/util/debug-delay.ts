/**
 * Redis's debug delays — rdb-key-save-delay and key-load-delay: so many
 * microseconds per key, a negative -N meaning 1 µs once in N keys on
 * average — without blocking the event loop. Redis sleeps per key in its
 * forked child (saving) or between the events it serves while loading;
 * nodis works in slices instead: each key is recorded here, the slice ends
 * once a millisecond or more is owed, and the debt is waited off with a
 * timer before the next slice, so clients are served meanwhile.
 */
export class DebugDelay {
  /** Microseconds owed and not yet waited. */
  private owedUs = 0;

  /** perKeyUs reads the option each time: CONFIG SET takes effect mid-way. */
  constructor(private readonly perKeyUs: () => number) {}

  /** Whether a delay is configured now (callers then work key by key). */
  get active(): boolean {
    return this.perKeyUs() !== 0;
  }

  /** Whether the current slice should end so the debt is waited off (see wait()). */
  get due(): boolean {
    return this.owedUs >= 1000;
  }

  /** Records one key done. */
  key(): void {
    const d = this.perKeyUs();
    if (d > 0) this.owedUs += d;
    else if (d < 0 && Math.floor(Math.random() * -d) === 0) this.owedUs += 1;
  }

  /** Resolves once the whole milliseconds owed have passed, or on the next turn of the event loop when none are. */
  wait(): Promise<void> {
    const ms = Math.floor(this.owedUs / 1000);
    this.owedUs -= ms * 1000;
    return new Promise((resolve) => {
      if (ms > 0) setTimeout(resolve, ms);
      else setImmediate(resolve);
    });
  }
}
