/**
 * Every command family, gathered for the command table. A family module
 * exports its CommandDefs; adding a family means adding it here.
 */
import { CommandTable, type CommandDef } from './table.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';
import { bitCommands } from './bits.js';
import { keyCommands } from './keys.js';
import { expireCommands } from './expire.js';
import { scanCommands } from './scan.js';
import { databaseCommands } from './databases.js';
import { objectCommands } from './object.js';
import { configCommands } from './config.js';
import { serverCommands } from './server.js';
import { persistenceCommands } from './persistence.js';
import { dumpCommands } from './dump.js';
import { clientCommands } from './client.js';
import { debugCommands } from './debug.js';
import { introspectionCommands } from './introspection.js';
import { hashCommands } from './hashes.js';
import { setCommands } from './sets.js';
import { listCommands } from './lists.js';
import { pubsubCommands } from './pubsub.js';
import { transactionCommands } from './transactions.js';
import { blockingCommands } from './blocking.js';
import { zsetCommands } from './zsets.js';
import { sortCommands } from './sort.js';
import { replicaCommands } from './replication-replica.js';
import { replicationMasterCommands } from './replication-master.js';
import { failoverCommands } from './failover.js';

export const allCommands: readonly CommandDef[] = [
  ...connectionCommands,
  ...stringCommands,
  ...bitCommands,
  ...keyCommands,
  ...expireCommands,
  ...scanCommands,
  ...databaseCommands,
  ...objectCommands,
  ...configCommands,
  ...serverCommands,
  ...persistenceCommands,
  ...dumpCommands,
  ...clientCommands,
  ...debugCommands,
  ...introspectionCommands,
  ...hashCommands,
  ...setCommands,
  ...listCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...blockingCommands,
  ...zsetCommands,
  ...sortCommands,
  ...replicaCommands,
  ...replicationMasterCommands,
  ...failoverCommands,
];

let shared: CommandTable | null = null;

/** The command table of every family; the same for every server, built on first use. */
export function commandTable(): CommandTable {
  shared ??= new CommandTable(allCommands);
  return shared;
}
