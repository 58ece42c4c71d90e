/** Every family's differential cases. */
import type { DiffCase } from '../types.js';
import { cases as connection } from './connection.js';
import { cases as strings } from './strings.js';
import { cases as keys } from './keys.js';
import { cases as server } from './server.js';
import { cases as config } from './config.js';

export const allCases: readonly DiffCase[] = [...connection, ...strings, ...keys, ...server, ...config];
