/**
 * Replication commands of the master side: PSYNC and SYNC (a connection
 * becomes a replica), REPLCONF (what a replica announces and acknowledges;
 * GETACK is answered by the replica side), and WAIT. The work is in
 * replication/primary/primary.ts.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';

/** Longest REPLCONF ip-address accepted (Redis's NET_HOST_STR_LEN, with its terminator). */
const MAX_IP_ADDRESS = 255;

function psync(c: Client, argv: string[]): void {
  c.server.replication.primary.handleSync(c, argv, true);
}

function sync(c: Client, argv: string[]): void {
  c.server.replication.primary.handleSync(c, argv, false);
}

/** An integer argument in [min, max], with Redis's errors. */
function rangeArg(text: string, min: number, max: number): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  if (n < min || n > max) throw new ReplyError(`ERR value is out of range, value must between ${min} and ${max}`);
  return n;
}

/**
 * REPLCONF <option> <value> …: listening-port, ip-address, capa,
 * rdb-only, rdb-filter-only, and dual-channel sync's rdb-channel and
 * rdb-client-id (nodis extensions, as in Valkey 8) reply +OK after all options are read; ACK and
 * GETACK are handled at once and reply nothing (ACK from a client that is
 * not a replica is ignored).
 */
function replconf(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) throw new ReplyError(Err.syntax);
  const primary = c.server.replication.primary;
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j]!.toLowerCase();
    const val = argv[j + 1]!;
    if (opt === 'listening-port') {
      const port = parseLL(val);
      if (port === null) throw new ReplyError(Err.notInteger);
      primary.conn(c).listeningPort = port;
    } else if (opt === 'ip-address') {
      if (val.length > MAX_IP_ADDRESS)
        throw new ReplyError(`ERR REPLCONF ip-address provided by replica instance is too long: ${val.length} bytes`);
      primary.conn(c).announcedIp = val;
    } else if (opt === 'capa') {
      const capa = val.toLowerCase();
      if (capa === 'eof') primary.conn(c).capaEof = true;
      else if (capa === 'psync2') primary.conn(c).capaPsync2 = true;
      else if (capa === 'dual-channel') primary.conn(c).capaDualChannel = true;
    } else if (opt === 'ack') {
      primary.onAck(c, val);
      return;
    } else if (opt === 'getack') {
      c.server.replicaLink.ackIfMasterLink(c);
      return;
    } else if (opt === 'rdb-only') {
      primary.conn(c).rdbOnly = rangeArg(val, 0, 1) === 1;
    } else if (opt === 'rdb-channel') {
      // The RDB connection of a dual-channel sync (replication/primary/dual-channel.ts): it takes the RDB only.
      const r = primary.conn(c);
      r.rdbChannel = rangeArg(val, 0, 1) === 1;
      if (r.rdbChannel) r.rdbOnly = true;
    } else if (opt === 'rdb-client-id') {
      const id = parseLL(val);
      if (id === null) throw new ReplyError(Err.notInteger);
      primary.conn(c).rdbClientId = id;
    } else if (opt === 'rdb-filter-only') {
      for (const f of val.split(' ')) {
        if (f !== '' && f.toLowerCase() !== 'functions') throw new ReplyError(`ERR Unsupported rdb-filter-only option: ${f}`);
      }
    } else throw new ReplyError(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
  }
  c.reply.ok();
}

/** WAIT numreplicas timeout (milliseconds, 0 = forever). */
function wait(c: Client, argv: string[]): void {
  if (c.server.isReplica()) {
    throw new ReplyError(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
  }
  const needed = parseLL(argv[1]!);
  if (needed === null) throw new ReplyError(Err.notInteger);
  const timeout = parseLL(argv[2]!);
  if (timeout === null) throw new ReplyError('ERR timeout is not an integer or out of range');
  if (timeout < 0) throw new ReplyError(Err.timeoutNegative);
  c.server.replication.primary.waits.wait(c, needed, timeout);
}

export const replicationMasterCommands: CommandDef[] = [
  { name: 'psync', handler: psync },
  { name: 'sync', handler: sync },
  { name: 'replconf', handler: replconf },
  { name: 'wait', handler: wait },
];
