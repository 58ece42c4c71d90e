/**
 * Test support for replication scenarios over real processes: nodes of
 * either implementation (a nodis-server process, an in-process nodis, or a
 * real redis-server 7.0), pointing one at another, waiting until a replica
 * has processed everything its master produced, INFO fields, digests, and
 * write workloads that touch every write family — a fixed one and a
 * seeded random one — so the same scenario runs on any pair of servers.
 *
 * "In sync" means: the replica's link is up, no sync is in progress and
 * its offset (slave_repl_offset) equals the master's master_repl_offset.
 * For a chain A → B → C, C is in sync with A when its offset equals A's.
 *
 * Every wait is bounded (DEADLINE_MS, see wait.ts) and fails with the replica's
 * INFO replication and the tail of both nodes' logs, so a failure says why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { RunningServer } from '../../src/index.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import { RawClient } from './raw-client.js';
import { freePort, redisAvailable, startNodis, startNodisProcess, startRedis } from './servers.js';
import { DEADLINE_MS, sleep, waitFor } from './wait.js';
import { mulberry32 } from './random.js';
import { assertSameFacts, buildDataset, datasetFacts, mustCall, type DatasetFacts } from './rdb-dataset.js';

/** nodis: a nodis-server process; nodis-inproc: nodis inside the test process; redis: redis-server 7.0. */
export type NodeKind = 'nodis' | 'nodis-inproc' | 'redis';

/** A running server of some kind, with a connection for the test's own commands. */
export interface ReplNode {
  readonly kind: NodeKind;
  readonly port: number;
  /** "kind:port", for messages. */
  readonly name: string;
  /** A connection for the test (authenticated when requirepass is set). */
  readonly admin: RawClient;
  /** The in-process server (nodis-inproc only). */
  readonly inproc: RunningServer | null;
  /** Freezes (SIGSTOP) or resumes (SIGCONT) the process; not possible in-process. */
  pause(): void;
  resume(): void;
  /** The last lines of the node's log, for failure messages. */
  logTail(lines?: number): string;
  /** Closes the admin connection and stops the server. */
  stop(): Promise<void>;
}

/**
 * The combinations of node kinds a suite runs: env (e.g. NODIS_REPL_PAIRS)
 * as "a>b,c>d" or else fallback; without redis-server installed, only
 * the all-nodis ones (redisAvailable prints why, or fails when Redis is
 * required).
 */
export function kindChains(suite: string, env: string, fallback: string): NodeKind[][] {
  const all = (process.env[env] ?? fallback).split(',').map((p) => p.split('>') as NodeKind[]);
  return redisAvailable(suite) ? all : all.filter((p) => !p.includes('redis'));
}

/**
 * Options every node gets: DEBUG for digests, diskless transfers without
 * delay. repl-timeout stays at Redis's default (60 s): with a shorter one
 * than the master's PING period (10 s) a replica drops a healthy link
 * whenever the master has been quiet that long (it happened after the
 * workload of a slow run stopped); tests about timeouts set their own.
 */
export const BASE_CONFIG: Readonly<Record<string, string>> = {
  'enable-debug-command': 'yes',
  'repl-timeout': '60',
  'repl-diskless-sync-delay': '0',
};

const args = (config: Record<string, string>) => Object.entries(config).flatMap(([k, v]) => [`--${k}`, v]);

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

/** Starts a node of kind with BASE_CONFIG overridden by config. */
export async function startNode(kind: NodeKind, config: Record<string, string> = {}): Promise<ReplNode> {
  const all = { ...BASE_CONFIG, ...config };
  let port: number;
  let proc: ChildProcess | null = null;
  let inproc: RunningServer | null = null;
  let stopServer: () => Promise<void>;
  let log: () => string;
  if (kind === 'redis') {
    const r = await startRedis(args({ ...all, logfile: 'redis.log' }));
    ({ port, proc } = r);
    stopServer = r.stop;
    log = () => {
      try {
        return readFileSync(join(r.dir, 'redis.log'), 'utf8');
      } catch {
        return '';
      }
    };
  } else if (kind === 'nodis') {
    const n = await startNodisProcess(args(all));
    ({ port, proc } = n);
    stopServer = n.stop;
    log = n.output;
  } else {
    // Its own dir, so a disk-based sync's RDB does not land in the test's working directory.
    const dir = mkdtempSync(join(tmpdir(), 'nodis-repl-'));
    let out = '';
    const srv = await startNodis({ config: { ...all, dir } });
    srv.server.logger.enabled = true;
    srv.server.logger.raw = (line: string) => void (out += line);
    inproc = srv;
    port = srv.port;
    stopServer = async () => {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    log = () => out;
  }
  const admin = await RawClient.connect(port);
  if (all.requirepass !== undefined) await mustCall(admin, 'AUTH', all.requirepass);
  const signal = (sig: NodeJS.Signals) => {
    assert.ok(proc !== null, `${kind} runs in-process: it cannot be paused`);
    proc.kill(sig);
  };
  return {
    kind,
    port,
    name: `${kind}:${port}`,
    admin,
    inproc,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    logTail: (lines = 15) => tail(log(), lines),
    stop: async () => {
      admin.close();
      if (proc !== null && proc.signalCode === null && proc.exitCode === null) proc.kill('SIGCONT');
      await stopServer();
    },
  };
}

/** Stops every node given (skipping undefined ones), even when some fail to stop. */
export async function stopNodes(...nodes: (ReplNode | undefined)[]): Promise<void> {
  await Promise.allSettled(nodes.map((n) => n?.stop()));
}

/** A reply's text (simple, bulk, error, integer). */
export function text(v: RespValue): string {
  if ('value' in v) return String(v.value);
  return v.kind;
}

/** INFO section parsed into field → value. */
export async function info(c: RawClient, section: string): Promise<Map<string, string>> {
  const v = await mustCall(c, 'INFO', section);
  const out = new Map<string, string>();
  for (const line of text(v).split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** One INFO field of a node ('' when absent). */
export async function infoField(node: ReplNode, section: string, field: string): Promise<string> {
  return (await info(node.admin, section)).get(field) ?? '';
}

/** A node's INFO stats sync counters. */
export async function syncStats(node: ReplNode): Promise<{ full: number; partialOk: number; partialErr: number }> {
  const s = await info(node.admin, 'stats');
  return { full: Number(s.get('sync_full')), partialOk: Number(s.get('sync_partial_ok')), partialErr: Number(s.get('sync_partial_err')) };
}

export { waitFor } from './wait.js';

/** The replication INFO of both nodes and their log tails, for a failure message. */
export async function describeLink(master: ReplNode, replica: ReplNode): Promise<string> {
  const show = async (n: ReplNode) => {
    let repl: string;
    try {
      repl = [...(await info(n.admin, 'replication'))].map(([k, v]) => `${k}:${v}`).join(' ');
    } catch (e) {
      repl = `(INFO failed: ${(e as Error).message})`;
    }
    return `--- ${n.name}: ${repl}\n${n.logTail()}`;
  };
  return `${await show(master)}\n${await show(replica)}`;
}

/** Makes replica a replica of master (REPLICAOF 127.0.0.1 port), expecting +OK. */
export async function replicate(replica: ReplNode, master: ReplNode | number): Promise<void> {
  const port = typeof master === 'number' ? master : master.port;
  const v = await replica.admin.value('REPLICAOF', '127.0.0.1', String(port));
  assert.equal(text(v), 'OK', `${replica.name}: REPLICAOF ${port}`);
}

/** Makes node a master again (REPLICAOF NO ONE). */
export async function promote(node: ReplNode): Promise<void> {
  assert.equal(text(await node.admin.value('REPLICAOF', 'NO', 'ONE')), 'OK', `${node.name}: REPLICAOF NO ONE`);
}

/** Whether replica's link is up, no sync runs and it has processed master's whole stream. */
export async function inSync(master: ReplNode, replica: ReplNode): Promise<boolean> {
  const r = await info(replica.admin, 'replication');
  if (r.get('master_link_status') !== 'up' || r.get('master_sync_in_progress') !== '0') return false;
  const m = await info(master.admin, 'replication');
  return m.get('master_repl_offset') === r.get('slave_repl_offset');
}

/** Waits until replica is in sync with master (see inSync). */
export async function waitInSync(master: ReplNode, replica: ReplNode): Promise<void> {
  await waitFor(
    `${replica.name} to be in sync with ${master.name}`,
    () => inSync(master, replica),
    () => describeLink(master, replica),
  );
}

/** Waits until replica's master link is up (the handshake and any sync are done). */
export async function waitLinkUp(master: ReplNode, replica: ReplNode): Promise<void> {
  const up = async () => (await infoField(replica, 'replication', 'master_link_status')) === 'up';
  await waitFor(`${replica.name}'s link to ${master.name} to be up`, up, () => describeLink(master, replica));
}

/** DEBUG DIGEST of a node (given three deadlines: it walks the whole dataset, a million keys in some tests). */
export async function digest(node: ReplNode): Promise<string> {
  node.admin.write(RawClient.encode(['DEBUG', 'DIGEST']));
  const v = (await node.admin.read(3 * DEADLINE_MS)).value;
  assert.equal(v.kind, 'simple', `${node.name}: DEBUG DIGEST: ${text(v)}`);
  return text(v);
}

/** Every db (0-15) that has keys on c, from INFO keyspace. */
async function usedDbs(c: RawClient): Promise<number[]> {
  return [...(await info(c, 'keyspace')).keys()].map((k) => Number(k.slice(2)));
}

/**
 * Asserts that every replica holds the master's data (after waiting until
 * each is in sync): DEBUG DIGEST equal; when not, the per-key facts (type,
 * value digest, expiry; not encodings, which depend on history) are
 * compared first so the failure names a key.
 */
export async function assertSameData(master: ReplNode, ...replicas: ReplNode[]): Promise<void> {
  const expected = await digest(master);
  for (const r of replicas) {
    const actual = await digest(r);
    if (actual === expected) continue;
    const dbs = [...new Set([...(await usedDbs(master.admin)), ...(await usedDbs(r.admin))])].sort((a, b) => a - b);
    const facts = async (n: ReplNode): Promise<DatasetFacts> => {
      const f = await datasetFacts(n.admin, dbs);
      return { digest: f.digest, keys: f.keys.map((k) => ({ ...k, encoding: '' })) };
    };
    assertSameFacts(await facts(r), await facts(master));
    assert.equal(actual, expected, `DEBUG DIGEST of ${r.name} and ${master.name}`);
  }
}

/** Waits until every replica is in sync with master, then asserts equal data (assertSameData). */
export async function assertConverged(master: ReplNode, ...replicas: ReplNode[]): Promise<void> {
  for (const r of replicas) await waitInSync(master, r);
  await assertSameData(master, ...replicas);
}

/**
 * Waits until master has served one more resync (full or partial) than
 * the stats `before` show, and replica's link is up again.
 */
export async function waitResynced(master: ReplNode, replica: ReplNode, before: { full: number; partialOk: number }): Promise<void> {
  const resynced = async () => {
    const s = await syncStats(master);
    return s.full + s.partialOk > before.full + before.partialOk;
  };
  await waitFor(`${replica.name} to resync with ${master.name}`, resynced, () => describeLink(master, replica));
  await waitLinkUp(master, replica);
}

/**
 * Starts a master of masterKind holding the dataset (buildDataset) and
 * replicas of the given kinds in sync with it, runs fn, and stops them all.
 */
export async function withReplication(
  masterKind: NodeKind,
  replicaKinds: NodeKind[],
  config: { master?: Record<string, string>; replica?: Record<string, string> },
  fn: (master: ReplNode, replicas: ReplNode[]) => Promise<void>,
): Promise<void> {
  const nodes: ReplNode[] = [];
  try {
    const master = await startNode(masterKind, config.master);
    nodes.push(master);
    for (const kind of replicaKinds) nodes.push(await startNode(kind, config.replica));
    const replicas = nodes.slice(1);
    await buildDataset(master.admin);
    for (const r of replicas) await replicate(r, master);
    for (const r of replicas) await waitInSync(master, r);
    await fn(master, replicas);
  } finally {
    await stopNodes(...nodes);
  }
}

/** Kills the replication link from the replica's side (CLIENT KILL TYPE master) or the master's (TYPE replica). */
export async function killLink(node: ReplNode, side: 'master' | 'replica'): Promise<number> {
  const v = await mustCall(node.admin, 'CLIENT', 'KILL', 'TYPE', side);
  return Number(text(v));
}

/** A port nothing listens on (it was free a moment ago). */
export const unusedPort = freePort;

// ---------------------------------------------------------------------------
// Workloads

/**
 * Runs a fixed script of every write family on master (strings, keys and
 * expiry, lists with a served BLMOVE and LMPOP, hashes, sets, sorted sets,
 * bits, MULTI/EXEC, several dbs with MOVE/COPY/SWAPDB/FLUSHDB, binary keys,
 * keys that expire during the run — lazily and by the master's active
 * expiry). Keys are prefixed with tag. Returns once every short-lived key
 * is gone on the master, so the stream holds their DELs. Leaves the admin
 * connection in db 0.
 */
export async function writeEveryFamily(master: ReplNode, tag: string): Promise<void> {
  const k = (name: string) => `${tag}:${name}`;
  const c = master.admin;
  const expiredBefore = Number((await info(c, 'stats')).get('expired_keys'));
  const script: string[][] = [
    ['SELECT', '0'],
    // Keys that expire during the run: one read after its TTL (lazy), the others left to active expiry.
    ['SET', k('lazy'), 'v', 'PX', '40'],
    ['SET', k('active1'), 'v', 'PX', '40'],
    ['PSETEX', k('active2'), '40', 'v'],
    ['RPUSH', k('active3'), 'x'],
    ['PEXPIRE', k('active3'), '40'],
    // Strings.
    ['SET', k('s'), 'hello'],
    ['APPEND', k('s'), ' world'],
    ['SETRANGE', k('s'), '3', 'XY'],
    ['SETRANGE', k('pad'), '5', '\x00z'],
    ['INCR', k('n')],
    ['INCRBY', k('n'), '41'],
    ['DECRBY', k('n'), '2'],
    ['DECR', k('n')],
    ['INCRBYFLOAT', k('f'), '1.5'],
    ['INCRBYFLOAT', k('f'), '-0.25'],
    ['SET', k('fttl'), '3', 'EX', '1000'],
    ['INCRBYFLOAT', k('fttl'), '0.1'],
    ['SET', k('ex'), 'v', 'EX', '1000'],
    ['SET', k('px'), 'v', 'PX', '1000000'],
    ['SET', k('exat'), 'v', 'EXAT', '4102444800'],
    ['SET', k('pxat'), 'v', 'PXAT', '4102444800123'],
    ['SET', k('ex'), 'v2', 'KEEPTTL'],
    ['SET', k('px'), 'v2', 'GET'],
    ['SET', k('xx'), 'v', 'XX'],
    ['SET', k('nx'), 'v', 'NX'],
    ['SETEX', k('setex'), '1000', 'v'],
    ['PSETEX', k('psetex'), '1000000', 'v'],
    ['GETSET', k('gs'), 'x'],
    ['GETDEL', k('gs')],
    ['SET', k('getex'), 'v'],
    ['GETEX', k('getex'), 'PX', '900000'],
    ['SET', k('getex2'), 'v', 'EX', '500'],
    ['GETEX', k('getex2'), 'PERSIST'],
    ['GETEX', k('getex'), 'EXAT', '4102444800'],
    ['MSET', k('m1'), '1', k('m2'), '2'],
    ['MSETNX', k('m3'), '3', k('m4'), '4'],
    ['SETNX', k('snx'), '1'],
    ['SET', `${tag}:\x00\xff\r\n`, '\x01\x02\x00\r\n'],
    // Keys and expiry.
    ['EXPIRE', k('m1'), '5000'],
    ['PEXPIRE', k('m2'), '5000000'],
    ['EXPIREAT', k('m3'), '4102444800'],
    ['PEXPIREAT', k('m4'), '4102444800999'],
    ['PERSIST', k('m3')],
    ['EXPIRE', k('m2'), '100', 'GT'],
    ['PEXPIREAT', k('gone'), '1'],
    ['SET', k('past'), 'v'],
    ['PEXPIREAT', k('past'), '1'],
    ['RENAME', k('snx'), k('renamed')],
    ['RENAMENX', k('renamed'), k('renamednx')],
    ['COPY', k('s'), k('copy')],
    ['COPY', k('ex'), k('copy'), 'REPLACE'],
    ['DEL', k('copy')],
    ['UNLINK', k('m4')],
    ['COPY', k('s'), k('copydb'), 'DB', '4'],
    // Lists.
    ['RPUSH', k('l'), 'a', 'b', 'c', 'd', 'e', 'f'],
    ['LPUSH', k('l'), 'z'],
    ['LPUSHX', k('l'), 'y'],
    ['RPUSHX', k('nolist'), 'y'],
    ['LSET', k('l'), '1', 'A'],
    ['LINSERT', k('l'), 'BEFORE', 'c', 'bb'],
    ['LTRIM', k('l'), '0', '7'],
    ['LPOP', k('l')],
    ['RPOP', k('l'), '1'],
    ['RPOPLPUSH', k('l'), k('l2')],
    ['LMOVE', k('l'), k('l2'), 'LEFT', 'RIGHT'],
    ['LREM', k('l'), '0', 'zz'],
    ['LMPOP', '2', k('none'), k('l'), 'LEFT', 'COUNT', '2'],
    ['BLPOP', k('l2'), '1'],
    ['BRPOPLPUSH', k('l2'), k('l3'), '1'],
    // Hashes.
    ['HSET', k('h'), 'a', '1', 'b', '2', 'c', '3'],
    ['HMSET', k('h'), 'd', '4'],
    ['HINCRBY', k('h'), 'a', '10'],
    ['HINCRBYFLOAT', k('h'), 'b', '0.25'],
    ['HINCRBYFLOAT', k('h'), 'new', '1e3'],
    ['HDEL', k('h'), 'c'],
    ['HSETNX', k('h'), 'e', '5'],
    // Sets.
    ['SADD', k('set'), '1', '2', '3', '4', '5', '6', 'x'],
    ['SREM', k('set'), '5'],
    ['SPOP', k('set')],
    ['SPOP', k('set'), '2'],
    ['SMOVE', k('set'), k('set2'), 'x'],
    ['SADD', k('set3'), '1', '2', '3', '4', '6', '9'],
    ['SINTERSTORE', k('inter'), k('set'), k('set3')],
    ['SUNIONSTORE', k('union'), k('set'), k('set3')],
    ['SDIFFSTORE', k('diff'), k('set3'), k('set')],
    // Sorted sets.
    ['ZADD', k('z'), '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    ['ZADD', k('z'), 'XX', 'CH', '1.5', 'a'],
    ['ZINCRBY', k('z'), '2.5', 'a'],
    ['ZREM', k('z'), 'd'],
    ['ZPOPMIN', k('z')],
    ['ZPOPMAX', k('z'), '1'],
    ['ZMPOP', '1', k('z'), 'MIN'],
    ['ZADD', k('z2'), '10', 'x', '20', 'y'],
    ['ZUNIONSTORE', k('zu'), '2', k('z'), k('z2'), 'WEIGHTS', '2', '0.5'],
    ['ZINTERSTORE', k('zi'), '2', k('zu'), k('z2')],
    ['ZRANGESTORE', k('zr'), k('zu'), '0', '1'],
    ['ZREMRANGEBYSCORE', k('zu'), '0', '2'],
    ['BZPOPMAX', k('z2'), '1'],
    // Bits.
    ['SETBIT', k('bits'), '77', '1'],
    ['BITOP', 'NOT', k('bits2'), k('bits')],
    ['BITFIELD', k('bf'), 'INCRBY', 'u8', '0', '200', 'SET', 'i5', '9', '3'],
    // Transactions (and an empty one).
    ['MULTI'],
    ['INCR', k('tx')],
    ['LPUSH', k('txl'), 'q'],
    ['SET', k('txs'), 'v', 'PX', '500000'],
    ['EXEC'],
    ['MULTI'],
    ['EXEC'],
    // Other dbs: MOVE, FLUSHDB, SWAPDB.
    ['SELECT', '5'],
    ['SET', k('db5'), 'five'],
    ['HSET', k('db5h'), 'f', 'v'],
    ['MOVE', k('db5'), '6'],
    ['SELECT', '7'],
    ['SET', k('flushed'), 'x'],
    ['FLUSHDB'],
    ['SET', k('after-flush'), 'y'],
    ['SELECT', '8'],
    ['SET', k('swap'), 'eight'],
    ['SWAPDB', '8', '9'],
    ['SELECT', '0'],
  ];
  for (const argv of script) await mustCall(c, ...argv);
  await servedBlockingMove(master, k('bsrc'), k('bdst'));
  await sleep(60); // time passing on purpose: the 40 ms TTLs run out
  await mustCall(c, 'GET', k('lazy'));
  const expired = async () => Number((await info(c, 'stats')).get('expired_keys')) >= expiredBefore + 4;
  await waitFor(`${master.name} to expire the short-lived keys`, expired, () => master.logTail());
}

/** Serves a BLMOVE (blocked on another connection of master) with an RPUSH. */
async function servedBlockingMove(master: ReplNode, src: string, dst: string): Promise<void> {
  const blocked = await RawClient.connect(master.port);
  try {
    const pending = blocked.call('BLMOVE', src, dst, 'LEFT', 'RIGHT', '5');
    const isBlocked = async () => (await info(master.admin, 'clients')).get('blocked_clients') === '1';
    await waitFor('the BLMOVE to block', isBlocked);
    await mustCall(master.admin, 'RPUSH', src, 'served', 'left');
    assert.equal(text((await pending).value), 'served');
  } finally {
    blocked.close();
  }
}

/** The dbs the random workload writes to (none of the dataset's, nor writeEveryFamily's). */
export const RANDOM_DBS = [1, 2, 10];

/** Key names of the random workload: a few per type, so commands meet existing keys. */
const KEYS_PER_TYPE = 12;
const TYPES = ['s', 'l', 'h', 'set', 'z'] as const;

/**
 * A seeded generator of random write commands (with the odd MULTI/EXEC
 * group and db switch) over a small key space in RANDOM_DBS, some with
 * short TTLs. Each call returns one request: a list of commands sent
 * together and whose replies are read in order.
 */
export function randomWrites(seed: number): () => string[][] {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const key = (t: (typeof TYPES)[number]) => `r${t}:${int(KEYS_PER_TYPE)}`;
  const val = () => (rnd() < 0.1 ? '\x00\xff\r\n'.repeat(1 + int(4)) : `v${int(1000)}`.repeat(1 + int(3)));
  const num = () => String(int(200) - 100);
  const one = (): string[] => {
    switch (int(46)) {
      case 0:
        return ['SET', key('s'), val()];
      case 1:
        return ['SET', key('s'), val(), 'PX', String(20 + int(200))];
      case 2:
        return ['SET', key('s'), val(), 'EX', String(100 + int(1000))];
      case 3:
        return ['SET', key('s'), val(), 'KEEPTTL'];
      case 4:
        return ['APPEND', key('s'), val()];
      case 5:
        return ['SETRANGE', key('s'), String(int(20)), val()];
      case 6:
        return ['INCRBY', `rn:${int(4)}`, num()];
      case 7:
        return ['INCRBYFLOAT', `rf:${int(4)}`, `${num()}.${int(100)}`];
      case 8:
        return ['GETEX', key('s'), pick([['PX', String(20 + int(200))], ['PERSIST'], ['EX', '5000']])].flat();
      case 9:
        return ['GETDEL', key('s')];
      case 10:
        return ['MSET', key('s'), val(), key('s'), val()];
      case 11:
        return ['SETBIT', key('s'), String(int(200)), String(int(2))];
      case 12:
        return ['PEXPIRE', key(pick(TYPES)), String(20 + int(200))];
      case 13:
        return ['EXPIRE', key(pick(TYPES)), String(100 + int(5000))];
      case 14:
        return ['PERSIST', key(pick(TYPES))];
      case 15: {
        const t = pick(TYPES);
        return ['RENAME', key(t), key(t)];
      }
      case 16: {
        const t = pick(TYPES);
        return ['COPY', key(t), key(t), 'REPLACE'];
      }
      case 17:
        return ['DEL', key(pick(TYPES)), key(pick(TYPES))];
      case 18:
        return ['MOVE', key(pick(TYPES)), String(pick(RANDOM_DBS))];
      case 19:
        return ['RPUSH', key('l'), val(), val(), val()];
      case 20:
        return ['LPUSH', key('l'), val()];
      case 21:
        return ['LPOP', key('l'), String(1 + int(2))];
      case 22:
        return ['LMOVE', key('l'), key('l'), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])];
      case 23:
        return ['LMPOP', '2', key('l'), key('l'), 'RIGHT', 'COUNT', String(1 + int(3))];
      case 24:
        return ['LTRIM', key('l'), String(int(3)), String(-1 - int(3))];
      case 25:
        return ['LREM', key('l'), String(int(3) - 1), val()];
      case 26:
        return ['HSET', key('h'), `f${int(30)}`, val(), `f${int(30)}`, val()];
      case 27:
        return ['HINCRBY', key('h'), `n${int(5)}`, num()];
      case 28:
        return ['HINCRBYFLOAT', key('h'), `x${int(5)}`, `${num()}.5`];
      case 29:
        return ['HDEL', key('h'), `f${int(30)}`];
      case 30:
        return ['SADD', key('set'), String(int(50)), `m${int(50)}`, String(int(50))];
      case 31:
        return ['SPOP', key('set'), String(1 + int(3))];
      case 32:
        return ['SREM', key('set'), String(int(50))];
      case 33:
        return ['SMOVE', key('set'), key('set'), String(int(50))];
      case 34:
        return [pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), key('set'), key('set'), key('set')];
      case 35:
        return ['ZADD', key('z'), num(), `m${int(40)}`, `${num()}.25`, `m${int(40)}`];
      case 36:
        return ['ZINCRBY', key('z'), `${num()}.5`, `m${int(40)}`];
      case 37:
        return [pick(['ZPOPMIN', 'ZPOPMAX']), key('z'), String(1 + int(2))];
      case 38:
        return ['ZUNIONSTORE', key('z'), '2', key('z'), key('z')];
      case 39:
        return ['ZRANGESTORE', key('z'), key('z'), '0', String(int(10))];
      case 40:
        return ['ZREMRANGEBYRANK', key('z'), '0', String(int(3))];
      case 41:
        return ['SELECT', String(pick(RANDOM_DBS))];
      case 42:
        return ['SWAPDB', String(RANDOM_DBS[0]), String(RANDOM_DBS[1])];
      case 43:
        return ['ZMPOP', '1', key('z'), pick(['MIN', 'MAX'])];
      case 44:
        return ['SET', key('s'), 'x'.repeat(int(3000))];
      default:
        return int(20) === 0 ? ['FLUSHDB'] : ['UNLINK', key(pick(TYPES))];
    }
  };
  return () => {
    if (rnd() < 0.08) return [['MULTI'], one(), one(), one(), ['EXEC']];
    return [one()];
  };
}

/** Sends a request of commands together on c and reads their replies (errors such as WRONGTYPE are expected). */
export async function sendRequest(c: RawClient, cmds: string[][]): Promise<void> {
  c.write(Buffer.concat(cmds.map((argv) => RawClient.encode(argv))));
  for (let i = 0; i < cmds.length; i++) await c.read();
}

/** A random write workload running in the background on its own connection to a node. */
export interface Writer {
  /** Commands sent so far. */
  readonly count: () => number;
  /** Stops after the request in flight; rejects if the workload failed (a lost connection). */
  stop(): Promise<void>;
}

/** Waits until writer has sent n more commands than when called (so writes go on around what follows). */
export async function waitWrites(writer: Writer, n: number): Promise<void> {
  const target = writer.count() + n;
  await waitFor(`${n} more writes of the workload`, () => writer.count() >= target);
}

/**
 * Starts randomWrites(seed) on a new connection to node, one request at a
 * time, pausing pauseMs between requests (0: none) so the workload is
 * spread in time rather than a flood.
 */
export async function startWriter(node: ReplNode, seed: number, pauseMs = 0): Promise<Writer> {
  const c = await RawClient.connect(node.port);
  await mustCall(c, 'SELECT', String(RANDOM_DBS[0]));
  return startRequests(c, randomWrites(seed), () => (pauseMs > 0 ? sleep(pauseMs) : undefined));
}

/**
 * Sends next()'s requests on c, one at a time, awaiting pace() after each,
 * until stopped; stop() then closes c.
 */
export function startRequests(c: RawClient, next: () => string[][], pace: () => Promise<unknown> | undefined): Writer {
  let sent = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const cmds = next();
      await sendRequest(c, cmds);
      sent += cmds.length;
      await pace();
    }
  })();
  // A failure (the node died) is reported by stop(), not as an unhandled rejection meanwhile.
  loop.catch(() => undefined);
  return {
    count: () => sent,
    stop: async () => {
      stopping = true;
      try {
        await loop;
      } finally {
        c.close();
      }
    },
  };
}

/**
 * Ends a random workload cleanly: waits past its longest short TTL, then
 * touches every key it may have written on master, so keys that expired
 * are deleted there (and their DELs are in the stream) before digests are
 * compared. Leaves the admin connection in db 0.
 */
export async function settleRandomWrites(master: ReplNode): Promise<void> {
  await sleep(250); // time passing on purpose: past the workload's longest short TTL (220 ms)
  const c = master.admin;
  const names = [
    ...TYPES.flatMap((t) => Array.from({ length: KEYS_PER_TYPE }, (_, i) => `r${t}:${i}`)),
    'rn:0',
    'rn:1',
    'rn:2',
    'rn:3',
    'rf:0',
    'rf:1',
    'rf:2',
    'rf:3',
  ];
  for (const db of RANDOM_DBS) {
    await mustCall(c, 'SELECT', String(db));
    await mustCall(c, 'EXISTS', ...names);
  }
  await mustCall(c, 'SELECT', '0');
}

/** Writes n string keys of size bytes each in db 0 (pipelined), e.g. to overflow a small backlog. */
export async function writeBulk(node: ReplNode, prefix: string, n: number, size: number): Promise<void> {
  const value = 'b'.repeat(size);
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    const cmds = Array.from({ length: Math.min(batch, n - i) }, (_, j) => ['SET', `${prefix}:${i + j}`, value]);
    await sendRequest(node.admin, cmds);
  }
}
