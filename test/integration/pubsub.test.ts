/**
 * Pub/Sub over real sockets with several clients. Scenarios run on a real
 * redis-server and on nodis and every client's transcript (replies and the
 * messages it received, raw bytes) must match; nodis-only tests cover
 * cleanup on disconnect and RESET, CLIENT LIST/INFO counters and the pubsub
 * output buffer limit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { redisAvailable, withNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { serverPair } from '../support/compare.js';
import { waitFor } from '../support/wait.js';

const run = redisAvailable('pubsub integration');

/** One action: client `on` sends argv (if any), then `read` replies or messages are read from it. */
interface Act {
  on: number;
  send?: string[];
  read: number;
}

/**
 * Connects one client per entry of resp (HELLO 3 for RESP3), plays acts and
 * returns one transcript line per read: "<client>: <raw reply>".
 */
async function play(port: number, resp: readonly (2 | 3)[], acts: readonly Act[]): Promise<string[]> {
  const clients: RawClient[] = [];
  try {
    for (const r of resp) {
      const c = await RawClient.connect(port);
      if (r === 3) await c.call('HELLO', '3');
      clients.push(c);
    }
    const out: string[] = [];
    for (const a of acts) {
      const c = clients[a.on]!;
      if (a.send !== undefined) c.write(RawClient.encode(a.send));
      for (let i = 0; i < a.read; i++) out.push(`${a.on}: ${(await c.read()).raw.toString('latin1')}`);
    }
    return out;
  } finally {
    for (const c of clients) c.close();
  }
}

const send = (on: number, read: number, ...argv: string[]): Act => ({ on, send: argv, read });
const read = (on: number, n = 1): Act => ({ on, read: n });

const SCENARIOS: { name: string; resp: (2 | 3)[]; acts: Act[] }[] = [
  {
    name: 'channel and pattern delivery',
    resp: [2, 2],
    acts: [
      send(0, 2, 'SUBSCRIBE', 'news', 'sport'),
      send(0, 1, 'PSUBSCRIBE', 'n*'),
      send(1, 1, 'PUBLISH', 'news', 'hello'),
      read(0, 2),
      send(1, 1, 'PUBLISH', 'other', 'x'),
      send(1, 1, 'PUBLISH', 'sport', 'goal'),
      read(0),
      send(1, 1, 'PUBSUB', 'NUMSUB', 'news', 'other', 'sport'),
      send(1, 1, 'PUBSUB', 'NUMPAT'),
      send(1, 1, 'PUBSUB', 'CHANNELS', 'n*'),
      send(0, 1, 'UNSUBSCRIBE', 'news'),
      send(1, 1, 'PUBLISH', 'news', 'again'),
      read(0),
      send(0, 1, 'PUNSUBSCRIBE'),
      send(1, 1, 'PUBLISH', 'news', 'none'),
      send(1, 1, 'PUBSUB', 'NUMPAT'),
    ],
  },
  {
    name: 'several subscribers in subscription order, one client per matching pattern',
    resp: [2, 3, 2],
    acts: [
      send(0, 1, 'SUBSCRIBE', 'c'),
      send(1, 1, 'SUBSCRIBE', 'c'),
      send(1, 1, 'PSUBSCRIBE', 'c*'),
      send(2, 1, 'PUBLISH', 'c', 'm1'),
      read(0),
      read(1, 2),
      send(2, 1, 'PUBLISH', 'cc', 'm2'),
      read(1),
      send(2, 1, 'PUBSUB', 'NUMSUB', 'c'),
    ],
  },
  {
    name: 'RESP3 pushes mixed with replies',
    resp: [3, 2],
    acts: [
      send(0, 1, 'SUBSCRIBE', 'a'),
      send(0, 1, 'SET', 'k', 'v'),
      send(1, 1, 'PUBLISH', 'a', 'm'),
      read(0),
      send(0, 1, 'GET', 'k'),
      send(0, 2, 'PUBLISH', 'a', 'self'),
      send(0, 1, 'PING'),
      send(0, 1, 'UNSUBSCRIBE'),
      send(0, 1, 'UNSUBSCRIBE'),
    ],
  },
  {
    name: 'RESP2 subscriber context',
    resp: [2],
    acts: [
      send(0, 1, 'SUBSCRIBE', 'a'),
      send(0, 1, 'GET', 'k'),
      send(0, 1, 'PING'),
      send(0, 1, 'PING', 'x'),
      send(0, 1, 'PUBLISH', 'a', 'm'),
      send(0, 1, 'RESET'),
      send(0, 1, 'PUBLISH', 'a', 'm'),
      send(0, 1, 'PING'),
    ],
  },
  {
    name: 'shard channels',
    resp: [2, 2],
    acts: [
      send(0, 2, 'SSUBSCRIBE', 's1', 's2'),
      send(0, 1, 'SUBSCRIBE', 's1'),
      send(1, 1, 'SPUBLISH', 's1', 'sm'),
      read(0),
      send(1, 1, 'PUBLISH', 's1', 'pm'),
      read(0),
      send(1, 1, 'PUBSUB', 'SHARDNUMSUB', 's1', 's3'),
      send(1, 1, 'PUBSUB', 'SHARDCHANNELS', 's1'),
      send(0, 1, 'SUNSUBSCRIBE', 's1'),
      send(0, 1, 'SUNSUBSCRIBE'),
      send(0, 1, 'SUNSUBSCRIBE'),
      send(1, 1, 'SPUBLISH', 's2', 'x'),
    ],
  },
  {
    // Pushes reach a client whose replies are off or skipped, as Redis's CLIENT_PUSHING does.
    name: 'CLIENT REPLY OFF and SKIP keep confirmations and messages, drop rejections',
    resp: [3, 2],
    acts: [
      send(0, 0, 'CLIENT', 'REPLY', 'OFF'),
      send(0, 1, 'SUBSCRIBE', 'channel'),
      send(0, 1, 'PSUBSCRIBE', 'ch*'),
      send(0, 0, 'SET', 'k', 'v'),
      send(0, 0, 'NOSUCHCMD'),
      send(1, 1, 'PUBLISH', 'channel', 'hello'),
      read(0, 2),
      send(0, 2, 'PUBLISH', 'channel', 'self'),
      send(0, 1, 'UNSUBSCRIBE', 'channel'),
      send(0, 1, 'CLIENT', 'REPLY', 'ON'),
      send(0, 0, 'CLIENT', 'REPLY', 'SKIP'),
      send(0, 1, 'PUNSUBSCRIBE', 'ch*'),
      send(0, 1, 'GET', 'k'),
      send(1, 0, 'CLIENT', 'REPLY', 'SKIP'),
      send(1, 1, 'SUBSCRIBE', 'x'),
      send(1, 1, 'PING'),
      send(1, 1, 'UNSUBSCRIBE'),
      send(1, 0, 'CLIENT', 'REPLY', 'SKIP'),
      send(1, 0, 'GET'),
      send(1, 1, 'GET', 'k'),
    ],
  },
  {
    name: 'CLIENT REPLY OFF: QUEUED is dropped, EXEC keeps the confirmations of the commands it runs',
    resp: [3],
    acts: [
      send(0, 0, 'CLIENT', 'REPLY', 'OFF'),
      send(0, 0, 'MULTI'),
      send(0, 0, 'SUBSCRIBE', 'a'),
      send(0, 0, 'SET', 'k', 'v'),
      send(0, 0, 'SUBSCRIBE', 'b'),
      send(0, 2, 'EXEC'),
      send(0, 1, 'CLIENT', 'REPLY', 'ON'),
      send(0, 1, 'GET', 'k'),
    ],
  },
  {
    name: 'binary channels, patterns and payloads',
    resp: [2, 2],
    acts: [
      send(0, 1, 'SUBSCRIBE', 'ch\x00\xff\r\n'),
      send(0, 1, 'PSUBSCRIBE', 'ch\x00*'),
      send(1, 1, 'PUBLISH', 'ch\x00\xff\r\n', 'p\x00\r\n\xfe'),
      read(0, 2),
      send(1, 1, 'PUBLISH', 'ch\x00', ''),
      read(0),
    ],
  },
];

describe('pubsub: nodis vs redis-server, several clients', { skip: !run }, () => {
  const pair = serverPair();
  for (const s of SCENARIOS) {
    test(s.name, async () => {
      const redis = await play(pair.redis.port, s.resp, s.acts);
      const nodis = await play(pair.nodis.port, s.resp, s.acts);
      assert.deepEqual(nodis, redis);
    });
  }
});

/** Polls until fn returns true (the server handles a close asynchronously). */
const until = (fn: () => Promise<boolean>): Promise<void> => waitFor('the server to handle the close', fn);

/** The value of a field in an INFO or CLIENT INFO text. */
function field(text: string, name: string): string | undefined {
  return new RegExp(`(?:^|[\\s])${name}[=:]([^\\s]*)`).exec(text)?.[1];
}

describe('pubsub: nodis state and limits', () => {
  test('disconnection and RESET drop subscriptions', async () => {
    await withNodis({}, async (_srv, c) => {
      const sub = await RawClient.connect(_srv.port);
      await sub.call('SUBSCRIBE', 'a');
      await sub.call('PSUBSCRIBE', 'p*');
      await sub.call('SSUBSCRIBE', 's');
      assert.equal(await c.callText('PUBLISH', 'a', 'x'), ':1\r\n');
      sub.close();
      await until(async () => (await c.callText('PUBSUB', 'NUMPAT')) === ':0\r\n');
      assert.equal(await c.callText('PUBSUB', 'NUMSUB', 'a'), '*2\r\n$1\r\na\r\n:0\r\n');
      assert.equal(await c.callText('PUBSUB', 'SHARDNUMSUB', 's'), '*2\r\n$1\r\ns\r\n:0\r\n');

      const r = await RawClient.connect(_srv.port);
      await r.call('SUBSCRIBE', 'b');
      assert.equal(await r.callText('RESET'), '+RESET\r\n');
      assert.equal(await c.callText('PUBLISH', 'b', 'x'), ':0\r\n');
      assert.equal(await r.callText('GET', 'k'), '$-1\r\n');
      r.close();
    });
  });

  test('CLIENT LIST counts and flag P, INFO stats, CLIENT LIST TYPE pubsub', async () => {
    await withNodis({}, async (srv, c) => {
      const sub = await RawClient.connect(srv.port);
      await sub.call('HELLO', '3');
      await sub.call('SUBSCRIBE', 'a', 'b');
      await sub.read();
      await sub.call('PSUBSCRIBE', 'p*');
      await sub.call('SSUBSCRIBE', 's');
      const info = (await sub.call('CLIENT', 'INFO')).raw.toString('latin1');
      assert.equal(field(info, 'flags'), 'P');
      assert.equal(field(info, 'sub'), '2');
      assert.equal(field(info, 'psub'), '1');
      assert.equal(field(info, 'ssub'), '1');
      const stats = (await c.call('INFO', 'stats')).raw.toString('latin1');
      assert.equal(field(stats, 'pubsub_channels'), '2');
      assert.equal(field(stats, 'pubsub_patterns'), '1');
      assert.equal(field(stats, 'pubsubshard_channels'), '1');
      const list = (await c.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).raw.toString('latin1');
      assert.equal(list.split('\n').filter((l) => l.includes('id=')).length, 1);
      await sub.call('UNSUBSCRIBE');
      await sub.read();
      await sub.call('PUNSUBSCRIBE');
      assert.equal(field((await sub.call('CLIENT', 'INFO')).raw.toString('latin1'), 'flags'), 'P');
      await sub.call('SUNSUBSCRIBE');
      assert.equal(field((await sub.call('CLIENT', 'INFO')).raw.toString('latin1'), 'flags'), 'N');
      sub.close();
    });
  });

  test('a subscriber that does not read is cut off at the pubsub hard limit', async () => {
    await withNodis({ config: { 'client-output-buffer-limit': 'pubsub 1mb 0 0' } }, async (srv, c) => {
      const sub = net.connect(srv.port, '127.0.0.1');
      await new Promise<void>((resolve) => sub.once('connect', resolve));
      const closed = new Promise<void>((resolve) => sub.once('close', () => resolve()));
      sub.on('error', () => undefined);
      sub.write(RawClient.encode(['SUBSCRIBE', 'flood']));
      await until(async () => (await c.callText('PUBSUB', 'NUMSUB', 'flood')) === '*2\r\n$5\r\nflood\r\n:1\r\n');
      sub.pause();
      const payload = 'x'.repeat(64 * 1024);
      // Keep publishing until the server drops the subscriber (its kernel buffers fill first).
      let receivers = 1;
      for (let i = 0; i < 2000 && receivers > 0; i++) {
        receivers = Number((await c.callText('PUBLISH', 'flood', payload)).slice(1, -2));
      }
      assert.equal(receivers, 0);
      assert.equal(await c.callText('PUBSUB', 'NUMSUB', 'flood'), '*2\r\n$5\r\nflood\r\n:0\r\n');
      sub.resume();
      await closed;
    });
  });
});
