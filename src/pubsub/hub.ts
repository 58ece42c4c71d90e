/**
 * The server's pub/sub registry, like Redis's pubsub.c: who subscribes to
 * which channel, pattern and shard channel, and message delivery.
 *
 * Channels map to their subscribers in subscription order (the order
 * messages reach them); patterns keep their compiled glob. A channel or
 * pattern with no subscriber left is removed, so PUBSUB CHANNELS/NUMPAT
 * count only live ones. Each client's own view lives in its Subscriptions.
 *
 * Delivery writes a push message (an array in RESP2) into each receiver's
 * reply buffer and schedules its flush; a receiver that breaks the pubsub
 * output buffer limit is disconnected once the delivery loop is done.
 */
import type { Client } from '../server/client.js';
import { compileGlob, type GlobMatcher } from '../util/glob.js';
import { nowMs } from '../util/clock.js';
import { overLimit, type OutputLimits } from '../server/output-limits.js';

/** The three namespaces a client can subscribe in. */
export const enum Kind {
  Channel,
  Pattern,
  Shard,
}

const ALL_KINDS = [Kind.Channel, Kind.Pattern, Kind.Shard] as const;

interface PatternEntry {
  readonly match: GlobMatcher;
  readonly clients: Set<Client>;
}

export class PubSub {
  private readonly channels = new Map<string, Set<Client>>();
  private readonly patterns = new Map<string, PatternEntry>();
  private readonly shardChannels = new Map<string, Set<Client>>();
  /** Receivers that broke the output limit during the current delivery. */
  private cutOff: Client[] = [];

  constructor(private readonly limits: OutputLimits) {}

  /** Number of channels with subscribers (INFO pubsub_channels). */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Number of patterns with subscribers (INFO pubsub_patterns, PUBSUB NUMPAT). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Number of shard channels with subscribers (INFO pubsubshard_channels). */
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  /** Subscribes c to name in kind's namespace; false if it already was. */
  subscribe(c: Client, kind: Kind, name: string): boolean {
    const subs = c.subscriptions;
    let own: Set<string>;
    if (kind === Kind.Channel) own = subs.channels ??= new Set();
    else if (kind === Kind.Pattern) own = subs.patterns ??= new Set();
    else own = subs.shardChannels ??= new Set();
    if (own.has(name)) return false;
    own.add(name);
    if (kind === Kind.Pattern) {
      let p = this.patterns.get(name);
      if (p === undefined) this.patterns.set(name, (p = { match: compileGlob(name), clients: new Set() }));
      p.clients.add(c);
    } else {
      const map = kind === Kind.Channel ? this.channels : this.shardChannels;
      let set = map.get(name);
      if (set === undefined) map.set(name, (set = new Set()));
      set.add(c);
    }
    return true;
  }

  /** Unsubscribes c from name in kind's namespace; false if it was not subscribed. */
  unsubscribe(c: Client, kind: Kind, name: string): boolean {
    const own = this.ownSet(c, kind);
    if (own === null || !own.delete(name)) return false;
    if (kind === Kind.Pattern) {
      const p = this.patterns.get(name)!;
      p.clients.delete(c);
      if (p.clients.size === 0) this.patterns.delete(name);
    } else {
      const map = kind === Kind.Channel ? this.channels : this.shardChannels;
      const set = map.get(name)!;
      set.delete(c);
      if (set.size === 0) map.delete(name);
    }
    return true;
  }

  /** The names c subscribes to in kind's namespace, in subscription order (a copy). */
  subscribedNames(c: Client, kind: Kind): string[] {
    const own = this.ownSet(c, kind);
    return own === null ? [] : [...own];
  }

  /** Drops every subscription of c without replying (RESET, disconnection). */
  forget(c: Client): void {
    if (!c.subscriptions.active) return;
    for (const kind of ALL_KINDS) {
      const own = this.ownSet(c, kind);
      if (own === null) continue;
      for (const name of [...own]) this.unsubscribe(c, kind, name);
    }
  }

  private ownSet(c: Client, kind: Kind): Set<string> | null {
    const subs = c.subscriptions;
    return kind === Kind.Channel ? subs.channels : kind === Kind.Pattern ? subs.patterns : subs.shardChannels;
  }

  /**
   * PUBLISH: delivers message to channel's subscribers, then to the
   * subscribers of every matching pattern (a client once per matching
   * pattern). Returns the number of deliveries.
   */
  publish(channel: string, message: string): number {
    let n = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers !== undefined) {
      for (const c of subscribers) this.deliver(c, 'message', null, channel, message);
      n += subscribers.size;
    }
    for (const [pattern, p] of this.patterns) {
      if (!p.match(channel)) continue;
      for (const c of p.clients) this.deliver(c, 'pmessage', pattern, channel, message);
      n += p.clients.size;
    }
    this.closeCutOff();
    return n;
  }

  /** SPUBLISH: delivers message to the shard channel's subscribers; returns how many. */
  spublish(channel: string, message: string): number {
    const subscribers = this.shardChannels.get(channel);
    if (subscribers === undefined) return 0;
    for (const c of subscribers) this.deliver(c, 'smessage', null, channel, message);
    this.closeCutOff();
    return subscribers.size;
  }

  /** Active names in kind's namespace (channels or shard channels) matching pattern (all when null). */
  activeNames(kind: Kind.Channel | Kind.Shard, pattern: string | null): string[] {
    const map = kind === Kind.Channel ? this.channels : this.shardChannels;
    if (pattern === null) return [...map.keys()];
    const match = compileGlob(pattern);
    const out: string[] = [];
    for (const name of map.keys()) if (match(name)) out.push(name);
    return out;
  }

  /** Subscribers of a channel or shard channel (PUBSUB NUMSUB / SHARDNUMSUB). */
  subscriberCount(kind: Kind.Channel | Kind.Shard, name: string): number {
    return (kind === Kind.Channel ? this.channels : this.shardChannels).get(name)?.size ?? 0;
  }

  /** Writes one message to c and checks its output buffer against the pubsub limit. */
  private deliver(c: Client, type: string, pattern: string | null, channel: string, message: string): void {
    if (c.closed) return;
    const w = c.reply;
    const from = w.pendingBytes;
    w.push(pattern === null ? 3 : 4);
    w.bulk(type);
    if (pattern !== null) w.bulk(pattern);
    w.bulk(channel);
    w.bulk(message);
    c.pushed(from);
    if (overLimit(this.limits.pubsub, c.outputBytes, c.subscriptions, nowMs())) {
      if (!this.cutOff.includes(c)) this.cutOff.push(c);
      return;
    }
    c.scheduleFlush();
  }

  /** Disconnects the receivers that broke the output limit, logging like Redis. */
  private closeCutOff(): void {
    if (this.cutOff.length === 0) return;
    const list = this.cutOff;
    this.cutOff = [];
    for (const c of list) c.closeOverOutputLimit();
  }
}
