/**
 * RDB persistence commands over real sockets: SAVE, BGSAVE (SCHEDULE),
 * LASTSAVE, INFO persistence, save points, MISCONF after a failed save,
 * DEBUG RELOAD, FLUSHALL's save, and saving on SHUTDOWN / SIGTERM with the
 * file loaded again at start-up.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startNodis, startNodisProcess } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { tempDirFor } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

async function text(c: RawClient, ...argv: string[]): Promise<string> {
  return (await c.callText(...argv)).trimEnd();
}

async function infoField(c: RawClient, name: string): Promise<string> {
  const info = ((await c.value('INFO', 'persistence')) as { value: string }).value;
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  assert.ok(m !== null, `INFO has ${name}`);
  return m[1]!.trim();
}

async function waitBgsave(c: RawClient): Promise<void> {
  await waitFor('the background save to end', async () => (await infoField(c, 'rdb_bgsave_in_progress')) === '0');
}

async function digest(c: RawClient): Promise<string> {
  return ((await c.value('DEBUG', 'DIGEST')) as { value: string }).value;
}

describe('SAVE, BGSAVE, LASTSAVE and INFO persistence', () => {
  const dir = tempDirFor('nodis-persist-');

  test('saves, counts changes, reloads at start-up', async () => {
    const config = { dir: dir(), 'enable-debug-command': 'yes' };
    const srv = await startNodis({ config });
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('SET', 'a', '1');
      await c.call('RPUSH', 'l', 'x', 'y');
      assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '3');
      assert.equal(await text(c, 'SAVE'), '+OK');
      assert.ok(existsSync(join(dir(), 'dump.rdb')));
      assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '0');
      assert.equal(await infoField(c, 'rdb_saves'), '1');
      const lastsave = Number((await text(c, 'LASTSAVE')).slice(1));
      assert.ok(Math.abs(lastsave - Date.now() / 1000) < 5);
      await c.call('SADD', 's', 'm');
      assert.equal(await text(c, 'BGSAVE'), '+Background saving started');
      await waitBgsave(c);
      assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'ok');
      assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '0');
      assert.equal(await text(c, 'BGSAVE', 'now'), '-ERR syntax error');
      const before = await digest(c);
      const again = await startNodis({ config });
      const c2 = await RawClient.connect(again.port);
      assert.equal(await digest(c2), before);
      assert.equal(await infoField(c2, 'rdb_last_load_keys_loaded'), '3');
      c2.close();
      await again.stop();
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('BGSAVE while one runs; SCHEDULE', async () => {
    const own = join(dir(), 'schedule');
    mkdirSync(own);
    const srv = await startNodis({ config: { dir: own, 'enable-debug-command': 'yes' } });
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('DEBUG', 'POPULATE', '200000');
      c.write(
        Buffer.concat([
          RawClient.encode(['BGSAVE']),
          RawClient.encode(['BGSAVE']),
          RawClient.encode(['SAVE']),
          RawClient.encode(['BGSAVE', 'SCHEDULE']),
        ]),
      );
      assert.equal(await c.readText(), '+Background saving started\r\n');
      assert.equal(await c.readText(), '-ERR Background save already in progress\r\n');
      assert.equal(await c.readText(), '-ERR Background save already in progress\r\n');
      assert.equal(await c.readText(), '-ERR Background save already in progress\r\n');
      assert.equal(await infoField(c, 'rdb_bgsave_in_progress'), '1');
      assert.equal(await infoField(c, 'current_save_keys_total'), '200000');
      await waitBgsave(c);
      assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'ok');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('rdb-key-save-delay paces a BGSAVE while clients are served; setting it to 0 lets the save finish', async () => {
    const own = join(dir(), 'save-delay');
    mkdirSync(own);
    const srv = await startNodis({ config: { dir: own, 'enable-debug-command': 'yes' } });
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('DEBUG', 'POPULATE', '1000');
      // 10 ms per key: 10 s for the whole file, far longer than this test looks at it.
      assert.equal(await text(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '10000'), '+OK');
      assert.equal(await text(c, 'BGSAVE'), '+Background saving started');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await text(c, 'PING'), '+PONG', 'clients are served during the save');
      assert.equal(await infoField(c, 'rdb_bgsave_in_progress'), '1');
      const processed = Number(await infoField(c, 'current_save_keys_processed'));
      assert.ok(processed < 1000, `${processed} keys saved after 300 ms at 10 ms per key`);
      const perc = Number(await infoField(c, 'current_fork_perc'));
      assert.ok(perc >= processed / 10 && perc < 100, `current_fork_perc ${perc} (progress of the save, ≥ ${processed / 10} a moment ago)`);
      assert.equal(await text(c, 'CONFIG', 'SET', 'rdb-key-save-delay', '0'), '+OK');
      await waitBgsave(c);
      assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'ok');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('DEBUG RELOAD keeps the dataset; options', async () => {
    const srv = await startNodis({ config: { dir: dir(), 'enable-debug-command': 'yes' } });
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('FLUSHALL');
      await c.call('HSET', 'h', 'f', 'v');
      await c.call('ZADD', 'z', '1.5', 'm');
      await c.call('PEXPIREAT', 'h', '99999999999999');
      const before = await digest(c);
      assert.equal(await text(c, 'DEBUG', 'RELOAD'), '+OK');
      assert.equal(await digest(c), before);
      assert.equal(await text(c, 'PEXPIRETIME', 'h'), ':99999999999999');
      await c.call('SET', 'extra', '1');
      assert.equal(await text(c, 'DEBUG', 'RELOAD', 'NOSAVE'), '+OK');
      assert.equal(await digest(c), before);
      await c.call('SET', 'extra', '1');
      assert.equal(await text(c, 'DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'), '+OK');
      assert.equal(await text(c, 'EXISTS', 'extra', 'h'), ':2');
      assert.equal(await text(c, 'DEBUG', 'RELOAD', 'BAD'), '-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('a failed background save refuses writes with MISCONF until a save succeeds', async () => {
    const gone = join(dir(), 'vanishing');
    mkdirSync(gone);
    const srv = await startNodis({ config: { dir: gone, save: '3600 1' } });
    const c = await RawClient.connect(srv.port);
    try {
      rmSync(gone, { recursive: true });
      await c.call('SET', 'k', 'v');
      // Like Redis's forked child, the save starts and then fails.
      assert.equal(await text(c, 'BGSAVE'), '+Background saving started');
      await waitBgsave(c);
      assert.equal(await infoField(c, 'rdb_last_bgsave_status'), 'err');
      const misconf = await text(c, 'SET', 'k', 'w');
      assert.match(misconf, /^-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk\./);
      assert.equal(await text(c, 'PING'), misconf);
      assert.equal(await text(c, 'GET', 'k'), '$1\r\nv');
      await c.call('MULTI');
      assert.equal(await text(c, 'GET', 'k'), '+QUEUED');
      assert.equal(await text(c, 'DEL', 'k'), misconf);
      assert.equal(await text(c, 'EXEC'), '-EXECABORT Transaction discarded because of previous errors.');
      assert.equal(await text(c, 'CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'), '+OK');
      assert.equal(await text(c, 'SET', 'k', 'w'), '+OK');
      assert.equal(await text(c, 'CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'), '+OK');
      mkdirSync(gone);
      assert.equal(await text(c, 'SAVE'), '+OK');
      assert.equal(await text(c, 'SET', 'k', 'x'), '+OK');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('save points start a background save', async () => {
    const srv = await startNodis({ config: { dir: dir(), save: '1 2', hz: 50 } });
    const c = await RawClient.connect(srv.port);
    try {
      const saves = Number(await infoField(c, 'rdb_saves'));
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '1');
      await waitFor('the save point to fire', async () => Number(await infoField(c, 'rdb_saves')) !== saves);
      assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '0');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('FLUSHALL saves the empty dataset when save points are set', async () => {
    const own = join(dir(), 'flush');
    mkdirSync(own);
    const srv = await startNodis({ config: { dir: own, save: '3600 1' } });
    const c = await RawClient.connect(srv.port);
    try {
      await c.call('SET', 'a', '1');
      assert.equal(await text(c, 'FLUSHALL'), '+OK');
      assert.ok(existsSync(join(own, 'dump.rdb')));
      assert.equal(await infoField(c, 'rdb_changes_since_last_save'), '0');
    } finally {
      c.close();
      await srv.stop();
    }
  });
});

describe('saving on shutdown', () => {
  const dir = tempDirFor('nodis-shutdown-');

  for (const how of ['SHUTDOWN', 'SIGTERM'] as const) {
    test(`${how} saves when save points are set; the restarted server has the data`, async () => {
      const own = join(dir(), how);
      mkdirSync(own);
      const first = await startNodisProcess(['--dir', own, '--save', '3600 1']);
      const c = await RawClient.connect(first.port);
      await c.call('SET', 'survives', how);
      await c.call('SELECT', '5');
      await c.call('RPUSH', 'list', 'a', 'b');
      const exited = new Promise((r) => first.proc.once('exit', r));
      if (how === 'SHUTDOWN') c.write(RawClient.encode(['SHUTDOWN']));
      else first.proc.kill('SIGTERM');
      await exited;
      c.close();
      assert.match(first.output(), /DB saved on disk/);
      const second = await startNodisProcess(['--dir', own, '--save', '']);
      const c2 = await RawClient.connect(second.port);
      try {
        assert.equal(await text(c2, 'GET', 'survives'), `$${how.length}\r\n${how}`);
        await c2.call('SELECT', '5');
        assert.equal(await text(c2, 'LLEN', 'list'), ':2');
        assert.match(second.output(), /DB loaded from disk/);
      } finally {
        c2.close();
        await second.stop();
        await first.stop();
      }
    });
  }

  test('while nodis-server loads a big file, clients get -LOADING and INFO shows progress', async () => {
    const own = join(dir(), 'loading');
    mkdirSync(own);
    const maker = await startNodis({ config: { dir: own, 'enable-debug-command': 'yes' } });
    const m = await RawClient.connect(maker.port);
    await m.call('DEBUG', 'POPULATE', '1000000');
    assert.equal(await text(m, 'SAVE'), '+OK');
    m.close();
    await maker.stop();
    const srv = await startNodisProcess(['--dir', own, '--save', '']);
    const c = await RawClient.connect(srv.port);
    try {
      assert.equal(await text(c, 'GET', 'key:1'), '-LOADING Redis is loading the dataset in memory');
      const info = ((await c.value('INFO', 'persistence')) as { value: string }).value;
      assert.match(info, /^loading:1$/m);
      assert.match(info, /^loading_total_bytes:\d+$/m);
      let reply = '';
      while ((reply = await text(c, 'GET', 'key:1')).startsWith('-LOADING')) await new Promise((r) => setTimeout(r, 20));
      assert.equal(reply, '$7\r\nvalue:1');
      assert.equal(await text(c, 'DBSIZE'), ':1000000');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('key-load-delay paces the start-up load: -LOADING and INFO loading:1 while clients are served', async () => {
    const own = join(dir(), 'load-delay');
    mkdirSync(own);
    const maker = await startNodis({ config: { dir: own, 'enable-debug-command': 'yes' } });
    const m = await RawClient.connect(maker.port);
    await m.call('DEBUG', 'POPULATE', '1000');
    assert.equal(await text(m, 'SAVE'), '+OK');
    m.close();
    await maker.stop();
    // 10 ms per key: 10 s for the whole file.
    const srv = await startNodisProcess(['--dir', own, '--save', '', '--key-load-delay', '10000']);
    const c = await RawClient.connect(srv.port);
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await text(c, 'GET', 'key:1'), '-LOADING Redis is loading the dataset in memory');
      assert.match(((await c.value('INFO', 'persistence')) as { value: string }).value, /^loading:1$/m);
      assert.equal(await text(c, 'CONFIG', 'SET', 'key-load-delay', '0'), '+OK');
      let reply = '';
      while ((reply = await text(c, 'GET', 'key:1')).startsWith('-LOADING')) await new Promise((r) => setTimeout(r, 20));
      assert.equal(reply, '$7\r\nvalue:1');
    } finally {
      c.close();
      await srv.stop();
    }
  });

  test('SHUTDOWN NOSAVE does not save', async () => {
    const own = join(dir(), 'nosave');
    mkdirSync(own);
    const srv = await startNodisProcess(['--dir', own, '--save', '3600 1']);
    const c = await RawClient.connect(srv.port);
    await c.call('SET', 'k', 'v');
    const exited = new Promise((r) => srv.proc.once('exit', r));
    c.write(RawClient.encode(['SHUTDOWN', 'NOSAVE']));
    await exited;
    c.close();
    await srv.stop();
    assert.ok(!existsSync(join(own, 'dump.rdb')));
  });
});
