/**
 * Keyspace notifications side by side: what Redis publishes on its
 * __keyevent@<db>__ channels and what nodis's KeyEvents emits, for the same
 * commands, as comparable "event key" lines.
 */
import { RawClient } from './raw-client.js';
import { runSteps, type ServerPair, type Step } from './compare.js';

/**
 * Runs steps on both servers of pair and returns the keyspace events each
 * emitted meanwhile, as "db event key" lines in order. Redis's are read
 * from a PSUBSCRIBE with notify-keyspace-events KEA; nodis's from a
 * KeyEvents listener, without the classes KEA leaves out (so the comparison needs no pub/sub in nodis).
 */
export async function eventsOnBoth(pair: ServerPair, steps: readonly Step[]): Promise<{ redis: string[]; nodis: string[] }> {
  const nodis: string[] = [];
  let listening = true;
  pair.nodis.server.events.onNotify((type, event, key, db) => {
    // KEA leaves out the key-miss and new-key classes.
    if (listening && type !== 'n' && type !== 'm') nodis.push(`${db} ${event} ${key}`);
  });
  const sub = await RawClient.connect(pair.redis.port);
  const a = await RawClient.connect(pair.redis.port);
  const b = await RawClient.connect(pair.nodis.port);
  const redis: string[] = [];
  try {
    await a.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    await sub.call('PSUBSCRIBE', '__keyevent@*__:*');
    // Redis queues each event to sub as the command runs, so they are all
    // before the PUNSUBSCRIBE reply read below.
    await runSteps(a, steps);
    await runSteps(b, steps);
    listening = false;
    sub.write(RawClient.encode(['PUNSUBSCRIBE']));
    for (;;) {
      const v = await sub.read();
      if (v.value.kind !== 'array' && v.value.kind !== 'push') break;
      const items = v.value.items.map((i) => ('value' in i ? String(i.value) : ''));
      if (items[0] === 'punsubscribe') break;
      const m = /^__keyevent@(\d+)__:(.*)$/.exec(items[2]!);
      if (m !== null) redis.push(`${m[1]} ${m[2]} ${items[3]}`);
    }
  } finally {
    sub.close();
    a.close();
    b.close();
  }
  return { redis, nodis };
}
