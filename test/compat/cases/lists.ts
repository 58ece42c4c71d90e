/**
 * Differential cases for the list commands: every command with its errors
 * and order of checks, negative and huge indexes, empty results, wrong
 * types against a string key, binary elements, OBJECT ENCODING and DEBUG
 * DIGEST-VALUE (which must equal Redis's digest of the same list).
 */
import type { DiffCase } from '../types.js';

const BIG = '9223372036854775807';
const SMALL = '-9223372036854775808';

export const cases: DiffCase[] = [
  {
    name: 'LPUSH RPUSH LPUSHX RPUSHX LLEN',
    steps: [
      ['LPUSH', 'l', 'a', 'b', 'c'], ['RPUSH', 'l', 'd', 'e'], ['LRANGE', 'l', '0', '-1'], ['LLEN', 'l'],
      ['LPUSHX', 'l', 'x', 'y'], ['RPUSHX', 'l', 'z'], ['LRANGE', 'l', '0', '-1'],
      ['LPUSHX', 'nokey', 'x'], ['RPUSHX', 'nokey', 'x'], ['EXISTS', 'nokey'], ['LLEN', 'nokey'],
      ['LPUSH', 'l'], ['RPUSH'], ['LPUSHX', 'l'], ['LLEN'], ['LLEN', 'l', 'x'],
      ['SET', 's', 'v'], ['LPUSH', 's', 'a'], ['RPUSH', 's', 'a'], ['LPUSHX', 's', 'a'], ['RPUSHX', 's', 'a'], ['LLEN', 's'],
      ['TYPE', 'l'], ['OBJECT', 'ENCODING', 'l'], ['DEBUG', 'DIGEST-VALUE', 'l'],
      ['RPUSH', 'bin', '\x00\xff\r\n', '', '12', '-0', '007', '9223372036854775808', '-1.5'],
      ['LRANGE', 'bin', '0', '-1'], ['DEBUG', 'DIGEST-VALUE', 'bin'], ['DEBUG', 'DIGEST'],
    ],
  },
  {
    name: 'LPOP and RPOP with and without count',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', '2'], ['RPOP', 'l', '1'], ['LPOP', 'l', '0'], ['RPOP', 'l', '0'],
      ['LPOP', 'l', '-1'], ['LPOP', 'l', 'x'], ['LPOP', 'l', '1.5'], ['RPOP', 'l', BIG], ['EXISTS', 'l'],
      ['LPOP', 'nokey'], ['RPOP', 'nokey'], ['LPOP', 'nokey', '0'], ['RPOP', 'nokey', '3'], ['LPOP', 'nokey', '-1'],
      ['RPUSH', 'm', 'a'], ['LPOP', 'm', '5'], ['EXISTS', 'm'],
      ['LPOP', 'm', '1', '2'], ['RPOP', 'm', '1', '2'], ['LPOP'],
      ['SET', 's', 'v'], ['LPOP', 's'], ['RPOP', 's', '2'], ['LPOP', 's', '-1'], ['RPOP', 's', '0'],
    ],
  },
  {
    name: 'LRANGE indexes',
    steps: [
      ['RPUSH', 'l', '1', '2', '3', '4', '5'],
      ['LRANGE', 'l', '0', '0'], ['LRANGE', 'l', '-1', '-1'], ['LRANGE', 'l', '1', '3'], ['LRANGE', 'l', '-3', '-2'],
      ['LRANGE', 'l', '-100', '100'], ['LRANGE', 'l', '3', '1'], ['LRANGE', 'l', '5', '10'], ['LRANGE', 'l', '-100', '-6'],
      ['LRANGE', 'l', SMALL, BIG], ['LRANGE', 'l', BIG, SMALL], ['LRANGE', 'l', '0', '9223372036854775808'],
      ['LRANGE', 'l', 'x', '1'], ['LRANGE', 'l', '0', '1.0'], ['LRANGE', 'nokey', '0', '-1'], ['LRANGE', 'nokey', 'x', '1'],
      ['SET', 's', 'v'], ['LRANGE', 's', '0', '-1'], ['LRANGE', 's', 'x', '1'], ['LRANGE', 'l', '0'],
    ],
  },
  {
    name: 'LINDEX and LSET',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LINDEX', 'l', '0'], ['LINDEX', 'l', '2'], ['LINDEX', 'l', '3'], ['LINDEX', 'l', '-1'], ['LINDEX', 'l', '-3'], ['LINDEX', 'l', '-4'],
      ['LINDEX', 'l', BIG], ['LINDEX', 'l', SMALL], ['LINDEX', 'l', 'x'], ['LINDEX', 'l', '-0'], ['LINDEX', 'l', '+1'], ['LINDEX', 'l', ' 1'],
      ['LINDEX', 'l', '01'], ['LINDEX', 'l', '9223372036854775808'], ['LINDEX', 'nokey', 'x'], ['LINDEX', 'nokey', '0'],
      ['LSET', 'l', '0', 'A'], ['LSET', 'l', '-1', 'C'], ['LSET', 'l', '3', 'x'], ['LSET', 'l', '-4', 'x'], ['LSET', 'l', 'x', 'y'],
      ['LSET', 'l', '1', 'b'], ['LRANGE', 'l', '0', '-1'],
      ['LSET', 'nokey', '0', 'x'], ['LSET', 'nokey', 'x', 'y'],
      ['SET', 's', 'v'], ['LINDEX', 's', '0'], ['LINDEX', 's', 'x'], ['LSET', 's', '0', 'x'], ['LSET', 's', 'x', 'y'],
      ['LINDEX', 'l'], ['LSET', 'l', '0'],
    ],
  },
  {
    name: 'LINSERT',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'a'],
      ['LINSERT', 'l', 'BEFORE', 'a', 'x'], ['LINSERT', 'l', 'after', 'a', 'y'], ['LINSERT', 'l', 'After', 'b', 'z'],
      ['LINSERT', 'l', 'before', 'nope', 'q'], ['LRANGE', 'l', '0', '-1'], ['LINSERT', 'l', 'middle', 'a', 'q'],
      ['LINSERT', 'nokey', 'before', 'a', 'b'], ['LINSERT', 'nokey', 'foo', 'a', 'b'], ['EXISTS', 'nokey'],
      ['SET', 's', 'v'], ['LINSERT', 's', 'before', 'a', 'b'], ['LINSERT', 's', 'foo', 'a', 'b'], ['LINSERT', 'l', 'before', 'a'],
    ],
  },
  {
    name: 'LREM',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'],
      ['LREM', 'l', '1', 'a'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '-2', 'a'], ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'b'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '0', 'nope'], ['LREM', 'l', BIG, 'a'],
      ['LREM', 'l', SMALL, 'c'], ['EXISTS', 'l'], ['LREM', 'nokey', '0', 'a'], ['LREM', 'nokey', 'x', 'a'], ['LREM', 'l', '1.5', 'a'],
      ['SET', 's', 'v'], ['LREM', 's', '0', 'a'], ['LREM', 's', 'x', 'a'], ['LREM', 'l', '0'],
    ],
  },
  {
    name: 'LTRIM',
    steps: [
      ['RPUSH', 'l', '1', '2', '3', '4', '5', '6'],
      ['LTRIM', 'l', '1', '-2'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '-100', '100'],
      ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '1', '1'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '5', '10'], ['EXISTS', 'l'],
      ['RPUSH', 'm', 'a', 'b'], ['LTRIM', 'm', '1', '0'], ['EXISTS', 'm'], ['RPUSH', 'm', 'a', 'b'], ['LTRIM', 'm', SMALL, BIG],
      ['LRANGE', 'm', '0', '-1'], ['LTRIM', 'm', BIG, SMALL], ['EXISTS', 'm'],
      ['LTRIM', 'nokey', '0', '1'], ['LTRIM', 'nokey', 'x', '1'], ['LTRIM', 'nokey', '0', 'x'],
      ['SET', 's', 'v'], ['LTRIM', 's', '0', '1'], ['LTRIM', 's', 'x', '1'], ['LTRIM', 's', '0'],
    ],
  },
  {
    name: 'LPOS',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'a', 'c'],
      ['LPOS', 'l', 'a'], ['LPOS', 'l', 'c'], ['LPOS', 'l', 'nope'], ['LPOS', 'l', 'a', 'RANK', '2'], ['LPOS', 'l', 'a', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'RANK', '-3'], ['LPOS', 'l', 'a', 'RANK', '4'], ['LPOS', 'l', 'a', 'COUNT', '0'], ['LPOS', 'l', 'a', 'COUNT', '2'],
      ['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', '-1'], ['LPOS', 'l', 'a', 'RANK', '2', 'COUNT', '5'], ['LPOS', 'l', 'a', 'MAXLEN', '3'],
      ['LPOS', 'l', 'a', 'MAXLEN', '3', 'COUNT', '0'], ['LPOS', 'l', 'a', 'MAXLEN', '1', 'RANK', '2'], ['LPOS', 'l', 'c', 'MAXLEN', '2', 'RANK', '-1'],
      ['LPOS', 'l', 'nope', 'COUNT', '0'], ['LPOS', 'l', 'a', 'rank', '1', 'RANK', '3'], ['LPOS', 'l', 'a', 'count', '1', 'maxlen', '0'],
      ['LPOS', 'l', 'a', 'RANK', BIG], ['LPOS', 'l', 'a', 'RANK', SMALL], ['LPOS', 'l', 'a', 'RANK', SMALL, 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775807'], ['LPOS', 'l', 'a', 'COUNT', BIG], ['LPOS', 'l', 'a', 'MAXLEN', BIG],
      ['LPOS', 'l', 'a', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', 'x'], ['LPOS', 'l', 'a', 'COUNT', '-1'], ['LPOS', 'l', 'a', 'COUNT', 'x'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'], ['LPOS', 'l', 'a', 'MAXLEN', 'x'], ['LPOS', 'l', 'a', 'RANK'], ['LPOS', 'l', 'a', 'foo', '1'],
      ['LPOS', 'l', 'a', 'COUNT', '-1', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', '0', 'COUNT', '-1'],
      ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '0'], ['LPOS', 'nokey', 'a', 'RANK', '0'],
      ['SET', 's', 'v'], ['LPOS', 's', 'a'], ['LPOS', 's', 'a', 'COUNT', '1'], ['LPOS', 's', 'a', 'RANK', '0'], ['LPOS', 'l'],
    ],
  },
  {
    name: 'LMOVE and RPOPLPUSH',
    steps: [
      ['RPUSH', 'src', 'a', 'b', 'c'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], ['LMOVE', 'src', 'dst', 'right', 'left'], ['LRANGE', 'src', '0', '-1'], ['LRANGE', 'dst', '0', '-1'],
      ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'], ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'dst', 'dst', 'left', 'left'], ['LRANGE', 'dst', '0', '-1'],
      ['LMOVE', 'src', 'dst', 'Left', 'Left'], ['EXISTS', 'src'], ['LRANGE', 'dst', '0', '-1'],
      ['RPOPLPUSH', 'dst', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'dst', 'other'], ['LRANGE', 'other', '0', '-1'],
      ['RPUSH', 'one', 'x'], ['RPOPLPUSH', 'one', 'one'], ['LRANGE', 'one', '0', '-1'], ['LMOVE', 'one', 'one', 'RIGHT', 'RIGHT'],
      ['LMOVE', 'nokey', 'dst', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'nokey', 'dst'], ['LMOVE', 'src', 'dst', 'UP', 'LEFT'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'DOWN'], ['LMOVE', 'nokey', 'dst', 'UP', 'LEFT'],
      ['SET', 's', 'v'], ['LMOVE', 's', 'dst', 'LEFT', 'LEFT'], ['LMOVE', 'dst', 's', 'LEFT', 'LEFT'], ['LRANGE', 'dst', '0', '-1'],
      ['LMOVE', 'nokey', 's', 'LEFT', 'LEFT'], ['RPOPLPUSH', 's', 'dst'], ['RPOPLPUSH', 'dst', 's'], ['RPOPLPUSH', 'nokey', 's'],
      ['LMOVE', 's', 'dst', 'LEFT'], ['RPOPLPUSH', 's'],
    ],
  },
  {
    name: 'LMPOP',
    steps: [
      ['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', 'x', 'y'],
      ['LMPOP', '2', 'nokey', 'a', 'LEFT'], ['LMPOP', '2', 'nokey', 'a', 'right', 'COUNT', '1'], ['LMPOP', '1', 'a', 'LEFT', 'count', '10'],
      ['EXISTS', 'a'], ['LMPOP', '3', 'a', 'nokey', 'b', 'RIGHT', 'COUNT', '2'], ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['LMPOP', '1', 'nokey', 'LEFT', 'COUNT', BIG],
      ['RPUSH', 'c', '1'], ['LMPOP', '1', 'c', 'LEFT', 'COUNT', BIG],
      ['LMPOP', '0', 'a', 'LEFT'], ['LMPOP', '-1', 'a', 'LEFT'], ['LMPOP', 'x', 'a', 'LEFT'], ['LMPOP', '5', 'a', 'LEFT'],
      ['LMPOP', '2', 'a', 'LEFT'], ['LMPOP', BIG, 'a', 'LEFT'], ['LMPOP', '1', 'a', 'MIDDLE'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'], ['LMPOP', '1', 'a', 'LEFT', 'foo'], ['LMPOP', '0', 'a', 'MIDDLE'],
      ['LMPOP', '1', 'a', 'MIDDLE', 'COUNT', '0'],
      ['SET', 's', 'v'], ['RPUSH', 'l', 'e'], ['LMPOP', '1', 's', 'LEFT'], ['LMPOP', '2', 'nokey', 's', 'LEFT'], ['LMPOP', '2', 's', 'l', 'LEFT'],
      ['LMPOP', '2', 'l', 's', 'LEFT'], ['LMPOP', '1'], ['LMPOP', '1', 'l'],
    ],
  },
  {
    name: 'OBJECT ENCODING is quicklist whatever list-max-listpack-size says',
    steps: [
      ['CONFIG', 'SET', 'list-max-listpack-size', '1'], ['RPUSH', 'a', 'x', 'y', 'z'], ['OBJECT', 'ENCODING', 'a'],
      ['CONFIG', 'SET', 'list-max-ziplist-size', '-5'], ['RPUSH', 'b', 'x'.repeat(70000)], ['OBJECT', 'ENCODING', 'b'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['RPUSH', 'c', 'x'], ['OBJECT', 'ENCODING', 'c'], ['LPOP', 'a', '3'],
      ['OBJECT', 'ENCODING', 'a'], ['DEBUG', 'DIGEST-VALUE', 'b'],
    ],
  },
  {
    name: 'list keys with expiry, COPY and RENAME',
    steps: [
      ['RPUSH', 'l', 'a', 'b'], ['EXPIREAT', 'l', '4102444800'], ['RPUSH', 'l', 'c'], ['EXPIRETIME', 'l'], ['LPOP', 'l', '3'],
      ['EXISTS', 'l'], ['RPUSH', 'l', 'x'], ['EXPIRETIME', 'l'], ['COPY', 'l', 'l2'], ['RPUSH', 'l2', 'y'], ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'l2', '0', '-1'], ['RENAME', 'l2', 'l3'], ['LRANGE', 'l3', '0', '-1'], ['TYPE', 'l3'], ['OBJECT', 'ENCODING', 'l3'],
      ['DEBUG', 'DIGEST-VALUE', 'l', 'l3'], ['SCAN', '0', 'TYPE', 'list', 'MATCH', 'l3'],
      ['GET', 'l'], ['INCR', 'l'], ['APPEND', 'l', 'x'], ['SET', 'l', 'v'], ['TYPE', 'l'],
    ],
  },
];
