/**
 * Side-by-side targets for integration tests: the same scenario runs against
 * nodis (in-process) and, when one is installed, a real redis-server started
 * with the same options, so every expectation written against Redis 7.0's
 * bytes is checked on both. A suite calls redisAvailable() at top level and
 * passes the answer here; without Redis only the nodis target runs.
 */
import type { RunningServer } from '../../src/index.js';
import { startNodis, startRedis } from './servers.js';

export type TargetName = 'nodis' | 'redis';

export interface Target {
  readonly name: TargetName;
  readonly port: number;
  /** The in-process server when this is nodis, for inspection; null for Redis. */
  readonly nodis: RunningServer | null;
  stop(): Promise<void>;
}

/** Options by redis.conf name, the same for both targets or chosen per target. */
export type TargetConfig = Record<string, string> | ((name: TargetName) => Record<string, string>);

/** Starts a redis-server if withRedis, then nodis, both configured alike. */
export async function startTargets(withRedis: boolean, config: TargetConfig = {}): Promise<Target[]> {
  const configFor = (name: TargetName) => (typeof config === 'function' ? config(name) : config);
  const targets: Target[] = [];
  // Redis goes first, so a wrong expectation shows up as Redis's failure, not nodis's.
  if (withRedis) {
    const args = Object.entries(configFor('redis')).flatMap(([k, v]) => [`--${k}`, v]);
    const redis = await startRedis(args);
    targets.push({ name: 'redis', port: redis.port, nodis: null, stop: () => redis.stop() });
  }
  // A test that names a log file wants the log: embedded servers log only when asked.
  const nodisConfig = configFor('nodis');
  const nodis = await startNodis({ config: nodisConfig, log: 'logfile' in nodisConfig });
  targets.push({ name: 'nodis', port: nodis.port, nodis, stop: () => nodis.stop() });
  return targets;
}

/** Stops every target (tolerates a list that was never filled). */
export async function stopTargets(targets: readonly Target[] | undefined): Promise<void> {
  await Promise.all((targets ?? []).map((t) => t.stop()));
}
