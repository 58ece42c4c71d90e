/**
 * The differential suite: every case in cases/ runs against a real
 * redis-server 7.0 and against nodis, in RESP2 and RESP3, and the replies
 * must be identical byte for byte (see types.ts for the case format).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisAvailable, startNodis, startRedis, type ExternalServer } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import type { RunningServer } from '../../src/index.js';
import { allCases } from './cases/index.js';
import type { DiffStep } from './types.js';

/** Options both servers run with, so replies can match. */
const SHARED_CONFIG = { 'enable-debug-command': 'yes' };

const run = redisAvailable('differential suite');

describe('differential: nodis vs redis-server', { skip: !run }, () => {
  let redis: ExternalServer;
  let nodis: RunningServer;

  before(async () => {
    redis = await startRedis(Object.entries(SHARED_CONFIG).flatMap(([k, v]) => [`--${k}`, v]));
    nodis = await startNodis({ config: SHARED_CONFIG });
  });

  after(async () => {
    await nodis?.stop();
    await redis?.stop();
  });

  for (const c of allCases) {
    for (const resp of c.resp ?? [2, 3]) {
      test(`${c.name} (RESP${resp})`, async () => {
        const a = await RawClient.connect(redis.port);
        const b = await RawClient.connect(nodis.port);
        try {
          for (const cl of [a, b]) {
            await cl.call('FLUSHALL');
            if (resp === 3) await cl.call('HELLO', '3');
          }
          const diffs: string[] = [];
          for (const s of c.steps) {
            const step: DiffStep = Array.isArray(s) ? { argv: s } : s;
            const ra = await a.call(...step.argv);
            const rb = await b.call(...step.argv);
            const mode = step.compare ?? 'exact';
            if (mode === 'exact' && !ra.raw.equals(rb.raw)) {
              diffs.push(`${show(step.argv)}\n    redis: ${show([ra.raw.toString('latin1')])}\n    nodis: ${show([rb.raw.toString('latin1')])}`);
            } else if (mode === 'type' && ra.value.kind !== rb.value.kind) {
              diffs.push(`${show(step.argv)}: kind ${ra.value.kind} vs ${rb.value.kind}`);
            }
          }
          assert.deepEqual(diffs, [], `differences:\n  ${diffs.join('\n  ')}`);
        } finally {
          a.close();
          b.close();
        }
      });
    }
  }
});

function show(argv: readonly string[]): string {
  return argv.map((x) => JSON.stringify(x.length > 200 ? x.slice(0, 200) + '…' : x)).join(' ');
}
