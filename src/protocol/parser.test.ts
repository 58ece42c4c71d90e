/**
 * Unit tests of the request parser: the same commands come out however the
 * bytes are split into chunks, large bulk arguments are gathered intact,
 * inline commands split like Redis's sdssplitargs, and every malformed input
 * raises Redis 7.0's exact protocol error text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, RequestParser, splitArgs } from './parser.js';
import { mulberry32 } from '../../test/support/random.js';

/** Encodes argv (latin1 byte strings) as a RESP multibulk request. */
function multibulk(argv: readonly string[]): Buffer {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

/** Feeds the chunks in order, draining complete commands after each one. */
function parseChunks(chunks: readonly Buffer[], setup?: (p: RequestParser) => void): string[][] {
  const p = new RequestParser();
  setup?.(p);
  const out: string[][] = [];
  for (const chunk of chunks) {
    p.feed(chunk);
    for (let argv = p.next(); argv !== null; argv = p.next()) out.push(argv);
  }
  return out;
}

/** Splits data into pieces of random sizes between 1 and maxPiece bytes. */
function randomSplit(data: Buffer, rand: () => number, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length;) {
    const n = 1 + Math.floor(rand() * maxPiece);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

function byteByByte(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i++) out.push(data.subarray(i, i + 1));
  return out;
}

/** Parses data in one chunk and returns the ProtocolError text it raises. */
function protocolErrorOf(data: string | Buffer, setup?: (p: RequestParser) => void): string {
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  try {
    parseChunks([buf], setup);
  } catch (e) {
    assert.ok(e instanceof ProtocolError, `unexpected ${String(e)}`);
    return e.reply;
  }
  assert.fail('no protocol error raised');
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

const COMMANDS: string[][] = [
  ['SET', 'key', 'value'],
  ['GET', 'key'],
  ['SET', ALL_BYTES, ALL_BYTES + '\r\n'],
  ['ECHO', ''],
  ['MSET', 'a', '1', 'b', '2', 'c', '3'],
  ['SET', 'big', 'x'.repeat(40000)],
  ['PING'],
];

describe('request parser: multibulk', () => {
  const stream = Buffer.concat([...COMMANDS.map(multibulk), Buffer.from('PING hello\r\n')]);
  const expected = [...COMMANDS, ['PING', 'hello']];

  test('one chunk', () => {
    assert.deepEqual(parseChunks([stream]), expected);
  });

  test('byte by byte', () => {
    assert.deepEqual(parseChunks(byteByByte(stream)), expected);
  });

  test('random splits (seeded) give the same commands', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rand = mulberry32(seed);
      const max = seed % 2 === 0 ? 7 : 5000;
      assert.deepEqual(parseChunks(randomSplit(stream, rand, max)), expected, `seed ${seed}`);
    }
  });

  test('large bulk arguments are gathered intact across many chunks', () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    const rand = mulberry32(7);
    for (let i = 0; i < big.length; i++) big[i] = Math.floor(rand() * 256);
    const value = big.toString('latin1');
    const data = Buffer.concat([multibulk(['SET', 'k', value]), multibulk(['GET', 'k'])]);
    const out = parseChunks(randomSplit(data, rand, 65536));
    assert.equal(out.length, 2);
    assert.equal(out[0]![2]!.length, value.length);
    assert.ok(out[0]![2] === value, 'the large argument differs');
    assert.deepEqual(out[1], ['GET', 'k']);
  });

  test('a large bulk whose header and body arrive together, then the next command', () => {
    const value = 'y'.repeat(100000);
    const data = multibulk(['SET', 'k', value]);
    const split = data.length - 10;
    const out = parseChunks([data.subarray(0, split), Buffer.concat([data.subarray(split), multibulk(['PING'])])]);
    assert.deepEqual(out, [['SET', 'k', value], ['PING']]);
  });

  test('empty multibulks (*0, *-1) are empty commands', () => {
    assert.deepEqual(parseChunks([Buffer.from('*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n')]), [[], [], ['PING']]);
  });

  test('bytes after the announced bulk length up to the next CR are skipped', () => {
    // Redis trusts the length and skips two bytes after the payload.
    assert.deepEqual(parseChunks([Buffer.from('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n')]), [['PING'], ['PING']]);
  });

  test('an incomplete command waits for more input', () => {
    const p = new RequestParser();
    p.feed(Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nke'));
    assert.equal(p.next(), null);
    assert.equal(p.pendingBytes, 6);
    p.feed(Buffer.from('y\r\n'));
    assert.deepEqual(p.next(), ['GET', 'key']);
    assert.equal(p.next(), null);
    assert.equal(p.pendingBytes, 0);
  });

  test('lines ending in LF only never complete a multibulk header', () => {
    assert.deepEqual(parseChunks([Buffer.from('*1\n$4\nPING\n')]), []);
  });
});

describe('request parser: inline commands', () => {
  const cases: [string, string[]][] = [
    ['PING\r\n', ['PING']],
    ['PING\n', ['PING']],
    ['  SET  a   b  \r\n', ['SET', 'a', 'b']],
    ['SET k "hello world"\r\n', ['SET', 'k', 'hello world']],
    ['ECHO "\\x41\\x7a\\n\\r\\t\\b\\a\\\\\\""\r\n', ['ECHO', 'Az\n\r\t\b\x07\\"']],
    ['ECHO "\\xZZ\\x4"\r\n', ['ECHO', 'xZZx4']],
    ['ECHO "a\\qb"\r\n', ['ECHO', 'aqb']],
    ["ECHO 'it\\'s' 'a\\nb'\r\n", ['ECHO', "it's", 'a\\nb']],
    ['ECHO a"b c"\r\n', ['ECHO', 'ab c']],
    ['ECHO "" \'\'\r\n', ['ECHO', '', '']],
    ['ECHO a\tb\r\n', ['ECHO', 'a', 'b']],
    ['PING\rx\n', ['PING', 'x']],
  ];
  for (const [line, argv] of cases) {
    test(JSON.stringify(line), () => {
      assert.deepEqual(parseChunks([Buffer.from(line, 'latin1')]), [argv]);
      assert.deepEqual(parseChunks(byteByByte(Buffer.from(line, 'latin1'))), [argv]);
    });
  }

  test('an empty line is an empty command', () => {
    assert.deepEqual(parseChunks([Buffer.from('\r\n\nPING\r\n')]), [[], [], ['PING']]);
  });

  test('a line just under 64KB is accepted', () => {
    const arg = 'x'.repeat(65530);
    assert.deepEqual(parseChunks([Buffer.from(`ECHO ${arg}\r\n`)]), [['ECHO', arg]]);
  });

  test('splitArgs returns null for unbalanced quotes', () => {
    for (const s of ['"abc', "'abc", '"a"b', "'a'b", '"a\\"']) assert.equal(splitArgs(s), null, s);
    assert.deepEqual(splitArgs(''), []);
    assert.deepEqual(splitArgs('   '), []);
  });
});

describe('request parser: protocol errors (Redis 7.0 texts)', () => {
  const big = '1'.repeat(70000);
  const cases: [string, string, ((p: RequestParser) => void)?][] = [
    ['*x\r\n', 'invalid multibulk length'],
    ['*+1\r\n', 'invalid multibulk length'],
    ['*01\r\n', 'invalid multibulk length'],
    ['*3000000000\r\n', 'invalid multibulk length'],
    ['*1\r\nx3\r\nfoo\r\n', "expected '$', got 'x'"],
    ['*2\r\n*4\r\nPING\r\n', "expected '$', got '*'"],
    ['*1\r\n$x\r\n', 'invalid bulk length'],
    ['*1\r\n$-1\r\n', 'invalid bulk length'],
    ['*1\r\n$ 4\r\n', 'invalid bulk length'],
    ['*1\r\n$+4\r\n', 'invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'invalid bulk length'],
    ['*1\r\n$2000000\r\n', 'invalid bulk length', (p) => (p.maxBulkLen = 1024 * 1024)],
    [`*${big}`, 'too big mbulk count string'],
    [`*1\r\n$${big}`, 'too big bulk count string'],
    ['x'.repeat(70000), 'too big inline request'],
    ['SET "a b\r\n', 'unbalanced quotes in request'],
    ['SET "a"b c\r\n', 'unbalanced quotes in request'],
    ["SET 'ab\r\n", 'unbalanced quotes in request'],
    ['ECHO a"b c"d\r\n', 'unbalanced quotes in request'],
    ['*11\r\n', 'unauthenticated multibulk length', (p) => (p.unauthenticated = true)],
    ['*2\r\n$4\r\nECHO\r\n$16385\r\n', 'unauthenticated bulk length', (p) => (p.unauthenticated = true)],
  ];
  for (const [input, detail, setup] of cases) {
    test(`${JSON.stringify(input.slice(0, 24))} → ${detail}`, () => {
      assert.equal(protocolErrorOf(input, setup), `ERR Protocol error: ${detail}`);
    });
  }

  test('unauthenticated clients may still send 10 arguments of 16384 bytes', () => {
    const argv = ['ECHO', 'x'.repeat(16384), ...Array<string>(8).fill('a')];
    assert.deepEqual(
      parseChunks([multibulk(argv)], (p) => (p.unauthenticated = true)),
      [argv],
    );
  });

  test('a bulk of exactly proto-max-bulk-len is accepted', () => {
    const value = 'v'.repeat(1024 * 1024);
    const out = parseChunks([multibulk(['SET', 'k', value])], (p) => (p.maxBulkLen = 1024 * 1024));
    assert.equal(out[0]![2]!.length, value.length);
  });

  test('commands before the malformed one are returned first', () => {
    const p = new RequestParser();
    p.feed(Buffer.from('PING\r\n*1\r\n$x\r\n'));
    assert.deepEqual(p.next(), ['PING']);
    assert.throws(
      () => p.next(),
      (e: unknown) => e instanceof ProtocolError && e.reply === 'ERR Protocol error: invalid bulk length',
    );
  });
});
