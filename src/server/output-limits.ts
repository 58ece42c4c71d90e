/**
 * The `client-output-buffer-limit <class> <hard> <soft> <soft-seconds>`
 * rule for the normal, replica and pubsub classes: a client whose pending
 * output reaches its class's hard limit, or stays at or over the soft limit
 * for more than soft-seconds, is cut off instead of buffering without
 * bound. A limit of 0 is no limit.
 */

export interface BufferLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Reads one class's limit out of the option's normalised text ("normal h s t slave h s t pubsub h s t"). */
function classLimit(text: string, name: 'normal' | 'slave' | 'pubsub'): BufferLimit {
  const w = text.split(' ');
  const at = w.indexOf(name);
  return { hard: Number(w[at + 1]), soft: Number(w[at + 2]), softSeconds: Number(w[at + 3]) };
}

/** The pubsub class's limit. */
export function pubsubLimit(text: string): BufferLimit {
  return classLimit(text, 'pubsub');
}

/** The replica ("slave") class's limit. */
export function replicaLimit(text: string): BufferLimit {
  return classLimit(text, 'slave');
}

/** The three classes' limits, parsed once per change of the option (the server's apply step). */
export class OutputLimits {
  normal: BufferLimit;
  replica: BufferLimit;
  pubsub: BufferLimit;

  constructor(text: string) {
    this.normal = classLimit(text, 'normal');
    this.replica = replicaLimit(text);
    this.pubsub = pubsubLimit(text);
  }

  /** Parses the option's new normalised text. */
  refresh(text: string): void {
    this.normal = classLimit(text, 'normal');
    this.replica = replicaLimit(text);
    this.pubsub = pubsubLimit(text);
  }
}

/**
 * Whether `used` output bytes break the limit at time nowMs. Tracks the
 * soft-limit start in `subs` (a subscriber's or a replica's state): the
 * first time over the soft limit only starts the clock; going back under
 * it resets the clock.
 */
export function overLimit(limit: BufferLimit, used: number, subs: { softLimitSince: number }, nowMs: number): boolean {
  if (limit.hard > 0 && used >= limit.hard) return true;
  if (limit.soft === 0 || used < limit.soft) {
    subs.softLimitSince = 0;
    return false;
  }
  if (subs.softLimitSince === 0) {
    subs.softLimitSince = nowMs;
    return false;
  }
  return nowMs - subs.softLimitSince > limit.softSeconds * 1000;
}
