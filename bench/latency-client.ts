/**
 * A write load that records every request's latency: several connections,
 * each sending one SET at a time (unpipelined, like an ordinary client)
 * over random keys of an existing keyspace, until stopped. Each request's
 * send and reply times are kept, so a scenario can ask afterwards for the
 * latencies of the requests that overlapped some interval (a BGSAVE).
 */
import { performance } from 'node:perf_hooks';
import { RespClient } from './resp-client.js';
import { xorshift32 } from '../test/support/random.js';

export interface SetLoadOptions {
  host: string;
  port: number;
  connections: number;
  /** Keys are `${keyPrefix}${i}` for i in [0, keyCount): DEBUG POPULATE's "key:" names. */
  keyPrefix: string;
  keyCount: number;
  /** Each SET stores `${valuePrefix}${i}`, the size DEBUG POPULATE gave the key. */
  valuePrefix: string;
  seed: number;
}

/** Request send and reply times (performance.now() ms), in growable parallel arrays. */
class RequestLog {
  private sent = new Float64Array(1 << 16);
  private done = new Float64Array(1 << 16);
  count = 0;

  add(sentAt: number, doneAt: number): void {
    if (this.count === this.sent.length) {
      this.sent = grow(this.sent);
      this.done = grow(this.done);
    }
    this.sent[this.count] = sentAt;
    this.done[this.count++] = doneAt;
  }

  /** Latencies in ms of the requests answered after from and sent before to. */
  latenciesOverlapping(from: number, to: number): Float64Array {
    const out = new Float64Array(this.count);
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.done[i]! >= from && this.sent[i]! <= to) out[n++] = this.done[i]! - this.sent[i]!;
    }
    return out.subarray(0, n);
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

export class SetLoad {
  private readonly log = new RequestLog();
  private stopping = false;
  private failure: Error | null = null;
  private stopped: Promise<void> | null = null;
  private readonly loops: Promise<void>[];

  private constructor(
    private readonly clients: readonly RespClient[],
    o: SetLoadOptions,
  ) {
    const random = xorshift32(o.seed);
    this.loops = clients.map((c) => this.run(c, o, random));
  }

  /** Connects every client, then starts the load. */
  static async start(o: SetLoadOptions): Promise<SetLoad> {
    const clients = await Promise.all(Array.from({ length: o.connections }, () => RespClient.connect(o.port, o.host)));
    return new SetLoad(clients, o);
  }

  /** Requests answered so far. */
  get completed(): number {
    return this.log.count;
  }

  /** Latencies in ms of the requests in flight at any moment of [from, to] (performance.now() ms). */
  latenciesOverlapping(from: number, to: number): Float64Array {
    return this.log.latenciesOverlapping(from, to);
  }

  /**
   * Stops sending, waits for the replies still due, closes the connections;
   * rejects if a request failed. Later calls return the same promise.
   */
  stop(): Promise<void> {
    this.stopped ??= this.finish();
    return this.stopped;
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    for (const c of this.clients) c.close();
    if (this.failure !== null) throw this.failure;
  }

  /** One connection's loop: a SET, wait for its reply, record, repeat. */
  private async run(c: RespClient, o: SetLoadOptions, random: (n: number) => number): Promise<void> {
    while (!this.stopping) {
      const i = random(o.keyCount);
      const sentAt = performance.now();
      try {
        await c.call(['SET', o.keyPrefix + i, o.valuePrefix + i]);
      } catch (e) {
        this.failure ??= e as Error;
        this.stopping = true;
        return;
      }
      this.log.add(sentAt, performance.now());
    }
  }
}

/** The p-quantile (0 < p ≤ 1) of xs by the nearest-rank method, or null when xs is empty. Sorts xs in place. */
export function percentile(xs: Float64Array, p: number): number | null {
  if (xs.length === 0) return null;
  xs.sort();
  return xs[Math.max(0, Math.ceil(p * xs.length) - 1)]!;
}
