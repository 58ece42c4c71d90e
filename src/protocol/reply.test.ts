/**
 * Unit tests of the reply writer: every reply form in RESP2 and RESP3, and
 * the buffer management (take, truncate, discard, large pass-through
 * payloads) the connection layer relies on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyWriter } from './reply.js';

/** Runs fn on a fresh writer speaking `resp` and returns everything it wrote, as latin1. */
function written(resp: 2 | 3, fn: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.resp = resp;
  fn(w);
  const out = w.take();
  return out === null ? '' : Buffer.concat(out).toString('latin1');
}

/** Asserts the bytes fn writes in RESP2 and in RESP3. */
function expectBoth(fn: (w: ReplyWriter) => void, resp2: string, resp3: string): void {
  assert.equal(written(2, fn), resp2, 'RESP2');
  assert.equal(written(3, fn), resp3, 'RESP3');
}

describe('reply writer: forms common to RESP2 and RESP3', () => {
  test('ok and simple strings', () => {
    expectBoth((w) => w.ok(), '+OK\r\n', '+OK\r\n');
    expectBoth((w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n');
  });

  test('errors keep their code; CR and LF become spaces', () => {
    expectBoth((w) => w.error('ERR syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n');
    expectBoth((w) => w.error('ERR a\r\nb\nc'), '-ERR a  b c\r\n', '-ERR a  b c\r\n');
  });

  test('integers: small, negative, large and bigint', () => {
    expectBoth((w) => w.int(0), ':0\r\n', ':0\r\n');
    expectBoth((w) => w.int(1023), ':1023\r\n', ':1023\r\n');
    expectBoth((w) => w.int(-5), ':-5\r\n', ':-5\r\n');
    expectBoth((w) => w.int(9007199254740991), ':9007199254740991\r\n', ':9007199254740991\r\n');
    expectBoth((w) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n');
  });

  test('bulk strings from latin1 strings and Buffers are binary safe', () => {
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    expectBoth((w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n');
    expectBoth((w) => w.bulk('foo'), '$3\r\nfoo\r\n', '$3\r\nfoo\r\n');
    expectBoth((w) => w.bulk(all), `$256\r\n${all}\r\n`, `$256\r\n${all}\r\n`);
    expectBoth((w) => w.bulk(Buffer.from(all, 'latin1')), `$256\r\n${all}\r\n`, `$256\r\n${all}\r\n`);
  });

  test('bulkText encodes UTF-8; bulkInt writes the number as a bulk', () => {
    expectBoth((w) => w.bulkText('é'), '$2\r\n\xc3\xa9\r\n', '$2\r\n\xc3\xa9\r\n');
    expectBoth((w) => w.bulkInt(-12), '$3\r\n-12\r\n', '$3\r\n-12\r\n');
  });

  test('array headers, including the empty array', () => {
    expectBoth((w) => w.array(0), '*0\r\n', '*0\r\n');
    expectBoth(
      (w) => {
        w.array(2);
        w.bulk('a');
        w.int(1);
      },
      '*2\r\n$1\r\na\r\n:1\r\n',
      '*2\r\n$1\r\na\r\n:1\r\n',
    );
  });
});

describe('reply writer: forms that differ between RESP2 and RESP3', () => {
  test('big numbers and attributes (left out of RESP2 with their pairs)', () => {
    expectBoth(
      (w) => w.bignum('1234567999999999999999999999999999999'),
      '$37\r\n1234567999999999999999999999999999999\r\n',
      '(1234567999999999999999999999999999999\r\n',
    );
    expectBoth(
      (w) => {
        w.attribute(1, () => {
          w.bulk('k');
          w.int(1);
        });
        w.bulk('v');
      },
      '$1\r\nv\r\n',
      '|1\r\n$1\r\nk\r\n:1\r\n$1\r\nv\r\n',
    );
  });

  test('null bulk and null array', () => {
    expectBoth((w) => w.nullBulk(), '$-1\r\n', '_\r\n');
    expectBoth((w) => w.nullArray(), '*-1\r\n', '_\r\n');
  });

  test('maps are flat arrays of 2n in RESP2', () => {
    const fn = (w: ReplyWriter): void => {
      w.map(2);
      w.bulk('a');
      w.int(1);
      w.bulk('b');
      w.int(2);
    };
    expectBoth(fn, '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n', '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n');
    expectBoth((w) => w.map(0), '*0\r\n', '%0\r\n');
  });

  test('sets and pushes are arrays in RESP2', () => {
    expectBoth((w) => w.set(3), '*3\r\n', '~3\r\n');
    expectBoth((w) => w.set(0), '*0\r\n', '~0\r\n');
    expectBoth((w) => w.push(3), '*3\r\n', '>3\r\n');
  });

  test('doubles are %.17g bulk strings in RESP2', () => {
    expectBoth((w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n');
    expectBoth((w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n');
    expectBoth((w) => w.double(3), '$1\r\n3\r\n', ',3\r\n');
    expectBoth((w) => w.double(1e300), '$23\r\n1.0000000000000001e+300\r\n', ',1.0000000000000001e+300\r\n');
    expectBoth((w) => w.double(1e20), '$5\r\n1e+20\r\n', ',1e+20\r\n');
    expectBoth((w) => w.double(1.5e-7), '$22\r\n1.4999999999999999e-07\r\n', ',1.4999999999999999e-07\r\n');
    expectBoth((w) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n');
    expectBoth((w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n');
  });

  test('booleans are 1/0 integers in RESP2', () => {
    expectBoth((w) => w.bool(true), ':1\r\n', '#t\r\n');
    expectBoth((w) => w.bool(false), ':0\r\n', '#f\r\n');
  });

  test('verbatim strings carry their format in RESP3 and are plain bulks in RESP2', () => {
    expectBoth((w) => w.verbatim('hé'), '$3\r\nh\xc3\xa9\r\n', '=7\r\ntxt:h\xc3\xa9\r\n');
    expectBoth((w) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n');
  });
});

describe('reply writer: buffering', () => {
  test('take() returns null when nothing was written and empties the writer', () => {
    const w = new ReplyWriter();
    assert.equal(w.take(), null);
    w.ok();
    assert.equal(w.pendingBytes, 5);
    assert.equal(Buffer.concat(w.take()!).toString(), '+OK\r\n');
    assert.equal(w.pendingBytes, 0);
    assert.equal(w.take(), null);
  });

  test('many small replies coalesce into few buffers', () => {
    const w = new ReplyWriter();
    for (let i = 0; i < 10000; i++) w.simple('PONG');
    const out = w.take()!;
    assert.ok(out.length <= 5, `${out.length} buffers`);
    assert.equal(Buffer.concat(out).toString(), '+PONG\r\n'.repeat(10000));
  });

  test('a large Buffer payload passes through without being copied', () => {
    const big = Buffer.alloc(200 * 1024, 0x61);
    const w = new ReplyWriter();
    w.int(1);
    w.bulk(big);
    w.int(2);
    const out = w.take()!;
    assert.ok(out.includes(big), 'the payload buffer itself is handed out');
    assert.equal(Buffer.concat(out).toString('latin1'), `:1\r\n$${big.length}\r\n${big.toString('latin1')}\r\n:2\r\n`);
  });

  test('a large string payload spans its own buffer', () => {
    const big = 'z'.repeat(100 * 1024);
    assert.equal(
      written(2, (w) => w.bulk(big)),
      `$${big.length}\r\n${big}\r\n`,
    );
  });

  test('truncate(mark) drops what was written after the mark, across buffers', () => {
    const w = new ReplyWriter();
    w.ok();
    const mark = w.pendingBytes;
    w.bulk(Buffer.alloc(100 * 1024));
    for (let i = 0; i < 5000; i++) w.int(i);
    w.truncate(mark);
    assert.equal(w.pendingBytes, mark);
    w.simple('after');
    assert.equal(Buffer.concat(w.take()!).toString(), '+OK\r\n+after\r\n');
  });

  test('truncate(mark, keep) keeps the listed ranges, in order, across buffers', () => {
    const w = new ReplyWriter();
    w.ok();
    const mark = w.pendingBytes;
    w.int(1);
    const a = w.pendingBytes;
    w.simple('kept-1');
    const b = w.pendingBytes;
    w.bulk(Buffer.alloc(100 * 1024));
    const c = w.pendingBytes;
    w.simple('kept-2');
    const d = w.pendingBytes;
    w.int(2);
    assert.equal(w.truncate(mark, [a, b, c, d]), b - a + (d - c));
    assert.equal(Buffer.concat(w.take()!).toString(), '+OK\r\n+kept-1\r\n+kept-2\r\n');
  });

  test('truncate within the current buffer and discard()', () => {
    const w = new ReplyWriter();
    w.ok();
    w.int(5);
    w.truncate(5);
    assert.equal(Buffer.concat(w.take()!).toString(), '+OK\r\n');
    w.ok();
    w.discard();
    assert.equal(w.pendingBytes, 0);
    assert.equal(w.take(), null);
  });

  test('the writer reuses its buffer: earlier taken replies stay intact', () => {
    const w = new ReplyWriter();
    w.simple('first');
    const a = w.take()!;
    w.simple('second');
    const b = w.take()!;
    assert.equal(Buffer.concat(a).toString(), '+first\r\n');
    assert.equal(Buffer.concat(b).toString(), '+second\r\n');
  });
});
