import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram, highestEquivalent } from './histogram.js';

test('equivalence ranges keep two significant digits like Redis', () => {
  assert.equal(highestEquivalent(200), 200);
  assert.equal(highestEquivalent(1024), 1031);
  assert.equal(highestEquivalent(35000), 35071);
  assert.equal(highestEquivalent(32768), 33023);
});

test('percentiles and the cumulative distribution', () => {
  const h = new LatencyHistogram();
  for (const us of [35, 35, 2, 60]) h.record(us);
  assert.equal(h.total, 4);
  assert.equal(h.percentile(50), 35071);
  assert.equal(h.percentile(100), 60159);
  // Redis labels steps 1, 2, 4 … 16, 33, 66 µs and skips those without samples.
  assert.deepEqual(h.cumulative(), [
    [2, 1],
    [66, 4],
  ]);
  h.record(1);
  assert.deepEqual(h.cumulative()[0], [1, 1]);
});
