import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ziplistEntries } from './ziplist.js';
import { BlobError } from './errors.js';
import { xorshift32 } from '../../../test/support/random.js';
import { checkCorruption } from '../../../test/support/blob-fuzz.js';
import { ziplist } from '../../../test/support/legacy-rdb.js';

/** Items on every ziplist encoding boundary (the builder picks the smallest encoding, as Redis did). */
const EDGES = [
  '0',
  '12',
  '13',
  '-1',
  '127',
  '128',
  '-128',
  '-129',
  '32767',
  '32768',
  '-32768',
  '-32769',
  '8388607',
  '8388608',
  '-8388608',
  '-8388609',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  String(2 ** 53 + 2),
  '-9223372036854775808',
  '9223372036854775807',
  '01',
  '+1',
  ' 1',
  '-0',
  '',
  'x'.repeat(63),
  'x'.repeat(64),
  'y'.repeat(16383),
  'y'.repeat(16384),
  '\x00\xfe\xff',
];

describe('ziplist', () => {
  test('decodes a hand-assembled ziplist of every encoding kind', () => {
    // "ab", 5 (immediate), -2 (int8), 1000 (int16), 100000 (24-bit); 29 bytes, the last entry at 23.
    const hex = '1d000000' + '17000000' + '0500' + '00026162' + '04f6' + '02fefe' + '03c0e803' + '04f0a08601' + 'ff';
    assert.deepEqual(ziplistEntries(Buffer.from(hex, 'hex')), ['ab', '5', '-2', '1000', '100000']);
  });

  test('decodes what the legacy builder writes (checked against Redis loading it), also framed', () => {
    assert.deepEqual(ziplistEntries(ziplist(EDGES)), EDGES);
    assert.deepEqual(ziplistEntries(ziplist([])), []);
    const rand = xorshift32(77);
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: rand(30) }, () =>
        rand(2) === 0 ? EDGES[rand(EDGES.length)]! : String.fromCharCode(...Array.from({ length: rand(300) }, () => rand(256))),
      );
      const zl = ziplist(items);
      const framed = Buffer.concat([Buffer.from('ab'), zl, Buffer.from('cd')]);
      assert.deepEqual(ziplistEntries(framed, 2, 2 + zl.length), items);
    }
  });

  test('a count of 65535 means "count them"', () => {
    const items = Array.from({ length: 65536 }, (_, i) => String(i));
    assert.deepEqual(ziplistEntries(ziplist(items)), items);
  });

  test('rejects a corrupt payload from the Redis test suite (invalid entry length)', () => {
    const zl = Buffer.from('1b000000160000000400000261000402620004146300040264' + '00ff', 'hex');
    assert.throws(() => ziplistEntries(zl), BlobError);
  });

  test('rejects bad sizes, prevlens, tails, counts and end markers', () => {
    const good = ziplist(['a', '300', 'bcd']);
    const bad = (edit: (b: Buffer) => void, msg: RegExp) => {
      const b = Buffer.from(good);
      edit(b);
      assert.throws(() => ziplistEntries(b), msg);
    };
    bad((b) => b.writeUInt32LE(99, 0), /header says 99 bytes/);
    bad((b) => (b[b.length - 1] = 0), /bad end marker/);
    bad((b) => b.writeUInt32LE(11, 4), /zltail/);
    bad((b) => b.writeUInt16LE(2, 8), /header says 2 entries/);
    bad((b) => (b[13] = 9), /prevlen/);
    bad((b) => (b[14] = 0xc5), /invalid encoding/);
  });

  test('truncated or flipped blobs decode or throw BlobError', () => {
    checkCorruption((b) => ziplistEntries(b), ziplist(EDGES.filter((s) => s.length < 100)), 4000, 3);
  });
});
