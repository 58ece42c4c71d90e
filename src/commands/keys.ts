import type { CommandDef } from './table.js';

export const keyCommands: CommandDef[] = [];
