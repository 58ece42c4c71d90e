/** Every benchmark scenario, in report order. New families add their module here. */
import type { Scenario } from '../scenario.js';
import { stringScenarios } from './strings.js';
import { listScenarios } from './lists.js';
import { zsetScenarios } from './zsets.js';
import { hashSetScenarios } from './hashsets.js';
import { persistenceScenarios } from './persistence.js';
import { replicationScenarios } from './replication.js';
import { replicationRobustnessScenarios } from './replication-robustness.js';

export const allScenarios: readonly Scenario[] = [
  ...stringScenarios,
  ...listScenarios,
  ...zsetScenarios,
  ...hashSetScenarios,
  ...persistenceScenarios,
  ...replicationScenarios,
  ...replicationRobustnessScenarios,
];
