import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Db, type DbHooks } from '../keyspace/db.js';
import { BlockingRegistry, Serve, type BlockedState } from './registry.js';
import type { Client } from '../server/client.js';
import { xorshift32 } from '../../test/support/random.js';

const hooks: DbHooks = { expired: () => undefined, deleteExpiredOnAccess: () => false, now: () => 0, beforeWrite: null };

/** The parts of a Client the registry uses. */
interface FakeClient {
  id: number;
  blocked: BlockedState | null;
  closed: boolean;
  processInput(): void;
  error(text: string): void;
  /** Error replies are counted to tell a failed serve (none here). */
  server: { stats: { errorReplies: number } };
  lastCommand: null;
}

function fakeClient(id: number): FakeClient {
  return {
    id,
    blocked: null,
    closed: false,
    processInput: () => undefined,
    error: () => undefined,
    server: { stats: { errorReplies: 0 } },
    lastCommand: null,
  };
}

/**
 * Property test: clients block on random keys; random "pushes" put tokens
 * in a per-key stock and mark the key ready; serving must hand tokens to
 * the waiters of each key in the order they blocked, exactly like a model
 * that keeps one FIFO list per key.
 */
test('property: waiters are served in blocking order, each once', () => {
  const random = xorshift32(1234);
  const db = new Db(0, hooks);
  const keys = ['a', 'b', 'c'];
  for (let round = 0; round < 30; round++) {
    const reg = new BlockingRegistry();
    const stock = new Map<string, number>(keys.map((k) => [k, 0]));
    const served: string[] = [];
    const modelQueue: { id: number; keys: string[] }[] = [];
    const modelServed: string[] = [];
    let nextId = 1;
    for (let step = 0; step < 100; step++) {
      if (random(3) < 2) {
        const c = fakeClient(nextId++);
        const mine = keys.filter(() => random(2) === 0);
        if (mine.length === 0) mine.push(keys[random(keys.length)]!);
        reg.block(c as unknown as Client, db, mine, 0, {
          serve: (key) => {
            const n = stock.get(key)!;
            if (n === 0) return Serve.Stop;
            stock.set(key, n - 1);
            served.push(`${c.id}<-${key}`);
            return Serve.Done;
          },
          replyTimeout: () => undefined,
        });
        modelQueue.push({ id: c.id, keys: mine });
      } else {
        const key = keys[random(keys.length)]!;
        const n = 1 + random(3);
        let left = stock.get(key)! + n;
        stock.set(key, left);
        reg.keyReady(db, key);
        reg.serveReady();
        for (let i = 0; i < modelQueue.length && left > 0;) {
          if (modelQueue[i]!.keys.includes(key)) {
            modelServed.push(`${modelQueue[i]!.id}<-${key}`);
            modelQueue.splice(i, 1);
            left--;
          } else i++;
        }
        // Tokens nobody waited for stay in the stock for later waiters.
        assert.equal(stock.get(key), left);
      }
      assert.deepEqual(served, modelServed, `round ${round} step ${step}`);
      assert.equal(reg.blockedCount, modelQueue.length);
    }
  }
});

test('forget removes a waiter from every key it waited on', () => {
  const db = new Db(0, hooks);
  const reg = new BlockingRegistry();
  const c = fakeClient(1);
  let calls = 0;
  reg.block(c as unknown as Client, db, ['a', 'b'], 0, { serve: () => (calls++, Serve.Done), replyTimeout: () => undefined });
  reg.forget(c as unknown as Client);
  assert.equal(c.blocked, null);
  assert.equal(reg.blockedCount, 0);
  reg.keyReady(db, 'a');
  reg.serveReady();
  assert.equal(calls, 0);
});
