/**
 * A heavy write load for the replication-robustness rows: one connection
 * keeping `window` SETs of a large value in flight (pipelined) over a small
 * keyspace of its own ("big:0" … "big:<keyCount-1>"), until stopped. It is
 * meant to fill a replica's output buffer on the master faster than a full
 * sync can drain it, so it records only how many SETs were answered.
 */
import { RespClient } from './resp-client.js';

export interface BigWritesOptions {
  host: string;
  port: number;
  /** Bytes of every value written. */
  valueSize: number;
  keyCount: number;
  /** SETs in flight at once. */
  window: number;
}

export class BigWrites {
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private readonly loop: Promise<void>;
  /** SETs answered so far. */
  completed = 0;

  private constructor(
    private readonly client: RespClient,
    o: BigWritesOptions,
  ) {
    this.loop = this.run(o);
  }

  /** Connects, then starts writing. */
  static async start(o: BigWritesOptions): Promise<BigWrites> {
    return new BigWrites(await RespClient.connect(o.port, o.host), o);
  }

  /**
   * Stops sending, waits for the replies still due and closes the
   * connection; rejects if a SET failed. Later calls return the same promise.
   */
  stop(): Promise<void> {
    this.stopped ??= this.finish();
    return this.stopped;
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    try {
      await this.loop;
    } finally {
      this.client.close();
    }
  }

  /** Sends windows of SETs, each after the previous window's replies, until stopped. */
  private async run(o: BigWritesOptions): Promise<void> {
    const value = 'x'.repeat(o.valueSize);
    let next = 0;
    while (!this.stopping) {
      const window: Promise<unknown>[] = [];
      for (let i = 0; i < o.window; i++) window.push(this.client.call(['SET', `big:${next++ % o.keyCount}`, value]));
      await Promise.all(window);
      this.completed += window.length;
    }
  }
}
