/**
 * Server and introspection commands over real sockets: INFO sections and
 * values, MONITOR lines, SLOWLOG entries, the latency monitor and
 * histograms, TIME/LASTSAVE, SHUTDOWN.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import type { RunningServer } from '../../src/index.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

function text(v: RespValue): string {
  assert.ok(v.kind === 'bulk' || v.kind === 'verbatim' || v.kind === 'simple', `unexpected ${v.kind}`);
  return v.value;
}

/** INFO text → section titles and field map. */
function parseInfo(s: string): { titles: string[]; fields: Map<string, string> } {
  const titles: string[] = [];
  const fields = new Map<string, string>();
  for (const line of s.split('\r\n')) {
    if (line.startsWith('# ')) titles.push(line.slice(2));
    else if (line !== '') fields.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1));
  }
  return { titles, fields };
}

describe('server commands', () => {
  let srv: RunningServer;
  let c: RawClient;
  before(async () => {
    srv = await startNodis({ config: { 'enable-debug-command': 'yes' } });
    c = await RawClient.connect(srv.port);
  });
  after(async () => {
    c.close();
    await srv.stop();
  });

  test('INFO selects sections like Redis and reports real values', async () => {
    const def = parseInfo(text(await c.value('INFO')));
    assert.deepEqual(def.titles, [
      'Server',
      'Clients',
      'Memory',
      'Persistence',
      'Stats',
      'Replication',
      'CPU',
      'Modules',
      'Errorstats',
      'Cluster',
      'Keyspace',
    ]);
    assert.equal(def.fields.get('redis_version'), '7.0.15');
    assert.match(def.fields.get('run_id')!, /^[0-9a-f]{40}$/);
    assert.match(def.fields.get('master_replid')!, /^[0-9a-f]{40}$/);
    assert.equal(def.fields.get('tcp_port'), String(srv.port));
    assert.equal(def.fields.get('connected_clients'), '1');
    assert.equal(def.fields.get('role'), 'master');
    assert.ok(Number(def.fields.get('used_memory')) > 0);
    assert.ok(def.fields.has('nodis_version'));
    const every = parseInfo(text(await c.value('INFO', 'everything'))).titles;
    assert.deepEqual(every, [
      'Server',
      'Clients',
      'Memory',
      'Persistence',
      'Stats',
      'Replication',
      'CPU',
      'Modules',
      'Commandstats',
      'Errorstats',
      'Latencystats',
      'Cluster',
      'Keyspace',
    ]);
    assert.deepEqual(parseInfo(text(await c.value('INFO', 'keyspace', 'CPU', 'server'))).titles, ['Server', 'CPU', 'Keyspace']);
    assert.deepEqual(parseInfo(text(await c.value('INFO', 'default', 'commandstats'))).titles.length, 12);
  });

  test('INFO keyspace, commandstats, errorstats and stats counters', async () => {
    await c.call('SELECT', '5');
    await c.call('SET', 'a', '1');
    await c.call('SET', 'b', '2');
    await c.call('PEXPIREAT', 'b', String(Date.now() + 100000));
    await c.call('NOSUCHCMD');
    await c.call('GET', 'missing');
    await c.call('SELECT', '0');
    const info = text(await c.value('INFO', 'keyspace', 'commandstats', 'errorstats', 'stats'));
    assert.match(info, /\r\ndb5:keys=2,expires=1,avg_ttl=\d+\r\n/);
    assert.match(info, /\r\ncmdstat_set:calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/);
    assert.match(info, /\r\nerrorstat_ERR:count=\d+\r\n/);
    const f = parseInfo(info).fields;
    assert.ok(Number(f.get('keyspace_misses')) >= 1);
    assert.ok(Number(f.get('total_net_input_bytes')) > 0);
    assert.ok(Number(f.get('total_commands_processed')) >= 7);
  });

  test('MONITOR streams commands in Redis format, with secrets redacted', async () => {
    const m = await RawClient.connect(srv.port);
    const other = await RawClient.connect(srv.port);
    try {
      assert.deepEqual(await m.value('MONITOR'), { kind: 'simple', value: 'OK' });
      await other.call('SET', 'q"\n', 'x y');
      await other.call('AUTH', 'secret');
      const l1 = text((await m.read()).value);
      assert.match(l1, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "q\\"\\n" "x y"$/);
      assert.match(text((await m.read()).value), /"AUTH" "\(redacted\)"$/);
      assert.deepEqual(await m.value('GET', 'x'), { kind: 'error', value: "ERR Replica can't interact with the keyspace" });
    } finally {
      m.close();
      other.close();
    }
  });

  test('SLOWLOG records entries and respects its limits', async () => {
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.call('SLOWLOG', 'RESET');
    await c.call('CLIENT', 'SETNAME', 'slow');
    await c.call('ECHO', 'y'.repeat(200));
    const get = await c.value('SLOWLOG', 'GET', '1');
    assert.equal(get.kind, 'array');
    const entry = (get as { items: RespValue[] }).items[0] as { items: RespValue[] };
    assert.equal(entry.items.length, 6);
    const argv = (entry.items[3] as { items: RespValue[] }).items.map(text);
    assert.deepEqual(argv, ['ECHO', 'y'.repeat(128) + '... (72 more bytes)']);
    assert.equal(text(entry.items[5]!), 'slow');
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const len = await c.value('SLOWLOG', 'LEN');
    await c.call('PING');
    assert.deepEqual(await c.value('SLOWLOG', 'LEN'), len);
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  });

  test('latency monitor records slow commands; histogram counts calls', async () => {
    // A threshold no ordinary command reaches, even on a busy machine, and a command that passes it.
    await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '200');
    await c.call('DEBUG', 'SLEEP', '0.3');
    const latest = (await c.value('LATENCY', 'LATEST')) as { items: { items: RespValue[] }[] };
    assert.equal(latest.items.length, 1);
    assert.equal(text(latest.items[0]!.items[0]!), 'command');
    assert.ok(Number((latest.items[0]!.items[2] as { value: bigint }).value) >= 300);
    assert.equal(((await c.value('LATENCY', 'HISTORY', 'command')) as { items: unknown[] }).items.length, 1);
    assert.match(text(await c.value('LATENCY', 'DOCTOR')), /1\. command: 1 latency spikes/);
    assert.match(text(await c.value('LATENCY', 'GRAPH', 'command')), /^command - high \d+ ms, low \d+ ms/);
    assert.deepEqual(await c.value('LATENCY', 'RESET'), { kind: 'int', value: 1n });
    await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    await c.call('LATENCY', 'HISTOGRAM');
    const h = (await c.value('LATENCY', 'HISTOGRAM', 'latency|histogram')) as { items: RespValue[] };
    assert.equal(text(h.items[0]!), 'latency|histogram');
    const body = (h.items[1] as { items: RespValue[] }).items;
    assert.deepEqual(body[1], { kind: 'int', value: 1n });
  });

  test('TIME and LASTSAVE', async () => {
    const t = (await c.value('TIME')) as { items: RespValue[] };
    assert.ok(Math.abs(Number(text(t.items[0]!)) - Date.now() / 1000) < 5);
    assert.ok(Number(text(t.items[1]!)) < 1e6);
    assert.equal((await c.value('LASTSAVE')).kind, 'int');
  });
});

describe('SHUTDOWN', () => {
  test('SAVE that cannot write refuses to stop (FORCE stops); NOSAVE stops the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nodis-shutdown-'));
    const srv = await startNodis({ config: { dir } });
    const c = await RawClient.connect(srv.port);
    try {
      rmSync(dir, { recursive: true });
      assert.deepEqual(await c.value('SHUTDOWN', 'SAVE'), { kind: 'error', value: 'ERR Errors trying to SHUTDOWN. Check logs.' });
      assert.deepEqual(await c.value('SHUTDOWN', 'ABORT'), { kind: 'error', value: 'ERR No shutdown in progress.' });
      c.write(RawClient.encode(['SHUTDOWN', 'NOSAVE']));
      await c.waitClosed();
      await assert.rejects(RawClient.connect(srv.port));
    } finally {
      c.close();
      await srv.stop();
    }
  });
});
