import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encodeListpack, listpackEntries, listpackEntryBytes } from './listpack.js';
import { BlobError } from './errors.js';
import { xorshift32 } from '../../../test/support/random.js';
import { checkCorruption } from '../../../test/support/blob-fuzz.js';

/** Listpacks a real Redis 7.0.15 embedded in DUMP payloads, with the items it was given. */
const REDIS_HASH = {
  items: ['f', 'v', 'n', '1', 'big', '-70000', 'neg', '-1', 'e', ''],
  hex: '290000000a00816602817602816e0201018362696704f290eefe04836e656704dfff028165028001ff',
};
const REDIS_ZSET = {
  items: ['c', '-3', 'a', '1', 'b', '2.5', 'd', '1e+20'],
  hex: '240000000800816302dffd02816102010181620283322e35048164028531652b323006ff',
};
/** An RPUSH of these (list-max-listpack-size -5) gave a single listpack node of 8490 bytes with this SHA-256. */
const REDIS_LIST_ITEMS = [
  'a',
  '1',
  '-1',
  '128',
  '-4096',
  '4095',
  '4096',
  '32767',
  '-32768',
  '8388608',
  '-8388609',
  '2147483648',
  '-9223372036854775808',
  '9223372036854775807',
  'x'.repeat(64),
  'y'.repeat(63),
  'z'.repeat(4095),
  'w'.repeat(4096),
  '01',
  '+1',
  '',
  ' 1',
  '-0',
  '12345678901234567890',
  '99999999999999999999',
  '-4097',
  '127',
  '-8388608',
  '8388607',
];
const REDIS_LIST_SHA256 = '087f63d3e725979ae6ee7a372e72138530872812690f06b6afd1c26d458abfb1';

/** Items that sit on every encoding boundary. */
const EDGES = [
  '0',
  '-1',
  '127',
  '128',
  '-4096',
  '-4097',
  '4095',
  '4096',
  '32767',
  '32768',
  '-32768',
  '-32769',
  '8388607',
  '8388608',
  '-8388608',
  '-8388609',
  String(2 ** 31),
  String(-(2 ** 31)),
  String(2 ** 31 - 1),
  String(2 ** 53),
  String(2 ** 53 + 1),
  '-9007199254740993',
  '-9223372036854775808',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '01',
  '+1',
  ' 1',
  '1 ',
  '-0',
  '-',
  '12345678901234567890',
  '-1234567890123456789',
  '',
  'a'.repeat(63),
  'a'.repeat(64),
  'b'.repeat(4095),
  'b'.repeat(4096),
  '\x00\xff\x80',
];

function randomItem(rand: (n: number) => number): string {
  if (rand(3) === 0) return EDGES[rand(EDGES.length)]!;
  if (rand(2) === 0) return String(rand(2) === 0 ? -rand(1 << 30) : rand(1 << 30)) + (rand(8) === 0 ? 'x' : '');
  let s = '';
  const n = rand(4) === 0 ? rand(5000) : rand(70);
  for (let i = 0; i < n; i++) s += String.fromCharCode(rand(256));
  return s;
}

describe('listpack', () => {
  test('encodes byte for byte what Redis 7.0 writes', () => {
    for (const v of [REDIS_HASH, REDIS_ZSET]) {
      assert.equal(encodeListpack(v.items).toString('hex'), v.hex);
      assert.deepEqual(listpackEntries(Buffer.from(v.hex, 'hex')), v.items);
    }
    const list = encodeListpack(REDIS_LIST_ITEMS);
    assert.equal(list.length, 8490);
    assert.equal(createHash('sha256').update(list).digest('hex'), REDIS_LIST_SHA256);
    assert.deepEqual(listpackEntries(list), REDIS_LIST_ITEMS);
  });

  test('an empty listpack is its header and end byte', () => {
    assert.equal(encodeListpack([]).toString('hex'), '070000000000ff');
    assert.deepEqual(listpackEntries(Buffer.from('070000000000ff', 'hex')), []);
  });

  test('backlens of 1 to 4 bytes round-trip', () => {
    const items = [125, 126, 127, 16378, 16379, 16380, 2097146, 2097147, 2097150].map((n) => 'q'.repeat(n));
    assert.deepEqual(listpackEntries(encodeListpack(items)), items);
  });

  test('a count of 65535 or more is stored as "unknown" and counted on read', () => {
    const items = Array.from({ length: 70000 }, (_, i) => String(i % 300));
    const lp = encodeListpack(items);
    assert.equal(lp.readUInt16LE(4), 65535);
    assert.deepEqual(listpackEntries(lp), items);
  });

  test('round-trips random items, also from inside a larger buffer', () => {
    const rand = xorshift32(2024);
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: rand(40) }, () => randomItem(rand));
      const lp = encodeListpack(items);
      assert.deepEqual(listpackEntries(lp), items);
      const framed = Buffer.concat([Buffer.from('pre'), lp, Buffer.from('post')]);
      assert.deepEqual(listpackEntries(framed, 3, 3 + lp.length), items);
    }
  });

  test('listpackEntryBytes is the size each item adds to a listpack', () => {
    const rand = xorshift32(99);
    const items = [...EDGES, ...Array.from({ length: 300 }, () => randomItem(rand)), 'q'.repeat(16380), 'q'.repeat(2097150)];
    for (const s of items) assert.equal(listpackEntryBytes(s), encodeListpack([s]).length - 7, JSON.stringify(s.slice(0, 30)));
  });

  test('rejects malformed headers, entries and end bytes', () => {
    const good = Buffer.from(REDIS_HASH.hex, 'hex');
    const bad = (edit: (b: Buffer) => void, msg: RegExp) => {
      const b = Buffer.from(good);
      edit(b);
      assert.throws(() => listpackEntries(b), msg);
    };
    bad((b) => b.writeUInt32LE(40, 0), /header says 40 bytes/);
    bad((b) => (b[b.length - 1] = 0xfe), /bad end marker/);
    bad((b) => b.writeUInt16LE(4, 4), /header says 4 entries/);
    bad((b) => (b[8] = 0x03), /backlen/);
    bad((b) => (b[6] = 0xf5), /invalid encoding/);
    bad((b) => (b[6] = 0xbf), /runs past the end/);
    assert.throws(() => listpackEntries(Buffer.from('0600000000ff', 'hex')), BlobError);
  });

  test('truncated or flipped blobs decode or throw BlobError', () => {
    checkCorruption((b) => listpackEntries(b), Buffer.from(REDIS_HASH.hex, 'hex'), 3000, 1);
    checkCorruption((b) => listpackEntries(b), encodeListpack(EDGES), 3000, 2);
  });
});
