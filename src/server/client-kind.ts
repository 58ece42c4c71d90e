/**
 * What a connection is, as typed flags (Redis's CLIENT_MASTER, CLIENT_SLAVE
 * and CLIENT_MONITOR). Checks and limits ask the kind, never a letter:
 * - Master: the link to our master. Its stream is obeyed: read-only,
 *   out-of-memory, MISCONF, stale and loading refusals do not apply, and it
 *   is exempt from the query buffer, bulk length and output buffer limits
 *   (its replies are discarded).
 * - Replica: a replica of ours, from its SYNC/PSYNC on; it receives the
 *   replication stream and runs no more commands but REPLCONF.
 * - Monitor: a MONITOR client.
 * Being subscribed to pub/sub is state (Subscriptions), not kind; it makes
 * a normal client of the pubsub class for output limits and CLIENT TYPE.
 */
export const enum ClientKind {
  Normal = 0,
  Master = 1 << 0,
  Replica = 1 << 1,
  Monitor = 1 << 2,
}

/** A client's class for CLIENT LIST/KILL TYPE and client-output-buffer-limit (a monitor is normal, as in Redis). */
export type ClientClass = 'normal' | 'master' | 'replica' | 'pubsub';

/** The class of a client of kind, subscribed or not. */
export function clientClass(kind: ClientKind, subscribed: boolean): ClientClass {
  if ((kind & ClientKind.Master) !== 0) return 'master';
  if ((kind & ClientKind.Replica) !== 0) return 'replica';
  return subscribed ? 'pubsub' : 'normal';
}

/** CLIENT LIST's kind letters: O monitor, S replica, M master. */
export function kindLetters(kind: ClientKind): string {
  let f = '';
  if ((kind & ClientKind.Monitor) !== 0) f += 'O';
  if ((kind & ClientKind.Replica) !== 0) f += 'S';
  if ((kind & ClientKind.Master) !== 0) f += 'M';
  return f;
}
