/**
 * The latency monitor (LATENCY LATEST/HISTORY/RESET/DOCTOR/GRAPH) and the
 * per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats).
 *
 * Events: when latency-monitor-threshold is above zero, a named event
 * ("command", "fast-command", later "expire-cycle", "fork" …) that lasted
 * at least that many milliseconds is recorded as a sample. Each event keeps
 * its last 160 samples, one per second (a second spike in the same second
 * keeps the larger value), plus its all-time maximum.
 */
import type { Command } from '../commands/table.js';
import type { Config } from '../config/config.js';
import { LatencyHistogram } from './histogram.js';

/** Samples kept per event (Redis's LATENCY_TS_LEN). */
const HISTORY_LEN = 160;

export interface LatencySample {
  /** Unix time in seconds. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

export interface LatencyEvent {
  samples: LatencySample[];
  /** All-time maximum in ms. */
  max: number;
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencyEvent>();
  /** Histograms of commands that ran at least once since the last reset. */
  readonly histograms = new Map<Command, LatencyHistogram>();

  /** latency-monitor-threshold in ms (0 disables the monitor) and latency-tracking, cached. */
  threshold: number;
  private tracking: boolean;

  constructor(private readonly config: Config) {
    this.threshold = 0;
    this.tracking = true;
    this.refresh();
  }

  /** latency-monitor-threshold or latency-tracking changed. */
  refresh(): void {
    this.threshold = this.config.num('latency-monitor-threshold') || 0;
    this.tracking = this.config.bool('latency-tracking') !== false;
  }

  /**
   * Records a command's duration: in its histogram (unless latency-tracking
   * is off), and as a
   * "command"/"fast-command" event when at or above the threshold.
   */
  recordCommand(cmd: Command, usec: number, fast: boolean): void {
    if (this.tracking) {
      let h = cmd.latencyHistogram;
      if (h === null) {
        h = cmd.latencyHistogram = new LatencyHistogram();
        this.histograms.set(cmd, h);
      }
      h.record(usec);
    }
    const threshold = this.threshold;
    if (threshold > 0) {
      const ms = Math.floor(usec / 1000);
      if (ms >= threshold) this.addSample(fast ? 'fast-command' : 'command', ms);
    }
  }

  private addSample(event: string, ms: number): void {
    const now = Math.floor(Date.now() / 1000);
    let ev = this.events.get(event);
    if (ev === undefined) this.events.set(event, (ev = { samples: [], max: 0 }));
    if (ms > ev.max) ev.max = ms;
    const last = ev.samples[ev.samples.length - 1];
    if (last !== undefined && last.time === now) {
      if (ms > last.latency) last.latency = ms;
      return;
    }
    ev.samples.push({ time: now, latency: ms });
    if (ev.samples.length > HISTORY_LEN) ev.samples.shift();
  }

  /** Forgets the named events (all when none are named); returns how many existed. */
  reset(names: readonly string[]): number {
    if (names.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const name of names) if (this.events.delete(name)) n++;
    return n;
  }

  /** Drops the command histograms (CONFIG RESETSTAT). */
  resetHistograms(): void {
    for (const cmd of this.histograms.keys()) cmd.latencyHistogram = null;
    this.histograms.clear();
  }
}
