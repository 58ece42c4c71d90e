/**
 * The execution path, like Redis's processCommand() and call():
 *
 *   lookup → arity → authentication → flag-driven checks → handler
 *          → statistics and slowlog → propagation of effects → reply
 *
 * Checks are driven by the command table's flags, never by command names
 * (DESIGN principle 2). Later features (MULTI queueing, read-only replicas,
 * OOM, pub/sub context) hook in as further checks in process().
 *
 * Propagation: a write command that changed the dataset (server.dirty
 * moved) is recorded as an effect: its argv, or the deterministic argv the
 * handler put in client.propagateArgv. Handlers may also record extra
 * effects (server.propagation.record). The effects of one command are
 * emitted together, wrapped in MULTI/EXEC when there are several.
 */
import type { Client } from './client.js';
import type { Server } from './server.js';
import { F, type Command } from '../commands/table.js';
import { Err, ReplyError } from '../util/errors.js';
import { refreshClockAt } from '../util/clock.js';
import { ReplyMode } from './client.js';
import { PauseKind } from './pause.js';

export class Executor {
  constructor(private readonly server: Server) {}

  /** Validates argv against the table and executes it for client c. */
  process(c: Client, argv: string[]): void {
    const server = this.server;
    const name = argv[0]!;
    // Pipelines repeat a command: comparing with the previous name is cheaper than hashing it.
    let cmd = name === c.lastLookupName ? c.lastLookup : server.commands.lookup(name);
    if (cmd === undefined) {
      c.error(Err.unknownCommand(argv[0]!, argv.slice(1)));
      return;
    }
    c.lastLookupName = name;
    c.lastLookup = cmd;
    if (cmd.subcommands !== null && argv.length >= 2) {
      const sub = cmd.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        c.error(Err.unknownSubcommand(argv[1]!, argv[0]!));
        return;
      }
      cmd = sub;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity || cmd.handler === null) {
      cmd.rejectedCalls++;
      c.error(Err.wrongArity(cmd.fullName));
      return;
    }
    if (!c.authenticated && (cmd.flags & F.no_auth) === 0) {
      cmd.rejectedCalls++;
      c.error(Err.noAuth);
      return;
    }
    if ((c.kindFlag === 'O' || c.kindFlag === 'S') && (cmd.flags & (F.write | F.readonly | F.may_replicate)) !== 0) {
      cmd.rejectedCalls++;
      c.error(Err.replicaKeyspace);
      return;
    }
    if (server.pause.kind !== PauseKind.None && server.pause.mustWait(c, cmd)) {
      server.pause.park(c, argv);
      return;
    }
    this.call(c, cmd, argv);
  }

  /** Runs a validated command: handler, stats, slowlog, propagation, reply mode. */
  call(c: Client, cmd: Command, argv: string[]): void {
    const server = this.server;
    const dirtyBefore = server.dirty;
    const errorsBefore = server.stats.errorReplies;
    const modeBefore = c.replyMode;
    const replyMark = c.reply.pendingBytes;
    c.propagateArgv = null;
    c.lastCommand = cmd;
    const start = refreshClockAt(performance.now());
    try {
      cmd.handler!(c, argv);
    } catch (e) {
      if (e instanceof ReplyError) c.error(e.reply);
      else {
        server.logger.warning(`Internal error in '${cmd.fullName}': ${(e as Error).stack ?? e}`);
        c.error(`ERR internal error executing '${cmd.fullName}'`);
      }
    }
    const usec = (performance.now() - start) * 1000;
    cmd.calls++;
    cmd.usec += usec;
    if (server.stats.errorReplies !== errorsBefore) cmd.failedCalls++;
    c.commandsProcessed++;
    server.stats.commandsProcessed++;
    if ((cmd.flags & F.skip_slowlog) === 0) server.slowlog.consider(c, argv, usec);
    server.latency.recordCommand(cmd, usec, (cmd.flags & F.fast) !== 0);
    if (server.monitors.size > 0 && (cmd.flags & (F.admin | F.skip_monitor)) === 0) server.feedMonitors(c, argv);
    if (server.dirty !== dirtyBefore && (cmd.flags & F.write) !== 0) {
      server.propagation.record(c.db.id, c.propagateArgv ?? argv);
    }
    server.propagation.commit();
    if (modeBefore !== ReplyMode.On || c.replyMode !== ReplyMode.On) applyReplyMode(c, replyMark, modeBefore);
  }
}

/**
 * CLIENT REPLY OFF|SKIP: drops what the command just wrote (bytes after
 * `mark`) while replies are off or skipped, and advances SKIP's state:
 * CLIENT REPLY SKIP sets SkipNext, which becomes Skipping for the next
 * command, whose reply is dropped before replies turn on again.
 */
function applyReplyMode(c: Client, mark: number, before: ReplyMode): void {
  if (c.replyMode === ReplyMode.Off) {
    c.reply.truncate(mark);
  } else if (c.replyMode === ReplyMode.SkipNext) {
    c.reply.truncate(mark);
    c.replyMode = ReplyMode.Skipping;
  } else if (before === ReplyMode.Skipping) {
    c.reply.truncate(mark);
    if (c.replyMode === ReplyMode.Skipping) c.replyMode = ReplyMode.On;
  }
}
