import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Crc64 } from './crc64.js';
import { xorshift32 } from '../../../test/support/random.js';

/** Bit-at-a-time reference CRC-64 (Jones, reflected) in BigInt: slow and obviously right. */
function referenceCrc(buf: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const byte of buf) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

function le(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}

describe('Crc64', () => {
  test('crc64 of "123456789" is 0xe9c6d914c4b8d9ca, written little-endian', () => {
    const c = new Crc64();
    c.update(Buffer.from('123456789'));
    assert.equal(c.bytes().toString('hex'), 'cad9b8c414d9c6e9');
    assert.ok(c.matches(Buffer.from('00cad9b8c414d9c6e9', 'hex'), 1));
    assert.ok(!c.matches(Buffer.from('00cad9b8c414d9c6e8', 'hex'), 1));
    assert.ok(!c.matches(Buffer.from('cad9b8c414d9c6', 'hex'), 0));
    c.reset();
    assert.equal(c.bytes().toString('hex'), '0000000000000000');
  });

  test('matches the checksum of a real Redis 7.0.15 DUMP payload', () => {
    // DUMP of a set {1, -5, 32767, -32768}: the CRC covers everything before its last 8 bytes.
    const dump = Buffer.from('0b1002000000040000000080fbff0100ff7f0a0002c097e85f550e84', 'hex');
    const c = new Crc64();
    c.update(dump, 0, dump.length - 8);
    assert.ok(c.matches(dump, dump.length - 8));
  });

  test('equals a bit-at-a-time reference for random data fed in random pieces', () => {
    const rand = xorshift32(64);
    for (let round = 0; round < 60; round++) {
      const data = Buffer.alloc(rand(300));
      for (let i = 0; i < data.length; i++) data[i] = rand(256);
      const c = new Crc64();
      let p = 0;
      while (p < data.length) {
        const q = Math.min(data.length, p + 1 + rand(40));
        c.update(data, p, q);
        p = q;
      }
      assert.deepEqual(c.bytes(), le(referenceCrc(data)));
    }
  });
});
