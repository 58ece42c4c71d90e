/**
 * Differential cases for SORT and SORT_RO. Sources are lists, intsets and
 * sorted sets, or sorts whose order fully determines the result (numeric
 * weights tie-break on the element; ALPHA on distinct elements), since a
 * hashtable set's or sorted set's iteration order is Redis's own.
 */
import type { DiffCase } from '../types.js';

export const cases: DiffCase[] = [
  {
    name: 'SORT numeric and ALPHA on lists, DESC, ties, score errors',
    steps: [
      ['RPUSH', 'l', '3', '1', '2', '10', '-1.5', '1e2', '2', '0x10', 'inf'],
      ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'asc', 'desc', 'asc'], ['SORT_RO', 'l', 'desc'],
      ['RPUSH', 'eq', '1.0', '1', '01', '+1', '1e0'], ['SORT', 'eq'], ['SORT', 'eq', 'DESC'],
      ['RPUSH', 'bad', '1', 'x', '2'], ['SORT', 'bad'], ['SORT', 'bad', 'ALPHA'], ['SORT', 'bad', 'BY', 'nosort'],
      ['RPUSH', 'w', '1 ', ' 1', 'nan'], ['SORT', 'w'], ['SORT', 'w', 'LIMIT', '0', '1'],
      ['RPUSH', 'a', 'b', 'B', 'a', 'ab', 'a b', '', 'Z'], ['SORT', 'a', 'ALPHA'], ['SORT', 'a', 'ALPHA', 'DESC'],
      ['RPUSH', 'u', '\xff', '\xc3\xa9', 'z', '\x80', '\xc3', 'a\0b', 'a\0a', 'a', 'A'], ['SORT', 'u', 'ALPHA'],
      ['SORT', 'u', 'ALPHA', 'DESC'], ['SORT', 'u', 'ALPHA', 'STORE', 'u2'], ['LRANGE', 'u2', '0', '-1'],
      ['SORT', 'nokey'], ['SORT', 'nokey', 'ALPHA', 'DESC', 'LIMIT', '0', '5'], ['SORT_RO', 'nokey'],
      ['SET', 's', 'x'], ['SORT', 's'], ['SORT_RO', 's'], ['HSET', 'h', 'f', 'v'], ['SORT', 'h'],
    ],
  },
  {
    name: 'SORT option errors and their order',
    steps: [
      ['SET', 's', 'x'],
      ['SORT', 's', 'FOO'], ['SORT', 's', 'LIMIT', '1'], ['SORT', 's', 'LIMIT', 'a', '1'], ['SORT', 's', 'LIMIT', '1', 'b'],
      ['SORT', 's', 'BY'], ['SORT', 's', 'GET'], ['SORT', 's', 'STORE'], ['SORT_RO', 's', 'STORE', 'd'],
      ['SORT_RO', 'nokey', 'STORE', 'd'], ['SORT', 's', 'LIMIT', '0', '1', 'LIMIT'], ['SORT'], ['SORT_RO'],
      ['SORT', 'nokey', 'limit', '0', '1.5'],
    ],
  },
  {
    name: 'SORT LIMIT: negative, overflowing, past the end, zero',
    steps: [
      ['RPUSH', 'l', '5', '3', '9', '1', '7'],
      ['SORT', 'l', 'LIMIT', '0', '2'], ['SORT', 'l', 'LIMIT', '1', '3'], ['SORT', 'l', 'LIMIT', '3', '10'],
      ['SORT', 'l', 'LIMIT', '-3', '2'], ['SORT', 'l', 'LIMIT', '2', '-1'], ['SORT', 'l', 'LIMIT', '5', '1'],
      ['SORT', 'l', 'LIMIT', '4', '1'], ['SORT', 'l', 'LIMIT', '0', '0'], ['SORT', 'l', 'LIMIT', '9', '-9'],
      ['SORT', 'l', 'LIMIT', '2', '9223372036854775807'], ['SORT', 'l', 'LIMIT', '9223372036854775807', '1'],
      ['SORT', 'l', 'LIMIT', '-9223372036854775808', '-9223372036854775808'], ['SORT', 'l', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'l', 'LIMIT', '1', '2', 'LIMIT', '0', '1'],
    ],
  },
  {
    name: 'SORT BY nosort on lists, sorted sets and intsets',
    steps: [
      ['RPUSH', 'l', 'c', 'a', 'b', 'd'],
      ['SORT', 'l', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '3', '5'],
      ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '4', '1'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '-1', '1'],
      ['SORT', 'l', 'BY', 'k', 'ALPHA'], ['SORT', 'l', 'BY', '#'], ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
      ['ZADD', 'z', '3', 'c', '1', 'x', '2', 'b', '1', 'a'], ['OBJECT', 'ENCODING', 'z'],
      ['SORT', 'z', 'BY', 'nosort'], ['OBJECT', 'ENCODING', 'z'], ['SORT', 'z', 'BY', 'nosort', 'DESC'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '2', '100'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '9', '1'],
      ['SORT', 'z', 'ALPHA'], ['SORT', 'z', 'ALPHA', 'DESC', 'LIMIT', '0', '2'], ['SORT', 'z', 'BY', 'nosort', 'GET', '#'],
      ['SORT', 'z'], ['SORT_RO', 'z', 'ALPHA', 'LIMIT', '1', '2', 'GET', '#', 'GET', 'x_*'],
      ['ZADD', 'zn', '5', '10', '6', '2', '7', '33'], ['SORT', 'zn'], ['SORT_RO', 'zn', 'DESC'], ['OBJECT', 'ENCODING', 'zn'],
      ['SADD', 'i', '5', '-2', '30', '4'], ['SORT', 'i', 'BY', 'nosort'], ['SORT', 'i', 'BY', 'nosort', 'DESC'],
      ['SORT', 'i', 'BY', 'nosort', 'LIMIT', '1', '2'], ['SORT', 'i'], ['SORT', 'i', 'DESC', 'ALPHA'],
      ['SORT', 'i', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
      ['SORT', 'i', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ],
  },
  {
    name: 'SORT BY and GET patterns: strings, hash fields, missing, #',
    steps: [
      ['RPUSH', 'l', '1', '2', '3', '4'],
      ['MSET', 'w_1', '30', 'w_2', '10', 'w_3', '20', 'n_1', 'one', 'n_2', 'two', 'n_4', 'four'],
      ['HSET', 'h_1', 'f', 'c', 'g', '5'], ['HSET', 'h_2', 'f', 'a', 'g', '-1'], ['HSET', 'h_3', 'f', 'b'],
      ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'DESC'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'n_*'],
      ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'n_*', 'GET', 'h_*->f', 'GET', 'nostar', 'GET', 'h_*->'],
      ['SORT', 'l', 'BY', 'h_*->g'], ['SORT', 'l', 'BY', 'h_*->f', 'ALPHA'], ['SORT', 'l', 'BY', 'h_*->f', 'ALPHA', 'DESC'],
      ['SORT', 'l', 'BY', 'n_*', 'ALPHA'], ['SORT', 'l', 'BY', 'n_*'], ['SORT', 'l', 'BY', 'x*y', 'GET', 'w_*'],
      ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '1', '2', 'GET', 'n_*', 'GET', '#'],
      ['SORT', 'l', 'GET', 'h_*->f', 'GET', 'w_*->f', 'GET', 'l'], ['SORT', 'l', 'BY', 'nosort', 'GET', 'n_*', 'DESC'],
      ['SORT_RO', 'l', 'BY', 'w_*', 'GET', 'n_*'], ['SORT', 'l', 'BY', 'h_*', 'GET', 'h_*'],
      ['SET', 'p*x_1', '9'], ['SORT', 'l', 'GET', 'p**x_*'], ['SORT', 'l', 'GET', 'p*x_*->'], ['SORT', 'l', 'GET', '*->f->g'],
      ['SORT', 'nokey', 'BY', 'w_*', 'GET', 'n_*'],
    ],
  },
  {
    name: 'SORT ALPHA BY with equal and missing weights keeps the source order (whole sorts)',
    steps: [
      ['RPUSH', 'l', 'e', 'b', 'g', 'a', 'd', 'c', 'h', 'f', 'i', 'j', 'k'], ['MSET', 't_a', '1', 't_b', '1', 't_c', '2', 't_k', ''],
      ['SORT', 'l', 'BY', 't_*', 'ALPHA'], ['SORT', 'l', 'BY', 't_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 't_*'],
      ['SORT', 'l', 'BY', 't_*', 'DESC', 'LIMIT', '2', '4'], ['SORT', 'l', 'BY', 't_*', 'ALPHA', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
      ['HSET', 'h_a', 'f', 'x'], ['SORT', 'l', 'BY', 'h_*->f', 'ALPHA', 'DESC', 'GET', '#', 'GET', 'h_*->f'],
    ],
  },
  {
    name: 'SORT STORE: list result, empty result deletes, GET misses stored empty',
    steps: [
      ['RPUSH', 'l', '3', '1', '2'], ['MSET', 'n_1', 'one', 'n_3', 'three'],
      ['SORT', 'l', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['OBJECT', 'ENCODING', 'd'], ['TYPE', 'd'],
      ['SORT', 'l', 'GET', 'n_*', 'GET', '#', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
      ['SET', 'str', 'x'], ['EXPIRE', 'str', '100'], ['SORT', 'l', 'DESC', 'STORE', 'str'], ['TYPE', 'str'], ['TTL', 'str'],
      ['SORT', 'nokey', 'STORE', 'd'], ['EXISTS', 'd'], ['SORT', 'nokey', 'STORE', 'd'],
      ['SORT', 'l', 'LIMIT', '5', '5', 'STORE', 'str'], ['EXISTS', 'str'],
      ['SORT', 'l', 'STORE', 'l'], ['LRANGE', 'l', '0', '-1'],
      ['SORT', 'l', 'STORE', 'd', 'GET', 'nostar'], ['LRANGE', 'd', '0', '-1'],
      ['SET', 's', 'x'], ['SORT', 's', 'STORE', 'd'], ['EXISTS', 'd'],
      ['RPUSH', 'bad', 'a'], ['SORT', 'bad', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
      ['ZADD', 'z', '2', 'b', '1', 'a'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ],
  },
];
