/**
 * How the deletion of an expired key is replicated: Redis propagates it as
 * UNLINK when `lazyfree-lazy-expire` is on and as DEL otherwise, both for
 * keys found expired (lazily or by the active cycle) and for keys given an
 * expiry time already in the past (EXPIRE k -1, GETEX … PXAT 1).
 */
import type { Config } from '../config/config.js';

/** "UNLINK" under lazyfree-lazy-expire, else "DEL". */
export function expiredDeletionCommand(config: Config): 'DEL' | 'UNLINK' {
  return config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL';
}
