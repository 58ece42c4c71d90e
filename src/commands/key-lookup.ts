/**
 * Key lookups shared by the keyspace command families, counting
 * keyspace_hits/keyspace_misses and emitting 'keymiss' notifications the
 * way Redis's read lookups do.
 */
import type { Client } from '../server/client.js';
import type { Entry } from '../keyspace/db.js';

/**
 * The live entry for key without recording an access (EXISTS, TYPE, TTL,
 * OBJECT …: Redis's LOOKUP_NOTOUCH), counting a keyspace hit or miss.
 * notifyMiss false skips the 'keymiss' event (OBJECT: LOOKUP_NONOTIFY).
 */
export function readNoTouch(c: Client, key: string, notifyMiss = true): Entry | undefined {
  const e = c.db.lookupNoTouch(key);
  countLookup(c, key, e, notifyMiss);
  return e;
}

/** The live entry for key, recording an access (TOUCH, COPY's source), counting a hit or miss. */
export function readTouch(c: Client, key: string): Entry | undefined {
  const e = c.db.lookupRead(key);
  countLookup(c, key, e, true);
  return e;
}

/** Counts a read lookup's hit or miss; a miss may also emit the 'keymiss' notification ('m'). */
function countLookup(c: Client, key: string, e: Entry | undefined, notifyMiss: boolean): void {
  if (e !== undefined) {
    c.server.stats.keyspaceHits++;
    return;
  }
  c.server.stats.keyspaceMisses++;
  if (notifyMiss) c.server.events.notify('m', 'keymiss', key, c.db.id);
}
