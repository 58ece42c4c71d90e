/** Unit tests of the benchmark's output parsing and report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './redis-benchmark.js';
import { median, Results } from './report.js';

test('parseCsv reads redis-benchmark --csv rows and ignores other lines', () => {
  const out = [
    'WARNING: Could not fetch server CONFIG',
    '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
    '"SET","40733.20","0.832","0.168","0.639","1.111","6.759","11.071"',
    '"MSET (10 keys)","33277.87","1.226","0.376","1.247","1.887","2.935","5.535"',
  ].join('\n');
  assert.deepEqual([...parseCsv(out)], [
    ['SET', 40733.2],
    ['MSET (10 keys)', 33277.87],
  ]);
});

test('median of odd and even counts, null when empty', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
});

test('the report shows medians, the ratio, and failures', () => {
  const r = new Results();
  r.declare('strings', 'SET -P 1');
  r.declare('strings', 'INCR -P 1');
  for (const v of [100000, 90000, 110000]) r.add('redis', 'SET -P 1', v);
  for (const v of [50000, 40000, 60000]) r.add('nodis', 'SET -P 1', v);
  r.fail('nodis', ['INCR -P 1'], "ERR unknown command 'INCR'");
  const md = r.toMarkdown('title');
  assert.match(md, /\| strings \| SET -P 1 \| 100,000 \| 50,000 \| 0\.50× \|/);
  assert.match(md, /\| strings \| INCR -P 1 \| – \| – \| – \|/);
  assert.match(md, /- nodis: INCR -P 1: ERR unknown command 'INCR'/);
});
