/**
 * CONFIG against real sockets: CONFIG GET * is redis-server's (names and
 * defaults), CONFIG SET port/bind rebinds and keeps connected clients,
 * proto-max-bulk-len reaches connected clients, RESETSTAT keeps the slow
 * log, and CONFIG REWRITE leaves the same file as redis-server's.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, redisAvailable, startNodis, startRedis, waitForPort, withNodis } from '../support/servers.js';
import { tempDirFor } from '../support/temp-dir.js';
import { RawClient } from '../support/raw-client.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const withRedis = redisAvailable('config tests against redis-server');

/** A flat CONFIG GET reply as a map. */
function asMap(v: RespValue): Map<string, string> {
  const items = (v as { items: { value: string }[] }).items.map((i) => i.value);
  const m = new Map<string, string>();
  for (let i = 0; i < items.length; i += 2) m.set(items[i]!, items[i + 1]!);
  return m;
}

describe('CONFIG', () => {
  const dir = tempDirFor('nodis-config-');

  test('CONFIG GET * has the names and defaults of redis-server', { skip: !withRedis }, async () => {
    const redis = await startRedis();
    const nodis = await startNodis({ config: { save: '', dir: redis.dir, bind: '127.0.0.1' } });
    const a = await RawClient.connect(redis.port);
    const b = await RawClient.connect(nodis.port);
    try {
      const ra = asMap(await a.value('CONFIG', 'GET', '*'));
      const rb = asMap(await b.value('CONFIG', 'GET', '*'));
      ra.delete('port');
      rb.delete('port');
      assert.deepEqual(new Map([...rb].sort()), new Map([...ra].sort()));
    } finally {
      a.close();
      b.close();
      await nodis.stop();
      await redis.stop();
    }
  });

  test('CONFIG SET port moves the listener; connected clients stay', () =>
    withNodis({}, async (_nodis, c) => {
      const port = await freePort();
      assert.equal((await c.call('CONFIG', 'SET', 'port', String(port))).raw.toString(), '+OK\r\n');
      assert.equal((await c.call('PING')).raw.toString(), '+PONG\r\n');
      await waitForPort(port);
      const d = await RawClient.connect(port);
      assert.equal((await d.call('CONFIG', 'GET', 'port')).raw.toString(), `*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`);
      d.close();
    }));

  test('CONFIG SET port refuses a port in use and keeps the old one', async () => {
    const a = await startNodis();
    const b = await startNodis();
    const c = await RawClient.connect(a.port);
    try {
      const r = await c.call('CONFIG', 'SET', 'port', String(b.port), 'hz', '20');
      assert.equal(
        r.raw.toString(),
        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
      );
      assert.equal(a.server.config.get('port'), '0');
      assert.equal(a.server.config.get('hz'), '10');
      const again = await RawClient.connect(a.port);
      again.close();
    } finally {
      c.close();
      await a.stop();
      await b.stop();
    }
  });

  test('proto-max-bulk-len applies to clients already connected', async () => {
    const nodis = await startNodis();
    const c = await RawClient.connect(nodis.port);
    const admin = await RawClient.connect(nodis.port);
    try {
      await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
      c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * 1024 * 1024}\r\n`);
      const r = await c.read();
      assert.equal(r.raw.toString(), '-ERR Protocol error: invalid bulk length\r\n');
    } finally {
      c.close();
      admin.close();
      await nodis.stop();
    }
  });

  test('CONFIG RESETSTAT clears command statistics but not the slow log', () =>
    withNodis({ config: { 'slowlog-log-slower-than': 0 } }, async (nodis, c) => {
      await c.call('PING');
      await c.call('CONFIG', 'RESETSTAT');
      const ping = nodis.server.commands.lookup('ping')!;
      assert.equal(ping.calls, 0);
      assert.equal(nodis.server.stats.commandsProcessed, 1);
      assert.ok(nodis.server.slowlog.entries.length >= 1);
    }));

  test('CONFIG REWRITE leaves the file redis-server leaves', { skip: !withRedis }, async () => {
    const data = join(dir(), 'data');
    mkdirSync(data);
    const original = [
      '# top comment',
      'port 6379',
      'hz 20',
      '# mid',
      'maxmemory 100mb',
      'save 60 1',
      'save 30 5',
      'slave-read-only yes',
      `dir ${data}`,
      'appendonly no',
      'client-output-buffer-limit normal 0 0 0',
      'client-output-buffer-limit replica 256mb 64mb 60',
      '',
    ].join('\n');
    const files = ['redis', 'nodis'].map((n) => {
      mkdirSync(join(dir(), n));
      const f = join(dir(), n, 'redis.conf');
      writeFileSync(f, original);
      return f;
    });
    const [pa, pb] = [await freePort(), await freePort()];
    const main = new URL('../../src/main.js', import.meta.url).pathname;
    const procs = [
      spawn('redis-server', [files[0]!, '--port', String(pa)], { stdio: 'ignore' }),
      spawn(process.execPath, [main, files[1]!, '--port', String(pb)], { stdio: 'ignore' }),
    ];
    try {
      await Promise.all([waitForPort(pa), waitForPort(pb)]);
      for (const port of [pa, pb]) {
        const c = await RawClient.connect(port);
        const set = await c.call(
          'CONFIG',
          'SET',
          'hz',
          '10',
          'maxmemory',
          '3000000',
          'timeout',
          '7',
          'save',
          '10 10',
          'notify-keyspace-events',
          'KEA',
          'client-output-buffer-limit',
          'normal 1mb 2048 5 pubsub 1gb 1000 3',
          'slave-priority',
          '50',
          'masterauth',
          'a b',
          'shutdown-on-sigterm',
          'save now',
          'maxmemory-clients',
          '5%',
        );
        assert.equal(set.raw.toString(), '+OK\r\n');
        assert.equal((await c.call('CONFIG', 'REWRITE')).raw.toString(), '+OK\r\n');
        c.close();
      }
      const [ra, rb] = files.map((f) => readFileSync(f, 'latin1').replace(/^port \d+$/m, 'port P'));
      const split = (t: string) => {
        const [head, tail = ''] = t.split('# Generated by CONFIG REWRITE\n');
        return { head, tail: tail.split('\n').sort() };
      };
      // Redis appends new options in its hash table's order: compare that part as a set.
      assert.deepEqual(split(rb!), split(ra!));
    } finally {
      for (const p of procs) p.kill('SIGKILL');
    }
  });
});
