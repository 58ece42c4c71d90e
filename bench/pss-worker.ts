/**
 * Worker thread of PeakSampler (memory.ts): samples the PSS of the process
 * tree of workerData.pid every workerData.intervalMs, posts a message once
 * the first sample is taken, and on any message from the parent takes a
 * last sample, posts the peak in bytes and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { treePssBytes } from './memory.js';

const { pid, intervalMs } = workerData as { pid: number; intervalMs: number };
const port = parentPort!;
let peak = treePssBytes(pid);
const sample = () => {
  peak = Math.max(peak, treePssBytes(pid));
};
const timer = setInterval(sample, intervalMs);
port.once('message', () => {
  clearInterval(timer);
  sample();
  port.postMessage(peak);
});
port.postMessage('ready');
