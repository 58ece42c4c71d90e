/**
 * The differential suite's case format. A case is a list of commands run
 * in order, on a fresh connection and an empty dataset, against a real
 * redis-server 7.0 and against nodis, in RESP2 and in RESP3; every reply is
 * compared byte for byte unless the step says otherwise.
 */
export interface DiffStep {
  argv: string[];
  /**
   * exact (default): raw reply bytes equal; type: same RESP kind only (for
   * replies that depend on time or identity); skip: not compared (setup).
   */
  compare?: 'exact' | 'type' | 'skip';
}

export interface DiffCase {
  name: string;
  steps: (string[] | DiffStep)[];
  /** Protocols to run in; default both. */
  resp?: readonly (2 | 3)[];
}
