/**
 * The fork-less snapshot is point-in-time: BGSAVE while a client writes as
 * fast as it can, then check that the file equals the dataset at the cut.
 *
 * How the cut is found: every write is a transaction that also increments
 * the counter `ops` in db 0, so the file's `ops` is the number N of writes
 * that happened before the cut. The writes are a deterministic sequence
 * (seeded), so replaying the first N of them on a fresh server from the
 * same starting data must give a dataset whose DEBUG DIGEST equals the
 * loaded file's. The sequence mixes every kind of change the snapshot must
 * copy before it happens: overwrites, in-place changes of every type,
 * deletions, expiries set and removed, renames, moves across dbs, SWAPDB
 * and FLUSHDB.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { xorshift32 } from '../support/random.js';
import { tempDirFor } from '../support/temp-dir.js';

/** Keys per family in the starting data. */
const STRINGS = 60000;
const AGGREGATES = 2000;
const FAR_FUTURE = '99999999999999';

/** The starting data, as commands for db 0..2. */
function preload(): string[][] {
  const cmds: string[][] = [['DEBUG', 'POPULATE', String(STRINGS), 's', '20']];
  for (let i = 0; i < AGGREGATES; i++) {
    cmds.push(['RPUSH', `l:${i}`, 'a', 'b', String(i)]);
    cmds.push(['HSET', `h:${i}`, 'f', String(i), 'g', 'x']);
    cmds.push(['ZADD', `z:${i}`, '1', 'a', String(i), 'b']);
    cmds.push(['SADD', `t:${i}`, String(i), 'm']);
  }
  for (const db of ['1', '2']) {
    cmds.push(['SELECT', db]);
    for (let i = 0; i < 500; i++) cmds.push(['SET', `d${db}:${i}`, `v${i}`]);
    cmds.push(['SELECT', '0']);
  }
  return cmds;
}

/** Write number i of the seeded sequence: [db, argv]. */
function writeOp(rand: (n: number) => number, i: number): [number, string[]] {
  const s = `s:${rand(STRINGS)}`;
  const a = rand(AGGREGATES);
  switch (rand(16)) {
    case 0:
      return [0, ['SET', s, `w${i}`]];
    case 1:
      return [0, ['DEL', s]];
    case 2:
      return [0, ['APPEND', s, `+${i}`]];
    case 3:
      return [0, ['LPUSH', `l:${a}`, String(i)]];
    case 4:
      return [0, ['RPOP', `l:${a}`]];
    case 5:
      return [0, ['HSET', `h:${a}`, `f${rand(300)}`, String(i)]];
    case 6:
      return [0, ['ZADD', `z:${a}`, String(i), `m${rand(300)}`]];
    case 7:
      return [0, ['SREM', `t:${a}`, 'm']];
    case 8:
      return [0, ['SADD', `t:${a}`, `n${i}`]];
    case 9:
      return [0, ['PEXPIREAT', s, FAR_FUTURE]];
    case 10:
      return [0, ['PERSIST', s]];
    case 11:
      return [0, ['RENAME', s, `s:${rand(STRINGS)}`]];
    case 12:
      return [0, ['MOVE', s, '1']];
    case 13:
      return [1, ['SET', `d1:${rand(500)}`, `w${i}`]];
    case 14:
      return [2, ['DEL', `d2:${rand(500)}`]];
    default:
      return rand(50) === 0 ? [0, ['SWAPDB', '1', '2']] : [0, ['INCR', s]];
  }
}

/** The transaction that performs write i and counts it. */
function transaction(db: number, argv: string[]): string[][] {
  const body = db === 0 ? [argv] : [['SELECT', String(db)], argv, ['SELECT', '0']];
  return [['MULTI'], ...body, ['INCR', 'ops'], ['EXEC']];
}

/** Sends cmds pipelined and waits for all replies. */
async function pipeline(c: RawClient, cmds: string[][]): Promise<void> {
  c.write(Buffer.concat(cmds.map((argv) => RawClient.encode(argv))));
  for (let i = 0; i < cmds.length; i++) await c.read(30000);
}

async function digest(c: RawClient): Promise<string> {
  return ((await c.value('DEBUG', 'DIGEST')) as { value: string }).value;
}

describe('BGSAVE under concurrent writes', () => {
  const dir = tempDirFor('nodis-snapshot-');

  test('the file equals the dataset at the cut', async () => {
    const config = { dir: dir(), save: '', 'enable-debug-command': 'yes' };
    const a = await startNodis({ config });
    const writer = await RawClient.connect(a.port);
    const admin = await RawClient.connect(a.port);
    let sent = 0;
    try {
      await pipeline(writer, preload());
      const rand = xorshift32(20261125);
      let stop = false;
      const writing = (async () => {
        while (!stop) {
          const batch: string[][] = [];
          for (let k = 0; k < 20; k++) batch.push(...transaction(...writeOp(rand, sent++)));
          await pipeline(writer, batch);
        }
      })();
      // Let writes start, then cut while they keep coming.
      while (sent < 200) await new Promise((r) => setTimeout(r, 1));
      assert.equal(((await admin.value('BGSAVE')) as { value: string }).value, 'Background saving started');
      for (;;) {
        const info = ((await admin.value('INFO', 'persistence')) as { value: string }).value;
        if (info.includes('rdb_bgsave_in_progress:0')) {
          assert.match(info, /rdb_last_bgsave_status:ok/);
          const cow = Number(/rdb_last_cow_size:(\d+)/.exec(info)![1]);
          assert.ok(cow > 0, 'writes hit keys the snapshot had not written yet (copy-on-write happened)');
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const sentAtEnd = sent;
      stop = true;
      await writing;

      const loaded = await startNodis({ config });
      const replay = await startNodis({ config: { save: '', 'enable-debug-command': 'yes' } });
      const lc = await RawClient.connect(loaded.port);
      const rc = await RawClient.connect(replay.port);
      try {
        const n = Number(((await lc.value('GET', 'ops')) as { value: string }).value);
        assert.ok(n > 0 && n < sentAtEnd, `the cut fell inside the write stream (${n} of ${sentAtEnd})`);
        await pipeline(rc, preload());
        const again = xorshift32(20261125);
        const cmds: string[][] = [];
        for (let i = 0; i < n; i++) cmds.push(...transaction(...writeOp(again, i)));
        await pipeline(rc, cmds);
        assert.equal(await digest(lc), await digest(rc));
      } finally {
        lc.close();
        rc.close();
        await loaded.stop();
        await replay.stop();
      }
    } finally {
      writer.close();
      admin.close();
      await a.stop();
    }
  });
});
