/**
 * The differential runner's own checks: the loose compare modes reject
 * what they must (a TTL off by 1000×, a random reply of the wrong size),
 * and readToMarker finds the frames a one-reply-per-step reading leaves
 * behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nearDifference, readToMarker, shapeDifference } from '../support/compare.js';
import { withNodis } from '../support/servers.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';

const int = (n: number): RespValue => ({ kind: 'int', value: BigInt(n) });
const bulks = (...xs: string[]): RespValue => ({ kind: 'array', items: xs.map((value) => ({ kind: 'bulk', value })) });

describe('differential runner', () => {
  test('near: integers within the tolerance only', () => {
    assert.equal(nearDifference(int(100), int(99), 2), null);
    assert.match(nearDifference(int(100_000), int(100), 2000) ?? '', /more than 2000 apart/);
    assert.match(nearDifference(int(1), { kind: 'bulk', value: '1' }, 5) ?? '', /reply/);
  });

  test('shape: kinds and sizes, down to a depth', () => {
    assert.equal(shapeDifference(bulks('a', 'b'), bulks('c', 'd')), null);
    assert.match(shapeDifference(bulks('a', 'b'), bulks('a')) ?? '', /2 vs 1 items/);
    const nested = (n: number): RespValue => ({ kind: 'array', items: [{ kind: 'bulk', value: '0' }, bulks(...Array(n).fill('k'))] });
    assert.match(shapeDifference(nested(5), nested(6)) ?? '', /reply\[1\]: 5 vs 6 items/);
    assert.equal(shapeDifference(nested(5), nested(6), 1), null);
    assert.match(shapeDifference(int(1), bulks(), 0) ?? '', /kind int vs array/);
  });

  test('readToMarker returns the frames beyond one reply per command, and leaves the connection usable', async () => {
    await withNodis({}, async (_srv, c) => {
      // SUBSCRIBE a b answers with two frames: a runner reading one per step leaves the second behind.
      await c.call('SUBSCRIBE', 'a', 'b');
      const rest = await readToMarker(c);
      assert.deepEqual(rest, { frames: ['*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n'], closed: false });
      assert.equal(await c.callText('PING'), '+PONG\r\n', 'RESET left the subscribed state');
      assert.deepEqual(await readToMarker(c), { frames: [], closed: false });
      c.write('QUIT\r\n');
      assert.deepEqual(await readToMarker(c), { frames: ['+OK\r\n'], closed: true });
    });
  });
});
