/**
 * Differential cases for the string and bit commands: every option, error
 * and argument-order quirk, binary values (NUL, 0xff), negative indexes,
 * empty results, the int64 and long-double edges of the counters, and
 * OBJECT ENCODING after each kind of write. Replies that depend on the
 * clock compare within a tolerance, and so do expiry times beyond 2^53 ms (the
 * keyspace keeps those as the nearest double, at most 1024 ms away). Wrong-type cases need a non-string key, which no
 * nodis family creates yet; they are left for when lists exist.
 */
import { near, type DiffCase, type DiffStep } from '../types.js';

const FAR_S = '4102444800'; // 2100-01-01 in seconds
const FAR_MS = '4102444800123';

/** A small deterministic generator (LCG) so generated cases are the same on every run. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s;
  };
}

/** Random strings over a small alphabet: many ties for LCS to resolve. */
function lcsCases(): DiffCase[] {
  const next = generator(7);
  const word = (alphabet: string, max: number) => {
    let s = '';
    const n = next() % (max + 1);
    for (let i = 0; i < n; i++) s += alphabet[next() % alphabet.length];
    return s;
  };
  const out: DiffCase[] = [];
  for (const alphabet of ['ab', 'abc', 'ACGT', '\x00\xff']) {
    const steps: string[][] = [];
    for (let i = 0; i < 12; i++) {
      steps.push(['MSET', 'a', word(alphabet, 14), 'b', word(alphabet, 14)]);
      steps.push(['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'b', 'a', 'IDX', 'MINMATCHLEN', '2']);
    }
    out.push({ name: `LCS on random strings over ${JSON.stringify(alphabet)}`, steps });
  }
  return out;
}

/** INCRBYFLOAT operand pairs: long-double rounding, printing, parsing and limits. */
const FLOAT_PAIRS: [string, string][] = [
  ['10.5', '0.1'], ['0.1', '0.2'], ['1', '-1'], ['3', '1'], ['3.0', '1.0'], ['5.0e3', '2.0e2'], ['-5', '0.3'],
  ['0.1', '-0.1'], ['1e-17', '1e-17'], ['5e-18', '0'], ['-5e-18', '0'], ['1.5e-17', '0'], ['2.5e-17', '0'],
  ['0.000003814697265625', '0'], ['0.000011444091796875', '0'], ['123456789012345678', '1'],
  ['9223372036854775807', '1'], ['-9223372036854775808', '-1'], ['18446744073709551615', '1'],
  ['1e30', '1'], ['1e50', '-1e49'], ['1.7976931348623157e308', '1e308'], ['1e400', '1'], ['1e400', '-1e400'],
  ['1e4932', '0'], ['1.18e4932', '1.18e4932'], ['1e-4940', '0'], ['1e-4950', '1e-4950'], ['1e-5000', '0'], ['1e5000', '0'],
  ['3.14159265358979323846264338327950288', '0'], ['2.718281828459045', '3.141592653589793'], ['0.3', '0.6'],
  ['100', '-99.99'], ['.5', '+.5'], ['1.', '-1.'], ['0x10', '0x1p-2'], ['0X1P3', '-0x.8'], ['0x1.8p1', '0'],
  ['1', 'inf'], ['1', '-INF'], ['1', 'Infinity'], ['inf', '1'], ['1', 'nan'], ['1', 'NaN(123)'], ['abc', '1'],
  ['1', ' 1'], ['1', '1 '], ['1', ''], ['1', '.'], ['1', '1e'], ['1', '0x'], ['1', '1\x00'], ['1', '1_0'], ['1', '--1'],
  ['-0.0', '-0.0'], ['-1e-30', '0'], ['0.99999999999999999999', '0'], ['1.00000000000000001', '0'],
  ['7.9999999999999999999999', '0'], ['12345.678901234567890123', '0.0000000000000001'], ['1e17', '0.5'],
  ['1e19', '0.5'], ['4503599627370496.5', '0.25'], ['0.1', '1e20'], ['33.333333333333333333', '66.666666666666666667'],
];

function incrbyfloatCases(): DiffCase[] {
  const steps: (string[] | DiffStep)[] = [];
  FLOAT_PAIRS.forEach(([a, b], i) => {
    const key = `f${i}`;
    steps.push(['SET', key, a], ['INCRBYFLOAT', key, b], ['GET', key], ['OBJECT', 'ENCODING', key]);
  });
  return [{ name: 'INCRBYFLOAT precision, printing and parsing', steps }];
}

export const cases: DiffCase[] = [
  {
    name: 'GET SET basics and binary values',
    steps: [
      ['GET', 'nokey'], ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'k', ''], ['GET', 'k'], ['STRLEN', 'k'],
      ['SET', 'b', 'a\x00b\xff\r\n'], ['GET', 'b'], ['STRLEN', 'b'], ['SET', '\x00\xff', '\xff'], ['GET', '\x00\xff'],
      ['SET', 'k'], ['GET'], ['GET', 'a', 'b'], ['SET', 'k', 'v', 'x'],
    ],
  },
  {
    name: 'SET options: NX XX GET KEEPTTL',
    steps: [
      ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'w', 'NX'], ['GET', 'k'], ['SET', 'k', 'w', 'XX'], ['GET', 'k'],
      ['SET', 'n', 'v', 'XX'], ['EXISTS', 'n'], ['SET', 'k', 'x', 'GET'], ['SET', 'n', 'x', 'GET'], ['GET', 'n'],
      ['SET', 'k', 'y', 'nx', 'get'], ['SET', 'z', 'y', 'NX', 'GET'], ['SET', 'q', 'y', 'XX', 'GET'], ['EXISTS', 'q'],
      ['SET', 'k', 'v', 'get', 'GET', 'Get'], ['SET', 'k', 'v', 'NX', 'NX'], ['SET', 'k', 'v', 'xx', 'XX'],
      ['EXPIREAT', 'k', FAR_S], ['SET', 'k', 'w', 'KEEPTTL'], ['EXPIRETIME', 'k'], ['SET', 'k', 'w'], ['TTL', 'k'],
      ['SET', 'k', 'w', 'KEEPTTL', 'KEEPTTL'], ['SET', 'k', 'v', 'keepttl', 'xx', 'get'],
    ],
  },
  {
    name: 'SET options: expiry forms and conflicts',
    steps: [
      ['SET', 'k', 'v', 'EX', '100'], near(2, 'TTL', 'k'), ['SET', 'k', 'v', 'PX', '100000'], near(2000, 'PTTL', 'k'),
      ['SET', 'k', 'v', 'EXAT', FAR_S], ['EXPIRETIME', 'k'], ['SET', 'k', 'v', 'PXAT', FAR_MS], ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'v', 'ex', '10', 'EX', FAR_S], near(2, 'TTL', 'k'), ['SET', 'k', 'v', 'PXAT', '9223372036854775807'], near(2048, 'PEXPIRETIME', 'k'),
      ['SET', 'k', 'v', 'EXAT', '9223372036854775'], near(2048, 'PEXPIRETIME', 'k'),
      ['SET', 'k', 'v', 'NX', 'XX'], ['SET', 'k', 'v', 'XX', 'NX'], ['SET', 'k', 'v', 'EX', '10', 'PX', '100'],
      ['SET', 'k', 'v', 'EX', '10', 'EXAT', FAR_S], ['SET', 'k', 'v', 'PX', '10', 'PXAT', FAR_MS], ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'],
      ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'], ['SET', 'k', 'v', 'EX'], ['SET', 'k', 'v', 'PXAT'], ['SET', 'k', 'v', 'PERSIST'],
      ['SET', 'k', 'v', 'FOO'], ['SET', 'k', 'v', 'constructor'], ['SET', 'k', 'v', 'toString'], ['GETEX', 'k', '__proto__'], ['SET', 'k', 'v', 'EX', 'abc', 'NX', 'XX'], ['SET', 'k', 'v', 'EX', 'abc'], ['SET', 'k', 'v', 'EX', 'NX'],
      ['SET', 'k', 'v', 'EX', '1.5'], ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'PX', '-1'], ['SET', 'k', 'v', 'EXAT', '0'],
      ['SET', 'k', 'v', 'PXAT', '-5'], ['SET', 'k', 'v', 'EX', '9223372036854776'], ['SET', 'k', 'v', 'EX', '9223372036854775'],
      ['SET', 'k', 'v', 'PX', '9223372036854775807'], ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
      ['SET', 'k', 'v', 'EX', '99999999999999999999'], ['SET', 'k', 'v', 'EX', '0', 'GET'], ['GET', 'k'],
      ['SET', 'old', 'v', 'PXAT', '1'], ['GET', 'old'], ['EXISTS', 'old'], ['SET', 'old', 'v', 'EXAT', '1', 'GET'], ['SET', 'old', 'w', 'GET'],
    ],
  },
  {
    name: 'SETNX SETEX PSETEX',
    steps: [
      ['SETNX', 'k', 'v'], ['SETNX', 'k', 'w'], ['GET', 'k'], ['SETEX', 'k', '100', 'x'], near(2, 'TTL', 'k'), ['GET', 'k'],
      ['PSETEX', 'k', '100000', 'y'], near(2000, 'PTTL', 'k'), ['GET', 'k'], ['SETNX', 'k'], ['SETEX', 'k', '0', 'v'],
      ['SETEX', 'k', '-1', 'v'], ['SETEX', 'k', 'x', 'v'], ['PSETEX', 'k', '-5', 'v'], ['PSETEX', 'k', '0', 'v'],
      ['SETEX', 'k', '9223372036854776', 'v'], ['PSETEX', 'k', '9223372036854775807', 'v'], ['SETEX', 'k', '10'], ['GET', 'k'],
      ['SETEX', 'n', '100', '123'], ['OBJECT', 'ENCODING', 'n'], ['SETNX', 'm', '12345'], ['OBJECT', 'ENCODING', 'm'],
    ],
  },
  {
    name: 'GETEX',
    steps: [
      ['GETEX', 'nokey'], ['GETEX', 'nokey', 'EX', '0'], ['GETEX', 'nokey', 'EX', 'abc'], ['GETEX', 'nokey', 'EX'],
      ['SET', 'k', 'v'], ['GETEX', 'k'], ['TTL', 'k'], ['GETEX', 'k', 'EX', '100'], near(2, 'TTL', 'k'),
      ['GETEX', 'k', 'PX', '100000'], near(2000, 'PTTL', 'k'), ['GETEX', 'k', 'EXAT', FAR_S], ['EXPIRETIME', 'k'],
      ['GETEX', 'k', 'PXAT', FAR_MS], ['PEXPIRETIME', 'k'], ['GETEX', 'k', 'PERSIST'], ['TTL', 'k'], ['GETEX', 'k', 'persist'],
      ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'PX', '-1'], ['GETEX', 'k', 'EX', '1.5'], ['GETEX', 'k', 'EX', '9223372036854776'],
      ['GETEX', 'k', 'PERSIST', 'EX', '1'], ['GETEX', 'k', 'EX', '1', 'PERSIST'], ['GETEX', 'k', 'NX'], ['GETEX', 'k', 'XX'],
      ['GETEX', 'k', 'GET'], ['GETEX', 'k', 'KEEPTTL'], ['GETEX', 'k', 'FOO'], ['GETEX', 'k', 'EX', '10', 'PX', '10'],
      ['GETEX', 'k', 'ex', '10', 'ex', '20'], near(2, 'TTL', 'k'), ['GETEX', 'k', 'EXAT', '1'], ['EXISTS', 'k'], ['GETEX', 'k'],
      ['SET', 'j', 'v'], ['GETEX', 'j', 'PXAT', '1'], ['GET', 'j'], ['GETEX'],
    ],
  },
  {
    name: 'GETDEL GETSET',
    steps: [
      ['GETDEL', 'nokey'], ['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'],
      ['GETSET', 'k', 'a'], ['GETSET', 'k', 'b'], ['GET', 'k'], ['EXPIREAT', 'k', FAR_S], ['GETSET', 'k', '12'], ['TTL', 'k'],
      ['OBJECT', 'ENCODING', 'k'], ['GETSET', 'k', 'abcdefg'], ['OBJECT', 'ENCODING', 'k'], ['GETSET', 'k'], ['GETDEL', 'k', 'x'],
    ],
  },
  {
    name: 'MGET MSET MSETNX',
    steps: [
      ['MSET', 'a', '1', 'b', '2', 'c', '\x00'], ['MGET', 'a', 'b', 'c', 'nokey', 'a'], ['MSET', 'a'], ['MSET', 'a', '1', 'b'],
      ['MSETNX', 'a', '1', 'b'], ['MSETNX', 'x', '1', 'a', '2'], ['EXISTS', 'x'], ['MSETNX', 'x', '1', 'y', '2'], ['MGET', 'x', 'y'],
      ['MSETNX', 'p', '1', 'p', '2'], ['GET', 'p'], ['MSET', 'q', '1', 'q', '2'], ['GET', 'q'], ['MGET'], ['MSET'],
      ['EXPIREAT', 'a', FAR_S], ['MSET', 'a', '5'], ['TTL', 'a'], ['OBJECT', 'ENCODING', 'a'],
    ],
  },
  {
    name: 'APPEND STRLEN and encodings',
    steps: [
      ['APPEND', 'k', '123'], ['OBJECT', 'ENCODING', 'k'], ['APPEND', 'k', '4'], ['GET', 'k'], ['OBJECT', 'ENCODING', 'k'],
      ['APPEND', 'k', ''], ['STRLEN', 'k'], ['APPEND', 'e', ''], ['EXISTS', 'e'], ['STRLEN', 'e'], ['APPEND', 'e', 'x\x00\xff'], ['GET', 'e'],
      ['SET', 's', '12'], ['APPEND', 's', ''], ['OBJECT', 'ENCODING', 's'], ['APPEND', 'n', 'hello world'], ['OBJECT', 'ENCODING', 'n'],
      ['APPEND', 'r', 'x'.repeat(50)], ['OBJECT', 'ENCODING', 'r'], ['APPEND', 'r', 'y'.repeat(3000)], ['STRLEN', 'r'], ['GETRANGE', 'r', '45', '55'],
      ['STRLEN', 'nokey'], ['EXPIREAT', 'k', FAR_S], ['APPEND', 'k', '5'], ['EXPIRETIME', 'k'], ['APPEND', 'k'], ['STRLEN'],
    ],
  },
  {
    name: 'GETRANGE SUBSTR',
    steps: [
      ['SET', 'k', 'hello'], ['GETRANGE', 'k', '0', '-1'], ['GETRANGE', 'k', '-3', '-1'], ['GETRANGE', 'k', '-1', '-3'],
      ['GETRANGE', 'k', '10', '20'], ['GETRANGE', 'k', '-100', '100'], ['GETRANGE', 'k', '2', '1'], ['GETRANGE', 'k', '-100', '-50'],
      ['GETRANGE', 'k', '0', '-100'], ['GETRANGE', 'k', '4', '4'], ['GETRANGE', 'k', '9223372036854775807', '9223372036854775807'],
      ['GETRANGE', 'k', '-9223372036854775808', '-1'], ['GETRANGE', 'k', '0', '9223372036854775807'], ['GETRANGE', 'nokey', '0', '-1'],
      ['GETRANGE', 'nokey', 'x', '1'], ['GETRANGE', 'k', '1', 'x'], ['GETRANGE', 'k', '1.5', '2'], ['SUBSTR', 'k', '1', '2'],
      ['SUBSTR', 'k', '-2', '-1'], ['SET', 'e', ''], ['GETRANGE', 'e', '0', '-1'], ['GETRANGE', 'e', '0', '0'],
      ['SET', 'n', '-12345'], ['GETRANGE', 'n', '1', '3'], ['SET', 'b', '\x00\xff\x00'], ['GETRANGE', 'b', '1', '-1'], ['GETRANGE', 'k', '0'],
    ],
  },
  {
    name: 'SETRANGE',
    steps: [
      ['SETRANGE', 'k', '-1', 'x'], ['SETRANGE', 'k', 'x', 'x'], ['SETRANGE', 'k', '0', ''], ['EXISTS', 'k'],
      ['SETRANGE', 'k', '2', 'ab'], ['GET', 'k'], ['OBJECT', 'ENCODING', 'k'], ['SETRANGE', 'k', '0', ''], ['SETRANGE', 'k', '10', ''],
      ['SET', 's', 'hello'], ['SETRANGE', 's', '1', 'EL'], ['GET', 's'], ['OBJECT', 'ENCODING', 's'], ['SETRANGE', 's', '7', '\xff\x00'],
      ['GET', 's'], ['SET', 'i', '12'], ['SETRANGE', 'i', '0', ''], ['OBJECT', 'ENCODING', 'i'], ['SETRANGE', 'i', '0', '3'],
      ['OBJECT', 'ENCODING', 'i'], ['GET', 'i'], ['SETRANGE', 's', '536870912', 'x'], ['SETRANGE', 's', '536870911', ''],
      ['SETRANGE', 'big', '536870912', 'x'], ['SETRANGE', 's', '9223372036854775807', 'x'], ['EXPIREAT', 's', FAR_S],
      ['SETRANGE', 's', '0', 'H'], ['EXPIRETIME', 's'], ['SETRANGE', 's', '0'],
    ],
  },
  {
    name: 'INCR DECR INCRBY DECRBY',
    steps: [
      ['INCR', 'n'], ['INCR', 'n'], ['DECR', 'n'], ['INCRBY', 'n', '100'], ['DECRBY', 'n', '-5'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'],
      ['DECR', 'm'], ['DECRBY', 'm2', '10'], ['INCRBY', 'm3', '-10'], ['SET', 'n', '9223372036854775806'], ['INCR', 'n'], ['INCR', 'n'],
      ['GET', 'n'], ['DECRBY', 'n', '9223372036854775807'], ['DECRBY', 'n', '1'], ['SET', 'n', '-9223372036854775808'], ['DECR', 'n'],
      ['INCRBY', 'n', '9223372036854775807'], ['INCRBY', 'n', '9223372036854775807'], ['DECRBY', 'n', '-9223372036854775808'],
      ['DECRBY', 'fresh', '-9223372036854775808'], ['INCRBY', 'fresh', '-9223372036854775808'], ['DECR', 'fresh'],
      ['SET', 'big', '9007199254740993'], ['INCR', 'big'], ['INCRBY', 'big', '9007199254740993'], ['DECRBY', 'big', '-1'],
      ['INCRBY', 'n', 'abc'], ['INCRBY', 'n', '1.5'], ['INCRBY', 'n', '9223372036854775808'], ['INCRBY', 'n', ' 1'], ['INCRBY', 'n', '01'],
      ['SET', 's', 'abc'], ['INCR', 's'], ['SET', 's', ' 1'], ['INCR', 's'], ['SET', 's', '01'], ['INCR', 's'], ['SET', 's', '-0'],
      ['INCR', 's'], ['SET', 's', '1\x00'], ['INCR', 's'], ['SET', 's', ''], ['INCR', 's'], ['SET', 's', '+1'], ['INCR', 's'],
      ['SET', 's', '99999999999999999999'], ['INCR', 's'], ['APPEND', 'a', '41'], ['APPEND', 'a', '0'], ['INCR', 'a'],
      ['OBJECT', 'ENCODING', 'a'], ['EXPIREAT', 'a', FAR_S], ['INCRBY', 'a', '5'], ['EXPIRETIME', 'a'], ['INCR'], ['INCRBY', 'a'],
      ['SET', 'z', '0'], ['DECRBY', 'z', '0'], ['GET', 'z'],
    ],
  },
  ...incrbyfloatCases(),
  {
    name: 'INCRBYFLOAT on keys, TTL and encodings',
    steps: [
      ['INCRBYFLOAT', 'f', '1.5'], ['INCRBYFLOAT', 'f', '8.5'], ['GET', 'f'], ['OBJECT', 'ENCODING', 'f'], ['INCR', 'f'],
      ['OBJECT', 'ENCODING', 'f'], ['INCRBYFLOAT', 'f', '1e50'], ['OBJECT', 'ENCODING', 'f'], ['INCRBYFLOAT', 'f', '-1e50'],
      ['EXPIREAT', 'f', FAR_S], ['INCRBYFLOAT', 'f', '0.5'], ['EXPIRETIME', 'f'], ['INCRBYFLOAT', 'g', 'abc'], ['EXISTS', 'g'],
      ['INCRBYFLOAT', 'g', '1', '2'], ['INCRBYFLOAT', 'g'], ['SET', 'i', '10'], ['INCRBYFLOAT', 'i', '0'], ['OBJECT', 'ENCODING', 'i'],
      ['APPEND', 'r', '1.5'], ['INCRBYFLOAT', 'r', '1'], ['SET', 'h', '1e-5000'], ['INCRBYFLOAT', 'h', '1'],
    ],
  },
  {
    name: 'OBJECT ENCODING of stored strings',
    steps: [
      ['SET', 'a', '123'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '-123'], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '9223372036854775807'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '9223372036854775808'], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '-9223372036854775808'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', '12345678901234567890'], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '0123'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', 'x'.repeat(44)], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', ''], ['OBJECT', 'ENCODING', 'a'],
      ['SET', 'a', '1.5'], ['OBJECT', 'ENCODING', 'a'], ['INCR', 'c'], ['OBJECT', 'ENCODING', 'c'], ['INCRBY', 'c', '99999'],
      ['OBJECT', 'ENCODING', 'c'], ['SETBIT', 'b', '0', '1'], ['OBJECT', 'ENCODING', 'b'], ['SET', 'd', '12'], ['SETBIT', 'd', '0', '0'],
      ['OBJECT', 'ENCODING', 'd'], ['GET', 'd'], ['SET', 'e', '12'], ['GETBIT', 'e', '2'], ['BITCOUNT', 'e'], ['OBJECT', 'ENCODING', 'e'],
      ['SET', 'g', '12'], ['BITFIELD', 'g', 'GET', 'u8', '0'], ['OBJECT', 'ENCODING', 'g'], ['BITFIELD', 'g', 'SET', 'u8', '0', '49'],
      ['OBJECT', 'ENCODING', 'g'], ['BITOP', 'OR', 'h', 'e'], ['OBJECT', 'ENCODING', 'h'], ['GET', 'h'],
    ],
  },
  ...lcsCases(),
  {
    name: 'LCS options and errors',
    steps: [
      ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], ['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'b', 'IDX'],
      ['LCS', 'a', 'b', 'idx', 'minmatchlen', '4'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'LEN', 'IDX'],
      ['LCS', 'a', 'b', 'IDX', 'LEN'], ['LCS', 'a', 'b', 'FOO'], ['LCS', 'a', 'b', 'MINMATCHLEN'], ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'],
      ['LCS', 'a', 'b', 'MINMATCHLEN', '-5', 'IDX'], ['LCS', 'a', 'nokey', 'IDX'], ['LCS', 'nokey', 'nokey2'], ['LCS', 'a', 'nokey', 'LEN'],
      ['LCS', 'a', 'b', 'LEN', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'MINMATCHLEN', '2'], ['LCS', 'a', 'a', 'IDX', 'WITHMATCHLEN'],
      ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '9223372036854775807'], ['LCS', 'a'], ['SET', 'n', '12345'], ['LCS', 'n', 'a'],
      ['SET', 'x', '\x00a\xffb'], ['SET', 'y', 'a\x00b\xff'], ['LCS', 'x', 'y'], ['LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN'],
    ],
  },
  {
    name: 'LCS refuses a table over proto-max-bulk-len',
    steps: [['SET', 'a', 'x'.repeat(12000)], ['SET', 'b', 'y'.repeat(12000)], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'nokey', 'LEN']],
  },
  {
    name: 'SETBIT GETBIT',
    steps: [
      ['SETBIT', 'k', '7', '1'], ['GET', 'k'], ['SETBIT', 'k', '7', '1'], ['SETBIT', 'k', '7', '0'], ['SETBIT', 'k', '100', '1'],
      ['STRLEN', 'k'], ['GETBIT', 'k', '100'], ['GETBIT', 'k', '99'], ['GETBIT', 'k', '1000'], ['GETBIT', 'nokey', '0'],
      ['GETBIT', 'k', '-1'], ['GETBIT', 'k', 'x'], ['GETBIT', 'k', '4294967295'], ['GETBIT', 'k', '4294967296'],
      ['SETBIT', 'k', '4294967296', '1'], ['SETBIT', 'k', '-1', '1'], ['SETBIT', 'k', '0', '2'], ['SETBIT', 'k', '0', '-1'],
      ['SETBIT', 'k', '0', 'x'], ['SETBIT', 'k', '0', '01'], ['SETBIT', 'k', 'x', 'x'], ['SETBIT', 'k', '1.5', '1'],
      ['SET', 's', '\xff\x00'], ['GETBIT', 's', '0'], ['GETBIT', 's', '8'], ['SETBIT', 's', '8', '1'], ['GET', 's'],
      ['SET', 'i', '5'], ['GETBIT', 'i', '5'], ['GETBIT', 'i', '7'], ['EXPIREAT', 's', FAR_S], ['SETBIT', 's', '100', '1'], ['EXPIRETIME', 's'],
      ['SETBIT', 'k', '0'], ['GETBIT', 'k'],
    ],
  },
  {
    name: 'BITCOUNT',
    steps: [
      ['BITCOUNT', 'nokey'], ['BITCOUNT', 'nokey', '0'], ['BITCOUNT', 'nokey', 'a', 'b'], ['BITCOUNT', 'nokey', '0', '1', 'x', 'y'],
      ['SET', 'k', 'foobar'], ['BITCOUNT', 'k'], ['BITCOUNT', 'k', '0', '0'], ['BITCOUNT', 'k', '1', '1'], ['BITCOUNT', 'k', '1', '-1'],
      ['BITCOUNT', 'k', '-2', '-1'], ['BITCOUNT', 'k', '-1', '-2'], ['BITCOUNT', 'k', '-10', '-20'], ['BITCOUNT', 'k', '-20', '-10'],
      ['BITCOUNT', 'k', '5', '100'], ['BITCOUNT', 'k', '100', '200'], ['BITCOUNT', 'k', '0', '-100'],
      ['BITCOUNT', 'k', '5', '30', 'BIT'], ['BITCOUNT', 'k', '5', '30', 'bit'], ['BITCOUNT', 'k', '0', '0', 'BYTE'],
      ['BITCOUNT', 'k', '-5', '-1', 'BIT'], ['BITCOUNT', 'k', '1', '1', 'BIT'], ['BITCOUNT', 'k', '3', '3', 'BIT'],
      ['BITCOUNT', 'k', '7', '8', 'BIT'], ['BITCOUNT', 'k', '0', '1000', 'BIT'], ['BITCOUNT', 'k', '47', '47', 'BIT'],
      ['BITCOUNT', 'k', '0'], ['BITCOUNT', 'k', '0', '1', 'BAT'], ['BITCOUNT', 'k', '0', '1', 'BIT', 'x'], ['BITCOUNT', 'k', 'a', '1'],
      ['BITCOUNT', 'k', '0', 'b'], ['SET', 'e', ''], ['BITCOUNT', 'e'], ['BITCOUNT', 'e', '0', '-1'], ['BITCOUNT', 'e', '0', '0', 'BIT'],
      ['SET', 'b', '\xff\x00\xff\x00\xff'], ['BITCOUNT', 'b'], ['BITCOUNT', 'b', '1', '3'], ['BITCOUNT', 'b', '4', '35', 'BIT'], ['BITCOUNT'],
    ],
  },
  {
    name: 'BITPOS',
    steps: [
      ['BITPOS', 'nokey', '1'], ['BITPOS', 'nokey', '0'], ['BITPOS', 'nokey', '1', 'a'], ['BITPOS', 'nokey', '0', '0', '0', 'bad'],
      ['BITPOS', 'nokey', '2'], ['BITPOS', 'nokey', 'x'], ['SET', 'k', '\xff\xff\xff'], ['BITPOS', 'k', '1', '-10', '-20'],
      ['BITPOS', 'k', '0', '-10', '-20'], ['BITPOS', 'k', '2'], ['BITPOS', 'k', 'x'], ['BITPOS', 'k', '0'], ['BITPOS', 'k', '0', '1'],
      ['BITPOS', 'k', '0', '1', '2'], ['BITPOS', 'k', '0', '1', '2', 'bit'], ['BITPOS', 'k', '0', '8', '23', 'BIT'], ['BITPOS', 'k', '0', '8', 'BIT'],
      ['BITPOS', 'k', '0', '8', '23', 'BI'], ['BITPOS', 'k', '0', 'x', '23', 'BI'], ['BITPOS', 'k', '0', '0', 'x', 'BI'], ['BITPOS', 'k', '0', '0', 'x', 'BIT'],
      ['BITPOS', 'k', '1', '0', '1', 'BIT', 'x'], ['SET', 'e', ''], ['BITPOS', 'e', '0'], ['BITPOS', 'e', '1'], ['BITPOS', 'e', '0', '0'],
      ['SET', 'z', '\x00\x00\x00'], ['BITPOS', 'z', '1'], ['BITPOS', 'z', '0'], ['BITPOS', 'z', '0', '1'], ['BITPOS', 'z', '0', '3'],
      ['SET', 'm', '\x00\xff\xf0'], ['BITPOS', 'm', '1'], ['BITPOS', 'm', '1', '1'], ['BITPOS', 'm', '0', '1'], ['BITPOS', 'm', '0', '1', '1'],
      ['BITPOS', 'm', '0', '1', '-1'], ['BITPOS', 'm', '1', '2', '-1'], ['BITPOS', 'm', '0', '2'], ['BITPOS', 'm', '1', '7', '15', 'BIT'],
      ['BITPOS', 'm', '0', '8', '15', 'BIT'], ['BITPOS', 'm', '0', '8', '19', 'BIT'], ['BITPOS', 'm', '0', '9', '12', 'BIT'],
      ['BITPOS', 'm', '0', '17', 'BIT'], ['BITPOS', 'm', '1', '-4', '-1', 'BIT'], ['BITPOS', 'm', '0', '-4', '-1', 'BIT'],
      ['BITPOS', 'm', '0', '-4', 'BIT'], ['BITPOS', 'm', '1', '20', '100', 'BIT'], ['BITPOS', 'm', '1', '100', '200', 'BIT'],
      ['BITPOS', 'm', '0', '100'], ['BITPOS', 'm', '0', '5', '3', 'BIT'], ['BITPOS', 'm', '1', '0', '-100'], ['BITPOS', 'k'],
      ['SET', 'o', '\xff\xff\xfe'], ['BITPOS', 'o', '0', '0', '22', 'BIT'], ['BITPOS', 'o', '0', '3', '21', 'BIT'], ['BITPOS', 'o', '0', '20', 'BIT'],
    ],
  },
  {
    name: 'BITOP',
    steps: [
      ['SET', 'a', '\xff\x0f\x00'], ['SET', 'b', '\xf0\xff'], ['BITOP', 'AND', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'or', 'd', 'a', 'b'],
      ['GET', 'd'], ['BITOP', 'XOR', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'a'], ['GET', 'd'], ['OBJECT', 'ENCODING', 'd'],
      ['BITOP', 'AND', 'd', 'a', 'nokey'], ['GET', 'd'], ['BITOP', 'OR', 'd', 'nokey', 'a'], ['GET', 'd'], ['BITOP', 'AND', 'd', 'a'], ['GET', 'd'],
      ['BITOP', 'AND', 'd', 'nokey'], ['EXISTS', 'd'], ['BITOP', 'AND', 'd', 'nokey'], ['BITOP', 'NOT', 'd', 'a', 'b'], ['BITOP', 'NOT', 'd'],
      ['BITOP', 'FOO', 'd', 'a'], ['BITOP', 'constructor', 'd', 'a'], ['BITOP', '__proto__', 'd', 'a'], ['BITOP', 'AND', 'd'], ['SET', 'e', ''], ['BITOP', 'OR', 'd', 'e', 'e'], ['EXISTS', 'd'],
      ['BITOP', 'XOR', 'a', 'a', 'b'], ['GET', 'a'], ['SET', 'n', '123'], ['BITOP', 'NOT', 'd', 'n'], ['GET', 'd'],
      ['EXPIREAT', 'd', FAR_S], ['BITOP', 'OR', 'd', 'a'], ['TTL', 'd'], ['BITOP', 'NOT', 'd', 'nokey'], ['EXISTS', 'd'],
      ['BITOP', 'and', 'd', 'a', 'b', 'n', 'nokey', 'a'], ['GET', 'd'],
    ],
  },
  {
    name: 'BITFIELD GET SET INCRBY',
    steps: [
      ['BITFIELD', 'nokey'], ['BITFIELD', 'nokey', 'GET', 'u8', '0', 'GET', 'i8', '0'], ['EXISTS', 'nokey'], ['BITFIELD', 'nokey', 'OVERFLOW', 'WRAP'],
      ['EXISTS', 'nokey'], ['BITFIELD', 'k', 'SET', 'u8', '0', '255', 'GET', 'u8', '0', 'GET', 'i8', '0', 'GET', 'u4', '4', 'GET', 'i4', '4'],
      ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '1', 'INCRBY', 'i8', '0', '-1', 'incrby', 'u2', '100', '1'], ['STRLEN', 'k'],
      ['BITFIELD', 'k', 'set', 'i64', '0', '-9223372036854775808', 'get', 'i64', '0', 'get', 'u63', '0', 'get', 'u63', '1'],
      ['BITFIELD', 'k', 'SET', 'u8', '#1', '200', 'GET', 'u8', '8', 'GET', 'u8', '#1', 'SET', 'i5', '#3', '-3', 'GET', 'i5', '15'],
      ['GET', 'k'], ['BITFIELD', 'k', 'SET', 'i3', '7', '3', 'GET', 'i3', '7', 'GET', 'u1', '7', 'GET', 'u13', '3', 'GET', 'i17', '5'],
      ['BITFIELD', 'w', 'SET', 'i64', '0', '9223372036854775807', 'GET', 'i64', '0', 'INCRBY', 'i64', '0', '1', 'GET', 'u63', '1'],
      ['BITFIELD', 'z', 'GET', 'u1', '4294967295', 'GET', 'u8', '#536870911', 'GET', 'i64', '4294967295'],
    ],
  },
  {
    name: 'BITFIELD overflow policies',
    steps: [
      ['SET', 'k', 'v'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'u8', '0', '-1'], ['BITFIELD', 'k', 'overflow', 'sat', 'set', 'u8', '0', '-1000'],
      ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'SET', 'i8', '0', '-129'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-129'],
      ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'i8', '0', '-129'], ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '256', 'SET', 'u8', '0', '-1'],
      ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '9223372036854775807'],
      ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'i64', '0', '9223372036854775807'],
      ['BITFIELD', 'k', 'GET', 'i64', '0', 'GET', 'u63', '0', 'GET', 'u63', '1', 'GET', 'i5', '3'],
      ['BITFIELD', 'k', 'SET', 'u63', '1', '9223372036854775807', 'OVERFLOW', 'SAT', 'INCRBY', 'u63', '1', '5', 'INCRBY', 'u63', '1', '-9223372036854775808'],
      ['BITFIELD', 'k', 'OVERFLOW', 'WRAP', 'INCRBY', 'u63', '1', '-9223372036854775808'], ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'u1', '200', '2'],
      ['STRLEN', 'k'], ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u1', '200', '2', 'OVERFLOW', 'FAIL', 'INCRBY', 'u1', '200', '-3', 'OVERFLOW', 'WRAP', 'INCRBY', 'u1', '200', '-3'],
      ['BITFIELD', 'k', 'INCRBY', 'u4', '0', '100', 'INCRBY', 'i4', '0', '100', 'INCRBY', 'i4', '0', '-100'],
      ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'INCRBY', 'u4', '0', '-100', 'INCRBY', 'i4', '0', '-100', 'INCRBY', 'i4', '0', '100'],
      ['BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'INCRBY', 'i4', '0', '1', 'INCRBY', 'i4', '0', '-1', 'INCRBY', 'i4', '0', '-9'],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'SET', 'u2', '100', '10'], ['STRLEN', 'f'], ['GET', 'k'],
    ],
  },
  {
    name: 'BITFIELD and BITFIELD_RO errors',
    steps: [
      ['SET', 'k', 'abc'], ['BITFIELD', 'k', 'FOO'], ['BITFIELD', 'k', 'GET', 'u2'], ['BITFIELD', 'k', 'SET', 'u2', '0'], ['BITFIELD', 'k', 'OVERFLOW'],
      ['BITFIELD', 'k', 'OVERFLOW', 'XX'], ['BITFIELD', 'k', 'OVERFLOW', 'constructor'], ['BITFIELD', 'k', 'GET', 'x2', '0'], ['BITFIELD', 'k', 'GET', 'u64', '0'], ['BITFIELD', 'k', 'GET', 'i65', '0'],
      ['BITFIELD', 'k', 'GET', 'i0', '0'], ['BITFIELD', 'k', 'GET', 'I8', '0'], ['BITFIELD', 'k', 'GET', 'U8', '0'], ['BITFIELD', 'k', 'GET', 'i08', '0'],
      ['BITFIELD', 'k', 'GET', 'i+8', '0'], ['BITFIELD', 'k', 'GET', 'i8 ', '0'], ['BITFIELD', 'k', 'GET', 'i', '0'], ['BITFIELD', 'k', 'GET', 'u8', '-1'],
      ['BITFIELD', 'k', 'GET', 'u8', '#-1'], ['BITFIELD', 'k', 'GET', 'u8', '#x'], ['BITFIELD', 'k', 'GET', 'u8', '4294967296'],
      ['BITFIELD', 'k', 'GET', 'u8', '#536870912'], ['BITFIELD', 'k', 'GET', 'i8', '#1152921504606846976'], ['BITFIELD', 'k', 'GET', 'u8', ' 1'],
      ['BITFIELD', 'k', 'SET', 'u8', '0', 'x'], ['BITFIELD', 'k', 'SET', 'u8', '0', '1', 'GET', 'u8', 'x'], ['GET', 'k'],
      ['BITFIELD', 'k', 'INCRBY', 'u8', '0', '1.5'], ['BITFIELD', 'k', 'SET', 'u8', '0', '9223372036854775808'], ['BITFIELD', 'k', 'GET', 'u8', '#1', 'FOO'],
      ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'GET', 'i4', '#3'], ['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'k', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'OVERFLOW', 'WRAP'], ['BITFIELD_RO', 'k', 'OVERFLOW', 'BAD'], ['BITFIELD_RO', 'k', 'SET', 'u8', '0', 'x'],
      ['BITFIELD_RO', 'k', 'FOO'], ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'], ['BITFIELD_RO', 'k'], ['BITFIELD'], ['BITFIELD_RO'],
    ],
  },
];
