/**
 * Differential cases for server and introspection commands: CLIENT,
 * COMMAND, INFO, SLOWLOG, LATENCY, DEBUG, TIME, LASTSAVE, SHUTDOWN and
 * MONITOR argument handling. Replies that depend on time, addresses or
 * process identity are compared by shape (kinds and sizes); so are
 * containers' COMMAND INFO/DOCS (Redis orders subcommands by a per-process
 * random hash seed). nodis serves fewer commands than Redis 7.0 (no
 * scripting, streams, HyperLogLog, geo, client-side caching …), so the
 * whole command table (COMMAND, COMMAND INFO/DOCS/LIST without names) and
 * CLIENT's subcommands are not compared: a known divergence.
 */
import { shape, shapeTo, type DiffCase, type DiffStep } from '../types.js';

/** A step run on both servers whose replies are not compared (see the header: a known divergence). */
const skip = (...argv: string[]): DiffStep => ({ argv, compare: 'skip' });


export const cases: DiffCase[] = [
  {
    name: 'CLIENT SETNAME/GETNAME/ID',
    steps: [
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'SETNAME', 'a b'],
      ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', 'conn-1'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''],
      ['CLIENT', 'GETNAME'], shape('CLIENT', 'ID'), ['CLIENT', 'ID', 'x'],
    ],
  },
  {
    name: 'CLIENT LIST and INFO arguments',
    steps: [
      ['CLIENT', 'LIST', 'TYPE'], ['CLIENT', 'LIST', 'TYPE', 'foo'], ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
      ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'LIST', 'TYPE', 'replica'], ['CLIENT', 'LIST', 'TYPE', 'slave'],
      ['CLIENT', 'LIST', 'ID'], ['CLIENT', 'LIST', 'ID', '1', 'x'], ['CLIENT', 'LIST', 'ID', '-1'], ['CLIENT', 'LIST', 'ID', '999999'],
      ['CLIENT', 'LIST', 'foo'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '3'], ['CLIENT', 'INFO', 'x'],
      shape('CLIENT', 'LIST'), shape('CLIENT', 'LIST', 'TYPE', 'NORMAL'), shape('CLIENT', 'INFO'),
    ],
  },
  {
    name: 'CLIENT KILL arguments',
    steps: [
      ['CLIENT', 'KILL'], ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'id'], ['CLIENT', 'KILL', 'ID', 'x'],
      ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-5'], ['CLIENT', 'KILL', 'ID', '999999'],
      ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME'], ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'KILL', 'MAXAGE', '100'], ['CLIENT', 'KILL', 'USER', 'nosuch'], ['CLIENT', 'KILL', 'ADDR', '1.1.1.1:1', 'LADDR', '2.2.2.2:2'],
      ['CLIENT', 'KILL', 'foo', 'bar'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['CLIENT', 'KILL', 'TYPE', 'master'],
      ['CLIENT', 'KILL', 'TYPE', 'slave'], ['CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'yes', 'ID', '999999'],
    ],
  },
  {
    name: 'CLIENT PAUSE/UNPAUSE/NO-EVICT arguments',
    steps: [
      ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10.5'],
      ['CLIENT', 'PAUSE', '99999999999999999999'], ['CLIENT', 'PAUSE', '10', 'foo'], ['CLIENT', 'PAUSE', '10', 'write', 'x'],
      ['CLIENT', 'PAUSE', '0', 'WRITE'], ['CLIENT', 'UNPAUSE'], ['CLIENT', 'UNPAUSE', 'x'],
      ['CLIENT', 'NO-EVICT'], ['CLIENT', 'NO-EVICT', 'foo'], ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'],
      ['CLIENT'], ['CLIENT', 'foo'], ['CLIENT', 'HELP', 'x'], ['CLIENT', 'REPLY'], ['CLIENT', 'REPLY', 'foo'], ['CLIENT', 'REPLY', 'ON'],
    ],
  },
  {
    name: 'COMMAND INFO and DOCS',
    steps: [
      ['COMMAND', 'INFO', 'get', 'set', 'nosuch', 'GET'], ['COMMAND', 'INFO', 'client|list'], ['COMMAND', 'INFO', 'config|get', 'client|kill'],
      ['COMMAND', 'INFO', 'time', 'lastsave', 'info', 'monitor', 'debug', 'shutdown', 'ping', 'echo', 'select'],
      ['COMMAND', 'DOCS', 'get', 'nosuch', 'set', 'client|info'], ['COMMAND', 'DOCS', 'nosuch'], ['COMMAND', 'DOCS', 'info', 'time', 'debug'],
      // Containers: down to the number of subcommands (whose order is random in Redis).
      shapeTo(3, 'COMMAND', 'INFO', 'config', 'command', 'slowlog', 'latency'), shapeTo(3, 'COMMAND', 'DOCS', 'config', 'command'),
      skip('COMMAND'), shape('COMMAND', 'COUNT'), skip('COMMAND', 'INFO'), skip('COMMAND', 'DOCS'), ['COMMAND', 'COUNT', 'x'],
    ],
  },
  {
    name: 'COMMAND GETKEYS and GETKEYSANDFLAGS',
    steps: [
      ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'get', 'a'], ['COMMAND', 'GETKEYS', 'nosuch', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'ping', 'x', 'y'], ['COMMAND', 'GETKEYS', 'set', 'a'], ['COMMAND', 'GETKEYS', 'set', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'SET', 'a', 'b', 'GET'], ['COMMAND', 'GETKEYS', 'config', 'get', 'x'], ['COMMAND', 'GETKEYS', 'client', 'nosuch', 'x'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'a', 'b'], ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'a', 'b', 'get'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'ping', 'x'], ['COMMAND', 'HELP'], ['COMMAND', 'HELP', 'x'],
    ],
  },
  {
    name: 'COMMAND GETKEYS with key counts and SORT options',
    steps: [
      ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '2147483647', 'z'], ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '-1', 'z'],
      ['COMMAND', 'GETKEYS', 'zunionstore', 'd', 'x', 'z'], ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '1', 'z'],
      ['COMMAND', 'GETKEYS', 'lmpop', '5', 'a', 'b', 'left'], ['COMMAND', 'GETKEYS', 'blmpop', '0', '2', 'a', 'b', 'left'],
      ['COMMAND', 'GETKEYS', 'sort', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'sort', 'k', 'store', 'd', 'store', 'e'],
      ['COMMAND', 'GETKEYS', 'sort', 'k', 'by', 'store', 'store', 'd'], ['COMMAND', 'GETKEYS', 'sort', 'k', 'limit', 'store', '1', 'store', 'd'],
      ['COMMAND', 'GETKEYS', 'sort', 'k', 'get', '#', 'store'], ['COMMAND', 'GETKEYSANDFLAGS', 'sort_ro', 'k'],
    ],
  },
  {
    name: 'COMMAND LIST',
    steps: [
      ['COMMAND', 'LIST', 'FILTERBY'], ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'bar'], ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'], ['COMMAND', 'LIST', 'foo'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'pin?'],
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'LASTSAV*'], skip('COMMAND', 'LIST'),
    ],
  },
  {
    name: 'INFO arguments',
    steps: [['INFO', 'nosuch'], ['INFO', 'keyspace'], ['SET', 'k', 'v'], ['INFO', 'KEYSPACE', 'nosuch'], ['INFO', 'cluster'], shape('INFO'), shape('INFO', 'all')],
  },
  {
    name: 'SLOWLOG',
    steps: [
      ['SLOWLOG', 'HELP'], ['SLOWLOG', 'GET', 'x'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'foo'],
      ['SLOWLOG', 'RESET'], ['SLOWLOG', 'GET', '0'], ['SLOWLOG', 'RESET', 'x'], shape('SLOWLOG', 'LEN'), shape('SLOWLOG', 'GET', '-1'),
    ],
  },
  {
    name: 'LATENCY with monitoring off',
    steps: [
      ['LATENCY', 'HELP'], ['LATENCY', 'RESET'], ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'DOCTOR'],
      ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'HISTOGRAM', 'nosuch'], ['LATENCY', 'RESET', 'a', 'b'], ['LATENCY', 'foo'],
      // Each command's bucket counts depend on how long its calls took: compared down to its fields.
      ['LATENCY', 'GRAPH'], shapeTo(2, 'LATENCY', 'HISTOGRAM'),
    ],
  },
  {
    name: 'TIME, LASTSAVE, SHUTDOWN arguments, MONITOR arity',
    steps: [
      shape('TIME'), ['TIME', 'x'], shape('LASTSAVE'), ['LASTSAVE', 'x'], ['SHUTDOWN', 'foo'], ['SHUTDOWN', 'ABORT'],
      ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'NOW', 'ABORT'], ['SHUTDOWN', 'FORCE', 'ABORT'], ['MONITOR', 'x'],
    ],
  },
  {
    name: 'DEBUG argument errors and POPULATE',
    steps: [
      ['DEBUG'], ['DEBUG', 'object'], ['DEBUG', 'digest', 'x'], ['DEBUG', 'populate'], ['DEBUG', 'populate', 'x'],
      ['DEBUG', 'populate', '-1'], ['DEBUG', 'populate', '3', 'p', '5'], ['DEBUG', 'populate', '3', 'p', '5'], ['GET', 'p:0'], ['GET', 'p:2'],
      ['DEBUG', 'populate', '2', 'q', '-1'], ['DEBUG', 'populate', '2', 'q', 'x'], ['DEBUG', 'populate', '2'], ['GET', 'key:1'],
      ['DEBUG', 'populate', '1', 'w', '12'], ['GET', 'w:0'], ['DEBUG', 'populate', '1', 'z', '0'], ['GET', 'z:0'],
      ['DEBUG', 'populate', '1', 'y', '1', 'extra'], ['DEBUG', 'sleep'], ['DEBUG', 'sleep', 'x'], ['DEBUG', 'sleep', '0'],
      ['DEBUG', 'set-active-expire'], ['DEBUG', 'set-active-expire', '1'], ['DEBUG', 'log'], ['DEBUG', 'log', 'hello from the differential suite'],
      ['DEBUG', 'log', 'a', 'b'], ['DEBUG', 'foo'], ['DEBUG', 'object', 'nokey'], ['DEBUG', 'object', 'p:0', 'x'],
    ],
  },
  {
    // push comes last: in RESP3 its out-of-band message and the real reply that follows are two replies.
    name: 'DEBUG PROTOCOL: a sample of every reply type',
    steps: [
      ...['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'verbatim', 'true', 'false', 'TRUE', 'Map'].map(
        (t) => ['DEBUG', 'PROTOCOL', t],
      ),
      ['DEBUG', 'PROTOCOL', 'nosuch'], ['DEBUG', 'PROTOCOL'], ['DEBUG', 'PROTOCOL', 'string', 'x'], ['PING'],
      ['DEBUG', 'PROTOCOL', 'push'],
    ],
  },
  {
    name: 'DEBUG QUICKLIST-PACKED-THRESHOLD arguments',
    steps: [
      ...['1b', '5K', '3gb', '4293918720', '4293918721', '4gb', '-1', '1.5', 'abc', '', '0'].map((v) => ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', v]),
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD'], ['DEBUG', 'quicklist-packed-threshold', '0', 'x'],
    ],
  },
  {
    name: 'DEBUG DIGEST and DIGEST-VALUE',
    steps: [
      ['DEBUG', 'DIGEST'], ['SET', 'k1', 'hello'], ['SET', 'k2', '12345'], ['SET', '\x00bin\xff', 'v\r\nv'], ['DEBUG', 'DIGEST'],
      ['PEXPIREAT', 'k2', '99999999999999'], ['DEBUG', 'DIGEST'], ['SELECT', '9'], ['SET', 'k1', 'hello'], ['DEBUG', 'DIGEST'],
      ['DEBUG', 'DIGEST-VALUE'], ['DEBUG', 'DIGEST-VALUE', 'k1', 'nokey', 'k1'], ['SELECT', '0'], ['DEBUG', 'DIGEST-VALUE', 'k1', 'k2', '\x00bin\xff'],
      ['SET', 'big', 'x'.repeat(5000)], ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'big'],
    ],
  },
  {
    name: 'DEBUG OBJECT of strings',
    steps: [
      ['SET', 's', '5'], ['SET', 't', '-128'], ['SET', 'u', '100000'], ['SET', 'v', '12345678901'], ['SET', 'w', 'abcdefghijabcdefghijab'],
      ['SET', 'n', ''], shape('DEBUG', 'OBJECT', 's'), shape('DEBUG', 'OBJECT', 'w'),
    ],
  },
];
