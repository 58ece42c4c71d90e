#!/usr/bin/env node
// Runs units of Redis 7.0.15's own Tcl test suite against the built nodis
// server, through ../shared/redis-suite/run.sh (see its README).
//
// Usage: npm run test:redis-suite [-- [--compare] [--list] [UNIT …]]
//   UNIT …      units as runtest names them (unit/type/list, integration/rdb);
//               none: the units of test/redis-suite/ci-units.txt (what CI runs).
//   --compare   also runs the same units against real Redis (/usr/bin/redis-server,
//               nothing skipped) and prints nodis beside Redis.
//   --list      prints the divergence entries and the CI units, runs nothing.
//
// Every test named in test/redis-suite/divergences.txt is skipped (runtest
// --skipfile); everything else counts. Each entry is `<exact test name>  # <reason>`,
// and the reason is `fork` (the test needs a forked child process, which nodis
// does not have) or `needs <family>` (a command family a later issue adds).
// Environment: NODIS_REDIS_SUITE (path of run.sh; default ../shared/redis-suite/run.sh
// beside the repository), NODIS_REQUIRE_REDIS=1 (a missing tclsh, redis-server or
// run.sh is a failure instead of one "skipped" line).
// Exit status: 0 when every unit passed, 1 otherwise, 2 on a usage or list error.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const listDir = join(repo, 'test', 'redis-suite');
const FAMILIES = ['scripting', 'streams', 'HyperLogLog', 'geo', 'MEMORY', 'ACL', 'AOF'];

/** Lines of a list file without blank lines and `#` comment lines. */
function listLines(file) {
  return readFileSync(join(listDir, file), 'utf8')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/**
 * Parses divergences.txt into {name, reason} entries; throws on a line
 * without a reason or with a reason that is neither `fork` nor `needs <family>`.
 */
function parseDivergences(lines) {
  return lines.map((line) => {
    const cut = line.lastIndexOf('  # ');
    if (cut <= 0) throw new Error(`divergences.txt: no '  # reason' in: ${line}`);
    const name = line.slice(0, cut).trim();
    const reason = line.slice(cut + 4).trim();
    const family = /^needs (\S+)/.exec(reason)?.[1];
    if (!/^fork\b/.test(reason) && (family === undefined || !FAMILIES.includes(family))) {
      throw new Error(`divergences.txt: reason must be 'fork' or 'needs <${FAMILIES.join('|')}>': ${line}`);
    }
    return { name, reason };
  });
}

/** Whether a tool needed by the suite is there; otherwise skip (or fail when real Redis is required). */
function requireTools(runSh) {
  const missing = [];
  if (!existsSync(runSh)) missing.push(runSh);
  if (spawnSync('tclsh8.6', [], { input: 'exit 0' }).status !== 0) missing.push('tclsh8.6');
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) missing.push('redis-server');
  if (missing.length === 0) return true;
  const line = `# redis-suite: skipped, missing ${missing.join(', ')}`;
  if (process.env.NODIS_REQUIRE_REDIS === '1') {
    console.error(`${line} (NODIS_REQUIRE_REDIS=1 makes that a failure)`);
    process.exit(1);
  }
  console.log(line);
  return false;
}

/**
 * Runs run.sh for units against server (a shell command), echoing its output,
 * and resolves to {unit → "P passed, F failed, …" line}, the run's total tally line and its exit status.
 */
function runSuite(runSh, server, units, extra) {
  return new Promise((done) => {
    const args = ['--server', server, '--extra', extra, ...units];
    const child = spawn('bash', [runSh, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results = new Map();
    let total = 'no tally';
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^(\S+): (\d+ passed, \d+ failed.*)$/.exec(line);
        if (m) results.set(m[1], m[2]);
        else if (/^\d+ passed, \d+ failed$/.test(line)) total = line;
      }
    });
    child.on('close', (code) => done({ results, total, status: code ?? 1 }));
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const compare = argv.includes('--compare');
  const listOnly = argv.includes('--list');
  const unknown = argv.find((a) => a.startsWith('--') && a !== '--compare' && a !== '--list');
  if (unknown !== undefined) {
    console.error(`redis-suite: unknown option ${unknown}`);
    process.exit(2);
  }
  let divergences;
  try {
    divergences = parseDivergences(listLines('divergences.txt'));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const ciUnits = listLines('ci-units.txt');
  if (listOnly) {
    for (const d of divergences) console.log(`skip: ${d.name}  # ${d.reason}`);
    for (const u of ciUnits) console.log(`ci: ${u}`);
    return;
  }
  const units = argv.filter((a) => !a.startsWith('--'));
  const chosen = units.length > 0 ? units : ciUnits;
  const runSh = resolve(process.env.NODIS_REDIS_SUITE ?? join(repo, '..', 'shared', 'redis-suite', 'run.sh'));
  if (!requireTools(runSh)) return;

  const scratch = mkdtempSync(join(tmpdir(), 'nodis-suite-'));
  const skipfile = join(scratch, 'skip.txt');
  writeFileSync(skipfile, divergences.map((d) => d.name).join('\n') + '\n');
  // runtest's own port choice races with any other run on the machine (its test
  // server always tries the same port first): each run takes a random slice.
  const slice = Math.floor(Math.random() * 10);
  const ports = `--baseport ${21111 + slice * 800} --portcount 800`;
  try {
    console.log(`# nodis: ${chosen.length} unit(s), ${divergences.length} divergence(s) skipped`);
    const server = `node ${join(repo, 'dist', 'src', 'main.js')}`;
    const nodis = await runSuite(runSh, server, chosen, `${ports} --skipfile ${skipfile}`);
    let redis = null;
    if (compare) {
      console.log('# real Redis: the same units, nothing skipped');
      redis = await runSuite(runSh, '/usr/bin/redis-server', chosen, ports);
    }
    console.log('\n| unit | nodis | real Redis |\n|---|---|---|');
    for (const u of chosen) {
      console.log(`| ${u} | ${nodis.results.get(u) ?? 'no result'} | ${redis?.results.get(u) ?? '—'} |`);
    }
    // The closing line is nodis's tally (with --compare, Redis's run printed its own before).
    console.log(`\nnodis: ${nodis.total}`);
    process.exitCode = nodis.status === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
