/**
 * A server's memory as the machine pays for it: the proportional set size
 * (PSS, Linux's /proc/<pid>/smaps_rollup) of the server process plus all
 * its descendants. Summing PSS rather than RSS counts a page shared by a
 * forked child and its parent once (half to each), so Redis's BGSAVE child
 * adds exactly the pages copy-on-write duplicated, plus its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** PSS of pid alone in bytes, or 0 when the process is gone (a child may exit between listing and reading). */
export function processPssBytes(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
  } catch {
    return 0;
  }
  const m = /^Pss:\s+(\d+) kB/m.exec(text);
  return m === null ? 0 : Number(m[1]) * 1024;
}

/** The direct children of pid, forked by any of its threads ([] when it is gone). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    let list: string;
    try {
      list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue;
    }
    for (const c of list.trim().split(/\s+/)) if (c !== '') children.push(Number(c));
  }
  return children;
}

/** PSS in bytes summed over pid and all its descendants. */
export function treePssBytes(pid: number): number {
  let total = processPssBytes(pid);
  for (const child of childPids(pid)) total += treePssBytes(child);
  return total;
}

/**
 * Samples treePssBytes(pid) every intervalMs on a worker thread, so that
 * reading /proc (milliseconds for a large process) never delays the
 * benchmark's own clients, and reports the highest figure seen.
 */
export class PeakSampler {
  private constructor(private readonly worker: Worker) {}

  /** Starts sampling; resolves once the first sample is taken. */
  static start(pid: number, intervalMs: number): Promise<PeakSampler> {
    const worker = new Worker(new URL('./pss-worker.js', import.meta.url), { workerData: { pid, intervalMs } });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', () => resolve(new PeakSampler(worker)));
    });
  }

  /** Takes a last sample, stops, and resolves with the peak PSS in bytes. */
  stop(): Promise<number> {
    return new Promise((resolve) => {
      this.worker.once('message', (peak: number) => resolve(peak));
      this.worker.postMessage('stop');
    });
  }
}
