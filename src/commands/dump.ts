/**
 * DUMP and RESTORE: a key's value as an RDB payload and back (the payload
 * format is in persistence/rdb/dump.ts).
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { readTouch } from './key-lookup.js';
import { keyChanged } from './key-signals.js';
import { dumpPayload, payloadValue, verifyPayload } from '../persistence/rdb/dump.js';
import { limitsFromConfig } from '../persistence/rdb/limits.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import { nowMs } from '../util/clock.js';

function dump(c: Client, argv: string[]): void {
  const e = readTouch(c, argv[1]!);
  if (e === undefined) {
    c.reply.nullBulk();
    return;
  }
  const config = c.server.config;
  c.reply.bulk(dumpPayload(e.value, config.bool('rdbcompression')));
}

/** An integer argument, or Redis's not-an-integer error. */
function integerArg(s: string): number {
  const n = parseLL(s);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

/**
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]:
 * creates key from a DUMP payload, checks in Redis's order (options, an
 * existing key, the TTL, the payload's version and checksum, its data). A
 * TTL already in the past deletes the replaced key instead (propagated as
 * DEL/UNLINK); a relative TTL is propagated as an absolute one with ABSTTL.
 */
function restore(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let i = 4; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    const more = argv.length - i - 1;
    if (word === 'replace') replace = true;
    else if (word === 'absttl') absttl = true;
    else if (word === 'idletime' && more >= 1 && freq === -1) {
      idle = integerArg(argv[++i]!);
      if (idle < 0) throw new ReplyError('ERR Invalid IDLETIME value, must be >= 0');
    } else if (word === 'freq' && more >= 1 && idle === -1) {
      freq = integerArg(argv[++i]!);
      if (freq < 0 || freq > 255) throw new ReplyError('ERR Invalid FREQ value, must be >= 0 and <= 255');
    } else throw new ReplyError(Err.syntax);
  }
  const db = c.db;
  if (!replace && db.lookupWrite(key) !== undefined) throw new ReplyError('BUSYKEY Target key name already exists.');
  let ttl = integerArg(argv[2]!);
  if (ttl < 0) throw new ReplyError('ERR Invalid TTL value, must be >= 0');
  const payload = Buffer.from(argv[3]!, 'latin1');
  const config = c.server.config;
  if (!verifyPayload(payload)) throw new ReplyError('ERR DUMP payload version or checksum are wrong');
  const value = payloadValue(payload, key, limitsFromConfig(config));
  if (value === null) throw new ReplyError('ERR Bad data format');
  const deleted = replace && db.delete(key);
  if (ttl > 0 && !absttl) ttl += nowMs();
  if (ttl > 0 && ttl <= nowMs() && !c.server.isReplica()) {
    if (deleted) {
      c.propagateArgv = [config.bool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key];
      keyChanged(c, 'g', 'del', key);
      c.server.dirty++;
    }
    c.reply.ok();
    return;
  }
  const e = db.add(key, value);
  if (ttl > 0) {
    db.setExpire(key, ttl);
    if (!absttl) c.propagateArgv = [...argv.slice(0, 2), String(ttl), ...argv.slice(3), 'ABSTTL'];
  }
  if (idle !== -1) e.lru = nowMs() - idle * 1000;
  if (freq !== -1) e.lfuCount = freq;
  keyChanged(c, 'g', 'restore', key);
  c.server.dirty++;
  c.reply.ok();
}

export const dumpCommands: CommandDef[] = [
  { name: 'dump', handler: dump },
  { name: 'restore', handler: restore },
];
