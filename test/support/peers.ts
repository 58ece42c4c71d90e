/**
 * Test support: the Redis-family servers other than Debian's Redis 7.0 that
 * nodis must interoperate with (Valkey 8.0.1 and Redis 7.2.6), built from
 * ../shared/peers by its build.sh into $NODIS_PEERS (default
 * ~/.cache/nodis-peers; .ci/run builds them). Without them, suites are
 * skipped with one printed line, unless NODIS_REQUIRE_REDIS=1 makes that a
 * failure.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Peer {
  /** "valkey-8.0.1" or "redis-7.2.6". */
  readonly name: string;
  readonly binary: string;
}

/** The built peers, or [] with one skip line (an error under NODIS_REQUIRE_REDIS=1) when missing. */
export function peersAvailable(suite: string): Peer[] {
  const dir = process.env.NODIS_PEERS ?? join(homedir(), '.cache', 'nodis-peers');
  const peers: Peer[] = [
    { name: 'valkey-8.0.1', binary: join(dir, 'valkey-8.0.1', 'valkey-server') },
    { name: 'redis-7.2.6', binary: join(dir, 'redis-7.2.6', 'redis-server') },
  ];
  const missing = peers.filter((p) => !existsSync(p.binary));
  if (missing.length === 0) return peers;
  const why = `peer servers not built (${missing.map((p) => p.binary).join(', ')}; run ../shared/peers/build.sh)`;
  if (process.env.NODIS_REQUIRE_REDIS === '1') throw new Error(`${suite}: ${why}`);
  console.log(`# ${suite}: skipped, ${why}`);
  return [];
}
