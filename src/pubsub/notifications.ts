/**
 * Keyspace notifications (Redis's notify.c): turns the server's notify
 * signals into pub/sub messages according to notify-keyspace-events.
 *
 * An event of class `type` about `key` in db n is published, when the
 * class is enabled, as `__keyspace@n__:<key>` → event (flag K) and then
 * `__keyevent@n__:<event>` → key (flag E).
 */
import type { Config } from '../config/config.js';
import type { KeyEvents } from '../keyspace/events.js';
import type { PubSub } from './hub.js';
import { classBit, KEYEVENT, KEYSPACE, parseNotifyFlags } from './notify-flags.js';

/**
 * Registers the notification publisher on events; returns the apply step
 * that makes it follow a new notify-keyspace-events value.
 */
export function wireKeyspaceNotifications(config: Config, events: KeyEvents, pubsub: PubSub): (text: string) => void {
  let mask = parseNotifyFlags(config.str('notify-keyspace-events'));
  events.onNotify((type, event, key, dbId) => {
    if ((mask & (KEYSPACE | KEYEVENT)) === 0 || (mask & classBit(type)) === 0) return;
    if ((mask & KEYSPACE) !== 0) pubsub.publish(`__keyspace@${dbId}__:${key}`, event);
    if ((mask & KEYEVENT) !== 0) pubsub.publish(`__keyevent@${dbId}__:${event}`, key);
  });
  return (text) => (mask = parseNotifyFlags(text));
}
