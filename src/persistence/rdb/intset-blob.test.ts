import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeIntset, intsetMembers } from './intset-blob.js';
import { compareIntTexts } from '../../datatypes/intset.js';
import { xorshift32 } from '../../../test/support/random.js';
import { checkCorruption } from '../../../test/support/blob-fuzz.js';

/** Intsets a real Redis 7.0.15 embedded in DUMP payloads (SADD of the members, any order). */
const REDIS = [
  { members: ['-32768', '-5', '1', '32767'], hex: '02000000040000000080fbff0100ff7f' },
  { members: ['-2147483648', '1', '40000'], hex: '04000000030000000000008001000000409c0000' },
  {
    members: ['-9223372036854775808', '1', '4294967296', '9223372036854775807'],
    hex: '0800000004000000000000000000008001000000000000000000000001000000ffffffffffffff7f',
  },
];

const EDGES = [
  '0',
  '-1',
  '1',
  '32767',
  '32768',
  '-32768',
  '-32769',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9007199254740991',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  '4294967295',
  '4294967296',
  '-4294967296',
  '-4294967297',
];

const sorted = (xs: string[]) => [...new Set(xs)].sort(compareIntTexts);

describe('intset blob', () => {
  test('encodes byte for byte what Redis 7.0 writes, and decodes it', () => {
    for (const v of REDIS) {
      assert.equal(encodeIntset(v.members).toString('hex'), v.hex);
      assert.deepEqual(intsetMembers(Buffer.from(v.hex, 'hex')), v.members);
    }
  });

  test('honours a minimum width that never shrank', () => {
    assert.equal(encodeIntset(['1'], 4).toString('hex'), '040000000100000001000000');
    assert.equal(encodeIntset(['-1'], 8).toString('hex'), '0800000001000000ffffffffffffffff');
    assert.equal(encodeIntset([], 8).toString('hex'), '0800000000000000');
  });

  test('round-trips random sorted members of every width, also framed', () => {
    const rand = xorshift32(31);
    for (let round = 0; round < 300; round++) {
      const members = sorted(
        Array.from({ length: 1 + rand(40) }, () =>
          rand(3) === 0 ? EDGES[rand(EDGES.length)]! : String(rand(2) === 0 ? -rand(1 << (rand(31) + 1)) : rand(1 << (rand(31) + 1))),
        ),
      );
      const blob = encodeIntset(members, [2, 4, 8][rand(3)]);
      const framed = Buffer.concat([Buffer.from('zz'), blob, Buffer.from('z')]);
      assert.deepEqual(intsetMembers(framed, 2, 2 + blob.length), members);
    }
  });

  test('rejects bad encodings, sizes and order', () => {
    assert.throws(() => intsetMembers(Buffer.from('030000000000000000', 'hex').subarray(0, 8)), /invalid encoding 3/);
    assert.throws(() => intsetMembers(Buffer.from('0200000002000000010000', 'hex')), /does not fit/);
    assert.throws(() => intsetMembers(Buffer.from('02000000020000000100', 'hex')), /does not fit/);
    assert.throws(() => intsetMembers(Buffer.from('0200000002000000020001000', 'hex')), /ascending|fit/);
    assert.throws(() => intsetMembers(encodeIntset(['5', '5'])), /ascending/);
    assert.throws(() => intsetMembers(encodeIntset(['-1', '-2'], 4)), /ascending/);
    assert.throws(() => intsetMembers(encodeIntset(['9223372036854775807', '-9223372036854775808'])), /ascending/);
    assert.throws(() => intsetMembers(encodeIntset(['4294967296', '4294967295'])), /ascending/);
    assert.throws(() => intsetMembers(Buffer.from('0200', 'hex')), /shorter than its header/);
    assert.deepEqual(intsetMembers(Buffer.from('0200000000000000', 'hex')), []);
  });

  test('truncated or flipped blobs decode or throw BlobError', () => {
    for (const v of REDIS) checkCorruption((b) => intsetMembers(b), Buffer.from(v.hex, 'hex'), 2000, 8);
  });
});
