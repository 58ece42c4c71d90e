/**
 * maxmemory: with a 1-byte limit every server is over it, so the outcome is
 * the same on Redis and nodis whatever their memory figures: denyoom
 * commands get the OOM error once nothing (more) can be evicted, other
 * commands run, and each policy evicts exactly the keys it may. Every case
 * puts the limit back (maxmemory 0, noeviction) before it ends.
 */
import type { DiffCase, DiffStep } from '../types.js';

const set = (name: string, value: string): string[] => ['CONFIG', 'SET', name, value];
const restore: string[][] = [set('maxmemory', '0'), set('maxmemory-policy', 'noeviction')];

/** Steps run after filling db 0 and setting a policy with a 1-byte limit. */
function underLimit(policy: string, fill: (string[] | DiffStep)[], checks: (string[] | DiffStep)[]): (string[] | DiffStep)[] {
  return [...fill, set('maxmemory-policy', policy), set('maxmemory', '1'), ...checks, ...restore];
}

const ALLKEYS = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random'];
const VOLATILE = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'];
const MIXED_FILL = [
  ['SET', 'a', '1'],
  ['SET', 'b', 'hello'],
  ['SET', 'c', 'x', 'EX', '1000'],
  ['SET', 'd', 'y', 'PX', '100000000'],
];

export const cases: DiffCase[] = [
  {
    name: 'maxmemory noeviction: denyoom commands get OOM, reads, deletes and non-denyoom writes run',
    steps: underLimit('noeviction', MIXED_FILL, [
      ['SET', 'e', '1'],
      ['SET', 'a', '2'],
      ['SETNX', 'e', '1'],
      ['INCR', 'a'],
      ['INCRBYFLOAT', 'a', '1.5'],
      ['APPEND', 'b', 'x'],
      ['SETRANGE', 'b', '0', 'x'],
      ['MSET', 'a', '1', 'e', '2'],
      ['GETSET', 'a', '3'],
      ['SETBIT', 'b', '1', '1'],
      ['GET', 'a'],
      ['MGET', 'a', 'b', 'nosuch'],
      ['STRLEN', 'b'],
      ['GETDEL', 'a'],
      ['EXPIRE', 'b', '100'],
      ['PERSIST', 'b'],
      ['DEL', 'b', 'nosuch'],
      ['DBSIZE'],
      ['PING'],
      ['ECHO', 'hi'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'maxmemory-policy'],
    ]),
  },
  {
    name: 'maxmemory: out of memory inside MULTI refuses queueing, EXECABORT follows',
    steps: underLimit(
      'noeviction',
      [['SET', 'a', '1']],
      [['MULTI'], ['GET', 'a'], ['PING'], ['MULTI'], ['EXEC'], ['MULTI'], ['SET', 'a', '2'], ['DISCARD'], ['EXEC'], ['GET', 'a']],
    ),
  },
  ...ALLKEYS.map((policy): DiffCase => ({
    name: `maxmemory ${policy}: every key is evicted, then writes get OOM`,
    steps: underLimit(policy, MIXED_FILL, [['SET', 'e', '1'], ['DBSIZE'], ['GET', 'a'], ['SET', 'a', '1'], ['DEL', 'a']]),
  })),
  ...VOLATILE.map((policy): DiffCase => ({
    name: `maxmemory ${policy}: only keys with an expiry are evicted`,
    steps: underLimit(policy, MIXED_FILL, [
      ['SET', 'e', '1'],
      ['DBSIZE'],
      ['MGET', 'a', 'b', 'c', 'd'],
      ['TTL', 'c'],
      ['SET', 'f', '1', 'EX', '100'],
      ['EXISTS', 'f'],
      ['DEL', 'a', 'b'],
      ['SET', 'a', '1'],
    ]),
  })),
];
