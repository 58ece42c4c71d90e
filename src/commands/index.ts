/**
 * Every command family, gathered for the command table. A family module
 * exports its CommandDefs; adding a family means adding it here.
 */
import type { CommandDef } from './table.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';

export const allCommands: readonly CommandDef[] = [...connectionCommands, ...stringCommands];
