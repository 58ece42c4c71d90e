/**
 * One client's pub/sub state: the channels, patterns and shard channels it
 * subscribes to (in subscription order, which is the order the
 * unsubscribe-all replies follow), and when its output buffer first went
 * over the pubsub class's soft limit.
 *
 * Sets are created on first use so a client that never subscribes pays
 * for three nulls.
 */
export class Subscriptions {
  channels: Set<string> | null = null;
  patterns: Set<string> | null = null;
  shardChannels: Set<string> | null = null;
  /** ms time the output buffer went over the soft limit, 0 while under it. */
  softLimitSince = 0;

  /** Channels plus patterns: the count SUBSCRIBE/PSUBSCRIBE replies carry. */
  get count(): number {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0);
  }

  /** Shard channels: the count SSUBSCRIBE/SUNSUBSCRIBE replies carry. */
  get shardCount(): number {
    return this.shardChannels?.size ?? 0;
  }

  /** Whether the client is in pub/sub mode (CLIENT LIST flag P, RESP2's restricted context). */
  get active(): boolean {
    return this.count + this.shardCount > 0;
  }
}
