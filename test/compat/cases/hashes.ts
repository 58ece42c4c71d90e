/**
 * Differential cases for the hash commands. Replies that list fields use
 * listpack-encoded hashes (insertion order) or one-field hashtables, since
 * a hashtable's order depends on Redis's hash table. Random replies compare
 * only where they are deterministic (a count covering the whole hash, a
 * one-field hash, empty results) or by shape (kinds and sizes).
 */
import { shape, type DiffCase, type DiffStep } from '../types.js';


/** HINCRBYFLOAT operands: stored value, increment. */
const FLOAT_PAIRS: [string, string][] = [
  ['10.5', '0.1'], ['0.1', '0.2'], ['1', '-1'], ['3.0', '1.0'], ['5.0e3', '2.0e2'], ['1e308', '1e308'], ['1e4932', '1e4932'],
  ['1', 'inf'], ['1', '-inf'], ['inf', '1'], ['-inf', '1'], ['nan', '1'], ['1', 'nan'], ['abc', '1'], ['1', 'abc'],
  [' 1', '1'], ['1', ' 1'], ['1', ''], ['', '1'], ['0x10', '1'], ['1', '0x1p-2'], ['9223372036854775807', '1'],
  ['1.00000000000000001', '0'], ['12345.678901234567890123', '0.0000000000000001'], ['-0.0', '-0.0'], ['1e-4950', '0'],
];

function hincrbyfloatCases(): DiffCase {
  const steps: (string[] | DiffStep)[] = [];
  FLOAT_PAIRS.forEach(([a, b], i) => {
    steps.push(['HSET', 'h', `f${i}`, a], ['HINCRBYFLOAT', 'h', `f${i}`, b], ['HGET', 'h', `f${i}`]);
  });
  steps.push(['HINCRBYFLOAT', 'h', 'new', '2.5'], ['HINCRBYFLOAT', 'nokey', 'f', '1e400'], ['HGET', 'nokey', 'f']);
  steps.push(['HINCRBYFLOAT', 'nokey2', 'f', 'x'], ['EXISTS', 'nokey2'], ['OBJECT', 'ENCODING', 'h']);
  return { name: 'HINCRBYFLOAT precision, parsing and errors', steps };
}

export const cases: DiffCase[] = [
  {
    name: 'HSET HGET HMGET HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL in insertion order',
    steps: [
      ['HSET', 'h', 'z', '1', 'a', '2', 'm', '3'], ['HGETALL', 'h'], ['HKEYS', 'h'], ['HVALS', 'h'], ['HLEN', 'h'],
      ['HSET', 'h', 'a', 'new', 'b', '4'], ['HGETALL', 'h'], ['HSET', 'h', 'q', '1', 'q', '2'], ['HGET', 'h', 'q'],
      ['HGET', 'h', 'a'], ['HGET', 'h', 'nope'], ['HGET', 'nokey', 'a'], ['HMGET', 'h', 'a', 'nope', 'z'], ['HMGET', 'nokey', 'a', 'b'],
      ['HSTRLEN', 'h', 'a'], ['HSTRLEN', 'h', 'nope'], ['HSTRLEN', 'nokey', 'a'], ['HEXISTS', 'h', 'a'], ['HEXISTS', 'h', 'nope'],
      ['HEXISTS', 'nokey', 'a'], ['HLEN', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'], ['HGETALL', 'nokey'],
      ['HMSET', 'h', 'c', '5', 'd', '6'], ['HGETALL', 'h'], ['OBJECT', 'ENCODING', 'h'],
      ['HSET', 'b', 'a\x00b', '\xff\r\n', '', ''], ['HGETALL', 'b'], ['HSTRLEN', 'b', 'a\x00b'], ['HGET', 'b', ''],
      ['HSET', 'n', 'f', '123'], ['HSTRLEN', 'n', 'f'], ['HSET', 'n', 'g', '-9223372036854775808'], ['HSTRLEN', 'n', 'g'],
    ],
  },
  {
    name: 'HSETNX HDEL and key removal',
    steps: [
      ['HSETNX', 'h', 'a', '1'], ['HSETNX', 'h', 'a', '2'], ['HGET', 'h', 'a'], ['HSETNX', 'h', 'b', '3'], ['HGETALL', 'h'],
      ['HDEL', 'h', 'nope'], ['HDEL', 'h', 'a', 'a', 'nope'], ['HGETALL', 'h'], ['HDEL', 'nokey', 'a'],
      ['HDEL', 'h', 'b'], ['EXISTS', 'h'], ['HGETALL', 'h'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['HDEL', 'h', 'a', 'b', 'c', 'd'], ['EXISTS', 'h'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['HDEL', 'h', 'b'], ['HSET', 'h', 'b', '9'], ['HGETALL', 'h'],
    ],
  },
  {
    name: 'hash commands against a wrong type and argument errors',
    steps: [
      ['SET', 'str', 'x'],
      ['HSET', 'str', 'a', '1'], ['HSETNX', 'str', 'a', '1'], ['HMSET', 'str', 'a', '1'], ['HGET', 'str', 'a'], ['HMGET', 'str', 'a'],
      ['HDEL', 'str', 'a'], ['HLEN', 'str'], ['HSTRLEN', 'str', 'a'], ['HEXISTS', 'str', 'a'], ['HKEYS', 'str'], ['HVALS', 'str'],
      ['HGETALL', 'str'], ['HINCRBY', 'str', 'a', '1'], ['HINCRBY', 'str', 'a', 'x'], ['HINCRBYFLOAT', 'str', 'a', '1'],
      ['HINCRBYFLOAT', 'str', 'a', 'x'], ['HRANDFIELD', 'str'], ['HRANDFIELD', 'str', '1'], ['HRANDFIELD', 'str', 'x'],
      ['HSCAN', 'str', '0'], ['HSCAN', 'str', 'x'], ['HSCAN', 'nokey', 'x'], ['HSCAN', 'nokey', '0', 'COUNT', '0'],
      ['HSET', 'h', 'a'], ['HSET', 'h', 'a', '1', 'b'], ['HMSET', 'h', 'a', '1', 'b'], ['HMSET', 'h'], ['HSET', 'h'],
      ['HGET', 'h'], ['HDEL', 'h'], ['HSETNX', 'h', 'a'], ['HINCRBY', 'h', 'a'], ['EXISTS', 'h'],
      ['HSET', 'h', 'a', '1'], ['HRANDFIELD', 'h', 'x'], ['HRANDFIELD', 'h', '1', 'WITHVALUE'], ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', 'h', '-9223372036854775808'], ['HRANDFIELD', 'nokey', '-9223372036854775808'], ['HRANDFIELD', 'nokey', 'x', 'y'],
      ['HRANDFIELD', 'h', 'x', 'WITHVALUES'], ['HRANDFIELD', 'h', '1.5'],
      ['HSCAN', 'h', '0', 'COUNT', '0'], ['HSCAN', 'h', '0', 'COUNT', 'x'], ['HSCAN', 'h', '0', 'FOO'], ['HSCAN', 'h', '-1'],
      ['HSCAN', 'h', '0', 'NOVALUES'],
    ],
  },
  {
    name: 'HINCRBY',
    steps: [
      ['HINCRBY', 'h', 'a', '5'], ['HINCRBY', 'h', 'a', '-7'], ['HGET', 'h', 'a'], ['HINCRBY', 'h', 'a', 'x'], ['HINCRBY', 'h', 'a', '1.5'],
      ['HINCRBY', 'h', 'a', ' 1'], ['HINCRBY', 'h', 'a', '9223372036854775808'],
      ['HSET', 'h', 'max', '9223372036854775807'], ['HINCRBY', 'h', 'max', '1'], ['HINCRBY', 'h', 'max', '-1'],
      ['HSET', 'h', 'min', '-9223372036854775808'], ['HINCRBY', 'h', 'min', '-1'], ['HINCRBY', 'h', 'min', '9223372036854775807'],
      ['HSET', 'h', 'big', '9007199254740993'], ['HINCRBY', 'h', 'big', '-10'], ['HINCRBY', 'h', 'big', '9007199254740993'],
      ['HSET', 'h', 's', 'abc'], ['HINCRBY', 'h', 's', '1'], ['HSET', 'h', 'sp', ' 1'], ['HINCRBY', 'h', 'sp', '1'],
      ['HSET', 'h', 'z', '01'], ['HINCRBY', 'h', 'z', '1'], ['HSET', 'h', 'e', ''], ['HINCRBY', 'h', 'e', '1'],
      ['HINCRBY', 'h', 'new', '0'], ['HGETALL', 'h'], ['OBJECT', 'ENCODING', 'h'],
    ],
  },
  hincrbyfloatCases(),
  {
    name: 'hash encodings: listpack limits and conversion',
    steps: [
      ['HSET', 'h', 'a', '1'], ['OBJECT', 'ENCODING', 'h'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '4'],
      ['HSET', 'v1', 'abcd', 'abcd'], ['OBJECT', 'ENCODING', 'v1'], ['HSET', 'v1', 'b', 'abcde'], ['OBJECT', 'ENCODING', 'v1'],
      ['HSET', 'v2', 'abcde', '1'], ['OBJECT', 'ENCODING', 'v2'], ['HSET', 'v3', 'a', '1', 'b', '12345'], ['OBJECT', 'ENCODING', 'v3'],
      ['HSET', 'v4', 'f', '1'], ['HSETNX', 'v4', 'f', '12345'], ['OBJECT', 'ENCODING', 'v4'], ['HSETNX', 'v4', 'g', '12345'], ['OBJECT', 'ENCODING', 'v4'],
      ['HINCRBY', 'v5', 'f', '9999'], ['OBJECT', 'ENCODING', 'v5'], ['HINCRBY', 'v5', 'f', '1'], ['OBJECT', 'ENCODING', 'v5'],
      ['HINCRBYFLOAT', 'v6', 'f', '1.0000000'], ['OBJECT', 'ENCODING', 'v6'], ['HINCRBYFLOAT', 'v6', 'f', '1e30'], ['OBJECT', 'ENCODING', 'v6'],
      ['HINCRBY', 'v7', 'abcde', '1'], ['OBJECT', 'ENCODING', 'v7'], ['HMSET', 'v8', 'a', '12345'], ['OBJECT', 'ENCODING', 'v8'],
      ['HDEL', 'v1', 'b'], ['OBJECT', 'ENCODING', 'v1'], ['HGETALL', 'v1'],
      ['CONFIG', 'SET', 'hash-max-listpack-value', '64'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'],
      ['HSET', 'e1', 'a', '1', 'b', '2'], ['OBJECT', 'ENCODING', 'e1'], ['HSET', 'e1', 'a', '3'], ['OBJECT', 'ENCODING', 'e1'],
      ['HSET', 'e1', 'c', '3'], ['OBJECT', 'ENCODING', 'e1'], ['HDEL', 'e1', 'a', 'b'], ['OBJECT', 'ENCODING', 'e1'], ['HGETALL', 'e1'],
      ['HSET', 'e2', 'a', '1', 'b', '2', 'c', '3'], ['OBJECT', 'ENCODING', 'e2'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'], ['HSET', 'e3', 'a', '1'], ['OBJECT', 'ENCODING', 'e3'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
      ['HSET', 'big', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, String(i)]).flat()], ['OBJECT', 'ENCODING', 'big'],
      ['HLEN', 'big'], ['HGET', 'big', 'f299'], ['HMGET', 'big', 'f0', 'f150', 'nope'], ['HSTRLEN', 'big', 'f123'],
    ],
  },
  {
    name: 'HRANDFIELD deterministic replies',
    steps: [
      ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3'], ['HRANDFIELD', 'nokey', '-3', 'WITHVALUES'], ['HRANDFIELD', 'nokey', '0'],
      ['HSET', 'h', 'b', '1', 'a', '2', 'c', '3'], ['HRANDFIELD', 'h', '3'], ['HRANDFIELD', 'h', '10', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '9223372036854775807'], ['HRANDFIELD', 'h', '9223372036854775807', 'withvalues'],
      ['HRANDFIELD', 'h', '4611686018427387903', 'WITHVALUES'], ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'str', '4611686018427387905', 'WITHVALUES'], ['HRANDFIELD', 'h', '0'], ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
      shape('HRANDFIELD', 'h'), shape('HRANDFIELD', 'h', '2'), shape('HRANDFIELD', 'h', '-5', 'WITHVALUES'), shape('HRANDFIELD', 'h', '1', 'WITHVALUES'),
      ['HSET', 'one', 'f', 'v'], ['HRANDFIELD', 'one'], ['HRANDFIELD', 'one', '-3'], ['HRANDFIELD', 'one', '-2', 'WITHVALUES'],
      ['HRANDFIELD', 'one', '1', 'WITHVALUES'],
    ],
  },
  {
    name: 'HSCAN',
    steps: [
      ['HSET', 'h', 'b', '1', 'a1', '2', 'a2', '3'], ['HSCAN', 'h', '0'], ['HSCAN', 'h', '0', 'COUNT', '1'], ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HSCAN', 'h', '0', 'MATCH', '2'], ['HSCAN', 'h', '0', 'match', 'b', 'COUNT', '100'], ['HSCAN', 'nokey', '0'], ['HSCAN', 'h', '', 'COUNT', '1'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '0'], ['HSET', 'g', 'x', 'y'], ['HSCAN', 'g', '0'], ['HSCAN', 'g', '0', 'MATCH', 'z'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
    ],
  },
  {
    name: 'hash DEBUG DIGEST matches Redis (order-independent)',
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'g', 'b', '2', 'a', '1'], ['HSET', 'e', '', '', '\x00', '\xff'],
      ['DEBUG', 'DIGEST-VALUE', 'h', 'g', 'e'], ['DEBUG', 'DIGEST'], ['HINCRBYFLOAT', 'h', 'a', '0.5'], ['DEBUG', 'DIGEST-VALUE', 'h'],
      ['EXPIRE', 'g', '100'], ['DEBUG', 'DIGEST'],
    ],
  },
];
