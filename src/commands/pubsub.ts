/**
 * Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE
 * SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH and PUBSUB CHANNELS | NUMSUB |
 * NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP, over the server's registry
 * (src/pubsub/hub.ts).
 *
 * Every (un)subscription is confirmed by its own push message (an array in
 * RESP2): [kind, name, count], where count is the client's channels plus
 * patterns, or its shard channels for the shard commands. An unsubscribe
 * without names leaves everything in subscription order, or answers
 * [kind, null, count] when there was nothing to leave. While a RESP2 client
 * has subscriptions, call.ts restricts it to these commands, PING, QUIT and
 * RESET.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Kind } from '../pubsub/hub.js';
import { replyHelp, subcommandSyntaxError } from './help.js';
import { ReplyError } from '../util/errors.js';

const SSUBSCRIBE_DENIED = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client";

const HELP_LINES = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** The reply words of each kind: [subscribe, unsubscribe]. */
const WORDS: Record<Kind, readonly [string, string]> = {
  [Kind.Channel]: ['subscribe', 'unsubscribe'],
  [Kind.Pattern]: ['psubscribe', 'punsubscribe'],
  [Kind.Shard]: ['ssubscribe', 'sunsubscribe'],
};

/** The count a confirmation of kind carries. */
function countFor(c: Client, kind: Kind): number {
  return kind === Kind.Shard ? c.subscriptions.shardCount : c.subscriptions.count;
}

/** Writes one confirmation [word, name (null when none), count]. */
function confirm(c: Client, word: string, name: string | null, count: number): void {
  const from = c.reply.pendingBytes;
  c.reply.push(3);
  c.reply.bulk(word);
  if (name === null) c.reply.nullBulk();
  else c.reply.bulk(name);
  c.reply.int(count);
  c.pushed(from);
}

/**
 * SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE name…: subscribes and confirms each
 * name. Inside EXEC, SSUBSCRIBE is refused like for any client that cannot
 * block (SUBSCRIBE and PSUBSCRIBE stay allowed there, as in Redis 7.0).
 */
function subscribeGeneric(kind: Kind) {
  return (c: Client, argv: string[]): void => {
    if (kind === Kind.Shard && c.multi.executing) throw new ReplyError(SSUBSCRIBE_DENIED);
    const pubsub = c.server.pubsub;
    for (let i = 1; i < argv.length; i++) {
      pubsub.subscribe(c, kind, argv[i]!);
      confirm(c, WORDS[kind][0], argv[i]!, countFor(c, kind));
    }
  };
}

/** UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE [name…]: leaves the names (all when none) and confirms each. */
function unsubscribeGeneric(kind: Kind) {
  return (c: Client, argv: string[]): void => {
    const pubsub = c.server.pubsub;
    const word = WORDS[kind][1];
    const names = argv.length > 1 ? argv.slice(1) : pubsub.subscribedNames(c, kind);
    if (names.length === 0) {
      confirm(c, word, null, countFor(c, kind));
      return;
    }
    for (const name of names) {
      pubsub.unsubscribe(c, kind, name);
      confirm(c, word, name, countFor(c, kind));
    }
  };
}

/** PUBLISH channel message: the number of clients that received it. Replicas receive it too. */
function publish(c: Client, argv: string[]): void {
  c.reply.int(c.server.pubsub.publish(argv[1]!, argv[2]!));
  if (c.server.propagation.active) c.server.propagation.record(c.db.id, argv);
}

function spublish(c: Client, argv: string[]): void {
  c.reply.int(c.server.pubsub.spublish(argv[1]!, argv[2]!));
  if (c.server.propagation.active) c.server.propagation.record(c.db.id, argv);
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the active names, all or matching pattern. */
function channelsGeneric(kind: Kind.Channel | Kind.Shard) {
  return (c: Client, argv: string[]): void => {
    if (argv.length > 3) throw subcommandSyntaxError('PUBSUB', argv[1]!);
    const names = c.server.pubsub.activeNames(kind, argv.length === 3 ? argv[2]! : null);
    c.reply.array(names.length);
    for (const name of names) c.reply.bulk(name);
  };
}

/** PUBSUB NUMSUB / SHARDNUMSUB [name…]: name, subscriber count pairs (a flat array in both protocols). */
function numsubGeneric(kind: Kind.Channel | Kind.Shard) {
  return (c: Client, argv: string[]): void => {
    c.reply.array((argv.length - 2) * 2);
    for (let i = 2; i < argv.length; i++) {
      c.reply.bulk(argv[i]!);
      c.reply.int(c.server.pubsub.subscriberCount(kind, argv[i]!));
    }
  };
}

export const pubsubCommands: CommandDef[] = [
  { name: 'subscribe', handler: subscribeGeneric(Kind.Channel) },
  { name: 'unsubscribe', handler: unsubscribeGeneric(Kind.Channel) },
  { name: 'psubscribe', handler: subscribeGeneric(Kind.Pattern) },
  { name: 'punsubscribe', handler: unsubscribeGeneric(Kind.Pattern) },
  { name: 'ssubscribe', handler: subscribeGeneric(Kind.Shard) },
  { name: 'sunsubscribe', handler: unsubscribeGeneric(Kind.Shard) },
  { name: 'publish', handler: publish },
  { name: 'spublish', handler: spublish },
  { name: 'pubsub|channels', handler: channelsGeneric(Kind.Channel) },
  { name: 'pubsub|shardchannels', handler: channelsGeneric(Kind.Shard) },
  { name: 'pubsub|numsub', handler: numsubGeneric(Kind.Channel) },
  { name: 'pubsub|shardnumsub', handler: numsubGeneric(Kind.Shard) },
  { name: 'pubsub|numpat', handler: (c) => c.reply.int(c.server.pubsub.patternCount) },
  { name: 'pubsub|help', handler: (c) => replyHelp(c, 'PUBSUB', HELP_LINES) },
];
