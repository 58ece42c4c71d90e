/**
 * Differential cases for the blocking list commands from one connection:
 * the immediate (non-blocking) path, argument errors in Redis's order of
 * checks, fractional and odd timeouts, wrong types, the timeout reply
 * (short timeouts), and the non-blocking behaviour inside MULTI/EXEC.
 * Clients actually woken by other clients are tested in
 * test/integration/blocking.test.ts.
 */
import type { DiffCase } from '../types.js';

const TIMEOUT_TEXTS = [
  'abc', '', ' 1', '1 ', '0.1x', 'nan', '-1', '-0.5', 'inf', '-inf', '+inf', '1e400', '1e5000', '1e-5000',
  '9223372036854776', '9.3e15', '1e17', '1e19',
];

export const cases: DiffCase[] = [
  {
    name: 'BLPOP/BRPOP pop at once from the first non-empty list',
    steps: [
      ['RPUSH', 'b', '1', '2', '3'], ['BLPOP', 'a', 'b', '0'], ['BRPOP', 'a', 'b', '1'], ['BLPOP', 'b', '0.5'],
      ['EXISTS', 'b'], ['RPUSH', 'c', 'x'], ['BRPOP', 'c', 'c', '0'], ['EXISTS', 'c'],
    ],
  },
  {
    name: 'BLPOP wrong types: an earlier string key errors, a later one does not matter',
    steps: [['SET', 's', 'v'], ['RPUSH', 'l', 'a', 'b'], ['BLPOP', 's', 'l', '0'], ['BLPOP', 'l', 's', '0'], ['BRPOP', 'nokey', 's', '0']],
  },
  {
    name: 'BLPOP arity and timeout errors',
    steps: [['BLPOP'], ['BLPOP', 'k'], ['BRPOP', 'k'], ...TIMEOUT_TEXTS.map((t) => ['BLPOP', 'k', t])],
  },
  { name: 'BLPOP timeout errors come before key types', steps: [['SET', 's', 'v'], ['BLPOP', 's', 'x'], ['BLPOP', 's', '-1']] },
  {
    name: 'blocking commands time out with a null reply',
    steps: [
      ['BLPOP', 'n', '0.01'], ['BRPOP', 'n', 'm', '0.001'], ['BLMOVE', 'n', 'm', 'LEFT', 'RIGHT', '0.01'],
      ['BRPOPLPUSH', 'n', 'm', '0.01'], ['BLMPOP', '0.01', '2', 'n', 'm', 'LEFT'], ['BLPOP', 'n', '0x1p-8'], ['BLPOP', 'n', '1e-9'],
    ],
  },
  {
    name: 'BLMOVE/BRPOPLPUSH move at once, rotate, create the destination',
    steps: [
      ['RPUSH', 's', 'a', 'b', 'c'], ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '0'], ['BLMOVE', 's', 'd', 'right', 'left', '0'],
      ['BRPOPLPUSH', 's', 's', '0'], ['LRANGE', 's', '0', '-1'], ['LRANGE', 'd', '0', '-1'], ['BRPOPLPUSH', 's', 'd', '0'],
      ['EXISTS', 's'], ['LRANGE', 'd', '0', '-1'],
    ],
  },
  {
    name: 'BLMOVE/BRPOPLPUSH errors in order: directions, timeout, source type, destination type',
    steps: [
      ['SET', 'str', 'v'], ['RPUSH', 'l', 'a'], ['BLMOVE', 'l', 'd', 'UP', 'LEFT', 'x'], ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', 'x'],
      ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '-1'], ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', '0'], ['BLMOVE', 'l', 'str', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'l', 'str', '0'], ['BRPOPLPUSH', 'str', 'l', '0'], ['BRPOPLPUSH', 'l', 'd', 'nan'], ['LRANGE', 'l', '0', '-1'],
      ['BLMOVE', 'nokey', 'str', 'LEFT', 'LEFT', '0.01'], ['BLMOVE', 'l', 'd', 'LEFT'], ['BRPOPLPUSH', 'l', 'd'],
    ],
  },
  {
    name: 'BLMPOP pops at once with COUNT and checks its arguments in order',
    steps: [
      ['RPUSH', 'b', '1', '2', '3', '4'], ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'],
      ['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '10'], ['EXISTS', 'b'],
      ['BLMPOP', 'x', '1', 'a', 'LEFT'], ['BLMPOP', '0', '0', 'a', 'LEFT'], ['BLMPOP', '0', '-1', 'a', 'LEFT'], ['BLMPOP', '0', '3', 'a', 'LEFT'],
      ['BLMPOP', '0', '1', 'a', 'UP'], ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '0'], ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT'],
      ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '1'], ['BLMPOP', '0', '1', 'a', 'LEFT', 'EXTRA'], ['BLMPOP', '-1', '1', 'a', 'LEFT'],
      ['SET', 's', 'v'], ['BLMPOP', '0', '2', 's', 'a', 'LEFT'], ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '99999999999999999999'],
    ],
  },
  {
    name: 'inside MULTI blocking commands do not block',
    steps: [
      ['RPUSH', 'l', 'a'], ['MULTI'], ['BLPOP', 'n', '0'], ['BRPOP', 'n', 'l', '0'], ['BLMOVE', 'n', 'd', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'n', 'd', '0'], ['BLMPOP', '0', '1', 'n', 'LEFT'], ['BLPOP', 'n', 'x'], ['EXEC'],
      ['MULTI'], ['RPUSH', 'l', 'b'], ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', '0'], ['BLPOP', 'd', '0'], ['EXEC'],
    ],
  },
  {
    name: 'BZPOPMIN/BZPOPMAX pop at once from the first non-empty sorted set',
    steps: [
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c', 'inf', 'd'], ['BZPOPMIN', 'nokey', 'z', '0'], ['BZPOPMAX', 'z', 'nokey', '0.1'],
      ['BZPOPMAX', 'z', '0'], ['BZPOPMIN', 'z', 'z', '0'], ['EXISTS', 'z'], ['BZPOPMIN', 'z', '0.01'], ['BZPOPMAX', 'z', '0.01'],
    ],
  },
  {
    name: 'BZPOPMIN/BZPOPMAX errors',
    steps: [
      ['SET', 's', 'v'], ['RPUSH', 'l', 'x'], ['ZADD', 'z', '1', 'a'], ['BZPOPMIN', 'z'], ['BZPOPMAX'], ['BZPOPMIN', 's', '0'],
      ['BZPOPMIN', 'l', 'z', '0'], ['BZPOPMAX', 'z', 'l', '0'], ['BZPOPMIN', 'z', 'x'], ['BZPOPMIN', 's', '-1'], ['ZADD', 'z', '1', 'a'], ['BLPOP', 'z', '0'],
    ],
  },
  {
    name: 'BZMPOP pops at once with COUNT and checks its arguments in order',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '-4.5', 'd'], ['BZMPOP', '0', '2', 'n', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'max', 'COUNT', '2'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '10'], ['EXISTS', 'z'], ['BZMPOP', '0.01', '1', 'z', 'MIN'],
      ['BZMPOP', 'x', '1', 'z', 'MIN'], ['BZMPOP', '0', '0', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'MIDDLE'], ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT'], ['BZMPOP', '0', '2', 'z'], ['BZMPOP', '-1', '1', 'z', 'MIN'],
      ['SET', 's', 'v'], ['BZMPOP', '0', '2', 's', 'z', 'MIN'],
    ],
  },
  {
    name: 'inside MULTI BZPOPMIN/BZPOPMAX/BZMPOP do not block',
    steps: [['MULTI'], ['BZPOPMIN', 'n', '0'], ['BZPOPMAX', 'n', '0'], ['BZMPOP', '0', '1', 'n', 'MIN'], ['ZADD', 'z', '1', 'a'], ['BZPOPMAX', 'z', '0'], ['EXEC']],
  },
  {
    name: 'CLIENT UNBLOCK arguments',
    steps: [
      ['CLIENT', 'UNBLOCK'], ['CLIENT', 'UNBLOCK', 'x'], ['CLIENT', 'UNBLOCK', 'x', 'foo'], ['CLIENT', 'UNBLOCK', '1', 'foo'],
      ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT'], ['CLIENT', 'UNBLOCK', '999999', 'error'], ['CLIENT', 'UNBLOCK', '999999', 'timeout', 'x'],
      ['CLIENT', 'UNBLOCK', '-5'],
    ],
  },
];
