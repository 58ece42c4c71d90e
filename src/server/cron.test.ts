import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expireEffort } from './cron.js';

test('active-expire-effort scales the expiry cycle as Redis 7.0 does', () => {
  assert.deepEqual(expireEffort(1), { keysPerLoop: 20, timeShare: 0.25, acceptableStale: 0.1 });
  assert.deepEqual(expireEffort(10), { keysPerLoop: 65, timeShare: 0.43, acceptableStale: 0.01 });
  assert.deepEqual(expireEffort(4), { keysPerLoop: 35, timeShare: 0.31, acceptableStale: 0.07 });
});
