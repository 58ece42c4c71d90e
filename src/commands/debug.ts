import type { CommandDef } from './table.js';

export const debugCommands: CommandDef[] = [];
