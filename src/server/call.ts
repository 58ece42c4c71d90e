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
import { EvictStatus } from '../keyspace/eviction.js';
import { ClientKind } from './client-kind.js';

/** What a RESP2 client may run while it has subscriptions (Redis's pub/sub context). */
const SUBSCRIBER_COMMANDS = new Set([
  'subscribe',
  'unsubscribe',
  'psubscribe',
  'punsubscribe',
  'ssubscribe',
  'sunsubscribe',
  'ping',
  'quit',
  'reset',
]);

/** Commands that run at once between MULTI and EXEC instead of being queued. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Rejects a command before it runs; inside MULTI this also dooms the transaction (EXECABORT). */
function rejectCommand(c: Client, text: string): void {
  if (c.multi.active) c.multi.queueError = true;
  c.error(text);
}

/** Commands still accepted inside MULTI while over maxmemory (they do not grow the queue). */
const OOM_ALLOWED_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

/**
 * Whether cmd is refused while memory is over maxmemory and nothing can be
 * evicted: denyoom commands; EXEC of a transaction that queued one; and
 * inside MULTI anything but EXEC, DISCARD, QUIT and RESET, since queueing
 * itself consumes memory.
 */
function refusedOutOfMemory(c: Client, cmd: Command): boolean {
  if ((cmd.flags & F.denyoom) !== 0) return true;
  if (!c.multi.active) return false;
  if (cmd.fullName === 'exec') return c.multi.queue.some((q) => (q.cmd.flags & F.denyoom) !== 0);
  return !OOM_ALLOWED_IN_MULTI.has(cmd.fullName);
}

/** Replies the OOM error; a refused EXEC drops its transaction and watches and says why. */
function rejectOutOfMemory(c: Client, cmd: Command): void {
  if (cmd.fullName !== 'exec') rejectCommand(c, Err.outOfMemory);
  else abortExec(c, Err.outOfMemory);
}

/**
 * Whether cmd is concerned while saving fails (MISCONF, see persistence.ts):
 * writes, EXEC of a transaction that queued one, and PING, as in Redis.
 */
function deniedByDiskError(c: Client, cmd: Command): boolean {
  return cmd.fullName === 'ping' || isWrite(c, cmd);
}

/** When the last "applying despite disk errors" warning was logged (one every 10 s, as Redis). */
let lastDiskErrorWarning = 0;

/**
 * A write from our master while this replica cannot save: Redis panics
 * rather than diverge from what it could persist, unless
 * replica-ignore-disk-write-errors says to apply it (with a warning every
 * 10 seconds). PING from the master is always applied.
 */
function obeyMasterDespiteDiskError(server: Server, cmd: Command): void {
  if (!server.config.bool('replica-ignore-disk-write-errors') && cmd.fullName !== 'ping') {
    server.panic('Replica was unable to write command to disk.');
    return;
  }
  const now = Date.now();
  if (now > lastDiskErrorWarning + 10_000) {
    lastDiskErrorWarning = now;
    server.logger.warning('Replica is applying a command even though it is unable to write to disk.');
  }
}

/** Whether cmd writes: a write command, or EXEC of a transaction that queued one. */
function isWrite(c: Client, cmd: Command): boolean {
  if ((cmd.flags & F.write) !== 0) return true;
  return cmd.fullName === 'exec' && c.multi.queue.some((q) => (q.cmd.flags & F.write) !== 0);
}

/**
 * Whether cmd is refused on a replica whose link is down with
 * replica-serve-stale-data no: anything without the `stale` flag, and EXEC
 * of a transaction that queued such a command.
 */
function refusedAsStale(c: Client, cmd: Command): boolean {
  if ((cmd.flags & F.stale) === 0) return true;
  return cmd.fullName === 'exec' && c.multi.queue.some((q) => (q.cmd.flags & F.stale) === 0);
}

/** Rejects cmd with text; EXEC itself aborts its transaction with it. */
function rejectOrAbort(c: Client, cmd: Command, text: string): void {
  cmd.rejectedCalls++;
  if (cmd.fullName === 'exec') abortExec(c, text);
  else rejectCommand(c, text);
}

/** Refuses EXEC itself: drops the transaction and its watches and answers EXECABORT with the reason. */
function abortExec(c: Client, reason: string): void {
  c.multi.discard(c.server.watches);
  c.error(Err.execAbortBecause(reason));
}

export class Executor {
  constructor(private readonly server: Server) {}

  /**
   * Processes one command read from client c: validation and execution
   * (dispatch), then CLIENT REPLY OFF|SKIP applied to everything it
   * replied, rejections and QUEUED included (pushes excepted). A command
   * parked by CLIENT PAUSE is not processed yet: it comes back here later.
   */
  process(c: Client, argv: string[]): void {
    const modeBefore = c.replyMode;
    const mark = c.reply.pendingBytes;
    c.pushRanges.length = 0;
    this.dispatch(c, argv);
    if (c.parkedArgv !== null) return;
    if (modeBefore !== ReplyMode.On || c.replyMode !== ReplyMode.On) applyReplyMode(c, mark, modeBefore);
  }

  /** Validates argv against the table and executes it for client c (Redis's processCommand). */
  private dispatch(c: Client, argv: string[]): void {
    const server = this.server;
    const name = argv[0]!;
    // Pipelines repeat a command: comparing with the previous name is cheaper than hashing it.
    let cmd = name === c.lastLookupName ? c.lastLookup : server.commands.lookup(name);
    if (cmd === undefined) {
      rejectCommand(c, Err.unknownCommand(argv[0]!, argv.slice(1)));
      return;
    }
    c.lastLookupName = name;
    c.lastLookup = cmd;
    if (cmd.subcommands !== null && argv.length >= 2) {
      const sub = cmd.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        rejectCommand(c, Err.unknownSubcommand(argv[1]!, argv[0]!));
        return;
      }
      cmd = sub;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity || cmd.handler === null) {
      cmd.rejectedCalls++;
      rejectCommand(c, Err.wrongArity(cmd.fullName));
      return;
    }
    if (!c.authenticated && (cmd.flags & F.no_auth) === 0) {
      cmd.rejectedCalls++;
      rejectCommand(c, Err.noAuth);
      return;
    }
    if (c.is(ClientKind.Monitor | ClientKind.Replica) && (cmd.flags & (F.write | F.readonly | F.may_replicate)) !== 0) {
      cmd.rejectedCalls++;
      rejectCommand(c, Err.replicaKeyspace);
      return;
    }
    if (c.multi.active && (cmd.flags & F.no_multi) !== 0) {
      cmd.rejectedCalls++;
      rejectCommand(c, Err.notInMulti);
      return;
    }
    if (
      server.evictor.limited &&
      !c.is(ClientKind.Master) &&
      server.evictor.freeMemory() === EvictStatus.Fail &&
      refusedOutOfMemory(c, cmd)
    ) {
      cmd.rejectedCalls++;
      rejectOutOfMemory(c, cmd);
      return;
    }
    if (!server.persistence.lastBgsaveOk && deniedByDiskError(c, cmd)) {
      const refusal = server.persistence.writeRefusal();
      if (refusal !== null && c.is(ClientKind.Master)) obeyMasterDespiteDiskError(server, cmd);
      else if (refusal !== null) {
        rejectOrAbort(c, cmd, refusal);
        return;
      }
    }
    // min-replicas-to-write: too few replicas acknowledged recently (see replication/primary/primary.ts).
    if (isWrite(c, cmd) && server.replication.primary.refusesWrites()) {
      rejectOrAbort(c, cmd, Err.noReplicas);
      return;
    }
    // A read-only replica accepts writes from its master only.
    if (server.isReplica() && !c.is(ClientKind.Master) && server.config.bool('replica-read-only') && isWrite(c, cmd)) {
      rejectOrAbort(c, cmd, Err.readonly);
      return;
    }
    if (c.reply.resp === 2 && c.subscriptions.active && !SUBSCRIBER_COMMANDS.has(cmd.fullName)) {
      cmd.rejectedCalls++;
      const reason = Err.subscriberContext(cmd.fullName);
      if (cmd.fullName === 'exec') abortExec(c, reason);
      else rejectCommand(c, `ERR ${reason}`);
      return;
    }
    if (server.isReplica() && !server.replicaLink.linkUp && !server.config.bool('replica-serve-stale-data') && refusedAsStale(c, cmd)) {
      rejectOrAbort(c, cmd, Err.masterDown);
      return;
    }
    if (server.persistence.isLoading && (cmd.flags & F.loading) === 0 && !c.is(ClientKind.Master)) {
      rejectOrAbort(c, cmd, Err.loading);
      return;
    }
    if (server.pause.kind !== PauseKind.None && server.pause.mustWait(c, cmd)) {
      server.pause.park(c, cmd, argv);
      return;
    }
    if (c.multi.active && !RUN_IN_MULTI.has(cmd.fullName)) {
      c.multi.enqueue(cmd, argv);
      c.reply.simple('QUEUED');
      return;
    }
    this.call(c, cmd, argv);
  }

  /**
   * Runs a validated command: handler, stats, slowlog, propagation. The command failed (failed_calls) when an error reply was sent
   * while it ran and no nested command (one EXEC ran) already took it.
   */
  call(c: Client, cmd: Command, argv: string[]): void {
    const server = this.server;
    const dirtyBefore = server.dirty;
    server.stats.errorsSeen = server.stats.errorReplies;
    const offsetBefore = server.replication.offset;
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
    if (server.stats.takeNewErrors()) cmd.failedCalls++;
    c.commandsProcessed++;
    server.stats.commandsProcessed++;
    if ((cmd.flags & F.skip_slowlog) === 0) server.slowlog.consider(c, argv, usec);
    server.latency.recordCommand(cmd, usec, (cmd.flags & F.fast) !== 0);
    if (server.monitors.size > 0 && (cmd.flags & (F.admin | F.skip_monitor)) === 0) server.feedMonitors(c, argv);
    if (server.dirty !== dirtyBefore && (cmd.flags & F.write) !== 0) {
      server.propagation.record(c.db.id, c.propagateArgv ?? argv);
    }
    // A transaction's effects go out as one unit, and blocked clients are served, when EXEC itself ends.
    if (!c.multi.executing) {
      server.propagation.commit((cmd.flags & F.touches_arbitrary_keys) === 0);
      if (server.blocking.hasReady) server.blocking.serveReady();
    }
    // Like Redis, WAIT waits for the offset after the client's last command that propagated something.
    const offsetAfter = server.replication.offset;
    if (offsetAfter !== offsetBefore) c.woff = offsetAfter;
  }
}

/**
 * CLIENT REPLY OFF|SKIP: drops what the command just wrote (bytes after
 * `mark`) while replies are off or skipped, except its pushes (pub/sub
 * messages and confirmations, Client.pushRanges, as Redis's CLIENT_PUSHING
 * lets them through), and advances SKIP's state: CLIENT REPLY SKIP sets
 * SkipNext, which becomes Skipping for the next command, whose reply is
 * dropped before replies turn on again.
 */
function applyReplyMode(c: Client, mark: number, before: ReplyMode): void {
  if (c.replyMode === ReplyMode.Off || c.replyMode === ReplyMode.SkipNext || before === ReplyMode.Skipping) {
    c.reply.truncate(mark, c.pushRanges);
  }
  if (c.replyMode === ReplyMode.SkipNext) c.replyMode = ReplyMode.Skipping;
  else if (before === ReplyMode.Skipping && c.replyMode === ReplyMode.Skipping) c.replyMode = ReplyMode.On;
}
