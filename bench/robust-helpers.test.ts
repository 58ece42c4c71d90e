/**
 * Tests of what the replication-robustness rows build on: a server
 * relaunched after SHUTDOWN SAVE in its own directory (servers.ts), and
 * the heavy pipelined write load (robust-big-writes.ts), against the
 * built nodis-server process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNodisServer } from './servers.js';
import { RespClient } from './resp-client.js';
import { BigWrites } from './robust-big-writes.js';
import { infoNumber } from './repl-link.js';

test('relaunch after SHUTDOWN SAVE keeps the port and the dump.rdb and appends the extra arguments', async () => {
  const server = await startNodisServer();
  try {
    let c = await RespClient.connect(server.port, server.host);
    await c.call(['SET', 'kept', 'yes']);
    await assert.rejects(c.call(['SHUTDOWN', 'SAVE']));
    await server.relaunch(['--maxmemory', '12345678']);
    c = await RespClient.connect(server.port, server.host);
    assert.equal(await c.call(['GET', 'kept']), 'yes');
    assert.equal(await infoNumber(c, 'memory', 'maxmemory'), 12345678);
    c.close();
  } finally {
    await server.stop();
  }
});

test('BigWrites writes values of the given size over its keyspace until stopped, and stops once', async () => {
  const server = await startNodisServer();
  try {
    const writes = await BigWrites.start({ host: server.host, port: server.port, valueSize: 1000, keyCount: 3, window: 4 });
    const c = await RespClient.connect(server.port, server.host);
    while (writes.completed < 40) await new Promise((r) => setTimeout(r, 10));
    await Promise.all([writes.stop(), writes.stop()]);
    assert.equal(await c.call(['DBSIZE']), 3);
    assert.equal(await c.call(['STRLEN', 'big:2']), 1000);
    c.close();
  } finally {
    await server.stop();
  }
});
