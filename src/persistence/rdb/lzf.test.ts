import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lzfCompress, lzfDecompress } from './lzf.js';
import { BlobError } from './errors.js';
import { xorshift32 } from '../../../test/support/random.js';
import { checkCorruption } from '../../../test/support/blob-fuzz.js';

/** Blobs a real Redis 7.0.15 wrote (DUMP with rdbcompression yes), with what they expand to. */
const REDIS_TEXT = 'hello world, the quick brown fox! '.repeat(6).slice(0, 200);
const REDIS_TEXT_LZF = '1f68656c6c6f20776f726c642c2074686520717569636b2062726f776e20666f7802212068e09a21012066';

/** 300 pseudo-random bytes repeated to 3000, with bytes 999, 1999 and 2999 flipped: far and long back references. */
function redisBinary(): Buffer {
  let x = 12345;
  const block: number[] = [];
  for (let i = 0; i < 300; i++) {
    x = (x * 1103515245 + 12345) >>> 0; // float arithmetic, as in the script that fed Redis
    block.push(x >>> 24);
  }
  const b = Buffer.alloc(3000);
  for (let i = 0; i < 3000; i++) b[i] = block[i % 300]! ^ (i % 1000 === 999 ? 1 : 0);
  return b;
}
const REDIS_BINARY_LZF =
  '1fd3a7507f565696f1e8b267c9fe09f373dacd64f0f1889dc3ec2b1292472c2ba91f4bc3037b2a7eff5b1d1b91a2ab82152e635c53d78b6af93adc5bbc03080bf4ba1f7442dcec6ad107d441e140ecd38847e2963d19e52996af5db33f2cef1439e1c81ffd53562f1e18b6ce880a71c79bd1f156cecbc43ddac24a80989f1411245b13201f5e5470fb3b5e864b27f48f0a49e1e959ee5587fc010feaabd3b7326c1f19e41c1fa8015efe936c704f6848e51a6587d5cd74d5374085b7d2e5553b06cce6b6ff871fb67d2a6b305b03e33843cf1e8bc6cb34ce7f7b6b67b93f517e508eef4357b5441f7f9959c7141b690327edeaf70272713859771f7aa5b420a1105f4e2a3772381f1fb8143371af49db6081b3ed58ab3a33f0ff4dbb7a9ec2daf13159ab77683693d60c7b6ac002abcd7f19e6c3a477d3e1ff2be1ff2be2a157002ee3ff83e4ffafe5ffdbe5c6db00e2e7ff07e8ff33e9ff5feac58b01a476';

/** Random data of n bytes whose repetitiveness grows with `repeat` (0: incompressible noise). */
function sample(rand: (n: number) => number, n: number, repeat: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    b[i] = i > 0 && rand(100) < repeat ? b[Math.max(0, i - 1 - rand(Math.min(i, 9000)))]! : rand(repeat > 50 ? 4 : 256);
  }
  return b;
}

function roundTrip(data: Buffer): Buffer | null {
  const c = lzfCompress(data, 0, data.length, data.length - 4);
  if (c !== null) {
    assert.ok(c.length <= data.length - 4);
    assert.deepEqual(lzfDecompress(c, 0, c.length, data.length), data);
  }
  return c;
}

describe('lzf', () => {
  test('decompresses what a real Redis compressed', () => {
    const text = Buffer.from(REDIS_TEXT, 'latin1');
    const c1 = Buffer.from(REDIS_TEXT_LZF, 'hex');
    assert.deepEqual(lzfDecompress(c1, 0, c1.length, 200), text);
    const c2 = Buffer.from(REDIS_BINARY_LZF, 'hex');
    assert.deepEqual(lzfDecompress(c2, 0, c2.length, 3000), redisBinary());
    // Embedded in a larger buffer.
    const framed = Buffer.concat([Buffer.from('xyz'), c1, Buffer.from('tail')]);
    assert.deepEqual(lzfDecompress(framed, 3, 3 + c1.length, 200), text);
  });

  test('compresses the same inputs about as well as Redis', () => {
    assert.ok(roundTrip(Buffer.from(REDIS_TEXT, 'latin1'))!.length <= 50);
    assert.ok(roundTrip(redisBinary())!.length <= 400);
  });

  test('round-trips random and repetitive data of many sizes', () => {
    const rand = xorshift32(7);
    let compressed = 0;
    for (const n of [5, 6, 20, 21, 31, 32, 33, 63, 64, 65, 255, 256, 257, 1000, 4096, 8191, 8192, 8193, 20000, 70000]) {
      for (const repeat of [0, 30, 80, 99, 100]) {
        if (roundTrip(sample(rand, n, repeat)) !== null) compressed++;
      }
    }
    assert.ok(compressed > 50);
    assert.equal(roundTrip(Buffer.alloc(100000, 0x61))!.length < 1200, true);
    assert.equal(lzfCompress(Buffer.alloc(4), 0, 4, 0), null);
  });

  test('compresses a slice of a larger buffer', () => {
    const big = Buffer.concat([Buffer.from('#'.repeat(50)), Buffer.from('abcd'.repeat(100)), Buffer.from('!'.repeat(50))]);
    const c = lzfCompress(big, 50, 450, 396)!;
    assert.equal(lzfDecompress(c, 0, c.length, 400).toString(), 'abcd'.repeat(100));
  });

  test('gives up (null) when the output would not fit maxOut', () => {
    const rand = xorshift32(9);
    const noise = sample(rand, 1000, 0);
    assert.equal(lzfCompress(noise, 0, 1000, 996), null);
    const text = Buffer.from(REDIS_TEXT, 'latin1');
    const best = lzfCompress(text, 0, 200, 196)!;
    assert.equal(lzfCompress(text, 0, 200, best.length - 1), null);
    assert.deepEqual(lzfCompress(text, 0, 200, best.length), best);
  });

  test('rejects a wrong length, bad back references and overruns', () => {
    const c = Buffer.from(REDIS_TEXT_LZF, 'hex');
    assert.throws(() => lzfDecompress(c, 0, c.length, 199), BlobError);
    assert.throws(() => lzfDecompress(c, 0, c.length, 201), BlobError);
    assert.throws(() => lzfDecompress(Buffer.from([0x20, 0x00]), 0, 2, 3), /before the start/);
    assert.throws(() => lzfDecompress(Buffer.from([0x05, 0x61]), 0, 2, 6), /past the end/);
    assert.throws(() => lzfDecompress(Buffer.from([0xe0]), 0, 1, 10), /past the end/);
    assert.throws(() => lzfDecompress(c, 0, c.length + 1, 200), BlobError);
    assert.throws(() => lzfDecompress(c, 0, c.length, 2 ** 40), /cannot expand/);
    assert.throws(() => lzfDecompress(c, 0, c.length, -1), /cannot expand/);
  });

  test('truncated or flipped input decodes or throws BlobError', () => {
    for (const hex of [REDIS_TEXT_LZF, REDIS_BINARY_LZF]) {
      const c = Buffer.from(hex, 'hex');
      const length = hex === REDIS_TEXT_LZF ? 200 : 3000;
      checkCorruption((b) => lzfDecompress(b, 0, b.length, length), c, 2000, 11);
    }
  });
});
