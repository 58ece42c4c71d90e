import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../server/server.js';
import { Config } from '../config/config.js';
import { EvictStatus, evictionBudgetMs } from './eviction.js';
import { commandTable } from '../commands/index.js';

/** A server that is never started: its dbs and evictor are used directly. */
function makeServer(policy: string): Server {
  const config = new Config();
  config.set('maxmemory-policy', [policy]);
  config.set('maxmemory-eviction-tenacity', ['100']);
  return new Server(commandTable(), config);
}

/** Sets maxmemory to what the server uses now minus `excess` bytes. */
function overBy(server: Server, excess: number): void {
  server.config.set('maxmemory', [String(server.evictor.usedMemory() - excess)]);
}

test('eviction: the time budget grows with tenacity and is unlimited at 100', () => {
  assert.equal(evictionBudgetMs(0), 0);
  assert.equal(evictionBudgetMs(10), 0.5);
  assert.ok(evictionBudgetMs(50) > evictionBudgetMs(20));
  assert.equal(evictionBudgetMs(100), Infinity);
});

test('eviction: volatile policies find the few keys with an expiry among many without', () => {
  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    const server = makeServer(policy);
    const db = server.dbs[3]!;
    for (let i = 0; i < 2000; i++) db.add(`k${i}`, 'v'.repeat(100));
    for (let i = 0; i < 2000; i += 200) db.setExpire(`k${i}`, Date.now() + 1_000_000 + i);
    overBy(server, 1_000_000);
    assert.equal(server.evictor.freeMemory(), EvictStatus.Fail, `${policy}: still over the limit once the volatile keys are gone`);
    assert.equal(db.size, 1990, `${policy}: exactly the 10 keys with an expiry were evicted`);
    assert.equal(db.expires.size, 0);
    assert.equal(server.stats.evictedKeys, 10);
  }
});

test('eviction: allkeys-lru on exact access times evicts the least recently used keys first', () => {
  const server = makeServer('allkeys-lru');
  server.config.set('maxmemory-samples', ['10']);
  const db = server.dbs[0]!;
  for (let i = 0; i < 1000; i++) db.add(`k${i}`, 'v'.repeat(100)).lru = 1_000 + i;
  const perKey = 200;
  overBy(server, 500 * perKey);
  assert.equal(server.evictor.freeMemory(), EvictStatus.Ok);
  const evicted = Array.from({ length: 1000 }, (_, i) => i).filter((i) => db.peek(`k${i}`) === undefined);
  assert.ok(evicted.length >= 400, `about half the keys go (${evicted.length})`);
  const newest = evicted.filter((i) => i >= 900).length;
  assert.ok(newest <= 10, `the most recently used tenth is nearly untouched (${newest} evicted)`);
});

test('eviction: random policies visit every db and stop with Fail when everything is gone', () => {
  const server = makeServer('allkeys-random');
  for (const id of [0, 5, 15]) for (let i = 0; i < 50; i++) server.dbs[id]!.add(`k${i}`, 'v');
  server.config.set('maxmemory', ['1']);
  assert.equal(server.evictor.freeMemory(), EvictStatus.Fail);
  assert.equal(server.dbs[0]!.size + server.dbs[5]!.size + server.dbs[15]!.size, 0);
  assert.equal(server.stats.evictedKeys, 150);
});
