/**
 * Corrupt RDB data over real processes: nodis-server refuses to start on a
 * truncated file, a flipped byte (caught by the checksum) and an unknown
 * value type, exiting 1 with the offset and the reason; nodis-check-rdb
 * reports the same offset and reason (and "RDB looks OK" on the good
 * file), where redis-check-rdb also fails; RESTORE of truncated or flipped
 * DUMP payloads always answers an error (or, when the checksum was fixed
 * up, loads something sane) and the server keeps serving; DEBUG RELOAD
 * NOSAVE on a corrupt file answers an error and the server keeps running.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, redisAvailable, startNodis, startNodisProcess } from '../support/servers.js';
import { RawClient } from '../support/raw-client.js';
import { tempDirFor } from '../support/temp-dir.js';
import { mulberry32 } from '../support/random.js';
import { Crc64 } from '../../src/persistence/rdb/crc64.js';

const MAIN = new URL('../../src/main.js', import.meta.url).pathname;
const CHECK = new URL('../../src/check-rdb.js', import.meta.url).pathname;
const withRedis = redisAvailable('rdb-corrupt (the redis-check-rdb checks)', 'redis-check-rdb');

interface Exit {
  code: number | null;
  out: string;
}

/** Runs cmd to its exit (killing it after 20 s), with stdout and stderr together. */
function runToExit(cmd: string, args: string[], cwd: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20000);
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** "REDIS0010", body, EOF and the CRC-64. */
function rdbFile(body: number[]): Buffer {
  const data = Buffer.concat([Buffer.from('REDIS0010', 'latin1'), Buffer.from(body), Buffer.from([0xff])]);
  const crc = new Crc64();
  crc.update(data);
  return Buffer.concat([data, crc.bytes()]);
}

/** A short RDB string: length byte and latin1 bytes. */
const str = (s: string) => [s.length, ...Buffer.from(s, 'latin1')];

/** Sends the commands pipelined; returns the replies (error replies as "-text"). */
async function pipeline(c: RawClient, cmds: (string | Buffer)[][]): Promise<string[]> {
  const replies: string[] = [];
  for (let i = 0; i < cmds.length; i += 200) {
    const batch = cmds.slice(i, i + 200);
    c.write(Buffer.concat(batch.map((argv) => RawClient.encode(argv))));
    for (let k = 0; k < batch.length; k++) {
      const { value } = await c.read();
      replies.push(
        value.kind === 'error' ? `-${value.value}` : value.kind === 'simple' || value.kind === 'bulk' ? value.value : value.kind,
      );
    }
  }
  return replies;
}

/** Commands creating a key of every type in both of its encodings. */
const FILL: string[][] = [
  ['SET', 'str', 'a string value that we will flip'],
  ['SET', 'int', '42'],
  ['SET', 'long', 'z'.repeat(200)],
  ['RPUSH', 'list', 'a', 'b', '1', '2'],
  ['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `element ${i}`)],
  ['SADD', 'intset', '1', '2', '-70000'],
  ['SADD', 'set', 'x', 'y', 'z'],
  ['HSET', 'hash', 'f', 'v', 'g', '7'],
  ['HSET', 'bighash', ...Array.from({ length: 300 }, (_, i) => `f${i}`)],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
  ['ZADD', 'bigzset', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat()],
  ['SET', 'ttl', 'v', 'PX', '100000000'],
];

describe('corrupt RDB files: start-up refusal and nodis-check-rdb', () => {
  const dir = tempDirFor('nodis-rdb-corrupt-');
  let good: Buffer;
  const bad = new Map<string, { file: Buffer; offset: number; reason: RegExp }>();

  before(async () => {
    const d = join(dir(), 'source');
    mkdirSync(d);
    const srv = await startNodis({ config: { dir: d } });
    try {
      const c = await RawClient.connect(srv.port);
      assert.ok((await pipeline(c, [...FILL, ['SAVE']])).every((r) => !r.startsWith('-')));
      c.close();
    } finally {
      await srv.stop();
    }
    good = readFileSync(join(d, 'dump.rdb'));
    const flipped = Buffer.from(good);
    flipped[good.indexOf('we will flip', 0, 'latin1')]! ^= 0x01;
    bad.set('flipped', { file: flipped, offset: good.length - 8, reason: /^RDB CRC error$/ });
    const cut = Math.floor(good.length * 0.6);
    bad.set('truncated', { file: good.subarray(0, cut), offset: -1, reason: /^Unexpected end of data reading / });
    const unknown = rdbFile([250, ...str('redis-ver'), ...str('7.0.15'), 0x20, ...str('key'), ...str('value')]);
    bad.set('unknown type', { file: unknown, offset: 27, reason: /^Unknown RDB value type 32$/ });
    for (const [name, { file }] of bad) writeFileSync(join(dir(), `${name.replace(' ', '-')}.rdb`), file);
    writeFileSync(join(dir(), 'good.rdb'), good);
  });

  test('nodis-check-rdb and redis-check-rdb accept the good file', async () => {
    const r = await runToExit(process.execPath, [CHECK, join(dir(), 'good.rdb')], dir());
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /RDB looks OK/);
    assert.match(r.out, /\[info\] 12 keys read/);
    if (withRedis) assert.equal((await runToExit('redis-check-rdb', [join(dir(), 'good.rdb')], dir())).code, 0);
  });

  for (const name of ['truncated', 'flipped', 'unknown type']) {
    test(`${name}: the server exits 1 naming offset and reason; nodis-check-rdb says the same`, async () => {
      const { file, offset, reason } = bad.get(name)!;
      const path = join(dir(), `${name.replace(' ', '-')}.rdb`);
      const cwd = join(dir(), `run-${name.replace(' ', '-')}`);
      mkdirSync(cwd);
      copyFileSync(path, join(cwd, 'dump.rdb'));
      const port = await freePort();
      const server = await runToExit(process.execPath, [MAIN, '--port', String(port), '--save', ''], cwd);
      assert.equal(server.code, 1, server.out);
      const m = /Fatal error loading the DB: (.+) at offset (\d+)\. Exiting\./.exec(server.out);
      assert.ok(m !== null, server.out);
      assert.match(m[1]!, reason);
      const at = Number(m[2]);
      if (offset >= 0) assert.equal(at, offset);
      else assert.ok(at <= file.length, `offset ${at} past the end of a ${file.length}-byte file`);
      assert.doesNotMatch(server.out, /Ready to accept connections/);

      const check = await runToExit(process.execPath, [CHECK, path], dir());
      assert.equal(check.code, 1, check.out);
      assert.match(check.out, /RDB ERROR DETECTED/);
      assert.ok(check.out.includes(`[offset ${at}] ${m[1]}\n`), check.out);

      if (withRedis) {
        const redis = await runToExit('redis-check-rdb', [path], dir());
        assert.notEqual(redis.code, 0, `redis-check-rdb accepted the ${name} file:\n${redis.out}`);
      }
    });
  }
});

describe('corrupt payloads and files on a running server', () => {
  let srv: Awaited<ReturnType<typeof startNodisProcess>>;
  let c: RawClient;
  const payloads = new Map<string, Buffer>();

  before(async () => {
    srv = await startNodisProcess(['--save', '', '--enable-debug-command', 'yes']);
    c = await RawClient.connect(srv.port);
    await pipeline(c, FILL);
    for (const [, key] of FILL) {
      const { raw } = await c.call('DUMP', key!);
      // The raw reply is $<n>\r\n<payload>\r\n: keep the payload's bytes.
      const start = raw.indexOf('\r\n') + 2;
      payloads.set(key!, raw.subarray(start, raw.length - 2));
    }
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  const ERRORS = ['-ERR DUMP payload version or checksum are wrong', '-ERR Bad data format'];

  test('RESTORE of truncated and flipped payloads answers an error, never crashes', async () => {
    const rnd = mulberry32(99);
    const cmds: Buffer[][] = [];
    for (const p of payloads.values()) {
      const step = Math.max(1, Math.floor(p.length / 60));
      for (let n = 0; n < p.length; n += step)
        cmds.push([Buffer.from('RESTORE'), Buffer.from('k'), Buffer.from('0'), p.subarray(0, n), Buffer.from('REPLACE')]);
      for (let i = 0; i < 40; i++) {
        const q = Buffer.from(p);
        q[Math.floor(rnd() * q.length)]! ^= 1 + Math.floor(rnd() * 255);
        cmds.push([Buffer.from('RESTORE'), Buffer.from('k'), Buffer.from('0'), q, Buffer.from('REPLACE')]);
      }
    }
    const replies = await pipeline(c, cmds);
    for (const [i, r] of replies.entries()) assert.ok(ERRORS.includes(r), `command ${i}: ${r}`);
    assert.equal(await c.callText('PING'), '+PONG\r\n');
    assert.equal(srv.proc.exitCode, null);
  });

  test('RESTORE of payloads corrupted under a valid checksum: an error or a sane value', async () => {
    const rnd = mulberry32(7);
    const cmds: Buffer[][] = [];
    for (const p of payloads.values()) {
      const body = p.length - 10;
      for (let i = 0; i < 60; i++) {
        const q = Buffer.from(p);
        const at = Math.floor(rnd() * body);
        const span = 1 + Math.floor(rnd() * 4);
        for (let k = at; k < Math.min(body, at + span); k++) q[k] = Math.floor(rnd() * 256);
        const crc = new Crc64();
        crc.update(q, 0, body + 2);
        crc.bytes().copy(q, body + 2);
        cmds.push([Buffer.from('RESTORE'), Buffer.from('k'), Buffer.from('0'), q, Buffer.from('REPLACE')]);
        // Whatever was restored must be readable and dumpable again.
        cmds.push([Buffer.from('TYPE'), Buffer.from('k')]);
        cmds.push([Buffer.from('DUMP'), Buffer.from('k')]);
        cmds.push([Buffer.from('DEL'), Buffer.from('k')]);
      }
    }
    const replies = await pipeline(c, cmds);
    let restored = 0;
    for (let i = 0; i < replies.length; i += 4) {
      const r = replies[i]!;
      if (r === 'OK') {
        restored++;
        assert.notEqual(replies[i + 1], 'none');
        assert.ok(!replies[i + 2]!.startsWith('-'), replies[i + 2]);
      } else {
        assert.ok(ERRORS.includes(r), `command ${i}: ${r}`);
      }
    }
    assert.ok(restored > 0 && restored < replies.length / 4, `${restored} restored`);
    assert.equal(await c.callText('PING'), '+PONG\r\n');
    assert.equal(srv.proc.exitCode, null);
  });

  test('DEBUG RELOAD NOSAVE on a corrupt file answers an error and the server keeps running', async () => {
    assert.equal(await c.callText('SET', 'before', '1'), '+OK\r\n');
    assert.equal(await c.callText('SAVE'), '+OK\r\n');
    const path = join(srv.dir, 'dump.rdb');
    const file = readFileSync(path);
    writeFileSync(path, file.subarray(0, file.length - 20));
    assert.equal(await c.callText('DEBUG', 'RELOAD', 'NOSAVE'), '-ERR Error trying to load the RDB dump, check server logs.\r\n');
    assert.match(srv.output(), /Error loading the RDB file: Unexpected end of data .* at offset \d+/);
    assert.equal(await c.callText('PING'), '+PONG\r\n');
    writeFileSync(path, file);
    assert.equal(await c.callText('DEBUG', 'RELOAD', 'NOSAVE'), '+OK\r\n');
    assert.equal(await c.callText('GET', 'before'), '$1\r\n1\r\n');
  });
});
