/**
 * The human-readable latency reports: LATENCY DOCTOR's analysis (Redis
 * 7.0's wording, for the events nodis records) and LATENCY GRAPH's ASCII
 * chart of an event's samples.
 */
import type { LatencyEvent, LatencyMonitor } from './latency.js';

const DISABLED =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
const NO_SPIKES =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';

const ADVICE = {
  slowlogEnabled:
    "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {T}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n",
  slowlogTuning:
    "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {T}'.\n",
  slowlogInspect:
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler:
    '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  largeObjects:
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
} as const;

/** Average, mean deviation and period (seconds between spikes) of an event's samples. */
function eventSummary(ev: LatencyEvent, nowSec: number): { avg: number; mdev: number; period: number } {
  const n = ev.samples.length;
  let sum = 0;
  for (const s of ev.samples) sum += s.latency;
  const avg = sum / n;
  let dev = 0;
  for (const s of ev.samples) dev += Math.abs(s.latency - avg);
  const span = nowSec - ev.samples[0]!.time;
  return { avg, mdev: dev / n, period: (span === 0 ? 1 : span) / n };
}

/**
 * LATENCY DOCTOR: a report of every event's spikes and advice, worded like
 * Redis 7.0; a fixed sentence when monitoring is off or nothing was seen.
 */
export function latencyDoctor(mon: LatencyMonitor, slowlogSlowerThanUsec: number): string {
  const threshold = mon.threshold;
  if (threshold <= 0) return DISABLED;
  if (mon.events.size === 0) return NO_SPIKES;
  const nowSec = Math.floor(Date.now() / 1000);
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  const advise = new Set<keyof typeof ADVICE>();
  let i = 1;
  for (const [name, ev] of mon.events) {
    if (ev.samples.length === 0) continue;
    const { avg, mdev, period } = eventSummary(ev, nowSec);
    report += `${i++}. ${name}: ${ev.samples.length} latency spikes (average ${Math.floor(avg)}ms, mean deviation ${Math.floor(mdev)}ms, period ${period.toFixed(2)} sec). Worst all time event ${ev.max}ms.\n`;
    if (name === 'command') {
      if (slowlogSlowerThanUsec < 0) advise.add('slowlogEnabled');
      else if (slowlogSlowerThanUsec / 1000 > threshold) advise.add('slowlogTuning');
      advise.add('slowlogInspect');
      advise.add('largeObjects');
    } else if (name === 'fast-command') {
      advise.add('slowlogInspect');
      advise.add('scheduler');
    }
  }
  report += '\n';
  if (advise.size === 0) return report;
  report += 'I have a few advices for you:\n\n';
  for (const key of Object.keys(ADVICE) as (keyof typeof ADVICE)[]) {
    if (advise.has(key)) report += ADVICE[key].replace('{T}', String(threshold * 1000));
  }
  return report;
}

/** Rows of the graph body; each row holds three levels ("_", "-", "`"). */
const GRAPH_ROWS = 4;
const LEVEL_CHARS = '_-`';

/** How long ago a sample was, as a short label: "12s", "5m", "3h", "2d". */
function ageLabel(ageSec: number): string {
  if (ageSec < 60) return `${ageSec}s`;
  if (ageSec < 3600) return `${Math.floor(ageSec / 60)}m`;
  if (ageSec < 86400) return `${Math.floor(ageSec / 3600)}h`;
  return `${Math.floor(ageSec / 86400)}d`;
}

/**
 * LATENCY GRAPH: a header with the range of the samples, then one column
 * per sample (oldest left) scaled between the lowest and highest sample,
 * and under each column its age written vertically.
 */
export function latencyGraph(name: string, ev: LatencyEvent): string {
  const samples = ev.samples;
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    if (s.latency < min) min = s.latency;
    if (s.latency > max) max = s.latency;
  }
  let out = `${name} - high ${max} ms, low ${min} ms (all time high ${ev.max} ms)\n${'-'.repeat(80)}\n`;
  const levels = GRAPH_ROWS * LEVEL_CHARS.length;
  const columns = samples.map((s) => (max === min ? 0 : Math.round(((s.latency - min) / (max - min)) * (levels - 1))));
  for (let row = GRAPH_ROWS - 1; row >= 0; row--) {
    let line = '';
    for (const level of columns) {
      const full = Math.floor(level / LEVEL_CHARS.length);
      if (level === levels - 1 && row === GRAPH_ROWS - 1) line += '#';
      else if (row < full) line += '|';
      else if (row === full) line += LEVEL_CHARS[level % LEVEL_CHARS.length];
      else line += ' ';
    }
    out += line + '\n';
  }
  out += ' '.repeat(samples.length) + '\n';
  const nowSec = Math.floor(Date.now() / 1000);
  const labels = samples.map((s) => ageLabel(Math.max(0, nowSec - s.time)));
  const height = Math.max(...labels.map((l) => l.length));
  for (let r = 0; r < height; r++) {
    let line = '';
    for (const l of labels) line += l[r] ?? ' ';
    out += line + '\n';
  }
  return out;
}
