/**
 * Keyspace commands over real sockets: the replication stream of keyspace
 * writes compared with a real Redis's AOF, KEYS patterns fuzzed against
 * real Redis, expired keys hidden from every listing, and SCAN's guarantee
 * under concurrent churn.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, maskNow, serverPair, stepsOnBoth, type Step } from '../support/compare.js';
import { xorshift32 } from '../support/random.js';
import type { RunningServer } from '../../src/index.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const run = redisAvailable('keys integration');

/** Text of a reply value for comparisons (arrays of bulks sorted when `sorted`). */
function show(v: RespValue): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** Steps whose effects both servers must replicate identically. */
const PROPAGATION_SCRIPT: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
  ['SET', 'a', '1'],
  ['EXPIRE', 'a', '100'],
  ['EXPIRE', 'a', '200', 'XX', 'gt'],
  ['PEXPIRE', 'a', '500000', 'nx'],
  ['EXPIREAT', 'a', '4102444800'],
  ['PEXPIREAT', 'a', '4102444800123', 'xx'],
  ['pexpireat', 'a', '4102444800124'],
  ['PERSIST', 'a'],
  ['PERSIST', 'a'],
  ['SET', 'b', '1'],
  ['EXPIRE', 'b', '-1'],
  ['SET', 'c', '1'],
  ['PEXPIREAT', 'c', '1'],
  ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'],
  ['SET', 'd', '1'],
  ['EXPIRE', 'd', '0'],
  ['SET', 'e', '1'],
  ['PEXPIRE', 'e', '1'],
  20,
  ['GET', 'e'],
  ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no'],
  ['SET', 'f', '1'],
  ['PEXPIRE', 'f', '1'],
  20,
  ['DEL', 'f'],
  ['EXPIRE', 'f', '100'],
  ['SET', 'g', '1'],
  ['SET', 'h', '1'],
  ['PEXPIRE', 'g', '1'],
  20,
  ['DEL', 'g', 'h', 'nokey'],
  ['DEL', 'nokey'],
  ['UNLINK', 'a', 'nokey'],
  ['SET', 'h', '1'],
  ['RENAME', 'h', 'h2'],
  ['RENAMENX', 'h2', 'h3'],
  ['RENAME', 'nokey', 'x'],
  ['RENAME', 'h3', 'h3'],
  ['RENAMENX', 'h3', 'h3'],
  ['COPY', 'h3', 'h4'],
  ['COPY', 'h3', 'h4'],
  ['COPY', 'h3', 'h4', 'REPLACE'],
  ['COPY', 'h3', 'h4', 'DB', '2'],
  ['MOVE', 'h4', '1'],
  ['MOVE', 'nokey', '1'],
  ['SWAPDB', '0', '1'],
  ['SWAPDB', '0', '0'],
  ['TOUCH', 'h4'],
  ['EXISTS', 'h4'],
  ['SELECT', '1'],
  ['SET', 'x', '1'],
  ['FLUSHDB'],
  ['FLUSHDB', 'ASYNC'],
  ['SELECT', '0'],
  ['FLUSHALL'],
  ['FLUSHALL', 'ASYNC'],
];

describe('keys: replication stream matches Redis', { skip: !run }, () => {
  const pair = serverPair([...AOF_ALWAYS, '--enable-debug-command', 'yes'], { config: { 'enable-debug-command': 'yes' } });

  test('EXPIRE family → PEXPIREAT, past times and expired keys → DEL/UNLINK, no-ops not replicated', async () => {
    const r = await effectsOnBoth(pair, PROPAGATION_SCRIPT);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    const want = commandsOf(r.aof).map(maskNow);
    const got = commandsOf(r.effects).map(maskNow);
    assert.deepEqual(got, want);
  });

  test('keys SCAN and RANDOMKEY find expired go out as bare DELs, not in MULTI/EXEC', async () => {
    const steps: Step[] = [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['FLUSHALL'],
      ['SET', 's1', '1', 'PX', '1'],
      ['SET', 's2', '1', 'PX', '1'],
      20,
      ['SCAN', '0'],
      ['SET', 'r1', '1', 'PX', '1'],
      ['SET', 'r2', '1', 'PX', '1'],
      20,
      ['RANDOMKEY'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ];
    const r = await effectsOnBoth(pair, steps);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    // Which expired key goes first depends on each server's hash order: compare the sorted streams.
    const want = commandsOf(r.aof)
      .map(maskNow)
      .map((a) => a.join(' '))
      .sort();
    const got = commandsOf(r.effects)
      .map(maskNow)
      .map((a) => a.join(' '))
      .sort();
    assert.deepEqual(got, want);
  });
});

describe('keys: the active expiry cycle', () => {
  test('replicates the keys it expires as bare DELs, not in MULTI/EXEC (as Redis)', async () => {
    const nodis = await startNodis({ config: { 'enable-debug-command': 'yes' } });
    const effects: Buffer[] = [];
    nodis.server.propagation.addSink((b) => effects.push(b));
    const c = await RawClient.connect(nodis.port);
    try {
      // All ten are past due when the cycle resumes, so one pass of it expires several.
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      for (let i = 0; i < 10; i++) await c.call('SET', `k${i}`, '1', 'PX', '1');
      await new Promise((r) => setTimeout(r, 20));
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await waitUntil(async () => (await c.callText('DBSIZE')) === ':0\r\n');
      const names = commandsOf(Buffer.concat(effects)).map((a) => a[0]!.toLowerCase());
      assert.deepEqual(names.filter((n) => n === 'del').length, 10);
      assert.deepEqual(
        names.filter((n) => n !== 'del' && n !== 'set' && n !== 'select'),
        [],
      );
    } finally {
      c.close();
      await nodis.stop();
    }
  });
});

/** Polls cond every 10 ms until it holds, failing after 10 s. */
async function waitUntil(cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > deadline) assert.fail('condition not reached in 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('keys: behaviour compared with Redis', { skip: !run }, () => {
  const pair = serverPair(['--enable-debug-command', 'yes'], { config: { 'enable-debug-command': 'yes' } });

  test('KEYS: random patterns select the same keys as Redis', async () => {
    const alphabet = 'ab[]^-\\*?A';
    const random = xorshift32(88172645);
    const word = (max: number) => Array.from({ length: 1 + random(max) }, () => alphabet[random(alphabet.length)]).join('');
    const clients = [await RawClient.connect(pair.redis.port), await RawClient.connect(pair.nodis.port)];
    try {
      const keys = new Set(Array.from({ length: 200 }, () => word(5)));
      for (const c of clients) {
        await c.call('FLUSHALL');
        for (const k of keys) await c.call('SET', k, '1');
      }
      for (let t = 0; t < 1500; t++) {
        const pattern = word(7);
        const [ra, rb] = await Promise.all(clients.map((c) => c.value('KEYS', pattern)));
        const sorted = (v: RespValue) => (v.kind === 'array' ? v.items.map((i) => show(i)).sort() : [show(v)]);
        assert.deepEqual(sorted(rb!), sorted(ra!), `KEYS ${JSON.stringify(pattern)}`);
      }
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('expired keys never show in KEYS, SCAN, RANDOMKEY, EXISTS, TYPE (DBSIZE counts them until deleted)', async () => {
    const steps: Step[] = [
      ['FLUSHALL'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['KEYS', '*'],
      ['DBSIZE'],
      ['RANDOMKEY'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['SCAN', '0'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['EXISTS', 'gone'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['TYPE', 'gone'],
      ['TTL', 'gone'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['SCAN', '0', 'TYPE', 'none'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      ['SET', 'stay', '1'],
      20,
      ['KEYS', '*'],
      ['SCAN', '0', 'MATCH', 's*'],
      ['DBSIZE'],
      ['SET', 'gone', '1'],
      ['PEXPIRE', 'gone', '1'],
      20,
      ['RENAME', 'gone', 'x'],
      ['COPY', 'gone', 'x'],
      ['MOVE', 'gone', '1'],
      ['DBSIZE'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ];
    const r = await stepsOnBoth(pair, steps);
    assert.deepEqual(r.nodis, r.redis);
  });
});

describe('keys: OBJECT under eviction policies, compared with Redis', { skip: !run }, () => {
  const pair = serverPair();

  test('FREQ/IDLETIME errors and values, shared integers by policy', async () => {
    const steps: Step[] = [
      ['SET', 'k', 'v'],
      ['SET', 'n', '5'],
      ['OBJECT', 'FREQ', 'k'],
      ['OBJECT', 'REFCOUNT', 'n'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['OBJECT', 'IDLETIME', 'k'],
      ['OBJECT', 'IDLETIME', 'nokey'],
      ['SET', 'k2', 'v'],
      ['OBJECT', 'FREQ', 'k2'],
      ['GET', 'k2'],
      ['OBJECT', 'FREQ', 'k2'],
      ['OBJECT', 'FREQ', 'k2'],
      ['SET', 'n2', '5'],
      ['OBJECT', 'REFCOUNT', 'n2'],
      ['CONFIG', 'SET', 'maxmemory', '1gb'],
      ['SET', 'n3', '5'],
      ['OBJECT', 'REFCOUNT', 'n3'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru'],
      ['OBJECT', 'FREQ', 'k'],
      ['OBJECT', 'IDLETIME', 'k'],
      ['OBJECT', 'REFCOUNT', 'n3'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
      ['OBJECT', 'REFCOUNT', 'n3'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ];
    const r = await stepsOnBoth(pair, steps);
    assert.deepEqual(r.nodis, r.redis);
  });
});

describe('keys: SCAN guarantee', () => {
  let nodis: RunningServer;
  before(async () => {
    nodis = await startNodis();
  });
  after(async () => {
    await nodis?.stop();
  });

  test('a key present for the whole scan is returned, while another client adds and deletes keys', async () => {
    const scanner = await RawClient.connect(nodis.port);
    const writer = await RawClient.connect(nodis.port);
    const random = xorshift32(1234567);
    try {
      for (let round = 0; round < 5; round++) {
        await scanner.call('FLUSHALL');
        const stable: string[] = [];
        const volatile: string[] = [];
        const setup: Buffer[] = [];
        for (let i = 0; i < 2000; i++) {
          const key = `r${round}:${i}`;
          (random(3) === 0 ? stable : volatile).push(key);
          setup.push(RawClient.encode(['SET', key, 'v']));
        }
        writer.write(Buffer.concat(setup));
        for (let i = 0; i < 2000; i++) await writer.read();
        const seen = new Set<string>();
        let cursor = '0';
        let added = 0;
        do {
          const reply = await scanner.value('SCAN', cursor, 'COUNT', String(5 + random(60)));
          assert.equal(reply.kind, 'array');
          const [next, keys] = (reply as { items: unknown[] }).items as [{ value: string }, { items: { value: string }[] }];
          cursor = next.value;
          for (const k of keys.items) seen.add(k.value);
          for (let j = 0; j < 30; j++) {
            const victim = volatile[random(volatile.length)]!;
            await writer.call(random(2) === 0 ? 'DEL' : 'UNLINK', victim);
          }
          for (let j = 0; j < 3; j++) await writer.call('SET', `new${round}:${added++}`, 'v');
        } while (cursor !== '0');
        const missed = stable.filter((k) => !seen.has(k));
        assert.deepEqual(missed, [], `round ${round}`);
      }
    } finally {
      scanner.close();
      writer.close();
    }
  });
});
