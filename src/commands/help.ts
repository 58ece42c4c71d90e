/**
 * Shared pieces of container commands (CLIENT, COMMAND, SLOWLOG, LATENCY,
 * DEBUG …): the HELP reply and the generic subcommand syntax error, in
 * Redis's words.
 */
import type { Client } from '../server/client.js';
import { ReplyError, truncateForError } from '../util/errors.js';

/**
 * Replies to "<CONTAINER> HELP": a header line, the given lines (a
 * subcommand line then its indented description), and the HELP entry,
 * each as a status reply in an array.
 */
export function replyHelp(c: Client, container: string, lines: readonly string[]): void {
  const w = c.reply;
  w.array(lines.length + 3);
  w.simple(`${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Prints this help.');
}

/** The error for a known subcommand used with the wrong arguments: "… for 'sub'. Try CONTAINER HELP." */
export function subcommandSyntaxError(container: string, sub: string): ReplyError {
  return new ReplyError(`ERR unknown subcommand or wrong number of arguments for '${truncateForError(sub, 128)}'. Try ${container} HELP.`);
}
