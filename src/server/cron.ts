/**
 * Periodic work, run `hz` times a second like Redis's serverCron:
 * the active expiry cycle (sample keys with a TTL and reclaim the expired
 * ones nobody reads, within a time budget), and closing clients idle longer
 * than `timeout`. Other subsystems register their own periodic tasks.
 */
import type { Server } from './server.js';
import { refreshClock } from '../util/clock.js';
import { ClientKind } from './client-kind.js';

/**
 * How hard the expiry cycle works at an `active-expire-effort` (1 to 10), as
 * Redis 7.0 scales it: keys sampled per db per loop (20 at effort 1, +5 per
 * step), the share of each cron period it may use (25%, +2% per step), and
 * the share of expired keys in a sample above which it loops on a db again
 * (10%, -1% per step).
 */
export function expireEffort(effort: number): { keysPerLoop: number; timeShare: number; acceptableStale: number } {
  const e = Math.min(10, Math.max(1, effort)) - 1;
  return { keysPerLoop: 20 + 5 * e, timeShare: (25 + 2 * e) / 100, acceptableStale: (10 - e) / 100 };
}

export class Cron {
  private timer: NodeJS.Timeout | null = null;
  private readonly tasks: (() => void)[] = [];
  /** Set by DEBUG SET-ACTIVE-EXPIRE 0 to turn the expiry cycle off. */
  activeExpireEnabled = true;

  constructor(private readonly server: Server) {}

  /** Adds work to run on every cron tick. */
  addTask(fn: () => void): void {
    this.tasks.push(fn);
  }

  start(): void {
    this.schedule();
  }

  /** hz changed: the next tick comes at the new rate (if the cron runs). */
  reschedule(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const hz = Math.min(500, Math.max(1, this.server.config.num('hz')));
    this.timer = setTimeout(() => {
      this.tick(1000 / hz);
      this.schedule();
    }, 1000 / hz);
    this.timer.unref();
  }

  /** One tick: expiry cycle, idle clients, registered tasks. */
  tick(periodMs: number): void {
    refreshClock();
    if (this.activeExpireEnabled && !this.server.pause.writesPaused) {
      const effort = expireEffort(this.server.config.num('active-expire-effort'));
      // A replica expires only the keys its own clients gave a TTL (replica/own-expires.ts).
      if (!this.server.isReplica()) this.activeExpireCycle(periodMs * effort.timeShare, effort.keysPerLoop, effort.acceptableStale);
      else this.server.replicaLink.expireOwnKeys(periodMs * effort.timeShare);
    }
    this.closeIdleClients();
    for (const t of this.tasks) t();
    this.server.propagation.commit();
  }

  /**
   * Samples keysPerLoop keys with a TTL in every db, expiring those past due;
   * repeats on a db while more than acceptableStale of its sample was expired
   * and time is left.
   */
  activeExpireCycle(budgetMs: number, keysPerLoop: number, acceptableStale: number): void {
    const start = performance.now();
    for (const db of this.server.dbs) {
      for (;;) {
        const [examined, expired] = db.activeExpireStep(keysPerLoop);
        this.server.propagation.commit(false);
        if (examined === 0 || expired <= examined * acceptableStale) break;
        if (performance.now() - start > budgetMs) return;
      }
    }
  }

  private closeIdleClients(): void {
    const timeout = this.server.config.num('timeout');
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const c of this.server.clients.values()) {
      if (c.lastInteraction < limit && c.kind === ClientKind.Normal && c.blocked === null) {
        this.server.logger.verbose('Closing idle client');
        c.close();
      }
    }
  }
}
