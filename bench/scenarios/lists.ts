/**
 * List commands: LPUSH, RPUSH, LPOP, RPOP and LRANGE_100 (the first 100
 * elements of a list) unpipelined and with 16 commands per pipeline.
 */
import { redisBenchmarkScenario, type Scenario } from '../scenario.js';

const LISTS = [
  ['lpush', 'LPUSH'],
  ['rpush', 'RPUSH'],
  ['lpop', 'LPOP'],
  ['rpop', 'RPOP'],
  ['lrange_100', 'LRANGE_100 (first 100 elements)'],
] as const;

export const listScenarios: Scenario[] = [
  redisBenchmarkScenario({ group: 'lists', tests: LISTS, pipeline: 1 }),
  redisBenchmarkScenario({ group: 'lists', tests: LISTS, pipeline: 16, requestsScale: 4 }),
];
