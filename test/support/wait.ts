/**
 * How tests wait. A test that needs another process (or the server's
 * event loop) to reach a state polls for that state with waitFor; it
 * never sleeps a fixed time and then asserts. Deadlines are generous
 * (DEADLINE_MS): on a loaded machine things are slow, not wrong, and a
 * deadline only turns a hang into a failure that says what it waited for.
 *
 * sleep is for the two honest uses left: letting time pass on purpose (a
 * TTL running out, spacing random faults) and proving that something does
 * NOT happen during a period — every such use says so in a comment.
 */
import assert from 'node:assert/strict';

/**
 * The default deadline of every wait and read in the test support, in ms
 * (NODIS_TEST_DEADLINE_MS overrides it). Far beyond what any wait takes on
 * an idle machine, and well below run-tests.mjs's per-file timeout so a
 * failure names the condition rather than the test.
 */
export const DEADLINE_MS = Number(process.env.NODIS_TEST_DEADLINE_MS ?? 30_000);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls fn every 20 ms until it returns true; fails after timeoutMs with
 * `what` and explain()'s text (e.g. INFO and log tails saying why).
 */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  explain: () => Promise<string> | string = () => '',
  timeoutMs = DEADLINE_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}\n${await explain()}`);
    await sleep(20);
  }
}
