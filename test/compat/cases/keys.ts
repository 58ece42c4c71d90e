/**
 * Differential cases for the keyspace commands and expiry. Replies that
 * list several keys are avoided (Redis orders them by its hash table, nodis
 * by insertion), so KEYS/SCAN cases hold one key at a time; relative TTLs
 * compare within a tolerance, random ones by shape (kinds and sizes), absolute expiry times exactly (far-future EXPIREAT).
 */
import { shape, shapeTo, near, type DiffCase } from '../types.js';

const FAR_S = '4102444800'; // 2100-01-01 in seconds
const FAR_MS = '4102444800123';

/** KEYS patterns tried against one key at a time (each reply holds 0 or 1 key). */
const GLOB_KEYS = ['hello', 'hallo', 'h[llo', 'a*b', 'x\\y', '-', ']', '^a', 'ab', 'k\x00\xff', 'A'];
const GLOB_PATTERNS = [
  '*', '**', 'h?llo', 'h*o', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h[\\[]llo', 'h\\[llo', 'h[llo',
  'a\\*b', 'a*b', 'a\\', 'x\\\\y', 'x\\y', '[-]', '[a-]', '[]]', '[]', '[^]', '[^a]*', '[\\^]a', '[!a]b', '*[',
  '[a-', 'a[b', '?', '??', '[A-Z]', '[a-z]', '[z-a]b', 'k\x00*', 'k?\xff', 'k[\x00]?', 'h*l*o', '*l*l*', 'h*x',
];

function globCases(): DiffCase[] {
  return GLOB_KEYS.map((key) => ({
    name: `KEYS patterns against ${JSON.stringify(key)}`,
    resp: [2] as const,
    steps: [['SET', key, 'v'], ...GLOB_PATTERNS.map((p) => ['KEYS', p]), ['SCAN', '0', 'MATCH', 'h*'], ['SCAN', '0', 'MATCH', '[a-h]*']],
  }));
}

export const cases: DiffCase[] = [
  {
    name: 'DEL UNLINK EXISTS DBSIZE',
    steps: [
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
      ['EXISTS', 'a', 'b', 'nokey', 'a'], ['DBSIZE'],
      ['DEL', 'a', 'nokey', 'a'], ['EXISTS', 'a'], ['UNLINK', 'b', 'c', 'b'], ['DBSIZE'],
      ['DEL'], ['UNLINK'], ['EXISTS'], ['DBSIZE', 'x'],
    ],
  },
  {
    name: 'TYPE and TOUCH',
    steps: [['TYPE', 'nokey'], ['SET', 's', 'v'], ['TYPE', 's'], ['TYPE'], ['TYPE', 's', 'x'], ['TOUCH', 's', 'nokey', 's'], ['TOUCH']],
  },
  {
    name: 'binary keys',
    steps: [
      ['SET', 'k\x00\xff\r\n', 'v'], ['EXISTS', 'k\x00\xff\r\n'], ['EXISTS', 'k\x00'], ['TYPE', 'k\x00\xff\r\n'],
      ['KEYS', 'k\x00*'], ['RENAME', 'k\x00\xff\r\n', '\x01\x02'], ['GET', '\x01\x02'], ['KEYS', '*'],
      ['SCAN', '0'], ['RANDOMKEY'], ['COPY', '\x01\x02', '\xfe'], ['GET', '\xfe'], ['DEL', '\x01\x02', '\xfe'], ['DBSIZE'],
    ],
  },
  {
    name: 'RENAME and RENAMENX',
    steps: [
      ['RENAME', 'nokey', 'x'], ['RENAME', 'nokey', 'nokey'], ['RENAMENX', 'nokey', 'x'], ['RENAMENX', 'nokey', 'nokey'],
      ['SET', 'a', '1'], ['RENAME', 'a', 'a'], ['RENAMENX', 'a', 'a'], ['GET', 'a'],
      ['RENAME', 'a', 'b'], ['EXISTS', 'a'], ['GET', 'b'],
      ['SET', 'c', '3'], ['RENAMENX', 'b', 'c'], ['GET', 'b'], ['GET', 'c'], ['RENAME', 'b', 'c'], ['GET', 'c'], ['EXISTS', 'b'],
      ['RENAMENX', 'c', 'd'], ['GET', 'd'],
      ['EXPIREAT', 'd', FAR_S], ['RENAME', 'd', 'e'], ['EXPIRETIME', 'e'], ['TTL', 'd'],
      ['SET', 'f', '6'], ['PERSIST', 'f'], ['RENAME', 'e', 'f'], ['EXPIRETIME', 'f'],
      ['RENAME', 'f'], ['RENAMENX', 'f', 'g', 'h'],
    ],
  },
  ...globCases(),
  {
    name: 'KEYS and SCAN on an empty db',
    steps: [['KEYS', '*'], ['SCAN', '0'], ['SCAN', '0', 'MATCH', '*', 'COUNT', '5', 'TYPE', 'string'], ['RANDOMKEY'], ['KEYS']],
  },
  {
    name: 'SCAN options and errors',
    steps: [
      ['SET', 'k1', 'v'],
      ['SCAN', '0'], ['SCAN', '0', 'COUNT', '1000'], ['SCAN', '0', 'count', '1', 'count', '100'],
      ['SCAN', '0', 'MATCH', 'k*'], ['SCAN', '0', 'MATCH', 'x*'], ['SCAN', '0', 'MATCH', 'x*', 'MATCH', 'k*'],
      ['SCAN', '0', 'TYPE', 'string'], ['SCAN', '0', 'TYPE', 'STRING'], ['SCAN', '0', 'type', 'list'], ['SCAN', '0', 'TYPE', 'nosuchtype'],
      ['SCAN', '0', 'TYPE', 'string', 'TYPE', 'hash'], ['SCAN', '0', 'MATCH', 'k?', 'COUNT', '100', 'TYPE', 'string'],
      ['SCAN', ''], ['SCAN', '-0'], ['SCAN', '+0'], ['SCAN', '00'],
      ['SCAN', 'x'], ['SCAN', '1.5'], ['SCAN', ' 1'], ['SCAN', '1 '], ['SCAN', '0x1'], ['SCAN', '-'], ['SCAN', '+'],
      ['SCAN', '18446744073709551616'], ['SCAN', '-18446744073709551616'], ['SCAN', '99999999999999999999999'],
      ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'COUNT', '9223372036854775808'],
      ['SCAN', '0', 'COUNT'], ['SCAN', '0', 'MATCH'], ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'FOO', 'bar'], ['SCAN', '0', 'COUNT', '0', 'FOO'],
      ['SCAN', 'x', 'COUNT', '0'], ['SCAN'],
    ],
  },
  {
    name: 'SCAN with many keys (cursor values differ by design)',
    steps: [
      ...Array.from({ length: 30 }, (_, i) => ({ argv: ['SET', `key:${i}`, 'v'], compare: 'skip' as const })),
      // A page's size is only a hint (Redis's depends on its hash table): a partial page compares cursor and kind,
      // pages that cover every key compare their size.
      shapeTo(1, 'SCAN', '0', 'COUNT', '5'), shape('SCAN', '0', 'COUNT', '1000'), shape('SCAN', '0', 'MATCH', 'key:1*', 'COUNT', '1000'), ['DBSIZE'],
    ],
  },
  {
    name: 'RANDOMKEY',
    steps: [['RANDOMKEY'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['RANDOMKEY', 'x'], ['DEL', 'only'], ['RANDOMKEY']],
  },
  {
    name: 'FLUSHDB and FLUSHALL',
    steps: [
      ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'b', '2'], ['FLUSHDB'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
      ['FLUSHDB', 'ASYNC'], ['DBSIZE'], ['SET', 'a', '1'], ['FLUSHDB', 'sync'], ['DBSIZE'],
      ['FLUSHDB', 'foo'], ['FLUSHDB', 'sync', 'async'], ['FLUSHALL', 'foo'], ['FLUSHALL', 'SYNC', 'SYNC'],
      ['SET', 'a', '1'], ['SELECT', '5'], ['SET', 'b', '2'], ['FLUSHALL', 'async'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
      ['SET', 'a', '1'], ['FLUSHALL', 'SYNC'], ['EXISTS', 'a'], ['FLUSHALL'],
    ],
  },
  {
    name: 'EXPIRE family: options',
    steps: [
      ['SET', 'k', 'v'],
      ['EXPIREAT', 'k', FAR_S, 'XX'], ['EXPIRETIME', 'k'], ['EXPIREAT', 'k', FAR_S, 'GT'], ['EXPIREAT', 'k', FAR_S, 'NX'],
      ['EXPIREAT', 'k', FAR_S], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'], ['PTTL', 'nokey'], near(2, 'TTL', 'k'), near(2000, 'PTTL', 'k'),
      ['EXPIREAT', 'k', '4102444900', 'NX'], ['EXPIREAT', 'k', '4102444900', 'XX'], ['EXPIRETIME', 'k'],
      ['EXPIREAT', 'k', '4102444800', 'GT'], ['EXPIREAT', 'k', '4102444950', 'gt'], ['EXPIRETIME', 'k'],
      ['EXPIREAT', 'k', '4102444990', 'LT'], ['EXPIREAT', 'k', '4102444850', 'lt'], ['EXPIRETIME', 'k'],
      ['EXPIREAT', 'k', '4102444850', 'XX', 'GT'], ['EXPIREAT', 'k', '4102444860', 'XX', 'GT', 'xx'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', FAR_MS], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4102444800500'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4102444800499'], ['EXPIRETIME', 'k'],
      ['PERSIST', 'k'], ['PERSIST', 'k'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
      ['EXPIREAT', 'k', FAR_S, 'GT'], ['EXPIREAT', 'k', FAR_S, 'XX'], ['EXPIREAT', 'k', FAR_S, 'LT'], ['EXPIRETIME', 'k'],
      ['PERSIST', 'k'], ['EXPIREAT', 'k', FAR_S, 'NX'], ['EXPIRETIME', 'k'],
      ['PERSIST', 'k'], ['EXPIRE', 'k', '100', 'GT'], ['EXPIRE', 'k', '100', 'XX'], ['EXPIRE', 'k', '100', 'NX'], near(2, 'TTL', 'k'),
      ['PEXPIRE', 'k', '100000', 'LT'], near(2000, 'PTTL', 'k'), ['PEXPIRE', 'k', '200000', 'LT'], ['PEXPIRE', 'k', '200000', 'GT'],
      ['EXPIRE', 'nokey', '100'], ['PEXPIRE', 'nokey', '100'], ['EXPIREAT', 'nokey', FAR_S], ['PEXPIREAT', 'nokey', FAR_MS],
      ['TTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'], ['PERSIST', 'nokey'],
    ],
  },
  {
    name: 'EXPIRE family: times in the past delete',
    steps: [
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-1'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '0'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIRE', 'a', '-100'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIREAT', 'a', '1'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '0'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-1', 'GT'], ['EXISTS', 'a'], ['EXPIRE', 'a', '-1', 'XX'], ['EXISTS', 'a'],
      ['EXPIRE', 'a', '-1', 'NX'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-1', 'LT'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIREAT', 'a', FAR_S], ['EXPIRE', 'a', '-5', 'LT'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '-9223372036854775808'], ['EXISTS', 'a'],
      ['SET', 'a', '1'], ['EXPIRE', 'a', '-9223372036854775'], ['EXISTS', 'a'],
    ],
  },
  {
    name: 'EXPIRE family: errors',
    steps: [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'NX', 'XX'], ['EXPIRE', 'k', '100', 'xx', 'nx'], ['EXPIRE', 'k', '100', 'NX', 'GT'], ['EXPIRE', 'k', '100', 'LT', 'NX'],
      ['EXPIRE', 'k', '100', 'GT', 'LT'], ['PEXPIRE', 'k', '100', 'lt', 'gt'], ['EXPIRE', 'k', '100', 'FOO'], ['EXPIRE', 'k', '100', 'NX', 'FOO'],
      ['EXPIRE', 'k', '100', 'NX', 'XX', 'FOO'], ['EXPIRE', 'k', 'abc', 'FOO'], ['EXPIRE', 'k', 'abc', 'NX', 'XX'], ['EXPIRE', 'k', 'abc', 'NX'],
      ['EXPIRE', 'k', 'bad\r\nopt', 'x\r\ny'], ['EXPIRE', 'nokey', '100', 'FOO'],
      ['EXPIRE', 'k', ''], ['EXPIRE', 'k', ' 1'], ['EXPIRE', 'k', '1.5'], ['EXPIRE', 'k', '01'], ['EXPIRE', 'k', '+1'],
      ['EXPIRE', 'k', '9223372036854775807'], ['EXPIRE', 'k', '9223372036854775808'], ['EXPIRE', 'k', '9223372036854775'],
      ['EXPIRE', 'k', '9223372036854774'], ['EXPIRE', 'k', '-9223372036854776'], ['EXPIRE', 'k', '-9223372036854775808'],
      ['EXPIRE', 'nokey', '9223372036854775807'], ['PEXPIRE', 'k', '9223372036854775807'], ['PEXPIRE', 'k', '9223372036854775000'],
      ['EXPIREAT', 'k', '9223372036854776'], ['EXPIREAT', 'k', '-9223372036854776'], ['PEXPIREAT', 'k', '9223372036854775808'],
      ['EXPIREAT', 'k', '9223372036854775'], ['EXISTS', 'k'],
      ['EXPIRE', 'k'], ['EXPIRE'], ['TTL'], ['TTL', 'a', 'b'], ['PERSIST'], ['EXPIRETIME', 'a', 'b'],
    ],
  },
  {
    name: 'MOVE',
    steps: [
      ['SET', 'a', '1'], ['MOVE', 'a', '0'], ['MOVE', 'nokey', '0'], ['MOVE', 'a', '16'], ['MOVE', 'a', '-1'], ['MOVE', 'a', 'x'],
      ['MOVE', 'a', '99999999999'], ['MOVE', 'a', '9223372036854775808'], ['MOVE', 'a', '01'], ['MOVE', 'nokey', '1'],
      ['EXPIREAT', 'a', FAR_S], ['MOVE', 'a', '1'], ['EXISTS', 'a'], ['SELECT', '1'], ['GET', 'a'], ['EXPIRETIME', 'a'],
      ['SET', 'b', 'one'], ['SELECT', '0'], ['SET', 'b', 'zero'], ['MOVE', 'b', '1'], ['GET', 'b'], ['SELECT', '1'], ['GET', 'b'],
      ['MOVE', 'a', '0'], ['SELECT', '0'], ['GET', 'a'], ['EXPIRETIME', 'a'], ['MOVE', 'a'],
    ],
  },
  {
    name: 'COPY',
    steps: [
      ['SET', 'a', 'va'], ['COPY', 'a', 'a'], ['COPY', 'nokey', 'x'], ['COPY', 'nokey', 'nokey'], ['COPY', 'a', 'a', 'DB', '0'],
      ['COPY', 'a', 'b'], ['GET', 'b'], ['COPY', 'a', 'b'], ['SET', 'a', 'va2'], ['COPY', 'a', 'b', 'REPLACE'], ['GET', 'b'],
      ['COPY', 'a', 'b', 'replace', 'REPLACE'], ['COPY', 'a', 'b', 'DB'], ['COPY', 'a', 'b', 'DB', 'x'], ['COPY', 'a', 'b', 'DB', '16'],
      ['COPY', 'a', 'b', 'DB', '-1'], ['COPY', 'a', 'b', 'FOO'], ['COPY', 'nokey', 'b', 'FOO'], ['COPY', 'a', 'a', 'DB', '99'], ['COPY', 'a', 'b', 'DB', '99999999999'], ['COPY', 'a', 'b', 'DB', '-99999999999'],
      ['COPY', 'a', 'a', 'DB', '1'], ['COPY', 'a', 'a', 'DB', '1'], ['COPY', 'a', 'a', 'db', '1', 'replace'],
      ['COPY', 'a', 'c', 'DB', '1', 'DB', '2'], ['SELECT', '2'], ['GET', 'c'], ['SELECT', '1'], ['GET', 'a'], ['EXISTS', 'c'], ['SELECT', '0'],
      ['EXPIREAT', 'a', FAR_S], ['COPY', 'a', 'd'], ['EXPIRETIME', 'd'], ['PERSIST', 'a'], ['EXPIRETIME', 'd'], ['TTL', 'a'],
      ['COPY', 'a'], ['SET', 'n', '42'], ['COPY', 'n', 'n2'], ['OBJECT', 'ENCODING', 'n2'], ['SET', 's', '5'], ['COPY', 's', 's2'], ['OBJECT', 'REFCOUNT', 's2'],
      ['RENAME', 's', 's3'], ['OBJECT', 'REFCOUNT', 's3'], ['MOVE', 's3', '1'], ['SELECT', '1'], ['OBJECT', 'REFCOUNT', 's3'],
    ],
  },
  {
    name: 'SWAPDB',
    steps: [
      ['SET', 'a', 'zero'], ['SELECT', '1'], ['SET', 'a', 'one'], ['SET', 'b', 'only1'], ['EXPIREAT', 'b', FAR_S],
      ['SWAPDB', '0', '1'], ['GET', 'a'], ['DBSIZE'], ['SELECT', '0'], ['GET', 'a'], ['GET', 'b'], ['EXPIRETIME', 'b'], ['DBSIZE'],
      ['SWAPDB', '0', '0'], ['GET', 'a'], ['SWAPDB', '1', '0'], ['GET', 'a'],
      ['SWAPDB', '0', '16'], ['SWAPDB', '16', '0'], ['SWAPDB', '-1', '0'], ['SWAPDB', 'x', '0'], ['SWAPDB', '0', 'x'], ['SWAPDB', 'x', 'y'],
      ['SWAPDB', '01', '1'], ['SWAPDB', '0', '99999999999'], ['SWAPDB', '0'], ['SWAPDB', '0', '1', '2'],
    ],
  },
  {
    name: 'OBJECT',
    steps: [
      ['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'REFCOUNT', 'nokey'], ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'nokey'],
      ['SET', 'i', '12345'], ['SET', 'z', '0'], ['SET', 's9', '9999'], ['SET', 's10', '10000'], ['SET', 'neg', '-1'],
      ['SET', 'e', 'hello'], ['SET', 'e44', 'x'.repeat(44)], ['SET', 'r45', 'x'.repeat(45)], ['SET', 'big', '12345678901234567890'],
      ['SET', 'lz', '012'], ['SET', 'sp', ' 1'], ['SET', 'max', '9223372036854775807'], ['SET', 'over', '9223372036854775808'],
      ...['i', 'z', 's9', 's10', 'neg', 'e', 'e44', 'r45', 'big', 'lz', 'sp', 'max', 'over'].flatMap((k) => [
        ['OBJECT', 'ENCODING', k],
        ['OBJECT', 'REFCOUNT', k],
      ]),
      ['object', 'encoding', 'i'], near(2, 'OBJECT', 'IDLETIME', 'i'), ['OBJECT', 'FREQ', 'i'],
      ['OBJECT', 'HELP'], ['object', 'help'], ['OBJECT', 'HELP', 'x'], ['OBJECT', 'FOO'], ['OBJECT', 'FOO', 'bar'],
      ['OBJECT'], ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'i', 'x'],
    ],
  },
];
