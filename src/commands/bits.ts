import type { CommandDef } from './table.js';

export const bitCommands: CommandDef[] = [];
