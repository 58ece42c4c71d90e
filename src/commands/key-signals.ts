/**
 * The signals a command sends after it changed a key, like Redis's
 * signalModifiedKey followed by notifyKeyspaceEvent: WATCH invalidation
 * and the keyspace notification `event` of class `type` (see
 * keyspace/events.ts). Shared by every family so each change is one call.
 */
import type { Client } from '../server/client.js';
import type { Db } from '../keyspace/db.js';

/** Signals that key in the client's db changed, with the notification type/event. */
export function keyChanged(c: Client, type: string, event: string, key: string): void {
  keyChangedIn(c, c.db, type, event, key);
}

/** keyChanged for a key in another db (MOVE, COPY … DB n). */
export function keyChangedIn(c: Client, db: Db, type: string, event: string, key: string): void {
  const events = c.server.events;
  events.modified(db, key);
  events.notify(type, event, key, db.id);
}
