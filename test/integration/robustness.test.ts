/**
 * Robustness: bad input gets a clear error and never a crash. Two seeded,
 * reproducible fuzzers run against an in-process nodis:
 *
 *  1. protocol fuzz — many connections send byte garbage mixed with
 *     fragments of valid and broken RESP (random splits, huge and negative
 *     lengths, missing CRLFs, inline lines with unbalanced quotes) and close;
 *     the server must keep serving;
 *  2. command fuzz — every command in the table (and every subcommand) gets
 *     random argument lists drawn from existing keys of every type, odd
 *     numbers, option words from its own COMMAND DOCS and binary strings,
 *     sometimes inside MULTI; every reply must be well-formed RESP, no reply
 *     may be an internal error, and PING must answer after every batch.
 *
 * Any uncaught exception in this process fails the test.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { mulberry32 } from '../support/random.js';
import type { RunningServer } from '../../src/index.js';
import type { RespValue } from '../../src/protocol/reply-parser.js';
import type { Command } from '../../src/commands/table.js';

type Rng = () => number;
const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, n: number): number => Math.floor(r() * n);

function randomBytes(r: Rng, max: number): Buffer {
  const b = Buffer.alloc(int(r, max + 1));
  for (let i = 0; i < b.length; i++) b[i] = int(r, 256);
  return b;
}

// ---------------------------------------------------------------- protocol

const SAFE_COMMANDS: string[][] = [
  ['PING'],
  ['ECHO', 'hi'],
  ['SET', 'pk', 'v'],
  ['GET', 'pk'],
  ['INCR', 'pn'],
  ['RPUSH', 'pl', 'a', 'b'],
  ['HSET', 'ph', 'f', 'v'],
  ['MULTI'],
  ['EXEC'],
  ['DISCARD'],
  ['HELLO', '3'],
  ['HELLO', '2'],
  ['SELECT', '3'],
  ['CLIENT', 'SETNAME', 'fuzz'],
  ['DEL', 'pk'],
  ['ZADD', 'pz', '1', 'a'],
  ['WATCH', 'pk'],
  ['PUBLISH', 'c', 'm'],
];

const BROKEN: string[] = [
  '*2147483647\r\n',
  '*2147483648\r\n',
  '*99999999999999999999\r\n',
  '$99999999999\r\n',
  '*1\r\n$99999999999\r\n',
  '*-1\r\n',
  '*-2147483648\r\n',
  '$-1\r\n',
  '*1\r\n$-5\r\n',
  '*2\r\n$-1\r\n',
  '*0\r\n',
  '*\r\n',
  '$\r\n',
  '*1\r\n$\r\n',
  '*abc\r\n',
  '*1\r\n$abc\r\n',
  '*1\r\n$3\r\nGETX',
  '*1\r\n$4\r\nPINGxx\r\n',
  '*1\r\n$4\r\nPING',
  '*2\r\n$3\r\nGET\r\n',
  '*1\r\n:5\r\n',
  '*1\r\n*1\r\n',
  '*1\r\n$1\r\n\r\n\r\n',
  '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n',
  '*1\r\n$+1\r\n',
  '*1\r\n$ 4\r\nPING\r\n',
  '*1\r\n$4 \r\nPING\r\n',
  '*1\n$4\nPING\n',
  '*1\r\n$4\rPING\r\n',
  '*1\r$4\r\nPING\r\n',
  'SET "a b\r\n',
  "GET 'x\r\n",
  'ECHO "a\\"b"\r\n',
  'ECHO "\\x4\r\n',
  'ECHO "\\xzz"\r\n',
  'ECHO "a"b\r\n',
  "ECHO 'a'b\r\n",
  'ECHO "unterminated\r\n',
  '"\r\n',
  "'\r\n",
  '\r\n',
  '\n',
  '\r',
  '   \r\n',
  'PING\n',
  'ping  x  \r\n',
  '%2\r\n',
  '~1\r\n',
  '>1\r\n',
  '#t\r\n',
  ',1.5\r\n',
  '_\r\n',
  '(123\r\n',
  '=5\r\ntxt:a\r\n',
  '|1\r\n',
  '+OK\r\n',
  '-ERR x\r\n',
  ':1\r\n',
  '*1\r\n$0\r\n\r\n',
  '*2\r\n$0\r\n\r\n$0\r\n\r\n',
  '\x00\x00\x00',
  '\xff\xfe\r\n',
  '*1\r\n$40000\r\nabc',
  '*1\r\n$536870912\r\n',
  '*1\r\n$536870913\r\n',
  '*-0\r\n',
  '*01\r\n$04\r\nPING\r\n',
  '*1\r\n$1e3\r\n',
  '*1.5\r\n',
  '*0x10\r\n',
  '*1\r\n$9223372036854775807\r\n',
  '*1\r\n$-9223372036854775808\r\n',
];

/** One connection's worth of garbage, as a list of chunks to write in order. */
function garbage(r: Rng): Buffer[] {
  const parts: Buffer[] = [];
  const n = 1 + int(r, 8);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.3) parts.push(randomBytes(r, 64));
    else if (k < 0.55) parts.push(RawClient.encode(pick(r, SAFE_COMMANDS)));
    else if (k < 0.65) parts.push(Buffer.from(pick(r, SAFE_COMMANDS).join(' ') + pick(r, ['\r\n', '\n', '', ' "', " '"]), 'latin1'));
    else if (k < 0.97) parts.push(Buffer.from(pick(r, BROKEN), 'latin1'));
    else if (k < 0.985)
      parts.push(Buffer.alloc(70 * 1024, 'a')); // inline line over the 64KB limit
    else parts.push(Buffer.concat([Buffer.from('*1\r\n'), Buffer.alloc(70 * 1024, '$')])); // bulk count line too long
  }
  // Cut the stream at random points so frames straddle writes.
  const all = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  let pos = 0;
  while (pos < all.length) {
    const len = r() < 0.3 ? 1 + int(r, 4) : 1 + int(r, all.length);
    chunks.push(all.subarray(pos, pos + len));
    pos += len;
  }
  return chunks;
}

/** Connects, writes the chunks (yielding between some), half-closes and waits briefly for the server to react. */
function fuzzConnection(port: number, chunks: Buffer[], r: Rng): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    const timer = setTimeout(finish, 300);
    s.on('error', finish);
    s.on('close', finish);
    s.on('data', () => undefined);
    const abrupt = r() < 0.3;
    s.once('connect', async () => {
      for (const c of chunks) {
        if (done) return;
        s.write(c);
        if (r() < 0.3) await new Promise((res) => setImmediate(res));
      }
      if (abrupt) finish();
      else s.end();
    });
  });
}

// ---------------------------------------------------------------- commands

/** Option words a command's documentation names (its arguments' tokens). */
function docTokens(v: RespValue, out: Set<string>): Set<string> {
  if (v.kind === 'map') {
    for (const [k, x] of v.entries) {
      if (k.kind === 'bulk' && k.value === 'token' && (x.kind === 'bulk' || x.kind === 'simple')) out.add(x.value);
      else docTokens(x, out);
    }
  } else if (v.kind === 'array' || v.kind === 'set') {
    for (const x of v.items) docTokens(x, out);
  }
  return out;
}

const WORDS = [
  'EX',
  'PX',
  'EXAT',
  'PXAT',
  'KEEPTTL',
  'NX',
  'XX',
  'GT',
  'LT',
  'CH',
  'INCR',
  'WITHSCORES',
  'LIMIT',
  'BY',
  'GET',
  'STORE',
  'ALPHA',
  'COUNT',
  'MATCH',
  'TYPE',
  'LEFT',
  'RIGHT',
  'BEFORE',
  'AFTER',
  'REV',
  'BYSCORE',
  'BYLEX',
  'AGGREGATE',
  'WEIGHTS',
  'SUM',
  'MIN',
  'MAX',
  'ASC',
  'DESC',
  'RANK',
  'MAXLEN',
  'WITHVALUES',
  'IDX',
  'LEN',
  'MINMATCHLEN',
  'WITHMATCHLEN',
  'BIT',
  'BYTE',
  'OVERFLOW',
  'WRAP',
  'SAT',
  'FAIL',
  'SET',
  'INCRBY',
  'u8',
  'i64',
  'u63',
  'i65',
  '#1',
  'REPLACE',
  'DB',
  'ASYNC',
  'SYNC',
  'PERSIST',
  'WITHSCORE',
  'AND',
  'OR',
  'XOR',
  'NOT',
  '*',
  '#',
];
const NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '-2',
  '7',
  '10',
  '100',
  '-100',
  '0.5',
  '-0.5',
  '1.5e3',
  '1e308',
  '-1e308',
  '1e400',
  'inf',
  '-inf',
  '+inf',
  'nan',
  '-nan',
  '(1',
  '(-inf',
  '[a',
  '(b',
  '-',
  '+',
  '2147483647',
  '2147483648',
  '-2147483648',
  '4294967296',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999999',
  '0x10',
  '1 ',
  ' 1',
  '01',
  '',
  '3.0',
  '5e-324',
  '17179869184',
];
const SMALL_NUMBERS = ['0', '1', '-1', '2', '3', '-2', '7', '10', '-10', '0.5', 'inf', '-inf', 'nan', '', 'x', '99999999999999999999999'];
const BINARY = ['\x00', '\xff', 'a\x00b', '\xff\xfe\x00\r\n', '\r\n', ' ', '*', '?', '[', '\\', 'h?llo*', '[a-', '\x00\xff\x00\xff'];
const KEYS = { str: 'k:str', int: 'k:int', list: 'k:list', hash: 'k:hash', set: 'k:set', iset: 'k:iset', zset: 'k:zset', none: 'k:none' };

/** Commands (full names) the fuzzer does not call with random arguments, and why. */
const SKIP = new Set([
  'shutdown', // stops the server
  'debug', // SLEEP, RELOAD, SEGFAULT … (DIGEST is checked at the end)
  'monitor', // turns the connection into a feed
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe', // pubsub mode, one reply per channel
  'client|pause',
  'client|kill', // stall or cut this client
  'client|reply', // OFF/SKIP break reply counting
  'quit',
  'reset', // close or reset the connection
  'config|set', // fuzzed with a safe list below
  'config|rewrite', // writes files
  'sync',
  'psync', // turn the connection into a replica
]);

/** Commands where a huge count or offset legitimately allocates gigabytes (Redis does the same). */
const SMALL_ONLY = new Set(['setbit', 'setrange', 'bitfield', 'srandmember', 'hrandfield', 'zrandmember', 'lpos', 'getrange', 'substr']);

/** Where a blocking command's timeout is: an index into argv after the name (negative from the end). */
const TIMEOUT_AT: Record<string, number> = {
  wait: -1,
  blpop: -1,
  brpop: -1,
  bzpopmin: -1,
  bzpopmax: -1,
  brpoplpush: -1,
  blmove: -1,
  blmpop: 0,
  bzmpop: 0,
};

/** Random argument lists per command. */
const PER_COMMAND = Number(process.env.FUZZ_PER ?? 100);
/** Seeds are fixed; FUZZ_SEED (and FUZZ_PER) only exist for longer exploratory runs by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);

const BLOCK_TIMEOUTS = ['0.01', '0.001', '-1', 'x', 'nan', '0.01'];

const SAFE_CONFIG: [string, string[]][] = [
  ['hash-max-listpack-entries', ['0', '1', '128', '-1', 'x']],
  ['zset-max-listpack-entries', ['0', '1', '128', '-1']],
  ['set-max-intset-entries', ['0', '1', '512', '2147483648']],
  ['list-max-listpack-size', ['-2', '1', '0', '-6', '9']],
  ['slowlog-log-slower-than', ['0', '-1', '10000', 'x']],
  ['notify-keyspace-events', ['', 'KEA', 'Kx', 'zz', 'AKE$lshzxegtmd']],
  ['maxmemory-policy', ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'bogus']],
  ['lazyfree-lazy-user-del', ['yes', 'no', 'maybe']],
];

async function createKeys(c: RawClient): Promise<void> {
  const setup: string[][] = [
    ['SELECT', '0'],
    ['DEL', ...Object.values(KEYS)],
    ['SET', KEYS.str, 'hello\x00world'],
    ['SET', KEYS.int, '42'],
    ['RPUSH', KEYS.list, 'a', '1', 'b', '2', '\xff'],
    ['HSET', KEYS.hash, 'f', 'v', 'n', '5', 'x', '1.5'],
    ['SADD', KEYS.set, 'a', 'b', 'c'],
    ['SADD', KEYS.iset, '1', '2', '3'],
    ['ZADD', KEYS.zset, '1', 'a', '2', 'b', '2', 'c', '-inf', 'm', 'inf', 'p'],
  ];
  for (const argv of setup) {
    const v = await c.value(...argv);
    assert.notEqual(v.kind, 'error', `setup ${argv.join(' ')}: ${json(v)}`);
  }
}

function randomArg(r: Rng, tokens: readonly string[], small: boolean): string {
  const k = r();
  if (k < 0.35) return pick(r, Object.values(KEYS));
  if (k < 0.55) return pick(r, small ? SMALL_NUMBERS : NUMBERS);
  if (k < 0.8) return tokens.length > 0 && r() < 0.7 ? pick(r, tokens) : pick(r, WORDS);
  if (k < 0.9) return pick(r, BINARY);
  if (k < 0.95) return randomBytes(r, 12).toString('latin1');
  return pick(r, ['a', 'b', 'f', 'v', 'm', 'p', 'x', '*', 'k:*', 'k:?tr', 'nokey']);
}

function field(m: RespValue, name: string): RespValue | undefined {
  if (m.kind !== 'map') return undefined;
  return m.entries.find(([k]) => k.kind === 'bulk' && k.value === name)?.[1];
}
const text = (v: RespValue | undefined): string => (v !== undefined && (v.kind === 'bulk' || v.kind === 'simple') ? v.value : '');
const items = (v: RespValue | undefined): RespValue[] => (v !== undefined && (v.kind === 'array' || v.kind === 'set') ? v.items : []);

/** Arguments shaped by the command's documented grammar (COMMAND DOCS "arguments"), appended to out. */
function grammarArgs(r: Rng, specs: RespValue[], small: boolean, out: string[]): void {
  for (const a of specs) {
    const flags = items(field(a, 'flags')).map(text);
    if (flags.includes('optional') && r() < 0.5) continue;
    const reps = flags.includes('multiple') ? 1 + int(r, 3) : 1;
    const token = text(field(a, 'token'));
    const sub = items(field(a, 'arguments'));
    for (let i = 0; i < reps; i++) {
      if (token !== '' && (i === 0 || flags.includes('multiple_token'))) out.push(r() < 0.5 ? token : token.toLowerCase());
      switch (text(field(a, 'type'))) {
        case 'key':
          out.push(pick(r, Object.values(KEYS)));
          break;
        case 'integer':
        case 'double':
        case 'unix-time':
          out.push(pick(r, small || r() < 0.5 ? SMALL_NUMBERS : NUMBERS));
          break;
        case 'pattern':
          out.push(pick(r, ['*', 'k:*', '?', '[', 'k:[a-z]*', '\\', 'h?llo*', '']));
          break;
        case 'oneof':
          if (sub.length > 0) grammarArgs(r, [pick(r, sub)], small, out);
          break;
        case 'block':
          grammarArgs(r, sub, small, out);
          break;
        case 'pure-token':
          break;
        default:
          out.push(randomArg(r, [], small));
      }
    }
  }
}

/** The random argument lists for one command (argv without the command's own name words). */
function argLists(r: Rng, cmd: Command, count: number): string[][] {
  const base = cmd.fullName.split('|');
  const tokens = [...docTokens(cmd.docs, new Set())];
  const small = SMALL_ONLY.has(cmd.fullName);
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    // Bias the arity towards the command's own so more calls get past the arity check.
    const want = Math.abs(cmd.arity) - base.length;
    const args: string[] = [];
    if (r() < 0.5) {
      // A call shaped like the documented grammar, then sometimes mutated.
      grammarArgs(r, items(field(cmd.docs, 'arguments')), small, args);
      const m = r();
      if (m < 0.2 && args.length > 0) args[int(r, args.length)] = randomArg(r, tokens, small);
      else if (m < 0.3 && args.length > 0) args.splice(int(r, args.length), 1);
      else if (m < 0.4) args.splice(int(r, args.length + 1), 0, randomArg(r, tokens, small));
    } else {
      const n = r() < 0.5 ? Math.max(0, want + int(r, 4)) : int(r, 9);
      for (let j = 0; j < n; j++) args.push(randomArg(r, tokens, small));
    }
    // Usually put an existing key where the command expects its first key.
    const k = cmd.firstKey - base.length;
    if (cmd.firstKey > 0 && k < args.length && r() < 0.8) args[k] = pick(r, Object.values(KEYS));
    const t = TIMEOUT_AT[cmd.fullName];
    if (t !== undefined) {
      // Never block forever: the timeout is always one that expires at once or is rejected.
      if (args.length === 0) args.push('0.01');
      args[t < 0 ? args.length + t : Math.min(t, args.length - 1)] = pick(r, BLOCK_TIMEOUTS);
    }
    out.push([...base, ...args]);
  }
  return out;
}

/** True when a blocking command could wait: any timeout that is not rejected and not 0.0x is dangerous. */
function safeBlocking(argv: string[], name: string): boolean {
  const t = TIMEOUT_AT[name];
  if (t === undefined) return true;
  const args = argv.slice(1);
  const v = args[t < 0 ? args.length + t : t];
  return v !== undefined && BLOCK_TIMEOUTS.includes(v);
}

// ---------------------------------------------------------------- the tests

describe('robustness: bad input never crashes the server', () => {
  let srv: RunningServer;
  const uncaught: unknown[] = [];
  const internal: string[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);

  before(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    srv = await startNodis({ config: { 'enable-debug-command': 'yes' } });
    const logger = srv.server.logger;
    const warning = logger.warning.bind(logger);
    logger.warning = (msg: string) => {
      if (msg.startsWith('Internal error')) internal.push(msg);
      warning(msg);
    };
  });

  after(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await srv.stop();
  });

  test('protocol garbage on 300 connections', async () => {
    const total = 300;
    const wave = 50;
    for (let i = 0; i < total; i += wave) {
      const conns: Promise<void>[] = [];
      for (let j = i; j < Math.min(total, i + wave); j++) {
        const cr = mulberry32(SEED * 1000 + j);
        conns.push(fuzzConnection(srv.port, garbage(cr), cr));
      }
      await Promise.all(conns);
    }
    const c = await RawClient.connect(srv.port);
    try {
      assert.deepEqual(await c.value('PING'), { kind: 'simple', value: 'PONG' });
      const info = await c.value('INFO', 'server');
      assert.equal(info.kind, 'bulk');
      assert.match((info as { value: string }).value, /redis_version:/);
      const stats = (await c.value('INFO', 'stats')) as { value: string };
      const received = Number(/total_connections_received:(\d+)/.exec(stats.value)?.[1]);
      assert.ok(received > total, `only ${received} connections received`);
    } finally {
      c.close();
    }
    assert.deepEqual(uncaught, [], 'uncaught exceptions');
    assert.deepEqual(internal, [], 'internal errors');
  });

  test('every command with random arguments', async () => {
    const r = mulberry32(SEED * 2 + 1);
    const c = await RawClient.connect(srv.port);
    const bad: string[] = [];
    const show = (argv: string[]) => json(argv);
    try {
      const cmds = srv.server.commands.allWithSubcommands().filter((cmd) => cmd.handler !== null && !SKIP.has(cmd.fullName));
      // Containers also get a random subcommand word.
      const containers = srv.server.commands.all().filter((cmd) => cmd.subcommands !== null);
      assert.ok(cmds.length > 150, `only ${cmds.length} commands`);
      const batches: string[][][] = [];
      for (const cmd of cmds) batches.push(argLists(r, cmd, PER_COMMAND));
      for (const cmd of containers) {
        batches.push(Array.from({ length: 5 }, () => [cmd.fullName, ...Array.from({ length: int(r, 4) }, () => randomArg(r, [], true))]));
      }
      const cfg: string[][] = [];
      for (let i = 0; i < 20; i++) {
        const [name, values] = pick(r, SAFE_CONFIG);
        cfg.push(['config', 'set', name, pick(r, values), ...(r() < 0.2 ? [pick(r, SAFE_CONFIG)[0], 'x'] : [])]);
      }
      batches.push(cfg);

      for (const batch of batches) {
        await createKeys(c);
        // Half the batches speak RESP3.
        await c.value('HELLO', r() < 0.5 ? '2' : '3');
        const expected: string[][] = [];
        for (const argv of batch) {
          assert.ok(safeBlocking(argv, argv[0]!), `unsafe blocking call ${show(argv)}`);
          const inMulti = r() < 0.25;
          if (inMulti) c.write(RawClient.encode(['MULTI']));
          c.write(RawClient.encode(argv));
          if (inMulti) c.write(RawClient.encode([r() < 0.9 ? 'EXEC' : 'DISCARD']));
          expected.push(...(inMulti ? [['MULTI'], argv, ['EXEC/DISCARD', ...argv]] : [argv]));
        }
        for (const argv of expected) {
          let reply: RespValue;
          try {
            reply = (await c.read()).value;
          } catch (e) {
            throw new Error(`no well-formed reply to ${show(argv)}: ${(e as Error).message}`);
          }
          const texts = json(reply);
          if (texts.includes('internal error')) bad.push(`${show(argv)} -> ${texts}`);
        }
        // Leave any transaction a fuzzed MULTI opened, go back to db 0, and check the server answers.
        await c.value('DISCARD');
        await c.value('SELECT', '0');
        const pong = await c.value('PING');
        assert.ok(pong.kind === 'simple' && pong.value === 'PONG', `PING after ${batch[0]![0]}: ${json(pong)}`);
      }
      const digest = await c.value('DEBUG', 'DIGEST');
      assert.equal(digest.kind, 'simple', `DEBUG DIGEST: ${json(digest)}`);
      assert.match((digest as { value: string }).value, /^[0-9a-f]{40}$/);
      const c2 = await RawClient.connect(srv.port);
      try {
        assert.deepEqual(await c2.value('PING'), { kind: 'simple', value: 'PONG' });
        assert.deepEqual(await c2.value('SET', 'after', 'ok'), { kind: 'simple', value: 'OK' });
        assert.deepEqual(await c2.value('GET', 'after'), { kind: 'bulk', value: 'ok' });
      } finally {
        c2.close();
      }
    } finally {
      c.close();
    }
    assert.deepEqual(bad, [], `internal error replies:\n${bad.join('\n')}`);
    assert.deepEqual(internal, [], `internal errors logged:\n${internal.join('\n')}`);
    assert.deepEqual(uncaught, [], 'uncaught exceptions');
  });
});
