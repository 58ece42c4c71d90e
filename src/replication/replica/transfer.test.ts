import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdbTransfer, TransferError } from './transfer.js';

const MARK = 'x'.repeat(40);

/** Feeds bytes in pieces of `step`; returns what followed the payload, or null if it never ended. */
function feedInPieces(t: RdbTransfer, bytes: Buffer, step: number): Buffer | null {
  let rest: Buffer | null = null;
  for (let i = 0; i < bytes.length; i += step) {
    const r = t.feed(bytes.subarray(i, i + step));
    if (r !== null) {
      rest = Buffer.concat([r, bytes.subarray(i + step)]);
      break;
    }
  }
  return rest;
}

test('sized payload after keepalive newlines; the bytes after it are returned', () => {
  for (const step of [1, 3, 1000]) {
    const starts: [boolean, number][] = [];
    const t = new RdbTransfer(null, (eof, size) => starts.push([eof, size]));
    const rest = feedInPieces(t, Buffer.from('\n\n$5\r\nREDIS*1\r\n$4\r\nPING\r\n'), step);
    assert.equal(rest?.toString(), '*1\r\n$4\r\nPING\r\n');
    assert.equal(t.payload().toString(), 'REDIS');
    assert.deepEqual(starts, [[false, 5]]);
    assert.equal(t.readBytes, 5);
    assert.equal(t.totalBytes, 5);
  }
});

test('EOF payload: the mark is found across pieces and never kept', () => {
  for (const step of [1, 7, 39, 40, 41, 1000]) {
    const t = new RdbTransfer(null, () => undefined);
    const body = 'R'.repeat(100) + MARK.slice(0, 20) + 'not the end';
    const rest = feedInPieces(t, Buffer.from(`$EOF:${MARK}\r\n${body}${MARK}`), step);
    assert.equal(rest?.length, 0, `step ${step}`);
    assert.equal(t.payload().toString(), body);
    assert.equal(t.totalBytes, -1);
  }
});

test('an EOF payload shorter than the mark', () => {
  const t = new RdbTransfer(null, () => undefined);
  assert.notEqual(t.feed(Buffer.from(`$EOF:${MARK}\r\nab${MARK}`)), null);
  assert.equal(t.payload().toString(), 'ab');
});

test('the file copy holds exactly the payload; discard removes the temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodis-transfer-'));
  try {
    const target = join(dir, 'dump.rdb');
    const t = new RdbTransfer(target, () => undefined);
    assert.notEqual(feedInPieces(t, Buffer.from(`$EOF:${MARK}\r\nhello${MARK}`), 4), null);
    t.commitFile();
    assert.equal(readFileSync(target, 'latin1'), 'hello');
    const u = new RdbTransfer(target, () => undefined);
    u.feed(Buffer.from('$10\r\nhalf'));
    assert.equal(readdirSync(dir).length, 2);
    u.discard();
    assert.deepEqual(readdirSync(dir), ['dump.rdb']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error line or another first byte is refused with the text Redis logs', () => {
  assert.throws(
    () => new RdbTransfer(null, () => undefined).feed(Buffer.from('-ERR no\r\n')),
    (e: Error) => {
      return e instanceof TransferError && e.message === 'MASTER aborted replication with an error: ERR no';
    },
  );
  assert.throws(
    () => new RdbTransfer(null, () => undefined).feed(Buffer.from('+OK\r\n')),
    /Bad protocol from MASTER, the first byte is not '\$' \(we received '\+OK'\), are you sure the host and port are right\?/,
  );
});
