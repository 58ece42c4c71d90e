/**
 * The pub/sub registry against a simple model: random subscribe,
 * unsubscribe, forget and publish operations by a few fake clients, with a
 * seeded PRNG, must give the same receivers, counts and PUBSUB answers as
 * a model made of plain arrays. Also the output-limit rule and the
 * notify-keyspace-events mask.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Config } from '../config/config.js';
import { ReplyWriter } from '../protocol/reply.js';
import { globMatch } from '../util/glob.js';
import type { Client } from '../server/client.js';
import { Kind, PubSub } from './hub.js';
import { Subscriptions } from './subscriptions.js';
import { OutputLimits, overLimit, pubsubLimit } from '../server/output-limits.js';
import { classBit, KEYEVENT, KEYSPACE, parseNotifyFlags } from './notify-flags.js';
import { xorshift32 } from '../../test/support/random.js';

interface FakeClient {
  id: number;
  subscriptions: Subscriptions;
  reply: ReplyWriter;
  closed: boolean;
  outputBytes: number;
  received: string[];
  scheduleFlush(): void;
  closeOverOutputLimit(): void;
  pushed(from: number): void;
  close(): void;
}

/** A client stand-in that records the messages written to it. */
function fakeClient(id: number): FakeClient {
  const reply = new ReplyWriter();
  return {
    id,
    subscriptions: new Subscriptions(),
    reply,
    closed: false,
    get outputBytes() {
      return reply.pendingBytes;
    },
    received: [],
    scheduleFlush() {
      const out = reply.take();
      if (out !== null) this.received.push(Buffer.concat(out).toString('latin1'));
    },
    pushed: () => undefined,
    close() {
      this.closed = true;
    },
    closeOverOutputLimit() {
      this.closed = true;
    },
  };
}

const NAMES = ['a', 'b', 'ab', 'news.1', 'news.2'];
const PATTERNS = ['a*', '*', 'news.?', 'x*', 'news.[12]'];
const KINDS = [Kind.Channel, Kind.Pattern, Kind.Shard] as const;

test('registry matches a model under random operations', () => {
  for (const seed of [1, 7, 42, 1234, 99991]) {
    const rand = xorshift32(seed);
    const hub = new PubSub(new OutputLimits(new Config().str('client-output-buffer-limit')));
    const clients = [0, 1, 2, 3].map(fakeClient);
    // model[k][client] = names in subscription order
    const model = KINDS.map(() => clients.map(() => [] as string[]));
    for (let step = 0; step < 2000; step++) {
      const ci = rand(clients.length);
      const c = clients[ci]!;
      const kind = KINDS[rand(3)]!;
      const pool = kind === Kind.Pattern ? PATTERNS : NAMES;
      const name = pool[rand(pool.length)]!;
      const mine = model[kind]![ci]!;
      const op = rand(10);
      if (op < 4) {
        assert.equal(hub.subscribe(c as unknown as Client, kind, name), !mine.includes(name));
        if (!mine.includes(name)) mine.push(name);
      } else if (op < 7) {
        assert.equal(hub.unsubscribe(c as unknown as Client, kind, name), mine.includes(name));
        if (mine.includes(name)) mine.splice(mine.indexOf(name), 1);
      } else if (op < 8) {
        hub.forget(c as unknown as Client);
        for (const k of KINDS) model[k]![ci]!.length = 0;
      } else {
        const channel = NAMES[rand(NAMES.length)]!;
        const shard = rand(2) === 0;
        let expected = 0;
        if (shard) {
          for (const subs of model[Kind.Shard]!) if (subs.includes(channel)) expected++;
          assert.equal(hub.spublish(channel, 'm'), expected);
        } else {
          for (const subs of model[Kind.Channel]!) if (subs.includes(channel)) expected++;
          for (const subs of model[Kind.Pattern]!) for (const p of subs) if (globMatch(p, channel)) expected++;
          assert.equal(hub.publish(channel, 'm'), expected);
        }
      }
      for (let i = 0; i < clients.length; i++) {
        for (const k of KINDS) assert.deepEqual(hub.subscribedNames(clients[i] as unknown as Client, k), model[k]![i]);
        const s = clients[i]!.subscriptions;
        assert.equal(s.count, model[Kind.Channel]![i]!.length + model[Kind.Pattern]![i]!.length);
        assert.equal(s.shardCount, model[Kind.Shard]![i]!.length);
      }
      const live = (k: Kind) => new Set(model[k]!.flat());
      assert.equal(hub.channelCount, live(Kind.Channel).size);
      assert.equal(hub.patternCount, live(Kind.Pattern).size);
      assert.equal(hub.shardChannelCount, live(Kind.Shard).size);
      assert.deepEqual(new Set(hub.activeNames(Kind.Channel, null)), live(Kind.Channel));
      assert.deepEqual(new Set(hub.activeNames(Kind.Shard, 'news*')), new Set([...live(Kind.Shard)].filter((n) => n.startsWith('news'))));
      for (const n of NAMES) assert.equal(hub.subscriberCount(Kind.Channel, n), model[Kind.Channel]!.filter((s) => s.includes(n)).length);
    }
  }
});

test('messages: channel subscribers first in subscription order, then pattern subscribers', () => {
  const hub = new PubSub(new OutputLimits(new Config().str('client-output-buffer-limit')));
  const [a, b] = [fakeClient(1), fakeClient(2)];
  hub.subscribe(b as unknown as Client, Kind.Channel, 'ch');
  hub.subscribe(a as unknown as Client, Kind.Channel, 'ch');
  hub.subscribe(a as unknown as Client, Kind.Pattern, 'c*');
  assert.equal(hub.publish('ch', 'hi'), 3);
  assert.deepEqual(a.received, [
    '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n',
    '*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n',
  ]);
  b.reply.resp = 3;
  hub.subscribe(b as unknown as Client, Kind.Shard, 's');
  assert.equal(hub.spublish('s', 'x'), 1);
  assert.equal(b.received[1], '>3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nx\r\n');
});

test('a receiver over the hard limit is closed and not flushed', () => {
  const config = new Config();
  config.set('client-output-buffer-limit', ['pubsub', '100', '0', '0']);
  const hub = new PubSub(new OutputLimits(config.str('client-output-buffer-limit')));
  const slow = fakeClient(1);
  slow.scheduleFlush = () => undefined; // never drains
  hub.subscribe(slow as unknown as Client, Kind.Channel, 'ch');
  assert.equal(hub.publish('ch', 'x'.repeat(40)), 1);
  assert.equal(slow.closed, false);
  hub.publish('ch', 'x'.repeat(40));
  assert.equal(slow.closed, true);
});

test('overLimit: hard limit, soft limit held for longer than its seconds', () => {
  const subs = new Subscriptions();
  const limit = pubsubLimit('normal 0 0 0 slave 1 2 3 pubsub 1000 500 2');
  assert.deepEqual(limit, { hard: 1000, soft: 500, softSeconds: 2 });
  assert.equal(overLimit(limit, 1000, subs, 0), true);
  assert.equal(overLimit(limit, 499, subs, 0), false);
  assert.equal(overLimit(limit, 500, subs, 10_000), false);
  assert.equal(overLimit(limit, 600, subs, 12_000), false);
  assert.equal(overLimit(limit, 600, subs, 12_001), true);
  assert.equal(overLimit(limit, 100, subs, 12_002), false);
  assert.equal(subs.softLimitSince, 0);
  assert.equal(overLimit({ hard: 0, soft: 0, softSeconds: 0 }, 1e12, subs, 0), false);
});

test('notify-keyspace-events masks', () => {
  const all = parseNotifyFlags('AKE');
  for (const ch of 'g$lshzxetd') assert.notEqual(all & classBit(ch), 0, ch);
  assert.equal(all & classBit('n'), 0);
  assert.equal(all & classBit('m'), 0);
  assert.notEqual(all & KEYSPACE, 0);
  assert.notEqual(all & KEYEVENT, 0);
  const some = parseNotifyFlags('g$nm');
  assert.equal(some & (KEYSPACE | KEYEVENT), 0);
  assert.notEqual(some & classBit('n'), 0);
  assert.equal(some & classBit('l'), 0);
  assert.equal(parseNotifyFlags(''), 0);
});
