/** Unit tests of the replication lag figures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lagFigures, reachedAt } from './repl-lag.js';

const master = [
  { at: 0, offset: 100 },
  { at: 10, offset: 200 },
  { at: 20, offset: 200 },
  { at: 30, offset: 400 },
];

test('reachedAt interpolates between the master samples around the offset', () => {
  assert.equal(reachedAt(master, 150), 5);
  assert.equal(reachedAt(master, 200), 10);
  assert.equal(reachedAt(master, 300), 25);
  assert.equal(reachedAt(master, 400), 30);
});

test('reachedAt has no time for offsets outside the timeline', () => {
  assert.equal(reachedAt(master, 100), Infinity);
  assert.equal(reachedAt(master, 401), Infinity);
  assert.equal(reachedAt([], 1), Infinity);
});

test('lagFigures: bytes per tick, ms from the master timeline, never negative', () => {
  const ticks = [
    { master: master[0]!, replica: { at: 1, offset: 100 } },
    { master: master[1]!, replica: { at: 11, offset: 150 } },
    { master: master[2]!, replica: { at: 21, offset: 200 } },
    { master: master[3]!, replica: { at: 31, offset: 300 } },
  ];
  // Bytes: 0, 50, 0, 100. Ms: 0 (at the first sample), 11-5=6, 21-10=11, 31-25=6.
  assert.deepEqual(lagFigures(ticks), { medianBytes: 25, maxBytes: 100, medianMs: 6, maxMs: 11 });
  const ahead = [{ master: { at: 5, offset: 100 }, replica: { at: 4, offset: 120 } }];
  assert.deepEqual(lagFigures(ahead), { medianBytes: 0, maxBytes: 0, medianMs: 0, maxMs: 0 });
});
