/** Unit tests of the benchmark's output parsing and report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './redis-benchmark.js';
import { formatFigure, median, Results } from './report.js';

test('parseCsv reads redis-benchmark --csv rows and ignores other lines', () => {
  const out = [
    'WARNING: Could not fetch server CONFIG',
    '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
    '"SET","40733.20","0.832","0.168","0.639","1.111","6.759","11.071"',
    '"MSET (10 keys)","33277.87","1.226","0.376","1.247","1.887","2.935","5.535"',
  ].join('\n');
  assert.deepEqual(
    [...parseCsv(out)],
    [
      ['SET', 40733.2],
      ['MSET (10 keys)', 33277.87],
    ],
  );
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

test('cost rows (seconds, ms, ×) get their own lower-is-better table after the throughput table', () => {
  const r = new Results();
  r.declare('strings', 'SET -P 1');
  r.declare('persistence', 'SAVE 1M small keys', 's');
  r.declare('persistence', 'BGSAVE p99', 'ms');
  r.declare('persistence', 'BGSAVE peak memory / before', '×');
  r.add('redis', 'SET -P 1', 100000);
  r.add('nodis', 'SET -P 1', 80000);
  for (const v of [0.4, 0.5, 0.45]) r.add('redis', 'SAVE 1M small keys', v);
  for (const v of [0.9, 1.1, 0.95]) r.add('nodis', 'SAVE 1M small keys', v);
  r.add('redis', 'BGSAVE p99', 0.94);
  r.add('nodis', 'BGSAVE p99', 4.7);
  r.add('redis', 'BGSAVE peak memory / before', 1.6);
  r.add('nodis', 'BGSAVE peak memory / before', 1.2);
  const md = r.toMarkdown('title');
  const costHeader = md.indexOf('| Group | Benchmark (lower is better) | Redis | nodis | nodis/Redis |');
  const throughputRow = md.indexOf('| strings | SET -P 1 | 100,000 | 80,000 | 0.80× |');
  assert.ok(throughputRow > 0 && costHeader > throughputRow);
  assert.match(md, /above 1× nodis is slower or grows more/);
  assert.match(md, /\| persistence \| SAVE 1M small keys \| 0\.45 s \| 0\.95 s \| 2\.11× \|/);
  assert.match(md, /\| persistence \| BGSAVE p99 \| 0\.94 ms \| 4\.70 ms \| 5\.00× \|/);
  assert.match(md, /\| persistence \| BGSAVE peak memory \/ before \| 1\.60× \| 1\.20× \| 0\.75× \|/);
});

test('a report of cost rows only has no throughput table; one with no rows keeps its header', () => {
  const r = new Results();
  r.declare('persistence', 'load 1M small keys', 's');
  r.add('redis', 'load 1M small keys', 0.5);
  const md = r.toMarkdown('title');
  assert.doesNotMatch(md, /req\/s/);
  assert.match(md, /\| persistence \| load 1M small keys \| 0\.50 s \| – \| – \|/);
  assert.match(new Results().toMarkdown('title'), /\| Group \| Benchmark \| Redis \(req\/s\) \| nodis \(req\/s\) \| nodis\/Redis \|/);
});

test('formatFigure writes each unit as the report shows it', () => {
  assert.equal(formatFigure(12345.6, 'req/s'), '12,346');
  assert.equal(formatFigure(1.234, 's'), '1.23 s');
  assert.equal(formatFigure(0.5, 'ms'), '0.50 ms');
  assert.equal(formatFigure(123456.7, 'B'), '123,457 B');
  assert.equal(formatFigure(1.349, '×'), '1.35×');
  assert.equal(formatFigure(26, 'n'), '26');
  assert.equal(formatFigure(26.5, 'n'), '26.5');
  assert.equal(formatFigure(null, 's'), '–');
});
