/** Every benchmark scenario, in report order. New families add their module here. */
import type { Scenario } from '../scenario.js';
import { stringScenarios } from './strings.js';

export const allScenarios: readonly Scenario[] = [...stringScenarios];
