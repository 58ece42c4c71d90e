/**
 * Persistence commands: SAVE, BGSAVE, LASTSAVE. The work is in
 * src/persistence/persistence.ts; these handlers only map its outcomes to
 * Redis's replies.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';

const IN_PROGRESS = 'ERR Background save already in progress';

/** SAVE: a blocking save; "-ERR" alone when it fails, as Redis answers. */
function save(c: Client): void {
  const p = c.server.persistence;
  if (p.rdbInProgress) throw new ReplyError(IN_PROGRESS);
  if (p.save()) c.reply.ok();
  else c.error('ERR');
}

/**
 * BGSAVE [SCHEDULE]: starts a background save, or refuses while any
 * snapshot runs (a full sync's too: Redis's RDB child). Inside EXEC it is
 * queued for the cron, as Redis does (SCHEDULE matters only when another
 * kind of child runs, which nodis never has).
 */
function bgsave(c: Client, argv: string[]): void {
  if (argv.length > 1 && !(argv.length === 2 && argv[1]!.toLowerCase() === 'schedule')) throw new ReplyError(Err.syntax);
  const p = c.server.persistence;
  if (p.rdbInProgress) throw new ReplyError(IN_PROGRESS);
  if (c.multi.executing) {
    p.scheduled = true;
    c.reply.simple('Background saving scheduled');
    return;
  }
  if (p.startBackgroundSave()) c.reply.simple('Background saving started');
  else c.error('ERR');
}

function lastsave(c: Client): void {
  c.reply.int(Math.floor(c.server.lastSave / 1000));
}

export const persistenceCommands: CommandDef[] = [
  { name: 'save', handler: save },
  { name: 'bgsave', handler: bgsave },
  { name: 'lastsave', handler: lastsave },
];
