/**
 * Pub/Sub on one connection: (un)subscription confirmations and counts,
 * the RESP2 subscriber context, PUBLISH/SPUBLISH receivers (a RESP3 client
 * receives its own messages), PUBSUB introspection, argument errors, and
 * keyspace notifications a RESP3 client gets for its own writes.
 *
 * Unsubscribing from all channels or shard channels at once lists them in
 * Redis's hash-table order, which changes between runs: those cases hold a
 * single channel (patterns keep subscription order and may hold several).
 * Steps that produce several replies shift the one-reply-per-step reading;
 * both servers shift alike, and trailing PINGs drain what is left.
 */
import type { DiffCase } from '../types.js';

const drain = (n: number): string[][] => Array.from({ length: n }, () => ['PING']);

export const cases: DiffCase[] = [
  {
    name: 'SUBSCRIBE and UNSUBSCRIBE counts',
    steps: [
      ['SUBSCRIBE', 'a', 'b', 'a'],
      ['UNSUBSCRIBE', 'a', 'x'],
      ['UNSUBSCRIBE', 'b'],
      ['UNSUBSCRIBE'],
      ['SUBSCRIBE', 'c'],
      ['UNSUBSCRIBE'],
      ['UNSUBSCRIBE', 'nope'],
      ...drain(6),
    ],
  },
  {
    name: 'PSUBSCRIBE and PUNSUBSCRIBE, several patterns in order',
    steps: [
      ['PSUBSCRIBE', 'z*', 'a*', 'm?', 'b[xy]', 'a*'],
      ['SUBSCRIBE', 'ch'],
      ['PUNSUBSCRIBE', 'm?'],
      ['PUNSUBSCRIBE'],
      ['PUNSUBSCRIBE'],
      ['UNSUBSCRIBE'],
      ...drain(8),
    ],
  },
  {
    name: 'SSUBSCRIBE and SUNSUBSCRIBE count shard channels apart',
    steps: [
      ['SUBSCRIBE', 'x'],
      ['SSUBSCRIBE', 's1', 's1'],
      ['SUNSUBSCRIBE', 's2'],
      ['SUNSUBSCRIBE'],
      ['SUNSUBSCRIBE'],
      ['UNSUBSCRIBE', 'x'],
      ['GET', 'k'],
      ...drain(4),
    ],
  },
  {
    name: 'subscriber context: only the subscribe family, PING, QUIT and RESET',
    resp: [2],
    steps: [
      ['SUBSCRIBE', 'a'],
      ['GET', 'k'],
      ['SET', 'k', 'v'],
      ['PUBLISH', 'a', 'm'],
      ['PUBSUB', 'NUMSUB', 'a'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CLIENT', 'ID'],
      ['NOSUCH'],
      ['GET'],
      ['PING'],
      ['PING', 'payload'],
      ['PING', 'a', 'b'],
      ['PSUBSCRIBE', 'p*'],
      ['UNSUBSCRIBE', 'a'],
      ['GET', 'k'],
      ['PUNSUBSCRIBE', 'p*'],
      ['GET', 'k'],
      ['SSUBSCRIBE', 's'],
      ['GET', 'k'],
      ['RESET'],
      ['GET', 'k'],
      ['PING'],
    ],
  },
  {
    name: 'RESP3 subscribers run any command and receive their own messages',
    resp: [3],
    steps: [
      ['SUBSCRIBE', 'a'],
      ['PSUBSCRIBE', 'a*'],
      ['SSUBSCRIBE', 'a'],
      ['SET', 'k', 'v'],
      ['PING'],
      ['PUBLISH', 'a', 'hello'],
      ['SPUBLISH', 'a', 'shard'],
      ['PUBLISH', 'ab', 'x\x00\r\ny'],
      ['PUBSUB', 'NUMSUB', 'a', 'ab'],
      ['PUBSUB', 'SHARDNUMSUB', 'a'],
      ['PUBSUB', 'NUMPAT'],
      ['PUBSUB', 'CHANNELS'],
      ['PUBSUB', 'SHARDCHANNELS', 'a*'],
      ['RESET'],
      ...drain(8),
    ],
  },
  {
    name: 'pub/sub inside MULTI/EXEC: SSUBSCRIBE refused, EXEC refused in subscriber context',
    steps: [
      ['MULTI'],
      ['SUBSCRIBE', 'a'],
      ['SSUBSCRIBE', 'b'],
      ['PUBLISH', 'a', 'x'],
      ['EXEC'],
      ['MULTI'],
      ['EXEC'],
      ['DISCARD'],
      ['UNSUBSCRIBE'],
      ...drain(4),
    ],
  },
  {
    name: 'PUBLISH and SPUBLISH without subscribers',
    steps: [
      ['PUBLISH', 'ch', 'msg'],
      ['SPUBLISH', 'ch', 'msg'],
      ['PUBLISH', '', ''],
      ['PUBLISH', 'ch\x00\xff', 'x'.repeat(1000)],
    ],
  },
  {
    name: 'PUBSUB subcommands and their errors',
    steps: [
      ['PUBSUB', 'CHANNELS'],
      ['PUBSUB', 'CHANNELS', '*'],
      ['PUBSUB', 'channels', 'a', 'b'],
      ['PUBSUB', 'SHARDCHANNELS'],
      ['PUBSUB', 'SHARDCHANNELS', 'x*', 'y'],
      ['PUBSUB', 'NUMSUB'],
      ['PUBSUB', 'NUMSUB', 'a', 'a', 'b'],
      ['PUBSUB', 'SHARDNUMSUB'],
      ['PUBSUB', 'SHARDNUMSUB', 'a', 'b'],
      ['PUBSUB', 'NUMPAT'],
      ['PUBSUB', 'NUMPAT', 'x'],
      ['PUBSUB', 'HELP'],
      ['PUBSUB', 'help', 'x'],
      ['PUBSUB'],
      ['PUBSUB', 'NOSUCH'],
      ['PUBSUB', 'NOSUCH', 'a', 'b'],
    ],
  },
  {
    name: 'pub/sub arity errors',
    steps: [
      ['SUBSCRIBE'],
      ['PSUBSCRIBE'],
      ['SSUBSCRIBE'],
      ['PUBLISH'],
      ['PUBLISH', 'a'],
      ['PUBLISH', 'a', 'b', 'c'],
      ['SPUBLISH', 'a'],
      ['UNSUBSCRIBE'],
      ['PUNSUBSCRIBE'],
      ['SUNSUBSCRIBE'],
    ],
  },
  {
    name: 'keyspace notifications of own writes',
    resp: [3],
    steps: [
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['SUBSCRIBE', '__keyspace@0__:k', '__keyevent@0__:del'],
      ['PSUBSCRIBE', '__keyevent@0__:*'],
      ['SET', 'k', 'v', 'EX', '100'],
      ['APPEND', 'k', 'w'],
      ['PERSIST', 'k'],
      ['RENAME', 'k', 'k2'],
      ['DEL', 'k2'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Em'],
      ['GET', 'missing'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ['SET', 'k', 'v'],
      ['RESET'],
      ...drain(24),
    ],
  },
];
