/**
 * The encoding thresholds that decide how loaded values are encoded (the
 * *-max-listpack-* and set-max-intset-entries options, and the quicklist
 * settings a loaded list is created with), read once per load.
 */
import type { Config } from '../../config/config.js';
import type { HashLimits } from '../../datatypes/hash.js';
import type { ZsetLimits } from '../../datatypes/zset.js';
import type { ListShape } from '../../datatypes/list.js';

export interface EncodingLimits {
  hash: HashLimits;
  zset: ZsetLimits;
  /** set-max-intset-entries */
  intsetEntries: number;
  /** list-max-listpack-size and list-compress-depth. */
  list: ListShape;
}

export function limitsFromConfig(config: Config): EncodingLimits {
  return {
    hash: { entries: config.num('hash-max-listpack-entries'), value: config.num('hash-max-listpack-value') },
    zset: { entries: config.num('zset-max-listpack-entries'), value: config.num('zset-max-listpack-value') },
    intsetEntries: config.num('set-max-intset-entries'),
    list: listShapeFromConfig(config),
  };
}

/** The quicklist settings a list created now gets (list-max-listpack-size, list-compress-depth). */
export function listShapeFromConfig(config: Config): ListShape {
  return { fill: config.num('list-max-listpack-size'), compressDepth: config.num('list-compress-depth') };
}
