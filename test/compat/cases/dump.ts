/**
 * Differential cases for DUMP and RESTORE: the payloads DUMP produces for
 * small values of every type and encoding (deterministic, so compared byte
 * for byte), and every way RESTORE refuses: a wrong checksum or version
 * footer, a truncated or malformed payload, an existing key, a bad TTL,
 * bad IDLETIME/FREQ values and syntax errors. Payloads are built here from
 * the documented format (type byte, value, 2-byte RDB version, CRC-64).
 */
import { shape, near, type DiffCase } from '../types.js';
import { Crc64 } from '../../../src/persistence/rdb/crc64.js';

const FAR_MS = '4102444800123';

/** A DUMP payload (latin1) of a value body: body, the version little-endian, then the CRC-64 of both. */
function payload(body: string, version = 10): string {
  const head = Buffer.from(body + String.fromCharCode(version & 0xff, version >> 8), 'latin1');
  const crc = new Crc64();
  crc.update(head);
  return head.toString('latin1') + crc.bytes().toString('latin1');
}

/** A string value's body: type 0, a 6-bit length, the bytes. */
const stringBody = (s: string) => `\x00${String.fromCharCode(s.length)}${s}`;

const HELLO = payload(stringBody('hello'));
/** HELLO with the last CRC byte changed. */
const BAD_CRC = HELLO.slice(0, -1) + String.fromCharCode(HELLO.charCodeAt(HELLO.length - 1) ^ 1);

/**
 * Payloads RESTORE must refuse, or (where Redis does not notice, like a
 * string whose length runs into the footer or ends before it) accept the
 * same way: wrong versions, cut short at either end, lengths past the
 * body, empty body, unknown type 30, empty list and set, a set with a
 * duplicate member, a stream (type 15).
 */
const MALFORMED = [
  payload(stringBody('hello'), 11),
  payload(stringBody('hello'), 0x100a),
  HELLO.slice(0, -1),
  HELLO.slice(1),
  payload('\x00\x09hello'),
  payload('\x00\x05hello!'),
  payload('\x00'),
  payload(''),
  payload('\x1e\x01x'),
  payload('\x12\x00'),
  payload('\x02\x00'),
  payload('\x02\x02\x01a\x01a'),
  payload('\x0f\x00'),
];

export const cases: DiffCase[] = [
  {
    name: 'DUMP payloads of small values (rdbcompression off)',
    steps: [
      ['CONFIG', 'SET', 'rdbcompression', 'no'],
      ['DUMP', 'nokey'],
      ['SET', 's', 'hello'],
      ['DUMP', 's'],
      ['SET', 'i8', '12'],
      ['DUMP', 'i8'],
      ['SET', 'i16', '-300'],
      ['DUMP', 'i16'],
      ['SET', 'i32', '2000000000'],
      ['DUMP', 'i32'],
      ['SET', 'i64', '9000000000000'],
      ['DUMP', 'i64'],
      ['SET', 'lead0', '007'],
      ['DUMP', 'lead0'],
      ['SET', 'empty', ''],
      ['DUMP', 'empty'],
      ['SET', 'bin', '\x00\xff\r\n'],
      ['DUMP', 'bin'],
      ['SET', 'long', 'abc'.repeat(30)],
      ['DUMP', 'long'],
      ['SETRANGE', 'sr', '3', 'x'],
      ['DUMP', 'sr'],
      ['RPUSH', 'l', 'a', '1', '-2', '300', '70000', '5000000000', '', 'x'.repeat(70)],
      ['DUMP', 'l'],
      ['SADD', 'si', '3', '1', '-2'],
      ['DUMP', 'si'],
      ['SADD', 'si32', '1', '70000'],
      ['DUMP', 'si32'],
      ['SADD', 'si64', '1', '5000000000'],
      ['DUMP', 'si64'],
      ['SADD', 'sh', 'only'],
      ['DUMP', 'sh'],
      ['HSET', 'h', 'f', 'v', '1', '2', 'neg', '-9000000000'],
      ['DUMP', 'h'],
      ['HSET', 'hh', 'f', 'v'.repeat(65)],
      ['DUMP', 'hh'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e300', 'e', '0.1', 'f'],
      ['DUMP', 'z'],
      ['ZADD', 'zs', '1', 'm'.repeat(65), '-0.5', 'n', 'inf', 'o'],
      ['DUMP', 'zs'],
      ['CONFIG', 'SET', 'rdbcompression', 'yes'],
    ],
  },
  {
    name: 'DUMP of lists cut into quicklist nodes by count and by size',
    steps: [
      ['CONFIG', 'SET', 'rdbcompression', 'no'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '5'],
      ['RPUSH', 'bycount', ...Array.from({ length: 23 }, (_, i) => (i % 4 ? String(i * 1000) : 'v'.repeat(i * 90)))],
      ['DUMP', 'bycount'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-1'],
      ['RPUSH', 'bysize', ...Array.from({ length: 300 }, (_, i) => (i % 2 ? String(i - 150) : `item-${i}`)), 'w'.repeat(3000), 'x'],
      ['DUMP', 'bysize'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      ['CONFIG', 'SET', 'rdbcompression', 'yes'],
    ],
  },
  {
    // Elements at least as long as the threshold get a quicklist node of their own (container 1, the raw
    // bytes), and stay so when the threshold changes back; RESTORE keeps a payload's plain nodes.
    name: 'DUMP of lists with plain quicklist nodes (DEBUG QUICKLIST-PACKED-THRESHOLD)',
    steps: [
      ['CONFIG', 'SET', 'rdbcompression', 'no'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10b'],
      ['RPUSH', 'p', 'a', 'bb', 'x'.repeat(10), 'c', 'y'.repeat(20), 'd', 'e'],
      ['DUMP', 'p'],
      ['LPUSH', 'p', 'z'.repeat(12)],
      ['DUMP', 'p'],
      ['LSET', 'p', '0', 'w'.repeat(11)],
      ['DUMP', 'p'],
      ['RPUSH', 'q', 'aa', 'bb'],
      ['LSET', 'q', '0', 'x'.repeat(10)],
      ['LRANGE', 'q', '0', '-1'],
      ['DUMP', 'q'],
      ['RPUSH', 'r', 's'.repeat(10), 't'.repeat(10)],
      ['LINSERT', 'r', 'AFTER', 's'.repeat(10), 'u'.repeat(10)],
      ['DUMP', 'r'],
      ['RPOP', 'r'],
      ['LPOP', 'r'],
      ['DUMP', 'r'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
      ['DUMP', 'p'],
      ['RPUSH', 'p', 'v'.repeat(10)],
      ['DUMP', 'p'],
      ['LRANGE', 'p', '0', '-1'],
      ['RESTORE', 'plain', '0', payload('\x12\x03\x01\x01a\x02\x0a\x0a\x00\x00\x00\x01\x00\x81c\x02\xff\x01\x02bb')],
      ['LRANGE', 'plain', '0', '-1'],
      ['DUMP', 'plain'],
      ['OBJECT', 'ENCODING', 'plain'],
      ['CONFIG', 'SET', 'rdbcompression', 'yes'],
    ],
  },
  {
    // nodis's LZF compressor is its own (see rdb/lzf.ts): its output decodes
    // anywhere but is not liblzf's byte for byte, so only short values compare.
    name: 'DUMP with rdbcompression on',
    steps: [
      ['SET', 'short', 'abcabcabcabcabcabcab'],
      ['DUMP', 'short'],
      ['SET', 'lzf', 'abcabcabcabcabcabcabcabcabcabc'],
      shape('DUMP', 'lzf'),
      ['SET', 'random', '\x01\x92\x13\xa4\x35\xb6\x47\xc8\x59\xda\x6b\xec\x7d\xfe\x0f\x80\x11\x22\x33\x44\x55\x66'],
      ['DUMP', 'random'],
    ],
  },
  {
    name: 'DUMP then RESTORE round trips',
    steps: [
      ['RPUSH', 'l', 'a', 'b', '1'],
      ['HSET', 'h', 'f', 'v'],
      ['ZADD', 'z', '1.5', 'm'],
      ['SADD', 's', '1', 'x'],
      ['RESTORE', 'l2', '0', payload('\x12\x01\x02\x0f\x0f\x00\x00\x00\x03\x00\x81a\x02\x81b\x02\x01\x01\xff')],
      ['LRANGE', 'l2', '0', '-1'],
      ['OBJECT', 'ENCODING', 'l2'],
      ['RESTORE', 'str', '0', HELLO],
      ['GET', 'str'],
      ['TTL', 'str'],
      ['OBJECT', 'ENCODING', 'str'],
      ['RESTORE', 'str', '0', HELLO, 'REPLACE'],
      ['GET', 'str'],
      ['RESTORE', 'abs', FAR_MS, HELLO, 'ABSTTL'],
      ['PEXPIRETIME', 'abs'],
      shape('RESTORE', 'rel', '100000', HELLO),
      near(2000, 'PTTL', 'rel'),
      ['RESTORE', 'past', '1', HELLO, 'ABSTTL'],
      ['EXISTS', 'past'],
      ['SET', 'gone', 'x'],
      ['RESTORE', 'gone', '1', HELLO, 'ABSTTL', 'REPLACE'],
      ['EXISTS', 'gone'],
      ['RESTORE', 'idle', '0', HELLO, 'IDLETIME', '1000'],
      near(2, 'OBJECT', 'IDLETIME', 'idle'),
      ['RESTORE', 'freq', '0', HELLO, 'FREQ', '100'],
      ['GET', 'freq'],
      ['RESTORE', 'old', '0', payload(stringBody('v9'), 9)],
      ['GET', 'old'],
      ['RESTORE', 'opts', '0', HELLO, 'replace', 'absttl', 'idletime', '5'],
      ['GET', 'opts'],
    ],
  },
  {
    name: 'RESTORE errors',
    steps: [
      ['RESTORE', 'k', '0'],
      ['RESTORE', 'k'],
      ['RESTORE', 'k', '0', 'garbage'],
      ['RESTORE', 'k', '0', ''],
      ['RESTORE', 'k', '0', BAD_CRC],
      ...MALFORMED.flatMap((p, i) => [
        ['RESTORE', `bad${i}`, '0', p],
        ['EXISTS', `bad${i}`],
        ['DUMP', `bad${i}`],
      ]),
      ['SET', 'busy', 'x'],
      ['RESTORE', 'busy', '0', HELLO],
      ['RESTORE', 'busy', '0', 'garbage'],
      ['RESTORE', 'busy', '-1', HELLO],
      ['RESTORE', 'k', '-1', HELLO],
      ['RESTORE', 'k', 'abc', HELLO],
      ['RESTORE', 'k', '1.5', HELLO],
      ['RESTORE', 'k', '-1', 'garbage'],
      ['RESTORE', 'k', '0', HELLO, 'FOO'],
      ['RESTORE', 'k', '0', HELLO, 'REPLACE', 'x'],
      ['RESTORE', 'k', '0', 'garbage', 'FOO'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME', '-1'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME', 'x'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '256'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '-1'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', 'x'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME', '1', 'FREQ', '1'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '1', 'IDLETIME', '1'],
      ['RESTORE', 'busy', '0', HELLO, 'FOO'],
      ['RESTORE', 'busy', 'x', HELLO, 'IDLETIME', '-1'],
      ['EXISTS', 'k'],
      ['GET', 'busy'],
      ['DUMP'],
      ['DUMP', 'a', 'b'],
    ],
  },
];
