/** Unit tests of the benchmark client's RESP encoding and reply parsing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRequest, parseReply } from './resp-client.js';

test('encodeRequest writes a multibulk request with byte lengths of latin1 arguments', () => {
  assert.equal(encodeRequest(['SET', 'k', 'v\xff']), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv\xff\r\n');
});

test('parseReply reads simple strings, errors, integers and bulk strings, and says where each ends', () => {
  const buf = Buffer.from('+OK\r\n-ERR no\r\n:42\r\n$5\r\na\r\nbc\r\n$-1\r\n', 'latin1');
  const replies = [];
  for (let at = 0; at < buf.length;) {
    const r = parseReply(buf, at);
    assert.ok(r !== null);
    replies.push([r.value, r.error]);
    at = r.end;
  }
  assert.deepEqual(replies, [
    ['OK', null],
    [null, 'ERR no'],
    [42, null],
    ['a\r\nbc', null],
    [null, null],
  ]);
});

test('parseReply returns null for every incomplete prefix of a reply', () => {
  const full = Buffer.from('$11\r\nhello world\r\n');
  for (let n = 0; n < full.length; n++) assert.equal(parseReply(full.subarray(0, n), 0), null, `prefix of ${n} bytes`);
  assert.equal(parseReply(full, 0)?.end, full.length);
});

test('parseReply rejects a reply type the client does not handle', () => {
  assert.throws(() => parseReply(Buffer.from('*1\r\n:1\r\n'), 0), /unexpected reply type/);
});
