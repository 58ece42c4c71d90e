/**
 * Server commands: INFO, TIME, LASTSAVE, SHUTDOWN, MONITOR.
 */
import type { CommandDef } from './table.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { buildInfo } from '../server/info.js';
import { Err, ReplyError } from '../util/errors.js';

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

function lastsave(c: Client): void {
  c.reply.int(Math.floor(c.server.lastSave / 1000));
}

/**
 * The persistence hook of SHUTDOWN: saves the dataset before exiting and
 * returns null, or the reason it could not. nodis has no RDB persistence
 * yet, so a save always fails; the RDB work replaces this with a real save.
 */
function saveBeforeShutdown(server: Server): string | null {
  const reason = 'RDB persistence is not available in nodis yet';
  server.logger.warning(`Error trying to save the DB: ${reason}`);
  return reason;
}

interface ShutdownFlags {
  nosave: boolean;
  save: boolean;
  now: boolean;
  force: boolean;
  abort: boolean;
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: replies only when it does
 * not shut down. An explicit SAVE fails (unless FORCE) until RDB exists.
 */
function shutdown(c: Client, argv: string[]): void {
  const f: ShutdownFlags = { nosave: false, save: false, now: false, force: false, abort: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'nosave' || a === 'save' || a === 'now' || a === 'force' || a === 'abort') f[a] = true;
    else throw new ReplyError(Err.syntax);
  }
  if ((f.nosave && f.save) || (f.abort && (f.nosave || f.save || f.now || f.force))) throw new ReplyError(Err.syntax);
  // nodis never waits for replicas before exiting, so no shutdown is ever in progress.
  if (f.abort) throw new ReplyError('ERR No shutdown in progress.');
  const server = c.server;
  if (f.save && saveBeforeShutdown(server) !== null && !f.force) throw new ReplyError('ERR Errors trying to SHUTDOWN. Check logs.');
  if (!f.save && !f.nosave && (server.config.get('save') ?? '') !== '') {
    // Save points are configured but there is nothing to save with yet: exit like a server without them.
    server.logger.warning('Save points are configured, but nodis has no RDB persistence yet: exiting without saving.');
  }
  void server.shutdownAndExit();
}

/** MONITOR: from now on the client receives every command the server executes. */
function monitor(c: Client): void {
  if (c.kindFlag === 'O') return;
  c.kindFlag = 'O';
  c.server.monitors.add(c);
  c.reply.ok();
}

export const serverCommands: CommandDef[] = [
  { name: 'info', handler: info },
  { name: 'time', handler: time },
  { name: 'lastsave', handler: lastsave },
  { name: 'shutdown', handler: shutdown },
  { name: 'monitor', handler: monitor },
];
