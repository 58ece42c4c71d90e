/**
 * Differential cases for the sorted set commands. Replies are ordered by
 * score then member bytes, so they compare exactly at every size; random
 * replies compare only where deterministic (a count covering the whole set,
 * one-member sets, empty results) or by shape (kinds and sizes), and ZSCAN only on
 * listpack-encoded sets (a skiplist's scan follows Redis's hash table).
 */
import { shape, type DiffCase } from '../types.js';


/** ZADD arguments for n members m0…m(n-1) with scores i * step. */
function many(key: string, n: number, step = 1): string[] {
  const argv = ['ZADD', key];
  for (let i = 0; i < n; i++) argv.push(String(i * step), `m${i}`);
  return argv;
}

const WRONG = ['ZADD', 'ZINCRBY', 'ZREM', 'ZCARD', 'ZSCORE', 'ZMSCORE', 'ZRANK', 'ZREVRANK'];

export const cases: DiffCase[] = [
  {
    name: 'ZADD basics and flags',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', '5', 'a', '6', 'd'],
      ['ZADD', 'z', 'CH', '5', 'a', '7', 'b', '8', 'e'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZADD', 'z', 'NX', '100', 'a', '9', 'f'], ['ZADD', 'z', 'XX', '100', 'a', '9', 'g'], ['ZSCORE', 'z', 'g'],
      ['ZADD', 'z', 'GT', 'CH', '1', 'a', '200', 'b'], ['ZADD', 'z', 'LT', 'CH', '1', 'a', '300', 'b', '0', 'h'],
      ['ZADD', 'z', 'XX', 'GT', 'CH', '1000', 'a', '1', 'zz'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZADD', 'z', 'INCR', '5', 'a'], ['ZADD', 'z', 'INCR', '-5', 'new'], ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
      ['ZADD', 'z', 'XX', 'INCR', '1', 'missing'], ['ZADD', 'z', 'GT', 'INCR', '-1', 'a'], ['ZADD', 'z', 'LT', 'INCR', '-1', 'a'],
      ['ZADD', 'z', 'INCR', '0', 'a'], ['ZADD', 'z', 'incr', 'gt', 'ch', '1', 'a'],
      ['ZADD', 'nokey', 'XX', '1', 'a'], ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'], ['EXISTS', 'nokey'],
      ['ZADD', 'z', 'XX', 'NX', '1', 'a'], ['ZADD', 'z', 'GT', 'LT', '1', 'a'], ['ZADD', 'z', 'NX', 'GT', '1', 'a'],
      ['ZADD', 'z', 'NX', 'LT', '1', 'a'], ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'], ['ZADD', 'z', '1'], ['ZADD', 'z'],
      ['ZADD', 'z', 'CH'], ['ZADD', 'z', 'CH', '1'], ['ZADD', 'z', '1', 'a', '2'], ['ZADD', 'z', 'x', 'a'],
      ['ZADD', 'z', 'nan', 'a'], ['ZADD', 'z', '1', 'a', 'x', 'b'], ['ZADD', 'z', 'foo', '1', 'a'],
      ['ZADD', 'z', ' 1', 'a'], ['ZADD', 'z', '1 ', 'a'], ['ZADD', 'z', '', 'a'], ['ZADD', 'z', '0x10', 'hex'],
      ['ZADD', 'z', '1e3', 'e', '-.5', 'f', '+2.5', 'g', '1E-320', 'tiny'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZCARD', 'z'], ['ZCARD', 'nokey'], ['OBJECT', 'ENCODING', 'z'],
    ],
  },
  {
    name: 'ZADD INCR and ZINCRBY with infinities and NaN',
    steps: [
      ['ZADD', 'z', 'INCR', '+inf', 'a'], ['ZADD', 'z', 'INCR', '-inf', 'a'], ['ZSCORE', 'z', 'a'],
      ['ZINCRBY', 'z', 'inf', 'a'], ['ZINCRBY', 'z', '-inf', 'a'], ['ZINCRBY', 'z', '1', 'b'], ['ZINCRBY', 'z', '0.1', 'b'],
      ['ZINCRBY', 'z', '0.2', 'b'], ['ZINCRBY', 'z', 'x', 'b'], ['ZINCRBY', 'z', '1'], ['ZINCRBY', 'z', '1e308', 'c'],
      ['ZINCRBY', 'z', '1e308', 'c'], ['ZADD', 'z', '-inf', 'd', 'inf', 'e', '-0', 'f', '0', 'g'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZMSCORE', 'z', 'a', 'nope', 'c', 'd', 'f'], ['ZMSCORE', 'nokey', 'a', 'b'],
      ['ZINCRBY', 'new', '-2.5', 'm'], ['ZSCORE', 'new', 'm'], ['ZSCORE', 'new', 'x'], ['ZSCORE', 'nokey', 'x'],
      ['ZADD', 'p', '3.0000000000000004', 'a', '1e17', 'b', '123456789012345678', 'c', '0.0001', 'd', '0.00001', 'e'],
      ['ZRANGE', 'p', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'p', 'a'], ['ZINCRBY', 'p', '1', 'a'],
    ],
  },
  {
    name: 'ZREM ZCARD ZRANK ZREVRANK and key deletion',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'd'], ['ZRANK', 'z', 'a'], ['ZRANK', 'z', 'd'], ['ZREVRANK', 'z', 'a'],
      ['ZREVRANK', 'z', 'd'], ['ZRANK', 'z', 'x'], ['ZRANK', 'nokey', 'x'], ['ZREVRANK', 'nokey', 'x'], ['ZRANK', 'z', 'a', 'withscore'],
      ['ZREM', 'z', 'a', 'x', 'a'], ['ZREM', 'nokey', 'a'], ['ZCARD', 'z'], ['ZREM', 'z', 'b', 'c', 'd'], ['EXISTS', 'z'],
      ['ZREM', 'z'], ['ZRANGE', 'z', '0', '-1'],
    ],
  },
  {
    name: 'ZRANGE by rank, negative indexes, REV',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
      ['ZRANGE', 'z', '0', '-1'], ['ZRANGE', 'z', '1', '2', 'WITHSCORES'], ['ZRANGE', 'z', '-2', '-1'], ['ZRANGE', 'z', '-100', '100'],
      ['ZRANGE', 'z', '3', '1'], ['ZRANGE', 'z', '5', '10'], ['ZRANGE', 'z', '0', '0'], ['ZRANGE', 'z', '-1', '-1', 'withscores'],
      ['ZRANGE', 'z', '0', '-1', 'REV'], ['ZRANGE', 'z', '1', '2', 'REV', 'WITHSCORES'], ['ZREVRANGE', 'z', '0', '1'],
      ['ZREVRANGE', 'z', '-1', '-1', 'WITHSCORES'], ['ZREVRANGE', 'z', '1', '0'], ['ZRANGE', 'nokey', '0', '-1'],
      ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'z', '0', '-9223372036854775808'], ['ZRANGE', 'z', '9223372036854775807', '1'],
      ['ZRANGE', 'z', 'a', '1'], ['ZRANGE', 'z', '0', '1.5'], ['ZRANGE', 'z', '0', '1', 'foo'], ['ZRANGE', 'z', '0', '1', 'REV', 'REV'],
      ['ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '5', '-1'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '0'],
      ['ZRANGE', 'z', '0', '1', 'LIMIT', 'x', '1'], ['ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'], ['ZRANGE', 'z', '0', '1', 'BYLEX', 'BYSCORE'],
      ['ZRANGE', 'z', '0'], ['ZREVRANGE', 'z', '0', '1', 'REV'], ['ZREVRANGE', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['ZREVRANGE', 'z', '0', '1', 'WITHSCORES', 'x'], ['ZREVRANGE', 'z', 'x', '1'],
    ],
  },
  {
    name: 'ZRANGE BYSCORE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT',
    steps: [
      ['ZADD', 'z', '-inf', 'ninf', '1', 'a', '2', 'b', '2', 'bb', '3', 'c', '4.5', 'd', 'inf', 'pinf'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'WITHSCORES'], ['ZRANGE', 'z', '(1', '3', 'BYSCORE'], ['ZRANGE', 'z', '1', '(3', 'BYSCORE'],
      ['ZRANGE', 'z', '(1', '(2', 'BYSCORE'], ['ZRANGE', 'z', '2', '2', 'BYSCORE'], ['ZRANGE', 'z', '(2', '2', 'BYSCORE'],
      ['ZRANGE', 'z', '3', '1', 'BYSCORE'], ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'z', '3', '(1', 'BYSCORE', 'REV'], ['ZRANGE', 'z', '1', '3', 'BYSCORE', 'REV'],
      ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '1', '2'], ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '1', '-1'],
      ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '-1', '2'], ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '100', '2'],
      ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '0', '0'], ['ZRANGE', 'z', 'inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '2', '3', 'WITHSCORES'],
      ['ZRANGE', 'z', '-inf', 'inf', 'BYSCORE', 'LIMIT', '1', '2', 'LIMIT', '3', '1'],
      ['ZRANGEBYSCORE', 'z', '2', '4.5', 'WITHSCORES'], ['ZRANGEBYSCORE', 'z', '(2', '+inf', 'LIMIT', '1', '1'],
      ['ZRANGEBYSCORE', 'z', '2', '4.5', 'REV'], ['ZRANGEBYSCORE', 'z', '2', '4.5', 'BYSCORE'], ['ZRANGEBYSCORE', 'z', '2', '4.5', 'LIMIT', '0'],
      ['ZREVRANGEBYSCORE', 'z', '4.5', '2', 'WITHSCORES'], ['ZREVRANGEBYSCORE', 'z', '+inf', '(2', 'LIMIT', '1', '2'],
      ['ZREVRANGEBYSCORE', 'z', '2', '4.5'], ['ZRANGEBYSCORE', 'nokey', '0', '1'],
      ['ZRANGEBYSCORE', 'z', 'a', '1'], ['ZRANGEBYSCORE', 'z', '1', '(x'], ['ZRANGEBYSCORE', 'z', 'nan', '1'], ['ZRANGEBYSCORE', 'z', '((1', '2'],
      ['ZRANGEBYSCORE', 'z', '', '2'], ['ZRANGEBYSCORE', 'z', '(', '2'], ['ZRANGEBYSCORE', 'z', ' 1', '2'], ['ZRANGEBYSCORE', 'z', '1 ', '2'],
      ['ZRANGEBYSCORE', 'z', '0x1', '0x2'], ['ZRANGEBYSCORE', 'z', '-Infinity', '1'], ['ZRANGEBYSCORE', 'z', '1e0', '2E0'],
      ['ZRANGEBYSCORE', 'z', '0', '1', 'LIMIT', 'a', 'b'],
      ['ZCOUNT', 'z', '-inf', '+inf'], ['ZCOUNT', 'z', '(1', '3'], ['ZCOUNT', 'z', '3', '1'], ['ZCOUNT', 'z', '(2', '(2'],
      ['ZCOUNT', 'nokey', '0', '1'], ['ZCOUNT', 'z', 'x', '1'], ['ZCOUNT', 'z', '5', '6'],
    ],
  },
  {
    name: 'ZRANGE BYLEX, ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT',
    steps: [
      ['ZADD', 'z', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'f', '0', 'g', '0', 'A', '0', '\x00', '0', '\xff', '0', 'aa'],
      ['ZRANGE', 'z', '-', '+', 'BYLEX'], ['ZRANGE', 'z', '[b', '(e', 'BYLEX'], ['ZRANGE', 'z', '(a', '[aa', 'BYLEX'],
      ['ZRANGE', 'z', '+', '-', 'BYLEX', 'REV'], ['ZRANGE', 'z', '[e', '(b', 'BYLEX', 'REV'], ['ZRANGE', 'z', '[e', '[b', 'BYLEX'],
      ['ZRANGE', 'z', '-', '+', 'BYLEX', 'LIMIT', '2', '3'], ['ZRANGE', 'z', '+', '-', 'BYLEX', 'REV', 'LIMIT', '1', '2'],
      ['ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES'], ['ZRANGE', 'z', '+', '+', 'BYLEX'], ['ZRANGE', 'z', '-', '-', 'BYLEX'],
      ['ZRANGE', 'z', '+', '[a', 'BYLEX'], ['ZRANGE', 'z', '[', '[b', 'BYLEX'], ['ZRANGE', 'z', '(', '(', 'BYLEX'],
      ['ZRANGEBYLEX', 'z', '[a', '[c'], ['ZRANGEBYLEX', 'z', '-', '(c', 'LIMIT', '1', '1'], ['ZRANGEBYLEX', 'z', 'a', 'c'],
      ['ZRANGEBYLEX', 'z', '[a', 'c'], ['ZRANGEBYLEX', 'z', '++', '-'], ['ZRANGEBYLEX', 'z', '-', '+', 'WITHSCORES'],
      ['ZRANGEBYLEX', 'z', '-', '+', 'BYLEX'], ['ZREVRANGEBYLEX', 'z', '[c', '[a'], ['ZREVRANGEBYLEX', 'z', '+', '-', 'LIMIT', '0', '3'],
      ['ZREVRANGEBYLEX', 'z', '[a', '[c'], ['ZRANGEBYLEX', 'nokey', '-', '+'],
      ['ZLEXCOUNT', 'z', '-', '+'], ['ZLEXCOUNT', 'z', '[b', '(e'], ['ZLEXCOUNT', 'z', '(e', '[b'], ['ZLEXCOUNT', 'nokey', '-', '+'],
      ['ZLEXCOUNT', 'z', 'b', 'e'], ['ZLEXCOUNT', 'z', '(\xff', '+'], ['ZLEXCOUNT', 'z', '[\xff', '+'],
      // Mixed scores on a listpack: Redis scans it from either end.
      ['ZADD', 'm', '1', 'a', '2', 'd', '3', 'b', '4', 'c', '5', 'a0'], ['ZRANGEBYLEX', 'm', '[b', '[d'], ['ZREVRANGEBYLEX', 'm', '[d', '[b'],
      ['ZRANGEBYLEX', 'm', '(a', '+'], ['ZREVRANGEBYLEX', 'm', '+', '(a'], ['ZLEXCOUNT', 'm', '[b', '[d'], ['ZLEXCOUNT', 'm', '-', '[c'],
      ['ZRANGE', 'm', '[a', '[c', 'BYLEX', 'LIMIT', '1', '10'], ['ZREMRANGEBYLEX', 'm', '[b', '[d'], ['ZRANGE', 'm', '0', '-1'],
    ],
  },
  {
    name: 'ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX',
    steps: [
      many('z', 10), ['ZREMRANGEBYRANK', 'z', '0', '1'], ['ZREMRANGEBYRANK', 'z', '-2', '-1'], ['ZRANGE', 'z', '0', '-1'],
      ['ZREMRANGEBYRANK', 'z', '5', '1'], ['ZREMRANGEBYRANK', 'z', '100', '200'], ['ZREMRANGEBYRANK', 'z', 'a', '1'],
      ['ZREMRANGEBYRANK', 'nokey', '0', '1'], ['ZREMRANGEBYSCORE', 'z', '(3', '5'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZREMRANGEBYSCORE', 'z', 'x', '1'], ['ZREMRANGEBYSCORE', 'z', '10', '1'], ['ZREMRANGEBYSCORE', 'nokey', '0', '1'],
      ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'], ['EXISTS', 'z'],
      ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd'], ['ZREMRANGEBYLEX', 'l', '(a', '[c'], ['ZRANGE', 'l', '0', '-1'],
      ['ZREMRANGEBYLEX', 'l', 'a', 'b'], ['ZREMRANGEBYLEX', 'l', '+', '-'], ['ZREMRANGEBYLEX', 'l', '-', '+'], ['EXISTS', 'l'],
      ['ZREMRANGEBYLEX', 'nokey', '-', '+'], many('r', 5), ['ZREMRANGEBYRANK', 'r', '0', '-1'], ['EXISTS', 'r'],
    ],
  },
  {
    name: 'ZRANGESTORE',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZRANGESTORE', 'd', 'z', '0', '1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '(1', 'inf', 'BYSCORE', 'LIMIT', '1', '5'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZRANGESTORE', 'd', 'z', '[d', '-', 'BYLEX', 'REV'], ['ZRANGE', 'd', '0', '-1'], ['OBJECT', 'ENCODING', 'd'],
      ['ZRANGESTORE', 'd', 'z', '5', '10'], ['EXISTS', 'd'], ['ZRANGESTORE', 'd', 'nokey', '0', '-1'], ['EXISTS', 'd'],
      ['ZRANGESTORE', 'd', 'z', '0', '1', 'WITHSCORES'], ['ZRANGESTORE', 'd', 'z', '0', '1', 'LIMIT', '0', '1'],
      ['SET', 's', 'x'], ['ZRANGESTORE', 's', 'z', '0', '0'], ['TYPE', 's'], ['ZRANGESTORE', 'd', 's', '0', '0'],
      ['ZRANGESTORE', 'z', 'z', '1', '2'], ['ZRANGE', 'z', '0', '-1'],
    ],
  },
  {
    name: 'ZUNION ZINTER ZDIFF and their STORE forms',
    steps: [
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'], ['ZADD', 'c', '5', 'z'],
      ['ZUNION', '2', 'a', 'b'], ['ZUNION', '2', 'a', 'b', 'WITHSCORES'], ['ZUNION', '3', 'a', 'b', 'c', 'WEIGHTS', '1', '2', '3', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZUNION', '2', 'a', 'b', 'aggregate', 'max', 'withscores'],
      ['ZUNION', '2', 'a', 'nokey', 'WITHSCORES'], ['ZUNION', '1', 'nokey'],
      ['ZINTER', '2', 'a', 'b', 'WITHSCORES'], ['ZINTER', '3', 'a', 'b', 'c', 'WITHSCORES'], ['ZINTER', '2', 'a', 'nokey'],
      ['ZINTER', '2', 'a', 'b', 'WEIGHTS', '2', '-1', 'AGGREGATE', 'MAX', 'WITHSCORES'], ['ZINTER', '2', 'a', 'a', 'WITHSCORES'],
      ['ZDIFF', '2', 'a', 'b'], ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'], ['ZDIFF', '1', 'a', 'WITHSCORES'], ['ZDIFF', '2', 'nokey', 'a'],
      ['ZDIFF', '3', 'b', 'a', 'c', 'WITHSCORES'], ['ZDIFF', '2', 'a', 'a'],
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
      ['ZINTERSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '0.5', '2'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'd', '2', 'b', 'a'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
      ['ZINTERSTORE', 'd', '2', 'a', 'nokey'], ['EXISTS', 'd'], ['ZINTERSTORE', 'd', '2', 'a', 'nokey'],
      ['ZUNIONSTORE', 'a', '2', 'a', 'a'], ['ZRANGE', 'a', '0', '-1', 'WITHSCORES'],
      ['SADD', 'set', 'x', 'q'], ['ZUNION', '2', 'a', 'set', 'WITHSCORES'], ['ZINTER', '2', 'set', 'a', 'WITHSCORES'],
      ['ZDIFF', '2', 'set', 'a', 'WITHSCORES'], ['SADD', 'iset', '1', '2'], ['ZUNION', '1', 'iset', 'WITHSCORES'],
      ['ZUNIONSTORE', 'd', '1', 'set', 'WEIGHTS', '3'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'set operations: infinities, NaN, option errors',
    steps: [
      ['ZADD', 'p', 'inf', 'a', '1', 'b'], ['ZADD', 'n', '-inf', 'a', '2', 'b'],
      ['ZUNION', '2', 'p', 'n', 'WITHSCORES'], ['ZINTER', '2', 'p', 'n', 'WITHSCORES'], ['ZUNION', '1', 'p', 'WEIGHTS', '0', 'WITHSCORES'],
      ['ZINTER', '2', 'p', 'p', 'WEIGHTS', '1', '0', 'WITHSCORES'], ['ZINTER', '2', 'p', 'p', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MAX', 'WITHSCORES'],
      ['ZUNION', '2', 'p', 'n', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZUNION', '2', 'p', 'n', 'WEIGHTS', 'inf', '-inf', 'WITHSCORES'],
      ['ZUNION', '0', 'p'], ['ZUNION', '-1', 'p'], ['ZUNION', 'x', 'p'], ['ZUNION', '3', 'p', 'n'], ['ZUNION', '1', 'p', 'WEIGHTS'],
      ['ZUNION', '1', 'p', 'WEIGHTS', 'x'], ['ZUNION', '1', 'p', 'WEIGHTS', '1', '2'], ['ZUNION', '1', 'p', 'AGGREGATE'],
      ['ZUNION', '1', 'p', 'AGGREGATE', 'avg'], ['ZUNION', '1', 'p', 'WITHSCORES', 'x'], ['ZUNION', '1', 'p', 'LIMIT', '1'],
      ['ZUNIONSTORE', 'd', '0', 'p'], ['ZUNIONSTORE', 'd', '1', 'p', 'WITHSCORES'], ['ZINTERSTORE', 'd', '0', 'p'],
      ['ZDIFF', '0', 'p'], ['ZDIFF', '1', 'p', 'WEIGHTS', '1'], ['ZDIFF', '1', 'p', 'AGGREGATE', 'SUM'], ['ZDIFFSTORE', 'd', '1', 'p', 'WITHSCORES'],
      ['SET', 's', 'v'], ['ZUNION', '2', 'p', 's'], ['ZUNION', '2', 's', 'p', 'WEIGHTS', 'x'], ['ZUNIONSTORE', 'd', '1', 's'],
      ['ZINTER', '2', 'nokey', 's'], ['ZDIFF', '2', 'nokey', 's'], ['ZINTERCARD', '2', 'nokey', 's'],
    ],
  },
  {
    name: 'ZINTERCARD',
    steps: [
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'],
      ['ZINTERCARD', '2', 'a', 'b'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
      ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '10'], ['ZINTERCARD', '1', 'a'], ['ZINTERCARD', '2', 'a', 'nokey'],
      ['ZINTERCARD', '0', 'a'], ['ZINTERCARD', '2', 'a'], ['ZINTERCARD', '1', 'a', 'LIMIT', '-1'], ['ZINTERCARD', '1', 'a', 'LIMIT', 'x'],
      ['ZINTERCARD', '1', 'a', 'LIMIT'], ['ZINTERCARD', '1', 'a', 'WITHSCORES'], ['ZINTERCARD', '1', 'a', 'WEIGHTS', '1'],
      ['ZINTERCARD', 'x', 'a'],
    ],
  },
  {
    name: 'ZPOPMIN ZPOPMAX',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z'], ['ZPOPMIN', 'z', '2'],
      ['ZPOPMAX', 'z', '1'], ['ZPOPMIN', 'z', '0'], ['ZPOPMAX', 'z', '10'], ['EXISTS', 'z'], ['ZPOPMIN', 'z'], ['ZPOPMIN', 'z', '3'],
      ['ZPOPMIN', 'z', '-1'], ['ZPOPMIN', 'z', 'x'], ['ZPOPMIN', 'z', '1', '2'], ['SET', 's', 'v'], ['ZPOPMIN', 's'], ['ZPOPMIN', 's', '0'],
      ['ZPOPMAX', 's', '-1'], many('m', 3), ['ZPOPMAX', 'm', '9223372036854775807'],
    ],
  },
  {
    name: 'ZMPOP',
    steps: [
      ['ZADD', 'b', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '2', 'a', 'b', 'MIN'], ['ZMPOP', '2', 'a', 'b', 'MAX', 'COUNT', '10'],
      ['EXISTS', 'b'], ['ZMPOP', '2', 'a', 'b', 'MIN'], ['ZADD', 'a', '5', 'x'], ['ZMPOP', '1', 'a', 'min', 'count', '1'],
      ['ZMPOP', '0', 'a', 'MIN'], ['ZMPOP', '-1', 'a', 'MIN'], ['ZMPOP', 'x', 'a', 'MIN'], ['ZMPOP', '2', 'a', 'MIN'],
      ['ZMPOP', '5', 'a', 'MIN'], ['ZMPOP', '1', 'a', 'MID'], ['ZMPOP', '1', 'a', 'MIN', 'COUNT'], ['ZMPOP', '1', 'a', 'MIN', 'COUNT', '0'],
      ['ZMPOP', '1', 'a', 'MIN', 'COUNT', '-1'], ['ZMPOP', '1', 'a', 'MIN', 'COUNT', 'x'], ['ZMPOP', '1', 'a', 'MIN', 'COUNT', '1', 'COUNT', '2'],
      ['ZMPOP', '1', 'a', 'MIN', 'FOO'], ['SET', 's', 'v'], ['ZMPOP', '1', 's', 'MIN'], ['ZMPOP', '2', 'nokey', 's', 'MIN'],
    ],
  },
  {
    name: 'ZRANDMEMBER deterministic forms',
    steps: [
      ['ZRANDMEMBER', 'nokey'], ['ZRANDMEMBER', 'nokey', '5'], ['ZRANDMEMBER', 'nokey', '-5', 'WITHSCORES'],
      ['ZADD', 'one', '1.5', 'a'], ['ZRANDMEMBER', 'one'], ['ZRANDMEMBER', 'one', '1'], ['ZRANDMEMBER', 'one', '-3'],
      ['ZRANDMEMBER', 'one', '-2', 'WITHSCORES'], ['ZRANDMEMBER', 'one', '5', 'WITHSCORES'], ['ZRANDMEMBER', 'one', '0'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZRANDMEMBER', 'z', '3'], ['ZRANDMEMBER', 'z', '10', 'WITHSCORES'],
      ['ZRANDMEMBER', 'z', '9223372036854775807'], shape('ZRANDMEMBER', 'z'), shape('ZRANDMEMBER', 'z', '2'),
      shape('ZRANDMEMBER', 'z', '-5', 'WITHSCORES'), ['ZRANDMEMBER', 'z', 'x'], ['ZRANDMEMBER', 'z', '1', 'WITHSCORE'],
      ['ZRANDMEMBER', 'z', '1', 'WITHSCORES', 'x'], ['ZRANDMEMBER', 'z', 'x', 'foo'], ['ZRANDMEMBER', 'z', '-9223372036854775808'],
      ['SET', 's', 'v'], ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', '1'], ['ZRANDMEMBER', 's', '1', 'x'],
    ],
  },
  {
    name: 'ZSCAN on a listpack',
    steps: [
      ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '1.5', 'ab', 'inf', 'i'], ['ZSCAN', 'z', '0'], ['ZSCAN', 'z', '0', 'COUNT', '1'],
      ['ZSCAN', 'z', '0', 'MATCH', 'a*'], ['ZSCAN', 'z', '0', 'MATCH', 'zz'], ['ZSCAN', 'nokey', '0'], ['ZSCAN', 'nokey', '0', 'FOO'],
      ['ZSCAN', 'z', 'x'], ['ZSCAN', 'z', '0', 'COUNT', '0'], ['ZSCAN', 'z', '0', 'COUNT', 'x'], ['ZSCAN', 'z', '0', 'FOO', 'bar'],
      ['ZSCAN', 'z', '0', 'TYPE', 'zset'], ['SET', 's', 'v'], ['ZSCAN', 's', '0'], ['ZSCAN', 's', 'x'], ['ZSCAN', 's', '0', 'FOO'],
    ],
  },
  {
    name: 'encodings and conversions',
    steps: [
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'], ['CONFIG', 'SET', 'zset-max-listpack-value', '5'],
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ['OBJECT', 'ENCODING', 'a'], ['ZADD', 'a', '4', 'w'], ['OBJECT', 'ENCODING', 'a'],
      ['ZREM', 'a', 'w', 'x'], ['OBJECT', 'ENCODING', 'a'], ['ZADD', 'b', '1', 'longer'], ['OBJECT', 'ENCODING', 'b'],
      ['ZADD', 'c', '1', 'short'], ['OBJECT', 'ENCODING', 'c'], ['ZADD', 'c', '1', 'short'], ['ZADD', 'c', '2', 'longer'],
      ['OBJECT', 'ENCODING', 'c'], ['ZUNIONSTORE', 'd', '1', 'a'], ['OBJECT', 'ENCODING', 'd'], ['ZUNIONSTORE', 'e', '1', 'b'],
      ['OBJECT', 'ENCODING', 'e'], many('f', 4), ['ZRANGESTORE', 'g', 'f', '0', '2'], ['OBJECT', 'ENCODING', 'g'],
      ['ZRANGESTORE', 'g', 'f', '0', '3'], ['OBJECT', 'ENCODING', 'g'], ['ZINCRBY', 'h', '1', 'toolong'], ['OBJECT', 'ENCODING', 'h'],
      ['ZADD', 'i', 'INCR', '1', 'x'], ['OBJECT', 'ENCODING', 'i'], ['COPY', 'a', 'ac'], ['OBJECT', 'ENCODING', 'ac'],
      ['ZRANGE', 'ac', '0', '-1', 'WITHSCORES'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ['ZADD', 'j', '1', 'x'], ['OBJECT', 'ENCODING', 'j'],
      ['ZUNIONSTORE', 'k', '1', 'j'], ['OBJECT', 'ENCODING', 'k'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
      ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'c', 'd', 'f', 'g'],
    ],
  },
  {
    name: 'a large skiplist: ranks, ranges, removals, digest',
    steps: [
      many('z', 300, 0.5), ['OBJECT', 'ENCODING', 'z'], ['ZCARD', 'z'], ['ZRANK', 'z', 'm150'], ['ZREVRANK', 'z', 'm150'],
      ['ZRANGE', 'z', '100', '104', 'WITHSCORES'], ['ZRANGE', 'z', '-3', '-1'], ['ZRANGE', 'z', '(10', '12', 'BYSCORE', 'WITHSCORES'],
      ['ZRANGE', 'z', '100', '50', 'BYSCORE', 'REV', 'LIMIT', '10', '5'], ['ZCOUNT', 'z', '10', '(20'], ['ZSCORE', 'z', 'm299'],
      ['ZREMRANGEBYRANK', 'z', '10', '19'], ['ZREMRANGEBYSCORE', 'z', '100', '120'], ['ZCARD', 'z'], ['ZRANK', 'z', 'm290'],
      ['ZPOPMIN', 'z', '3'], ['ZPOPMAX', 'z', '3'], ['ZADD', 'z', '7.25', 'm290'], ['ZRANK', 'z', 'm290'],
      ['ZMSCORE', 'z', 'm0', 'm3', 'm290'], ['DEBUG', 'DIGEST-VALUE', 'z'], ['DEBUG', 'DIGEST'],
      ['ZUNIONSTORE', 'u', '2', 'z', 'z', 'WEIGHTS', '1', '0.1'], ['ZRANGE', 'u', '0', '4', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'u'],
      ['ZINTERCARD', '2', 'z', 'u', 'LIMIT', '7'],
    ],
  },
  {
    name: 'binary members and member ordering',
    steps: [
      ['ZADD', 'z', '1', 'b', '1', 'a', '1', 'ab', '1', '\xff', '1', '\x00', '1', '', '1', 'B', '0', 'z', '2', '\x01'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZRANK', 'z', '\xff'], ['ZRANK', 'z', ''], ['ZSCORE', 'z', ''],
      // (No ZRANGEBYLEX here: lexical ranges over mixed scores are undefined in Redis.)
      ['ZREM', 'z', '', '\x00'], ['ZRANGE', 'z', '0', '-1'], ['DEBUG', 'DIGEST-VALUE', 'z'],
    ],
  },
  {
    name: 'wrong types and arity',
    steps: [
      ['SET', 's', 'v'],
      ...WRONG.map((cmd) => [cmd, 's', '1', 'a']),
      ['ZRANGE', 's', '0', '-1'], ['ZRANGE', 's', '0', 'x'], ['ZRANGEBYSCORE', 's', '0', '1'], ['ZRANGEBYLEX', 's', '-', '+'],
      ['ZCOUNT', 's', '0', '1'], ['ZCOUNT', 's', 'x', '1'], ['ZLEXCOUNT', 's', '-', '+'], ['ZREMRANGEBYRANK', 's', '0', '1'],
      ['ZREMRANGEBYSCORE', 's', '0', '1'], ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZUNION', '1', 's'], ['ZINTER', '1', 's'],
      ['ZDIFF', '1', 's'], ['ZUNIONSTORE', 'd', '1', 's'], ['ZINTERCARD', '1', 's'], ['ZPOPMAX', 's'], ['ZRANDMEMBER', 's', '-1'],
      ['ZADD', 's', 'XX', '1', 'a'], ['ZADD', 's', 'x', 'a'], ['ZCARD'], ['ZSCORE', 'z'], ['ZRANGE', 'z', '0'], ['ZINTERCARD', '1'],
      ['ZUNIONSTORE', 'd', '1'], ['ZMSCORE', 'z'], ['ZREM', 'z'], ['ZINCRBY', 'z', '1'], ['ZRANDMEMBER'], ['ZSCAN', 'z'],
      ['ZMPOP', '1', 'z'], ['ZRANGESTORE', 'd', 'z', '0'], ['ZRANK', 'z'],
    ],
  },
];
