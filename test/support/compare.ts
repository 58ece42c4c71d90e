/**
 * Test support for suites that run the same script on a real redis-server
 * and on nodis and compare what each does: a pair of servers started and
 * stopped around a describe block, scripts of commands and pauses, and the
 * replicated effects of a script set against what Redis appended to its AOF.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer, StartOptions } from '../../src/index.js';
import { ReplyParser } from '../../src/protocol/reply-parser.js';
import { RawClient } from './raw-client.js';
import { startNodis, startRedis, type ExternalServer } from './servers.js';

import { sleep } from './wait.js';

export { sleep };

/** A step: a command, or a pause in ms (letting a short TTL pass). */
export type Step = string[] | number;

/** Runs steps on one client; returns the raw replies (latin1; pauses give none). */
export async function runSteps(c: RawClient, steps: readonly Step[]): Promise<string[]> {
  const replies: string[] = [];
  for (const s of steps) {
    if (typeof s === 'number') await sleep(s);
    else replies.push((await c.call(...s)).raw.toString('latin1'));
  }
  return replies;
}

/** A redis-server and a nodis, both running while the enclosing describe block's tests run. */
export interface ServerPair {
  readonly redis: ExternalServer;
  readonly nodis: RunningServer;
}

/** redis-server arguments that make it append every write to its AOF at once. */
export const AOF_ALWAYS = ['--appendonly', 'yes', '--appendfsync', 'always'];

/**
 * Registers before/after hooks in the calling describe block that start a
 * redis-server (with redisArgs) and a nodis (with nodisOpts) and stop them;
 * the returned pair's fields are set once the before hook has run.
 */
export function serverPair(redisArgs: string[] = [], nodisOpts: StartOptions = {}): ServerPair {
  const pair = {} as { redis: ExternalServer; nodis: RunningServer };
  before(async () => {
    pair.redis = await startRedis(redisArgs);
    pair.nodis = await startNodis(nodisOpts);
  });
  after(async () => {
    await pair.nodis?.stop();
    await pair.redis?.stop();
  });
  return pair;
}

/** Runs steps on a fresh connection to Redis, then on one to nodis; returns both servers' replies. */
export async function stepsOnBoth(pair: ServerPair, steps: readonly Step[]): Promise<{ redis: string[]; nodis: string[] }> {
  const a = await RawClient.connect(pair.redis.port);
  const b = await RawClient.connect(pair.nodis.port);
  try {
    const redis = await runSteps(a, steps);
    const nodis = await runSteps(b, steps);
    return { redis, nodis };
  } finally {
    a.close();
    b.close();
  }
}

/**
 * stepsOnBoth for a pair whose Redis runs with AOF_ALWAYS; also returns the
 * bytes Redis appended to its incremental AOF meanwhile and the effects
 * nodis propagated meanwhile (both RESP command streams).
 */
export async function effectsOnBoth(
  pair: ServerPair,
  steps: readonly Step[],
): Promise<{ redis: string[]; nodis: string[]; aof: Buffer; effects: Buffer }> {
  const effects: Buffer[] = [];
  pair.nodis.server.propagation.addSink((b) => effects.push(b));
  const aofDir = join(pair.redis.dir, 'appendonlydir');
  const incr = () => readFileSync(join(aofDir, readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!));
  const start = incr().length;
  const replies = await stepsOnBoth(pair, steps);
  return { ...replies, aof: incr().subarray(start), effects: Buffer.concat(effects) };
}

/**
 * The commands in a RESP command stream (an effects or AOF stream from
 * effectsOnBoth, or what a propagation sink collected), as argv lists of
 * latin1 strings; every frame must be an array.
 */
export function commandsOf(stream: Buffer): string[][] {
  const parser = new ReplyParser();
  parser.feed(stream);
  const out: string[][] = [];
  for (let v = parser.next(); v !== undefined; v = parser.next()) {
    assert.equal(v.kind, 'array');
    out.push((v as { items: { value: string }[] }).items.map((i) => i.value));
  }
  return out;
}

/**
 * argv with every millisecond time within a day of now (what a relative
 * expiry becomes) replaced by "<now>", so two servers' streams compare.
 */
export function maskNow(argv: readonly string[]): string[] {
  const now = Date.now();
  return argv.map((a) => (/^\d{13}$/.test(a) && Math.abs(Number(a) - now) < 86_400_000 ? '<now>' : a));
}
