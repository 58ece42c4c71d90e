/**
 * INFO commandstats (calls, rejected_calls, failed_calls) and INFO
 * errorstats compared with a real Redis after the same scenarios: which
 * command an error is pinned on inside MULTI/EXEC, queueing errors, and
 * blocked commands that end with an error (CLIENT UNBLOCK … ERROR, a
 * served BLMOVE whose destination has another type).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { serverPair, sleep } from '../support/compare.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const run = redisAvailable('command stats integration');

/** A scenario step: client `on` sends argv and reads `read` replies (0: none yet). */
interface Act {
  on: number;
  argv?: string[];
  read: number;
  /** Wait until this many clients are blocked before going on. */
  blocked?: number;
}

const send = (on: number, ...argv: string[]): Act => ({ on, argv, read: 1 });
const sendNoRead = (on: number, ...argv: string[]): Act => ({ on, argv, read: 0 });
const read = (on: number): Act => ({ on, read: 1 });
const waitBlocked = (n: number): Act => ({ on: 0, read: 0, blocked: n });

function text(v: RespValue): string {
  assert.ok(v.kind === 'bulk' || v.kind === 'verbatim', `unexpected ${v.kind}`);
  return v.value;
}

function intOf(v: RespValue): bigint {
  assert.ok(v.kind === 'int', `unexpected ${v.kind}`);
  return v.value;
}

/**
 * Plays acts on `clients` fresh connections (the first one's id is sent
 * as "$ID1" for CLIENT UNBLOCK), then returns the replies and the counters:
 * commandstats without timings (INFO itself left out: polling calls it),
 * errorstats and total_error_replies.
 */
async function play(port: number, clients: number, acts: readonly Act[]): Promise<{ replies: string[]; stats: string[] }> {
  const cs: RawClient[] = [];
  try {
    for (let i = 0; i < clients; i++) cs.push(await RawClient.connect(port));
    const ids = await Promise.all(cs.map(async (c) => String(intOf(await c.value('CLIENT', 'ID')))));
    await cs[0]!.call('FLUSHALL');
    await cs[0]!.call('CONFIG', 'RESETSTAT');
    const replies: string[] = [];
    for (const a of acts) {
      const c = cs[a.on]!;
      if (a.blocked !== undefined) {
        const deadline = Date.now() + 10_000;
        while (!text(await c.value('INFO', 'clients')).includes(`blocked_clients:${a.blocked}\r\n`)) {
          assert.ok(Date.now() < deadline, 'clients did not block');
          await sleep(5);
        }
        continue;
      }
      if (a.argv !== undefined) c.write(RawClient.encode(a.argv.map((x) => (x === '$ID1' ? ids[1]! : x))));
      for (let i = 0; i < a.read; i++) replies.push(`${a.on}: ${(await c.read()).raw.toString('latin1')}`);
    }
    const info = text(await cs[0]!.value('INFO', 'commandstats', 'errorstats', 'stats'));
    const stats = info
      .split('\r\n')
      .filter((l) => l.startsWith('cmdstat_') || l.startsWith('errorstat_') || l.startsWith('total_error_replies:'))
      .filter((l) => !l.startsWith('cmdstat_info:'))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
      .sort();
    return { replies, stats };
  } finally {
    for (const c of cs) c.close();
  }
}

const SCENARIOS: { name: string; clients: number; acts: Act[] }[] = [
  {
    name: 'a failing command inside EXEC fails itself, not EXEC; EXEC without MULTI fails EXEC',
    clients: 1,
    acts: [send(0, 'MULTI'), send(0, 'SET', 'a', 'b'), send(0, 'AUTH', 'a'), send(0, 'EXEC'), send(0, 'EXEC')],
  },
  {
    name: 'a queueing error is a rejected call; the EXECABORT fails EXEC',
    clients: 1,
    acts: [send(0, 'MULTI'), send(0, 'SET'), send(0, 'NOSUCH'), send(0, 'EXEC'), send(0, 'GET', 'a', 'b')],
  },
  {
    name: 'CLIENT UNBLOCK … ERROR fails the blocked command',
    clients: 2,
    acts: [sendNoRead(1, 'BLPOP', 'list', '0'), waitBlocked(1), send(0, 'CLIENT', 'UNBLOCK', '$ID1', 'ERROR'), read(1)],
  },
  {
    name: 'CLIENT UNBLOCK … TIMEOUT does not fail it',
    clients: 2,
    acts: [sendNoRead(1, 'BLPOP', 'list', '0'), waitBlocked(1), send(0, 'CLIENT', 'UNBLOCK', '$ID1', 'TIMEOUT'), read(1)],
  },
  {
    name: 'a blocked BLMOVE served into a destination of another type fails',
    clients: 2,
    acts: [
      sendNoRead(1, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'),
      waitBlocked(1),
      send(0, 'SET', 'dst', 'x'),
      send(0, 'RPUSH', 'src', 'a'),
      read(1),
      send(0, 'LLEN', 'src'),
    ],
  },
];

describe('commandstats and errorstats: nodis vs redis-server', { skip: !run }, () => {
  const pair = serverPair();
  for (const s of SCENARIOS) {
    test(s.name, async () => {
      const redis = await play(pair.redis.port, s.clients, s.acts);
      const nodis = await play(pair.nodis.port, s.clients, s.acts);
      assert.deepEqual(nodis, redis);
    });
  }
});
