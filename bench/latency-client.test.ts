/** Unit tests of the latency percentile used by the BGSAVE-under-load rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile } from './latency-client.js';
import { mulberry32 } from '../test/support/random.js';

test('percentile is the nearest-rank quantile, null for no samples', () => {
  assert.equal(percentile(new Float64Array([]), 0.99), null);
  assert.equal(percentile(new Float64Array([5]), 0.99), 5);
  assert.equal(
    percentile(
      Float64Array.from({ length: 100 }, (_, i) => 100 - i),
      0.99,
    ),
    99,
  );
  assert.equal(
    percentile(
      Float64Array.from({ length: 100 }, (_, i) => i + 1),
      1,
    ),
    100,
  );
  assert.equal(percentile(new Float64Array([3, 1, 2, 4]), 0.5), 2);
});

test('percentile agrees with a sort-and-index model on random samples', () => {
  const random = mulberry32(99);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 500);
    const xs = Float64Array.from({ length: n }, () => random() * 10);
    const sorted = [...xs].sort((a, b) => a - b);
    const p = random();
    const rank = Math.max(1, Math.ceil(p * n));
    assert.equal(percentile(xs, p), sorted[rank - 1]);
  }
});
