/**
 * Differential cases for MULTI EXEC DISCARD WATCH UNWATCH from a single
 * connection: queueing, the errors that abort EXEC (unknown command,
 * arity, commands refused in a transaction) and those that do not (nested
 * MULTI, WATCH inside MULTI), runtime errors inside EXEC, and WATCH
 * invalidation by the watcher's own writes, flushes and SWAPDB, and expiry.
 * Two-client WATCH scenarios live in the integration tests.
 */
import type { DiffCase } from '../types.js';

/** Steps that end a transaction with a PING and EXEC: the reply shows whether the watch held. */
const execPing = [['MULTI'], ['PING'], ['EXEC']];

export const cases: DiffCase[] = [
  {
    name: 'MULTI/EXEC queues and runs in order',
    steps: [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'], ['GET', 'a']],
  },
  { name: 'EXEC of an empty transaction', steps: [['MULTI'], ['EXEC']] },
  { name: 'EXEC and DISCARD without MULTI', steps: [['EXEC'], ['DISCARD'], ['UNWATCH']] },
  { name: 'DISCARD drops the queue', steps: [['MULTI'], ['SET', 'a', '1'], ['DISCARD'], ['GET', 'a'], ['EXEC']] },
  { name: 'nested MULTI is refused without aborting', steps: [['MULTI'], ['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']] },
  { name: 'WATCH inside MULTI is refused without aborting', steps: [['MULTI'], ['WATCH', 'a'], ['SET', 'a', '1'], ['EXEC']] },
  { name: 'unknown command aborts EXEC', steps: [['MULTI'], ['NOSUCHCMD', 'x', 'y'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a'], ['EXEC']] },
  { name: 'arity error aborts EXEC', steps: [['MULTI'], ['GET', 'a', 'b'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']] },
  { name: 'unknown subcommand aborts EXEC', steps: [['MULTI'], ['CONFIG', 'NOPE'], ['EXEC']] },
  {
    name: 'no-multi commands are refused and abort EXEC',
    steps: [['MULTI'], ['SHUTDOWN', 'NOSAVE'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']],
  },
  { name: 'DISCARD after a queueing error clears it', steps: [['MULTI'], ['NOSUCHCMD'], ['DISCARD'], ['MULTI'], ['PING'], ['EXEC']] },
  {
    name: 'runtime errors inside EXEC do not stop the rest',
    steps: [
      ['MULTI'],
      ['SET', 'a', 'x'],
      ['INCR', 'a'],
      ['LPUSH', 'a', 'v'],
      ['SET', 'b', '2'],
      ['INCRBY', 'b', 'nope'],
      ['GET', 'b'],
      ['EXEC'],
    ],
  },
  {
    name: 'EXEC replies with RESP3 types inside',
    steps: [['MULTI'], ['PING', 'x'], ['GET', 'nosuch'], ['ECHO', 'e'], ['INCR', 'n'], ['EXEC']],
  },
  { name: 'UNWATCH and DISCARD inside MULTI', steps: [['MULTI'], ['UNWATCH'], ['DISCARD'], ['MULTI'], ['UNWATCH'], ['EXEC']] },
  { name: 'WATCH arity', steps: [['WATCH'], ['WATCH', 'a', 'b', 'a'], ['UNWATCH'], ['UNWATCH', 'x']] },
  { name: "WATCH: the watcher's own write aborts EXEC", steps: [['WATCH', 'k'], ['SET', 'k', '1'], ...execPing] },
  { name: 'WATCH: a missing key deleted again is no change', steps: [['WATCH', 'k'], ['DEL', 'k'], ...execPing] },
  { name: 'WATCH: UNWATCH forgets the change', steps: [['WATCH', 'k'], ['SET', 'k', '1'], ['UNWATCH'], ...execPing] },
  { name: 'WATCH: EXEC clears the watches', steps: [['WATCH', 'k'], ['SET', 'k', '1'], ...execPing, ['SET', 'k', '2'], ...execPing] },
  {
    name: 'WATCH: an aborted EXEC clears the watches',
    steps: [['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['NOSUCHCMD'], ['EXEC'], ['SET', 'k', '2'], ...execPing],
  },
  { name: 'WATCH: writes inside EXEC do not abort it', steps: [['WATCH', 'k'], ['MULTI'], ['SET', 'k', '1'], ['INCR', 'k'], ['EXEC']] },
  { name: 'WATCH: list push', steps: [['WATCH', 'l'], ['RPUSH', 'l', 'a'], ...execPing] },
  { name: 'WATCH: expiry change', steps: [['SET', 'k', 'v'], ['WATCH', 'k'], ['EXPIRE', 'k', '100'], ...execPing] },
  { name: 'WATCH: FLUSHDB of a watched key', steps: [['SET', 'k', '1'], ['WATCH', 'k'], ['FLUSHDB'], ...execPing] },
  { name: 'WATCH: FLUSHDB without the watched key', steps: [['SET', 'j', '1'], ['WATCH', 'k'], ['FLUSHDB'], ...execPing] },
  { name: 'WATCH: FLUSHALL of a watched key', steps: [['SET', 'k', '1'], ['WATCH', 'k'], ['FLUSHALL'], ...execPing] },
  {
    name: 'WATCH: flushing another db',
    steps: [['SET', 'k', '1'], ['WATCH', 'k'], ['SELECT', '1'], ['FLUSHDB'], ['SELECT', '0'], ...execPing],
  },
  {
    name: 'WATCH: SWAPDB bringing the key',
    steps: [['SELECT', '1'], ['SET', 'k', '1'], ['SELECT', '0'], ['WATCH', 'k'], ['SWAPDB', '0', '1'], ...execPing],
  },
  { name: 'WATCH: SWAPDB taking the key away', steps: [['SET', 'k', '1'], ['WATCH', 'k'], ['SWAPDB', '0', '1'], ...execPing] },
  {
    name: 'WATCH: SWAPDB without the key on either side',
    steps: [['SELECT', '1'], ['SET', 'j', '1'], ['SELECT', '0'], ['WATCH', 'k'], ['SWAPDB', '0', '1'], ...execPing],
  },
  { name: 'WATCH: SWAPDB of a db with itself', steps: [['SET', 'k', '1'], ['WATCH', 'k'], ['SWAPDB', '0', '0'], ...execPing] },
  // The TTL leaves room for a slow WATCH (the key must still live then), the sleep outlasts it.
  {
    name: 'WATCH: the key expires before EXEC',
    steps: [['SET', 'k', '1', 'PX', '200'], ['WATCH', 'k'], ['DEBUG', 'SLEEP', '0.3'], ...execPing],
  },
  {
    name: 'WATCH: an already expired key deleted by expiry is no change',
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'k', '1', 'PX', '1'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['WATCH', 'k'],
      ['GET', 'k'],
      ...execPing,
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
  {
    name: 'WATCH: an already expired key flushed is no change, a later write is',
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'k', '1', 'PX', '1'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['WATCH', 'k'],
      ['FLUSHDB'],
      ...execPing,
      ['SET', 'k', '1', 'PX', '1'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['WATCH', 'k'],
      ['FLUSHDB'],
      ['SET', 'k', '2'],
      ...execPing,
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
  {
    name: 'WATCH: SWAPDB bringing an expired key',
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SELECT', '1'],
      ['SET', 'k', '1', 'PX', '1'],
      ['SELECT', '0'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['WATCH', 'k'],
      ['SWAPDB', '0', '1'],
      ...execPing,
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
  {
    name: 'WATCH: an already expired key swapped away and back',
    steps: [
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['SET', 'k', '1', 'PX', '1'],
      ['DEBUG', 'SLEEP', '0.01'],
      ['WATCH', 'k'],
      ['SWAPDB', '0', '1'],
      ['SWAPDB', '0', '1'],
      ...execPing,
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
  },
];
