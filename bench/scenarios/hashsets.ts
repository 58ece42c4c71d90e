/**
 * Hash and set commands: HSET, SADD and SPOP (redis-benchmark's own tests)
 * unpipelined and with 16 commands per pipeline.
 */
import { redisBenchmarkScenario, type Scenario } from '../scenario.js';

const HASHES_AND_SETS = [
  ['hset', 'HSET'],
  ['sadd', 'SADD'],
  ['spop', 'SPOP'],
] as const;

export const hashSetScenarios: Scenario[] = [
  redisBenchmarkScenario({ group: 'hashes and sets', tests: HASHES_AND_SETS, pipeline: 1 }),
  redisBenchmarkScenario({ group: 'hashes and sets', tests: HASHES_AND_SETS, pipeline: 16, requestsScale: 4 }),
];
