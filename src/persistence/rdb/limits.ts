/**
 * The encoding thresholds that decide how values are saved and how loaded
 * values are encoded (the *-max-listpack-* and set-max-intset-entries
 * options), read once per save or load.
 */
import type { Config } from '../../config/config.js';
import type { HashLimits } from '../../datatypes/hash.js';
import type { ZsetLimits } from '../../datatypes/zset.js';

export interface EncodingLimits {
  hash: HashLimits;
  zset: ZsetLimits;
  /** set-max-intset-entries */
  intsetEntries: number;
  /** list-max-listpack-size: entries per quicklist node when positive, else -1..-5 for 4..64 KB. */
  listNodeSize: number;
}

export function limitsFromConfig(config: Config): EncodingLimits {
  return {
    hash: { entries: config.num('hash-max-listpack-entries'), value: config.num('hash-max-listpack-value') },
    zset: { entries: config.num('zset-max-listpack-entries'), value: config.num('zset-max-listpack-value') },
    intsetEntries: config.num('set-max-intset-entries'),
    listNodeSize: config.num('list-max-listpack-size'),
  };
}
