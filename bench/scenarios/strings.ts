/**
 * String commands: SET, GET, INCR and MSET unpipelined and with 16
 * commands per pipeline, and SET/GET with 1 KB values.
 */
import { redisBenchmarkScenario, type Scenario } from '../scenario.js';

const BASIC = [
  ['set', 'SET'],
  ['get', 'GET'],
  ['incr', 'INCR'],
  ['mset', 'MSET (10 keys)'],
] as const;

const SET_GET = [
  ['set', 'SET'],
  ['get', 'GET'],
] as const;

export const stringScenarios: Scenario[] = [
  redisBenchmarkScenario({ group: 'strings', tests: BASIC, pipeline: 1 }),
  redisBenchmarkScenario({ group: 'strings', tests: BASIC, pipeline: 16, requestsScale: 4 }),
  redisBenchmarkScenario({ group: 'strings', tests: SET_GET, pipeline: 1, dataSize: 1024 }),
  redisBenchmarkScenario({ group: 'strings', tests: SET_GET, pipeline: 16, dataSize: 1024, requestsScale: 4 }),
];
