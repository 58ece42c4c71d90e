/**
 * A client's transaction state: whether it is between MULTI and
 * EXEC/DISCARD, the commands queued meanwhile, whether queueing met an
 * error (EXEC then answers EXECABORT), and its watched keys (a Watcher of
 * the server's WatchRegistry).
 */
import type { Command } from '../commands/table.js';
import type { Watcher, WatchEntry, WatchRegistry } from './watch.js';

export interface QueuedCommand {
  readonly cmd: Command;
  readonly argv: string[];
}

export class MultiState implements Watcher {
  /** Between MULTI and EXEC/DISCARD. */
  active = false;
  /** A command was rejected while queueing: EXEC must abort. */
  queueError = false;
  /** True while EXEC runs the queued commands. */
  executing = false;
  queue: QueuedCommand[] = [];
  /** Sum of the queued arguments' lengths (CLIENT LIST multi-mem). */
  queuedBytes = 0;
  dirty = false;
  readonly watches: WatchEntry[] = [];

  /** Enters MULTI. */
  begin(): void {
    this.active = true;
  }

  /** Queues a validated command for EXEC. */
  enqueue(cmd: Command, argv: string[]): void {
    this.queue.push({ cmd, argv });
    for (const a of argv) this.queuedBytes += a.length;
  }

  /** Leaves MULTI, dropping the queue and the error mark (not the watches). */
  private reset(): void {
    this.active = false;
    this.queueError = false;
    this.queue = [];
    this.queuedBytes = 0;
  }

  /** Ends the transaction entirely: leaves MULTI and drops the watches (DISCARD, EXEC, RESET). */
  discard(watches: WatchRegistry): void {
    this.reset();
    watches.unwatchAll(this);
  }
}
