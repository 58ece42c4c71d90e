/**
 * Key lookups shared by the keyspace command families, counting
 * keyspace_hits/keyspace_misses the way Redis's read lookups do.
 */
import type { Client } from '../server/client.js';
import type { Entry } from '../keyspace/db.js';

/**
 * The live entry for key without recording an access (EXISTS, TYPE, TTL,
 * OBJECT …: Redis's LOOKUP_NOTOUCH), counting a keyspace hit or miss.
 */
export function readNoTouch(c: Client, key: string): Entry | undefined {
  const e = c.db.lookupNoTouch(key);
  if (e === undefined) c.server.stats.keyspaceMisses++;
  else c.server.stats.keyspaceHits++;
  return e;
}

/** The live entry for key, recording an access (TOUCH, COPY's source), counting a hit or miss. */
export function readTouch(c: Client, key: string): Entry | undefined {
  const e = c.db.lookupRead(key);
  if (e === undefined) c.server.stats.keyspaceMisses++;
  else c.server.stats.keyspaceHits++;
  return e;
}
