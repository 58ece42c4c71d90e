/**
 * Server-wide counters behind INFO stats, INFO errorstats and
 * INFO commandstats (the per-command counters live on each Command), and
 * the "instantaneous" rates Redis samples periodically: every 100 ms the
 * cron records the rate since the previous sample, and INFO reports the
 * average of the last 16 samples.
 */

/** Samples averaged for instantaneous_* (Redis's STATS_METRIC_SAMPLES). */
const METRIC_SAMPLES = 16;
/** Minimum interval between samples (Redis samples every 100 ms). */
const SAMPLE_INTERVAL_MS = 100;

/** A rate averaged over the last samples of a growing counter. */
export class InstantMetric {
  private readonly samples = new Array<number>(METRIC_SAMPLES).fill(0);
  private idx = 0;
  private lastCount = 0;
  private lastTime = 0;

  /** Samples the counter's rate per second since the previous sample. */
  sample(nowMs: number, count: number): void {
    if (this.lastTime !== 0) {
      const dt = nowMs - this.lastTime;
      this.samples[this.idx] = dt > 0 && count >= this.lastCount ? ((count - this.lastCount) * 1000) / dt : 0;
      this.idx = (this.idx + 1) % METRIC_SAMPLES;
    }
    this.lastTime = nowMs;
    this.lastCount = count;
  }

  /** The mean rate per second over the kept samples. */
  get value(): number {
    let sum = 0;
    for (const s of this.samples) sum += s;
    return sum / METRIC_SAMPLES;
  }
}

export class Stats {
  readonly startTime = Date.now();
  connectionsReceived = 0;
  rejectedConnections = 0;
  commandsProcessed = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  errorReplies = 0;
  /**
   * errorReplies when a command last started or ended (Redis's
   * prev_err_count): an error reply after it is that command's failure, so
   * an error inside EXEC fails the command that replied it, not EXEC.
   */
  errorsSeen = 0;
  /** Error replies to the master's stream (INFO unexpected_error_replies). */
  unexpectedErrorReplies = 0;
  /** Bytes read from and written to clients' sockets (replication traffic apart, as in Redis). */
  netInputBytes = 0;
  netOutputBytes = 0;
  /** Replication traffic: read from the master (RDB and stream), written to replicas (RDB and stream). */
  netReplInputBytes = 0;
  netReplOutputBytes = 0;
  /** Socket reads handled and socket writes issued. */
  readsProcessed = 0;
  writesProcessed = 0;
  /** Highest memory use seen (INFO used_memory_peak). */
  peakMemory = 0;
  /** Error replies counted by their code (the first word: ERR, WRONGTYPE …). */
  readonly errorsByCode = new Map<string, number>();
  readonly opsPerSec = new InstantMetric();
  readonly inputBytesPerSec = new InstantMetric();
  readonly outputBytesPerSec = new InstantMetric();
  readonly replInputBytesPerSec = new InstantMetric();
  readonly replOutputBytesPerSec = new InstantMetric();
  private lastSampleMs = 0;

  /**
   * Whether error replies were sent since the last call (the running
   * command failed); marks them seen. CONFIG RESETSTAT moving the count
   * back is no failure.
   */
  takeNewErrors(): boolean {
    const failed = this.errorReplies > this.errorsSeen;
    this.errorsSeen = this.errorReplies;
    return failed;
  }

  /** Counts an error reply by its code prefix. */
  recordError(text: string): void {
    this.errorReplies++;
    const sp = text.indexOf(' ');
    const code = sp === -1 ? text : text.slice(0, sp);
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  /** Cron hook: samples the instantaneous rates (at most every 100 ms) and the memory peak. */
  sample(nowMs: number, usedMemory: number): void {
    if (usedMemory > this.peakMemory) this.peakMemory = usedMemory;
    if (nowMs - this.lastSampleMs < SAMPLE_INTERVAL_MS) return;
    this.lastSampleMs = nowMs;
    this.opsPerSec.sample(nowMs, this.commandsProcessed);
    this.inputBytesPerSec.sample(nowMs, this.netInputBytes);
    this.outputBytesPerSec.sample(nowMs, this.netOutputBytes);
    this.replInputBytesPerSec.sample(nowMs, this.netReplInputBytes);
    this.replOutputBytesPerSec.sample(nowMs, this.netReplOutputBytes);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.commandsProcessed = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.errorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.netReplInputBytes = 0;
    this.netReplOutputBytes = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.errorsByCode.clear();
  }
}
