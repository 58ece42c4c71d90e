/**
 * Server commands: INFO, TIME, LASTSAVE, SHUTDOWN, MONITOR.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import { buildInfo } from '../server/info.js';
import { Err, ReplyError } from '../util/errors.js';
import { SHUTDOWN_FAILED } from '../server/shutdown.js';
import { ClientKind } from '../server/client-kind.js';

function info(c: Client, argv: string[]): void {
  c.reply.verbatim(buildInfo(c.server, argv.slice(1)));
}

/** TIME: [unix seconds, microseconds] as bulk strings. */
function time(c: Client): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(us / 1e6)));
  c.reply.bulk(String(us % 1e6));
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: shuts down through
 * server/shutdown.ts (which may first wait for lagging replicas, the
 * client blocked meanwhile); replies only when it does not shut down (the
 * final save failed without FORCE, or ABORT cancelled the wait). ABORT
 * cancels a shutdown waiting for replicas.
 */
function shutdown(c: Client, argv: string[]): void {
  const f = { nosave: false, save: false, now: false, force: false, abort: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'nosave' || a === 'save' || a === 'now' || a === 'force' || a === 'abort') f[a] = true;
    else throw new ReplyError(Err.syntax);
  }
  if ((f.nosave && f.save) || (f.abort && (f.nosave || f.save || f.now || f.force))) throw new ReplyError(Err.syntax);
  const sequence = c.server.shutdown;
  if (f.abort) {
    if (!sequence.abort()) throw new ReplyError('ERR No shutdown in progress.');
    c.reply.ok();
    return;
  }
  sequence.request(c, f, () => {
    if (c.closed) return;
    c.error(SHUTDOWN_FAILED);
    c.scheduleFlush();
  });
}

/** MONITOR: from now on the client receives every command the server executes. */
function monitor(c: Client): void {
  if (c.is(ClientKind.Monitor)) return;
  c.kind |= ClientKind.Monitor;
  c.server.monitors.add(c);
  c.reply.ok();
}

export const serverCommands: CommandDef[] = [
  { name: 'info', handler: info },
  { name: 'time', handler: time },
  { name: 'shutdown', handler: shutdown },
  { name: 'monitor', handler: monitor },
];
