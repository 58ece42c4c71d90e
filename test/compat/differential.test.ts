/**
 * The differential suite: every case in cases/ runs against a real
 * redis-server 7.0 and against nodis, in RESP2 and RESP3, and the replies
 * must be identical byte for byte unless a step says how else to compare
 * (see types.ts for the case format). A case ends with a marker (RESET and
 * a PING with a unique payload, see readToMarker): every frame the servers
 * sent beyond one reply per step, up to it, must be identical too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { redisAvailable, startNodis, startRedis, type ExternalServer } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { nearDifference, readToMarker, shapeDifference } from '../support/compare.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';
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
            const d = difference(step, ra, rb);
            if (d !== null) diffs.push(`${show(step.argv)}: ${d}`);
          }
          // Every frame after the one per command, up to a marker, on both: extra replies must match too.
          const [ta, tb] = [await readToMarker(a), await readToMarker(b)];
          const extra = (t: { frames: string[]; closed: boolean }) => [...t.frames, ...(t.closed ? ['(connection closed)'] : [])];
          if (!isDeepStrictEqual(extra(ta), extra(tb)))
            diffs.push(`after the last step\n    redis: ${show(extra(ta))}\n    nodis: ${show(extra(tb))}`);
          assert.deepEqual(diffs, [], `differences:\n  ${diffs.join('\n  ')}`);
        } finally {
          a.close();
          b.close();
        }
      });
    }
  }
});

/** How step's replies from Redis (a) and nodis (b) differ under its compare mode; null when they match. */
function difference(step: DiffStep, a: Reply, b: Reply): string | null {
  switch (step.compare ?? 'exact') {
    case 'skip':
      return null;
    case 'shape':
      return shapeDifference(a.value, b.value, step.depth);
    case 'near':
      return nearDifference(a.value, b.value, step.tolerance ?? 0);
    case 'exact':
      return a.raw.equals(b.raw)
        ? null
        : `\n    redis: ${show([a.raw.toString('latin1')])}\n    nodis: ${show([b.raw.toString('latin1')])}`;
  }
}

type Reply = { raw: Buffer; value: RespValue };

function show(argv: readonly string[]): string {
  return argv.map((x) => JSON.stringify(x.length > 200 ? x.slice(0, 200) + '…' : x)).join(' ');
}
