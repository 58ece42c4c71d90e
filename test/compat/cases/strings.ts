import type { DiffCase } from '../types.js';

export const cases: DiffCase[] = [];
