import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncBuffer } from './sync-buffer.js';
import { parseEndOffset } from './rdb-channel.js';
import { LineReader } from './line-reader.js';

describe('SyncBuffer', () => {
  test('keeps chunks in order, counts bytes and peak, reports the limit', () => {
    const b = new SyncBuffer(10);
    assert.equal(b.push(Buffer.from('abcd')), true);
    assert.equal(b.push(Buffer.from('efgh')), true);
    assert.equal(b.push(Buffer.from('ijk')), false, 'over the limit');
    assert.equal(b.bytes, 11);
    assert.equal(b.peak, 11);
    assert.deepEqual(b.take(8).map(String), ['abcd', 'efgh']);
    assert.equal(b.bytes, 3);
    b.push(Buffer.from('l'));
    assert.deepEqual(b.take(1).map(String), ['ijk'], 'at least one chunk, even a bigger one');
    assert.deepEqual(b.take(100).map(String), ['l']);
    assert.equal(b.bytes, 0);
    assert.equal(b.peak, 11, 'the peak stays');
    assert.deepEqual(b.take(100), []);
  });

  test('a limit of 0 is no limit; clear forgets the data', () => {
    const b = new SyncBuffer(0);
    assert.equal(b.push(Buffer.alloc(1 << 20)), true);
    b.clear();
    assert.equal(b.bytes, 0);
    assert.deepEqual(b.take(10), []);
  });
});

describe('parseEndOffset', () => {
  const id = 'a'.repeat(40);
  test('reads offset, replid, db and client id', () => {
    assert.deepEqual(parseEndOffset(`$ENDOFF:123 ${id} 0 77`), { offset: 123, replId: id, db: 0, clientId: 77 });
  });
  test('refuses anything else', () => {
    for (const bad of [
      '$ENDOFF:',
      `$ENDOFF:-1 ${id} 0 1`,
      `$ENDOFF:1 ${id.slice(1)} 0 1`,
      `$ENDOFF:1 ${id} 0`,
      `+FULLRESYNC ${id} 0`,
      `$ENDOFF:99999999999999999999 ${id} 0 1`,
    ]) {
      assert.equal(parseEndOffset(bad), null, bad);
    }
  });
});

describe('LineReader', () => {
  test('lines across chunks, CR LF or LF, then the raw rest once lines stop being wanted', () => {
    const r = new LineReader();
    const got: string[] = [];
    let want = 3;
    const wanted = () => got.length < want;
    assert.equal(r.feed(Buffer.from('+PO'), wanted, (l) => got.push(l)).length, 0);
    assert.equal(r.feed(Buffer.from('NG\r\n\n+O'), wanted, (l) => got.push(l)).length, 0);
    const rest = r.feed(Buffer.from('K\r\n$EOF:rdb\r\nbytes'), wanted, (l) => got.push(l));
    assert.deepEqual(got, ['+PONG', '', '+OK']);
    assert.equal(rest.toString(), '$EOF:rdb\r\nbytes');
    want = 4;
    r.clear();
    assert.equal(r.feed(Buffer.from('x\r'), wanted, (l) => got.push(l)).length, 0);
    assert.equal(r.feed(Buffer.from('\nrest'), wanted, (l) => got.push(l)).toString(), 'rest');
    assert.equal(got[3], 'x');
  });
});
