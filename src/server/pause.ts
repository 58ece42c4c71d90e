/**
 * CLIENT PAUSE / UNPAUSE: suspending clients' commands for a while, as
 * Redis 7.0 does it (used to stop writes during a failover).
 *
 * States: not paused → paused WRITE → paused ALL. A new pause keeps the
 * stronger kind and the later end time of the two. While paused:
 * - ALL: every command from a non-replica client waits;
 * - WRITE: only commands that may change the dataset wait (flags `write`
 *   or `may_replicate`: SET, PUBLISH, EVAL, PFCOUNT …); also no key is
 *   expired (lazily or actively), so the dataset does not change at all.
 * A waiting command has already been read: it is parked with its client
 * (whose input processing stops, and which INFO and CLIENT LIST show as
 * blocked, as Redis does), and when the pause ends (timer or
 * UNPAUSE) parked clients resume in the order they were parked, each
 * running its parked command and then the rest of its input.
 *
 * FAILOVER and SHUTDOWN's wait for replicas hold writes paused on their own
 * (holdWrites/releaseWrites, counted): CLIENT UNPAUSE and a CLIENT PAUSE
 * timer leave a hold in place, and releasing the last one leaves a CLIENT
 * PAUSE still running in place.
 */
import { F, type Command } from '../commands/table.js';
import type { Client } from './client.js';
import type { Server } from './server.js';
import { ClientKind } from './client-kind.js';

/** Longest delay a Node timer accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const enum PauseKind {
  None = 0,
  Write = 1,
  All = 2,
}

export class ClientPause {
  kind = PauseKind.None;
  /** Unix time in ms when the pause ends. */
  endMs = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Clients waiting with a parked command, in arrival order. */
  private parked: Client[] = [];
  /** Write pauses held by FAILOVER (replication/primary/failover.ts) and SHUTDOWN (shutdown.ts). */
  private held = 0;

  constructor(private readonly server: Server) {}

  /** Starts or extends a pause: the stronger kind and the later end win. */
  pause(kind: PauseKind, endMs: number): void {
    if (kind > this.kind) this.kind = kind;
    if (endMs > this.endMs) this.endMs = endMs;
    this.armTimer();
  }

  /** Sets the timer for the end of the pause (in steps, as timers cannot exceed ~24.8 days). */
  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const left = this.endMs - Date.now();
    this.timer = setTimeout(() => (Date.now() >= this.endMs ? this.unpause() : this.armTimer()), Math.max(0, Math.min(left, MAX_TIMER_MS)));
    this.timer.unref();
  }

  /**
   * Ends the pause. Parked clients resume in order once the current
   * command (UNPAUSE itself, or the timer) has finished.
   */
  unpause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.kind = this.held > 0 ? PauseKind.Write : PauseKind.None;
    this.endMs = 0;
    const parked = this.parked;
    this.parked = [];
    if (parked.length > 0) setImmediate(() => this.resume(parked));
  }

  /** Pauses writes until the matching releaseWrites(), whatever CLIENT PAUSE/UNPAUSE do meanwhile. */
  holdWrites(): void {
    this.held++;
    if (this.kind < PauseKind.Write) this.kind = PauseKind.Write;
  }

  /** Ends one hold; when none is left, writes resume unless a CLIENT PAUSE still runs. */
  releaseWrites(): void {
    this.held = Math.max(0, this.held - 1);
    if (this.held === 0 && this.endMs === 0) this.unpause();
  }

  /** Runs each parked client's command, then the rest of its input; a new pause parks them again. */
  private resume(parked: readonly Client[]): void {
    for (const c of parked) {
      const argv = c.parkedArgv;
      c.parkedArgv = null;
      c.pausedInput = false;
      if (c.closed || argv === null) continue;
      this.server.executor.process(c, argv);
      c.processInput();
    }
  }

  /** True while writes (and key expiry) are suspended (WRITE or ALL). */
  get writesPaused(): boolean {
    return this.kind !== PauseKind.None;
  }

  /** Whether cmd, sent by c, must wait for the pause to end. Replicas never wait. */
  mustWait(c: Client, cmd: Command): boolean {
    if (this.kind === PauseKind.None || c.is(ClientKind.Replica)) return false;
    return this.kind === PauseKind.All || (cmd.flags & (F.write | F.may_replicate)) !== 0;
  }

  /** Clients parked now (Redis counts them in blocked_clients). */
  get parkedCount(): number {
    return this.parked.length;
  }

  /**
   * Parks c with its command cmd (argv) until the pause ends; c reads no
   * further input meanwhile. As in Redis, c shows as blocked (flag b) with
   * cmd as its command in CLIENT LIST while it waits.
   */
  park(c: Client, cmd: Command, argv: string[]): void {
    c.lastCommand = cmd;
    c.parkedArgv = argv;
    c.pausedInput = true;
    this.parked.push(c);
  }

  /** Forgets a client that disconnected while parked. */
  forget(c: Client): void {
    const i = this.parked.indexOf(c);
    if (i !== -1) this.parked.splice(i, 1);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
