/**
 * List commands over real sockets, side by side with a real Redis: the
 * replicated effects of every write (against Redis's AOF), the keyspace
 * notifications each command emits (against Redis's __keyevent messages),
 * which commands invalidate a WATCH, keyspace hits and misses, and a list
 * of a million elements.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { startTargets, stopTargets, type Target } from '../support/targets.js';
import { RawClient } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf, effectsOnBoth, serverPair, type Step } from '../support/compare.js';

const run = redisAvailable('lists integration');

/** Every list write, including no-ops and errors, which must replicate (or not) exactly as Redis's do. */
const WRITES: Step[] = [
  ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'a', 'b'],
  ['LPUSH', 'l', 'z'],
  ['LPUSHX', 'nokey', 'x'],
  ['RPUSHX', 'l', 'y'],
  ['LPOP', 'l'],
  ['RPOP', 'l', '2'],
  ['RPOP', 'l', '0'],
  ['LPOP', 'nokey', '3'],
  ['LPOP', 'l', '-1'],
  ['LSET', 'l', '0', 'X'],
  ['LSET', 'l', '0', 'X'],
  ['LSET', 'l', '99', 'X'],
  ['LINSERT', 'l', 'BEFORE', 'X', 'P'],
  ['LINSERT', 'l', 'AFTER', 'nope', 'P'],
  ['LINSERT', 'nokey', 'AFTER', 'X', 'P'],
  ['LREM', 'l', '0', 'nope'],
  ['LREM', 'l', '-1', 'a'],
  ['LTRIM', 'l', '0', '-1'],
  ['LTRIM', 'l', '1', '-2'],
  ['LTRIM', 'nokey', '0', '1'],
  ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
  ['LMOVE', 'nokey', 'm', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 'l', 'l'],
  ['RPOPLPUSH', 'm', 'n'],
  ['LMPOP', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '2'],
  ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '10'],
  ['LMPOP', '1', 'nokey', 'LEFT'],
  ['RPUSH', 'q', '1'],
  ['LMOVE', 'q', 'q', 'LEFT', 'LEFT'],
  ['LMOVE', 'q', 'r', 'LEFT', 'LEFT'],
  ['RPUSH', 's', '1', '2'],
  ['LTRIM', 's', '5', '10'],
  ['RPUSH', 't', '1'],
  ['LREM', 't', '0', '1'],
  ['SELECT', '2'],
  ['RPUSH', 'x', '1', '2'],
  ['LMPOP', '1', 'x', 'RIGHT'],
  ['SELECT', '0'],
];

describe('lists: replicated effects match Redis', { skip: !run }, () => {
  const pair = serverPair(AOF_ALWAYS);

  test('writes replicate as sent, LMPOP as LPOP/RPOP of what it popped, no-ops not at all', async () => {
    const r = await effectsOnBoth(pair, WRITES);
    assert.deepEqual(r.nodis, r.redis, 'replies');
    const got = commandsOf(r.effects);
    assert.ok(got.length >= 25, `the script replicates many effects (${got.length})`);
    assert.deepEqual(got, commandsOf(r.aof));
  });
});

/** Commands whose keyspace events are compared; the last one's event ends the capture. */
const EVENT_SCRIPT: string[][] = [
  ...(WRITES.filter((s) => Array.isArray(s) && s[0] !== 'SELECT') as string[][]),
  ['RPUSH', 'u', '1'],
  ['LSET', 'u', '0', '1'],
  ['RPUSH', 'v', 'a', 'b'],
  ['LPOP', 'v', '2'],
  ['RPUSH', 'w', 'a'],
  ['RPOP', 'w'],
  ['RPUSH', 'end', 'x'],
];

/** The (event, key) pairs Redis publishes on __keyevent@0__ channels while script runs. */
async function redisEvents(port: number, script: readonly string[][]): Promise<string[]> {
  const sub = await RawClient.connect(port);
  const cmd = await RawClient.connect(port);
  try {
    await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
    for (const s of script) await cmd.call(...s);
    const out: string[] = [];
    for (;;) {
      const msg = (await sub.read()).value as { items: { value: string }[] };
      const [, , channel, key] = msg.items.map((i) => i.value);
      const event = `${channel!.slice('__keyevent@0__:'.length)} ${key}`;
      if (event === 'rpush end') return out;
      out.push(event);
    }
  } finally {
    sub.close();
    cmd.close();
  }
}

/** The (event, key) pairs nodis signals while script runs (new-key and key-miss events left out, as KEA does). */
async function nodisEvents(t: Target, script: readonly string[][]): Promise<string[]> {
  const out: string[] = [];
  t.nodis!.server.events.onNotify((type, event, key, dbId) => {
    if (dbId === 0 && type !== 'n' && type !== 'm') out.push(`${event} ${key}`);
  });
  const cmd = await RawClient.connect(t.port);
  try {
    for (const s of script) await cmd.call(...s);
  } finally {
    cmd.close();
  }
  assert.equal(out.pop(), 'rpush end');
  return out;
}

describe('lists: signals side by side with Redis', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(run);
  });
  after(() => stopTargets(targets));

  test('keyspace notifications: names and order as Redis emits them', async () => {
    const nodis = targets[targets.length - 1]!;
    const mine = await nodisEvents(nodis, EVENT_SCRIPT);
    assert.deepEqual(mine.slice(0, 4), ['rpush l', 'lpush l', 'rpush l', 'lpop l']);
    assert.ok(mine.includes('rpush m') && mine.includes('del q') && mine.includes('ltrim s'), mine.join(', '));
    if (targets.length === 2) assert.deepEqual(mine, await redisEvents(targets[0]!.port, EVENT_SCRIPT));
  });

  test('WATCH is invalidated by exactly the list writes that Redis counts as changes', async () => {
    const probes: string[][][] = [
      [['RPUSH', 'k', 'a']],
      [['LPUSHX', 'k', 'a']],
      [['LPUSHX', 'nokey', 'a']],
      [['LPOP', 'k']],
      [['LPOP', 'k', '0']],
      [['LSET', 'k', '0', 'a']],
      [['LINSERT', 'k', 'BEFORE', 'nope', 'x']],
      [['LINSERT', 'k', 'BEFORE', 'a', 'x']],
      [['LREM', 'k', '0', 'nope']],
      [['LREM', 'k', '1', 'a']],
      [['LTRIM', 'k', '0', '-1']],
      [['LTRIM', 'k', '1', '0']],
      [['LMOVE', 'k', 'k', 'LEFT', 'RIGHT']],
      [['LMOVE', 'o', 'k', 'LEFT', 'RIGHT']],
      [['LMPOP', '1', 'k', 'LEFT']],
      [
        ['LRANGE', 'k', '0', '-1'],
        ['LINDEX', 'k', '0'],
        ['LPOS', 'k', 'a'],
        ['LLEN', 'k'],
      ],
    ];
    const results: string[][] = [];
    for (const t of targets) {
      const a = await RawClient.connect(t.port);
      const b = await RawClient.connect(t.port);
      const got: string[] = [];
      try {
        for (const cmds of probes) {
          await a.call('FLUSHALL');
          await a.call('RPUSH', 'k', 'a', 'b', 'a');
          await a.call('RPUSH', 'o', 'z');
          await a.call('WATCH', 'k');
          for (const c of cmds) await b.call(...c);
          await a.call('MULTI');
          await a.call('PING');
          got.push(`${cmds[0]!.join(' ')} → ${(await a.call('EXEC')).raw.toString('latin1')}`);
        }
      } finally {
        a.close();
        b.close();
      }
      results.push(got);
    }
    if (results.length === 2) assert.deepEqual(results[1], results[0]);
    const mine = results[results.length - 1]!;
    assert.equal(mine[0], 'RPUSH k a → *-1\r\n');
    assert.equal(mine[mine.length - 1], 'LRANGE k 0 -1 → *1\r\n+PONG\r\n');
  });

  test('reads count keyspace hits and misses; writes do not', async () => {
    const steps: string[][] = [
      ['RPUSH', 'l', 'a', 'b'],
      ['SET', 's', 'v'],
      ['LLEN', 'l'],
      ['LLEN', 'nokey'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'nokey', '0', '1'],
      ['LRANGE', 'l', 'x', '1'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'nokey', 'x'],
      ['LINDEX', 's', '0'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'nokey', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPUSH', 'l', 'x'],
      ['LPOP', 'nokey'],
      ['LSET', 'nokey', '0', 'x'],
      ['LMOVE', 'l', 'nokey2', 'LEFT', 'LEFT'],
      ['LMPOP', '2', 'nokey', 'l', 'LEFT'],
      ['LTRIM', 'l', '0', '0'],
      ['LREM', 'nokey', '0', 'a'],
    ];
    const results: [number, number][] = [];
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        await c.call('CONFIG', 'RESETSTAT');
        for (const s of steps) await c.call(...s);
        const info = ((await c.call('INFO', 'stats')).value as { value: string }).value;
        const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)![1]);
        results.push([field('keyspace_hits'), field('keyspace_misses')]);
      } finally {
        c.close();
      }
    }
    if (results.length === 2) assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[results.length - 1], [5, 4]);
  });
});

describe('lists: a million elements', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(false);
  });
  after(() => stopTargets(targets));

  test('pushes, indexes near both ends, ranges and pops stay cheap', async () => {
    const c = await RawClient.connect(targets[0]!.port);
    try {
      const batch: string[] = [];
      for (let i = 0; i < 1000; i++) batch.push(String(i));
      for (let i = 0; i < 1000; i++) await c.call('RPUSH', 'big', ...batch);
      assert.equal(await c.callText('LLEN', 'big'), ':1000000\r\n');
      assert.equal(await c.callText('LINDEX', 'big', '0'), '$1\r\n0\r\n');
      assert.equal(await c.callText('LINDEX', 'big', '-1'), '$3\r\n999\r\n');
      assert.equal(await c.callText('LINDEX', 'big', '500000'), '$1\r\n0\r\n');
      assert.equal(await c.callText('LRANGE', 'big', '-2', '-1'), '*2\r\n$3\r\n998\r\n$3\r\n999\r\n');
      assert.equal(await c.callText('LPUSH', 'big', 'head'), ':1000001\r\n');
      assert.equal(await c.callText('LPOP', 'big', '2'), '*2\r\n$4\r\nhead\r\n$1\r\n0\r\n');
      assert.equal(await c.callText('RPOP', 'big'), '$3\r\n999\r\n');
      assert.equal(await c.callText('LTRIM', 'big', '1', '-2'), '+OK\r\n');
      assert.equal(await c.callText('LLEN', 'big'), ':999996\r\n');
      assert.equal(await c.callText('OBJECT', 'ENCODING', 'big'), '$9\r\nquicklist\r\n');
    } finally {
      c.close();
    }
  });
});
