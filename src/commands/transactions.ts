/**
 * MULTI EXEC DISCARD WATCH UNWATCH. Queueing itself happens in the
 * execution path (call.ts), which hands commands to the client's
 * MultiState instead of running them while a transaction is open.
 */
import type { Client } from '../server/client.js';
import type { CommandDef } from './table.js';
import { Err } from '../util/errors.js';

function multi(c: Client): void {
  if (c.multi.active) {
    c.error(Err.multiNested);
    return;
  }
  c.multi.begin();
  c.reply.ok();
}

function discard(c: Client): void {
  if (!c.multi.active) {
    c.error(Err.discardWithoutMulti);
    return;
  }
  c.multi.discard(c.server.watches);
  c.reply.ok();
}

/**
 * EXEC: aborts with EXECABORT when queueing met an error, answers a null
 * array when a watched key changed or expired, else runs the queued
 * commands in order and replies with the array of their replies (an error
 * in one does not stop the rest). The watches are dropped before the
 * commands run; the effects of the whole transaction go out together
 * (call() commits propagation once, for EXEC).
 */
function exec(c: Client): void {
  const state = c.multi;
  if (!state.active) {
    c.error(Err.execWithoutMulti);
    return;
  }
  if (state.queueError) {
    state.discard(c.server.watches);
    c.error(Err.execAbort);
    return;
  }
  if (state.dirty || c.server.watches.anyExpired(state)) {
    state.discard(c.server.watches);
    c.reply.nullArray();
    return;
  }
  const queue = state.queue;
  state.discard(c.server.watches);
  const self = c.lastCommand;
  const executor = c.server.executor;
  c.reply.array(queue.length);
  state.executing = true;
  try {
    for (const q of queue) executor.call(c, q.cmd, q.argv);
  } finally {
    state.executing = false;
    c.lastCommand = self;
  }
}

function watch(c: Client, argv: string[]): void {
  if (c.multi.active) {
    c.error(Err.watchInMulti);
    return;
  }
  const watches = c.server.watches;
  for (let i = 1; i < argv.length; i++) watches.watch(c.multi, c.db, argv[i]!);
  c.reply.ok();
}

function unwatch(c: Client): void {
  c.server.watches.unwatchAll(c.multi);
  c.reply.ok();
}

export const transactionCommands: CommandDef[] = [
  { name: 'multi', handler: multi },
  { name: 'exec', handler: exec },
  { name: 'discard', handler: discard },
  { name: 'watch', handler: watch },
  { name: 'unwatch', handler: unwatch },
];
