import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { zipmapPairs } from './zipmap.js';
import { xorshift32 } from '../../../test/support/random.js';
import { checkCorruption } from '../../../test/support/blob-fuzz.js';
import { zipmap } from '../../../test/support/legacy-rdb.js';

const flat = (pairs: (readonly [string, string])[]) => pairs.flat();

describe('zipmap', () => {
  test('decodes a hand-assembled zipmap with free bytes', () => {
    // {"foo": "bar", "k": ""} with 2 free bytes after "bar".
    const hex = '02' + '03666f6f' + '0302626172' + '2a2a' + '016b' + '0000' + 'ff';
    assert.deepEqual(zipmapPairs(Buffer.from(hex, 'hex')), ['foo', 'bar', 'k', '']);
  });

  test('decodes what the legacy builder writes: long lengths, many pairs, free space, framed', () => {
    const rand = xorshift32(5);
    for (let round = 0; round < 100; round++) {
      const pairs = Array.from({ length: rand(round === 0 ? 300 : 20) }, (_, i) => {
        const len = rand(4) === 0 ? 250 + rand(10) : rand(20);
        return [`f${i}`, String.fromCharCode(...Array.from({ length: len }, () => rand(256)))] as const;
      });
      const zm = zipmap(pairs, rand(3));
      const framed = Buffer.concat([Buffer.from('x'), zm, Buffer.from('y')]);
      assert.deepEqual(zipmapPairs(framed, 1, 1 + zm.length), flat(pairs));
    }
    assert.deepEqual(zipmapPairs(zipmap([])), []);
  });

  test('rejects wrong counts, keys without values and trailing bytes', () => {
    assert.throws(() => zipmapPairs(Buffer.from('0101610162ff', 'hex')), /key has no value|past the end/);
    assert.throws(() => zipmapPairs(Buffer.from('0201610001620000ff', 'hex').subarray(0, 6)), /past the end/);
    assert.throws(() => zipmapPairs(Buffer.from('020161010062ff', 'hex')), /header says 2 pairs/);
    assert.throws(() => zipmapPairs(Buffer.from('0001610100ff', 'hex')), /key has no value|past the end/);
    assert.throws(() => zipmapPairs(Buffer.from('00ff00', 'hex')), /after its end marker/);
    assert.throws(() => zipmapPairs(Buffer.from('0101ff', 'hex')), /key has no value/);
  });

  test('truncated or flipped blobs decode or throw BlobError', () => {
    const pairs = [
      ['a', 'b'],
      ['long', 'v'.repeat(300)],
      ['', 'x'],
    ] as const;
    checkCorruption((b) => zipmapPairs(b), zipmap(pairs, 2), 4000, 4);
  });
});
