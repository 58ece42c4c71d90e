/**
 * Logging in Redis's line format: "pid:role dd Mon yyyy hh:mm:ss.mmm <level> message",
 * where level is '.', '-', '*' or '#' for debug, verbose, notice and warning.
 * Each server owns a Logger so several servers in one process log independently.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';
const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  level: LogLevel = 'notice';
  /** '' means standard output, like Redis's logfile "". */
  file = '';
  /** 'M' master, 'S' replica, 'C' child, 'X' sentinel. */
  role = 'M';
  /** When false nothing is written (library use with logging off). */
  enabled = true;

  debug(msg: string): void {
    this.log('debug', msg);
  }
  verbose(msg: string): void {
    this.log('verbose', msg);
  }
  notice(msg: string): void {
    this.log('notice', msg);
  }
  warning(msg: string): void {
    this.log('warning', msg);
  }

  /** Writes one line at the given level if the configured level lets it through. */
  log(level: LogLevel, msg: string): void {
    if (!this.enabled || RANK[level] < RANK[this.level]) return;
    this.raw(`${process.pid}:${this.role} ${timestamp(new Date())} ${MARK[RANK[level]]} ${msg}\n`);
  }

  /** Writes text as is (the logo), to the log file or standard output. */
  raw(text: string): void {
    if (!this.enabled) return;
    if (this.file === '') process.stdout.write(text);
    else {
      try {
        appendFileSync(this.file, text);
      } catch {
        process.stdout.write(text);
      }
    }
  }
}

function timestamp(d: Date): string {
  const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
  const ms = d.getMilliseconds();
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${ms < 10 ? '00' + ms : ms < 100 ? '0' + ms : ms}`;
}
