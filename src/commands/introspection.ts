import type { CommandDef } from './table.js';

export const introspectionCommands: CommandDef[] = [];
