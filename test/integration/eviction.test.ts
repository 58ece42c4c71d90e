/**
 * maxmemory on a live server: INFO memory's figures, the OOM refusal under
 * noeviction (and inside MULTI/EXEC), which keys survive under each
 * eviction policy when a small limit is overrun (statistical assertions,
 * no timing), how evictions are propagated and notified, replicas not
 * evicting, and a mixed workload that keeps the memory total exact.
 *
 * Every test sets maxmemory relative to the server's used memory after a
 * FLUSHALL, so the budget for data is known. The eviction time budget is
 * unlimited (tenacity 100) so every command finds memory under the limit.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { xorshift32 } from '../support/random.js';
import { sleep, waitFor } from '../support/wait.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import type { RunningServer } from '../../src/index.js';
import { entryBytes } from '../../src/keyspace/memory.js';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

/** Sends many commands in one write and returns their raw replies. */
async function pipeline(c: RawClient, commands: string[][]): Promise<string[]> {
  c.write(Buffer.concat(commands.map((argv) => RawClient.encode(argv))));
  const out: string[] = [];
  for (let i = 0; i < commands.length; i++) out.push((await c.read()).raw.toString('latin1'));
  return out;
}

/** INFO section fields as a map. */
async function info(c: RawClient, section: string): Promise<Map<string, string>> {
  const v = await c.value('INFO', section);
  assert.equal(v.kind, 'bulk');
  const m = new Map<string, string>();
  for (const line of (v as { value: string }).value.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

const num = async (c: RawClient, section: string, field: string): Promise<number> => Number((await info(c, section)).get(field));

function intValue(v: RespValue): number {
  assert.equal(v.kind, 'int');
  return Number((v as { value: bigint }).value);
}

describe('maxmemory and eviction', () => {
  let nodis: RunningServer;
  let c: RawClient;
  const VALUE = 'v'.repeat(200);

  before(async () => {
    nodis = await startNodis();
    c = await RawClient.connect(nodis.port);
  });
  after(async () => {
    c?.close();
    await nodis?.stop();
  });
  beforeEach(async () => {
    await pipeline(c, [
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '100'],
      ['CONFIG', 'SET', 'maxmemory-samples', '5'],
      ['CONFIG', 'SET', 'lazyfree-lazy-eviction', 'no'],
      ['FLUSHALL'],
      ['CONFIG', 'RESETSTAT'],
    ]);
  });

  /** Sets the policy and a limit leaving `budget` bytes above what the server uses now. */
  async function limit(policy: string, budget: number): Promise<number> {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', policy);
    const max = (await num(c, 'memory', 'used_memory')) + budget;
    assert.equal(await c.callText('CONFIG', 'SET', 'maxmemory', String(max)), '+OK\r\n');
    return max;
  }

  /** The keys of db 0 matching a prefix. */
  async function keys(pattern: string): Promise<Set<string>> {
    const v = await c.value('KEYS', pattern);
    assert.equal(v.kind, 'array');
    return new Set((v as { items: { value: string }[] }).items.map((i) => i.value));
  }

  test('INFO memory reports the model, the limit and the policy', async () => {
    let m = await info(c, 'memory');
    assert.equal(m.get('maxmemory'), '0');
    assert.equal(m.get('maxmemory_human'), '0B');
    assert.equal(m.get('maxmemory_policy'), 'noeviction');
    const used = Number(m.get('used_memory'));
    assert.equal(used, Number(m.get('used_memory_overhead')) + Number(m.get('used_memory_dataset')));
    assert.ok(Number(m.get('used_memory_startup')) <= used);
    assert.match(m.get('used_memory_human')!, /^\d+\.\d\dK$/);

    await c.call('SET', 'big', 'x'.repeat(10_000));
    m = await info(c, 'memory');
    const grown = Number(m.get('used_memory')) - used;
    assert.ok(grown >= 10_000 && grown < 11_000, `a 10000-byte value adds about 10000 bytes (added ${grown})`);
    assert.ok(Number(m.get('used_memory_dataset')) >= 10_000);
    await c.call('DEL', 'big');
    assert.equal(await num(c, 'memory', 'used_memory'), used, 'deleting the key gives back exactly what it took');

    await pipeline(c, [
      ['CONFIG', 'SET', 'maxmemory', '1mb'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
    ]);
    m = await info(c, 'memory');
    assert.equal(m.get('maxmemory'), '1048576');
    assert.equal(m.get('maxmemory_human'), '1.00M');
    assert.equal(m.get('maxmemory_policy'), 'allkeys-lru');
  });

  test('aggregates count their elements and are evicted like any key', async () => {
    // Client buffers are left out: the cron samples them at any moment (a pipeline's query buffer included).
    const keysMemory = async () => {
      const m = await info(c, 'memory');
      return Number(m.get('used_memory')) - Number(m.get('mem_clients_normal'));
    };
    const used = await keysMemory();
    const elements = Array.from({ length: 1000 }, (_, i) => `${i}:${'e'.repeat(100)}`);
    await pipeline(c, [
      ['RPUSH', 'list', ...elements],
      ['HSET', 'hash', ...elements.flatMap((e) => [e, e])],
      ['SADD', 'set', ...elements],
    ]);
    const grown = (await keysMemory()) - used;
    assert.ok(grown >= 4 * 100_000, `1000 list, 2000 hash and 1000 set strings of ~100 bytes (${grown} bytes)`);
    await pipeline(c, [
      ['LPOP', 'list', '1000'],
      ['DEL', 'hash', 'set'],
    ]);
    assert.equal(await keysMemory(), used, 'emptied and deleted aggregates give back what they took');

    await limit('allkeys-lru', 50_000);
    await c.call('RPUSH', 'old', ...elements.slice(0, 100));
    await sleep(3); // time passing on purpose: 'old' is older than what comes next (LRU has millisecond resolution)
    assert.equal(await c.callText('RPUSH', 'big', ...elements), ':1000\r\n');
    assert.equal(await c.callText('PING'), '+PONG\r\n');
    assert.equal(intValue(await c.value('EXISTS', 'old', 'big')), 0, 'both lists were evicted to get under the limit');
  });

  test('noeviction: denyoom commands get the OOM error, reads and deletes still work', async () => {
    await limit('noeviction', 50_000);
    const cmds: string[][] = [];
    for (let i = 0; i < 1000; i++) cmds.push(['SET', `k:${i}`, VALUE]);
    const replies = await pipeline(c, cmds);
    const firstOom = replies.indexOf(OOM);
    assert.ok(firstOom > 50 && firstOom < 500, `the limit is reached after some writes (first OOM at ${firstOom})`);
    assert.ok(replies.slice(0, firstOom).every((r) => r === '+OK\r\n'));
    assert.ok(
      replies.slice(firstOom + 1).every((r) => r === OOM),
      'every later write is refused',
    );
    assert.equal(intValue(await c.value('DBSIZE')), firstOom);
    assert.equal(await c.callText('GET', 'k:0'), `$200\r\n${VALUE}\r\n`);
    assert.equal(await c.callText('INCR', 'counter'), OOM);
    assert.equal(await c.callText('APPEND', 'k:0', 'x'), OOM);
    assert.equal(await c.callText('DEL', 'k:0', 'k:1', 'k:2'), ':3\r\n');
    assert.equal(await c.callText('SET', 'k:0', 'v'), '+OK\r\n', 'deleting made room');
    assert.equal(await num(c, 'stats', 'evicted_keys'), 0);
    const errors = await info(c, 'errorstats');
    assert.match(errors.get('errorstat_OOM') ?? '', /^count=\d+$/);
  });

  test('out of memory inside MULTI: queueing is refused, EXEC of queued writes aborts', async () => {
    await c.call('SET', 'a', VALUE);
    await c.call('CONFIG', 'SET', 'maxmemory', '1');
    assert.equal(await c.callText('MULTI'), '+OK\r\n');
    assert.equal(await c.callText('GET', 'a'), OOM, 'even a read is refused while queueing');
    assert.equal(await c.callText('EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');

    await c.call('CONFIG', 'SET', 'maxmemory', '0');
    const other = await RawClient.connect(nodis.port);
    try {
      assert.equal(await c.callText('MULTI'), '+OK\r\n');
      assert.equal(await c.callText('SET', 'b', 'x'), '+QUEUED\r\n');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      assert.equal(await c.callText('EXEC'), `-EXECABORT Transaction discarded because of: ${OOM.slice(1)}`);
      assert.equal(await c.callText('EXEC'), '-ERR EXEC without MULTI\r\n', 'the transaction was discarded');
      assert.equal(await c.callText('MULTI'), '+OK\r\n');
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
      assert.equal(await c.callText('GET', 'a'), '+QUEUED\r\n');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      assert.equal(await c.callText('EXEC'), `*1\r\n$200\r\n${VALUE}\r\n`, 'a transaction of reads still runs');
      assert.equal(await c.callText('GET', 'b'), '$-1\r\n');
    } finally {
      await other.call('CONFIG', 'SET', 'maxmemory', '0');
      other.close();
    }
  });

  test('allkeys-random: memory stays under the limit and survivors come from the whole history', async () => {
    const max = await limit('allkeys-random', 100_000);
    const cmds: string[][] = [];
    for (let i = 0; i < 2000; i++) cmds.push(['SET', `k:${i}`, VALUE]);
    const replies = await pipeline(c, cmds);
    assert.ok(replies.every((r) => r === '+OK\r\n'));
    await c.call('PING');
    assert.ok((await num(c, 'memory', 'used_memory')) <= max);
    const n = intValue(await c.value('DBSIZE'));
    assert.ok(n > 100 && n < 2000);
    assert.equal(await num(c, 'stats', 'evicted_keys'), 2000 - n);
    const survivors = await keys('k:*');
    const latest = [...survivors].filter((k) => Number(k.slice(2)) >= 2000 - n).length;
    assert.ok(latest < n, 'random eviction does not keep exactly the newest keys');
  });

  test('allkeys-lru: keys accessed between writes survive, old untouched keys go first', async () => {
    await pipeline(c, [['CONFIG', 'SET', 'maxmemory-samples', '10']]);
    await limit('allkeys-lru', 100_000);
    const hot = Array.from({ length: 40 }, (_, i) => `hot:${i}`);
    await pipeline(
      c,
      hot.map((k) => ['SET', k, VALUE]),
    );
    for (let batch = 0; batch < 40; batch++) {
      const cmds: string[][] = [];
      for (let i = 0; i < 50; i++) cmds.push(['SET', `cold:${batch}:${i}`, VALUE]);
      await pipeline(c, cmds);
      await pipeline(
        c,
        hot.map((k) => ['GET', k]),
      );
      // Time passing on purpose: separates the batches' access times (LRU has millisecond resolution).
      await sleep(3);
    }
    const survivors = await keys('*');
    const hotLeft = hot.filter((k) => survivors.has(k)).length;
    assert.ok(hotLeft >= 36, `hot keys survive (${hotLeft}/40)`);
    const oldCold = [...survivors].filter((k) => k.startsWith('cold:') && Number(k.split(':')[1]) < 20).length;
    assert.ok(oldCold <= 50, `the oldest cold keys are evicted (${oldCold} of 1000 left)`);
    assert.ok(survivors.size > 200);
  });

  test('allkeys-lfu: frequently read keys survive a flood of new keys', async () => {
    await pipeline(c, [['CONFIG', 'SET', 'lfu-log-factor', '0']]);
    try {
      await limit('allkeys-lfu', 100_000);
      const hot = Array.from({ length: 40 }, (_, i) => `hot:${i}`);
      await pipeline(
        c,
        hot.map((k) => ['SET', k, VALUE]),
      );
      for (let r = 0; r < 10; r++)
        await pipeline(
          c,
          hot.map((k) => ['GET', k]),
        );
      const cmds: string[][] = [];
      for (let i = 0; i < 2000; i++) cmds.push(['SET', `cold:${i}`, VALUE]);
      await pipeline(c, cmds);
      const survivors = await keys('*');
      assert.equal(hot.filter((k) => survivors.has(k)).length, 40);
      assert.ok(survivors.size > 200);
      const freq = await c.value('OBJECT', 'FREQ', 'hot:0');
      assert.ok(intValue(freq) > 5);
    } finally {
      await pipeline(c, [['CONFIG', 'SET', 'lfu-log-factor', '10']]);
    }
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    test(`${policy}: only keys with an expiry are evicted; when none is left writes get OOM`, async () => {
      await limit(policy, 100_000);
      const cmds: string[][] = [];
      for (let i = 0; i < 2000; i++) {
        cmds.push(['SET', `vol:${i}`, VALUE, 'EX', String(100_000 + i)]);
        if (i % 20 === 0) cmds.push(['SET', `keep:${i}`, VALUE]);
      }
      const replies = await pipeline(c, cmds);
      assert.ok(replies.every((r) => r === '+OK\r\n'));
      assert.equal((await keys('keep:*')).size, 100, 'keys without expiry all survive');
      const volatileLeft = (await keys('vol:*')).size;
      assert.ok(volatileLeft > 0 && volatileLeft < 2000);
      const more: string[][] = [];
      for (let i = 0; i < 1000; i++) more.push(['SET', `persist:${i}`, VALUE]);
      const last = await pipeline(c, more);
      assert.ok(last.includes(OOM), 'once the volatile keys are gone the limit is enforced');
      assert.equal((await keys('vol:*')).size, 0);
      assert.equal((await keys('keep:*')).size, 100);
    });
  }

  test('volatile-ttl: the keys expiring soonest are evicted first', async () => {
    await limit('volatile-ttl', 100_000);
    const rnd = xorshift32(42);
    const ttl = new Map<string, number>();
    const cmds: string[][] = [];
    for (let i = 0; i < 2000; i++) {
      const t = 1000 + rnd(99_000);
      ttl.set(`vol:${i}`, t);
      cmds.push(['SET', `vol:${i}`, VALUE, 'EX', String(t)]);
    }
    await pipeline(c, cmds);
    const survivors = [...(await keys('vol:*'))];
    assert.ok(survivors.length > 100);
    const mean = survivors.reduce((s, k) => s + ttl.get(k)!, 0) / survivors.length;
    assert.ok(mean > 65_000, `survivors have long TTLs (mean ${Math.round(mean)}, all keys ~50500)`);
  });

  test('evictions are propagated as DEL (UNLINK when lazy) and notified as "evicted"', async () => {
    const server = nodis.server;
    const stream: string[] = [];
    const sink = (b: Buffer) => void stream.push(b.toString('latin1'));
    const notified: string[] = [];
    server.events.onNotify((type, event, key) => {
      if (event === 'evicted') {
        assert.equal(type, 'e');
        notified.push(key);
      }
    });
    server.propagation.addSink(sink);
    try {
      for (const lazy of ['no', 'yes']) {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'SET', 'lazyfree-lazy-eviction', lazy);
        await c.call('CONFIG', 'SET', 'maxmemory', '0');
        const before = await num(c, 'stats', 'evicted_keys');
        stream.length = 0;
        notified.length = 0;
        await limit('allkeys-random', 50_000);
        const cmds: string[][] = [];
        for (let i = 0; i < 500; i++) cmds.push(['SET', `k:${i}`, VALUE]);
        await pipeline(c, cmds);
        const evicted = (await num(c, 'stats', 'evicted_keys')) - before;
        assert.ok(evicted > 0);
        assert.equal(notified.length, evicted);
        const verb = lazy === 'yes' ? 'UNLINK' : 'DEL';
        const deleted = [
          ...stream.join('').matchAll(new RegExp(`\\*2\\r\\n\\$${verb.length}\\r\\n${verb}\\r\\n\\$\\d+\\r\\n(k:\\d+)\\r\\n`, 'g')),
        ].map((m) => m[1]);
        assert.deepEqual(deleted, notified, `each eviction is one ${verb} in the stream, in order`);
        assert.ok(!stream.join('').includes('MULTI'), 'evictions are not wrapped with the command that follows');
      }
    } finally {
      server.propagation.removeSink(sink);
    }
  });

  test('lowering maxmemory evicts in the background, in short runs under a low tenacity, each DEL on its own', async () => {
    const server = nodis.server;
    const stream: string[] = [];
    const sink = (b: Buffer) => void stream.push(b.toString('latin1'));
    const cmds: string[][] = [];
    for (let i = 0; i < 3000; i++) cmds.push(['SET', `k:${i}`, VALUE]);
    await pipeline(c, cmds);
    await c.call('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '0');
    const before = await num(c, 'stats', 'evicted_keys');
    server.propagation.addSink(sink);
    try {
      const max = await limit('allkeys-lru', 100_000 - 3000 * 290);
      // No command is sent while waiting: only the cron can be evicting.
      await waitFor('the cron to finish the eviction', () => server.evictor.usedMemory() <= max);
    } finally {
      server.propagation.removeSink(sink);
    }
    // Redis sends the DELs of one eviction run unwrapped (propagate_no_multi).
    assert.ok(!stream.join('').includes('MULTI'), 'a run of evictions is not wrapped in MULTI/EXEC');
    const n = server.dbs[0]!.size;
    assert.ok(n > 100 && n < 3000);
    assert.equal((await num(c, 'stats', 'evicted_keys')) - before, 3000 - n);
  });

  test('a replica ignoring maxmemory never evicts', async () => {
    const server = nodis.server;
    await c.call('CONFIG', 'SET', 'maxmemory', '1');
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    assert.equal(server.evictor.limited, true);
    server.replicaLink.masterHost = '127.0.0.1';
    try {
      assert.equal(server.evictor.limited, false);
      await c.call('CONFIG', 'SET', 'replica-ignore-maxmemory', 'no');
      assert.equal(server.evictor.limited, true);
    } finally {
      server.replicaLink.masterHost = null;
      await c.call('CONFIG', 'SET', 'replica-ignore-maxmemory', 'yes');
    }
  });

  test('a mixed workload under changing policies never crashes and keeps the memory total exact', async () => {
    const server = nodis.server;
    const rnd = xorshift32(7);
    const policies = [
      'noeviction',
      'allkeys-lru',
      'volatile-lru',
      'allkeys-lfu',
      'volatile-lfu',
      'allkeys-random',
      'volatile-random',
      'volatile-ttl',
    ];
    await limit('allkeys-lru', 60_000);
    for (let round = 0; round < 40; round++) {
      const cmds: string[][] = [['CONFIG', 'SET', 'maxmemory-policy', policies[round % policies.length]!]];
      for (let i = 0; i < 200; i++) {
        const k = `k:${rnd(500)}`;
        switch (rnd(20)) {
          case 0:
            cmds.push(['SET', k, 'x'.repeat(rnd(2000))]);
            break;
          case 1:
            cmds.push(['SET', k, VALUE, 'EX', String(1 + rnd(1000))]);
            break;
          case 2:
            cmds.push(['APPEND', k, 'y'.repeat(rnd(300))]);
            break;
          case 3:
            cmds.push(['SETRANGE', k, String(rnd(500)), 'z']);
            break;
          case 4:
            cmds.push(['INCRBY', `n:${rnd(50)}`, String(rnd(1000))]);
            break;
          case 5:
            cmds.push(['DEL', k]);
            break;
          case 6:
            cmds.push(['GET', k]);
            break;
          case 7:
            cmds.push(['MSET', k, VALUE, `k:${rnd(500)}`, VALUE]);
            break;
          case 8:
            cmds.push(['SELECT', String(rnd(3))]);
            break;
          case 9:
            cmds.push(['SETBIT', k, String(rnd(4000)), '1']);
            break;
          case 10:
            cmds.push(rnd(20) === 0 ? ['SWAPDB', '0', '1'] : ['EXPIRE', k, String(1 + rnd(100))]);
            break;
          case 11:
            cmds.push(rnd(50) === 0 ? ['FLUSHDB'] : ['GETDEL', k]);
            break;
          // Aggregates, changed in place by their commands.
          case 12:
            cmds.push(['RPUSH', `l:${rnd(20)}`, ...Array.from({ length: 1 + rnd(20) }, () => 'e'.repeat(rnd(100)))]);
            break;
          case 13:
            cmds.push([rnd(2) === 0 ? 'LPOP' : 'RPOP', `l:${rnd(20)}`, String(1 + rnd(10))]);
            break;
          case 14:
            cmds.push(['HSET', `h:${rnd(20)}`, `f${rnd(200)}`, 'x'.repeat(rnd(100))]);
            break;
          case 15:
            cmds.push(['HDEL', `h:${rnd(20)}`, `f${rnd(200)}`]);
            break;
          case 16:
            cmds.push(['SADD', `s:${rnd(20)}`, String(rnd(1000)), `m${rnd(1000)}`]);
            break;
          case 17:
            cmds.push(['SREM', `s:${rnd(20)}`, String(rnd(1000)), `m${rnd(1000)}`]);
            break;
          case 18:
            cmds.push(['ZADD', `z:${rnd(20)}`, String(rnd(1000)), `m${rnd(300)}`]);
            break;
          default:
            cmds.push(['ZREM', `z:${rnd(20)}`, `m${rnd(300)}`]);
        }
      }
      const replies = await pipeline(c, cmds);
      for (const r of replies) assert.ok(!r.includes('internal error') && !r.startsWith('-WRONGTYPE'), r);
    }
    assert.equal(await c.callText('PING'), '+PONG\r\n');
    for (const db of server.dbs) {
      let n = 0;
      for (const [key, e] of db.dict) n += entryBytes(key, e.value);
      assert.equal(db.datasetBytes, n, `db ${db.id}: the incremental total equals a recount`);
    }
    await c.call('SELECT', '0');
  });
});
