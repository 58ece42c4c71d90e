/**
 * Differential cases for the set commands. A hashtable-encoded set's order
 * depends on Redis's hash table, so replies that list members use intsets
 * (sorted) or sets of one member; larger hashtable sets are checked through
 * counts, membership and sorted replies (SORT … ALPHA is not used: the
 * integration tests compare their contents instead). Random replies compare
 * only where they are deterministic (a count covering the whole set, a
 * one-member set, empty results) or by shape (kinds and sizes).
 */
import { shape, type DiffCase } from '../types.js';


export const cases: DiffCase[] = [
  {
    name: 'SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS on an intset',
    steps: [
      ['SADD', 's', '3', '1', '2', '-5', '3'], ['SMEMBERS', 's'], ['SCARD', 's'], ['OBJECT', 'ENCODING', 's'],
      ['SISMEMBER', 's', '1'], ['SISMEMBER', 's', '4'], ['SISMEMBER', 's', 'a'], ['SISMEMBER', 's', '01'],
      ['SMISMEMBER', 's', '1', '9', '-5', 'x'], ['SMISMEMBER', 'nokey', 'a', 'b'], ['SISMEMBER', 'nokey', 'a'],
      ['SREM', 's', '1', '1', '7', 'x'], ['SMEMBERS', 's'], ['SREM', 'nokey', 'a'], ['SCARD', 'nokey'], ['SMEMBERS', 'nokey'],
      ['SREM', 's', '2', '3', '-5'], ['EXISTS', 's'], ['SMEMBERS', 's'],
      ['SADD', 'big', '9223372036854775807', '-9223372036854775808', '0', '9007199254740993', '9007199254740992'],
      ['SMEMBERS', 'big'], ['OBJECT', 'ENCODING', 'big'], ['SISMEMBER', 'big', '9007199254740993'],
      ['SADD', 'big', '9223372036854775808'], ['OBJECT', 'ENCODING', 'big'], ['SCARD', 'big'],
      ['SISMEMBER', 'big', '9223372036854775808'], ['SISMEMBER', 'big', '-9223372036854775808'],
    ],
  },
  {
    name: 'set encodings: intset, conversion on non-integers and on size',
    steps: [
      ['SADD', 'a', '1'], ['OBJECT', 'ENCODING', 'a'], ['SADD', 'a', 'x'], ['OBJECT', 'ENCODING', 'a'],
      ['SREM', 'a', 'x'], ['OBJECT', 'ENCODING', 'a'], ['SMEMBERS', 'a'],
      ['SADD', 'b', 'x'], ['OBJECT', 'ENCODING', 'b'], ['SMEMBERS', 'b'],
      ['SADD', 'c', '01'], ['OBJECT', 'ENCODING', 'c'], ['SADD', 'd', '-0'], ['OBJECT', 'ENCODING', 'd'],
      ['SADD', 'e', '+1'], ['OBJECT', 'ENCODING', 'e'], ['SADD', 'f', ' 1'], ['OBJECT', 'ENCODING', 'f'],
      ['SADD', 'g', '1.0'], ['OBJECT', 'ENCODING', 'g'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
      ['SADD', 'h', '1', '2', '3'], ['OBJECT', 'ENCODING', 'h'], ['SADD', 'h', '3'], ['OBJECT', 'ENCODING', 'h'],
      ['SADD', 'h', '4'], ['OBJECT', 'ENCODING', 'h'], ['SCARD', 'h'], ['SREM', 'h', '4', '3'], ['OBJECT', 'ENCODING', 'h'],
      ['SADD', 'i', '1', '2', '3', '4'], ['OBJECT', 'ENCODING', 'i'],
      ['SUNIONSTORE', 'u', 'i'], ['OBJECT', 'ENCODING', 'u'],
      ['SINTERSTORE', 'v', 'h', 'h'], ['OBJECT', 'ENCODING', 'v'], ['SMEMBERS', 'v'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['SADD', 'z', '1'], ['OBJECT', 'ENCODING', 'z'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ],
  },
  {
    name: 'set commands against a wrong type and argument errors',
    steps: [
      ['SET', 'str', 'x'],
      ['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SCARD', 'str'], ['SISMEMBER', 'str', 'a'], ['SMISMEMBER', 'str', 'a'],
      ['SMEMBERS', 'str'], ['SPOP', 'str'], ['SPOP', 'str', '1'], ['SRANDMEMBER', 'str'], ['SRANDMEMBER', 'str', '2'],
      ['SINTER', 'str'], ['SINTER', 'nokey', 'str'], ['SUNION', 'nokey', 'str'], ['SDIFF', 'nokey', 'str'],
      ['SINTERSTORE', 'd', 'nokey', 'str'], ['SUNIONSTORE', 'd', 'str'], ['SDIFFSTORE', 'd', 'str'],
      ['SINTERCARD', '2', 'nokey', 'str'], ['SSCAN', 'str', '0'], ['SSCAN', 'str', 'x'], ['SSCAN', 'nokey', 'x'],
      ['SADD', 's'], ['SREM', 's'], ['SMISMEMBER', 's'], ['SINTER'], ['SMOVE', 'a', 'b'], ['SPOP'],
      ['SADD', 's', '1'],
      ['SPOP', 's', '-1'], ['SPOP', 's', 'x'], ['SPOP', 'nokey', '-1'], ['SPOP', 's', '1', '2'],
      ['SRANDMEMBER', 's', 'x'], ['SRANDMEMBER', 's', '-9223372036854775808'], ['SRANDMEMBER', 'nokey', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '1', '2'], ['SRANDMEMBER', 's', '1.5'],
      ['SINTERCARD', '0', 's'], ['SINTERCARD', '-1', 's'], ['SINTERCARD', 'x', 's'], ['SINTERCARD', '2', 's'],
      ['SINTERCARD', '1', 's', 'x'], ['SINTERCARD', '1', 's', 'LIMIT'], ['SINTERCARD', '1', 's', 'LIMIT', '-1'],
      ['SINTERCARD', '1', 's', 'LIMIT', 'x'], ['SINTERCARD', '99999999999999999999', 's'], ['SINTERCARD', '1', 'str', 'LIMIT', 'x'],
      ['SSCAN', 's', '0', 'COUNT', '0'], ['SSCAN', 's', '0', 'COUNT', 'x'], ['SSCAN', 's', '0', 'FOO'], ['SSCAN', 's', '0', 'MATCH'],
      ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['SSCAN', 's', '-1'], ['SSCAN', 's', '18446744073709551616'],
    ],
  },
  {
    name: 'SPOP and SRANDMEMBER deterministic replies',
    steps: [
      ['SPOP', 'nokey'], ['SPOP', 'nokey', '0'], ['SPOP', 'nokey', '3'], ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'],
      ['SRANDMEMBER', 'nokey', '-3'], ['SRANDMEMBER', 'nokey', '0'],
      ['SADD', 's', '5', '3', '9'], ['SRANDMEMBER', 's', '3'], ['SRANDMEMBER', 's', '100'], ['SRANDMEMBER', 's', '9223372036854775807'],
      ['SRANDMEMBER', 's', '0'], shape('SRANDMEMBER', 's'), shape('SRANDMEMBER', 's', '2'), shape('SRANDMEMBER', 's', '-5'),
      ['SPOP', 's', '0'], ['SCARD', 's'], shape('SPOP', 's', '1'), ['SCARD', 's'], shape('SPOP', 's'), ['SCARD', 's'],
      ['SADD', 'one', 'x'], ['SRANDMEMBER', 'one'], ['SRANDMEMBER', 'one', '-4'], ['SRANDMEMBER', 'one', '1'],
      ['SPOP', 'one'], ['EXISTS', 'one'],
      ['SADD', 't', '4', '1', '2'], ['SPOP', 't', '3'], ['EXISTS', 't'],
      ['SADD', 't', '4', '1', '2'], ['SPOP', 't', '9223372036854775807'], ['EXISTS', 't'],
      ['SADD', 'w', 'a', 'b', 'c', 'd', 'e'], shape('SPOP', 'w', '2'), ['SCARD', 'w'], shape('SPOP', 'w', '2'), ['SCARD', 'w'],
      shape('SPOP', 'w', '5'), ['EXISTS', 'w'],
    ],
  },
  {
    name: 'SMOVE',
    steps: [
      ['SET', 'str', 'x'], ['SMOVE', 'nokey', 'str', 'a'], ['SADD', 's', '1', '2'], ['SMOVE', 's', 'str', '1'],
      ['SMOVE', 'str', 's', '1'], ['SMOVE', 's', 's', '1'], ['SMOVE', 's', 's', '7'], ['SMOVE', 's', 'd', '7'],
      ['SMOVE', 's', 'd', '1'], ['SMEMBERS', 's'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
      ['SADD', 'd', 'x'], ['SMOVE', 's', 'd', '2'], ['EXISTS', 's'], ['SCARD', 'd'], ['SISMEMBER', 'd', '2'],
      ['SADD', 'e', 'y'], ['SMOVE', 'e', 'f', 'y'], ['SMEMBERS', 'f'], ['OBJECT', 'ENCODING', 'f'],
      ['SADD', 'g', '5'], ['SADD', 'h', '5'], ['SMOVE', 'g', 'h', '5'], ['SMEMBERS', 'h'], ['EXISTS', 'g'],
    ],
  },
  {
    name: 'SINTER SUNION SDIFF and their STORE forms on intsets',
    steps: [
      ['SADD', 'a', '1', '2', '3', '4', '5'], ['SADD', 'b', '4', '5', '6', '7'], ['SADD', 'c', '5', '7', '9', '1'],
      ['SINTER', 'a'], ['SINTER', 'a', 'b'], ['SINTER', 'a', 'b', 'c'], ['SINTER', 'a', 'nokey'], ['SINTER', 'nokey'],
      ['SUNION', 'a', 'b'], ['SUNION', 'a', 'b', 'c', 'nokey'], ['SUNION', 'nokey'],
      ['SDIFF', 'a', 'b'], ['SDIFF', 'a', 'b', 'c'], ['SDIFF', 'b', 'a'], ['SDIFF', 'nokey', 'a'], ['SDIFF', 'a', 'nokey'], ['SDIFF', 'a', 'a'],
      ['SINTERCARD', '1', 'a'], ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '3', 'a', 'b', 'c'], ['SINTERCARD', '2', 'a', 'nokey'],
      ['SINTERCARD', '1', 'a', 'LIMIT', '2'], ['SINTERCARD', '1', 'a', 'LIMIT', '0'], ['SINTERCARD', '1', 'a', 'LIMIT', '100'],
      ['SINTERCARD', '1', 'a', 'limit', '1', 'LIMIT', '3'],
      ['SINTERSTORE', 'd', 'a', 'b'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
      ['EXPIRE', 'd', '100'], ['SUNIONSTORE', 'd', 'a', 'c'], ['SMEMBERS', 'd'], ['TTL', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'b', 'c'], ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'd', 'a', 'nokey'], ['EXISTS', 'd'], ['SINTERSTORE', 'd', 'a', 'nokey'],
      ['SUNIONSTORE', 'd', 'nokey'], ['SDIFFSTORE', 'd', 'a', 'a'], ['EXISTS', 'd'],
      ['SET', 'd', 'string'], ['SUNIONSTORE', 'd', 'a'], ['TYPE', 'd'], ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'a', 'a', 'b'], ['SMEMBERS', 'a'], ['SDIFFSTORE', 'b', 'b', 'a'], ['SMEMBERS', 'b'],
      ['SUNIONSTORE', 'c', 'c', 'a', 'b'], ['SMEMBERS', 'c'],
    ],
  },
  {
    name: 'set algebra with one-member hashtable sets',
    steps: [
      ['SADD', 'x', 'a'], ['SADD', 'y', 'a', '1'], ['SADD', 'z', '1', '2'],
      ['SINTER', 'x', 'y'], ['SINTER', 'y', 'z'], ['SDIFF', 'y', 'z'], ['SDIFF', 'y', 'x'], ['SUNION', 'x', 'x'],
      ['SINTERSTORE', 'd', 'y', 'z'], ['OBJECT', 'ENCODING', 'd'], ['SDIFFSTORE', 'e', 'y', 'x'], ['OBJECT', 'ENCODING', 'e'],
      ['SDIFFSTORE', 'f', 'y', 'z'], ['OBJECT', 'ENCODING', 'f'], ['SMEMBERS', 'f'],
      ['SUNIONSTORE', 'g', 'y', 'z'], ['SCARD', 'g'], ['OBJECT', 'ENCODING', 'g'], ['SINTERCARD', '2', 'g', 'y'],
    ],
  },
  {
    name: 'SSCAN',
    steps: [
      ['SADD', 's', '10', '2', '33', '4'], ['SSCAN', 's', '0'], ['SSCAN', 's', '0', 'COUNT', '1'], ['SSCAN', 's', '0', 'MATCH', '3*'],
      ['SSCAN', 's', '0', 'MATCH', 'nope'], ['SSCAN', 's', '0', 'match', '*', 'count', '2', 'MATCH', '1*'], ['SSCAN', 'nokey', '0'],
      ['SSCAN', 's', '', 'COUNT', '5'], ['SSCAN', 's', '+0'], ['SSCAN', 's', '00'],
      ['SADD', 'h', 'x'], ['SSCAN', 'h', '0'], ['SSCAN', 'h', '0', 'MATCH', 'y'],
    ],
  },
  {
    name: 'set DEBUG DIGEST matches Redis (order-independent)',
    steps: [
      ['SADD', 'i', '3', '1', '2'], ['SADD', 'h', 'b', 'a', 'c', '1'], ['SADD', 'e', '\x00', '\xff', ''],
      ['DEBUG', 'DIGEST-VALUE', 'i', 'h', 'e'], ['DEBUG', 'DIGEST'],
      ['SREM', 'h', 'a'], ['SADD', 'h', 'a'], ['DEBUG', 'DIGEST-VALUE', 'h'], ['EXPIRE', 'i', '100'], ['DEBUG', 'DIGEST'],
    ],
  },
  {
    name: 'binary members and large sets',
    steps: [
      ['SADD', 'b', 'a\x00b', '\xff\r\n'], ['SISMEMBER', 'b', 'a\x00b'], ['SISMEMBER', 'b', 'a'], ['SCARD', 'b'],
      ['SREM', 'b', '\xff\r\n'], ['SMEMBERS', 'b'],
      ['SADD', 'n', ...Array.from({ length: 600 }, (_, i) => String(i * 7 - 1000))], ['OBJECT', 'ENCODING', 'n'], ['SCARD', 'n'],
      ['SADD', 'm', ...Array.from({ length: 500 }, (_, i) => String(1000 - i * 3))], ['OBJECT', 'ENCODING', 'm'], ['SMEMBERS', 'm'],
      ['SINTERCARD', '2', 'n', 'm'], ['SINTERCARD', '2', 'n', 'm', 'LIMIT', '10'], ['SINTER', 'm', 'n'],
      ['SDIFF', 'm', 'n'], ['SRANDMEMBER', 'm', '500'], ['SPOP', 'm', '500'], ['EXISTS', 'm'],
    ],
  },
];
