/**
 * The slow log: commands whose execution took at least
 * slowlog-log-slower-than microseconds, newest first, capped at
 * slowlog-max-len entries (SLOWLOG GET/LEN/RESET).
 */
import type { Client } from './client.js';
import type { Config } from '../config/config.js';
import { redactArgv } from './monitor.js';

export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds. */
  time: number;
  usec: number;
  argv: string[];
  addr: string;
  name: string;
}

/** Redis keeps at most 32 arguments, each cut to 128 bytes. */
const MAX_ARGS = 32;
const MAX_ARG_LEN = 128;

export class Slowlog {
  entries: SlowlogEntry[] = [];
  private nextId = 0;

  /** slowlog-log-slower-than, cached: it is checked after every command. */
  private threshold: number;

  constructor(private readonly config: Config) {
    this.threshold = config.num('slowlog-log-slower-than');
  }

  /** slowlog-log-slower-than changed. */
  refresh(): void {
    this.threshold = this.config.num('slowlog-log-slower-than');
  }

  /** Records the command if it was slow enough (secret arguments redacted). */
  consider(c: Client, fullArgv: string[], usec: number): void {
    const threshold = this.threshold;
    if (threshold < 0 || usec < threshold) return;
    const argv = redactArgv(fullArgv);
    const args: string[] = [];
    const n = Math.min(argv.length, MAX_ARGS);
    for (let i = 0; i < n; i++) {
      if (i === MAX_ARGS - 1 && argv.length > MAX_ARGS) {
        args.push(`... (${argv.length - MAX_ARGS + 1} more arguments)`);
        break;
      }
      const a = argv[i]!;
      args.push(a.length > MAX_ARG_LEN ? `${a.slice(0, MAX_ARG_LEN)}... (${a.length - MAX_ARG_LEN} more bytes)` : a);
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec: Math.floor(usec),
      argv: args,
      addr: c.addr,
      name: c.name,
    });
    const max = this.config.num('slowlog-max-len');
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}
