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
import { isDeepStrictEqual } from 'node:util';
import { ReplyParser, type RespValue } from '../../src/protocol/reply-parser.js';
import { RawClient } from './raw-client.js';
import { startNodis, startRedis, type ExternalServer } from './servers.js';

import { sleep } from './wait.js';

export { sleep };

/** A step: a command, or a pause in ms (letting a short TTL pass). */
export type Step = string[] | number;

/**
 * Runs steps on one client; returns the raw replies (latin1; pauses give
 * none), one per command, followed by any frame the server sent beyond
 * those (found by readToMarker; normally none).
 */
export async function runSteps(c: RawClient, steps: readonly Step[]): Promise<string[]> {
  const replies: string[] = [];
  for (const s of steps) {
    if (typeof s === 'number') await sleep(s);
    else replies.push((await c.call(...s)).raw.toString('latin1'));
  }
  const rest = await readToMarker(c);
  return [...replies, ...rest.frames, ...(rest.closed ? ['(connection closed)'] : [])];
}

let markers = 0;

/**
 * Ends a script on c: sends RESET (which leaves MULTI, subscriptions,
 * CLIENT REPLY OFF and RESP3 alike, so what follows gets an ordinary
 * reply) and PING with a payload unique to this call, and reads every
 * frame up to that PING's reply. Returns the frames before it (latin1) —
 * whatever the script's commands produced beyond the replies already read,
 * then RESET's own +RESET — and whether the server closed the connection
 * first (then the frames are all it sent).
 */
export async function readToMarker(c: RawClient): Promise<{ frames: string[]; closed: boolean }> {
  const marker = `end-of-script:${process.pid}:${++markers}`;
  const expected = `$${marker.length}\r\n${marker}\r\n`;
  const frames: string[] = [];
  if (c.isClosed) return { frames, closed: true };
  c.write(Buffer.concat([RawClient.encode(['RESET']), RawClient.encode(['PING', marker])]));
  for (;;) {
    let raw: string;
    try {
      raw = await c.readText();
    } catch (e) {
      if (c.isClosed) return { frames, closed: true };
      throw e;
    }
    if (raw === expected) break;
    frames.push(raw);
  }
  // RESET's reply is not the script's: leave it out once it is the last frame, as it should be.
  if (frames.at(-1) === '+RESET\r\n') frames.pop();
  return { frames, closed: false };
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
  const incr = () =>
    readFileSync(
      join(
        aofDir,
        readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!,
      ),
    );
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

/**
 * Where two replies differ in shape: RESP kind at every level and the
 * number of items of every aggregate down to depth levels (scalars by kind
 * only); null when they have the same shape. path names the position for
 * the message.
 */
export function shapeDifference(a: RespValue, b: RespValue, depth = Infinity, path = 'reply'): string | null {
  if (a.kind !== b.kind) return `${path}: kind ${a.kind} vs ${b.kind}`;
  if (depth <= 0) return null;
  if ('items' in a && 'items' in b) {
    if (a.items.length !== b.items.length) return `${path}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      const d = shapeDifference(a.items[i]!, b.items[i]!, depth - 1, `${path}[${i}]`);
      if (d !== null) return d;
    }
  }
  if ('entries' in a && 'entries' in b) {
    if (a.entries.length !== b.entries.length) return `${path}: ${a.entries.length} vs ${b.entries.length} entries`;
    for (let i = 0; i < a.entries.length; i++) {
      const d =
        shapeDifference(a.entries[i]![0], b.entries[i]![0], depth - 1, `${path}{${i}}.key`) ??
        shapeDifference(a.entries[i]![1], b.entries[i]![1], depth - 1, `${path}{${i}}`);
      if (d !== null) return d;
    }
  }
  return null;
}

/**
 * Where two replies differ beyond tolerance: integers (at any level) may
 * differ by up to tolerance, everything else must be equal; null when
 * they match.
 */
export function nearDifference(a: RespValue, b: RespValue, tolerance: number, path = 'reply'): string | null {
  if (a.kind === 'int' && b.kind === 'int') {
    const d = a.value > b.value ? a.value - b.value : b.value - a.value;
    return d <= BigInt(tolerance) ? null : `${path}: ${a.value} vs ${b.value} (more than ${tolerance} apart)`;
  }
  if ('items' in a && 'items' in b && a.kind === b.kind && a.items.length === b.items.length) {
    for (let i = 0; i < a.items.length; i++) {
      const d = nearDifference(a.items[i]!, b.items[i]!, tolerance, `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  return isDeepStrictEqual(a, b) ? null : `${path}: ${JSON.stringify(a, bigints)} vs ${JSON.stringify(b, bigints)}`;
}

const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);
