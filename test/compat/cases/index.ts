/** Every family's differential cases. */
import type { DiffCase } from '../types.js';
import { cases as connection } from './connection.js';
import { cases as strings } from './strings.js';
import { cases as keys } from './keys.js';
import { cases as server } from './server.js';
import { cases as config } from './config.js';
import { cases as lists } from './lists.js';
import { cases as transactions } from './transactions.js';
import { cases as blocking } from './blocking.js';
import { cases as hashes } from './hashes.js';
import { cases as sets } from './sets.js';
import { cases as maxmemory } from './maxmemory.js';
import { cases as zsets } from './zsets.js';
import { cases as pubsub } from './pubsub.js';
import { cases as sort } from './sort.js';
import { cases as dump } from './dump.js';

export const allCases: readonly DiffCase[] = [
  ...connection,
  ...strings,
  ...keys,
  ...server,
  ...config,
  ...lists,
  ...transactions,
  ...blocking,
  ...hashes,
  ...sets,
  ...maxmemory,
  ...pubsub,
  ...zsets,
  ...sort,
  ...dump,
];
