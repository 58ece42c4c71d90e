/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]: parses
 * the options with Redis 7.0's errors (a repeated option or ABORT with
 * any other is a syntax error; ABORT is answered before the role checks)
 * and hands over to replication/primary/failover.ts.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { Err, ReplyError } from '../util/errors.js';
import { parseLL } from '../util/numbers.js';
import type { FailoverTarget } from '../replication/primary/failover.js';

function integer(text: string): number {
  const n = parseLL(text);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

function failover(c: Client, argv: string[]): void {
  let target: FailoverTarget | null = null;
  let timeout: number | null = null;
  let force = false;
  let abort = false;
  for (let j = 1; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (opt === 'to' && left >= 2 && target === null) {
      target = { host: argv[j + 1]!, port: integer(argv[j + 2]!) };
      j += 2;
    } else if (opt === 'timeout' && left >= 1 && timeout === null) {
      timeout = integer(argv[++j]!);
      if (timeout <= 0) throw new ReplyError('ERR FAILOVER timeout must be greater than 0');
    } else if (opt === 'force' && !force) force = true;
    else if (opt === 'abort' && !abort) abort = true;
    else throw new ReplyError(Err.syntax);
  }
  const failover = c.server.replication.failover;
  if (abort) {
    if (target !== null || timeout !== null || force) throw new ReplyError(Err.syntax);
    failover.abortCommand();
  } else failover.start(target, timeout ?? 0, force);
  c.reply.ok();
}

export const failoverCommands: CommandDef[] = [{ name: 'failover', handler: failover }];
