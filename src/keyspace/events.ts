/**
 * Key change signals: the observer point between the commands that change
 * keys and the subsystems that react to changes, like Redis's
 * signalModifiedKey, signalKeyAsReady and notifyKeyspaceEvent.
 *
 * - modified(db, key): a key's value changed or it was deleted (WATCH
 *   invalidation). Commands call it after each real change.
 * - ready(db, key): a key that blocking commands wait on (a list, a sorted
 *   set) received elements; blocked clients may be served.
 * - notify(type, event, key, dbId): a keyspace notification; `type` is the
 *   notify-keyspace-events class letter of the event ('g' generic, '$'
 *   string, 'l' list, 's' set, 'h' hash, 'z' zset, 'x' expired, 'e'
 *   evicted, 'n' new key, 'm' key miss, 't' stream).
 *
 * With no listener registered a signal costs one length check.
 */
import type { Db } from './db.js';

export type KeyListener = (db: Db, key: string) => void;
export type NotifyListener = (type: string, event: string, key: string, dbId: number) => void;

export class KeyEvents {
  private readonly modifiedListeners: KeyListener[] = [];
  private readonly readyListeners: KeyListener[] = [];
  private readonly notifyListeners: NotifyListener[] = [];

  onModified(fn: KeyListener): void {
    this.modifiedListeners.push(fn);
  }

  onReady(fn: KeyListener): void {
    this.readyListeners.push(fn);
  }

  onNotify(fn: NotifyListener): void {
    this.notifyListeners.push(fn);
  }

  /** Signals that key's value changed or was removed (signalModifiedKey). */
  modified(db: Db, key: string): void {
    const list = this.modifiedListeners;
    for (let i = 0; i < list.length; i++) list[i]!(db, key);
  }

  /** Signals that key received elements blocked clients may wait for (signalKeyAsReady). */
  ready(db: Db, key: string): void {
    const list = this.readyListeners;
    for (let i = 0; i < list.length; i++) list[i]!(db, key);
  }

  /** Emits a keyspace notification (notifyKeyspaceEvent). */
  notify(type: string, event: string, key: string, dbId: number): void {
    const list = this.notifyListeners;
    for (let i = 0; i < list.length; i++) list[i]!(type, event, key, dbId);
  }
}
