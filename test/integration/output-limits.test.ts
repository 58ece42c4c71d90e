/**
 * client-output-buffer-limit for the normal class, on real Redis and on
 * nodis alike: a client whose pending replies reach the hard limit is
 * disconnected without its reply (and the server logs why), a client under
 * the limit is served, and a limit of 0 means none. Replica and pubsub
 * classes are covered by the replication and pub/sub suites.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { startTargets, stopTargets, type Target } from '../support/targets.js';
import { tempDirFor } from '../support/temp-dir.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const withRedis = redisAvailable('output buffer limit tests (redis-server half)');
const BIG = 'x'.repeat(1024 * 1024);

describe('client-output-buffer-limit normal', () => {
  let targets: Target[];
  const dir = tempDirFor('nodis-obuf-');
  const logOf = (t: Target) => join(dir(), `${t.name}.log`);

  before(async () => {
    targets = await startTargets(withRedis, (name) => ({ logfile: join(dir(), `${name}.log`) }));
  });
  after(() => stopTargets(targets));

  test('a reply over the hard limit closes the connection; under it, it is served', async () => {
    for (const t of targets) {
      const admin = await RawClient.connect(t.port);
      try {
        await admin.call('SET', 'big', BIG);
        await admin.call('SET', 'small', 'v'.repeat(1000));
        assert.equal(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100kb 0 0'), '+OK\r\n', t.name);
        const c = await RawClient.connect(t.port);
        assert.equal((await c.call('GET', 'small')).raw.length, 1000 + 9, `${t.name}: a small reply is served`);
        c.write(RawClient.encode(['GET', 'big']));
        await c.waitClosed(10_000);
        assert.match(readFileSync(logOf(t), 'latin1'), /scheduled to be closed ASAP for overcoming of output buffer limits/, t.name);
        assert.equal(await admin.callText('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0'), '+OK\r\n');
        const d = await RawClient.connect(t.port);
        assert.equal((await d.call('GET', 'big')).raw.length, BIG.length + 12, `${t.name}: no limit, the big reply is served`);
        d.close();
      } finally {
        admin.close();
      }
    }
  });
});
