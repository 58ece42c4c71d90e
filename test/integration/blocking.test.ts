/**
 * Blocking list commands over real sockets with several clients: serving
 * order, wake-ups by pushes, by EXEC, and by BLMOVE onto a waited key, the
 * replication of served pops compared with a real Redis's AOF, timeouts,
 * CLIENT UNBLOCK, CLIENT KILL, INFO and CLIENT LIST, and the idle timeout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, startNodis, startRedis, withNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { AOF_ALWAYS, commandsOf } from '../support/compare.js';
import { waitFor } from '../support/wait.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const run = redisAvailable('blocking integration');

/** Waits until the server reports n blocked clients (via INFO), so blocking order is known. */
async function untilBlocked(admin: RawClient, n: number): Promise<void> {
  const blocked = async () => ((await admin.value('INFO', 'clients')) as { value: string }).value.includes(`blocked_clients:${n}\r\n`);
  await waitFor(`${n} blocked clients`, blocked);
}

/** Opens n connections to port. */
async function connectMany(port: number, n: number): Promise<RawClient[]> {
  const out: RawClient[] = [];
  for (let i = 0; i < n; i++) out.push(await RawClient.connect(port));
  return out;
}

/**
 * A scenario run identically on Redis and nodis: waiters block in order,
 * then a pusher acts; returns each waiter's reply and the final lists.
 */
async function scenario(port: number): Promise<string[]> {
  const [admin, w1, w2, w3, w4, w5, pusher] = await connectMany(port, 7);
  try {
    await admin!.call('FLUSHALL');
    const replies: Promise<string>[] = [];
    const waitOn = async (c: RawClient, n: number, ...argv: string[]) => {
      c.write(RawClient.encode(argv));
      await untilBlocked(admin!, n);
      replies.push(c.readText());
    };
    await waitOn(w1!, 1, 'BLPOP', 'l1', 'l2', '0');
    await waitOn(w2!, 2, 'BRPOP', 'l2', '0');
    await waitOn(w3!, 3, 'BLMOVE', 'l2', 'l3', 'RIGHT', 'LEFT', '0');
    await waitOn(w4!, 4, 'BLMPOP', '0', '2', 'l9', 'l3', 'RIGHT', 'COUNT', '5');
    await waitOn(w5!, 5, 'BRPOPLPUSH', 'l3', 'l4', '0');
    await pusher!.call('RPUSH', 'l2', 'a', 'b', 'c', 'd');
    const first = await Promise.all(replies.slice(0, 4));
    await untilBlocked(admin!, 1);
    await pusher!.call('MULTI');
    await pusher!.call('RPUSH', 'l3', 'x');
    await pusher!.call('RPUSH', 'l3', 'y');
    await pusher!.call('EXEC');
    const last = await replies[4]!;
    const state = [];
    for (const k of ['l2', 'l3', 'l4']) state.push(await admin!.callText('LRANGE', k, '0', '-1'));
    return [...first, last, ...state];
  } finally {
    for (const c of [admin, w1, w2, w3, w4, w5, pusher]) c!.close();
  }
}

/**
 * Sorted-set waiters, with a list waiter on the same key that a sorted set
 * must skip (it is released by CLIENT UNBLOCK at the end).
 */
async function zsetScenario(port: number): Promise<string[]> {
  const [admin, w1, w2, w3, w4, pusher] = await connectMany(port, 6);
  try {
    await admin!.call('FLUSHALL');
    await w2!.call('HELLO', '3');
    const replies: Promise<string>[] = [];
    const waitOn = async (c: RawClient, n: number, ...argv: string[]) => {
      c.write(RawClient.encode(argv));
      await untilBlocked(admin!, n);
      replies.push(c.readText());
    };
    await waitOn(w1!, 1, 'BLPOP', 'q', '0');
    await waitOn(w2!, 2, 'BZPOPMAX', 'q', '0');
    await waitOn(w3!, 3, 'BZMPOP', '0', '1', 'q', 'MIN', 'COUNT', '2');
    await waitOn(w4!, 4, 'BZPOPMIN', 'q', '0');
    await pusher!.call('ZADD', 'q', '1', 'x', '2', 'y', '3.5', 'z');
    const served = await Promise.all(replies.slice(1, 3));
    await untilBlocked(admin!, 2);
    await pusher!.call('ZUNIONSTORE', 'q', '1', 'nokey');
    await pusher!.call('ZADD', 'q', '7', 'w');
    served.push(await replies[3]!);
    const list = ((await admin!.value('CLIENT', 'LIST')) as { value: string }).value;
    const w1id = /id=(\d+) [^\n]*cmd=blpop/.exec(list)![1]!;
    await admin!.call('CLIENT', 'UNBLOCK', w1id);
    served.push(await replies[0]!);
    return served;
  } finally {
    for (const c of [admin, w1, w2, w3, w4, pusher]) c!.close();
  }
}

/** Runs a scenario on Redis (with AOF) and nodis; returns both replies and both effect streams. */
async function onBoth(fn: (port: number) => Promise<string[]>): Promise<{ want: string[]; got: string[]; aof: string; effects: string }> {
  const redis = await startRedis(AOF_ALWAYS);
  const nodis = await startNodis();
  const effects: Buffer[] = [];
  nodis.server.propagation.addSink((b) => effects.push(b));
  try {
    const aofDir = join(redis.dir, 'appendonlydir');
    const incr = () =>
      readFileSync(
        join(
          aofDir,
          readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!,
        ),
      );
    const start = incr().length;
    const want = await fn(redis.port);
    const got = await fn(nodis.port);
    // Redis's AOF holds what followed its initial SELECT; nodis's stream starts with one.
    const dropSelect = (s: string) => s.replace(/^\*2\r\n\$6\r\nSELECT\r\n\$1\r\n0\r\n/, '');
    return {
      want,
      got,
      aof: dropSelect(incr().subarray(start).toString('latin1')),
      effects: dropSelect(Buffer.concat(effects).toString('latin1')),
    };
  } finally {
    await nodis.stop();
    await redis.stop();
  }
}

describe('blocking: compared with Redis', { skip: !run }, () => {
  test('lists: serving order, chained BLMOVE wake-ups, EXEC wake-ups and their replication', async () => {
    const r = await onBoth(scenario);
    assert.deepEqual(r.got, r.want);
    assert.equal(r.effects, r.aof);
  });

  test('sorted sets: serving order, list waiters skipped, RESP3 scores and replication', async () => {
    const r = await onBoth(zsetScenario);
    assert.deepEqual(r.got, r.want);
    assert.equal(r.effects, r.aof);
  });
});

describe('blocking: several clients', () => {
  test('a timeout answers a null array (RESP2) or null (RESP3) and frees the client', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        await b.call('HELLO', '3');
        assert.equal(await a.callText('BLPOP', 'k', '0.02'), '*-1\r\n');
        assert.equal(await b.callText('BRPOPLPUSH', 'k', 'd', '0.02'), '_\r\n');
        assert.equal(await a.callText('PING'), '+PONG\r\n');
        assert.equal(srv.server.blocking.blockedCount, 0);
      } finally {
        b.close();
      }
    });
  });

  test('commands pipelined after a blocking one wait for it', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        a.write(Buffer.concat([RawClient.encode(['BLPOP', 'k', '0']), RawClient.encode(['PING'])]));
        await untilBlocked(b, 1);
        await b.call('LPUSH', 'k', 'v');
        assert.equal(await a.readText(), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
        assert.equal(await a.readText(), '+PONG\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('a key pushed and emptied within one EXEC wakes nobody', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        a.write(RawClient.encode(['BLPOP', 'k', '0']));
        await untilBlocked(b, 1);
        await b.call('MULTI');
        await b.call('RPUSH', 'k', 'v');
        await b.call('DEL', 'k');
        await b.call('EXEC');
        await b.call('RPUSH', 'k', 'w');
        assert.equal(await a.readText(), '*2\r\n$1\r\nk\r\n$1\r\nw\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('a key that expired inside the EXEC that pushed it (DEBUG SLEEP) is deleted, not served', async () => {
    await withNodis({ config: { 'enable-debug-command': 'yes' } }, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        await b.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
        const id = ((await a.value('CLIENT', 'ID')) as { value: bigint }).value;
        a.write(RawClient.encode(['BRPOP', 'k', '0']));
        await untilBlocked(b, 1);
        const effects: Buffer[] = [];
        srv.server.propagation.addSink((buf: Buffer) => effects.push(buf));
        await b.call('MULTI');
        await b.call('RPUSH', 'k', 'hello');
        await b.call('PEXPIRE', 'k', '100');
        await b.call('DEBUG', 'SLEEP', '0.2');
        assert.equal(await b.callText('EXEC'), '*3\r\n:1\r\n:1\r\n+OK\r\n');
        assert.match(await b.callText('CLIENT', 'LIST', 'ID', String(id)), /flags=b /);
        const cmds = commandsOf(Buffer.concat(effects)).map((argv) => argv[0]!.toUpperCase());
        assert.deepEqual(cmds.slice(-5), ['MULTI', 'RPUSH', 'PEXPIREAT', 'EXEC', 'DEL'], 'the expired key deleted when the waiter looked');
        await b.call('CLIENT', 'UNBLOCK', String(id));
        assert.equal(await a.readText(), '*-1\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('a string on the waited key leaves the client waiting; a wait on another db is separate', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        a.write(RawClient.encode(['BLPOP', 'k', '0']));
        await untilBlocked(b, 1);
        await b.call('SET', 'k', 'str');
        await b.call('SELECT', '1');
        await b.call('RPUSH', 'k', 'other-db');
        await b.call('SELECT', '0');
        await b.call('DEL', 'k');
        await b.call('RPUSH', 'k', 'v');
        assert.equal(await a.readText(), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('a list arriving by RENAME, COPY, MOVE or SWAPDB wakes the waiter', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        const cases: [string, string[][]][] = [
          [
            'k1',
            [
              ['RPUSH', 'src', 'v'],
              ['RENAME', 'src', 'k1'],
            ],
          ],
          [
            'k2',
            [
              ['RPUSH', 'src', 'v'],
              ['COPY', 'src', 'k2'],
            ],
          ],
          [
            'k3',
            [
              ['SELECT', '2'],
              ['RPUSH', 'k3', 'v'],
              ['MOVE', 'k3', '0'],
              ['SELECT', '0'],
            ],
          ],
          [
            'k4',
            [
              ['SELECT', '1'],
              ['RPUSH', 'k4', 'v'],
              ['SELECT', '0'],
              ['SWAPDB', '0', '1'],
            ],
          ],
        ];
        for (const [key, steps] of cases) {
          a.write(RawClient.encode(['BLPOP', key, '0']));
          await untilBlocked(b, 1);
          for (const step of steps) await b.call(...step);
          assert.equal(await a.readText(), `*2\r\n$2\r\n${key}\r\n$1\r\nv\r\n`, key);
        }
      } finally {
        b.close();
      }
    });
  });

  test('CLIENT UNBLOCK with TIMEOUT and ERROR, CLIENT LIST flag b, INFO counts', async () => {
    await withNodis({}, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        const id = String(((await a.value('CLIENT', 'ID')) as { value: bigint }).value);
        a.write(RawClient.encode(['BLPOP', 'k', '100']));
        await untilBlocked(b, 1);
        const info = ((await b.value('INFO', 'clients')) as { value: string }).value;
        assert.match(info, /clients_in_timeout_table:1\r\n/);
        const list = ((await b.value('CLIENT', 'LIST')) as { value: string }).value;
        assert.match(list, new RegExp(`id=${id} .* flags=b .*cmd=blpop`));
        assert.equal(await b.callText('CLIENT', 'UNBLOCK', id), ':1\r\n');
        assert.equal(await a.readText(), '*-1\r\n');
        assert.equal(await b.callText('CLIENT', 'UNBLOCK', id), ':0\r\n');
        a.write(RawClient.encode(['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0']));
        await untilBlocked(b, 1);
        assert.equal(await b.callText('CLIENT', 'UNBLOCK', id, 'ERROR'), ':1\r\n');
        assert.equal(await a.readText(), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
        assert.equal(await a.callText('PING'), '+PONG\r\n');
      } finally {
        b.close();
      }
    });
  });

  test('CLIENT KILL closes a blocked client, which is then never served', async () => {
    await withNodis({}, async (srv, a) => {
      const [b, c] = await connectMany(srv.port, 2);
      try {
        const id = String(((await b!.value('CLIENT', 'ID')) as { value: bigint }).value);
        b!.write(RawClient.encode(['BLPOP', 'k', '0']));
        c!.write(RawClient.encode(['BLPOP', 'k', '0']));
        await untilBlocked(a, 2);
        assert.equal(await a.callText('CLIENT', 'KILL', 'ID', id), ':1\r\n');
        await b!.waitClosed();
        await untilBlocked(a, 1);
        await a.call('RPUSH', 'k', 'v');
        assert.equal(await c!.readText(), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
        assert.equal(await a.callText('EXISTS', 'k'), ':0\r\n');
      } finally {
        b!.close();
        c!.close();
      }
    });
  });

  test('the idle timeout does not close a blocked client', async () => {
    await withNodis({ config: { timeout: '1' } }, async (srv, a) => {
      const b = await RawClient.connect(srv.port);
      try {
        b.write(RawClient.encode(['BLPOP', 'k', '0']));
        await untilBlocked(a, 1);
        for (const c of srv.server.clients.values()) c.lastInteraction -= 10_000;
        (srv.server.cron as unknown as { closeIdleClients(): void }).closeIdleClients();
        assert.equal(b.isClosed, false);
        const other = await RawClient.connect(srv.port);
        await other.call('RPUSH', 'k', 'v');
        other.close();
        assert.equal(await b.readText(), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
      } finally {
        b.close();
      }
    });
  });
});
