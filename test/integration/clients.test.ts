/**
 * Real client software against nodis (and, when installed, against a real
 * redis-server with the same expectations): ioredis and node-redis v4 for
 * strings, pipelines, binary Buffers and error replies; RESP3 through a raw
 * connection (node-redis v4 speaks RESP2 only); redis-cli for one-shot
 * commands, commands read from stdin, --pipe mass insertion and -3.
 * Only the basic commands are used (PING ECHO SELECT AUTH HELLO GET SET).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Redis as IORedis } from 'ioredis';
import { commandOptions, createClient } from 'redis';
import { redisAvailable } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { startTargets, stopTargets, type Target } from '../support/targets.js';

const withRedis = redisAvailable('client interop tests (redis-server half)');
const withCli = redisAvailable('redis-cli tests', 'redis-cli');

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('client libraries', () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(withRedis);
  });

  after(() => stopTargets(targets));

  test('ioredis: strings, pipeline, Buffers, errors', async () => {
    for (const t of targets) {
      const r = new IORedis({ host: '127.0.0.1', port: t.port, enableReadyCheck: false, maxRetriesPerRequest: 0, lazyConnect: true });
      try {
        await r.connect();
        assert.equal(await r.ping(), 'PONG', t.name);
        assert.equal(await r.echo('héllo'), 'héllo', t.name);
        assert.equal(await r.set('io:k', 'v1'), 'OK', t.name);
        assert.equal(await r.get('io:k'), 'v1', t.name);
        assert.equal(await r.get('io:missing'), null, t.name);

        const p = r.pipeline();
        for (let i = 0; i < 200; i++) p.set(`io:p:${i}`, String(i)).get(`io:p:${i}`);
        const results = (await p.exec())!;
        assert.equal(results.length, 400, t.name);
        results.forEach(([err, value], i) => {
          assert.equal(err, null);
          assert.equal(value, i % 2 === 0 ? 'OK' : String((i - 1) / 2), `${t.name}: pipeline reply ${i}`);
        });

        assert.equal(await r.set(ALL_BYTES, ALL_BYTES), 'OK', t.name);
        assert.ok((await r.getBuffer(ALL_BYTES))!.equals(ALL_BYTES), `${t.name}: binary value`);

        await assert.rejects(
          r.call('NOSUCHCOMMAND', 'a'),
          /^ReplyError: ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' $/,
          t.name,
        );
        await assert.rejects(r.select(99), /ERR DB index is out of range/, t.name);
        await assert.rejects(r.call('GET'), /ERR wrong number of arguments for 'get' command/, t.name);
        assert.equal(await r.get('io:k'), 'v1', `${t.name}: usable after errors`);
      } finally {
        r.disconnect();
      }
    }
  });

  test('node-redis v4: strings, auto-pipelining, execAsPipeline, Buffers, errors', async () => {
    for (const t of targets) {
      const c = createClient({ socket: { host: '127.0.0.1', port: t.port, reconnectStrategy: false } });
      c.on('error', () => undefined);
      try {
        await c.connect();
        assert.equal(await c.ping(), 'PONG', t.name);
        assert.equal(await c.set('nr:k', 'v1'), 'OK', t.name);
        assert.equal(await c.get('nr:k'), 'v1', t.name);
        assert.equal(await c.get('nr:missing'), null, t.name);

        const many = await Promise.all(Array.from({ length: 300 }, (_, i) => c.set(`nr:p:${i}`, String(i))));
        assert.ok(
          many.every((x) => x === 'OK'),
          t.name,
        );
        const got = await Promise.all(Array.from({ length: 300 }, (_, i) => c.get(`nr:p:${i}`)));
        assert.deepEqual(
          got,
          Array.from({ length: 300 }, (_, i) => String(i)),
          t.name,
        );

        const piped = await c.multi().set('nr:m', 'x').get('nr:m').echo('y').execAsPipeline();
        assert.deepEqual(piped, ['OK', 'x', 'y'], t.name);

        assert.equal(await c.set(ALL_BYTES, ALL_BYTES), 'OK', t.name);
        const buf = await c.get(commandOptions({ returnBuffers: true }), ALL_BYTES);
        assert.ok(Buffer.isBuffer(buf) && buf.equals(ALL_BYTES), `${t.name}: binary value`);

        await assert.rejects(
          c.sendCommand(['NOSUCHCOMMAND']),
          (e: Error) => e.message === "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ",
        );
        await assert.rejects(c.select(99), /ERR DB index is out of range/, t.name);
        assert.equal(await c.get('nr:k'), 'v1', `${t.name}: usable after errors`);
      } finally {
        await c.disconnect();
      }
    }
  });

  test('RESP3 after HELLO 3 (raw connection: node-redis v4 speaks RESP2 only)', async () => {
    const steps: [string[], string][] = [
      [['SET', 'r3:k', 'v'], '+OK\r\n'],
      [['GET', 'r3:k'], '$1\r\nv\r\n'],
      [['GET', 'r3:missing'], '_\r\n'],
      [['PING'], '+PONG\r\n'],
      [['SELECT', 'x'], '-ERR value is not an integer or out of range\r\n'],
    ];
    for (const t of targets) {
      const c = await RawClient.connect(t.port);
      try {
        const hello = await c.call('HELLO', '3');
        assert.equal(hello.value.kind, 'map', t.name);
        for (const [argv, expected] of steps) assert.equal(await c.callText(...argv), expected, `${t.name}: ${argv.join(' ')}`);
      } finally {
        c.close();
      }
    }
  });
});

/** Runs redis-cli against port with args (and stdin input); resolves with its output and exit code. */
function cli(port: number, args: readonly string[], input = ''): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.on('error', reject);
    p.on('close', (code) => resolve({ out, code }));
    // redis-cli may exit without reading stdin (one-shot commands): ignore EPIPE there.
    p.stdin.on('error', () => undefined);
    p.stdin.end(input);
  });
}

describe('redis-cli', { skip: !withCli }, () => {
  let targets: Target[];

  before(async () => {
    targets = await startTargets(withRedis);
  });

  after(() => stopTargets(targets));

  test('one-shot commands, raw and formatted output', async () => {
    const runs: [string[], string][] = [
      [['PING'], 'PONG\n'],
      [['SET', 'cli:k', 'hello world'], 'OK\n'],
      [['GET', 'cli:k'], 'hello world\n'],
      [['--no-raw', 'GET', 'cli:k'], '"hello world"\n'],
      [['--no-raw', 'GET', 'cli:missing'], '(nil)\n'],
      [['--no-raw', 'SELECT', '99'], '(error) ERR DB index is out of range\n'],
      [['ECHO', 'a\tb'], 'a\tb\n'],
      [['-n', '3', 'GET', 'cli:k'], '\n'],
    ];
    for (const t of targets) {
      for (const [args, expected] of runs) assert.equal((await cli(t.port, args)).out, expected, `${t.name}: redis-cli ${args.join(' ')}`);
    }
  });

  test('commands read from stdin, one per line', async () => {
    const input = 'SET cli:in "quoted value"\nGET cli:in\nECHO x\nGET cli:nothing\n';
    for (const t of targets) assert.equal((await cli(t.port, [], input)).out, 'OK\nquoted value\nx\n\n', t.name);
  });

  test('--pipe mass insertion', async () => {
    const N = 10000;
    let proto = '';
    for (let i = 0; i < N; i++) proto += RawClient.encode(['SET', `mass:${i}`, `v${i}`]).toString('latin1');
    for (const t of targets) {
      const { out, code } = await cli(t.port, ['--pipe'], proto);
      assert.equal(code, 0, `${t.name}: ${out}`);
      assert.match(out, new RegExp(`errors: 0, replies: ${N}\\n$`), t.name);
      assert.equal((await cli(t.port, ['GET', `mass:${N - 1}`])).out, `v${N - 1}\n`, t.name);
    }
  });

  test('-3 speaks RESP3', async () => {
    const runs: [string[], string][] = [
      [['-3', 'SET', 'cli3:k', 'v'], 'OK\n'],
      [['-3', 'GET', 'cli3:k'], 'v\n'],
      [['-3', '--no-raw', 'GET', 'cli3:missing'], '(nil)\n'],
      [['-3', '--no-raw', 'PING'], 'PONG\n'],
    ];
    for (const t of targets) {
      for (const [args, expected] of runs) assert.equal((await cli(t.port, args)).out, expected, `${t.name}: redis-cli ${args.join(' ')}`);
    }
  });
});
