#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// Usage: [NODIS_DIST=dir] node scripts/run-tests.mjs [filter-substring …]
// (npm test -- differential runs the files whose path contains "differential".)
//
// A build directory outside the repository (NODIS_DIST=/tmp/build-x) gets a
// node_modules link to the repository's, so compiled tests that import
// packages (ioredis, redis) resolve them as they do from dist/.
import { existsSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.NODIS_DIST ?? join(repo, 'dist'));
if (!existsSync(dist)) {
  console.error(`no build directory ${dist} (did the build run?)`);
  process.exit(1);
}
const link = join(dist, 'node_modules');
if (!dist.startsWith(repo + '/') && !existsSync(link)) symlinkSync(join(repo, 'node_modules'), link, 'dir');

const filters = process.argv.slice(2);
const files = find(dist, [])
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found (did the build run?)');
  process.exit(1);
}
// A test file still running after five minutes has hung: fail it rather than block the run.
// (The 1M-key dual-channel test alone takes about 90 s on a busy 2-core machine.)
const args = ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
