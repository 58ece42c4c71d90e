/**
 * How key accesses are tracked, for OBJECT IDLETIME/FREQ and eviction.
 *
 * Every access records its time (Entry.lru, in ms). While an LFU
 * maxmemory-policy is selected, accesses also drive Redis's logarithmic
 * frequency counter, which works as documented for `lfu-log-factor` and
 * `lfu-decay-time`:
 * - a new key starts at LFU_INIT (5), so it is not evicted before it had a
 *   chance to be used;
 * - on access the counter first decays by one for every `lfu-decay-time`
 *   minutes elapsed since it was last decremented, then grows by one with
 *   probability 1 / ((counter - 5) × lfu-log-factor + 1) (always while it is
 *   at or below 5), saturating at 255;
 * - OBJECT FREQ reports the decayed counter without counting an access.
 */
import type { Config } from '../config/config.js';

/** Counter of a newly created key. */
export const LFU_INIT = 5;
const LFU_MAX = 255;

/** The eviction settings that entries depend on; one object shared by a server's dbs. */
export class AccessPolicy {
  /** True while maxmemory-policy is allkeys-lfu or volatile-lfu. */
  lfu = false;
  logFactor = 10;
  decayMinutes = 1;
  /**
   * Whether small integers stored now become Redis's shared objects (OBJECT
   * REFCOUNT): not while maxmemory is set with an LRU or LFU policy, which
   * needs per-object access data.
   */
  sharedIntegers = true;

  /** Defaults, or the settings of config. */
  constructor(config: Config | null = null) {
    if (config !== null) this.refresh(config);
  }

  /** Reads maxmemory, maxmemory-policy, lfu-log-factor and lfu-decay-time (the server's apply step). */
  refresh(config: Config): void {
    const policy = config.str('maxmemory-policy');
    this.lfu = isLfuPolicy(policy);
    this.sharedIntegers = config.num('maxmemory') === 0 || !(isLfuPolicy(policy) || isLruPolicy(policy));
    this.logFactor = config.num('lfu-log-factor');
    this.decayMinutes = config.num('lfu-decay-time');
  }
}

/** The LFU state of one key. */
export interface LfuState {
  lfuCount: number;
  /** Minutes since the epoch when the counter was last decremented or created. */
  lfuMinutes: number;
}

/** Minutes since the epoch for a time in ms (the LFU decay clock). */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000);
}

/** The counter after applying decay at nowMs (OBJECT FREQ's answer); changes nothing. */
export function lfuDecayed(s: LfuState, policy: AccessPolicy, nowMs: number): number {
  if (policy.decayMinutes <= 0) return s.lfuCount;
  const periods = Math.floor((lfuMinutes(nowMs) - s.lfuMinutes) / policy.decayMinutes);
  return periods <= 0 ? s.lfuCount : Math.max(0, s.lfuCount - periods);
}

/** Records one access in s: decay, then a probabilistic logarithmic increment. */
export function lfuAccess(s: LfuState, policy: AccessPolicy, nowMs: number): void {
  let n = lfuDecayed(s, policy, nowMs);
  if (n < LFU_MAX) {
    const base = n > LFU_INIT ? n - LFU_INIT : 0;
    if (base === 0 || Math.random() < 1 / (base * policy.logFactor + 1)) n++;
  }
  s.lfuCount = n;
  s.lfuMinutes = lfuMinutes(nowMs);
}

/** Whether a maxmemory-policy name is one of the LFU policies. */
export function isLfuPolicy(policy: string): boolean {
  return policy === 'allkeys-lfu' || policy === 'volatile-lfu';
}

/** Whether a maxmemory-policy name is one of the LRU policies. */
export function isLruPolicy(policy: string): boolean {
  return policy === 'allkeys-lru' || policy === 'volatile-lru';
}
