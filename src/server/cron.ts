/**
 * Periodic work, run `hz` times a second like Redis's serverCron:
 * the active expiry cycle (sample keys with a TTL and reclaim the expired
 * ones nobody reads, within a time budget), and closing clients idle longer
 * than `timeout`. Other subsystems register their own periodic tasks.
 */
import type { Server } from './server.js';
import { refreshClock } from '../util/clock.js';

/** Keys examined per db per loop of the expiry cycle (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
const KEYS_PER_LOOP = 20;
/** Share of each cron period the expiry cycle may use (Redis uses 25%). */
const TIME_SHARE = 0.25;

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
    this.server.config.onChange('hz', () => {
      if (this.timer !== null) {
        clearTimeout(this.timer);
        this.schedule();
      }
    });
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
      // A replica expires only the keys its own clients gave a TTL (replica-own-expires.ts).
      if (!this.server.isReplica()) this.activeExpireCycle(periodMs * TIME_SHARE);
      else this.server.replicaLink.expireOwnKeys(periodMs * TIME_SHARE);
    }
    this.closeIdleClients();
    for (const t of this.tasks) t();
    this.server.propagation.commit();
  }

  /**
   * Samples keys with a TTL in every db, expiring those past due; repeats on
   * a db while more than a quarter of its sample was expired and time is left.
   */
  activeExpireCycle(budgetMs: number): void {
    const start = performance.now();
    for (const db of this.server.dbs) {
      for (;;) {
        const [examined, expired] = db.activeExpireStep(KEYS_PER_LOOP);
        this.server.propagation.commit(false);
        if (examined === 0 || expired * 4 < examined) break;
        if (performance.now() - start > budgetMs) return;
      }
    }
  }

  private closeIdleClients(): void {
    const timeout = this.server.config.num('timeout');
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const c of this.server.clients.values()) {
      if (c.lastInteraction < limit && c.kindFlag === 'N' && c.blocked === null) {
        this.server.logger.verbose('Closing idle client');
        c.close();
      }
    }
  }
}
