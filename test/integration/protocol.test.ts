/**
 * The RESP protocol over real TCP connections, against nodis and (when
 * installed) a real redis-server with the same limits: malformed requests
 * get Redis's exact error bytes and the connection is closed while other
 * clients carry on; tolerated oddities are answered the same way; a 10k
 * command pipeline in one write is answered in order; every byte value
 * survives as key and value.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { redisAvailable, withNodis } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { startTargets, stopTargets, type Target } from '../support/targets.js';

const withRedis = redisAvailable('protocol tests (redis-server half)');

/**
 * Low limits so that oversized input is cheap to produce. The bulk limit is
 * above the query buffer limit so that each can be exceeded on its own.
 */
const LIMITS = { 'proto-max-bulk-len': '2mb', 'client-query-buffer-limit': '1mb' };
const MB = 1024 * 1024;
/** Just over Redis's 64KB limit for an inline request or header line. */
const OVER_INLINE = 64 * 1024 + 100;

const perr = (detail: string) => `-ERR Protocol error: ${detail}\r\n`;

/** Malformed input: the replies sent before the connection is closed (Redis 7.0's bytes). */
const FATAL: { name: string; input: string; replies: string[] }[] = [
  { name: 'non-numeric multibulk length', input: '*x\r\n', replies: [perr('invalid multibulk length')] },
  { name: 'multibulk length over 2^31', input: '*3000000000\r\n', replies: [perr('invalid multibulk length')] },
  { name: 'non-numeric bulk length', input: '*1\r\n$x\r\n', replies: [perr('invalid bulk length')] },
  { name: 'negative bulk length', input: '*1\r\n$-5\r\n', replies: [perr('invalid bulk length')] },
  { name: 'argument without $', input: '*1\r\n:4\r\nPING\r\n', replies: [perr("expected '$', got ':'")] },
  // The CR in the error text goes out as a space.
  { name: 'missing CRLF after a bulk', input: '*2\r\n$3\r\nGET$1\r\nk\r\n', replies: [perr("expected '$', got ' '")] },
  {
    name: 'bulk over proto-max-bulk-len',
    input: `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * MB + 1}\r\n`,
    replies: [perr('invalid bulk length')],
  },
  { name: 'multibulk count line over 64KB', input: '*' + '1'.repeat(OVER_INLINE), replies: [perr('too big mbulk count string')] },
  { name: 'bulk count line over 64KB', input: '*1\r\n$' + '1'.repeat(OVER_INLINE), replies: [perr('too big bulk count string')] },
  { name: 'inline request over 64KB', input: 'x'.repeat(OVER_INLINE), replies: [perr('too big inline request')] },
  { name: 'unbalanced double quote inline', input: 'SET "a b\r\n', replies: [perr('unbalanced quotes in request')] },
  { name: 'unbalanced single quote inline', input: "SET 'a b\r\n", replies: [perr('unbalanced quotes in request')] },
  { name: 'closing quote not followed by a space', input: 'SET "a"b c\r\n', replies: [perr('unbalanced quotes in request')] },
  {
    name: 'commands before the error in the same write are answered',
    input: 'PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$x\r\n',
    replies: ['+PONG\r\n', '+OK\r\n', perr('invalid bulk length')],
  },
  // Cross protocol scripting: a POST or Host: command closes the connection, and replies still pending go unsent.
  { name: 'an HTTP POST request (no reply)', input: 'POST / HTTP/1.1\r\nHost: example.com\r\n\r\n', replies: [] },
  {
    name: 'a Host: line after an HTTP GET (no reply, not even the error)',
    input: 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n',
    replies: [],
  },
  { name: 'a host: command after a PING in the same write (no reply)', input: 'PING\r\n*2\r\n$5\r\nhOsT:\r\n$1\r\nx\r\n', replies: [] },
  {
    name: 'query buffer over client-query-buffer-limit (no reply)',
    input: `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1.5 * MB}\r\n` + 'q'.repeat(1.2 * MB),
    replies: [],
  },
];

/** Odd but valid input: the replies, after which the connection is still usable. */
const TOLERATED: { name: string; input: string; replies: string[] }[] = [
  { name: 'zero and negative multibulk counts are empty commands', input: '*0\r\n*-1\r\n*-7\r\nPING\r\n', replies: ['+PONG\r\n'] },
  { name: 'empty inline lines are ignored', input: '\r\n\n\r\nPING\r\n', replies: ['+PONG\r\n'] },
  {
    name: 'two bytes after a bulk are skipped unchecked',
    input: '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n',
    replies: ['+PONG\r\n', '+PONG\r\n'],
  },
  {
    name: 'inline quoting and escapes',
    input: 'ECHO "a\\x41\\n\\"b" \r\nECHO \'it\\\'s\'\r\n',
    replies: ['$5\r\naA\n"b\r\n', "$4\r\nit's\r\n"],
  },
  { name: 'an empty bulk command name', input: '*1\r\n$0\r\n\r\n', replies: ["-ERR unknown command '', with args beginning with: \r\n"] },
  { name: 'inline arity error', input: 'ECHO a b\r\n', replies: ["-ERR wrong number of arguments for 'echo' command\r\n"] },
];

/**
 * Sends bytes that must be answered by `replies` and then a close; checks
 * that a client connected beforehand still gets answers afterwards.
 */
async function expectFatal(t: Target, input: string, replies: readonly string[]): Promise<void> {
  const bystander = await RawClient.connect(t.port);
  const c = await RawClient.connect(t.port);
  try {
    assert.equal(await bystander.callText('PING'), '+PONG\r\n');
    c.write(Buffer.from(input, 'latin1'));
    for (const expected of replies) assert.equal(await c.readText(), expected, t.name);
    await c.waitClosed();
    await assert.rejects(c.read(), /connection closed/, `${t.name}: bytes after the last reply`);
    assert.equal(await bystander.callText('ECHO', 'still here'), '$10\r\nstill here\r\n', `${t.name}: bystander`);
  } finally {
    c.close();
    bystander.close();
  }
}

/**
 * Sends data in one write on a fresh plain socket (after a PING round trip,
 * so the server has registered the connection) and resolves with the first
 * `expectedBytes` bytes of the answer and, for nodis, the number of socket
 * writes the server made to send them (null for Redis).
 */
async function pipeline(t: Target, data: Buffer, expectedBytes: number): Promise<{ reply: Buffer; writes: number | null }> {
  const socket = net.connect(t.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let got = 0;
  let wake: () => void = () => undefined;
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    got += d.length;
    wake();
  });
  socket.on('error', () => undefined);
  const until = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (got >= n ? resolve() : socket.destroyed ? reject(new Error(`closed after ${got} bytes`)) : undefined);
      wake = check;
      socket.once('close', check);
      check();
    });
  try {
    socket.write('PING\r\n');
    await until(7);
    let writes: number | null = null;
    const client =
      t.nodis === null ? undefined : [...t.nodis.server.clients.values()].find((c) => c.socket.remotePort === socket.localPort);
    if (client !== undefined) {
      writes = 0;
      const original = client.socket.write;
      client.socket.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
        writes!++;
        return original.apply(this, args);
      } as net.Socket['write'];
    }
    socket.write(data);
    await until(7 + expectedBytes);
    return { reply: Buffer.concat(chunks).subarray(7, 7 + expectedBytes), writes };
  } finally {
    socket.destroy();
  }
}

function encode(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

describe('protocol over TCP', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(withRedis, LIMITS);
  });

  after(() => stopTargets(targets));

  describe('malformed requests close the connection after the error', () => {
    for (const { name, input, replies } of FATAL) {
      test(name, async () => {
        for (const t of targets) await expectFatal(t, input, replies);
      });
    }
  });

  test('cross protocol scripting is logged as a warning, at most once a minute (nodis)', async () => {
    const lines: string[] = [];
    await withNodis({}, async (nodis) => {
      const logger = nodis.server.logger;
      logger.enabled = true;
      logger.raw = (line: string) => void lines.push(line);
      for (let i = 0; i < 2; i++) {
        const c = await RawClient.connect(nodis.port);
        c.write('POST / HTTP/1.1\r\n');
        await c.waitClosed();
      }
      logger.enabled = false;
    });
    const warnings = lines.filter((l) => l.includes('SECURITY'));
    assert.equal(warnings.length, 1, lines.join(''));
    assert.match(
      warnings[0]!,
      / # Possible SECURITY ATTACK detected\. It looks like somebody is sending POST or Host: commands to Redis\. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance\. Connection aborted\.\n$/,
    );
  });

  describe('tolerated input is answered and the connection stays open', () => {
    for (const { name, input, replies } of TOLERATED) {
      test(name, async () => {
        for (const t of targets) {
          const c = await RawClient.connect(t.port);
          try {
            c.write(Buffer.from(input, 'latin1'));
            for (const expected of replies) assert.equal(await c.readText(), expected, t.name);
            assert.equal(await c.callText('PING'), '+PONG\r\n', `${t.name}: still open`);
          } finally {
            c.close();
          }
        }
      });
    }

    test('a large bulk within the limits is accepted', async () => {
      const value = 'v'.repeat(0.9 * MB);
      for (const t of targets) {
        const c = await RawClient.connect(t.port);
        try {
          assert.equal(await c.callText('SET', 'exact', value), '+OK\r\n', t.name);
          assert.equal(await c.callText('GET', 'exact'), `$${value.length}\r\n${value}\r\n`, t.name);
        } finally {
          c.close();
        }
      }
    });
  });

  test('10k pipelined commands in one write are answered in order, in few socket writes', async () => {
    const N = 5000;
    let request = '';
    let expected = '';
    for (let i = 0; i < N; i++) {
      request += encode(['SET', `pipe:${i}`, `value-${i}`]) + encode(['GET', `pipe:${i}`]);
      const v = `value-${i}`;
      expected += `+OK\r\n$${v.length}\r\n${v}\r\n`;
    }
    const data = Buffer.from(request, 'latin1');
    for (const t of targets) {
      const { reply, writes } = await pipeline(t, data, expected.length);
      assert.equal(reply.toString('latin1'), expected, t.name);
      if (writes !== null) assert.ok(writes > 0 && writes <= 100, `nodis used ${writes} socket writes for ${2 * N} replies`);
    }
  });

  test('keys and values with every byte value 0..255', async () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const reversed = [...all].reverse().join('');
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        assert.equal(await c.callText('SET', all, reversed), '+OK\r\n', t.name);
        assert.equal(await c.callText('GET', all), `$256\r\n${reversed}\r\n`, t.name);
        let request = '';
        let expected = '';
        for (let b = 0; b < 256; b++) {
          const key = String.fromCharCode(b);
          request += encode(['SET', key, key + key]) + encode(['GET', key]);
          expected += `+OK\r\n$2\r\n${key + key}\r\n`;
        }
        c.write(Buffer.from(request, 'latin1'));
        let got = '';
        for (let i = 0; i < 512; i++) got += await c.readText();
        assert.equal(got, expected, t.name);
      } finally {
        c.close();
      }
    }
  });
});
