/**
 * Replication fault injection: for each fault, NODIS_FAULT_RUNS seeded
 * random runs (default 3; seed NODIS_FAULT_SEED, else a new one each time
 * the suite runs, printed for replaying a failure) against one master and
 * one replica, both nodis-server processes (and, for the replica crash and
 * the link cuts, also a real redis-server master with a nodis replica).
 * During each run a random write workload (startWriter) and a writer of
 * acknowledged keys (AckedWrites: a write counts once WAIT 1 answered ≥ 1
 * after it) run on the master while the fault strikes at a random moment:
 *
 *   replica-crash    the replica is SIGKILLed (sometimes right after a
 *                    BGSAVE of its own) and started again from its dir;
 *   master-crash     the master BGSAVEs, is SIGKILLed later and started
 *                    again from its dir; its replica reconnects by itself;
 *   cut-handshake    the link is cut at a random byte of the handshake
 *                    (of a partial or of a full resync),
 *   cut-rdb          … of the RDB payload of a full sync (disk-based or
 *                    diskless framing, chosen per run),
 *   cut-stream       … of the command stream;
 *   replica-stop     the replica is SIGSTOPped for longer than repl-timeout
 *                    and then continued;
 *   truncated-rdb    the master's RDB payload reaches the replica well
 *                    framed but truncated at a random byte.
 *
 * The replica crash and the link cuts also run with dual-channel sync on
 * both nodes (the RDB then comes over a second link through the proxy).
 *
 * Each run checks that its fault had its effect: the master served the
 * resync the fault calls for — partial after a cut stream, a cut partial
 * handshake or a stopped replica (which the master must first drop), full
 * after a cut full-sync handshake, twice full after a cut or truncated
 * RDB, any after a crash — and the replica reconnected after a cut. The
 * workload must not fail except by the loss of its connections to a
 * master that was killed, and every run has acknowledged writes.
 *
 * A run passes when, the workload stopped and its short TTLs settled, the
 * replica is in sync with the master, DEBUG DIGEST is equal on both, and
 * every acknowledged write is on the replica and the master. A master
 * crash may lose what it acknowledged after its last save (Redis does the
 * same): there, every acknowledged write must be on the replica before the
 * master returns, and every write acknowledged before the BGSAVE must be
 * there after it returns. Runs go on after a failure (on fresh nodes) and
 * each fault's test reports "survived k/N in s" as a diagnostic. The
 * issue's measurement: NODIS_FAULT_RUNS=50 (run the file with node --test
 * directly: 50 runs of a fault exceed run-tests.mjs's per-test timeout).
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../support/random.js';
import { mustCall } from '../support/rdb-dataset.js';
import { redisAvailable } from '../support/servers.js';
import {
  assertConverged,
  describeLink,
  infoField,
  settleRandomWrites,
  startWriter,
  syncStats,
  waitFor,
  writeBulk,
  waitInSync,
  type Writer,
} from '../support/replication.js';
import { sleep } from '../support/wait.js';
import { AckedWrites, LinkProxy, ProcessNode, bgsave, between, isConnectionLoss, sleepBetween, type Phase } from '../support/faults.js';

const RUNS = Number(process.env.NODIS_FAULT_RUNS ?? 3);
// A new seed every time the suite runs (so CI explores), printed so a failure can be replayed.
const SEED = Number(process.env.NODIS_FAULT_SEED ?? Date.now() % 1_000_000_007);
console.log(`# repl-faults: seed ${SEED} (replay with NODIS_FAULT_SEED=${SEED})`);

/** A master and its nodis replica, linked through proxy when there is one. */
interface Pair {
  master: ProcessNode;
  replica: ProcessNode;
  proxy: LinkProxy | null;
}

/**
 * Options of both nodes: short timeouts, saves every second with a change,
 * and a backlog that outlasts any fault (so a link that comes back must
 * continue partially, and the tests can tell a partial resync from a full one).
 */
const NODE_CONFIG = { 'repl-timeout': '2', 'repl-ping-replica-period': '1', save: '1 1', 'repl-backlog-size': '64mb' };
/** …and for the dual-channel runs. */
const DUAL_CONFIG = { ...NODE_CONFIG, 'dual-channel-replication-enabled': 'yes' };

/**
 * Starts a master of masterKind with some bulk data and a nodis replica of
 * it (through a LinkProxy when proxied), in sync.
 */
async function startPair(masterKind: 'nodis' | 'redis', proxied: boolean, dual: boolean): Promise<Pair> {
  const config = dual ? DUAL_CONFIG : NODE_CONFIG;
  const master = await ProcessNode.start(masterKind, config);
  let proxy: LinkProxy | null = null;
  let replica: ProcessNode | null = null;
  try {
    await writeBulk(master, 'bulk', 2000, 200);
    proxy = proxied ? await LinkProxy.start(master.port) : null;
    replica = await ProcessNode.start('nodis', { ...config, replicaof: `127.0.0.1 ${proxy?.port ?? master.port}` });
    const pair = { master, replica, proxy };
    await assertConverged(master, replica);
    return pair;
  } catch (e) {
    await Promise.allSettled([master.stop(), replica?.stop(), proxy?.stop()]);
    throw e;
  }
}

async function stopPair(p: Pair | null): Promise<void> {
  if (p !== null) await Promise.allSettled([p.master.stop(), p.replica.stop(), p.proxy?.stop()]);
}

/** The workload of one run: random writes and acknowledged writes on the master. */
interface Load {
  writer: Writer | null;
  acks: AckedWrites;
}

/** Starts the workload on master and waits until a first write is acknowledged (every run checks some). */
async function startLoad(master: ProcessNode, rnd: () => number, tag: string): Promise<Load> {
  const acks = new AckedWrites(tag);
  await acks.start(master);
  const load = { writer: await startWriter(master, Math.floor(rnd() * 2 ** 31), between(rnd, 0, 2)), acks };
  await acks.waitAcked(1);
  return load;
}

/** Stops the workload; one whose master was killed (masterDied) may have lost its connections, nothing else. */
async function stopLoad(load: Load, masterDied = false): Promise<void> {
  await load.acks.stop(masterDied);
  try {
    await load.writer?.stop();
  } catch (e) {
    if (!masterDied || !isConnectionLoss(e)) throw e;
  }
  load.writer = null;
}

/** The master's resync counters (INFO stats), to tell what a fault caused. */
type Syncs = Awaited<ReturnType<typeof syncStats>>;

/** Waits until the master has served a resync since before, then asserts its kind: full ones and partial ones added. */
async function assertResynced(p: Pair, before: Syncs, kind: 'full' | 'partial' | 'any', what: string): Promise<void> {
  const resynced = async () => {
    const s = await syncStats(p.master);
    return s.full + s.partialOk > before.full + before.partialOk;
  };
  await waitFor(`${p.master.name} to serve a resync after ${what}`, resynced, () => describeLink(p.master, p.replica));
  const after = await syncStats(p.master);
  if (kind === 'partial') {
    assert.equal(after.full, before.full, `${what}: no full sync (${JSON.stringify(after)})`);
    assert.ok(after.partialOk > before.partialOk, `${what}: a partial resync`);
  } else if (kind === 'full') {
    assert.ok(after.full > before.full, `${what}: a full sync (${JSON.stringify(after)})`);
  }
}

/**
 * The end of every run: workload stopped and settled, replica in sync,
 * digests equal, no acknowledged write lost. Returns how many acknowledged
 * writes were checked.
 */
async function checkConverged(p: Pair, load: Load): Promise<number> {
  await stopLoad(load);
  assert.ok(load.acks.acked.size >= 1, 'the run acknowledged writes');
  await settleRandomWrites(p.master);
  await assertConverged(p.master, p.replica);
  await load.acks.assertPresent(p.replica);
  await load.acks.assertPresent(p.master);
  return load.acks.acked.size;
}

/** Makes the replica full-sync again: REPLICAOF NO ONE starts a history of its own, so its PSYNC cannot continue. */
async function forceFullSync(p: Pair): Promise<void> {
  await mustCall(p.replica.admin, 'REPLICAOF', 'NO', 'ONE');
  await mustCall(p.replica.admin, 'REPLICAOF', '127.0.0.1', String(p.proxy?.port ?? p.master.port));
}

/**
 * Waits until the proxy's armed fault has acted; with feed, writing to the
 * master meanwhile so the stream reaches the fault's byte even when the
 * workload is slow (a loaded machine).
 */
async function waitFired(p: Pair, feed = false): Promise<void> {
  const proxy = p.proxy!;
  const fired = async () => {
    if (!proxy.pending) return true;
    if (feed) await mustCall(p.master.admin, 'SET', 'filler', 'f'.repeat(1000));
    return false;
  };
  await waitFor('the fault to act', fired, () => describeLink(p.master, p.replica));
}

/** One run of a fault on pair p with the run's random source; resolves with the number of acknowledged writes it checked. */
type Run = (p: Pair, rnd: () => number, tag: string) => Promise<number>;

/** A random point in the first 90% of the last RDB payload (the next one may be a little smaller). */
const rdbPoint = (proxy: LinkProxy, rnd: () => number) => between(rnd, 0, Math.floor(proxy.lastRdbBytes * 0.9));

/**
 * Runs fault RUNS times on a pair (fresh after a failed run; with dual,
 * both nodes use dual-channel sync), then reports and asserts that every
 * run survived.
 */
async function runFault(
  t: TestContext,
  name: string,
  masterKind: 'nodis' | 'redis',
  proxied: boolean,
  run: Run,
  dual = false,
): Promise<void> {
  const started = Date.now();
  const failures: string[] = [];
  let pair: Pair | null = null;
  let acked = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const rnd = mulberry32(SEED + i * 7919 + name.length * 104729);
      try {
        pair ??= await startPair(masterKind, proxied, dual);
        acked += await run(pair, rnd, `${name}${i}`);
      } catch (e) {
        const logs =
          pair === null
            ? ''
            : `\n--- ${pair.master.name}:\n${pair.master.logTail(25)}\n--- ${pair.replica.name}:\n${pair.replica.logTail(25)}`;
        failures.push(`run ${i} (NODIS_FAULT_SEED=${SEED}): ${(e as Error).stack ?? String(e)}${logs}`);
        await stopPair(pair);
        pair = null;
      }
    }
  } finally {
    await stopPair(pair);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const line = `fault ${name} (${masterKind} master${dual ? ', dual-channel sync' : ''}): survived ${RUNS - failures.length}/${RUNS} in ${secs} s, ${acked} acknowledged writes checked (seed ${SEED})`;
  t.diagnostic(line);
  console.log(`# ${line}`);
  assert.deepEqual(
    failures.map((f) => f.slice(0, 8000)),
    [],
  );
}

// ---------------------------------------------------------------------------
// The faults

const replicaCrash: Run = async (p, rnd, tag) => {
  const load = await startLoad(p.master, rnd, tag);
  await sleepBetween(rnd, 50, 1200);
  if (rnd() < 0.5) await bgsave(p.replica);
  await sleepBetween(rnd, 0, 400);
  const before = await syncStats(p.master);
  await p.replica.crash();
  await sleepBetween(rnd, 0, 600);
  await p.replica.restart();
  // Partial when the replica's last save still continues in the backlog, else full.
  await assertResynced(p, before, 'any', 'the replica restarted');
  await sleepBetween(rnd, 0, 800);
  return checkConverged(p, load);
};

const masterCrash: Run = async (p, rnd, tag) => {
  const load = await startLoad(p.master, rnd, tag);
  await sleepBetween(rnd, 50, 800);
  const beforeSave = load.acks.snapshot();
  await bgsave(p.master);
  await sleepBetween(rnd, 0, 800);
  await p.master.crash();
  await stopLoad(load, true);
  // What the master acknowledged is on the replica, whatever the master lost.
  await load.acks.assertPresent(p.replica, load.acks.acked, 'writes acknowledged before the master crashed');
  await sleepBetween(rnd, 0, 600);
  await p.master.restart();
  await load.acks.assertPresent(p.master, beforeSave, 'writes acknowledged before the BGSAVE');
  // The replica came back to the restarted master (its counters start at 0).
  await assertResynced(p, { full: 0, partialOk: 0, partialErr: 0 }, 'any', 'the master restarted');
  const after = await startLoad(p.master, rnd, `${tag}b`);
  await sleepBetween(rnd, 0, 800);
  const checked = await checkConverged(p, after);
  await load.acks.assertPresent(p.replica, beforeSave, 'writes acknowledged before the BGSAVE');
  return checked + load.acks.acked.size;
};

/** A link cut at a random byte of phase (a full or a partial resync for the handshake). */
function linkCut(phase: Phase): Run {
  return async (p, rnd, tag) => {
    const proxy = p.proxy!;
    if (phase !== 'stream') await mustCall(p.master.admin, 'CONFIG', 'SET', 'repl-diskless-sync', rnd() < 0.5 ? 'yes' : 'no');
    const load = await startLoad(p.master, rnd, tag);
    await sleepBetween(rnd, 0, 300);
    const before = await syncStats(p.master);
    // What the cut must lead to: a partial resync when the replica still has its master's history.
    let expected: 'full' | 'partial';
    if (phase === 'handshake') {
      proxy.arm({ phase, at: between(rnd, 0, proxy.minHandshakeBytes - 1) });
      expected = rnd() < 0.5 ? 'full' : 'partial';
      if (expected === 'full') await forceFullSync(p);
      else proxy.cutAll();
    } else if (phase === 'rdb') {
      proxy.arm({ phase, at: rdbPoint(proxy, rnd) });
      await forceFullSync(p);
      expected = 'full';
    } else {
      proxy.arm({ phase, at: proxy.streamBytes() + between(rnd, 0, 20000) });
      expected = 'partial';
    }
    const fired = proxy.fired.length;
    await waitFired(p, phase === 'stream');
    const cutLink = proxy.fired[fired]!.link;
    await waitFor(
      'the replica to reconnect after the cut',
      () => proxy.links.length > cutLink + 1,
      () => describeLink(p.master, p.replica),
    );
    await assertResynced(p, before, expected, `a cut in the ${phase}`);
    if (phase === 'rdb') {
      // A cut RDB transfer is done again: a second full sync.
      const again = async () => (await syncStats(p.master)).full >= before.full + 2;
      await waitFor('the cut full sync to be done again', again, () => describeLink(p.master, p.replica));
    }
    await sleepBetween(rnd, 0, 500);
    return checkConverged(p, load);
  };
}

const replicaStop: Run = async (p, rnd, tag) => {
  const load = await startLoad(p.master, rnd, tag);
  await sleepBetween(rnd, 50, 600);
  const before = await syncStats(p.master);
  p.replica.pause();
  try {
    // repl-timeout (2 s) passes without an ACK: the master drops the stopped replica.
    const dropped = async () => (await infoField(p.master, 'replication', 'connected_slaves')) === '0';
    await waitFor(`${p.master.name} to drop the stopped replica`, dropped, () => p.master.logTail());
    await sleepBetween(rnd, 0, 1000);
  } finally {
    p.replica.resume();
  }
  await assertResynced(p, before, 'partial', 'the replica was stopped');
  await sleepBetween(rnd, 0, 500);
  return checkConverged(p, load);
};

/** What a replica logs when a full sync's RDB does not load (Redis's text). */
const LOAD_FAILED = 'Failed trying to load the MASTER synchronization DB from disk';

const truncatedRdb: Run = async (p, rnd, tag) => {
  const proxy = p.proxy!;
  await mustCall(p.master.admin, 'CONFIG', 'SET', 'repl-diskless-sync', rnd() < 0.5 ? 'yes' : 'no');
  const load = await startLoad(p.master, rnd, tag);
  await sleepBetween(rnd, 0, 300);
  const fullSyncs = Number(await infoField(p.master, 'stats', 'sync_full'));
  proxy.arm({ phase: 'rdb', at: rdbPoint(proxy, rnd), truncate: true });
  await forceFullSync(p);
  const rejected = () => p.replica.log().split(LOAD_FAILED).length - 1;
  const rejectedBefore = rejected();
  await waitFired(p);
  // The replica rejects the payload and syncs again.
  await waitFor(
    'the replica to reject the truncated RDB',
    () => rejected() > rejectedBefore,
    () => p.replica.logTail(),
  );
  const again = async () => Number(await infoField(p.master, 'stats', 'sync_full')) >= fullSyncs + 2;
  await waitFor('a second full sync', again, () => describeLink(p.master, p.replica));
  assert.equal(proxy.lastFired?.truncate, true, 'the payload was truncated');
  return checkConverged(p, load);
};

// Two faults at a time: each has its own servers on their own ports.
describe('replication fault injection', { concurrency: 2 }, () => {
  test('replica SIGKILL and restart (nodis master)', (t) => runFault(t, 'replica-crash', 'nodis', false, replicaCrash));
  test('master SIGKILL and restart with persistence', (t) => runFault(t, 'master-crash', 'nodis', false, masterCrash));
  test('link cut in the handshake (nodis master)', (t) => runFault(t, 'cut-handshake', 'nodis', true, linkCut('handshake')));
  test('link cut in the RDB transfer (nodis master)', (t) => runFault(t, 'cut-rdb', 'nodis', true, linkCut('rdb')));
  test('link cut in the stream (nodis master)', (t) => runFault(t, 'cut-stream', 'nodis', true, linkCut('stream')));
  test('replica SIGSTOP longer than repl-timeout', (t) => runFault(t, 'replica-stop', 'nodis', false, replicaStop));
  test('a master sending a truncated RDB', (t) => runFault(t, 'truncated-rdb', 'nodis', true, truncatedRdb));
});

describe('replication fault injection, dual-channel sync (nodis master and replica)', { concurrency: 2 }, () => {
  test('replica SIGKILL and restart (dual-channel)', (t) => runFault(t, 'dual-replica-crash', 'nodis', false, replicaCrash, true));
  test('link cut in the handshake (dual-channel)', (t) => runFault(t, 'dual-cut-handshake', 'nodis', true, linkCut('handshake'), true));
  test('link cut in the RDB transfer (dual-channel)', (t) => runFault(t, 'dual-cut-rdb', 'nodis', true, linkCut('rdb'), true));
  test('link cut in the stream (dual-channel)', (t) => runFault(t, 'dual-cut-stream', 'nodis', true, linkCut('stream'), true));
});

describe('what the fault runs found, pinned', () => {
  // A replica restarted from its own RDB continues its master's stream from
  // the RDB's offset, so it must load keys whose TTL has passed meanwhile:
  // the master may have made them persistent after the save (Redis keeps
  // them: its replica loads with "keys expired: 0").
  test('a replica restarted from its RDB keeps keys whose TTL passed; the stream decides', async () => {
    const master = await ProcessNode.start('nodis', { save: '' });
    let replica: ProcessNode | null = null;
    try {
      replica = await ProcessNode.start('nodis', { save: '', replicaof: `127.0.0.1 ${master.port}` });
      await mustCall(master.admin, 'SET', 'k', 'v', 'PX', '800');
      await waitInSync(master, replica);
      await mustCall(replica.admin, 'SAVE');
      await replica.crash();
      await mustCall(master.admin, 'PERSIST', 'k');
      await sleep(1000);
      await replica.restart();
      await waitInSync(master, replica);
      assert.equal(await replica.admin.callText('GET', 'k'), '$1\r\nv\r\n', replica.logTail());
    } finally {
      await Promise.allSettled([master.stop(), replica?.stop()]);
    }
  });
});

describe('replication fault injection, Redis master and nodis replica', { skip: !redisAvailable('repl-faults'), concurrency: 2 }, () => {
  test('replica SIGKILL and restart (Redis master)', (t) => runFault(t, 'replica-crash', 'redis', false, replicaCrash));
  test('link cut in the handshake (Redis master)', (t) => runFault(t, 'cut-handshake', 'redis', true, linkCut('handshake')));
  test('link cut in the RDB transfer (Redis master)', (t) => runFault(t, 'cut-rdb', 'redis', true, linkCut('rdb')));
  test('link cut in the stream (Redis master)', (t) => runFault(t, 'cut-stream', 'redis', true, linkCut('stream')));
});
