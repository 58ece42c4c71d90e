/**
 * The differential suite's case format. A case is a list of commands run
 * in order, on a fresh connection and an empty dataset, against a real
 * redis-server 7.0 and against nodis, in RESP2 and in RESP3; every reply is
 * compared byte for byte unless the step says otherwise, and so is every
 * frame either server sends beyond one reply per command, up to the end
 * of the case.
 */
export interface DiffStep {
  argv: string[];
  /**
   * exact (default): raw reply bytes equal;
   * shape: the same RESP kind at every level and the same number of items
   *   in every aggregate down to `depth` levels (default: all) (for replies
   *   that depend on chance or on identity: SRANDMEMBER, CLIENT LIST …;
   *   scalars compare by kind only);
   * near: integers within `tolerance` of each other, anything else exactly
   *   (for replies that depend on the clock: TTL, PTTL, OBJECT IDLETIME);
   * skip: not compared (setup).
   */
  compare?: 'exact' | 'shape' | 'near' | 'skip';
  /** For near: the largest difference allowed. */
  tolerance?: number;
  /** For shape: how many levels of aggregates must have equal lengths (0: the top reply's kind only). */
  depth?: number;
}

export interface DiffCase {
  name: string;
  steps: (string[] | DiffStep)[];
  /** Protocols to run in; default both. */
  resp?: readonly (2 | 3)[];
}

/** A step whose reply is compared by shape (see DiffStep). */
export const shape = (...argv: string[]): DiffStep => ({ argv, compare: 'shape' });

/** A step whose reply is compared by shape down to depth levels (see DiffStep). */
export const shapeTo = (depth: number, ...argv: string[]): DiffStep => ({ argv, compare: 'shape', depth });

/** A step whose integer reply may differ by up to tolerance (see DiffStep). */
export const near = (tolerance: number, ...argv: string[]): DiffStep => ({ argv, compare: 'near', tolerance });
