/**
 * String commands.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { isString } from '../keyspace/values.js';

function get(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]!);
  if (e === undefined) {
    c.server.stats.keyspaceMisses++;
    c.reply.nullBulk();
    return;
  }
  if (!isString(e.value)) throw new ReplyError(Err.wrongType);
  c.server.stats.keyspaceHits++;
  c.reply.bulk(e.value);
}

function set(c: Client, argv: string[]): void {
  c.db.set(argv[1]!, argv[2]!);
  c.server.dirty++;
  c.reply.ok();
}

export const stringCommands: CommandDef[] = [
  { name: 'get', handler: get },
  { name: 'set', handler: set },
];
